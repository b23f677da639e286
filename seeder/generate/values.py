"""Local value generators: fill one column with values satisfying its :class:`~seeder.generate.spec.ValueSpec`.

The engine decides keys, foreign keys and which columns must be unique; this module makes the values. Everything is
vectorised (numpy draws, prebuilt vocabulary pools) and deterministic given the random generator's state and the
spec. Temporal values come from fixed windows (see :mod:`seeder.generate.semantic`), never from the clock.

Every type kind is generated as one of three things:

* an integer domain (integers, decimals in units of their scale, floats on a decimal grid, dates, timestamps, times,
  intervals; see :mod:`seeder.generate.numeric`),
* strings (:mod:`seeder.generate.text`),
* a small special-purpose source (booleans, enums, sets, uuids, json, bytes, network addresses, arrays, xml, bit
  strings, tsvectors).

Each source knows its *capacity* (how many distinct non-NULL values it can produce) and can make unique values for
ranks ``start .. start+n-1``: the rank -> value mapping depends only on the spec, so ranges from separate calls
never collide.
"""

from __future__ import annotations

import json as _json
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from itertools import repeat
from typing import Any, Protocol

import numpy as np

from seeder.errors import GenerationError
from seeder.generate import text
from seeder.generate import vocabulary as vocab
from seeder.generate.numeric import INT64_MAX, INT64_MIN, IntRange, UniqueSequence, ceil_div, draw, preferred_window
from seeder.generate.semantic import (
    DEFAULT_DATE_WINDOW,
    FLAG_TRUE_PROBABILITY,
    NUMERIC_HINTS,
    TEMPORAL_HINTS,
    semantic_kind,
)
from seeder.generate.spec import ValueSpec
from seeder.schema import Column, ColumnType

__all__ = ["generate_values", "semantic_kind", "unique_capacity"]

#: Capacities above this are reported as ``None`` (effectively unbounded).
CAPACITY_LIMIT = text.CAPACITY_LIMIT

_INT_RANGES: dict[str, tuple[int, int]] = {
    "tinyint": (-(2**7), 2**7 - 1),
    "smallint": (-(2**15), 2**15 - 1),
    "mediumint": (-(2**23), 2**23 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_EPOCH = datetime(1970, 1, 1)
_UTC = timezone.utc
_MIN_SECONDS = int((datetime(1, 1, 1) - _EPOCH).total_seconds())
_MAX_SECONDS = int((datetime(9999, 12, 31, 23, 59, 59) - _EPOCH).total_seconds())
_MAX_INTERVAL_SECONDS = 999_999_999 * 86400 // 1000  # well inside timedelta's and PostgreSQL's ranges
_MONEY_UNITS = 2**63 - 1  # PostgreSQL money: +-92233720368547758.07


class _Source(Protocol):
    """Makes values of one column: ``capacity`` distinct non-NULL values at most (``None``: unbounded)."""

    capacity: int | None

    def random(self, n: int, rng: np.random.Generator) -> list[Any]: ...

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]: ...


def _where(spec: ValueSpec) -> str:
    return f"{spec.table}.{spec.column.name}"


def generate_values(spec: ValueSpec, n: int, rng: np.random.Generator, *, unique: bool = False,
                    start: int = 0) -> list[Any]:
    """Generate ``n`` values for the column of ``spec``.

    Args:
        spec: the column and its constraints (bounds, choices, exclusions, lengths, LIKE patterns, fixed value,
            NULL fraction).
        n: number of values (``0`` gives ``[]``).
        rng: the random source; the result depends only on its state and ``spec``.
        unique: make the non-NULL values pairwise distinct by construction.
        start: with ``unique``, the rank of the first value: values for ranks ``start .. start+n-1`` are distinct
            from those of any other non-overlapping rank range, in any call.

    Returns:
        A list of ``n`` Python values of the type :mod:`seeder.dataset` lists for the column's kind, about
        ``spec.null_fraction`` of them ``None`` when the column is nullable.

    Raises:
        GenerationError: the constraints admit no value, fewer than ``start + n`` distinct values exist with
            ``unique``, a LIKE pattern is beyond the synthesiser, or the type is ``other`` on a NOT NULL column.
    """
    if n <= 0:
        return []
    source = _source(spec)
    if unique:
        if source.capacity is not None and start + n > source.capacity:
            raise GenerationError(
                f"{_where(spec)}: only {source.capacity} distinct values fit its type and constraints, "
                f"{start + n} unique values were asked for; lower the row count or widen the column")
        values = _guard(spec, lambda: source.unique(np.arange(start, start + n, dtype=np.int64), rng))
    else:
        values = _guard(spec, lambda: source.random(n, rng))
    if spec.column.nullable and spec.null_fraction > 0:
        for i in np.flatnonzero(rng.random(n) < spec.null_fraction).tolist():
            values[i] = None
    return values


def unique_capacity(spec: ValueSpec) -> int | None:
    """How many distinct non-NULL values :func:`generate_values` can make for ``spec``.

    Returns ``None`` when the number is effectively unbounded (above one billion), e.g. 2 for booleans, the
    label count for enums, 1296 for ``char(2)`` codes, 255 for ``tinyint unsigned`` with ``CHECK (x > 0)``.
    Raises GenerationError when the spec is contradictory (no value at all).
    """
    cap = _source(spec).capacity
    return None if cap is None or cap > CAPACITY_LIMIT else cap


def _guard(spec: ValueSpec, make: Callable[[], list[Any]]) -> list[Any]:
    try:
        return make()
    except (text.StringError, ValueError) as exc:
        raise GenerationError(f"{_where(spec)}: {exc}") from exc


#: Sources built recently, by ``id(spec)``; each entry keeps its spec alive, so an id cannot be reused while cached.
_SOURCES: OrderedDict[int, tuple[ValueSpec, _Source]] = OrderedDict()
_SOURCES_MAX = 512


def _source(spec: ValueSpec) -> _Source:
    """The value source for ``spec`` (cached: the engine may ask for a few values of one spec many times)."""
    hit = _SOURCES.get(id(spec))
    if hit is not None and hit[0] is spec:
        _SOURCES.move_to_end(id(spec))
        return hit[1]
    built = _build_source(spec)
    _SOURCES[id(spec)] = (spec, built)
    if len(_SOURCES) > _SOURCES_MAX:
        _SOURCES.popitem(last=False)
    return built


def _build_source(spec: ValueSpec) -> _Source:
    ctype = spec.column.type
    kind = ctype.kind
    semantic = semantic_kind(spec.table, spec.column)
    try:
        if spec.fixed is not None:
            return _ChoiceSource([_coerce(spec.fixed, ctype)])
        if spec.choices is not None or kind == "enum":
            return _ChoiceSource(_valid_choices(spec))
        factory = _FACTORIES.get(kind)
        if factory is None:
            return _UnsupportedSource(spec)
        return factory(spec, semantic)
    except (text.StringError, ValueError) as exc:
        raise GenerationError(f"{_where(spec)}: {exc}") from exc


# ---------------------------------------------------------------------------------------------------------------
# Choices, fixed values, unsupported types


def _coerce(value: Any, ctype: ColumnType) -> Any:
    """Bring a choice/fixed value to the column's Python value type (``1`` -> ``Decimal(1)`` for decimals)."""
    kind = ctype.kind
    if kind in ("decimal", "money") and not isinstance(value, Decimal) and isinstance(value, (int, float, str)):
        return Decimal(str(value))
    if kind in ("float", "double") and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return float(value)
    if kind in ("smallint", "integer", "bigint") and isinstance(value, Decimal) and value == value.to_integral():
        return int(value)
    if kind in ("smallint", "integer", "bigint") and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind in ("char", "varchar", "text", "enum", "set") and not isinstance(value, str):
        return str(value)
    return value


def _in_bounds(value: Any, spec: ValueSpec) -> bool:
    try:
        if spec.lower is not None and (value < spec.lower or (spec.lower_exclusive and value == spec.lower)):
            return False
        if spec.upper is not None and (value > spec.upper or (spec.upper_exclusive and value == spec.upper)):
            return False
    except TypeError:
        return True
    return True


def _valid_choices(spec: ValueSpec) -> list[Any]:
    ctype = spec.column.type
    labels: list[Any]
    if spec.choices is not None:
        labels = [_coerce(c, ctype) for c in spec.choices if c is not None]
        if ctype.kind == "enum" and ctype.values:
            allowed = set(ctype.values)
            labels = [c for c in labels if c in allowed]
    else:
        labels = list(ctype.values)
    excluded = set()
    for v in spec.excluded:
        try:
            excluded.add(_coerce(v, ctype))
        except TypeError:
            continue
    rules = text.StringRules.from_spec(spec) if ctype.kind in ("char", "varchar", "text", "enum") else None
    out: list[Any] = []
    seen: set[Any] = set()
    for c in labels:
        if c in seen or c in excluded or not _in_bounds(c, spec):
            continue
        if rules is not None and isinstance(c, str) and not rules.valid_mask(np.array([c], dtype=object))[0]:
            continue
        seen.add(c)
        out.append(c)
    if not out:
        shown = ", ".join(repr(c) for c in (spec.choices if spec.choices is not None else ctype.values))
        raise ValueError(f"none of the allowed values ({shown}) satisfies the column's other constraints")
    return out


class _ChoiceSource:
    """Values drawn from a fixed list (CHECK IN lists, enum labels, a fixed value)."""

    def __init__(self, choices: list[Any]) -> None:
        self.choices = choices
        self.capacity: int | None = len(choices)
        self._arr = np.empty(len(choices), dtype=object)
        self._arr[:] = choices

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        if len(self.choices) == 1:
            return [self.choices[0]] * n
        return self._arr[rng.integers(0, len(self.choices), n)].tolist()

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return self._arr[ranks].tolist()


class _UnsupportedSource:
    """Type kind ``other``: only NULL can be generated."""

    capacity: int | None = 0

    def __init__(self, spec: ValueSpec) -> None:
        self.spec = spec

    def _fail(self) -> GenerationError:
        col = self.spec.column
        return GenerationError(
            f"{_where(self.spec)}: type {col.type.sql} is not supported by the value generators; give the column "
            f"a DEFAULT, make it nullable, or set a value override for it in the config")

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        if self.spec.column.nullable:
            return [None] * n
        raise self._fail()

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        raise self._fail()


# ---------------------------------------------------------------------------------------------------------------
# Integer domains: integers, decimals, floats, temporal kinds


def _int_bound(value: Any, scale: int, *, lower: bool, exclusive: bool) -> int | None:
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


def _bounded(base: IntRange, spec: ValueSpec, scale: int = 0) -> IntRange:
    lo = _int_bound(spec.lower, scale, lower=True, exclusive=spec.lower_exclusive)
    hi = _int_bound(spec.upper, scale, lower=False, exclusive=spec.upper_exclusive)
    out = base.intersect(IntRange(lo if lo is not None else base.lo, hi if hi is not None else base.hi))
    if out.empty:
        raise ValueError(f"no value of type {spec.column.type.sql} lies within the bounds "
                         f"({_bounds_text(spec)})")
    return out


def _bounds_text(spec: ValueSpec) -> str:
    parts = []
    if spec.lower is not None:
        parts.append(f"{'>' if spec.lower_exclusive else '>='} {spec.lower}")
    if spec.upper is not None:
        parts.append(f"{'<' if spec.upper_exclusive else '<='} {spec.upper}")
    return " and ".join(parts) or "none"


def _hint_range(semantic: str | None, scale: int, default: tuple[float, float]) -> tuple[IntRange, bool]:
    lo, hi, log_scale = NUMERIC_HINTS.get(semantic or "", (*default, False))
    lo_units = _int_bound(Decimal(str(lo)), scale, lower=True, exclusive=False)
    hi_units = _int_bound(Decimal(str(hi)), scale, lower=False, exclusive=False)
    assert lo_units is not None and hi_units is not None
    return IntRange(lo_units, hi_units), log_scale


class _UnitSource:
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
        return self.to_python(draw(rng, self.window, n, log_scale=self.log_scale, excluded=self.excluded))

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


def _int_type_range(ctype: ColumnType) -> IntRange:
    sql = ctype.sql.lower()
    if sql.strip().startswith("year"):
        return IntRange(1901, 2155)  # MySQL YEAR
    name = next((t for t in ("tinyint", "mediumint") if t in sql), ctype.kind)
    lo, hi = _INT_RANGES.get(name, _INT_RANGES["bigint"])
    if ctype.unsigned:
        lo, hi = 0, hi * 2 + 1
    elif name == "tinyint":
        lo = 0  # SQL Server's tinyint is 0..255, MySQL's -128..127: generate what both accept
    return IntRange(lo, hi)


def _int_source(spec: ValueSpec, semantic: str | None) -> _Source:
    allowed = _bounded(_int_type_range(spec.column.type), spec)
    preferred, log_scale = _hint_range(semantic, 0, (1, 1000))
    window = preferred_window(allowed, preferred, 1000)
    # Unique integers count up: from the plausible range's start for semantic kinds (years from 1950), else from 1
    # when the bounds allow it.
    base = window.lo if semantic in NUMERIC_HINTS else 1 if allowed.contains(1) else allowed.lo
    return _UnitSource(allowed, window, lambda units: units.tolist(), first=IntRange(base, allowed.hi),
                       log_scale=log_scale, excluded=_excluded_units(spec, 0),
                       flag_probability=FLAG_TRUE_PROBABILITY.get(semantic or ""))


def _decimal_converter(scale: int) -> Callable[[np.ndarray], list[Any]]:
    if scale == 0:
        return lambda units: [Decimal(u) for u in units.tolist()]
    return lambda units: [Decimal(u).scaleb(-scale) for u in units.tolist()]


def _decimal_source(spec: ValueSpec, semantic: str | None) -> _Source:
    ctype = spec.column.type
    if ctype.kind == "money":
        scale, type_range = 2, IntRange(-_MONEY_UNITS, _MONEY_UNITS)
    else:
        # PostgreSQL allows a negative scale (numeric(2,-3) holds multiples of 1000): units are then 10**-scale.
        scale = ctype.scale if ctype.scale is not None else (0 if ctype.precision is not None else 2)
        if ctype.precision is not None:
            top = 10 ** max(ctype.precision, 1) - 1
            type_range = IntRange(-top, top)
        else:
            type_range = IntRange(INT64_MIN, INT64_MAX)
    if ctype.unsigned:
        type_range = type_range.intersect(IntRange(0, type_range.hi))
    allowed = _bounded(type_range, spec, scale).clamp64()
    preferred, log_scale = _hint_range(semantic, scale, (0, 1000))
    span = 1000 * 10**scale
    window = preferred_window(allowed, preferred, span)
    return _UnitSource(allowed, window, _decimal_converter(scale), scatter=True, log_scale=log_scale,
                       excluded=_excluded_units(spec, scale))


def _float_source(spec: ValueSpec, semantic: str | None) -> _Source:
    ctype = spec.column.type
    places = 6 if semantic in ("latitude", "longitude") else 4 if semantic in ("discount", "weight") else 2
    limit = 3.4e38 if ctype.kind == "float" else 1.7e308
    type_range = IntRange(_int_bound(-limit, places, lower=True, exclusive=False) or INT64_MIN,
                          _int_bound(limit, places, lower=False, exclusive=False) or INT64_MAX)
    if ctype.unsigned:
        type_range = type_range.intersect(IntRange(0, type_range.hi))
    allowed = _bounded(type_range, spec, places).clamp64()
    preferred, log_scale = _hint_range(semantic, places, (0, 1000))
    window = preferred_window(allowed, preferred, 1000 * 10**places)
    divisor = float(10**places)

    def convert(units: np.ndarray) -> list[Any]:
        # Short decimals (12.34); a real/float4 column stores the nearest float32, and grid points 10**-places
        # apart stay distinct there for magnitudes below ~10**(7 - places).
        return (units / divisor).tolist()
    return _UnitSource(allowed, window, convert, scatter=True, log_scale=log_scale,
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


def _date_source(spec: ValueSpec, semantic: str | None) -> _Source:
    base = IntRange(date(1, 1, 1).toordinal(), date(9999, 12, 31).toordinal())
    lo = _as_date(spec.lower, lower=True, exclusive=spec.lower_exclusive)
    hi = _as_date(spec.upper, lower=False, exclusive=spec.upper_exclusive)
    allowed = base.intersect(IntRange(lo if lo is not None else base.lo, hi if hi is not None else base.hi))
    if allowed.empty:
        raise ValueError(f"no date lies within the bounds ({_bounds_text(spec)})")
    window = preferred_window(allowed, _window_ordinals(semantic), 3650)
    excluded = [_as_date(v, lower=True, exclusive=False) for v in spec.excluded
                if isinstance(v, date) and not isinstance(v, datetime)]

    def convert(ordinals: np.ndarray) -> list[Any]:
        return (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]").astype(object).tolist()
    return _UnitSource(allowed, window, convert, scatter=True, excluded=[e for e in excluded if e is not None])


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


def _second_bound(value: Any, *, lower: bool, exclusive: bool) -> int | None:
    if value is None:
        return None
    us = _epoch_microseconds(value)
    if lower:
        return us // 1_000_000 + 1 if exclusive else ceil_div(us, 1_000_000)
    return ceil_div(us, 1_000_000) - 1 if exclusive else us // 1_000_000


def _timestamp_source(spec: ValueSpec, semantic: str | None) -> _Source:
    base = IntRange(_MIN_SECONDS, _MAX_SECONDS)
    lo = _second_bound(spec.lower, lower=True, exclusive=spec.lower_exclusive)
    hi = _second_bound(spec.upper, lower=False, exclusive=spec.upper_exclusive)
    allowed = base.intersect(IntRange(lo if lo is not None else base.lo, hi if hi is not None else base.hi))
    if allowed.empty:
        raise ValueError(f"no timestamp lies within the bounds ({_bounds_text(spec)})")
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
    return _UnitSource(allowed, window, convert, scatter=True, excluded=excluded)


def _time_seconds(value: Any, *, lower: bool, exclusive: bool) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = time.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.time()
    us = ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond
    if lower:
        return us // 1_000_000 + 1 if exclusive else ceil_div(us, 1_000_000)
    return ceil_div(us, 1_000_000) - 1 if exclusive else us // 1_000_000


def _time_source(spec: ValueSpec, semantic: str | None) -> _Source:
    base = IntRange(0, 86399)
    lo = _time_seconds(spec.lower, lower=True, exclusive=spec.lower_exclusive)
    hi = _time_seconds(spec.upper, lower=False, exclusive=spec.upper_exclusive)
    allowed = base.intersect(IntRange(lo if lo is not None else 0, hi if hi is not None else 86399))
    if allowed.empty:
        raise ValueError(f"no time of day lies within the bounds ({_bounds_text(spec)})")
    window = preferred_window(allowed, IntRange(6 * 3600, 22 * 3600), 86399)
    excluded = [_time_seconds(v, lower=True, exclusive=False) for v in spec.excluded if isinstance(v, time)]

    def convert(seconds: np.ndarray) -> list[Any]:
        h, rest = np.divmod(seconds, 3600)
        m, s = np.divmod(rest, 60)
        return list(map(time, h.tolist(), m.tolist(), s.tolist()))
    return _UnitSource(allowed, window, convert, scatter=True, excluded=[e for e in excluded if e is not None])


def _interval_seconds(value: Any, *, lower: bool, exclusive: bool) -> int | None:
    if value is None:
        return None
    if not isinstance(value, timedelta):
        value = timedelta(seconds=float(value))
    us = (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
    if lower:
        return us // 1_000_000 + 1 if exclusive else ceil_div(us, 1_000_000)
    return ceil_div(us, 1_000_000) - 1 if exclusive else us // 1_000_000


def _interval_source(spec: ValueSpec, semantic: str | None) -> _Source:
    base = IntRange(-_MAX_INTERVAL_SECONDS, _MAX_INTERVAL_SECONDS)
    lo = _interval_seconds(spec.lower, lower=True, exclusive=spec.lower_exclusive)
    hi = _interval_seconds(spec.upper, lower=False, exclusive=spec.upper_exclusive)
    allowed = base.intersect(IntRange(lo if lo is not None else base.lo, hi if hi is not None else base.hi))
    if allowed.empty:
        raise ValueError(f"no interval lies within the bounds ({_bounds_text(spec)})")
    window = preferred_window(allowed, IntRange(60, 30 * 86400), 30 * 86400)
    excluded = [_interval_seconds(v, lower=True, exclusive=False) for v in spec.excluded
                if isinstance(v, timedelta)]

    def convert(seconds: np.ndarray) -> list[Any]:
        return seconds.astype("timedelta64[s]").astype(object).tolist()
    return _UnitSource(allowed, window, convert, scatter=True, excluded=[e for e in excluded if e is not None])


# ---------------------------------------------------------------------------------------------------------------
# Strings


class _StringSource:
    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        self.rules = text.StringRules.from_spec(spec)
        self.semantic = semantic
        self.capacity = text.string_capacity(semantic, self.rules)

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        return text.random_strings(self.semantic, n, rng, self.rules).tolist()

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return text.unique_strings(self.semantic, ranks, rng, self.rules).tolist()


def _string_source(spec: ValueSpec, semantic: str | None) -> _Source:
    return _StringSource(spec, semantic)


# ---------------------------------------------------------------------------------------------------------------
# Small special-purpose sources


class _BoolSource:
    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        excluded = {bool(v) for v in spec.excluded if isinstance(v, (bool, int))}
        self.order = [v for v in (True, False) if v not in excluded]
        if not self.order:
            raise ValueError("both TRUE and FALSE are excluded")
        self.capacity: int | None = len(self.order)
        self.p_true = FLAG_TRUE_PROBABILITY.get(semantic or "", 0.5)

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        if len(self.order) == 1:
            return [self.order[0]] * n
        return (rng.random(n) < self.p_true).tolist()

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return [self.order[r] for r in ranks.tolist()]


class _SetSource:
    """MySQL SET: comma-joined subsets of the labels, in declaration order."""

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        self.labels = list(spec.column.type.values)
        self.excluded = {v for v in spec.excluded if isinstance(v, str)}
        total = 2 ** len(self.labels)
        # Ranks walk the label bit masks 1, 2, ..., total - 1 (singletons first), then 0 (the empty set).
        self.sequence = UniqueSequence(IntRange(0, total - 1), IntRange(1, total - 1),
                                       excluded=[m for v in self.excluded if (m := self._mask(v)) is not None])
        self.capacity: int | None = self.sequence.capacity
        if self.capacity <= 0:
            raise ValueError("every combination of the SET labels is excluded")

    def _mask(self, value: str) -> int | None:
        mask = 0
        for label in filter(None, value.split(",")):
            if label not in self.labels:
                return None
            mask |= 1 << self.labels.index(label)
        return mask

    def _text(self, masks: list[int]) -> list[str]:
        return [",".join(label for i, label in enumerate(self.labels) if mask >> i & 1) for mask in masks]

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        if not self.labels:
            return [""] * n
        bits = rng.random((n, len(self.labels))) < 0.35
        weights = 1 << np.arange(len(self.labels), dtype=np.int64)
        masks = (bits.astype(np.int64) * weights).sum(axis=1)
        empty = masks == 0  # an empty set is legal but rare in real data: give those rows one label
        masks[empty] = 1 << rng.integers(0, len(self.labels), int(empty.sum()))
        values = self._text(masks.tolist())
        return self._avoid(values, rng)

    def _avoid(self, values: list[str], rng: np.random.Generator) -> list[str]:
        if not self.excluded:
            return values
        allowed = [v for v in self._text(list(range(2 ** min(len(self.labels), 16)))) if v not in self.excluded]
        if not allowed:
            raise ValueError("every combination of the SET labels is excluded")
        return [v if v not in self.excluded else allowed[int(rng.integers(0, len(allowed)))] for v in values]

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return self._text(self.sequence.values(ranks).tolist())


class _UuidSource:
    capacity: int | None = None

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        pass

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        return text.random_uuids(n, rng)

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return text.uuids_for_ranks(ranks, rng)


class _JsonSource:
    """Small JSON objects (dicts) with a few plausible keys."""

    capacity: int | None = None

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        pass

    def _objects(self, n: int, rng: np.random.Generator, ids: list[int] | None) -> list[Any]:
        words = vocab.pool("word")
        word = words[rng.integers(0, len(words), n)].tolist()
        tag_a = words[rng.integers(0, len(words), n)].tolist()
        tag_b = words[rng.integers(0, len(words), n)].tolist()
        score = rng.integers(0, 1000, n).tolist()
        active = (rng.random(n) < 0.7).tolist()
        keys = rng.random((n, 4)) < 0.6
        out = []
        for i in range(n):
            obj: dict[str, Any] = {} if ids is None else {"id": ids[i]}
            obj["name"] = word[i]
            if keys[i, 0]:
                obj["score"] = score[i]
            if keys[i, 1]:
                obj["active"] = active[i]
            if keys[i, 2]:
                obj["tags"] = [tag_a[i], tag_b[i]]
            if keys[i, 3]:
                obj["rating"] = round(score[i] / 200, 1)
            out.append(obj)
        return out

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        return self._objects(n, rng, None)

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return self._objects(len(ranks), rng, [int(r) + 1 for r in ranks.tolist()])


class _BytesSource:
    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        ctype = spec.column.type
        declared = ctype.length
        if spec.max_length is not None:
            declared = spec.max_length if declared is None else min(declared, spec.max_length)
        sql = ctype.sql.lower().lstrip()
        fixed = declared is not None and sql.startswith(("binary", "char")) and "varying" not in sql
        self.max_len = declared if declared is not None else 64
        min_len = spec.min_length or 0
        if fixed:
            min_len = max(min_len, self.max_len)
        elif declared is None or declared > 64:
            self.max_len = min(self.max_len, 64)
            min_len = max(min_len, 16)
        self.min_len = min(min_len, self.max_len) if min_len <= self.max_len else min_len
        if self.min_len > self.max_len:
            raise ValueError(f"needs at least {self.min_len} bytes but allows at most {self.max_len}")
        self.prefix = min(8, self.max_len)
        self.capacity: int | None = 256**self.prefix if self.prefix < 4 else None

    def _fill(self, n: int, rng: np.random.Generator, low: int) -> tuple[np.ndarray, list[int]]:
        raw = rng.integers(0, 256, (n, self.max_len), dtype=np.uint8)
        lengths = rng.integers(low, self.max_len, n, endpoint=True).tolist()
        return raw, lengths

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        raw, lengths = self._fill(n, rng, self.min_len)
        return [raw[i, :k].tobytes() for i, k in enumerate(lengths)]

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        raw, lengths = self._fill(len(ranks), rng, max(self.min_len, self.prefix))
        out = []
        codes = text.scramble(ranks.tolist(), 256**self.prefix)  # distinct ranks -> distinct prefixes
        for i, (code, k) in enumerate(zip(codes, lengths, strict=True)):
            out.append(code.to_bytes(self.prefix, "big") + raw[i, self.prefix:k].tobytes())
        return out


class _InetSource:
    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        self.cidr = spec.column.type.kind == "cidr"
        self.capacity: int | None = (2**24 - 0x0A0000) if self.cidr else 2**32 - 0x0A000001

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        first = rng.integers(11, 224, n)
        first = np.where(first == 127, 128, first)
        rest = rng.integers(0, 256, (n, 3))
        if self.cidr:
            return [f"{a}.{b}.{c}.0/24" for a, (b, c, _) in zip(first.tolist(), rest.tolist(), strict=True)]
        last = rng.integers(1, 255, n)
        quads = zip(first.tolist(), rest.tolist(), last.tolist(), strict=True)
        return [f"{a}.{b}.{c}.{d}" for a, (b, c, _), d in quads]

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        if self.cidr:
            return [text.ipv4_text((0x0A0000 + int(r)) << 8) + "/24" for r in ranks.tolist()]
        return [text.ipv4_text(0x0A000001 + int(r)) for r in ranks.tolist()]


class _MacSource:
    capacity: int | None = None

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        pass

    @staticmethod
    def _text(values: list[int]) -> list[str]:
        out = []
        for v in values:
            h = f"{v:012x}"
            out.append(":".join(h[i:i + 2] for i in range(0, 12, 2)))
        return out

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        return self._text(rng.integers(0, 2**48, n, dtype=np.int64).tolist())

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        # scramble() is a bijection modulo 2**48, so distinct ranks give distinct addresses.
        return self._text(text.scramble(ranks.tolist(), 2**48))


class _BitSource:
    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        self.length = max(spec.column.type.length or 1, 1)
        self.capacity: int | None = 2**self.length if self.length < 62 else None

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        mat = np.where(rng.random((n, self.length)) < 0.5, ord("0"), ord("1")).astype(np.uint8)
        return mat.view(f"S{self.length}").ravel().astype(f"U{self.length}").tolist()

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return [format(int(r), f"0{self.length}b") for r in ranks.tolist()]


class _XmlSource:
    capacity: int | None = None

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        pass

    def _docs(self, ids: list[int], rng: np.random.Generator) -> list[str]:
        words = vocab.pool("word")
        names = words[rng.integers(0, len(words), len(ids))].tolist()
        return [f'<item id="{i}"><name>{w}</name></item>' for i, w in zip(ids, names, strict=True)]

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        return self._docs(rng.integers(1, 100000, n).tolist(), rng)

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return self._docs([int(r) + 1 for r in ranks.tolist()], rng)


class _TsvectorSource:
    capacity: int | None = None

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        pass

    def _vectors(self, n: int, rng: np.random.Generator, ranks: list[int] | None) -> list[str]:
        words = vocab.pool("word")
        counts = rng.integers(2, 7, n).tolist()
        picks = words[rng.integers(0, len(words), (n, 6))].tolist()
        out = []
        for i in range(n):
            lexemes = sorted({w.lower() for w in picks[i][: counts[i]] if w.isalpha()})
            if ranks is not None:
                lexemes.insert(0, f"r{ranks[i] + 1}")
            out.append(" ".join(f"'{w}':{pos}" for pos, w in enumerate(lexemes, start=1)))
        return out

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        return self._vectors(n, rng, None)

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        return self._vectors(len(ranks), rng, ranks.tolist())


class _ArraySource:
    """Lists of 0-4 element values (1-4 for unique lists, whose first element is unique)."""

    def __init__(self, spec: ValueSpec, semantic: str | None) -> None:
        element = spec.column.type.element or ColumnType("text", "text")
        self.element_spec = ValueSpec(column=Column(spec.column.name, element, nullable=False), table=spec.table)
        self.capacity: int | None = unique_capacity(self.element_spec)
        self.min_items = 1 if semantic == "film_feature" else 0

    def _split(self, flat: list[Any], counts: list[int]) -> list[Any]:
        out, pos = [], 0
        for c in counts:
            items = flat[pos:pos + c]
            pos += c
            if items and isinstance(items[0], str):
                items = list(dict.fromkeys(items))
            out.append(items)
        return out

    def random(self, n: int, rng: np.random.Generator) -> list[Any]:
        counts = rng.integers(self.min_items, 5, n).tolist()
        flat = generate_values(self.element_spec, sum(counts), rng)
        return self._split(flat, counts)

    def unique(self, ranks: np.ndarray, rng: np.random.Generator) -> list[Any]:
        n = len(ranks)
        heads = generate_values(self.element_spec, n, rng, unique=True, start=int(ranks[0]))
        counts = rng.integers(0, 4, n).tolist()
        tails = self._split(generate_values(self.element_spec, sum(counts), rng), counts)
        return [[head, *[t for t in tail if t != head]] for head, tail in zip(heads, tails, strict=True)]


_FACTORIES: dict[str, Callable[[ValueSpec, str | None], _Source]] = {
    "smallint": _int_source,
    "integer": _int_source,
    "bigint": _int_source,
    "decimal": _decimal_source,
    "money": _decimal_source,
    "float": _float_source,
    "double": _float_source,
    "char": _string_source,
    "varchar": _string_source,
    "text": _string_source,
    "boolean": _BoolSource,
    "date": _date_source,
    "time": _time_source,
    "timestamp": _timestamp_source,
    "timestamptz": _timestamp_source,
    "interval": _interval_source,
    "uuid": _UuidSource,
    "json": _JsonSource,
    "jsonb": _JsonSource,
    "bytes": _BytesSource,
    "inet": _InetSource,
    "cidr": _InetSource,
    "macaddr": _MacSource,
    "set": _SetSource,
    "array": _ArraySource,
    "xml": _XmlSource,
    "bit": _BitSource,
    "tsvector": _TsvectorSource,
}


def json_text(value: Any) -> str:
    """Compact JSON text of a generated json/jsonb value (for sinks that need text)."""
    return _json.dumps(value, separators=(",", ":"), sort_keys=True)
