"""Exclusion constraints as uniqueness over ranges: rows equal on the key get non-overlapping ranges by construction.

``EXCLUDE USING gist (mission_id WITH =, daterange(effective_from::date, COALESCE(effective_to::date,
'infinity'), '[)') WITH &&)`` (Neosync's history tables) forbids two rows of one mission whose periods overlap. After
a table's values are final, each group of rows sharing the key (no NULL in it: NULL never equals) gets consecutive
periods: the group's earliest start, then each row's period begins where the previous one ended (``[)`` ranges touch
without overlapping; closed ``[]`` / ``(]`` bounds leave one unit between them). Lengths are drawn per row (1 to 90
units: days for dates and timestamps, 1 to 90 for numbers); the last row of a group keeps an open end (NULL) when it
had one. ``daterange`` compares days, so its bounds are moved to midnight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np

from seeder.schema import Exclusion, Table

#: Longest period given to one row, in units (days, or 1 for numbers).
MAX_UNITS = 90


def separate_ranges(table: Table, values: dict[str, list[Any]], n: int,
                    rng: Callable[[str], np.random.Generator]) -> None:
    """Make the ranges of every exclusion constraint of ``table`` disjoint per key, in place over rows ``0..n``.

    ``rng(salt)`` gives the random source for one constraint (salted with its name).
    """
    for exclusion in table.exclusions:
        if exclusion.lower not in values or exclusion.upper not in values or any(
                c not in values for c in exclusion.columns):
            continue
        _separate(exclusion, values, n, rng(f"#exclude:{exclusion.name or exclusion.lower}"),
                  not table.column(exclusion.upper).nullable)


def _separate(ex: Exclusion, values: dict[str, list[Any]], n: int, rng: np.random.Generator,
              upper_required: bool) -> None:
    lower, upper = values[ex.lower], values[ex.upper]
    groups: dict[tuple[Any, ...], list[int]] = {}
    lengths = rng.integers(1, MAX_UNITS, n, endpoint=True).tolist()
    for i in range(n):
        if lower[i] is None:
            continue  # an unbounded lower end: left to the database
        key = tuple(values[c][i] for c in ex.columns)
        if None in key:  # NULL never equals anything: no conflict, but the range must still be well-formed
            if upper[i] is not None and _sortable(upper[i]) < _sortable(lower[i]):
                upper[i] = _like(_plus(lower[i], lengths[i]), upper[i])
            continue
        groups.setdefault(key, []).append(i)
    gap = 0 if ex.bounds in ("[)", "(]") else 1  # half-open ranges may touch; closed ones must not
    for rows in groups.values():
        rows.sort(key=lambda i: (_sortable(lower[i]), i))
        start = _start(lower[rows[0]], ex.function)
        for k, i in enumerate(rows):
            lower[i] = _like(start, lower[i])
            end = _plus(start, lengths[i])
            last = k == len(rows) - 1
            if not (last and upper[i] is None and not upper_required):
                upper[i] = _like(end, upper[i] if upper[i] is not None else lower[i])
            start = _plus(end, gap)


def _sortable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).timestamp() if value.tzinfo is None else value.timestamp()
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day).timestamp()
    return value


def _start(value: Any, function: str) -> Any:
    if function == "daterange" and isinstance(value, dt.datetime):
        return value.replace(hour=0, minute=0, second=0, microsecond=0)
    return value


def _plus(value: Any, units: int) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value + dt.timedelta(days=units)
    if isinstance(value, Decimal):
        return value + Decimal(units)
    return value + units


def _like(value: Any, model: Any) -> Any:
    """``value`` in the Python type of ``model`` (a date bound for a date column, a datetime for a timestamp)."""
    if isinstance(model, dt.datetime) and not isinstance(value, dt.datetime) and isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=model.tzinfo)
    if isinstance(model, dt.date) and not isinstance(model, dt.datetime) and isinstance(value, dt.datetime):
        return value.date()
    return value
