"""What the rule inference reads off a schema: column meanings, FK neighbours, the schema's domain.

:class:`SchemaFacts` is built once per plan from the seeded (effective) tables and answers the questions every
inference module asks: what a column means (:func:`seeder.semantic.semantic_kind`), which tables point at a table,
which columns are keys, and what the schema is about (:attr:`SchemaFacts.domain`: ``film_rental``, ``music``,
``shop``, ``hr`` or ``generic``, judged from its table names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from seeder.schema import Column, ForeignKey, Table, TableName
from seeder.semantic import semantic_kind, singular, split_identifier
from seeder.types import CHARACTER_KINDS, DATETIME_KINDS, DECIMAL_KINDS, FLOAT_KINDS, INTEGER_KINDS

#: Table nouns that tell what a schema is about, per domain (the domain with most hits wins).
DOMAIN_NOUNS: dict[str, frozenset[str]] = {
    "film_rental": frozenset({"film", "actor", "rental", "inventory", "movie"}),
    "music": frozenset({"album", "track", "artist", "playlist", "genre", "song"}),
    "shop": frozenset({"order", "product", "cart", "review", "supplier", "shipper", "item", "sale", "invoice",
                       "salesorderheader", "category"}),
    "hr": frozenset({"employee", "salary", "department", "dept", "title", "job", "payroll"}),
}


def words(name: str) -> tuple[str, ...]:
    """Singular lower-case tokens of an identifier (``OrderDetails`` -> ``order, detail``)."""
    return tuple(singular(t) for t in split_identifier(name))


def is_temporal(col: Column) -> bool:
    return col.type.kind in DATETIME_KINDS


def is_numeric(col: Column) -> bool:
    return col.type.kind in INTEGER_KINDS | DECIMAL_KINDS | FLOAT_KINDS or col.type.kind == "money"


def is_text(col: Column) -> bool:
    return col.type.kind in CHARACTER_KINDS


@dataclass
class SchemaFacts:
    """Facts about the seeded tables of one schema (see module docstring)."""

    tables: list[Table]
    by_name: dict[TableName, Table] = field(init=False)

    def __post_init__(self) -> None:
        self.by_name = {t.name: t for t in self.tables}

    def table(self, name: TableName) -> Table:
        return self.by_name[name]

    def kind(self, table: Table, column: str) -> str | None:
        """The semantic kind of ``table.column`` (``None`` for plain values)."""
        return semantic_kind(table, table.column(column))

    @cached_property
    def children(self) -> dict[TableName, list[tuple[Table, ForeignKey]]]:
        """Per table, the (table, FK) pairs that point at it (self-references left out)."""
        out: dict[TableName, list[tuple[Table, ForeignKey]]] = {t.name: [] for t in self.tables}
        for t in self.tables:
            for fk in t.foreign_keys:
                if fk.ref_table != t.name and fk.ref_table in out:
                    out[fk.ref_table].append((t, fk))
        return out

    def fks(self, table: Table) -> list[ForeignKey]:
        """The FKs of ``table`` to other seeded tables (no self-references)."""
        return [fk for fk in table.foreign_keys if fk.ref_table != table.name and fk.ref_table in self.by_name]

    def fk_columns(self, table: Table) -> set[str]:
        return {c for fk in table.foreign_keys for c in fk.columns}

    def key_columns(self, table: Table) -> set[str]:
        """Primary-key, unique and FK columns (decided by the engine's skeleton, not by content rules)."""
        cols = set(table.primary_key.columns) if table.primary_key else set()
        for u in table.uniques:
            cols |= set(u.columns)
        return cols | self.fk_columns(table)

    def unique_columns(self, table: Table) -> set[str]:
        """Columns unique on their own (single-column PRIMARY KEY or UNIQUE)."""
        out = set()
        if table.primary_key and len(table.primary_key.columns) == 1:
            out.add(table.primary_key.columns[0])
        out |= {u.columns[0] for u in table.uniques if len(u.columns) == 1 and not u.expressions and u.where is None}
        return out

    def content_columns(self, table: Table) -> list[Column]:
        """Written columns that are neither keys nor FKs."""
        keys = self.key_columns(table) - self.unique_columns(table)
        fk_cols = self.fk_columns(table)
        pk = set(table.primary_key.columns) if table.primary_key else set()
        return [c for c in table.columns if not c.generated and c.name not in fk_cols and c.name not in pk
                and c.name not in keys]

    def nouns(self, table: Table | TableName) -> tuple[str, ...]:
        name = table.name if isinstance(table, Table) else table
        return words(name.name)

    @cached_property
    def domain(self) -> str:
        """What the schema is about: the domain of :data:`DOMAIN_NOUNS` whose nouns name most tables."""
        score = dict.fromkeys(DOMAIN_NOUNS, 0)
        for t in self.tables:
            nouns = set(self.nouns(t))
            for dom, vocab in DOMAIN_NOUNS.items():
                score[dom] += len(nouns & vocab)
        best = max(score, key=lambda d: (score[d], -list(DOMAIN_NOUNS).index(d)))
        return best if score[best] else "generic"
