"""Seeding next to rows a database already holds, without engine support (the Django command and the pytest
plugin's ``make`` use it).

The generator does not yet know about existing rows (issue #9 builds that into the engine: new keys past existing
ones, old parents as FK targets). Until then these three steps keep a load from colliding with what is there,
reading through any ``fetch(sql) -> rows`` callable (Django's cursor, a SQLAlchemy connection):

1. :func:`read_existing`: per table, its row count and the largest value of its *shiftable key* (a single-column
   integer primary key that is not also a foreign key; a multi-table-inheritance child's key follows its parent's);
2. :func:`exclude_existing_values`: before generation, ``CHECK (col NOT IN (existing values))`` for columns that are
   unique on their own (not FK columns: those point at new rows), which the engine honours by regenerating cells;
3. :func:`shift_keys`: after generation, every shiftable key moves past the largest existing one, and every FK value
   pointing at it by the same amount (so keys stay unique and references intact).

New rows reference new parents only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlglot import exp

from seeder.dataset import Dataset
from seeder.schema import Check, Schema, Table, TableName

#: Runs one SELECT and returns its rows.
Fetch = Callable[[str], list[tuple[Any, ...]]]
#: Up to this many distinct existing values of a unique column are excluded from generation (one query each).
EXCLUDE_EXISTING_MAX = 20_000
_INTEGER_KINDS = ("smallint", "integer", "bigint")


@dataclass(frozen=True)
class ExistingRows:
    """What a table holds before seeding: ``count`` rows; ``max_key`` the largest shiftable key (``None``: no rows
    or no shiftable key)."""

    count: int
    max_key: int | None = None


def shiftable_key(table: Table) -> str | None:
    """The single-column integer primary key of ``table`` that is not also an FK column, else ``None``."""
    if table.primary_key is None or len(table.primary_key.columns) != 1:
        return None
    key = table.primary_key.columns[0]
    if table.column(key).type.kind not in _INTEGER_KINDS or any(key in fk.columns for fk in table.foreign_keys):
        return None
    return key


def _table_sql(table: Table, dialect: str) -> str:
    return exp.table_(exp.to_identifier(table.name.name, quoted=True),
                      db=exp.to_identifier(table.name.schema, quoted=True) if table.name.schema else None
                      ).sql(dialect)


def _column_sql(name: str, dialect: str) -> str:
    return exp.to_identifier(name, quoted=True).sql(dialect)


def read_existing(schema: Schema, fetch: Fetch, tables: list[TableName] | None = None) -> dict[TableName, ExistingRows]:
    """Row count and largest shiftable key of ``tables`` (default: every table of ``schema``)."""
    found: dict[TableName, ExistingRows] = {}
    for table in schema.tables:
        if tables is not None and table.name not in tables:
            continue
        key = shiftable_key(table)
        largest = f"MAX({_column_sql(key, schema.dialect)})" if key else "NULL"
        count, max_key = fetch(f"SELECT COUNT(*), {largest} FROM {_table_sql(table, schema.dialect)}")[0]
        found[table.name] = ExistingRows(int(count), int(max_key) if max_key is not None else None)
    return found


def _unique_alone(table: Table) -> list[str]:
    """Columns unique on their own: single-column uniques, single expressions over one column (``lower(name)``:
    the column's own values are excluded, which covers values generated in one case) and a non-shiftable
    single-column primary key; FK columns are left out (they point at new rows)."""
    found: list[str] = []
    for u in table.uniques:
        if u.where is not None or len(u.columns) + len(u.expressions) != 1:
            continue
        if u.columns:
            found.append(u.columns[0])
        else:
            names = {c.name for c in u.expressions[0].find_all(exp.Column)}
            if len(names) == 1:
                found.append(names.pop())
    if table.primary_key is not None and len(table.primary_key.columns) == 1 and shiftable_key(table) is None:
        found.append(table.primary_key.columns[0])
    references = {c for fk in table.foreign_keys for c in fk.columns}
    return [c for c in dict.fromkeys(found) if c not in references]


def exclude_existing_values(schema: Schema, fetch: Fetch, existing: Mapping[TableName, ExistingRows]) -> Schema:
    """``schema`` with ``CHECK (col NOT IN (existing values))`` on the columns of :func:`_unique_alone` of every
    table that has rows (text and integer values; columns with more than :data:`EXCLUDE_EXISTING_MAX` distinct
    values are left to the database's own unique check, which fails the load and rolls it back)."""
    tables: list[Table] = []
    for table in schema.tables:
        before = existing.get(table.name)
        columns = _unique_alone(table) if before is not None and before.count else []
        added: dict[str, Check] = {}
        for column in columns:
            name = _column_sql(column, schema.dialect)
            rows = fetch(f"SELECT DISTINCT {name} FROM {_table_sql(table, schema.dialect)} WHERE {name} IS NOT NULL "
                         f"LIMIT {EXCLUDE_EXISTING_MAX + 1}")
            values = [r[0] for r in rows]
            if not values or len(values) > EXCLUDE_EXISTING_MAX or not all(
                    isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
                continue
            literals = [exp.Literal.string(v) if isinstance(v, str) else exp.Literal.number(v) for v in values]
            condition = exp.Not(this=exp.In(this=exp.column(exp.to_identifier(column, quoted=True)),
                                            expressions=literals))
            added[column] = Check(None, condition, f"{column} NOT IN (<{len(values)} existing values>)")
        if added:
            table = replace(table, columns=tuple(replace(c, checks=(*c.checks, added[c.name])) if c.name in added
                                                 else c for c in table.columns))
        tables.append(table)
    return replace(schema, tables=tuple(tables))


def shift_keys(data: Dataset, existing: Mapping[TableName, ExistingRows]) -> None:
    """Move every table's shiftable key values past its largest existing key, and each FK value pointing at them
    by the same amount (in place)."""
    offsets: dict[tuple[TableName, str], int] = {}
    for td in data.tables:
        key = shiftable_key(td.table)
        before = existing.get(td.table.name)
        if key and before is not None and before.max_key:
            offsets[(td.table.name, key)] = before.max_key
    if not offsets:
        return
    for td in data.tables:
        moves = {c: offsets[(td.table.name, c)] for c in td.columns if (td.table.name, c) in offsets}
        for fk in td.table.foreign_keys:
            for col, ref in zip(fk.columns, fk.ref_columns, strict=True):
                if (fk.ref_table, ref) in offsets and col in td.columns:
                    moves[col] = offsets[(fk.ref_table, ref)]
        for col, offset in moves.items():
            values = td.column_values(col)
            values[:] = [v + offset if v is not None else None for v in values]
