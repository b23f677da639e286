"""Column-to-column CHECK relations (``end_date > start_date``), so the engine can order and repair them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlglot import exp

from seeder.generate.checks_forms import (
    COMPARISONS,
    FLIPPED,
    conjuncts,
    disjuncts,
    is_null_test,
    normalise,
    plain_column,
    strip,
)
from seeder.generate.checks_values import UnsupportedExpression, compare
from seeder.schema import Check, Table


@dataclass(frozen=True)
class ColumnRelation:
    """``left op right`` between two columns of one table, read from ``check``.

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

    def holds(self, left_value: Any, right_value: Any) -> bool:
        """Whether the CHECK passes for these values (NULL on either side passes; incomparable values fail)."""
        try:
            return compare(self.op, left_value, right_value) is not False
        except UnsupportedExpression:
            return False


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
    for conj in conjuncts(normalise(check.expression)):
        for left, op, right in conjunct_relations(table, conj) or []:
            out.append(ColumnRelation(left, op, right, check))
    return out
