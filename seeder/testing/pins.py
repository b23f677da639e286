"""What ``make(table, n, **pins)`` pins, sorted into what the engine can honour (:class:`seeder.testing.seeding.Maker`).

* a plain column pinned to a value becomes a CHECK (``col = value``, or ``col IS NULL``) the generator honours;
* a foreign key pinned to an existing parent (``customer_id=7``, ``customer=<a row make() returned>``, or every
  column of a composite FK) becomes the only existing key the engine may draw for it
  (:class:`PinnedParent` in place of the parent's :class:`~seeder.plan.existing.ExistingTable`), and its columns
  NOT NULL, so every new row points at that parent;
* a nullable foreign key pinned to ``None`` is left out of generation (its columns stay NULL).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from seeder.errors import ConfigError
from seeder.plan.existing import ExistingTable
from seeder.schema import Check, ForeignKey, Schema, Table


@dataclass
class Pins:
    """The pins of one ``make()`` call.

    Attributes:
        values: plain column -> pinned value (``None``: NULL).
        parents: FK -> the referenced key tuple (``fk.ref_columns`` order) of an existing parent row.
        nulls: FKs pinned to NULL.
    """

    values: dict[str, Any] = field(default_factory=dict)
    parents: dict[ForeignKey, tuple[Any, ...]] = field(default_factory=dict)
    nulls: list[ForeignKey] = field(default_factory=list)

    def expected(self) -> dict[str, Any]:
        """Column -> the value every made row must hold."""
        out = dict(self.values)
        for fk, key in self.parents.items():
            out.update(zip(fk.columns, key, strict=True))
        for fk in self.nulls:
            out.update(dict.fromkeys(fk.columns))
        return out


def _fk_named(table: Table, name: str) -> ForeignKey | None:
    """The FK a keyword that is no column names: its single column without ``_id`` (``customer`` for
    ``customer_id``) or its parent table's name (``orders``); ``None`` when none does. Two FKs named alike are an
    error."""
    lowered = name.lower()
    found = [fk for fk in table.foreign_keys
             if (len(fk.columns) == 1 and lowered == fk.columns[0].lower().removesuffix("_id"))
             or lowered == fk.ref_table.name.lower()]
    if len(found) > 1:
        raise ConfigError(f"make(): {name!r} names {len(found)} foreign keys of {table.name}; pin their columns "
                          f"({', '.join('/'.join(fk.columns) for fk in found)}) instead")
    return found[0] if found else None


def _parent_key(fk: ForeignKey, name: str, value: Any) -> tuple[Any, ...] | None:
    """The referenced key a pin gives: a parent row (a mapping holding ``fk.ref_columns``) or a single value."""
    if isinstance(value, Mapping):
        missing = [c for c in fk.ref_columns if c not in value]
        if missing:
            raise ConfigError(f"make(): the {name} row given has no {', '.join(missing)} (it should be a row of "
                              f"{fk.ref_table}, as make() returns them)")
        key = tuple(value[c] for c in fk.ref_columns)
    else:
        key = (value,)
    return None if all(v is None for v in key) else key


def sort_pins(table: Table, pinned: Mapping[str, Any]) -> Pins:
    """Sort ``make()``'s keyword pins for ``table`` into :class:`Pins`.

    Raises:
        ConfigError: a keyword that names neither a column nor a foreign key, a parent row without its key, a NOT
            NULL foreign key pinned to ``None``, a self-reference, or a composite FK pinned in part.
    """
    names = {c.name for c in table.columns}
    pins = Pins()
    partial: dict[ForeignKey, dict[str, Any]] = {}
    for name, value in pinned.items():
        # a column's own name wins: a plain column, or a column of an FK; other names may name an FK
        owner = next((f for f in table.foreign_keys if name in f.columns), None) if name in names else None
        if name in names and owner is None:
            pins.values[name] = value
        elif owner is not None and len(owner.columns) > 1:
            partial.setdefault(owner, {})[name] = value
        else:
            fk = owner or _fk_named(table, name)
            if fk is None:
                raise ConfigError(f"table {table.name} has no column {name!r} (columns: {', '.join(sorted(names))})")
            _add(pins, table, fk, _parent_key(fk, name, value))
    for fk, given in partial.items():
        if set(given) != set(fk.columns):
            rest = ", ".join(c for c in fk.columns if c not in given)
            raise ConfigError(f"make(): pin every column of the foreign key ({', '.join(fk.columns)}) of "
                              f"{table.name}, or none (missing: {rest})")
        values = tuple(given[c] for c in fk.columns)
        _add(pins, table, fk, None if all(v is None for v in values) else values)
    return pins


def _add(pins: Pins, table: Table, fk: ForeignKey, key: tuple[Any, ...] | None) -> None:
    if fk.ref_table == table.name:
        raise ConfigError(f"make(): pinning the self-reference {', '.join(fk.columns)} of {table.name} is not "
                          "supported; make the rows and update them")
    if key is None:
        if not all(table.column(c).nullable for c in fk.columns):
            raise ConfigError(f"make(): {table.name}.{', '.join(fk.columns)} is NOT NULL and cannot be pinned to None")
        pins.nulls.append(fk)
    else:
        pins.parents[fk] = key


def pinned_schema(schema: Schema, table: Table, pins: Pins, by_column: Mapping[str, Check]) -> Schema:
    """``schema`` with ``table`` changed for ``pins``: the CHECK of each pinned plain column (``by_column``) added
    to it, pinned FK columns NOT NULL, FKs pinned to NULL removed."""
    parent_columns = {c for fk in pins.parents for c in fk.columns}
    columns = []
    for c in table.columns:
        if c.name in by_column:
            c = replace(c, checks=(*c.checks, by_column[c.name]), nullable=c.nullable or pins.values[c.name] is None)
        if c.name in parent_columns:
            c = replace(c, nullable=False)
        columns.append(c)
    changed = replace(table, columns=tuple(columns),
                      foreign_keys=tuple(fk for fk in table.foreign_keys if fk not in pins.nulls))
    return replace(schema, tables=tuple(changed if t.name == table.name else t for t in schema.tables))


class PinnedParent:
    """An :class:`~seeder.plan.existing.ExistingTable` of a parent table whose key sample is one pinned row.

    Args:
        rows: the parent's real existing rows (maxima and collisions are theirs).
        columns: the referenced columns.
        key: the pinned key tuple (checked to exist by :func:`pin_parents`).
    """

    def __init__(self, rows: ExistingTable, columns: tuple[str, ...], key: tuple[Any, ...]) -> None:
        self.rows = rows
        self.row_count = 1  # the one row every new row points at (what the planner counts combinations with)
        self.columns = columns
        self.key = key

    def key_sample(self, columns: tuple[str, ...], limit: int) -> list[tuple[Any, ...]]:
        """The pinned key for its columns, else the real sample."""
        if columns == self.columns:
            return [self.key] if limit > 0 else []
        return self.rows.key_sample(columns, limit)

    def max_value(self, column: str) -> Any | None:
        """The real rows' largest value."""
        return self.rows.max_value(column)

    def taken(self, columns: tuple[str, ...], candidates: Sequence[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
        """The real rows' answer."""
        return self.rows.taken(columns, candidates)


def pin_parents(existing: Mapping[Any, ExistingTable], table: Table, pins: Pins) -> dict[Any, ExistingTable]:
    """``existing`` with each pinned parent table answering its pinned key only, and ``table``'s rows counted as
    those holding the pinned parents (:class:`PinnedChild`, when its rows can count them: ``count_where``).

    Raises:
        ConfigError: no existing row of the parent holds the pinned key, or two FKs to one parent pin different rows.
    """
    out = dict(existing)
    for fk, key in pins.parents.items():
        rows = existing.get(fk.ref_table)
        if rows is None or not rows.row_count or key not in rows.taken(fk.ref_columns, [key]):
            shown = ", ".join(f"{c} = {v!r}" for c, v in zip(fk.ref_columns, key, strict=True))
            raise ConfigError(f"make(): {fk.ref_table} has no row with {shown} (pin an existing parent, or make() it "
                              "first)")
        earlier = out.get(fk.ref_table)
        if isinstance(earlier, PinnedParent) and (earlier.columns, earlier.key) != (fk.ref_columns, key):
            raise ConfigError(f"make(): two foreign keys to {fk.ref_table} are pinned to different rows, which "
                              "make() cannot do yet")
        out[fk.ref_table] = PinnedParent(rows, fk.ref_columns, key)
    own = existing.get(table.name)
    count_where = getattr(own, "count_where", None)
    if own is not None and pins.parents and count_where is not None:
        values = {c: v for fk, key in pins.parents.items() for c, v in zip(fk.columns, key, strict=True)}
        out[table.name] = PinnedChild(own, count_where(values))
    return out


class PinnedChild:
    """The :class:`~seeder.plan.existing.ExistingTable` of the table ``make()`` fills when foreign keys are pinned:
    its ``row_count`` is the rows that hold the pinned parents (only they can collide with the new rows' unique
    tuples over those FKs, which the planner counts against capacity); everything else is the real rows'.

    Args:
        rows: the table's real existing rows.
        row_count: how many of them hold the pinned FK values.
    """

    def __init__(self, rows: ExistingTable, row_count: int) -> None:
        self.rows = rows
        self.row_count = row_count

    def key_sample(self, columns: tuple[str, ...], limit: int) -> list[tuple[Any, ...]]:
        """The real rows' sample."""
        return self.rows.key_sample(columns, limit)

    def max_value(self, column: str) -> Any | None:
        """The real rows' largest value."""
        return self.rows.max_value(column)

    def taken(self, columns: tuple[str, ...], candidates: Sequence[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
        """The real rows' answer."""
        return self.rows.taken(columns, candidates)
