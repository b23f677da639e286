"""Ordered values as numbers: profiles keep numeric, date and time distributions as float quantiles.

A *value type* names the Python type of a column's values (see :mod:`seeder.dataset`): ``int``, ``decimal``,
``float``, ``date``, ``datetime`` (naive), ``datetimetz`` (aware, UTC), ``time``, ``bool``, ``str``; anything else is
``other`` and is not profiled.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from seeder.schema import ColumnType
from seeder.types import CHARACTER_KINDS, DECIMAL_KINDS, FLOAT_KINDS, INTEGER_KINDS

#: Value types whose values are ordered and have a numeric image (see :func:`to_number`).
ORDERED = frozenset({"int", "decimal", "float", "date", "datetime", "datetimetz", "time"})

_EPOCH = dt.datetime(1970, 1, 1)
_EPOCH_UTC = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

#: Value types of the kinds :mod:`seeder.types` does not group with others.
_SINGLE_KINDS = {"date": "date", "timestamp": "datetime", "timestamptz": "datetimetz", "time": "time",
                 "boolean": "bool", "enum": "str"}


def value_type(column_type: ColumnType) -> str:
    """The value type of a column type (``other`` for kinds profiles do not cover: json, arrays, bytes, ...)."""
    kind = column_type.kind
    if kind in INTEGER_KINDS:
        return "int"
    if kind in DECIMAL_KINDS:
        return "decimal"
    if kind in FLOAT_KINDS:
        return "float"
    if kind in CHARACTER_KINDS:
        return "str"
    return _SINGLE_KINDS.get(kind, "other")


def to_number(value: Any, vtype: str) -> float:
    """The numeric image of ``value``: the number itself, days since 0001-01-01 for dates, seconds since 1970 for
    date-times (aware ones in UTC), seconds since midnight for times."""
    if vtype == "date":
        return float(value.toordinal())
    if vtype in ("datetime", "datetimetz"):
        if value.tzinfo is not None:
            return (value - _EPOCH_UTC).total_seconds()
        return (value - _EPOCH).total_seconds()
    if vtype == "time":
        return value.hour * 3600.0 + value.minute * 60.0 + value.second + value.microsecond / 1e6
    return float(value)


def from_number(x: float, vtype: str, scale: int = 0) -> Any:
    """The value of type ``vtype`` whose image is nearest to ``x`` (``scale``: digits after the point of decimals)."""
    if vtype == "int":
        return round(x)
    if vtype == "decimal":
        return Decimal(repr(round(x, scale))).quantize(Decimal(1).scaleb(-scale))
    if vtype == "float":
        return float(x)
    if vtype == "date":
        return dt.date.fromordinal(max(1, round(x)))
    if vtype == "datetime":
        return _EPOCH + dt.timedelta(seconds=round(x))
    if vtype == "datetimetz":
        return _EPOCH_UTC + dt.timedelta(seconds=round(x))
    if vtype == "time":
        s = round(x) % 86400
        return dt.time(s // 3600, s // 60 % 60, s % 60)
    raise ValueError(f"not an ordered value type: {vtype}")


def decimal_scale(values: list[Any]) -> int:
    """The most digits after the point among ``values`` (``Decimal``s; other values count 0)."""
    best = 0
    for v in values:
        if isinstance(v, Decimal):
            exponent = v.as_tuple().exponent
            if isinstance(exponent, int):
                best = max(best, -exponent)
    return best
