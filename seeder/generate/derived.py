"""Values that follow a parent row: copies (:class:`~seeder.plan.rules.Copy`), times after the parent's
(:class:`~seeder.plan.rules.AfterParent`) and history periods per parent (:class:`~seeder.plan.rules.Periods`).

:func:`apply_derived` runs on a table's rows once its content is filled and before the row-level rules (so a
same-row expression such as ``line_total = quantity * unit_price`` sees the copied price, and a shipping date
follows the moved order date); the CHECK repair and the unique verification run afterwards and keep the last word.
Parents are read through :meth:`GenerationContext.parent_column` (engine design, section 1); randomness comes from
the table's streams, drawn for the rows given (``start`` is the global index of the first one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from seeder.generate.fk_paths import key_tuples, row_index
from seeder.generate.partitions import partition_ranges
from seeder.generate.row_rules import coerce, lag_seconds
from seeder.plan.rules import AfterParent, Copy, Lag, Periods, Pin, RowExpression, Rule
from seeder.schema import Column, Table, TableName
from seeder.types import DECIMAL_KINDS, value_problem

if TYPE_CHECKING:
    from seeder.generate.context import GenerationContext

#: Length of one closed history period (a salary, a title, a price that held).
PERIOD_LENGTH = Lag(90, 1500, "days", "lognormal")


def apply_derived(ctx: GenerationContext, table: Table, values: dict[str, list[Any]], fixed: set[str],
                  rules: tuple[Rule, ...], start: int = 0) -> set[str]:
    """Apply the copy, after-parent and period rules of ``table`` to ``values`` in place.

    Args:
        ctx: the run (parents, random streams, notes).
        table: the table.
        values: column -> values of rows ``start ..`` (keys and FKs already final).
        fixed: columns decided by construction (keys, FKs, partition keys): never changed, except a unique
            temporal column a period or time rule moves (the unique verification re-checks those).
        rules: the plan's rules of ``table``.
        start: global index of the first row.

    Returns:
        The columns whose values the rules decided, which the row-level rules must keep (history periods). Copies
        are not among them: the row rules may redo a linked address, and :func:`apply_copies` runs again after
        them, so the rows that copy hold their parent's values and the others a coherent address of their own.
    """
    pinned = _overridden(rules)
    movable = _movable(table, fixed)
    decided: set[str] = set()
    apply_copies(ctx, table, values, fixed, rules, start)
    ranges = partition_ranges(table)
    for rule in rules:
        if isinstance(rule, AfterParent) and rule.column in values and rule.column not in pinned:
            if rule.column in movable:
                _after(ctx, table, rule, values, start)
            elif ranges and ranges[0] == rule.column:  # a partition key: it may move into another partition
                _after(ctx, table, rule, values, start, bounds=ranges[1])
    for rule in rules:
        if isinstance(rule, Periods) and {rule.start, rule.end} <= set(values) and \
                {rule.start, rule.end} <= movable - pinned and all(c in values for c in rule.fk):
            _periods(ctx, table, rule, values, start)
            decided.update((rule.start, rule.end))
    return decided


def _overridden(rules: tuple[Rule, ...]) -> set[str]:
    """Columns a pin or a same-row expression decides (from the config: the inference never adds one to a copied
    column): they win over a copy or a time rule."""
    return {r.column for r in rules if isinstance(r, (Pin, RowExpression))}


def apply_copies(ctx: GenerationContext, table: Table, values: dict[str, list[Any]], fixed: set[str],
                 rules: tuple[Rule, ...], start: int = 0) -> None:
    """Apply the :class:`Copy` rules of ``table`` to ``values`` in place (the same rows copy every time: the draws
    are the FK's, by global row index)."""
    pinned = _overridden(rules)
    rows_by_fk: dict[tuple[str, ...], list[int | None] | None] = {}
    for rule in rules:
        if isinstance(rule, Copy) and rule.column in values and rule.column not in fixed | pinned:
            _copy(ctx, table, rule, values, start, rows_by_fk)


def _movable(table: Table, fixed: set[str]) -> set[str]:
    """Columns a time rule may move: content columns, and unique (not key, FK or partition) temporal ones."""
    fk_cols = {c for fk in table.foreign_keys for c in fk.columns}
    out = set()
    for col in table.columns:
        if col.name not in fixed:
            out.add(col.name)
        elif col.name not in fk_cols and _temporal(col):
            out.add(col.name)  # a unique or key date: periods keep it distinct per parent, uniques re-check it
    ranges = partition_ranges(table)
    if ranges:
        out.discard(ranges[0])  # rows must stay in their partition
    return out


def _temporal(col: Column) -> bool:
    return col.type.kind in ("date", "timestamp", "timestamptz")


def _copy(ctx: GenerationContext, table: Table, rule: Copy, values: dict[str, list[Any]], start: int,
          rows_by_fk: dict[tuple[str, ...], list[int | None] | None]) -> None:
    if rule.fk not in rows_by_fk:
        rows_by_fk[rule.fk] = _parent_rows(ctx, table, values, rule.fk, rule.ref_table)
    rows = rows_by_fk[rule.fk]
    if rows is None:
        return
    try:
        source = ctx.parent_column(rule.ref_table, rule.parent_column)
    except KeyError:
        return
    column = table.column(rule.column)
    n = len(values[rule.column])
    # one stream per FK: the rows that copy their parent's billing street also copy its city and country
    draws = ctx.rng(table.name, "|".join(rule.fk), "#copy").random(start + n)[start:]
    out = list(values[rule.column])
    fitted: dict[int, Any] = {}  # parent row -> its value as this column's (None: it does not fit)
    for i, (u, p) in enumerate(zip(draws.tolist(), rows, strict=True)):
        if p is None or u >= rule.equal_share:
            continue
        if p not in fitted:
            value = source[p]
            value = None if value is None else _as_type(value, column)
            fitted[p] = value if value is not None and \
                value_problem(value, column.type, ctx.schema.dialect) is None else None
        if fitted[p] is not None:
            out[i] = fitted[p]
    values[rule.column] = out


def _parent_rows(ctx: GenerationContext, table: Table, values: dict[str, list[Any]], fk: tuple[str, ...],
                 ref_table: TableName) -> list[int | None] | None:
    """The generated parent row each row points at through ``fk`` (``None`` where NULL or not generated); ``None``
    when the FK or its parent is not there."""
    found = next((f for f in table.foreign_keys if f.columns == fk and f.ref_table == ref_table), None)
    if found is None or not ctx.has_rows_of(ref_table) or not all(c in values for c in fk):
        return None
    try:
        index = row_index(ctx, ref_table, found.ref_columns)
    except KeyError:
        return None
    return [None if k is None else index.get(k) for k in key_tuples([values[c] for c in fk])]


def _parent_of_table(ctx: GenerationContext, table: Table, values: dict[str, list[Any]], fk: tuple[str, ...],
                     ref_table: TableName, column: str) -> list[Any] | None:
    rows = _parent_rows(ctx, table, values, fk, ref_table)
    if rows is None:
        return None
    try:
        source = ctx.parent_column(ref_table, column)
    except KeyError:
        return None
    return [None if i is None else source[i] for i in rows]


def _as_type(value: Any, column: Column) -> Any:
    """A parent's value as a value of ``column`` (a price copied into a column of another scale, a date into a
    timestamp)."""
    kind = column.type.kind
    if kind in DECIMAL_KINDS and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        scale = column.type.scale if column.type.scale is not None else 2
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-scale))
    if _temporal(column):
        return _as_moment(value, column)
    return coerce(value, column)


def _as_moment(value: Any, column: Column) -> Any:
    kind = column.type.kind
    if isinstance(value, dt.datetime):
        if kind == "date":
            return value.date()
        if kind == "timestamptz" and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        if kind == "timestamp" and value.tzinfo is not None:
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        if kind == "date":
            return value
        moment = dt.datetime.combine(value, dt.time())
        return moment.replace(tzinfo=dt.UTC) if kind == "timestamptz" else moment
    return None


def _plus(moment: Any, seconds: float) -> Any:
    try:
        if isinstance(moment, dt.datetime):
            return moment + dt.timedelta(seconds=int(seconds))
        if isinstance(moment, dt.date):
            return moment + dt.timedelta(days=max(int(seconds // 86400), 0))
    except OverflowError:
        return None
    return None


def _in_partition(value: Any, bounds: list[dict[str, Any]] | None) -> Any:
    """``value``, or the start of the first partition after it, if that lies in a partition of ``bounds`` (range
    bounds, upper exclusive); ``None`` when no partition holds it (``bounds`` ``None``: no partitions)."""
    if bounds is None:
        return value
    try:
        for bound in sorted((b for b in bounds if "choices" not in b),
                            key=lambda b: (b.get("lower") is not None, b.get("lower") or 0)):
            low, high = bound.get("lower"), bound.get("upper")
            moved = value if low is None or value >= low else low
            if high is None or moved < high:
                return moved
    except TypeError:  # a bound of another type than the value: leave the row alone
        return None
    return None


def _after(ctx: GenerationContext, table: Table, rule: AfterParent, values: dict[str, list[Any]],
           start: int, bounds: list[dict[str, Any]] | None = None) -> None:
    """Rows whose ``column`` comes before the parent's moment (plus the lag's low end) move to the parent's moment
    plus a lag; the others keep their own value. With partition ``bounds`` (the column is the partition key) a row
    moves only into a partition (to its start if the moment falls between partitions)."""
    parent = _parent_of_table(ctx, table, values, rule.fk, rule.ref_table, rule.parent_column)
    if parent is None:
        return
    column = table.column(rule.column)
    n = len(values[rule.column])
    lags = lag_seconds(rule.lag, start + n, ctx.rng(table.name, rule.column, "#after"))[start:]
    low = dt.timedelta(seconds=rule.lag.seconds()[0])
    out = list(values[rule.column])
    for i, (own, theirs) in enumerate(zip(out, parent, strict=True)):
        base = _as_moment(theirs, column) if theirs is not None else None
        if own is None or base is None:
            continue
        if own < base + low if isinstance(own, dt.datetime) else own < _plus(base, low.total_seconds()):
            moved = _in_partition(_plus(base, float(lags[i])), bounds)
            if moved is not None:
                out[i] = moved
    values[rule.column] = out


def _periods(ctx: GenerationContext, table: Table, rule: Periods, values: dict[str, list[Any]],
             start: int) -> None:
    """Lay each parent's rows out as consecutive periods: the earliest start stays, each period lasts
    :data:`PERIOD_LENGTH` and the next one starts where it ends; the last one is open (``end`` NULL or the
    sentinel) in ``open_share`` of the parents, else closed."""
    s_col, e_col = table.column(rule.start), table.column(rule.end)
    n = len(values[rule.start])
    keys = key_tuples([values[c] for c in rule.fk])
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, k in enumerate(keys):
        if k is not None and values[rule.start][i] is not None:
            groups.setdefault(k, []).append(i)
    rng = ctx.rng(table.name, rule.start, "#periods")
    lengths = lag_seconds(PERIOD_LENGTH, start + n, rng)[start:]
    open_draws = ctx.rng(table.name, rule.end, "#open").random(start + n)[start:]
    sentinel = _sentinel(rule.open_value, e_col)
    can_open = e_col.nullable or sentinel is not None
    starts, ends = list(values[rule.start]), list(values[rule.end])
    as_start: Callable[[Any], Any] = lambda v: _as_moment(v, s_col)  # noqa: E731
    as_end: Callable[[Any], Any] = lambda v: _as_moment(v, e_col)  # noqa: E731
    for rows in groups.values():
        rows.sort(key=lambda i: (starts[i], i))
        moment = starts[rows[0]]
        for k, i in enumerate(rows):
            starts[i] = as_start(moment)
            last = k == len(rows) - 1
            if last and can_open and open_draws[rows[0]] < rule.open_share:
                ends[i] = None if e_col.nullable and sentinel is None else sentinel
                break
            after = _plus(moment, max(float(lengths[i]), 86400.0))
            if after is None:
                break
            ends[i] = as_end(after)
            moment = after
    values[rule.start], values[rule.end] = starts, ends


def _sentinel(text: str | None, column: Column) -> Any:
    if text is None:
        return None
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
    return _as_moment(day, column)

