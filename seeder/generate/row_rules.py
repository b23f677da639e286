"""The plan's row-level rules applied to generated rows (see :mod:`seeder.plan.rules`).

Two calls, one per engine stage:

* :func:`shape_spec` when a column's :class:`~seeder.generate.spec.ValueSpec` is made: a
  :class:`~seeder.plan.rules.Vocabulary` sets the column's kind (film titles, shop categories, codes), a
  :class:`~seeder.plan.rules.Magnitude` where its numbers lie, a :class:`~seeder.plan.rules.NullRate` its NULL share;
* :func:`apply_row_rules` after the content is filled and before the CHECK repair, on a dict column -> values for the
  rows ``start .. start+n-1``: pins (``--set``, ``[columns]`` config), linked records, status timelines, within-row
  time order with plausible lags, and same-row expressions, in that order.

Randomness comes from the engine's per-column generators (``rng_for(salt)``), and everything that must be unique is
a function of the global row index, so the result does not depend on how rows are chunked. The CHECK repair runs
afterwards: a rule never leaves a row failing a CHECK (the CHECK wins).
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

import numpy as np
import sqlglot
from sqlglot import exp

from seeder.generate.checks.evaluate import evaluate_value
from seeder.generate.checks.sql_values import UnsupportedExpression
from seeder.generate.linked_records import apply_linked
from seeder.generate.spec import ValueSpec
from seeder.plan.rules import (
    Lag,
    Linked,
    Magnitude,
    NullRate,
    Pin,
    RowExpression,
    Rule,
    StatusTimeline,
    TimeOrder,
    Vocabulary,
)
from seeder.schema import Column, Table
from seeder.types import CHARACTER_KINDS, DECIMAL_KINDS, FLOAT_KINDS, INTEGER_KINDS

#: ``rng_for(salt)``: the engine's deterministic generator of this table for a rule (salted by the rule).
RngFor = Callable[[str], np.random.Generator]
#: ``parent_values(fk columns, ref table name, parent column)``: the parent's column value per row, or ``None``.
ParentValues = Callable[[str, str], list[Any] | None]


def shape_spec(spec: ValueSpec, rules: Sequence[Rule]) -> ValueSpec:
    """``spec`` with the value rules of its column applied (``rules``: the rules of the column's table)."""
    changes: dict[str, Any] = {}
    for rule in rules:
        if spec.column.name not in rule.columns:
            continue
        if isinstance(rule, Vocabulary):
            changes["semantic"] = rule.domain
        elif isinstance(rule, Magnitude):
            changes["magnitude"] = (rule.low, rule.high, rule.distribution)
        elif isinstance(rule, NullRate) and spec.column.nullable and spec.null_fraction > 0:
            changes["null_fraction"] = rule.rate
    return replace(spec, **changes) if changes else spec


def apply_row_rules(table: Table, values: dict[str, list[Any]], rules: Sequence[Rule], rng_for: RngFor, *,
                    start: int = 0, keep: set[str] | None = None,
                    parent_values: ParentValues | None = None) -> list[str]:
    """Apply the row-level ``rules`` of ``table`` to ``values`` in place.

    Args:
        table: the table.
        values: column -> list of values, one per row (rows ``start .. start+n-1``).
        rules: the plan's rules of this table (others and cross-table ones are ignored).
        rng_for: a deterministic generator per salt (the engine's per-column streams).
        start: global index of the first row (unique values derived from row numbers use it).
        keep: columns rules must not change (keys and FKs the skeleton decided); pins may not either.
        parent_values: looks up a parent's column for every row (``"product", "price"``), for pin expressions.

    Returns:
        Notes about rules that could not be applied (a pin on a key column, an expression seeder cannot evaluate).
    """
    keep = set(keep or ())
    notes: list[str] = []
    mine = [r for r in rules if r.table == table.name and r.row_level]
    pins = [r for r in mine if isinstance(r, Pin)]
    pinned: set[str] = set()
    for pin in pins:
        if pin.expression:
            continue
        if pin.column in keep or pin.column not in values:
            notes.append(f"{table.name}.{pin.column}: pinned, but it is a key or FK column decided by construction; "
                         f"the pin is ignored")
            continue
        values[pin.column] = _pin_values(table.column(pin.column), pin, len(values[pin.column]),
                                         rng_for(f"#pin:{pin.column}"))
        pinned.add(pin.column)
    frozen = keep | pinned
    for rule in mine:
        if isinstance(rule, Linked):
            apply_linked(table, rule, values, rng_for, frozen, start)
    for rule in mine:
        if isinstance(rule, StatusTimeline):
            _status(table, rule, values, rng_for(f"#status:{rule.status}"), keep)
    for rule in _time_order(mine):
        _order(table, rule, values, rng_for(f"#time:{rule.later}"), frozen)
    for rule in mine:
        if isinstance(rule, RowExpression) and rule.column not in frozen:
            notes.extend(_expression(table, rule.column, rule.expression, values, rng_for, None))
    for pin in pins:
        if pin.expression and pin.column not in keep:
            notes.extend(_expression(table, pin.column, pin.expression, values, rng_for, parent_values))
    return notes


# -------------------------------------------------------------------------------------------------------- pins


def coerce(value: Any, column: Column) -> Any:
    """A config value (TOML/JSON) as the column's Python value (``"2024-01-01"`` -> a date, ``9.5`` -> Decimal)."""
    kind = column.type.kind
    if value is None:
        return None
    try:
        if kind in DECIMAL_KINDS or kind == "money":
            return Decimal(str(value))
        if kind in INTEGER_KINDS:
            return int(value)
        if kind in FLOAT_KINDS:
            return float(value)
        if kind == "boolean":
            return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "t", "yes", "y")
        if kind == "date" and isinstance(value, str):
            return dt.date.fromisoformat(value)
        if kind in ("timestamp", "timestamptz") and isinstance(value, str):
            return dt.datetime.fromisoformat(value)
        if kind in CHARACTER_KINDS or kind == "enum":
            return str(value)
    except (ValueError, ArithmeticError):
        return value
    return value


def _pin_values(column: Column, pin: Pin, n: int, rng: np.random.Generator) -> list[Any]:
    if pin.choices:
        weights = np.array(pin.weights if pin.weights else [1.0] * len(pin.choices), dtype=float)
        picks = rng.choice(len(pin.choices), size=n, p=weights / weights.sum())
        return [coerce(pin.choices[i], column) for i in picks.tolist()]
    if pin.faker:
        pool = faker_pool(pin.faker)
        return [coerce(pool[i], column) for i in rng.integers(0, len(pool), n).tolist()]
    return [coerce(pin.value, column)] * n


@cache
def faker_pool(provider: str, size: int = 500) -> tuple[Any, ...]:
    """``size`` values of Faker provider ``provider`` (``catch_phrase``, ``city``), seeded by its name.

    Raises:
        ValueError: Faker has no such provider (the config reader checks names first).
    """
    from faker import Faker

    fake = Faker("en_US")
    produce = getattr(fake, provider, None)
    if produce is None or not callable(produce) or provider.startswith("_"):
        raise ValueError(f"Faker has no provider {provider!r}")
    fake.seed_instance(zlib.crc32(f"pin:{provider}".encode()))
    return tuple(produce() for _ in range(size))


# -------------------------------------------------------------------------------------------------------- time


def lag_seconds(lag: Lag, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` lags in seconds, drawn from the lag's distribution within ``[low, high]``."""
    low, high = lag.seconds()
    if high <= low:
        return np.full(n, low)
    if lag.distribution in ("lognormal", "loguniform") and low >= 0:
        base = max(low, (high - low) / 50, 1.0)
        if lag.distribution == "loguniform":
            draws = np.exp(rng.uniform(np.log(base), np.log(max(high, base + 1)), n))
        else:  # lognormal: median about a fifth of the way, long tail, cut at high
            mu = np.log(base + (high - base) / 5)
            draws = rng.lognormal(mu, 0.6, n)
        return np.clip(draws, low, high)
    return rng.uniform(low, high, n)


def _shift(value: Any, seconds: float, sign: int) -> Any:
    try:
        if isinstance(value, dt.datetime):
            return value + sign * dt.timedelta(seconds=int(seconds))
        if isinstance(value, dt.date):
            return value + sign * dt.timedelta(days=max(int(seconds // 86400), 1 if seconds > 0 else 0))
    except OverflowError:
        return None
    return None


def _time_order(rules: Sequence[Rule]) -> list[TimeOrder]:
    """Time orders sorted so a column is computed before the pairs that start from it (chains)."""
    orders = [r for r in rules if isinstance(r, TimeOrder)]
    out: list[TimeOrder] = []
    done: set[str] = set()
    pending = list(orders)
    while pending:
        ready = [r for r in pending if not any(o.later == r.earlier and o is not r for o in pending)]
        if not ready:
            ready = pending[:1]
        for r in ready:
            pending.remove(r)
            out.append(r)
            done.add(r.later)
    return out


def _order(table: Table, rule: TimeOrder, values: dict[str, list[Any]], rng: np.random.Generator,
           frozen: set[str]) -> None:
    """``later`` = ``earlier`` + lag on every row where both are set (or, for years-long lags such as birth and
    hire, ``earlier`` = ``later`` - lag: the hire date stays in its window, the birth date follows)."""
    if rule.earlier not in values or rule.later not in values:
        return
    move_earlier = rule.lag.unit == "years" and rule.earlier not in frozen
    target = rule.earlier if move_earlier else rule.later
    if target in frozen:
        return
    earlier, later = values[rule.earlier], values[rule.later]
    lags = lag_seconds(rule.lag, len(earlier), rng)
    out = list(values[target])
    for i, (a, b) in enumerate(zip(earlier, later, strict=True)):
        if a is None or b is None:
            continue
        moved = _shift(b, lags[i], -1) if move_earlier else _shift(a, lags[i], 1)
        if moved is not None and type(moved) is type(out[i]):
            out[i] = moved
    values[target] = out


def _status(table: Table, rule: StatusTimeline, values: dict[str, list[Any]], rng: np.random.Generator,
            keep: set[str]) -> None:
    """Timestamps follow the status: those of states reached are set, in order, a lag apart; later ones NULL."""
    if rule.status not in values:
        return
    states = list(rule.states)
    stamps = [(s, c) for s, c in rule.stamps if c in values and c not in keep]
    if not stamps:
        return
    first_col = rule.stamps[0][1]
    n = len(values[rule.status])
    lags = [lag_seconds(rule.lag, n, rng) for _ in stamps]
    columns = {c: list(values[c]) for _, c in stamps}
    for i, status in enumerate(values[rule.status]):
        if status is None:
            continue
        dead = status in rule.dead_states
        reached = -1 if dead else states.index(status) if status in states else len(states)
        base = values[first_col][i] if first_col in values else None
        prev = base
        for k, (state, col) in enumerate(stamps):
            if col == first_col:
                prev = columns[col][i]
                continue
            column = table.column(col)
            position = states.index(state) if state in states else None
            if dead and state == status and prev is not None:
                columns[col][i] = _shift(prev, lags[k][i], 1)
            elif position is not None and position <= reached and prev is not None:
                columns[col][i] = _shift(prev, lags[k][i], 1)
                prev = columns[col][i]
            elif column.nullable:
                columns[col][i] = None
    for col, new in columns.items():
        values[col] = new


# ------------------------------------------------------------------------------------------------- expressions


@cache
def _parse(expression: str) -> exp.Expression:
    return sqlglot.parse_one(expression)


def row_expression(table: Table, column: str, expression: str, values: dict[str, list[Any]],
                   rng_for: RngFor) -> list[str]:
    """``column`` = ``expression`` over the same row's ``values``, in place (as the row rules compute it; used again
    when an aggregate's update changes one of its inputs). Returns notes about an expression seeder cannot
    evaluate."""
    return _expression(table, column, expression, values, rng_for, None)


def _expression(table: Table, column: str, expression: str, values: dict[str, list[Any]], rng_for: RngFor,
                parent_values: ParentValues | None) -> list[str]:
    """``column`` = ``expression`` per row (``random_between(a, b)`` draws per row; ``parent.column`` reads the FK
    parent's value through ``parent_values``). Rows where a referenced value is NULL keep theirs."""
    if column not in values:
        return []
    try:
        tree = _parse(expression)
    except sqlglot.errors.ParseError as err:
        return [f"{table.name}.{column}: expression {expression!r} is not SQL: {err}"]
    qualified: dict[str, list[Any]] = {}
    for node in tree.find_all(exp.Column):
        if node.table:
            got = parent_values(node.table, node.name) if parent_values else None
            if got is None:
                return [f"{table.name}.{column}: {node.table}.{node.name} is not a parent column of "
                        f"{table.name}; expression {expression!r} ignored"]
            qualified[f"{node.table}.{node.name}"] = got
    if qualified:
        tree = tree.transform(lambda node: exp.column(f"{node.table}.{node.name}", quoted=True)
                              if isinstance(node, exp.Column) and node.table else node)
    rng = rng_for(f"#expr:{column}")
    n = len(values[column])
    draws = rng.random(n)
    target = table.column(column)
    out = list(values[column])
    for i in range(n):
        row: dict[str, Any] = {c: v[i] for c, v in values.items()}
        row.update({k: v[i] for k, v in qualified.items()})
        u = float(draws[i])
        functions: Mapping[str, Callable[..., Any]] = {
            "random_between": lambda a, b, u=u: Decimal(str(a)) + (Decimal(str(b)) - Decimal(str(a))) * Decimal(u)}
        try:
            result = evaluate_value(tree, row, functions=functions)
        except UnsupportedExpression as err:
            return [f"{table.name}.{column}: cannot evaluate {expression!r} ({err}); left as generated"]
        if result is not None:
            out[i] = _as_column(result, target)
    values[column] = out
    return []


def _as_column(value: Any, column: Column) -> Any:
    kind = column.type.kind
    if kind in DECIMAL_KINDS or kind == "money":
        scale = column.type.scale if column.type.scale is not None else 2
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
    if kind in INTEGER_KINDS and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return int(Decimal(str(value)).to_integral_value(rounding=ROUND_HALF_UP))
    if kind in FLOAT_KINDS and isinstance(value, (int, float, Decimal)):
        return round(float(value), 4)
    return coerce(value, column)
