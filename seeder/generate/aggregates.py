"""Parent columns computed over their child rows (:class:`~seeder.plan.rules.Aggregate`), as a pass after the
children exist (engine design, section 4).

Children are generated after their parent, so the parent's rows are final (and, in the streamed engine, written)
before its aggregate is known. An :class:`AggregateAccumulator` adds up each piece of child rows as it is generated
(per parent row, indexed by the parent's row number) and, at the end, gives a :class:`~seeder.dataset.TableUpdate`:
the aggregated column and the same-row expressions over it (``totaldue = subtotal + taxamt + freight``), keyed by
the parent's primary key. SQL scripts and loaders run it as UPDATEs after the inserts; sinks that hold a table
whole apply it first (:meth:`seeder.dataset.Dataset.final_tables`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

import sqlglot
from sqlglot import exp

from seeder.dataset import TableUpdate
from seeder.generate.checks.evaluate import evaluate_value
from seeder.generate.checks.sql_values import UnsupportedExpression
from seeder.generate.checks.verify import failing_checks
from seeder.generate.fk_paths import key_tuples, row_index
from seeder.generate.retained import aggregate_dependents, expression_inputs
from seeder.generate.row_rules import row_expression
from seeder.plan.rules import Aggregate
from seeder.schema import Column, Table
from seeder.types import DECIMAL_KINDS, FLOAT_KINDS, INTEGER_KINDS, value_problem

if TYPE_CHECKING:
    from seeder.generate.context import GenerationContext


@cache
def _parse(expression: str) -> exp.Expression | None:
    try:
        return sqlglot.parse_one(expression)
    except sqlglot.errors.ParseError:
        return None


class AggregateAccumulator:
    """Accumulates one :class:`Aggregate` rule over the pieces of its child table.

    Args:
        ctx: the run; the parent table must be generated before the first :meth:`add`.
        rule: the rule (parent ``rule.table``, child ``rule.child`` through ``rule.child_fk``).
    """

    def __init__(self, ctx: GenerationContext, rule: Aggregate) -> None:
        self.ctx = ctx
        self.rule = rule
        self.parent = ctx.schema.table(rule.table)
        self.fk = next((fk for fk in ctx.schema.table(rule.child).foreign_keys
                        if fk.columns == rule.child_fk and fk.ref_table == rule.table), None)
        self.totals: list[Any] | None = None
        self.counts: list[int] = []
        self.index: dict[tuple[Any, ...], int] = {}
        self.problem: str | None = None

    def _start(self) -> None:
        if self.fk is None:
            cols = ", ".join(self.rule.child_fk)
            self.problem = f"{self.rule.child} has no foreign key ({cols}) to {self.rule.table}"
            return
        if not self.parent.primary_key:
            self.problem = f"{self.rule.table} has no primary key to find its rows again for the update"
            return
        m = self.ctx.parent_row_count(self.rule.table)
        self.index = row_index(self.ctx, self.rule.table, self.fk.ref_columns)
        self.totals = [None] * m
        self.counts = [0] * m

    def add(self, table: Table, values: dict[str, list[Any]]) -> None:
        """Add the child rows ``values`` (column -> values) of ``table`` (the rule's child table)."""
        if self.totals is None and self.problem is None:
            self._start()
        if self.totals is None or self.fk is None or not all(c in values for c in self.fk.columns):
            return
        tree = _parse(self.rule.expression)
        if tree is None:
            self.problem = f"expression {self.rule.expression!r} is not SQL"
            return
        names = sorted(expression_inputs(self.rule.expression))
        if not all(c in values for c in names):
            self.problem = f"{table.name} does not write every column of {self.rule.expression!r}"
            return
        keys = key_tuples([values[c] for c in self.fk.columns])
        function = self.rule.function
        fast = _fast(tree)
        for r, key in enumerate(keys):
            p = self.index.get(key) if key is not None else None
            if p is None:
                continue
            try:
                value = fast([values[c][r] for c in fast.columns]) if fast is not None else _SLOW
                if value is _SLOW:
                    value = evaluate_value(tree, {c: values[c][r] for c in names})
            except UnsupportedExpression as err:
                self.problem = f"cannot evaluate {self.rule.expression!r} ({err})"
                return
            if value is None:
                continue
            value = Decimal(str(value)) if isinstance(value, float) else value
            self.counts[p] += 1
            current = self.totals[p]
            if current is None:
                self.totals[p] = value
            elif function in ("sum", "avg"):
                self.totals[p] = current + value
            elif function == "min":
                self.totals[p] = min(current, value)
            elif function == "max":
                self.totals[p] = max(current, value)

    def update(self) -> TableUpdate | None:
        """The parent rows' new values (every parent row of this run), or ``None`` (with a note) when the rule
        could not be applied."""
        if self.totals is None and self.problem is None:
            self._start()
        if self.problem is not None or self.totals is None:
            self.ctx.notes.append(f"{self.rule.table}.{self.rule.column}: aggregate {self.rule.id} not applied: "
                                  f"{self.problem or 'its tables were not generated'}")
            return None
        rule, parent = self.rule, self.parent
        column = parent.column(rule.column)
        old = self.ctx.parent_column(rule.table, rule.column)
        new: list[Any] = []
        rows = [p for p, count in enumerate(self.counts) if count or rule.function == "count"]
        for p in rows:
            total, count, before = self.totals[p], self.counts[p], old[p]
            if rule.function == "count":
                value: Any = count
            elif rule.function == "avg":
                value = total / count
            else:
                value = total
            value = _as_column(value, column)
            new.append(before if value is None or value_problem(value, column.type, self.ctx.schema.dialect)
                       else value)
        assert parent.primary_key is not None  # checked in _start
        # parents without children keep their own value (a sum of nothing would break a CHECK (total > 0))
        keys = tuple(_pick(self.ctx.parent_column(rule.table, c), rows) for c in parent.primary_key.columns)
        columns = {rule.column: new}
        dependents = aggregate_dependents(self.ctx.plan.rules, rule)
        if dependents:
            inputs = {c for d in dependents for c in expression_inputs(d.expression)} | {d.column for d in dependents}
            values = {c: _pick(self.ctx.parent_column(rule.table, c), rows) for c in sorted(inputs) if c != rule.column}
            values[rule.column] = new
            for d in dependents:
                if d.column in values:
                    self.ctx.notes.extend(row_expression(parent, d.column, d.expression, values,
                                                         lambda salt: self.ctx.rng(rule.table, "", salt)))
                    columns[d.column] = values[d.column]
        keys, columns = self._passing(keys, columns)
        return TableUpdate(table=rule.table, key_columns=parent.primary_key.columns, key_values=keys,
                           set_columns=tuple(columns), set_values=tuple(columns.values()))

    def _passing(self, keys: tuple[list[Any], ...],
                 columns: dict[str, list[Any]]) -> tuple[tuple[list[Any], ...], dict[str, list[Any]]]:
        """Leave out the rows whose new values break a CHECK of the parent (CHECKs keep the last word): they keep
        the values they were inserted with. CHECKs over columns the update does not know pass (SQL's unknown)."""
        assert self.parent.primary_key is not None
        known = dict(zip(self.parent.primary_key.columns, keys, strict=True)) | columns
        names = list(known)
        good = []
        for r in range(len(keys[0]) if keys else 0):
            row = {c: known[c][r] for c in names}
            try:
                ok = not failing_checks(self.parent, row, functions=self.ctx.functions)
            except (UnsupportedExpression, KeyError):
                ok = True
            if ok:
                good.append(r)
        dropped = (len(keys[0]) if keys else 0) - len(good)
        if dropped:
            self.ctx.notes.append(f"{self.rule.table}: {dropped} rows keep their own {self.rule.column}: the "
                                  f"aggregate {self.rule.id} would break a CHECK")
        return tuple(_pick(k, good) for k in keys), {c: _pick(v, good) for c, v in columns.items()}


_SLOW = object()


class _Fast:
    """A column, or the product of two columns (``unit_price * quantity``): evaluated without the SQL evaluator
    (the same result: NULL when an input is NULL)."""

    def __init__(self, columns: tuple[str, ...]) -> None:
        self.columns = columns

    def __call__(self, row: list[Any]) -> Any:
        """The value, or :data:`_SLOW` when an input is not an integer or decimal (the evaluator decides then)."""
        if any(isinstance(v, bool) or not isinstance(v, (int, Decimal)) for v in row):
            return _SLOW
        return row[0] if len(row) == 1 else row[0] * row[1]


def _fast(tree: exp.Expression) -> _Fast | None:
    if isinstance(tree, exp.Column) and not tree.table:
        return _Fast((tree.name,))
    if isinstance(tree, exp.Mul) and all(isinstance(x, exp.Column) and not x.table
                                         for x in (tree.this, tree.expression)):
        return _Fast((tree.this.name, tree.expression.name))
    return None


def _pick(values: Sequence[Any], rows: list[int]) -> list[Any]:
    return [values[i] for i in rows]


def _as_column(value: Any, column: Column) -> Any:
    kind = column.type.kind
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    if kind in DECIMAL_KINDS:
        scale = column.type.scale if column.type.scale is not None else 2
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
    if kind in INTEGER_KINDS:
        return int(Decimal(str(value)).to_integral_value(rounding=ROUND_HALF_UP))
    if kind in FLOAT_KINDS:
        return float(value)
    return None
