"""Which CHECKs a row passes, and which CHECKs seeder can verify at all.

Rows are verified with the evaluator (:func:`seeder.generate.checks.evaluate.evaluate`), the SQL way: a CHECK fails
only when it is FALSE. A CHECK the evaluator cannot decide (a user function such as ``my_valid_name(name)``, a
subquery, a column the table does not have) therefore never fails here, so seeder cannot promise the database will
accept the rows: :func:`unverified_checks` names such CHECKs, and the plan and the run report them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from seeder.generate.checks.evaluate import Functions, evaluate, evaluate_value, is_evaluable
from seeder.generate.checks.forms import all_checks, check_conjuncts, referenced_columns
from seeder.generate.checks.relations import conjunct_relations
from seeder.generate.checks.single_column import conjunct_understood
from seeder.generate.checks.sql_values import UnsupportedExpression
from seeder.schema import Check, Table

#: How far seeder handles a CHECK; see :func:`check_coverage`.
Coverage = Literal["captured", "evaluable", "unevaluable"]


def check_passes(check: Check, row: Mapping[str, Any], *, functions: Functions | None = None) -> bool:
    """Whether ``row`` satisfies ``check`` the SQL way: it fails only when the expression is FALSE.

    NULL and unknown (forms :func:`is_evaluable` rejects) both pass.
    """
    return evaluate(check.expression, row, functions=functions) is not False


def failing_checks(table: Table, row: Mapping[str, Any], *, functions: Functions | None = None) -> list[Check]:
    """The CHECKs of ``table`` (table-level, then each column's; see :func:`all_checks`) that ``row`` violates."""
    return [c for c in all_checks(table) if not check_passes(c, row, functions=functions)]


def check_coverage(table: Table, check: Check, *, functions: Functions | None = None) -> Coverage:
    """How far a CHECK is handled by construction.

    ``captured``: every conjunct becomes spec facts (:func:`~seeder.generate.checks.single_column.derive_spec`), a
    relation (:func:`~seeder.generate.checks.relations.column_relations`) or is a constant that holds, so values
    drawn within the specs and repaired for the relations satisfy it.
    ``evaluable``: not captured, but :func:`evaluate` decides it (the engine must validate and redraw rows).
    ``unevaluable``: neither; rows are not verified against it. ``functions`` are the SQL functions the evaluator
    is given (:func:`~seeder.generate.checks.known_functions.functions_for`).
    """
    if referenced_columns(table, check.expression) is None:
        return "unevaluable"  # it names a column the table does not have
    for conj in check_conjuncts(check):
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


def unverified_checks(table: Table, *, functions: Functions | None = None) -> list[Check]:
    """The CHECKs of ``table`` that seeder cannot verify rows against (:func:`check_coverage` ``unevaluable``)."""
    return [c for c in all_checks(table)
            if not is_evaluable(c.expression, functions=functions) or referenced_columns(table, c.expression) is None
            if check_coverage(table, c, functions=functions) == "unevaluable"]

