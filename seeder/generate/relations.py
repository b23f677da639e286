"""Column-to-column relations (``end_date > start_date``, ``updated_at >= created_at``) repaired row by row.

CHECK constraints that compare two columns are satisfied by moving one side relative to the other. The side moved
is a free content column; key and foreign-key columns are never touched. Timestamps named like ``created``/``updated``
get the same treatment without a CHECK, because data where a row changed before it was created reads as fake.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from seeder.schema import Table

_TEMPORAL = frozenset({"date", "timestamp", "timestamptz"})
_CREATED = re.compile(r"(^|_)(created|creation|inserted)(_|$)|^create_?date$|^createdat$", re.I)
_UPDATED = re.compile(r"(^|_)(updated|modified|changed|last_update)(_|$)|^(updatedat|modifiedat|lastupdate)$", re.I)

_OPS = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
    "=": lambda a, b: a == b, "<>": lambda a, b: a != b,
}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "<>": "<>"}


class Relation(NamedTuple):
    """``left op right`` between two columns of one row; ``op`` is one of ``< <= > >= = <>``."""

    left: str
    op: str
    right: str


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def implicit_relations(table: Table) -> list[Relation]:
    """``updated >= created`` for each pair of temporal columns named that way (no CHECK needed)."""
    created = [c.name for c in table.columns if c.type.kind in _TEMPORAL and _CREATED.search(_snake(c.name))]
    updated = [c.name for c in table.columns if c.type.kind in _TEMPORAL and _UPDATED.search(_snake(c.name))]
    out = []
    for u in updated:
        for c in created:
            if table.column(u).type.kind == table.column(c).type.kind:
                out.append(Relation(u, ">=", c))
    return out


def _step(value: Any, row: int) -> Any:
    """A small positive distance in ``value``'s type, varied by row so repaired values don't all look alike."""
    k = 1 + row % 29
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return k
    if isinstance(value, Decimal):
        exp = value.as_tuple().exponent
        unit = Decimal(1).scaleb(exp) if isinstance(exp, int) and exp < 0 else Decimal(1)
        return unit * k
    if isinstance(value, float):
        return float(k)
    if isinstance(value, dt.datetime):
        return dt.timedelta(hours=k, minutes=row % 60)
    if isinstance(value, dt.date):
        return dt.timedelta(days=k)
    return None


def _target(other: Any, op: str, row: int) -> Any:
    """A value v with ``v op other`` true."""
    step = _step(other, row)
    if op in ("=", "<=", ">=") and (op == "=" or step is None):
        return other
    if step is None:
        return None
    if op in (">", ">=", "<>"):
        return other + step
    return other - step


def repair_relations(table: Table, relations: Sequence[Any], values: dict[str, list[Any]], rows: Iterable[int],
                     fixed: set[str]) -> None:
    """Make each relation hold on each of ``rows`` by moving a free side (in place).

    Args:
        table: the table (its created/updated columns add implicit relations).
        relations: objects with ``left``, ``op``, ``right`` attributes (e.g. from
            :func:`seeder.generate.checks.column_relations`).
        values: column name -> values, modified in place.
        rows: row indices to repair.
        fixed: columns that must not change (keys, foreign keys).
    """
    rels = [Relation(r.left, r.op, r.right) for r in relations] + implicit_relations(table)
    rels = [r for r in rels if r.left in values and r.right in values and r.op in _OPS]
    if not rels:
        return
    for i in rows:
        for rel in rels:
            a, b = values[rel.left][i], values[rel.right][i]
            if a is None or b is None:
                continue
            try:
                if _OPS[rel.op](a, b):
                    continue
            except TypeError:
                continue
            if rel.left not in fixed:
                new = _target(b, rel.op, i)
                if new is not None:
                    values[rel.left][i] = new
            elif rel.right not in fixed:
                new = _target(a, _FLIP[rel.op], i)
                if new is not None:
                    values[rel.right][i] = new
