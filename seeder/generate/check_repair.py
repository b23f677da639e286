"""Verify every row of a table against every CHECK, and repair the rows that fail.

Single-column CHECKs are met by construction (value specs) and column-to-column comparisons by
:func:`seeder.generate.checks.relations.repair_relations`; what is left fails on some rows: CHECKs whose OR branches
depend on key or foreign-key values (``parent IS NULL AND level = 0 OR ...``), regular expressions, known functions
(:mod:`seeder.generate.checks.known_functions`). For each failing row and CHECK, :mod:`seeder.generate.checks.branches`
plans the branches against the row's fixed values; the cheapest feasible plan is applied (content columns redrawn
under the branch's facts, nullable foreign keys cleared or filled from a parent row), the row is verified, and the
loop goes on for :data:`CHECK_REPAIR_ROUNDS` rounds with fresh random draws before giving up with an error that names
the CHECK.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from sqlglot import exp

from seeder.errors import GenerationError
from seeder.generate.checks import ColumnRelation, Functions, check_passes, derive_spec, evaluate, failing_checks
from seeder.generate.checks.branches import BranchPlan, Freedom, plans_for
from seeder.generate.checks.forms import referenced_columns
from seeder.generate.checks.known_functions import rewrite_atom
from seeder.generate.checks.regex_checks import atom_pattern, column_patterns, matching_value
from seeder.generate.checks.relations import repair_relations
from seeder.generate.spec import ValueSpec
from seeder.generate.values import generate_values
from seeder.schema import Check, ForeignKey, Schema, Table

#: Rounds of regeneration for rows that fail a CHECK before giving up with an error naming it.
CHECK_REPAIR_ROUNDS = 25
#: Values drawn for one column of one plan before the plan is given up for this round.
DRAWS = 12

#: Fills a nullable foreign key of one row from a random parent row: ``(fk, rng) -> {column: value}`` or ``None``.
FkFiller = Callable[[ForeignKey, np.random.Generator], "dict[str, Any] | None"]


@dataclass
class TableRepair:
    """Everything the repair of one table's rows needs.

    Attributes:
        table: the (effective) table.
        values: column name -> list of values, modified in place.
        specs: the ValueSpec of each non-FK written column.
        freedom: which columns may change (content columns freely, nullable FK columns to NULL or a parent key).
        relations: column relations (from :func:`seeder.generate.checks.column_relations`) repaired on every row.
        rng: ``(column, salt) -> numpy Generator``, deterministic.
        functions: known SQL functions for the evaluator.
        schema: the schema (for known-function rewrites such as ``to_regclass``).
        fill_fk: fills a nullable foreign key from a parent row, or ``None`` when not possible.
        rows: the number of rows (every list in ``values`` is at least this long).
    """

    table: Table
    values: dict[str, list[Any]]
    specs: dict[str, ValueSpec]
    freedom: Freedom
    relations: Sequence[ColumnRelation]
    rng: Callable[[str, str], np.random.Generator]
    functions: Functions
    schema: Schema | None = None
    fill_fk: FkFiller | None = None
    rows: int = 0
    _narrowed: dict[tuple[str, tuple[str, ...]], ValueSpec | None] = field(default_factory=dict)

    def row(self, i: int) -> dict[str, Any]:
        return {c: v[i] for c, v in self.values.items()}

    @property
    def dialect(self) -> str:
        """The schema's dialect (``""`` without a schema), for the type facts that depend on it."""
        return self.schema.dialect if self.schema is not None else ""

    @property
    def fixed(self) -> set[str]:
        return {c for c in self.values if c not in self.freedom.free}


def enforce_checks(work: TableRepair) -> None:
    """Make every row of ``work`` pass every CHECK (in place), or raise.

    Raises:
        GenerationError: some row still fails a CHECK after :data:`CHECK_REPAIR_ROUNDS` rounds; the message names
            the table and the CHECK, and says when no branch of it fits the row's key and foreign-key values.
    """
    table = work.table
    if not table.checks and not any(c.checks for c in table.columns):
        return
    failing = [i for i in range(work.rows) if failing_checks(table, work.row(i), functions=work.functions)]
    reasons: dict[int, str] = {}
    for round_no in range(CHECK_REPAIR_ROUNDS):
        if not failing:
            return
        still = []
        for i in failing:
            _repair_row(work, i, round_no, reasons)
            if failing_checks(table, work.row(i), functions=work.functions):
                still.append(i)
        failing = still
    if failing:
        i = failing[0]
        checks = failing_checks(table, work.row(i), functions=work.functions)
        names = ", ".join(ch.name or ch.sql for ch in checks)
        why = reasons.get(i, "")
        raise GenerationError(f"{table.name}: cannot generate rows satisfying CHECK {names} "
                              f"(tried {CHECK_REPAIR_ROUNDS} times{'; ' + why if why else ''}); relax the constraint "
                              f"or generate fewer rows")


def _repair_row(work: TableRepair, i: int, round_no: int, reasons: dict[int, str]) -> None:
    for check in failing_checks(work.table, work.row(i), functions=work.functions):
        row = work.row(i)
        if check_passes(check, row, functions=work.functions):
            continue  # an earlier repair of this row fixed it too
        salt = f"#repair{round_no}:{i}:{check.name or ''}"
        plans = plans_for(work.table, check, row, work.freedom, functions=work.functions)
        if plans is None:
            _redraw_loose(work, check, i, salt)
            continue
        if not plans:
            reasons[i] = _infeasible_reason(work, check, row)
            _redraw_loose(work, check, i, salt)
            continue
        rng = work.rng("|".join(sorted(work.freedom.free)), salt + "#plan")
        for plan in _order(plans, rng, early=round_no < CHECK_REPAIR_ROUNDS // 2):
            if apply_plan(work, plan, i, salt):
                break
    repair_relations(work.table, work.relations, work.values, [i], work.fixed, dialect=work.dialect)


def _order(plans: list[BranchPlan], rng: np.random.Generator, early: bool) -> list[BranchPlan]:
    """Plans to try: a random cheapest one first (any one in later rounds), then the rest by cost."""
    pool = [p for p in plans if p.cost == plans[0].cost] if early else plans
    first = pool[int(rng.integers(0, len(pool)))]
    return [first, *[p for p in plans if p is not first]]


def _infeasible_reason(work: TableRepair, check: Check, row: dict[str, Any]) -> str:
    cols = referenced_columns(work.table, check.expression) or []
    fixed = [f"{c.name}={row.get(c.name)!r}" for c in cols if c.name not in work.freedom.free]
    return "no branch of it fits the row's key and foreign-key values" + (f" ({', '.join(fixed)})" if fixed else "")


def _redraw_loose(work: TableRepair, check: Check, i: int, salt: str) -> None:
    """Redraw every free column the CHECK mentions (for forms the planner cannot read)."""
    cols = referenced_columns(work.table, check.expression) or []
    for col in cols:
        if col.name in work.freedom.free:
            ok, value = _draw(work, col.name, [], work.row(i), salt)
            if ok:
                work.values[col.name][i] = value


def apply_plan(work: TableRepair, plan: BranchPlan, i: int, salt: str) -> bool:
    """Apply ``plan`` to row ``i``; ``False`` (row unchanged) when a column's facts leave no value."""
    row = work.row(i)
    new: dict[str, Any] = {c: None for c in plan.nulls}
    for col in plan.fills:
        assignment = _fill(work, col, row, salt)
        if assignment is None:
            return False
        new.update(assignment)
    for col, atoms in plan.redraw.items():
        ok, value = _draw(work, col, atoms, {**row, **new}, salt)
        if not ok:
            return False
        new[col] = value
    for col, value in new.items():
        work.values[col][i] = value
    if plan.relations:
        rels = [ColumnRelation(left, op, right) for left, op, right in plan.relations]
        repair_relations(work.table, rels, work.values, [i], work.fixed, dialect=work.dialect)
    return True


def _fill(work: TableRepair, col: str, row: dict[str, Any], salt: str) -> dict[str, Any] | None:
    if work.fill_fk is None:
        return None
    for fk in work.table.foreign_keys:
        if col in fk.columns and all(c in work.freedom.nullable and row.get(c) is None for c in fk.columns):
            return work.fill_fk(fk, work.rng(col, salt + "#fill"))
    return None


def _narrowed_spec(work: TableRepair, col: str, atoms: list[exp.Expression]) -> ValueSpec | None:
    """The column's spec with the branch's facts added, ``None`` when they contradict (cached per atom list)."""
    base = work.specs[col]
    if not atoms:
        return base
    key = (col, tuple(a.sql() for a in atoms))
    if key in work._narrowed:
        return work._narrowed[key]
    extra = tuple(Check(name=None, expression=a, sql=a.sql()) for a in atoms)
    variant = replace(work.table, checks=(*work.table.checks, *extra))
    try:
        spec: ValueSpec | None = derive_spec(variant, variant.column(col), null_fraction=base.null_fraction,
                                             dialect=base.dialect)
    except GenerationError:
        spec = None
    work._narrowed[key] = spec
    return spec


def _draw(work: TableRepair, col: str, atoms: list[exp.Expression], row: dict[str, Any],
          salt: str) -> tuple[bool, Any]:
    """A value for ``col`` meeting its spec, its regex CHECKs and ``atoms``: ``(True, value)`` or ``(False, None)``."""
    column = work.table.column(col)
    if work.schema is not None:
        atoms = [rewrite_atom(a, work.schema) or a for a in atoms]
    spec = _narrowed_spec(work, col, atoms)
    if spec is None:
        return False, None
    patterns = column_patterns(work.table, column)
    extra = tuple(p for a in atoms if (p := atom_pattern(work.table, column, a)) is not None)
    patterns = patterns + tuple(p for p in extra if p not in patterns)
    rng = work.rng(col, salt)
    for _ in range(DRAWS):
        try:
            value = generate_values(spec, 1, rng)[0]
        except GenerationError:
            return False, None
        if value is not None and patterns and not (isinstance(value, str) and all(p.matches(value) for p in patterns)):
            value = matching_value(spec, patterns, rng)
            if value is None:
                continue
        trial = {**row, col: value}
        if all(evaluate(a, trial, functions=work.functions) is not False for a in atoms):
            return True, value
    return False, None
