"""SQL value semantics for CHECK evaluation: literal parsing, casts, comparisons, intervals and pattern matching.

The rules follow PostgreSQL unless noted (https://www.postgresql.org/docs/current/functions.html), because the
``::type`` casts, ``= ANY (ARRAY[...])`` and interval forms in real dumps are PostgreSQL's; where dialects differ
(string collation, LIKE case sensitivity in MySQL/SQLite) the stricter reading is used, so a value judged to pass
here passes in every dialect. Strings compare by code point, not by collation.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
import re
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlglot import exp

UTC = dt.timezone.utc

_DT = exp.DataType.Type
INTEGER_TYPES = frozenset(exp.DataType.INTEGER_TYPES) - {_DT.BIT}
DECIMAL_TYPES = frozenset(exp.DataType.REAL_TYPES) - frozenset(exp.DataType.FLOAT_TYPES) - {_DT.UDOUBLE}
FLOAT_TYPES = frozenset(exp.DataType.FLOAT_TYPES) | {_DT.UDOUBLE}
TEXT_TYPES = frozenset(exp.DataType.TEXT_TYPES) | frozenset(
    getattr(_DT, n) for n in ("BPCHAR", "CITEXT", "FIXEDSTRING") if hasattr(_DT, n))
TIMESTAMP_TYPES = frozenset({_DT.TIMESTAMP, _DT.DATETIME, _DT.DATETIME2, _DT.SMALLDATETIME, _DT.TIMESTAMPNTZ,
                             _DT.TIMESTAMP_S, _DT.TIMESTAMP_MS, _DT.TIMESTAMP_NS, _DT.DATETIME64})
TIMESTAMPTZ_TYPES = frozenset({_DT.TIMESTAMPTZ, _DT.TIMESTAMPLTZ})
DATE_TYPES = frozenset({_DT.DATE, _DT.DATE32})
TIME_TYPES = frozenset({_DT.TIME, _DT.TIMETZ})
BINARY_TYPES = frozenset({_DT.BINARY, _DT.VARBINARY, _DT.BLOB, _DT.LONGBLOB, _DT.MEDIUMBLOB, _DT.TINYBLOB})
JSON_TYPES = frozenset({_DT.JSON, _DT.JSONB})


class UnsupportedExpression(Exception):
    """An expression form (function, operator, cast, value combination) that cannot be evaluated here.

    Internal: :func:`seeder.generate.checks.evaluate` turns it into ``None`` (unknown).
    """


@dataclass(frozen=True)
class SqlInterval:
    """A PostgreSQL-style interval: months, days and microseconds kept apart (a month is not a fixed length).

    Adding it to a date/timestamp moves by calendar months first, then days, then the time part, as PostgreSQL does.
    Comparisons use PostgreSQL's rule that a month counts as 30 days (``interval_cmp``).
    """

    months: int = 0
    days: int = 0
    micros: int = 0

    def to_timedelta(self) -> dt.timedelta:
        return dt.timedelta(days=self.months * 30 + self.days, microseconds=self.micros)

    def __neg__(self) -> SqlInterval:
        return SqlInterval(-self.months, -self.days, -self.micros)


# --------------------------------------------------------------------------------------------------------------------
# Parsing text into typed values


_NUMBER_RE = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*")


def parse_number(text: str) -> int | Decimal:
    """Parse SQL numeric text: ``int`` when it has no point or exponent, else ``Decimal``."""
    if not _NUMBER_RE.fullmatch(text):
        raise UnsupportedExpression(f"not a number: {text!r}")
    text = text.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    return Decimal(text)


_DATETIME_RE = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?"
    r"\s*(Z|UTC|[+-]\d{1,2}(?::?\d{2})?)?\s*", re.IGNORECASE)
_TIME_RE = re.compile(r"\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?\s*",
                      re.IGNORECASE)


def _offset(text: str | None) -> dt.tzinfo | None:
    if not text:
        return None
    if text.upper() in ("Z", "UTC"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (int(digits), 0) if len(digits) <= 2 else (int(digits[:-2]), int(digits[-2:]))
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def parse_datetime(text: str, *, aware: bool) -> dt.datetime:
    """Parse ``YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][offset]``.

    ``aware=True`` (timestamptz) gives a UTC datetime, reading text without an offset as UTC (the session time zone
    seeder assumes); ``aware=False`` (timestamp without time zone) drops any offset without converting, which is
    what PostgreSQL does when such text is cast to ``timestamp``.
    """
    m = _DATETIME_RE.fullmatch(text)
    if not m:
        raise UnsupportedExpression(f"not a timestamp: {text!r}")
    y, mo, d, h, mi, s, frac, off = m.groups()
    try:
        value = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0),
                            int((frac or "0").ljust(6, "0")))
    except ValueError as err:
        raise UnsupportedExpression(f"not a timestamp: {text!r}") from err
    tz = _offset(off)
    if not aware:
        return value
    return value.replace(tzinfo=tz or UTC).astimezone(UTC)


def parse_date(text: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` (a time part, as in ``'2007-01-01 00:00:00'::date``, is ignored like PostgreSQL does)."""
    return parse_datetime(text, aware=False).date()


def parse_time(text: str) -> dt.time:
    """Parse ``HH:MM[:SS[.ffffff]]`` (an offset is ignored: ``time`` values carry none)."""
    m = _TIME_RE.fullmatch(text)
    if not m:
        raise UnsupportedExpression(f"not a time: {text!r}")
    h, mi, s, frac, _ = m.groups()
    try:
        return dt.time(int(h), int(mi), int(s or 0), int((frac or "0").ljust(6, "0")))
    except ValueError as err:
        raise UnsupportedExpression(f"not a time: {text!r}") from err


_INTERVAL_UNITS = {
    "millennium": (12000, 0, 0), "millennia": (12000, 0, 0), "century": (1200, 0, 0), "centuries": (1200, 0, 0),
    "decade": (120, 0, 0), "decades": (120, 0, 0),
    "y": (12, 0, 0), "yr": (12, 0, 0), "yrs": (12, 0, 0), "year": (12, 0, 0), "years": (12, 0, 0),
    "mon": (1, 0, 0), "mons": (1, 0, 0), "month": (1, 0, 0), "months": (1, 0, 0),
    "w": (0, 7, 0), "week": (0, 7, 0), "weeks": (0, 7, 0),
    "d": (0, 1, 0), "day": (0, 1, 0), "days": (0, 1, 0),
    "h": (0, 0, 3_600_000_000), "hr": (0, 0, 3_600_000_000), "hrs": (0, 0, 3_600_000_000),
    "hour": (0, 0, 3_600_000_000), "hours": (0, 0, 3_600_000_000),
    "m": (0, 0, 60_000_000), "min": (0, 0, 60_000_000), "mins": (0, 0, 60_000_000),
    "minute": (0, 0, 60_000_000), "minutes": (0, 0, 60_000_000),
    "s": (0, 0, 1_000_000), "sec": (0, 0, 1_000_000), "secs": (0, 0, 1_000_000),
    "second": (0, 0, 1_000_000), "seconds": (0, 0, 1_000_000),
    "ms": (0, 0, 1000), "msec": (0, 0, 1000), "millisecond": (0, 0, 1000), "milliseconds": (0, 0, 1000),
    "us": (0, 0, 1), "usec": (0, 0, 1), "microsecond": (0, 0, 1), "microseconds": (0, 0, 1),
}
_INTERVAL_TOKEN = re.compile(
    r"\s*(?:([+-]?\d+(?:\.\d+)?)\s*([a-z]+)|([+-]?)(\d+):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)\s*", re.IGNORECASE)


def parse_interval(text: str) -> SqlInterval:
    """Parse PostgreSQL interval text such as ``'1 day'``, ``'18 years'``, ``'1 day 02:00:00'``, ``'-40 mins'``.

    ISO-8601 (``P1D``) and ``@ ... ago`` forms are not supported (:class:`UnsupportedExpression`).
    """
    months = days = micros = 0
    pos, text = 0, text.strip()
    if not text:
        raise UnsupportedExpression("empty interval")
    while pos < len(text):
        m = _INTERVAL_TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise UnsupportedExpression(f"unsupported interval: {text!r}")
        pos = m.end()
        if m.group(1) is not None:
            unit = _INTERVAL_UNITS.get(m.group(2).lower())
            if unit is None:
                raise UnsupportedExpression(f"unsupported interval unit in {text!r}")
            qty = Decimal(m.group(1))
            um, ud, uu = unit
            # Fractions spill into smaller units the PostgreSQL way: 1.5 months = 1 month 15 days.
            whole_months = int(qty * um)
            spill_days = (qty * um - whole_months) * 30 + qty * ud
            whole_days = int(spill_days)
            months += whole_months
            days += whole_days
            micros += int((spill_days - whole_days) * 86_400_000_000 + qty * uu)
        else:
            sign = -1 if m.group(3) == "-" else 1
            h, mi, s, frac = int(m.group(4)), int(m.group(5)), int(m.group(6) or 0), (m.group(7) or "0")
            micros += sign * (((h * 60 + mi) * 60 + s) * 1_000_000 + int(frac.ljust(6, "0")))
    return SqlInterval(months, days, micros)


def parse_bool(text: str) -> bool:
    """PostgreSQL boolean input: ``true``/``yes``/``on``/``1``, ``false``/``no``/``off``/``0`` and prefixes of the
    words (``t``, ``f``, ``y``, ``n``); ``o`` alone is ambiguous and rejected, as in PostgreSQL."""
    t = text.strip().lower()
    if t in ("1", "on") or (t and ("true".startswith(t) or "yes".startswith(t))):
        return True
    if t in ("0", "of", "off") or (t and ("false".startswith(t) or "no".startswith(t))):
        return False
    raise UnsupportedExpression(f"not a boolean: {text!r}")


def parse_pg_array(text: str) -> list[Any]:
    """Parse a one-dimensional PostgreSQL array literal (``'{a,"b c",NULL}'``) into a list of str/None."""
    t = text.strip()
    if not (t.startswith("{") and t.endswith("}")):
        raise UnsupportedExpression(f"not an array literal: {text!r}")
    body, items, i = t[1:-1], [], 0
    if not body.strip():
        return []
    while i <= len(body):
        while i < len(body) and body[i] == " ":
            i += 1
        if i < len(body) and body[i] == "{":
            raise UnsupportedExpression("multi-dimensional array literal")
        if i < len(body) and body[i] == '"':
            i += 1
            buf = []
            while i < len(body) and body[i] != '"':
                if body[i] == "\\" and i + 1 < len(body):
                    i += 1
                buf.append(body[i])
                i += 1
            i += 1
            items.append("".join(buf))
            while i < len(body) and body[i] != ",":
                i += 1
        else:
            j = body.find(",", i)
            j = len(body) if j < 0 else j
            raw = body[i:j].strip()
            items.append(None if raw.upper() == "NULL" else raw)
            i = j
        i += 1
    return items


# --------------------------------------------------------------------------------------------------------------------
# Rendering values as text (casts to text)


def _array_item_text(item: Any) -> str:
    if item is None:
        return "NULL"
    text = to_text(item)
    if text == "" or text.upper() == "NULL" or re.search(r'[{},"\\\s]', text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def to_text(value: Any) -> str:
    """A value's PostgreSQL text output (what ``value::text`` gives), for non-NULL ``value``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value) if not value.is_integer() or abs(value) >= 1e16 else str(int(value))
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
        if value.tzinfo is not None:
            text = value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ") + "+00"
        return text
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list):
        return "{" + ",".join(_array_item_text(v) for v in value) + "}"
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    if isinstance(value, dt.timedelta):
        return _timedelta_text(value)
    raise UnsupportedExpression(f"cannot render {type(value).__name__} as text")


def _timedelta_text(value: dt.timedelta) -> str:
    days, secs = value.days, value.seconds
    h, rem = divmod(secs, 3600)
    mi, s = divmod(rem, 60)
    clock = f"{h:02d}:{mi:02d}:{s:02d}" + (f".{value.microseconds:06d}" if value.microseconds else "")
    return f"{days} days {clock}" if days else clock


# --------------------------------------------------------------------------------------------------------------------
# Casts


def _round_half_away(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_int(value: Any) -> int:
    """Cast to an integer type: numeric rounds half away from zero, float rounds half to even (PostgreSQL)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return _round_half_away(value)
    if isinstance(value, float):
        return round(value)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        raise UnsupportedExpression(f"not an integer: {value!r}")
    raise UnsupportedExpression(f"cannot cast {type(value).__name__} to integer")


def to_decimal(value: Any, scale: int | None = None) -> Decimal:
    """Cast to numeric/decimal (optionally rounded half away from zero to ``scale`` digits)."""
    if isinstance(value, bool):
        raise UnsupportedExpression("cannot cast boolean to numeric")
    if isinstance(value, (int, Decimal)):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation as err:
            raise UnsupportedExpression(f"not a number: {value!r}") from err
    else:
        raise UnsupportedExpression(f"cannot cast {type(value).__name__} to numeric")
    if scale is not None and result.is_finite():
        result = result.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
    return result


def to_float(value: Any) -> float:
    if isinstance(value, bool):
        raise UnsupportedExpression("cannot cast boolean to float")
    if isinstance(value, (int, Decimal, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError as err:
            raise UnsupportedExpression(f"not a number: {value!r}") from err
    raise UnsupportedExpression(f"cannot cast {type(value).__name__} to float")


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        return parse_bool(value)
    raise UnsupportedExpression(f"cannot cast {type(value).__name__} to boolean")


def to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise UnsupportedExpression(f"cannot cast {type(value).__name__} to date")


def to_datetime(value: Any, *, aware: bool) -> dt.datetime:
    """Cast to timestamp (``aware=False``, naive) or timestamptz (``aware=True``, UTC); naive values are UTC."""
    if isinstance(value, dt.datetime):
        if aware:
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=UTC if aware else None)
    if isinstance(value, str):
        return parse_datetime(value, aware=aware)
    raise UnsupportedExpression(f"cannot cast {type(value).__name__} to timestamp")


def to_time(value: Any) -> dt.time:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        return parse_time(value)
    raise UnsupportedExpression(f"cannot cast {type(value).__name__} to time")


def to_interval(value: Any) -> SqlInterval | dt.timedelta:
    if isinstance(value, (SqlInterval, dt.timedelta)):
        return value
    if isinstance(value, str):
        return parse_interval(value)
    raise UnsupportedExpression(f"cannot cast {type(value).__name__} to interval")


def to_uuid(value: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value.strip())
        except ValueError as err:
            raise UnsupportedExpression(f"not a uuid: {value!r}") from err
    raise UnsupportedExpression(f"cannot cast {type(value).__name__} to uuid")


def to_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        if value.startswith("\\x"):
            try:
                return bytes.fromhex(value[2:])
            except ValueError as err:
                raise UnsupportedExpression(f"not bytea hex: {value!r}") from err
        return value.encode("utf-8")
    raise UnsupportedExpression(f"cannot cast {type(value).__name__} to bytes")


def _type_params(datatype: exp.DataType) -> list[int]:
    params = []
    for p in datatype.expressions:
        node = p.this if isinstance(p, exp.DataTypeParam) else p
        if isinstance(node, exp.Literal) and not node.is_string and node.this.isdigit():
            params.append(int(node.this))
    return params


def cast_supported(datatype: exp.DataType) -> bool:
    """Whether :func:`cast_value` can cast to ``datatype`` (user-defined types are passed through unchanged)."""
    t = datatype.this
    if t == _DT.ARRAY:
        return all(cast_supported(e) for e in datatype.expressions if isinstance(e, exp.DataType))
    return t in _CASTERS or t in (_DT.USERDEFINED, _DT.UNKNOWN) or t in TEXT_TYPES


def cast_value(value: Any, datatype: exp.DataType) -> Any:
    """Cast a non-NULL Python value to a SQL type, PostgreSQL style.

    User-defined types (enums, domains, PostgreSQL ``"char"``) leave the value unchanged: their labels compare as
    text. ``varchar(n)`` casts truncate to ``n`` characters, as PostgreSQL's explicit casts do.
    """
    t = datatype.this
    if t in TEXT_TYPES:
        text = to_text(value)
        params = _type_params(datatype)
        return text[: params[0]] if params and t in (_DT.VARCHAR, _DT.NVARCHAR) else text
    if t in (_DT.USERDEFINED, _DT.UNKNOWN):
        return value
    if t == _DT.ARRAY:
        element = next((e for e in datatype.expressions if isinstance(e, exp.DataType)), None)
        items = parse_pg_array(value) if isinstance(value, str) else value
        if not isinstance(items, list):
            raise UnsupportedExpression(f"cannot cast {type(value).__name__} to an array")
        if element is None:
            return list(items)
        return [None if v is None else cast_value(v, element) for v in items]
    if t in DECIMAL_TYPES:
        params = _type_params(datatype)
        return to_decimal(value, params[1] if len(params) > 1 else (0 if len(params) == 1 else None))
    caster = _CASTERS.get(t)
    if caster is None:
        raise UnsupportedExpression(f"unsupported cast to {datatype.sql()}")
    return caster(value)


def _to_json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as err:
            raise UnsupportedExpression(f"not JSON: {value[:40]!r}") from err
    return value


_CASTERS: dict[Any, Any] = {
    **{t: to_int for t in INTEGER_TYPES},
    **{t: to_float for t in FLOAT_TYPES},
    **{t: (lambda v: to_datetime(v, aware=False)) for t in TIMESTAMP_TYPES},
    **{t: (lambda v: to_datetime(v, aware=True)) for t in TIMESTAMPTZ_TYPES},
    **{t: to_date for t in DATE_TYPES},
    **{t: to_time for t in TIME_TYPES},
    **{t: to_bytes for t in BINARY_TYPES},
    **{t: _to_json for t in JSON_TYPES},
    _DT.BOOLEAN: to_bool,
    _DT.INTERVAL: to_interval,
    _DT.UUID: to_uuid,
}
for _t in DECIMAL_TYPES:
    _CASTERS[_t] = to_decimal


# --------------------------------------------------------------------------------------------------------------------
# Comparison


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def unify(a: Any, b: Any) -> tuple[Any, Any]:
    """Bring two non-NULL values to comparable Python types, the way PostgreSQL resolves an untyped literal.

    Numbers mix freely (a float and a Decimal compare as floats); text meets a typed value by being parsed as that
    type; a date meets a timestamp as midnight; naive timestamps meet aware ones as UTC.
    Raises :class:`UnsupportedExpression` for combinations that have no such rule.
    """
    if isinstance(a, SqlInterval) or isinstance(b, SqlInterval):
        return _as_timedelta(to_interval(a)), _as_timedelta(to_interval(b))
    if type(a) is type(b) and not isinstance(a, dt.datetime):
        return a, b
    if isinstance(a, str) and not isinstance(b, str):
        b2, a2 = unify(b, a)
        return a2, b2
    if isinstance(a, bool) or isinstance(b, bool):
        if isinstance(a, bool) and isinstance(b, bool):
            return a, b
        other = b if isinstance(a, bool) else a
        converted = to_bool(other)
        return (a, converted) if isinstance(a, bool) else (converted, b)
    if _is_number(a) and _is_number(b):
        if isinstance(a, float) or isinstance(b, float):
            return float(a), float(b)
        return a, b
    if _is_number(a) and isinstance(b, str):
        return a, (to_float(b) if isinstance(a, float) else parse_number(b))
    if isinstance(a, dt.datetime) or isinstance(b, dt.datetime):
        aware = (isinstance(a, dt.datetime) and a.tzinfo is not None) or (
            isinstance(b, dt.datetime) and b.tzinfo is not None)
        return to_datetime(a, aware=aware), to_datetime(b, aware=aware)
    if isinstance(a, dt.date):
        return a, to_date(b)
    if isinstance(a, dt.time):
        return a, to_time(b)
    if isinstance(a, (dt.timedelta, SqlInterval)):
        return _as_timedelta(a), _as_timedelta(to_interval(b))
    if isinstance(a, uuid.UUID):
        return a, to_uuid(b)
    if isinstance(a, bytes):
        return a, to_bytes(b)
    if isinstance(a, list) and isinstance(b, str):
        return a, parse_pg_array(b)
    if isinstance(a, (dict, list)) and isinstance(b, str):
        return a, _to_json(b)
    raise UnsupportedExpression(f"cannot compare {type(a).__name__} with {type(b).__name__}")


def _as_timedelta(value: Any) -> dt.timedelta:
    return value.to_timedelta() if isinstance(value, SqlInterval) else value


_OPS = {
    "=": lambda c: c == 0, "<>": lambda c: c != 0, "<": lambda c: c < 0,
    "<=": lambda c: c <= 0, ">": lambda c: c > 0, ">=": lambda c: c >= 0,
}


def compare(op: str, a: Any, b: Any) -> bool | None:
    """``a op b`` with SQL NULL semantics; ``op`` is one of ``= <> < <= > >=``. ``None`` if either side is NULL."""
    if a is None or b is None:
        return None
    a, b = unify(a, b)
    if op in ("=", "<>"):
        try:
            equal = a == b
        except TypeError as err:  # pragma: no cover - == never raises for these types
            raise UnsupportedExpression(str(err)) from err
        return equal if op == "=" else not equal
    try:
        c = -1 if a < b else (1 if a > b else 0)
    except TypeError as err:
        raise UnsupportedExpression(f"cannot order {type(a).__name__} values") from err
    return _OPS[op](c)


# --------------------------------------------------------------------------------------------------------------------
# Arithmetic


def _add_months(value: dt.date, months: int) -> dt.date:
    total = value.year * 12 + value.month - 1 + months
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise UnsupportedExpression("date out of range")
    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return value.replace(year=year, month=month + 1, day=day)


def add_interval(value: dt.date | dt.datetime, interval: SqlInterval | dt.timedelta) -> dt.datetime:
    """``timestamp + interval`` (a date is promoted to a timestamp at midnight first, as in PostgreSQL)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    try:
        if isinstance(interval, dt.timedelta):
            return value + interval
        moved = _add_months(value, interval.months)
        assert isinstance(moved, dt.datetime)
        return moved + dt.timedelta(days=interval.days, microseconds=interval.micros)
    except OverflowError as err:
        raise UnsupportedExpression("timestamp out of range") from err


def arithmetic(op: str, a: Any, b: Any, *, typed_division: bool = True) -> Any:
    """``a op b`` for ``+ - * / %``; NULL if either side is NULL.

    Integer ``/`` truncates toward zero when ``typed_division`` (PostgreSQL, SQLite, T-SQL), else gives a Decimal
    (MySQL). Dates: ``date ± int`` moves days, ``date - date`` is an int, timestamps ± intervals move in calendar
    terms, ``timestamp - timestamp`` is a timedelta.
    """
    if a is None or b is None:
        return None
    if isinstance(a, str) and _is_number(b):
        a = parse_number(a)
    if isinstance(b, str) and _is_number(a):
        b = parse_number(b)
    if isinstance(b, str) and isinstance(a, (dt.date, dt.timedelta, SqlInterval)) and op in "+-":
        b = parse_interval(b)
    if _is_number(a) and _is_number(b):
        return _number_op(op, a, b, typed_division)
    if isinstance(a, dt.date) and not isinstance(a, dt.datetime) and isinstance(b, int) and not isinstance(b, bool):
        if op == "+":
            return a + dt.timedelta(days=b)
        if op == "-":
            return a - dt.timedelta(days=b)
    if isinstance(a, dt.date) and isinstance(b, (SqlInterval, dt.timedelta)) and op in "+-":
        return add_interval(a, b if op == "+" else (-b))
    if isinstance(b, dt.date) and isinstance(a, (SqlInterval, dt.timedelta)) and op == "+":
        return add_interval(b, a)
    if op == "-" and isinstance(a, dt.date) and isinstance(b, dt.date):
        if not isinstance(a, dt.datetime) and not isinstance(b, dt.datetime):
            return (a - b).days
        x, y = unify(a, b)
        return x - y
    if isinstance(a, (SqlInterval, dt.timedelta)) and isinstance(b, (SqlInterval, dt.timedelta)) and op in "+-":
        x, y = _as_timedelta(a), _as_timedelta(b)
        return x + y if op == "+" else x - y
    raise UnsupportedExpression(f"unsupported arithmetic: {type(a).__name__} {op} {type(b).__name__}")


def _number_op(op: str, a: Any, b: Any, typed_division: bool) -> Any:
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)
    elif isinstance(a, Decimal) or isinstance(b, Decimal):
        a, b = Decimal(a), Decimal(b)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if b == 0:
        raise UnsupportedExpression("division by zero")
    if op == "/":
        if isinstance(a, int) and isinstance(b, int):
            if typed_division:
                q = abs(a) // abs(b)
                return q if (a >= 0) == (b >= 0) else -q
            return Decimal(a) / Decimal(b)
        return a / b
    if op == "%":
        if isinstance(a, float):
            raise UnsupportedExpression("float modulo")
        r = abs(a) % abs(b)  # SQL modulo takes the sign of the dividend
        return r if a >= 0 else -r
    raise UnsupportedExpression(f"unsupported operator {op}")
