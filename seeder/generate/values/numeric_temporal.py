"""Value sources whose values are integers underneath: integers, decimals, floats and the temporal kinds.

Each source maps the column's type range and its CHECK bounds onto an inclusive integer range (decimals in units of
their scale, floats on a decimal grid, dates as ordinals, timestamps as epoch seconds, times as seconds of the day,
intervals as seconds), draws random values inside a plausible window
(:data:`~seeder.generate.values.semantic.NUMERIC_HINTS`, :data:`~seeder.generate.values.semantic.TEMPORAL_HINTS`) and
numbers unique values with :class:`~seeder.generate.values.integer_domain.UniqueSequence`. The type ranges come from
:mod:`seeder.types`. Timestamps, times and intervals have whole seconds: MySQL ``DATETIME``/``TIME`` without
fractional precision round microseconds, which could merge distinct values or cross a bound.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from itertools import repeat
from typing import Any

import numpy as np

from seeder.generate.spec import ValueSpec
from seeder.generate.values.integer_domain import (
    INT64_MAX,
    INT64_MIN,
    IntRange,
    UniqueSequence,
    ceil_div,
    draw,
    preferred_window,
)
from seeder.semantic import DEFAULT_DATE_WINDOW, FLAG_TRUE_PROBABILITY, NUMERIC_HINTS, TEMPORAL_HINTS
from seeder.types import integer_range, value_range

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EPOCH = datetime(1970, 1, 1)
_UTC = timezone.utc
_MIN_SECONDS = int((datetime(1, 1, 1) - _EPOCH).total_seconds())
_MAX_SECONDS = int((datetime(9999, 12, 31, 23, 59, 59) - _EPOCH).total_seconds())
_MAX_INTERVAL_SECONDS = 999_999_999 * 86400 // 1000  # well inside timedelta's and PostgreSQL's ranges


def _int_bound(value: Any, scale: int = 0, *, lower: bool, exclusive: bool) -> int | None:
    """The tightest integer unit bound (units of ``10**-scale``) for a numeric bound value."""
    if value is None:
        return None
    if isinstance(value, bool):
        value = int(value)
    exact = Decimal(value) if isinstance(value, (int, float)) else Decimal(str(value))
    if not exact.is_finite():
        return None
    scaled = exact.scaleb(scale)
    floor = int(scaled.to_integral_value(rounding="ROUND_FLOOR"))
    ceil = int(scaled.to_integral_value(rounding="ROUND_CEILING"))
    if lower:
        return floor + 1 if exclusive else ceil
    return ceil - 1 if exclusive else floor


#: Converts a bound value to integer units: ``(value, lower=..., exclusive=...) -> units``, ``None`` for no bound.
UnitBound = Callable[..., "int | None"]


def _allowed(base: IntRange, spec: ValueSpec, bound: UnitBound, what: str) -> IntRange:
    """``base`` narrowed to the spec's bounds (converted to units by ``bound``); ValueError naming ``what`` (``date``,
    ``value of type numeric(5,2)``, ...) when nothing is left."""
    lo = bound(spec.lower, lower=True, exclusive=spec.lower_exclusive)
    hi = bound(spec.upper, lower=False, exclusive=spec.upper_exclusive)
    out = base.intersect(IntRange(base.lo if lo is None else lo, base.hi if hi is None else hi))
    if out.empty:
        raise ValueError(f"no {what} lies within the bounds ({_bounds_text(spec)})")
    return out


def _bounded(base: IntRange, spec: ValueSpec, scale: int = 0) -> IntRange:
    return _allowed(base, spec, functools.partial(_int_bound, scale=scale), f"value of type {spec.column.type.sql}")


def _bounds_text(spec: ValueSpec) -> str:
    parts = []
    if spec.lower is not None:
        parts.append(f"{'>' if spec.lower_exclusive else '>='} {spec.lower}")
    if spec.upper is not None:
        parts.append(f"{'<' if spec.upper_exclusive else '<='} {spec.upper}")
    return " and ".join(parts) or "none"


def _hint_range(semantic: str | None, scale: int, default: tuple[float, float],
                magnitude: tuple[float, float, str] | None = None) -> tuple[IntRange, bool]:
    """The plausible range in units of ``10**-scale``: the plan's magnitude, else the kind's hint, else
    ``default``; and whether to draw log-uniformly."""
    if magnitude is not None:
        lo, hi, log_scale = magnitude[0], magnitude[1], magnitude[2] in ("loguniform", "lognormal")
    else:
        lo, hi, log_scale = NUMERIC_HINTS.get(semantic or "", (*default, False))
    lo_units = _int_bound(Decimal(str(lo)), scale, lower=True, exclusive=False)
    hi_units = _int_bound(Decimal(str(hi)), scale, lower=False, exclusive=False)
    assert lo_units is not None and hi_units is not None
    return IntRange(lo_units, hi_units), log_scale


class UnitSource:
    """Values that are integers underneath: ``to_python`` converts an int64 array of units to Python values."""

    def __init__(self, allowed: IntRange, window: IntRange, to_python: Callable[[np.ndarray], list[Any]], *,
                 first: IntRange | None = None, scatter: bool = False, log_scale: bool = False,
                 excluded: list[int] | None = None, flag_probability: float | None = None) -> None:
        self.allowed = allowed
        self.window = window
        self.to_python = to_python
        self.log_scale = log_scale
        self.excluded = excluded or []
        self.flag_probability = flag_probability
        self.sequence = UniqueSequence(allowed, first if first is not None else window, scatter=scatter,
                                       excluded=self.excluded)
        self.capacity: int | None = self.sequence.capacity
        if self.capacity <= 0:
            raise ValueError("every value allowed by the type and bounds is excluded")

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        if self.flag_probability is not None and self.allowed.contains(0) and self.allowed.contains(1) \
                and not {0, 1} & set(self.excluded):
            return self.to_python((rng.random(n) < self.flag_probability).astype(np.int64))
        try:
            units = draw(rng, self.window, n, log_scale=self.log_scale, excluded=self.excluded)
        except ValueError:  # the plausible window is all excluded: use the whole allowed range
            units = draw(rng, self.allowed, n, excluded=self.excluded)
        return self.to_python(units)

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return self.to_python(self.sequence.values(ranks))


def _excluded_units(spec: ValueSpec, scale: int) -> list[int]:
    out = []
    for v in spec.excluded:
        try:
            exact = Decimal(v) if isinstance(v, (int, float)) else Decimal(str(v))
        except (ArithmeticError, ValueError, TypeError):
            continue
        if not exact.is_finite():
            continue
        scaled = exact.scaleb(scale)
        if scaled == scaled.to_integral_value():
            out.append(int(scaled))
    return out


def int_source(spec: ValueSpec, semantic: str | None) -> UnitSource:
    """smallint/integer/bigint, within the type's range (:func:`seeder.types.integer_range`: MySQL TINYINT,
    MEDIUMINT, YEAR and UNSIGNED included)."""
    allowed = _bounded(IntRange(*integer_range(spec.column.type, spec.dialect)), spec)
    preferred, log_scale = _hint_range(semantic, 0, (1, 1000), spec.magnitude)
    window = preferred_window(allowed, preferred, 1000)
    # Unique integers count up: from the plausible range's start for semantic kinds (years from 1950), else from 1
    # when the bounds allow it.
    base = window.lo if semantic in NUMERIC_HINTS else 1 if allowed.contains(1) else allowed.lo
    return UnitSource(allowed, window, lambda units: units.tolist(), first=IntRange(base, allowed.hi),
                       log_scale=log_scale, excluded=_excluded_units(spec, 0),
                       flag_probability=FLAG_TRUE_PROBABILITY.get(semantic or ""))


def _decimal_converter(scale: int) -> Callable[[np.ndarray], list[Any]]:
    if scale == 0:
        return lambda units: [Decimal(u) for u in units.tolist()]
    return lambda units: [Decimal(u).scaleb(-scale) for u in units.tolist()]


def _type_units(spec: ValueSpec, scale: int) -> IntRange:
    """The type's range (:func:`seeder.types.value_range`) in units of ``10**-scale``, within 64 bits."""
    low, high = value_range(spec.column.type, spec.dialect)
    lo = _int_bound(low, scale, lower=True, exclusive=False)
    hi = _int_bound(high, scale, lower=False, exclusive=False)
    return IntRange(INT64_MIN if lo is None else lo, INT64_MAX if hi is None else hi)


def decimal_source(spec: ValueSpec, semantic: str | None) -> UnitSource:
    """decimal/numeric (precision, scale, UNSIGNED) and money, as Decimals with the column's scale."""
    ctype = spec.column.type
    # PostgreSQL allows a negative scale (numeric(2,-3) holds multiples of 1000): units are then 10**-scale.
    scale = 2 if ctype.kind == "money" else ctype.scale if ctype.scale is not None else (
        0 if ctype.precision is not None else 2)
    allowed = _bounded(_type_units(spec, scale), spec, scale).clamp64()
    preferred, log_scale = _hint_range(semantic, scale, (0, 1000), spec.magnitude)
    span = 1000 * 10**scale
    window = preferred_window(allowed, preferred, span)
    return UnitSource(allowed, window, _decimal_converter(scale), scatter=True, log_scale=log_scale,
                       excluded=_excluded_units(spec, scale))


def float_source(spec: ValueSpec, semantic: str | None) -> UnitSource:
    """real/float/double on a decimal grid (2 places; 4 for discounts and weights, 6 for coordinates)."""
    places = 6 if semantic in ("latitude", "longitude") else 4 if semantic in ("discount", "weight") else 2
    allowed = _bounded(_type_units(spec, places), spec, places).clamp64()
    preferred, log_scale = _hint_range(semantic, places, (0, 1000), spec.magnitude)
    window = preferred_window(allowed, preferred, 1000 * 10**places)
    divisor = float(10**places)

    def convert(units: np.ndarray) -> list[Any]:
        # Short decimals (12.34); a real/float4 column stores the nearest float32, and grid points 10**-places
        # apart stay distinct there for magnitudes below ~10**(7 - places).
        return (units / divisor).tolist()
    return UnitSource(allowed, window, convert, scatter=True, log_scale=log_scale,
                       excluded=_excluded_units(spec, places))


def _as_date(value: Any, *, lower: bool, exclusive: bool) -> int | None:
    """Ordinal bound for a date column from a date/datetime/ISO-string bound."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        day = value.date().toordinal()
        has_time = value.time() != time(0)
        if lower:
            return day + 1 if (has_time or exclusive) else day
        return day - 1 if (exclusive and not has_time) else day
    ordinal = value.toordinal()
    if lower:
        return ordinal + 1 if exclusive else ordinal
    return ordinal - 1 if exclusive else ordinal


def _window_ordinals(semantic: str | None) -> IntRange:
    lo, hi = TEMPORAL_HINTS.get(semantic or "", DEFAULT_DATE_WINDOW)
    return IntRange(lo.toordinal(), hi.toordinal())


def date_source(spec: ValueSpec, semantic: str | None) -> UnitSource:
    """Dates; random ones in the kind's window (default 2015-01-01 .. 2025-12-31)."""
    base = IntRange(date(1, 1, 1).toordinal(), date(9999, 12, 31).toordinal())
    allowed = _allowed(base, spec, _as_date, "date")
    window = preferred_window(allowed, _window_ordinals(semantic), 3650)
    excluded = [_as_date(v, lower=True, exclusive=False) for v in spec.excluded
                if isinstance(v, date) and not isinstance(v, datetime)]

    def convert(ordinals: np.ndarray) -> list[Any]:
        return (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]").astype(object).tolist()
    return UnitSource(allowed, window, convert, scatter=True, excluded=[e for e in excluded if e is not None])


def _epoch_microseconds(value: Any) -> int:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_UTC).replace(tzinfo=None)
        delta = value - _EPOCH
    else:  # a date: midnight
        delta = datetime(value.year, value.month, value.day) - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def _whole_seconds(us: int, *, lower: bool, exclusive: bool) -> int:
    """The tightest whole-second bound for a bound of ``us`` microseconds."""
    if lower:
        return us // 1_000_000 + 1 if exclusive else ceil_div(us, 1_000_000)
    return ceil_div(us, 1_000_000) - 1 if exclusive else us // 1_000_000


def _second_bound(value: Any, *, lower: bool, exclusive: bool) -> int | None:
    """Epoch-seconds bound for a timestamp column from a datetime/date/ISO-string bound."""
    return None if value is None else _whole_seconds(_epoch_microseconds(value), lower=lower, exclusive=exclusive)


def timestamp_source(spec: ValueSpec, semantic: str | None) -> UnitSource:
    """Timestamps in whole seconds; naive for ``timestamp``, aware UTC for ``timestamptz``; within the type's range
    (:func:`seeder.types.value_range`: MySQL TIMESTAMP ends in 2038)."""
    type_low, type_high = value_range(spec.column.type, spec.dialect)
    base = IntRange(_MIN_SECONDS if type_low is None else _second_bound(type_low, lower=True, exclusive=False),
                    _MAX_SECONDS if type_high is None else _second_bound(type_high, lower=False, exclusive=False))
    allowed = _allowed(base, spec, _second_bound, "timestamp")
    days = _window_ordinals(semantic)
    preferred = IntRange((days.lo - _EPOCH_ORDINAL) * 86400, (days.hi - _EPOCH_ORDINAL) * 86400 + 86399)
    window = preferred_window(allowed, preferred, 10 * 365 * 86400)
    excluded = []
    for v in spec.excluded:
        if isinstance(v, datetime):
            us = _epoch_microseconds(v)
            if us % 1_000_000 == 0:
                excluded.append(us // 1_000_000)
    if spec.column.type.kind == "timestamptz":
        def convert(seconds: np.ndarray) -> list[Any]:
            return list(map(datetime.fromtimestamp, seconds.tolist(), repeat(_UTC)))
    else:
        def convert(seconds: np.ndarray) -> list[Any]:
            return seconds.astype("datetime64[s]").astype(object).tolist()
    return UnitSource(allowed, window, convert, scatter=True, excluded=excluded)


def _time_seconds(value: Any, *, lower: bool, exclusive: bool) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = time.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.time()
    us = ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond
    return _whole_seconds(us, lower=lower, exclusive=exclusive)


def time_source(spec: ValueSpec, semantic: str | None) -> UnitSource:
    """Times of day in whole seconds, random ones between 06:00 and 22:00 when the bounds allow."""
    allowed = _allowed(IntRange(0, 86399), spec, _time_seconds, "time of day")
    window = preferred_window(allowed, IntRange(6 * 3600, 22 * 3600), 86399)
    excluded = [_time_seconds(v, lower=True, exclusive=False) for v in spec.excluded if isinstance(v, time)]

    def convert(seconds: np.ndarray) -> list[Any]:
        h, rest = np.divmod(seconds, 3600)
        m, s = np.divmod(rest, 60)
        return list(map(time, h.tolist(), m.tolist(), s.tolist()))
    return UnitSource(allowed, window, convert, scatter=True, excluded=[e for e in excluded if e is not None])


def _interval_seconds(value: Any, *, lower: bool, exclusive: bool) -> int | None:
    if value is None:
        return None
    if not isinstance(value, timedelta):
        value = timedelta(seconds=float(value))
    us = (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
    return _whole_seconds(us, lower=lower, exclusive=exclusive)


def interval_source(spec: ValueSpec, semantic: str | None) -> UnitSource:
    """Intervals (timedeltas) in whole seconds, random ones between a minute and 30 days."""
    allowed = _allowed(IntRange(-_MAX_INTERVAL_SECONDS, _MAX_INTERVAL_SECONDS), spec, _interval_seconds, "interval")
    window = preferred_window(allowed, IntRange(60, 30 * 86400), 30 * 86400)
    excluded = [_interval_seconds(v, lower=True, exclusive=False) for v in spec.excluded
                if isinstance(v, timedelta)]

    def convert(seconds: np.ndarray) -> list[Any]:
        return seconds.astype("timedelta64[s]").astype(object).tolist()
    return UnitSource(allowed, window, convert, scatter=True, excluded=[e for e in excluded if e is not None])
