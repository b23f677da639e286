"""Rows a DDL file inserts itself: ``INSERT INTO t [(columns)] VALUES (...), ...`` read into literal values.

Real applications ship bootstrap rows in their schema file (Synapse's singleton lock rows, Icinga DB's schema
version, listmonk's settings). They are rows already in the tables when seeder's rows arrive, so the reader keeps
them (:class:`seeder.schema.InsertedRows`) and the planner and engine treat them exactly as rows of a live database
(:mod:`seeder.plan.inserted`). Literal values are kept as Python values; anything else (``now()``, arithmetic) is
:data:`seeder.schema.UNKNOWN`. ``INSERT ... SELECT`` rows cannot be known without running the query: a note says so.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlglot import exp

from seeder.schema import UNKNOWN


def literal_value(node: exp.Expression) -> Any:
    """The Python value of a literal cell (``'x'``, ``-1``, ``1.5``, ``TRUE``, ``NULL``, ``'x'::text``), else
    :data:`UNKNOWN`."""
    while isinstance(node, (exp.Cast, exp.Paren)):
        node = node.this
    if isinstance(node, exp.Null):
        return None
    if isinstance(node, exp.Boolean):
        return bool(node.this)
    if isinstance(node, exp.Neg):
        inner = literal_value(node.this)
        return -inner if isinstance(inner, (int, float, Decimal)) and not isinstance(inner, bool) else UNKNOWN
    if isinstance(node, exp.Literal):
        if node.is_string:
            return node.this
        text = node.this
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return Decimal(text)
        except InvalidOperation:
            return UNKNOWN
    return UNKNOWN


def values_rows(insert: exp.Insert) -> list[tuple[Any, ...]] | None:
    """The rows of ``INSERT ... VALUES``, each a tuple of :func:`literal_value`; ``None`` for other sources."""
    source = insert.expression
    if not isinstance(source, exp.Values):
        return None
    rows = []
    for row in source.expressions:
        cells = row.expressions if isinstance(row, exp.Tuple) else [row]
        rows.append(tuple(literal_value(c) for c in cells))
    return rows
