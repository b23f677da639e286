"""CSV cells as Python values: what type a column of strings holds, and each cell read as that type.

An empty cell is NULL. Booleans are ``true``/``false``, ``yes``/``no`` or PostgreSQL's ``t``/``f``. Types are tried
from the narrowest (``bool``, ``int``) to the widest (``str``); a column gets the first type every non-empty cell
parses as. Integers with a leading zero (``007``, ZIP codes) stay strings, as do
numbers with thousands separators. Dates and times are ISO 8601 (``2024-05-01``, ``2024-05-01 13:45:00``,
``2024-05-01T13:45:00+02:00``, ``13:45``), as :meth:`datetime.datetime.fromisoformat` reads them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

_INT = re.compile(r"[+-]?(0|[1-9][0-9]*)\Z")
_DECIMAL = re.compile(r"[+-]?[0-9]+\.[0-9]+\Z")
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?\Z")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?\Z")
_TRUE = frozenset({"true", "yes", "t"})
_FALSE = frozenset({"false", "no", "f"})


def _bool(text: str) -> bool:
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError(text)


def _int(text: str) -> int:
    if not _INT.match(text):
        raise ValueError(text)
    return int(text)


def _decimal(text: str) -> Decimal:
    if not (_DECIMAL.match(text) or _INT.match(text)):
        raise ValueError(text)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None


def _float(text: str) -> float:
    if not (_FLOAT.match(text) or _DECIMAL.match(text) or _INT.match(text)):
        raise ValueError(text)
    return float(text)


def _date(text: str) -> dt.date:
    if not _DATE.match(text):
        raise ValueError(text)
    return dt.date.fromisoformat(text)


def _datetime(text: str) -> dt.datetime:
    if not _DATETIME.match(text):
        raise ValueError(text)
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is not None:
        raise ValueError(text)
    return value


def _datetimetz(text: str) -> dt.datetime:
    if not _DATETIME.match(text):
        raise ValueError(text)
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(text)
    return value.astimezone(dt.timezone.utc)


def _time(text: str) -> dt.time:
    if not _TIME.match(text):
        raise ValueError(text)
    return dt.time.fromisoformat(text)


#: Value type (see :mod:`seeder.profiles.scalar`) -> parser of one non-empty cell (``ValueError`` when it is not one).
PARSERS: dict[str, Callable[[str], Any]] = {
    "bool": _bool, "int": _int, "decimal": _decimal, "float": _float, "date": _date, "datetime": _datetime,
    "datetimetz": _datetimetz, "time": _time, "str": str,
}
#: The order in which types are tried: narrowest first.
INFERENCE_ORDER = ("bool", "int", "decimal", "float", "date", "datetime", "datetimetz", "time", "str")


def cell(text: str | None, vtype: str) -> Any:
    """The value of one cell read as ``vtype`` (``None`` for an empty cell; strings are kept as they are).

    Raises:
        ValueError: the cell is not a ``vtype``.
    """
    if text is None or text == "":
        return None
    if vtype == "str" or vtype not in PARSERS:
        return text
    return PARSERS[vtype](text.strip())


def infer_value_type(cells: Sequence[str | None]) -> str:
    """The narrowest value type every non-empty cell parses as (``str`` when the column is empty)."""
    present = [c for c in cells if c not in (None, "")]
    if not present:
        return "str"
    for vtype in INFERENCE_ORDER:
        parse = PARSERS[vtype]
        try:
            for c in present:
                parse(c.strip() if vtype != "str" else c)
        except ValueError:
            continue
        return vtype
    return "str"
