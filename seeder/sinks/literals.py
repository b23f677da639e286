"""Per-dialect SQL literal encoders: Python values (see :mod:`seeder.dataset`) to SQL literal text.

The hot path of every SQL sink. An encoder is built once per (column type, dialect) by :func:`column_encoder` and
then mapped over a column's values; :func:`encode_values` does that with C-level fast paths when a slice holds no
NULLs. ``None`` always encodes as ``NULL``.

Dialect rules (verified by round-trip tests against PostgreSQL 15 and SQLite 3.40; MySQL rules from the MySQL 8 /
MariaDB 10.11 manuals, "String Literals" and "Hexadecimal Literals"):

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
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

from seeder.dialects import DialectCapabilities, get_dialect
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


# --------------------------------------------------------------------------------------------------------------
# String quoting per dialect


def _pg_quote(s: str) -> str:
    return "'" + s.replace("\x00", "").replace("'", "''") + "'"


def _sqlite_quote(s: str) -> str:
    # '' doubling as PostgreSQL; CR goes in as char(13) because the sqlite3 shell (3.40, checked) reads CR LF in a
    # script as LF, even inside a string literal.
    text = _pg_quote(s)
    return text if "\r" not in text else text.replace("\r", "' || char(13) || '")


_MYSQL_SPECIAL = re.compile(r"[\\'\x00\n\r\x1a]")


def _mysql_quote(s: str) -> str:
    s = s.replace("\x00", "")
    if _MYSQL_SPECIAL.search(s) is None:
        return "'" + s + "'"
    # Backslash first, so the escapes added after it are not doubled again. (NUL is already gone.)
    return ("'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
            .replace("\x1a", "\\Z") + "'")


_QUOTERS: dict[str, Callable[[str], str]] = {"postgres": _pg_quote, "mysql": _mysql_quote, "sqlite": _sqlite_quote}


def quote_text(s: str, dialect: str | DialectCapabilities) -> str:
    """Quote ``s`` as a string literal of ``dialect`` (NULs removed, see :data:`NUL_POLICY`)."""
    return _QUOTERS[get_dialect(dialect).name](s)


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


def _int_encoder() -> Encoder:
    def enc(v: Any, _str: type = str) -> str:
        if v is None:
            return _NULL
        return _str(int(v)) if v.__class__ is not int else _str(v)
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


def _pg_float_encoder() -> Encoder:
    # PostgreSQL floats do have NaN/Infinity; write them as the quoted special values instead of failing.
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


def _pg_bytes_encoder() -> Encoder:
    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        return "'\\x" + bytes(v).hex() + "'::bytea"
    return enc


def _hex_bytes_encoder() -> Encoder:
    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        return "X'" + bytes(v).hex() + "'"
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


def _mysql_time_encoder() -> Encoder:
    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        if isinstance(v, time):
            v = v.replace(tzinfo=None)
            return "'" + v.isoformat() + "'"
        return _mysql_quote(str(v))
    return enc


def _interval_encoder(text: Callable[[timedelta], str], quote: Callable[[str], str]) -> Encoder:
    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        if isinstance(v, timedelta):
            return quote(text(v))
        return quote(str(v))
    return enc


def _mysql_interval_text(value: timedelta) -> str:
    # MySQL has no interval type; TIME ('[-]H:MM:SS[.ffffff]', up to 838 hours) is the closest column type.
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


def _pg_array_encoder(col_type: ColumnType) -> Encoder:
    element = col_type.element
    element_enc = column_encoder(element, "postgres") if element is not None else _pg_any_encoder()
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


def _mysql_bit_encoder() -> Encoder:
    def enc(v: Any) -> str:
        if v is None:
            return _NULL
        if isinstance(v, int):
            return str(v)
        s = str(v)
        if s and set(s) <= {"0", "1"}:
            return "b'" + s + "'"
        return _mysql_quote(s)
    return enc


def _pg_any_encoder() -> Encoder:
    """Encoder for values of unknown element type: dispatch on the Python type."""
    return _generic_encoder("postgres")


def _generic_encoder(dialect: str) -> Encoder:
    """Dispatch on the value's Python type; for kinds the dialect has no specific rule for."""
    quote = _QUOTERS[dialect]
    pg = dialect == "postgres"
    encoders: dict[type, Encoder] = {
        bool: _bool_encoder("TRUE", "FALSE") if pg else _bool_encoder("1", "0"),
        int: _int_encoder(),
        float: _pg_float_encoder() if pg else _float_encoder(),
        Decimal: _decimal_encoder(),
        bytes: _pg_bytes_encoder() if pg else _hex_bytes_encoder(),
        # datetime before date: the isinstance fallback below takes the first match and datetime is a date.
        datetime: _datetime_encoder(quote, aware=True, keep_zone=dialect != "mysql"),
        date: _isoformat_encoder(quote),
        time: _isoformat_encoder(quote) if dialect != "mysql" else _mysql_time_encoder(),
        timedelta: _interval_encoder(interval_text if pg else iso_duration, quote),
        UUID: _uuid_encoder(quote),
        dict: _json_encoder(quote),
        list: _json_array_encoder(quote) if not pg else _json_encoder(quote),
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


_TEXT_KINDS = frozenset({"char", "varchar", "text", "xml", "inet", "cidr", "macaddr", "enum", "set", "tsvector",
                         "other"})
_INT_KINDS = frozenset({"smallint", "integer", "bigint"})


def _build(col_type: ColumnType, dialect: str) -> Encoder:
    kind = col_type.kind
    quote = _QUOTERS[dialect]
    if kind in _INT_KINDS:
        return _int_encoder()
    if kind == "decimal":
        return _decimal_encoder()
    if kind == "money":
        # PostgreSQL money has no implicit cast from numeric; its input function reads the quoted number.
        return _decimal_encoder(quote_result=dialect == "postgres")
    if kind in ("float", "double"):
        return _pg_float_encoder() if dialect == "postgres" else _float_encoder()
    if kind == "boolean":
        return _bool_encoder("TRUE", "FALSE") if dialect == "postgres" else _bool_encoder("1", "0")
    if kind == "bytes":
        return _pg_bytes_encoder() if dialect == "postgres" else _hex_bytes_encoder()
    if kind == "date":
        return _isoformat_encoder(quote)
    if kind == "time":
        return _mysql_time_encoder() if dialect == "mysql" else _isoformat_encoder(quote)
    if kind in ("timestamp", "timestamptz"):
        aware = kind == "timestamptz"
        return _datetime_encoder(quote, aware=aware, keep_zone=aware and dialect != "mysql")
    if kind == "interval":
        text = {"postgres": interval_text, "mysql": _mysql_interval_text, "sqlite": iso_duration}[dialect]
        return _interval_encoder(text, quote)
    if kind == "uuid":
        return _uuid_encoder(quote)
    if kind in ("json", "jsonb"):
        return _json_encoder(quote)
    if kind == "array":
        return _pg_array_encoder(col_type) if dialect == "postgres" else _json_array_encoder(quote)
    if kind == "bit" and dialect == "mysql":
        return _mysql_bit_encoder()
    if kind in _TEXT_KINDS or kind == "bit":
        return _quoted_text_encoder(quote)
    return _generic_encoder(dialect)


def column_encoder(col_type: ColumnType, dialect: str | DialectCapabilities) -> Encoder:
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
    return _build(col_type, get_dialect(dialect).name)


#: Kinds whose encoders turn a non-NULL value into its literal with a plain ``str``/``repr`` call, so a NULL-free
#: slice can be encoded by ``map`` over the builtin without a Python-level function call per value.
_FAST_INT = _INT_KINDS


def encode_values(values: Sequence[Any], col_type: ColumnType, encoder: Encoder) -> list[str]:
    """Encode a sequence of column values with ``encoder`` (from :func:`column_encoder` for ``col_type``).

    Integer columns without NULLs take a C-level path (``map(str, ...)``); otherwise the encoder is mapped.
    """
    if col_type.kind in _FAST_INT and None not in values:
        return list(map(str, values))
    return list(map(encoder, values))


def sql_literal(value: Any, col_type: ColumnType, dialect: str | DialectCapabilities) -> str:
    """One-off convenience: the literal of ``value`` as a ``col_type`` value in ``dialect`` (builds an encoder)."""
    return column_encoder(col_type, dialect)(value)
