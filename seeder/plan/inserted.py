"""Rows the DDL file inserts itself, answered as :class:`~seeder.plan.existing.ExistingTable` (issue #11).

A schema file that INSERTs bootstrap rows (Synapse's singleton ``lock`` rows, Icinga DB's schema version) is loaded
before seeder's script, so those rows are in the tables when seeder's rows arrive: exactly the situation of a live
database holding rows (engine design, section 5). :func:`inserted_rows` answers the same bounded questions from the
rows the reader kept (:attr:`seeder.schema.Schema.inserted`), so the planner and the engine need nothing new: keys
and unique values never repeat them, FK targets may be them, and a table already full to its limit gets no rows
(and the plan says so).

Cells the statement leaves out are what the database would put there: a sequence-numbered column (serial,
identity, ``nextval()`` default, SQLite rowid alias) gets 1, 2, ... in insert order (a fresh sequence); any other
omitted cell is its default, which seeder does not evaluate (:data:`~seeder.schema.UNKNOWN`: never a key, never a
collision). Values are converted to the Python types of :mod:`seeder.dataset` where the column kind says how.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from seeder.plan.existing import Existing
from seeder.schema import UNKNOWN, Column, Schema, Table, TableName
from seeder.types import DECIMAL_KINDS, FLOAT_KINDS, INTEGER_KINDS


class InsertedTable:
    """:class:`~seeder.plan.existing.ExistingTable` over rows held in memory.

    Args:
        rows: one dict per row, column name -> value (a column missing from a dict is :data:`UNKNOWN`).
    """

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        self.row_count = len(rows)

    def _tuples(self, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
        return [tuple(row.get(c, UNKNOWN) for c in columns) for row in self.rows]

    def key_sample(self, columns: tuple[str, ...], limit: int) -> list[tuple[Any, ...]]:
        """Up to ``limit`` distinct known tuples without NULL, sorted (by their text where types mix)."""
        known = {t for t in self._tuples(columns) if all(v is not None and v is not UNKNOWN for v in t)}
        try:
            ordered = sorted(known)
        except TypeError:
            ordered = sorted(known, key=repr)
        return ordered[:max(limit, 0)]

    def max_value(self, column: str) -> Any | None:
        """The largest known value of ``column``, ``None`` when there is none."""
        values = [v for (v,) in self._tuples((column,)) if v is not None and v is not UNKNOWN]
        try:
            return max(values) if values else None
        except TypeError:
            return None

    def taken(self, columns: tuple[str, ...], candidates: Sequence[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
        """The candidates some inserted row holds (tuples with NULL never count)."""
        held = set(self._tuples(columns))
        return {c for c in candidates if None not in c and tuple(c) in held}


def inserted_rows(schema: Schema) -> Existing:
    """The rows ``schema``'s DDL file inserts, per table (empty when it inserts none)."""
    per_table: dict[TableName, list[dict[str, Any]]] = {}
    for insert in schema.inserted:
        try:
            table = schema.table(insert.table)
        except KeyError:
            continue
        rows = per_table.setdefault(table.name, [])
        for values in insert.rows:
            row = {c: _typed(table.column(c), v) for c, v in zip(insert.columns, values, strict=True)}
            rows.append(row)
    result: dict[TableName, InsertedTable] = {}
    for name, rows in per_table.items():
        _number_omitted(schema.table(name), rows)
        result[name] = InsertedTable(rows)
    return result


def _number_omitted(table: Table, rows: list[dict[str, Any]]) -> None:
    """Sequence-numbered columns a row leaves out take the sequence's next number (1, 2, ... past given ones)."""
    for column in table.columns:
        if not (column.autoincrement or column.identity):
            continue
        given = [r[column.name] for r in rows if isinstance(r.get(column.name), int)]
        top = max(given, default=0)
        for row in rows:
            if column.name not in row:
                top += 1
                row[column.name] = top


def _typed(column: Column, value: Any) -> Any:
    """``value`` as the Python type :mod:`seeder.dataset` uses for ``column``'s kind, when the literal says it."""
    if value is None or value is UNKNOWN:
        return value
    kind = column.type.kind
    try:
        if kind in INTEGER_KINDS:
            return int(value)
        if kind in DECIMAL_KINDS:
            return Decimal(str(value))
        if kind in FLOAT_KINDS:
            return float(value)
        if kind == "boolean" and isinstance(value, str):
            return value.strip().lower() in ("t", "true", "y", "yes", "on", "1")
        if kind == "uuid" and isinstance(value, str):
            return uuid.UUID(value)
        if kind == "date" and isinstance(value, str):
            return dt.date.fromisoformat(value)
        if kind in ("timestamp", "timestamptz") and isinstance(value, str):
            return dt.datetime.fromisoformat(value)
    except (ValueError, TypeError, InvalidOperation):
        return UNKNOWN
    if isinstance(value, (int, Decimal)) and kind in ("char", "varchar", "text"):
        return str(value)
    return value


__all__ = ["InsertedTable", "inserted_rows"]
