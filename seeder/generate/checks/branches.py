"""Choose how to repair one row that fails a CHECK spanning several columns.

A CHECK such as ``(parent IS NULL AND level = 0) OR (parent IS NOT NULL AND level >= 1)`` cannot become a value spec
for one column: which branch applies depends on values the engine fixed earlier (keys, foreign keys). This module
reads the CHECK as a disjunction of branches (disjunctive normal form of the normalised predicate, with
``(A) = (B)`` / ``(A) <> (B)`` between predicates expanded as equivalence / exclusive or) and, for one row, plans
each branch against the row's fixed values:

* an atom about fixed columns only is evaluated: FALSE kills the branch;
* an atom about one changeable column (fixed columns substituted by their values) becomes a fact that column's
  new value must satisfy; a nullable foreign-key column can only be set to NULL, or filled from a parent row;
* an atom comparing two changeable columns becomes a relation to repair (``sort_name = name``);
* anything else marks its free columns for a plain redraw (verified afterwards).

The engine applies the cheapest feasible plan (fewest changed columns, ties broken at random) and verifies the row;
a branch whose facts contradict each other is discovered when the column's spec is derived and the next one is tried.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlglot import exp

from seeder.generate.checks.evaluate import Functions, evaluate
from seeder.generate.checks.forms import COMPARISONS, conjuncts, disjuncts, normalise, referenced_columns, strip
from seeder.generate.checks.relations import conjunct_relations
from seeder.generate.memo import identity_cache
from seeder.schema import Check, Table

#: Above this many branches a CHECK is not expanded (its columns are redrawn and the row verified instead).
MAX_BRANCHES = 64

_PREDICATES = (exp.Is, exp.Like, exp.ILike, exp.In, exp.Between, exp.Not, exp.And, exp.Or, exp.RegexpLike,
               exp.RegexpILike, exp.SimilarTo, *COMPARISONS)


@dataclass(frozen=True)
class Freedom:
    """What the repair of one row may change.

    ``free``: content columns, which may take any value their spec allows. ``nullable``: columns that may only be
    set to NULL or filled with a parent's key (nullable foreign-key columns); every other column is fixed.
    """

    free: frozenset[str]
    nullable: frozenset[str] = frozenset()


@dataclass
class BranchPlan:
    """The changes one branch needs on one row.

    Attributes:
        redraw: free columns to redraw, each with the atoms (single-column predicates) its new value must satisfy.
        nulls: columns to set to NULL.
        fills: nullable foreign-key columns that must become non-NULL (filled from a parent row).
        relations: ``(left, op, right)`` comparisons between changeable columns, repaired after the redraws.
        cost: the number of columns the plan touches.
    """

    redraw: dict[str, list[exp.Expression]] = field(default_factory=dict)
    nulls: list[str] = field(default_factory=list)
    fills: list[str] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def cost(self) -> int:
        return len(self.redraw) + len(self.nulls) + 2 * len(self.fills)


# --------------------------------------------------------------------------------------------------------------------
# Disjunctive normal form


def _is_predicate(node: exp.Expression) -> bool:
    return isinstance(strip(node), _PREDICATES)


def _expand_boolean_comparison(node: exp.Expression) -> exp.Expression | None:
    """``(A) = (B)`` as ``(A AND B) OR (NOT A AND NOT B)``; ``(A) <> (B)`` as ``(A AND NOT B) OR (NOT A AND B)``."""
    if not isinstance(node, (exp.EQ, exp.NEQ)) or not (_is_predicate(node.this) and _is_predicate(node.expression)):
        return None
    a, b = strip(node.this), strip(node.expression)
    not_a, not_b = normalise(a, negate=True), normalise(b, negate=True)
    a, b = normalise(a), normalise(b)
    if isinstance(node, exp.EQ):
        return exp.Or(this=exp.And(this=a, expression=b), expression=exp.And(this=not_a, expression=not_b))
    return exp.Or(this=exp.And(this=a, expression=not_b), expression=exp.And(this=not_a, expression=b))


def _dnf(node: exp.Expression) -> list[list[exp.Expression]] | None:
    node = strip(node)
    if isinstance(node, exp.And):
        out: list[list[exp.Expression]] = [[]]
        for part in conjuncts(node):
            sub = _dnf(part)
            if sub is None:
                return None
            out = [a + b for a in out for b in sub]
            if len(out) > MAX_BRANCHES:
                return None
        return out
    if isinstance(node, exp.Or):
        alts: list[list[exp.Expression]] = []
        for part in disjuncts(node):
            sub = _dnf(part)
            if sub is None:
                return None
            alts.extend(sub)
            if len(alts) > MAX_BRANCHES:
                return None
        return alts
    expanded = _expand_boolean_comparison(node)
    if expanded is not None:
        return _dnf(expanded)
    return [[node]]


@identity_cache(4096)
def branches(check: Check) -> list[list[exp.Expression]] | None:
    """The CHECK as alternatives of conjoined atoms (DNF), or ``None`` when it has more than :data:`MAX_BRANCHES`.

    Cached per CHECK object (rows of one table ask for the same CHECK many times).
    """
    return _dnf(normalise(check.expression))


# --------------------------------------------------------------------------------------------------------------------
# Substituting fixed values


def literal(value: Any) -> exp.Expression | None:
    """A SQL literal for a Python value (``None`` when the value has no simple literal form)."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, Decimal)):
        return exp.Literal.number(str(value))
    if isinstance(value, float):
        return exp.Literal.number(repr(value))
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, dt.datetime):
        kind = "timestamptz" if value.tzinfo is not None else "timestamp"
        return exp.Cast(this=exp.Literal.string(value.isoformat(sep=" ")), to=exp.DataType.build(kind))
    if isinstance(value, dt.date):
        return exp.Cast(this=exp.Literal.string(value.isoformat()), to=exp.DataType.build("date"))
    if isinstance(value, uuid.UUID):
        return exp.Cast(this=exp.Literal.string(str(value)), to=exp.DataType.build("uuid"))
    return None


def substitute(atom: exp.Expression, row: Mapping[str, Any], columns: set[str]) -> exp.Expression | None:
    """``atom`` with the named columns replaced by literals of their values in ``row`` (``None`` if one cannot)."""
    failed = False

    def swap(node: exp.Expression) -> exp.Expression:
        nonlocal failed
        if isinstance(node, exp.Column) and node.name in columns:
            lit = literal(row.get(node.name))
            if lit is None:
                failed = True
                return node
            return lit
        return node

    out = atom.copy().transform(swap)
    return None if failed else out


# --------------------------------------------------------------------------------------------------------------------
# Planning


def _columns(table: Table, atom: exp.Expression) -> list[str] | None:
    cols = referenced_columns(table, atom)
    return None if cols is None else [c.name for c in cols]


def plan_branch(table: Table, branch: list[exp.Expression], row: Mapping[str, Any], freedom: Freedom, *,
                functions: Functions | None = None) -> BranchPlan | None:
    """What ``row`` must change for every atom of ``branch`` to hold; ``None`` when its fixed values rule it out."""
    per_column: dict[str, list[exp.Expression]] = {}
    plan = BranchPlan()
    loose: set[str] = set()
    movable_all = freedom.free | freedom.nullable
    for atom in branch:
        cols = _columns(table, atom)
        if cols is None:
            continue  # names a column the table lacks: the evaluator cannot decide it either
        movable = [c for c in cols if c in movable_all]
        if not movable:
            if evaluate(atom, row, functions=functions) is False:
                return None
            continue
        if len(movable) == 1:
            col = movable[0]
            fixed = set(cols) - {col}
            single = substitute(atom, row, fixed) if fixed else atom
            if single is None:
                loose.add(col)
            else:
                per_column.setdefault(col, []).append(single)
            continue
        free_here = [c for c in movable if c in freedom.free]
        if not free_here:
            # only nullable keys: NULL in one of them makes a comparison NULL, which a CHECK lets pass
            clear = next((c for c in movable if evaluate(atom, {**row, c: None}, functions=functions) is not False),
                         None)
            if clear is None:
                return None
            if evaluate(atom, row, functions=functions) is False:
                plan.nulls.append(clear)
            continue
        relations = conjunct_relations(table, atom)
        if relations:
            plan.relations.extend(relations)
        loose.update(free_here)
    for col, atoms in per_column.items():
        current = {**row}
        if all(evaluate(a, current, functions=functions) is not False for a in atoms):
            continue
        if col in freedom.free:
            plan.redraw[col] = atoms
            continue
        cleared = {**row, col: None}
        if all(evaluate(a, cleared, functions=functions) is not False for a in atoms):
            plan.nulls.append(col)
        elif row.get(col) is None:
            plan.fills.append(col)
        else:
            return None
    for col in sorted(loose):
        if col not in plan.redraw and not any(col in (left, right) for left, _, right in plan.relations):
            plan.redraw[col] = []
    return plan


def plans_for(table: Table, check: Check, row: Mapping[str, Any], freedom: Freedom, *,
              functions: Functions | None = None) -> list[BranchPlan] | None:
    """Feasible plans for ``row`` to pass ``check``, cheapest first (stable: in branch order among equals).

    ``None`` when the CHECK is too large to expand (the caller redraws the CHECK's free columns instead).
    """
    alternatives = branches(check)
    if alternatives is None:
        return None
    plans = [p for p in (plan_branch(table, b, row, freedom, functions=functions) for b in alternatives)
             if p is not None]
    plans.sort(key=lambda p: p.cost)
    return plans
