"""CHECK constraints: evaluate them on rows, and read them into value specs and column relations.

Public entry points:

* :func:`evaluate` / :func:`check_passes` / :func:`failing_checks` — SQL three-valued evaluation of CHECK
  expressions (sqlglot trees with unqualified ``exp.Column`` nodes) over a row ``{column name: Python value}``;
  :func:`is_evaluable` says whether a CHECK only uses forms the evaluator knows; :func:`evaluate_value` computes
  non-predicate expressions (index expressions such as ``lower(email)``).
* :func:`derive_spec` — the :class:`~seeder.generate.spec.ValueSpec` for one column from its type and every CHECK
  conjunct that mentions only that column.
* :func:`column_relations` — column-to-column comparisons (``end_date > start_date``) for the engine to order/repair.
* :func:`check_coverage` — whether a CHECK is fully captured by specs and relations, only evaluable, or neither.

Forms understood by :func:`derive_spec` (``x`` the column, possibly in parentheses or behind a cast that keeps its
values, such as ``(x)::text``): comparisons with constants (literals, casts, ``now() - '18 years'::interval``),
``BETWEEN``, ``IN`` / ``= ANY (ARRAY[...])``, ``NOT IN`` / ``<> ALL (...)``, ``x = c`` (fixed), ``x <> ''``,
``length``/``char_length``/``octet_length`` bounds, ``LIKE`` / ``NOT LIKE`` / ``ILIKE`` (read as LIKE), ``upper(x)`` /
``lower(x)`` ``IN``/``=`` lists (values that are their own case fold), ``IS [NOT] NULL``, ``IS [NOT] TRUE/FALSE``,
boolean columns as predicates, and AND/OR/NOT of these. Regex (``~``), ``lower(x) = x`` and function calls are left
to the row validator (:func:`failing_checks`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from seeder.generate.checks_eval import Functions, evaluate, evaluate_value, is_evaluable
from seeder.generate.checks_forms import conjuncts, normalise, referenced_columns
from seeder.generate.checks_relations import ColumnRelation, conjunct_relations, relations_of_check
from seeder.generate.checks_spec import all_checks, conjunct_understood, derive_spec
from seeder.generate.checks_values import UnsupportedExpression, like_matches
from seeder.schema import Check, Table

Coverage = Literal["captured", "evaluable", "unevaluable"]

__all__ = [
    "ColumnRelation",
    "Coverage",
    "Functions",
    "UnsupportedExpression",
    "all_checks",
    "check_coverage",
    "check_passes",
    "column_relations",
    "derive_spec",
    "evaluate",
    "evaluate_value",
    "failing_checks",
    "is_evaluable",
    "like_matches",
    "unevaluable_checks",
]


def check_passes(check: Check, row: Mapping[str, Any], *, functions: Functions | None = None) -> bool:
    """Whether ``row`` satisfies ``check`` the SQL way: it fails only when the expression is FALSE.

    NULL and unknown (forms :func:`is_evaluable` rejects) both pass.
    """
    return evaluate(check.expression, row, functions=functions) is not False


def failing_checks(table: Table, row: Mapping[str, Any], *, functions: Functions | None = None) -> list[Check]:
    """The CHECKs of ``table`` (table-level, then each column's; see :func:`all_checks`) that ``row`` violates."""
    return [c for c in all_checks(table) if not check_passes(c, row, functions=functions)]


def unevaluable_checks(table: Table, *, functions: Functions | None = None) -> list[Check]:
    """The CHECKs of ``table`` that :func:`evaluate` cannot always decide (to tell the user they are not verified)."""
    return [c for c in all_checks(table) if not is_evaluable(c.expression, functions=functions)]


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


def check_coverage(table: Table, check: Check, *, functions: Functions | None = None) -> Coverage:
    """How far a CHECK is handled by construction.

    ``captured``: every conjunct becomes spec facts (:func:`derive_spec`), a relation (:func:`column_relations`) or
    is a constant that holds, so values drawn within the specs and repaired for the relations satisfy it.
    ``evaluable``: not captured, but :func:`evaluate` decides it (the engine must validate and redraw rows).
    ``unevaluable``: neither; rows are not verified against it.
    """
    if referenced_columns(table, check.expression) is None:
        return "unevaluable"  # it names a column the table does not have
    for conj in conjuncts(normalise(check.expression)):
        cols = referenced_columns(table, conj)
        if cols is None:
            break
        if not cols:
            try:
                if evaluate_value(conj, {}) is False:
                    break
            except UnsupportedExpression:
                break
            continue
        if len(cols) == 1:
            if not conjunct_understood(table, cols[0], conj):
                break
        elif conjunct_relations(table, conj) is None:
            break
    else:
        return "captured"
    return "evaluable" if is_evaluable(check.expression, functions=functions) else "unevaluable"
