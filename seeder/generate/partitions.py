"""Partition keys: values for a partitioned table must fall into one of its partitions.

PostgreSQL rejects a row that no partition accepts (``no partition of relation ... found for row``), and pagila's
``payment`` has 55 monthly RANGE partitions and no DEFAULT one (lago's ``enriched_events`` has only a DEFAULT one).
This module turns the partition bounds of the schema model into per-partition value ranges (or value lists) for the
partition key column.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlglot
from sqlglot import exp

from seeder.schema import ColumnType, Table
from seeder.types import DECIMAL_KINDS, FLOAT_KINDS, INTEGER_KINDS, TIMESTAMP_KINDS


def parse_bound(text: str, col_type: ColumnType) -> Any:
    """Parse one partition bound (SQL literal text such as ``'2022-01-01 00:00:00+00'`` or ``100``) to the column's
    Python value type; ``MINVALUE``/``MAXVALUE`` give ``None``. Raises ``ValueError`` if it cannot be understood."""
    raw = text.strip()
    if raw.upper() in ("MINVALUE", "MAXVALUE"):
        return None
    node = sqlglot.parse_one(raw, read="postgres") if not raw.startswith("'") or "::" in raw else None
    if node is not None:
        while isinstance(node, (exp.Cast, exp.Paren)):
            node = node.this
        if isinstance(node, exp.Literal):
            raw = node.this
        elif isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal):
            raw = "-" + node.this.this
    else:
        raw = raw[1:-1].replace("''", "'")
    kind = col_type.kind
    if kind in INTEGER_KINDS:
        return int(raw)
    if kind in DECIMAL_KINDS:
        try:
            return Decimal(raw)
        except InvalidOperation as err:
            raise ValueError(raw) from err
    if kind in FLOAT_KINDS:
        return float(raw)
    if kind == "date":
        return dt.date.fromisoformat(raw[:10])
    if kind in TIMESTAMP_KINDS:
        text_ts = raw.replace(" ", "T", 1)
        if len(text_ts) >= 3 and text_ts[-3] in "+-" and text_ts[-3:].replace("+", "").replace("-", "").isdigit():
            text_ts += ":00"  # '+00' -> '+00:00' for fromisoformat on Python 3.10
        value = dt.datetime.fromisoformat(text_ts)
        if kind == "timestamptz":
            value = value.astimezone(dt.timezone.utc) if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
        else:
            value = value.replace(tzinfo=None)
        return value
    return raw


def partition_ranges(table: Table) -> tuple[str, list[dict[str, Any]]] | None:
    """For a RANGE or LIST partitioned table with a single key column, return the key column and one dict per
    partition with bounds: ``{"lower": v, "upper": v}`` (upper exclusive, either may be None) or
    ``{"choices": [...]}``. A DEFAULT partition accepts any value, but values are still drawn inside the bounded
    partitions when there are some (rows then spread over the partitions a schema designed). ``None`` when any
    value is accepted and nothing steers it (no partitioning, HASH, only a DEFAULT partition, multi-column keys, or
    bounds that cannot be parsed)."""
    part = table.partitioning
    if part is None or len(part.columns) != 1 or not part.partitions:
        return None
    bounded = [p for p in part.partitions if not p.is_default]
    if part.method.lower() not in ("range", "list") or not bounded:
        return None
    col = part.columns[0]
    try:
        col_type = table.column(col).type
    except KeyError:
        return None
    bounds: list[dict[str, Any]] = []
    try:
        for p in sorted(bounded, key=lambda p: str(p.name)):
            if p.values:
                bounds.append({"choices": [parse_bound(v, col_type) for v in p.values]})
            else:
                lower = parse_bound(p.lower[0], col_type) if p.lower else None
                upper = parse_bound(p.upper[0], col_type) if p.upper else None
                bounds.append({"lower": lower, "upper": upper})
    except (ValueError, sqlglot.errors.ParseError):
        return None
    return col, bounds
