"""Column-to-column relations (``end_date > start_date``, ``updated_at >= created_at``): read from CHECKs, repaired.

A CHECK conjunct that compares two columns of a row cannot become a value spec for either column. It is read here
as a :class:`ColumnRelation` and satisfied row by row by moving one side relative to the other: the side moved is a
free content column; key and foreign-key columns are never touched. Timestamps named like ``created``/``updated``
get the same treatment without a CHECK (:func:`implicit_relations`), because data where a row changed before it was
created reads as fake. Comparisons follow the CHECK evaluator's SQL semantics
(:func:`seeder.generate.checks.sql_values.compare`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlglot import exp

from seeder.generate.checks.forms import (
    COMPARISONS,
    FLIPPED,
    all_checks,
    check_conjuncts,
    disjuncts,
    is_null_test,
    plain_column,
    strip,
)
from seeder.generate.checks.sql_values import UnsupportedExpression, compare
from seeder.schema import Check, Table
from seeder.types import DATETIME_KINDS, value_problem

_CREATED = re.compile(r"(^|_)(created|creation|inserted)(_|$)|^create_?date$|^createdat$", re.I)
_UPDATED = re.compile(r"(^|_)(updated|modified|changed|last_update)(_|$)|^(updatedat|modifiedat|lastupdate)$", re.I)


@dataclass(frozen=True)
class ColumnRelation:
    """``left op right`` between two columns of one table, read from ``check`` (``None``: implied by names).

    ``op`` is one of ``<``, ``<=``, ``>``, ``>=``, ``=``, ``<>``; ``left``/``right`` are column names as in the
    table, in the orientation the CHECK wrote them. NULL on either side satisfies the relation (SQL CHECK semantics).
    """

    left: str
    op: str
    right: str
    check: Check | None = None

    def flipped(self) -> ColumnRelation:
        """The same relation written the other way round (``a < b`` -> ``b > a``)."""
        return ColumnRelation(self.right, FLIPPED[self.op], self.left, self.check)


# --------------------------------------------------------------------------------------------------------- reading


def _relation_atom(table: Table, node: exp.Expression) -> list[tuple[str, str, str]] | None:
    node = strip(node)
    if type(node) in COMPARISONS:
        left, right = plain_column(table, node.this), plain_column(table, node.expression)
        if left is None or right is None or left.name == right.name:
            return None
        return [(left.name, COMPARISONS[type(node)], right.name)]
    if isinstance(node, exp.Between) and not node.args.get("symmetric"):
        x = plain_column(table, node.this)
        lo, hi = plain_column(table, node.args["low"]), plain_column(table, node.args["high"])
        if x is None or lo is None or hi is None or len({x.name, lo.name, hi.name}) < 3:
            return None
        return [(x.name, ">=", lo.name), (x.name, "<=", hi.name)]
    return None


def conjunct_relations(table: Table, node: exp.Expression) -> list[tuple[str, str, str]] | None:
    """The relations a normalised conjunct amounts to, or ``None`` if it is not a plain column-to-column form.

    ``a >= b OR a IS NULL`` is read as ``a >= b``: the IS NULL branches only admit rows the relation admits too
    (NULL passes a comparison) or, for other columns, rows the engine does not need.
    """
    parts = [p for p in disjuncts(node) if is_null_test(table, p) is None] if isinstance(node, exp.Or) else [node]
    if len(parts) != 1:
        return None
    rels = _relation_atom(table, parts[0])
    if rels is None or (isinstance(node, exp.Or) and len(rels) != 1):
        return None
    return rels


def relations_of_check(table: Table, check: Check) -> list[ColumnRelation]:
    """The column relations among the conjuncts of one CHECK (other conjuncts are ignored)."""
    out = []
    for conj in check_conjuncts(check):
        for left, op, right in conjunct_relations(table, conj) or []:
            out.append(ColumnRelation(left, op, right, check))
    return out


def column_relations(table: Table) -> list[ColumnRelation]:
    """Every plain column-to-column comparison among the conjuncts of ``table``'s CHECKs, in CHECK order.

    Recognised: ``a op b`` for ``< <= > >= = <>`` (``!=`` normalised to ``<>``, ``NOT (a < b)`` to ``a >= b``)
    through parentheses and value-preserving casts, ``a BETWEEN b AND c`` (two relations), and
    ``a op b OR a IS NULL``-style disjunctions, which are read as the relation alone (a narrower, correct reading).
    """
    out: list[ColumnRelation] = []
    for check in all_checks(table):
        for rel in relations_of_check(table, check):
            if rel not in out:
                out.append(rel)
    return out


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def implicit_relations(table: Table) -> list[ColumnRelation]:
    """``updated >= created`` for each pair of date/timestamp columns named that way, of the same kind."""
    dated = [c for c in table.columns if c.type.kind in DATETIME_KINDS]
    created = [c for c in dated if _CREATED.search(_snake(c.name))]
    updated = [c for c in dated if _UPDATED.search(_snake(c.name))]
    return [ColumnRelation(u.name, ">=", c.name) for u in updated for c in created if u.type.kind == c.type.kind]


# --------------------------------------------------------------------------------------------------------- repair


def _step(value: Any, row: int) -> Any:
    """A small positive distance in ``value``'s type, varied by row so repaired values don't all look alike."""
    k = 1 + row % 29
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return k
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        unit = Decimal(1).scaleb(exponent) if isinstance(exponent, int) and exponent < 0 else Decimal(1)
        return unit * k
    if isinstance(value, float):
        return float(k)
    if isinstance(value, dt.datetime):
        return dt.timedelta(hours=k, minutes=row % 60)
    if isinstance(value, dt.date):
        return dt.timedelta(days=k)
    return None


def _target(other: Any, op: str, row: int) -> Any:
    """A value v with ``v op other`` true, or ``None`` when there is no simple one."""
    step = _step(other, row)
    if op in ("=", "<=", ">=") and (op == "=" or step is None):
        return other
    if step is None:
        return None
    try:
        return other + step if op in (">", ">=", "<>") else other - step
    except OverflowError:  # date.max + 1 day
        return None


def repair_relations(table: Table, relations: Sequence[ColumnRelation], values: dict[str, list[Any]],
                     rows: Iterable[int], fixed: set[str], *, dialect: str = "") -> None:
    """Make each relation (and each of :func:`implicit_relations`) hold on each of ``rows`` by moving a free side.

    Args:
        table: the table.
        relations: the relations to keep, e.g. :func:`column_relations`.
        values: column name -> values, modified in place.
        rows: row indices to repair.
        fixed: columns that must not change (keys, foreign keys).
        dialect: the schema's dialect: a moved value must still fit its column's type
            (:func:`seeder.types.value_problem`); a move that would leave the type's range is not made.
    """
    rels = [r for r in (*relations, *implicit_relations(table)) if r.left in values and r.right in values]
    if not rels:
        return
    for i in rows:
        for rel in rels:
            try:
                if compare(rel.op, values[rel.left][i], values[rel.right][i]) is not False:
                    continue  # holds, or NULL on a side (which passes)
            except UnsupportedExpression:
                continue  # values the comparison cannot order: nothing to move them by
            a, b = values[rel.left][i], values[rel.right][i]
            for moved, op, other in ((rel.left, rel.op, b), (rel.right, FLIPPED[rel.op], a)):
                if moved in fixed:
                    continue
                new = _target(other, op, i)
                if new is not None and value_problem(new, table.column(moved).type, dialect) is None:
                    values[moved][i] = new
                break
