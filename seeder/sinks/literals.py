"""Per-dialect SQL literal encoders: Python values (see :mod:`seeder.dataset`) to SQL literal text.

The hot path of every SQL sink. An encoder is built once per (column type, dialect) by :func:`column_encoder` and
then mapped over a column's values; :func:`encode_values` does that with a C-level fast path for plain integers.
``None`` always encodes as ``NULL``. What differs between dialects is read from the dialect's registry entry: its
``quote_string`` and its :class:`~seeder.dialects.rules.LiteralRules` (``literals``); the results, verified by
round-trip tests against PostgreSQL 15, MariaDB 10.11 and SQLite 3.40, are:

* PostgreSQL: ``'...'`` with ``'`` doubled and backslashes literal (the script sets
  ``standard_conforming_strings = on``); ``bytea`` as ``'\\x<hex>'::bytea``; booleans ``TRUE``/``FALSE``;
  date/time values as ISO 8601 text (``timestamptz`` with its UTC offset, naive values taken as UTC);
  intervals as ``'<days> days <seconds>.<micro> seconds'``; arrays as ``ARRAY[...]::<element type>[]``; everything
  else (uuid, inet, json, enum, money, tsvector, ...) as a quoted string the column's input function parses.
* MySQL/MariaDB: strings with backslash escapes (``\\\\ \\' \\n \\r \\Z``; ``\\0`` is never needed since NUL is
  removed; valid while ``NO_BACKSLASH_ESCAPES`` is off, which the script's session settings ensure); bytes as
  ``X'<hex>'``; booleans ``1``/``0``; datetimes as ``'YYYY-MM-DD HH:MM:SS[.ffffff]'`` in UTC without zone; JSON
  and arrays as JSON text; ``BIT`` as ``b'0101'``; intervals as TIME text ``'[-]H:MM:SS[.ffffff]'``.
* SQLite: ``'...'`` with ``'`` doubled and CR as ``' || char(13) || '`` (the sqlite3 shell reads CR LF
  as LF); bytes ``X'<hex>'``; booleans ``1``/``0``; date/time values as ISO 8601 text
  (``YYYY-MM-DD HH:MM:SS``, the form SQLite's own date functions produce); intervals as ISO 8601 durations; JSON
  and arrays as JSON text. Decimals go in as numeric literals, so NUMERIC-affinity columns hold them as INTEGER or
  REAL (SQLite has no exact decimal storage).
* Decimals are written in positional notation (``format(d, 'f')``), never with an exponent: MySQL reads a number
  with an exponent as an approximate DOUBLE. Floats use ``repr`` (the shortest text that round-trips).

JSON text is always ``json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(',', ':'))``.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

from seeder import types
from seeder.dialects import TargetDialect, get_dialect
from seeder.errors import GenerationError
from seeder.schema import ColumnType

#: The NUL policy shared by every sink (SQL scripts, CSV, JSONL) and the loaders.
NUL_POLICY = """\
NUL policy: the character U+0000 is removed from every text value (and from strings inside JSON documents and
arrays) before it is written anywhere. PostgreSQL cannot store U+0000 in text, json or jsonb, and a value that only
one target could hold would make sinks disagree; removing it is the one rule that keeps every output identical in
content. Binary (bytes/bytea) values are never touched. Sinks call :func:`strip_nul` for this.
"""

Encoder = Callable[[Any], str]

_UTC = timezone.utc
_NULL = "NULL"


def strip_nul(s: str) -> str:
    """Return ``s`` without U+0000 characters (see :data:`NUL_POLICY`); the same object when there are none."""
    return s.replace("\x00", "")


def strip_nul_json(value: Any) -> Any:
    """Return a JSON-compatible ``value`` with U+0000 removed from every string and object key in it."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {strip_nul(str(k)): strip_nul_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strip_nul_json(v) for v in value]
    return value


def json_text(value: Any) -> str:
    """Canonical compact JSON text of a JSON-compatible ``value`` (sorted keys, UTF-8 kept, NULs removed).

    Raises:
        GenerationError: when ``value`` holds something JSON cannot represent (a non-finite float, an object).
    """
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as err:
        raise GenerationError(f"value is not valid JSON ({err}): {value!r:.80}") from None
    if "\\u0000" in text:
        # json.dumps escapes NUL as \u0000, which jsonb rejects; only walk the document when it is there.
        text = json.dumps(strip_nul_json(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                          allow_nan=False)
    return text


def decimal_text(value: Decimal | int | float) -> str:
    """Positional (exponent-free) text of a decimal, e.g. ``Decimal('1E+2')`` -> ``'100'``.

    Raises:
        GenerationError: for NaN or infinite values.
    """
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise GenerationError(f"decimal value {value} is not finite")
        return format(value, "f")
    if isinstance(value, float):
        return float_text(value)
    return str(int(value))


def float_text(value: float) -> str:
    """``repr`` of a finite float (shortest round-tripping text); raises GenerationError for NaN/infinity."""
    if not math.isfinite(value):
        raise GenerationError(f"float value {value} is not finite")
    return repr(float(value))


def interval_text(value: timedelta) -> str:
    """PostgreSQL interval input text of ``value``: ``'<days> days <seconds>.<microseconds> seconds'``.

    The days part keeps the sign of a normalised ``timedelta`` (``-1 days 86399.000000 seconds`` is minus one
    second), so the text is exact and PostgreSQL reads back the same days/seconds split.
    """
    return f"{value.days} days {value.seconds}.{value.microseconds:06d} seconds"


def iso_duration(value: timedelta) -> str:
    """ISO 8601 duration text of ``value``: ``P<d>DT<s>[.ffffff]S``, with a leading ``-`` when negative."""
    sign = "-" if value < timedelta(0) else ""
    v = -value if sign else value
    frac = f".{v.microseconds:06d}" if v.microseconds else ""
    return f"{sign}P{v.days}DT{v.seconds}{frac}S"


def utc_naive(value: datetime) -> datetime:
    """``value`` as a naive UTC datetime (aware values are converted; naive ones are returned as they are)."""
    if value.tzinfo is None:
        return value
    return value.astimezone(_UTC).replace(tzinfo=None)


def json_compatible(value: Any) -> Any:
    """Map a dataset value to a JSON-compatible value (used for arrays as JSON text and by the JSONL sink).

    Mapping: ``None``/``bool``/``int``/finite ``float`` unchanged; ``str`` NUL-stripped; ``Decimal`` -> string
    (keeps precision); ``bytes`` -> standard base64; ``date``/``time``/``datetime`` -> ISO 8601 (``T``
    separator); ``timedelta`` -> ISO 8601 duration; ``UUID`` -> string; lists/tuples and dicts recursively (dict keys
    as NUL-stripped strings).
    """
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise GenerationError(f"float value {value} is not finite")
        return value
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return iso_duration(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, dict):
        return {strip_nul(str(k)): json_compatible(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_compatible(v) for v in value]
    return strip_nul(str(value))


def quote_text(s: str, dialect: str | TargetDialect) -> str:
    """Quote ``s`` as a string literal of ``dialect`` (NULs removed, see :data:`NUL_POLICY`)."""
    return get_dialect(dialect).quote_string(s)


# --------------------------------------------------------------------------------------------------------------
# Encoder factories. Each returns a function value -> literal text that maps None to NULL.


def _text_of(value: Any) -> str:
    # Values of text-like kinds should already be str; anything else is written in its str() form.
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def _quoted_text_encoder(quote: Callable[[str], str]) -> Encoder:
    def enc(v: Any, _quote: Callable[[str], str] = quote, _str: type = str) -> str:
        if v is None:
            return _NULL
        if v.__class__ is not _str:
            v = _text_of(v)
        return _quote(v)
    return enc


def integer_text(value: Any) -> str:
    """The text of a value of an integer column, the same in every sink: ``int`` as digits, ``bool`` as ``1``/``0``,
    and any other number (numpy integers, floats, Decimals) as digits when it is integral (``4.0`` -> ``4``).

    A non-integral number is written exactly (``187.46``), never truncated: the database then rounds or rejects it
    as it would any such value (the DDL renderer may also have given the column a decimal type).

    Raises:
        GenerationError: for values that are not numbers (NaN, infinity, objects without ``int()``).
    """
    if isinstance(value, int):
        return int.__repr__(value)  # bool is an int: True -> 1
    try:
        whole = int(value)
    except (TypeError, ValueError, OverflowError):
        raise GenerationError(f"value {value!r:.80} is not a number for an integer column") from None
    return int.__repr__(whole) if whole == value else decimal_text(value)


def _int_encoder() -> Encoder:
    def enc(v: Any, _text: Callable[[Any], str] = integer_text, _repr: Callable[[int], str] = int.__repr__) -> str:
        if v is None:
            return _NULL
        return _repr(v) if v.__class__ is int else _text(v)
    return enc


def _decimal_encoder(quote_result: bool = False) -> Encoder:
    def enc(v: Any, _dec: type = Decimal, _str: type = str) -> str:
        if v is None:
            return _NULL
        # str() is several times faster than format(v, "f") and positional for everyday values; exponent
        # notation ("1E+2") and specials ("NaN", "Infinity") take the exact, checking path.
        text = _str(v) if v.__class__ is _dec else decimal_text(v)
        if "E" in text or not text[-1].isdigit():
            text = decimal_text(v)
        return "'" + text + "'" if quote_result else text
    return enc


def _float_encoder() -> Encoder:
    def enc(v: Any, _isfinite: Callable[[float], bool] = math.isfinite) -> str:
        if v is None:
            return _NULL
        if v.__class__ is float and _isfinite(v):
            return repr(v)
        return float_text(float(v))
    return enc


def _special_float_encoder() -> Encoder:
    # For dialects whose floats have NaN/Infinity (PostgreSQL): the quoted special values instead of failing.
    def enc(v: Any, _isfinite: Callable[[float], bool] = math.isfinite) -> str:
        if v is None:
            return _NULL
        v = float(v)
        if _isfinite(v):
            return repr(v)
        return "'NaN'" if v != v else ("'Infinity'" if v > 0 else "'-Infinity'")
    return enc


def _bool_encoder(true: str, false: str) -> Encoder:
    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        return true if v else false
    return enc


def _bytes_encoder(template: str) -> Encoder:
    def enc(v: Any, _format: Callable[[str], str] = template.format) -> str:
        if v is None:
            return _NULL
        return _format(bytes(v).hex())
    return enc


class _BoundedCache(dict):  # type: ignore[type-arg]
    """A dict that empties itself when it grows past ``limit`` entries (memory stays bounded on unique values)."""

    __slots__ = ("limit",)

    def __init__(self, limit: int = 100_000) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: Any, value: str) -> str:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


def _isoformat_encoder(quote: Callable[[str], str]) -> Encoder:
    """Dates and times: quoted ISO 8601 text (``time`` keeps its offset when it has one).

    ``isoformat`` costs about a microsecond; the same dates and times recur a lot in generated data, so the literals
    are cached (bounded).
    """
    cache = _BoundedCache()

    def enc(v: Any, _get: Callable[[Any], str | None] = cache.get, _put: Callable[[Any, str], str] = cache.put) -> str:
        if v is None:
            return _NULL
        lit = _get(v)
        if lit is None:
            lit = _put(v, quote(v.isoformat()) if not isinstance(v, str) else quote(v))
        return lit
    return enc


def _datetime_encoder(quote: Callable[[str], str], *, aware: bool, keep_zone: bool) -> Encoder:
    """Datetimes as ``'YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]'`` (exactly ``isoformat(" ")`` of the value written).

    ``aware``: the column stores instants (timestamptz); naive values are taken as UTC. ``keep_zone``: write the
    offset (PostgreSQL/SQLite timestamptz); otherwise aware values are converted to naive UTC (MySQL, and plain
    timestamp columns, where PostgreSQL would silently drop the offset).

    Fast path for naive and UTC values: the text is the cached date part + ``" "`` + the cached time part, since
    ``datetime.isoformat`` alone costs several times what the rest of a row does.
    """
    dates = _BoundedCache()
    times = _BoundedCache(200_000)
    utc_suffix = "+00:00'" if aware and keep_zone else "'"
    naive_suffix = utc_suffix  # naive values in an aware column are UTC; in a plain column they stay naive

    def slow(v: Any) -> str:
        if isinstance(v, str):
            return quote(v)
        if not isinstance(v, datetime):  # a bare date in a timestamp column
            v = datetime(v.year, v.month, v.day)
        if aware and keep_zone:
            if v.tzinfo is None:
                v = v.replace(tzinfo=_UTC)
        elif v.tzinfo is not None:
            v = v.astimezone(_UTC).replace(tzinfo=None)
        return "'" + v.isoformat(" ") + "'"

    def enc(v: Any, _dt: type = datetime) -> str:
        if v is None:
            return _NULL
        if v.__class__ is not _dt:
            return slow(v)
        tz = v.tzinfo
        if tz is None:
            suffix = naive_suffix
        elif tz is _UTC:
            suffix = utc_suffix
        else:
            return slow(v)
        d = v.date()
        ds = dates.get(d)
        if ds is None:
            ds = dates.put(d, "'" + d.isoformat() + " ")
        if v.microsecond:  # practically unique: caching would only churn
            return ds + v.time().isoformat() + suffix
        t = v.time()
        ts = times.get(t)
        if ts is None:
            ts = times.put(t, t.isoformat())
        return ds + ts + suffix
    return enc


def _naive_time_encoder(quote: Callable[[str], str]) -> Encoder:
    """Times without their UTC offset (dialects whose time type has none: MySQL)."""
    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        if isinstance(v, time):
            v = v.replace(tzinfo=None)
            return "'" + v.isoformat() + "'"
        return quote(str(v))
    return enc


def _time_encoder(quote: Callable[[str], str], utc_offsets: bool) -> Encoder:
    return _isoformat_encoder(quote) if utc_offsets else _naive_time_encoder(quote)


def _interval_encoder(text: Callable[[timedelta], str], quote: Callable[[str], str]) -> Encoder:
    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        if isinstance(v, timedelta):
            return quote(text(v))
        return quote(str(v))
    return enc


def time_interval_text(value: timedelta) -> str:
    """``value`` as TIME text ``'[-]H:MM:SS[.ffffff]'`` (MySQL has no interval type; TIME, up to 838 hours, is the
    closest column type)."""
    sign = "-" if value < timedelta(0) else ""
    v = -value if sign else value
    total = v.days * 86400 + v.seconds
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    frac = f".{v.microseconds:06d}" if v.microseconds else ""
    return f"{sign}{hours}:{minutes:02d}:{seconds:02d}{frac}"


def _uuid_encoder(quote: Callable[[str], str]) -> Encoder:
    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        return "'" + str(v) + "'" if isinstance(v, UUID) else quote(str(v))
    return enc


def _json_encoder(quote: Callable[[str], str]) -> Encoder:
    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        return quote(json_text(v))
    return enc


def _json_array_encoder(quote: Callable[[str], str]) -> Encoder:
    """Arrays for dialects without arrays: JSON text of the elements mapped by :func:`json_compatible`."""
    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        return quote(json_text(json_compatible(list(v))))
    return enc


def _array_encoder(col_type: ColumnType, caps: TargetDialect) -> Encoder:
    """``ARRAY[...]::<element type>[]`` literals, for dialects with arrays (``TargetDialect.has_arrays``)."""
    element = col_type.element
    element_enc = _build(element, caps) if element is not None else _generic_encoder(caps)
    if element is not None and element.sql:
        cast = "::" + element.sql + "[]"
    elif col_type.sql.rstrip().endswith("]"):
        cast = "::" + col_type.sql
    else:
        cast = ""

    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        if not v and not cast:
            return "'{}'"  # an untyped empty-array literal; the INSERT target column gives it its type
        # An empty ARRAY[] has no element type of its own, hence the cast on every array.
        return "ARRAY[" + ", ".join(map(element_enc, v)) + "]" + cast
    return enc


def _bit_string_encoder(quote: Callable[[str], str]) -> Encoder:
    """``b'0101'`` bit literals (``LiteralRules.bit_strings``: MySQL), integers as numbers, anything else quoted."""
    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        if isinstance(v, int):
            return str(v)
        s = str(v)
        if s and set(s) <= {"0", "1"}:
            return "b'" + s + "'"
        return quote(s)
    return enc


#: Interval text per ``LiteralRules.interval_style``.
_INTERVAL_TEXT: dict[str, Callable[[timedelta], str]] = {
    "days_seconds": interval_text, "time": time_interval_text, "iso8601": iso_duration,
}


def _float(caps: TargetDialect) -> Encoder:
    return _special_float_encoder() if caps.literals.float_specials else _float_encoder()


def _bool(caps: TargetDialect) -> Encoder:
    return _bool_encoder(*caps.literals.true_false)


def _generic_encoder(caps: TargetDialect) -> Encoder:
    """Dispatch on the value's Python type; for kinds the dialect has no specific rule for."""
    quote = caps.quote_string
    rules = caps.literals
    encoders: dict[type, Encoder] = {
        bool: _bool(caps),
        int: _int_encoder(),
        float: _float(caps),
        Decimal: _decimal_encoder(),
        bytes: _bytes_encoder(rules.bytes_template),
        # datetime before date: the isinstance fallback below takes the first match and datetime is a date.
        datetime: _datetime_encoder(quote, aware=True, keep_zone=rules.utc_offsets),
        date: _isoformat_encoder(quote),
        time: _time_encoder(quote, rules.utc_offsets),
        timedelta: _interval_encoder(_INTERVAL_TEXT[rules.interval_style], quote),
        UUID: _uuid_encoder(quote),
        dict: _json_encoder(quote),
        # Nested lists of an element-less array are JSON documents where arrays exist, JSON arrays elsewhere.
        list: _json_encoder(quote) if caps.has_arrays else _json_array_encoder(quote),
    }
    text = _quoted_text_encoder(quote)

    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        specific = encoders.get(v.__class__)
        if specific is None:
            for cls, candidate in encoders.items():
                if isinstance(v, cls):
                    specific = candidate
                    break
            else:
                specific = text
        return specific(v)
    return enc


#: Column kinds whose values every sink writes with :func:`integer_text`.
INTEGER_KINDS = types.INTEGER_KINDS


def _build(col_type: ColumnType, caps: TargetDialect) -> Encoder:
    kind = col_type.kind
    quote = caps.quote_string
    rules = caps.literals
    if kind in INTEGER_KINDS:
        return _int_encoder()
    if kind == "decimal":
        return _decimal_encoder()
    if kind == "money":
        return _decimal_encoder(quote_result=rules.quoted_money)
    if kind in types.FLOAT_KINDS:
        return _float(caps)
    if kind == "boolean":
        return _bool(caps)
    if kind == "bytes":
        return _bytes_encoder(rules.bytes_template)
    if kind == "date":
        return _isoformat_encoder(quote)
    if kind == "time":
        return _time_encoder(quote, rules.utc_offsets)
    if kind in types.TIMESTAMP_KINDS:
        aware = kind == "timestamptz"
        return _datetime_encoder(quote, aware=aware, keep_zone=aware and rules.utc_offsets)
    if kind == "interval":
        return _interval_encoder(_INTERVAL_TEXT[rules.interval_style], quote)
    if kind == "uuid":
        return _with_column(_uuid_encoder(quote), _uuid_column(caps))
    if kind in types.JSON_KINDS:
        return _json_encoder(quote)
    if kind == "array":
        return _array_encoder(col_type, caps) if caps.has_arrays else _json_array_encoder(quote)
    if kind == "bit" and rules.bit_strings:
        return _bit_string_encoder(quote)
    if kind in types.STRING_KINDS:
        return _with_column(_quoted_text_encoder(quote), _text_column(caps))
    return _generic_encoder(caps)


#: A whole-column fast path an encoder may carry (attribute ``column``): ``values -> literals``, or ``None`` when the
#: column holds values it does not cover (the caller then maps the encoder).
ColumnEncoder = Callable[[Sequence[Any]], "list[str] | None"]


def _with_column(encoder: Encoder, column: ColumnEncoder) -> Encoder:
    encoder.column = column  # type: ignore[attr-defined]
    return encoder


def _text_column(caps: TargetDialect) -> ColumnEncoder:
    def column(values: Sequence[Any]) -> list[str] | None:
        kinds = set(map(type, values))
        if kinds <= {str}:
            return caps.quote_strings(list(values))
        if kinds <= {str, type(None)}:
            quoted = iter(caps.quote_strings([v for v in values if v is not None]))
            return [_NULL if v is None else next(quoted) for v in values]
        return None
    return column


def _uuid_column(caps: TargetDialect) -> ColumnEncoder:
    def column(values: Sequence[Any]) -> list[str] | None:
        if set(map(type, values)) <= {UUID}:
            return caps.quote_strings(list(map(str, values)))  # hex digits and dashes: never escaped
        return None
    return column


def column_encoder(col_type: ColumnType, dialect: str | TargetDialect) -> Encoder:
    """Build the literal encoder for values of ``col_type`` in target ``dialect``.

    Args:
        col_type: the column's type; ``kind`` picks the rule, ``element`` and ``sql`` matter for arrays.
        dialect: a target dialect name or capabilities (see :func:`seeder.dialects.get_dialect`).

    Returns:
        A function ``value -> str`` giving the SQL literal (``'NULL'`` for ``None``). It expects the Python types
        documented in :mod:`seeder.dataset` and raises :class:`GenerationError` for values no literal can hold
        (non-finite numbers outside PostgreSQL floats, non-JSON documents).

    Raises:
        ConfigError: for an unknown dialect name.
    """
    return _build(col_type, get_dialect(dialect))


#: The fast path of integer columns: ``int.__repr__`` is the text :func:`integer_text` gives ``int`` and ``bool``
#: values (``True`` -> ``1``) and raises TypeError for anything else (None, floats, numpy integers, Decimals), which
#: then go through the encoder. It runs at C level, without a Python call per value.
_INT_TEXT = int.__repr__


def encode_values(values: Sequence[Any], col_type: ColumnType, encoder: Encoder) -> list[str]:
    """Encode a sequence of column values with ``encoder`` (from :func:`column_encoder` for ``col_type``).

    Integer columns holding only ``int`` (and ``bool``) values take a C-level path giving exactly the encoder's
    text; any other value (NULL, ``4.0``, a numpy integer, a Decimal) sends the slice through the encoder. Encoders
    with a ``column`` fast path (text and UUID columns: :meth:`TargetDialect.quote_strings`) use it when it covers
    the slice.
    """
    if col_type.kind in INTEGER_KINDS:
        try:
            return list(map(_INT_TEXT, values))
        except TypeError:
            pass
    column = getattr(encoder, "column", None)
    if column is not None:
        done = column(values)
        if done is not None:
            return done
    return list(map(encoder, values))


def sql_literal(value: Any, col_type: ColumnType, dialect: str | TargetDialect) -> str:
    """One-off convenience: the literal of ``value`` as a ``col_type`` value in ``dialect`` (builds an encoder)."""
    return column_encoder(col_type, dialect)(value)
