"""Facts about column types, in one place: kind families, value ranges, maximum lengths, and whether a value fits.

:mod:`seeder.schema` says what a column's type *is* (a :class:`~seeder.schema.ColumnType`); this module says what
such a type *holds*. The value generators, the CHECK analysis and repair, and the LLM validator all ask here, so
they cannot disagree about a type (e.g. where MySQL's ``TINYINT`` ends). Pure functions, no I/O.

Most facts follow from the type alone. A few depend on the dialect the type was read in (its sqlglot name, as in
:attr:`seeder.schema.Schema.dialect`): those live in the dialect's registry entry (``TypeRules.ranges`` in
:mod:`seeder.dialects`), and :data:`SHARED_RANGES` holds the range every dialect that has the type accepts, used
when the dialect is unknown or has no entry of its own. Callers never compare dialect names themselves.

Sources of the ranges:

* PostgreSQL manual, "Numeric Types": ``smallint``/``integer``/``bigint`` are 2/4/8-byte signed integers;
  ``numeric(p, s)`` holds ``p`` digits, ``s`` of them after the point (a negative ``s`` rounds to tens, hundreds,
  ...); "Monetary Types": ``money`` holds -92233720368547758.08 .. +92233720368547758.07.
* MySQL 8.0 reference manual, "Integer Types": ``TINYINT`` -128..127 (``UNSIGNED`` 0..255), ``MEDIUMINT`` 3 bytes;
  "The YEAR Type": 1901..2155; "The DATE, DATETIME, and TIMESTAMP Types": ``TIMESTAMP`` holds
  '1970-01-01 00:00:01' .. '2038-01-19 03:14:07' UTC. ``UNSIGNED`` shifts an integer type's range to start at 0.
* SQL Server, "int, bigint, smallint, and tinyint (Transact-SQL)": ``tinyint`` is 0..255.
* IEEE 754: single precision (``real``, ``float4``) reaches about 3.4e38, double precision about 1.7e308.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from typing import Any

from seeder.schema import ColumnType

# --------------------------------------------------------------------------------------------------- kind families

#: Integer kinds (Python ``int`` values).
INTEGER_KINDS = frozenset({"smallint", "integer", "bigint"})
#: Exact fractional kinds (Python ``Decimal`` values).
DECIMAL_KINDS = frozenset({"decimal", "money"})
#: Binary floating-point kinds (Python ``float`` values).
FLOAT_KINDS = frozenset({"float", "double"})
#: Every numeric kind.
NUMBER_KINDS = INTEGER_KINDS | DECIMAL_KINDS | FLOAT_KINDS
#: Timestamps with and without time zone (Python ``datetime``; aware in UTC for ``timestamptz``).
TIMESTAMP_KINDS = frozenset({"timestamp", "timestamptz"})
#: Points on the calendar: dates and timestamps (ordered, and moved by adding days or hours).
DATETIME_KINDS = frozenset({"date"}) | TIMESTAMP_KINDS
#: Every temporal kind: points on the calendar, times of day and durations.
TEMPORAL_KINDS = DATETIME_KINDS | {"time", "interval"}
#: Character-string kinds: free text of a declared or unbounded length.
CHARACTER_KINDS = frozenset({"char", "varchar", "text"})
#: Kinds whose values are labels from the type's declaration (``ColumnType.values``).
LABEL_KINDS = frozenset({"enum", "set"})
#: Kinds whose values are Python ``str`` and compare as text.
STRING_KINDS = CHARACTER_KINDS | LABEL_KINDS | {"xml", "inet", "cidr", "macaddr", "bit", "tsvector", "other"}
#: String kinds whose values are free text, where length and LIKE constraints make sense.
TEXT_KINDS = CHARACTER_KINDS | LABEL_KINDS | {"xml", "other"}
#: Kinds whose declared length (``ColumnType.length``) bounds a value: characters for ``char``/``varchar``, bits
#: (the characters of the text form) for ``bit``, bytes for ``bytes``.
LENGTH_KINDS = frozenset({"char", "varchar", "bit", "bytes"})
#: JSON document kinds (any JSON-compatible Python value).
JSON_KINDS = frozenset({"json", "jsonb"})
#: Kinds PostgreSQL cannot compare with ``=`` (json, xml, tsvector have no equality operator; arrays and unknown
#: types may not), so a row is never found again by them.
UNCOMPARABLE_KINDS = JSON_KINDS | {"xml", "array", "other", "tsvector"}
#: Integer kinds, narrowest first (a wider one holds every value of a narrower one).
INTEGER_KINDS_BY_WIDTH = ("smallint", "integer", "bigint")
#: Kinds with too few values to make a column unique on its own.
SMALL_DOMAIN_KINDS = frozenset({"boolean"}) | LABEL_KINDS

# --------------------------------------------------------------------------------------------------- value ranges

#: Bits of each integer kind (the signed range is ``-2**(bits-1) .. 2**(bits-1) - 1``).
_KIND_BITS = {"smallint": 16, "integer": 32, "bigint": 64}
#: Integer types narrower than the kind the reader gives them, by type name: their bits.
_NAMED_BITS = {"tinyint": 8, "mediumint": 24}
#: PostgreSQL money (8-byte integer of cents; its lowest value, .08, is left out to keep the range symmetric).
_MONEY_TOP = Decimal("92233720368547758.07")
#: Largest finite values of the floating-point kinds (IEEE 754 single and double precision).
_FLOAT_TOP = {"float": 3.4e38, "double": 1.7e308}

#: Ranges of types named by the SQL standard or by one dialect, that every dialect having the type accepts:
#: ``type name -> (low, high)``, inclusive. A dialect whose range differs says so in its registry entry
#: (``TypeRules.ranges`` in :mod:`seeder.dialects`), which wins.
SHARED_RANGES: dict[str, tuple[Any, Any]] = {
    "tinyint": (0, 127),  # MySQL -128..127, SQL Server 0..255: both accept 0..127
    "mediumint": (-(2**23), 2**23 - 1),  # MySQL/MariaDB only
    "year": (1901, 2155),  # MySQL/MariaDB only
}


def type_name(sql: str) -> tuple[str, str]:
    """The base name and the parameters of a type as written: ``public.geometry(POLYGON, 4326)`` gives
    ``("geometry", "POLYGON, 4326")``, ``TINYINT(3) UNSIGNED`` gives ``("tinyint unsigned", "3")``; quotes, the
    schema qualifier, case and repeated blanks are dropped from the name."""
    text = sql.strip()
    typmod = ""
    if "(" in text:
        cut = text.index("(")
        close = text.rfind(")")
        if close > cut:
            text, typmod = text[:cut] + text[close + 1:], text[cut + 1:close]
    name = " ".join(text.replace('"', "").lower().split()).rsplit(".", 1)[-1]
    return name, typmod.strip()


def _dialect_range(ctype: ColumnType, dialect: str) -> tuple[Any, Any] | None:
    words = type_name(ctype.sql)[0].split()
    if not words:
        return None
    name = words[0]
    return _registry_ranges(dialect).get(name) or SHARED_RANGES.get(name)


@cache
def _registry_ranges(dialect: str) -> dict[str, tuple[Any, Any]]:
    """The type ranges the registry entry of ``dialect`` declares (none for an unknown or empty name)."""
    if not dialect:
        return {}
    from seeder.dialects import read_dialect
    from seeder.errors import ConfigError

    try:
        return dict(read_dialect(dialect).read.types.ranges)
    except ConfigError:
        return {}


def integer_range(ctype: ColumnType, dialect: str = "") -> tuple[int, int]:
    """The inclusive ``(low, high)`` of an integer type (kind ``smallint``/``integer``/``bigint``).

    Args:
        ctype: the column type; its SQL name picks narrower types the reader maps to a wider kind (MySQL
            ``TINYINT``, ``MEDIUMINT`` and ``YEAR``), ``unsigned`` shifts the range to start at 0.
        dialect: the sqlglot dialect the type was read in (``""``: unknown, see the module docstring).

    Raises:
        ValueError: ``ctype`` is not an integer kind.
    """
    if ctype.kind not in INTEGER_KINDS:
        raise ValueError(f"{ctype.sql} is not an integer type")
    named = _dialect_range(ctype, dialect)
    if named is not None:
        low, high = named
        bits = _NAMED_BITS.get(type_name(ctype.sql)[0].split()[0])
    else:
        bits = _KIND_BITS[ctype.kind]
        low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    if ctype.unsigned and bits is not None:
        return 0, 2**bits - 1
    return (max(low, 0), high) if ctype.unsigned else (low, high)


def value_range(ctype: ColumnType, dialect: str = "") -> tuple[Any, Any]:
    """The inclusive ``(low, high)`` values of a type, in its Python value type; ``None`` for an open end.

    Integers (:func:`integer_range`), ``decimal`` with a precision (``numeric(5, 2)``: -999.99 .. 999.99, as
    ``Decimal``), ``money``, ``float``/``double`` (finite values), and the dialect-dependent ranges of
    :data:`DIALECT_RANGES` (MySQL ``TIMESTAMP``). ``unsigned`` numbers start at 0. Other kinds are unbounded
    here (their Python type bounds them).
    """
    kind = ctype.kind
    if kind in INTEGER_KINDS:
        return integer_range(ctype, dialect)
    if kind in TEMPORAL_KINDS:
        return _dialect_range(ctype, dialect) or (None, None)
    low: Any = None
    high: Any = None
    if kind == "money":
        low, high = _MONEY_TOP.copy_negate(), _MONEY_TOP
    elif kind == "decimal" and ctype.precision is not None:
        # precision nines, the last one ``scale`` places after the point (exact: no Decimal context rounding)
        high = Decimal((0, (9,) * max(ctype.precision, 1), -(ctype.scale or 0)))
        low = high.copy_negate()
    elif kind in FLOAT_KINDS:
        high = _FLOAT_TOP[kind]
        low = -high
    if ctype.unsigned and kind in NUMBER_KINDS:
        low = Decimal(0) if kind in DECIMAL_KINDS else 0.0
    return low, high


def length_limit(ctype: ColumnType, limit: int | None = None) -> int | None:
    """The most characters (bits for ``bit``, bytes for ``bytes``) a value of ``ctype`` may have.

    The declared length of a :data:`LENGTH_KINDS` type (``varchar(40)``: 40), lowered to ``limit`` (e.g. a
    ``length(x) <= 30`` CHECK) when given; ``None`` when neither bounds it.
    """
    declared = ctype.length if ctype.kind in LENGTH_KINDS else None
    if declared is None:
        return limit
    return declared if limit is None else min(declared, limit)


def value_problem(value: Any, ctype: ColumnType, dialect: str = "") -> str | None:
    """Why a non-NULL Python value does not fit a column of ``ctype``, or ``None`` when it fits.

    Checks the declared length of strings (:func:`length_limit`) and the type's range (:func:`value_range`); the
    value must already be of the kind's Python type (see :mod:`seeder.dataset`). The reason is a short phrase such as
    ``out of range for TINYINT: 200 (allowed -128 to 127)`` or ``too long: 12 characters, at most 10 allowed``.
    """
    if isinstance(value, str) and ctype.kind in CHARACTER_KINDS:
        limit = length_limit(ctype)
        if limit is not None and len(value) > limit:
            return f"too long: {len(value)} characters, at most {limit} allowed"
        return None
    low, high = value_range(ctype, dialect)
    try:
        outside = (low is not None and value < low) or (high is not None and value > high)
    except TypeError:  # a value of another type (the caller's conversion decides about those)
        return None
    if outside:
        return f"out of range for {ctype.sql}: {_show(value)} (allowed {_show(low)} to {_show(high)})"
    return None


def _show(value: Any) -> str:
    if value is None:
        return "any"
    return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else str(value)
