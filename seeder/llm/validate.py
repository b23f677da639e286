"""Validation of model output: JSON values -> dataset values, checked against a column's type, spec and CHECKs.

Every value a model returns goes through :func:`convert_cell` (type conversion, the type's range and declared
length from :mod:`seeder.types`, and the column's own rules: NULL, allowed values, bounds, LIKE patterns) and every
completed row through :func:`row_problems` (the table's
CHECK constraints, evaluated with :func:`seeder.generate.checks.failing_checks`). A failure is a
:class:`CellProblem` whose ``message`` is short and specific, because it is sent back to the model once as the list
of things to fix.

Python value types per column kind follow :mod:`seeder.dataset`.
"""

from __future__ import annotations

import ipaddress
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlglot import exp

from seeder.generate.checks import all_checks, evaluate, failing_checks, like_matches
from seeder.generate.spec import ValueSpec
from seeder.schema import ColumnType, Table
from seeder.types import CHARACTER_KINDS, DECIMAL_KINDS, FLOAT_KINDS, INTEGER_KINDS, TIMESTAMP_KINDS, value_problem

_UTC = timezone.utc
_MAC = re.compile(r"^[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2}){4}$")


class InvalidValue(ValueError):
    """A model value that cannot be used; ``str()`` is the reason, phrased for the model (e.g. "too long: ...")."""


@dataclass(frozen=True)
class CellProblem:
    """One rejected cell: its row number (0-based, within the table), column, the value as sent, and why."""

    row: int
    column: str
    value: Any
    message: str

    def as_json(self) -> dict[str, Any]:
        """The problem as a JSON object for a repair prompt (long values cut to 80 characters)."""
        value = self.value
        if isinstance(value, str) and len(value) > 80:
            value = value[:77] + "..."
        return {"_row": self.row, "column": self.column, "value": value, "problem": self.message}


def convert_cell(value: Any, spec: ValueSpec, table: Table | None = None) -> Any:
    """Convert one JSON value for ``spec.column`` to its dataset value and check it against ``spec``.

    Args:
        value: the decoded JSON value (``None`` for JSON null).
        spec: the column's ValueSpec (type, nullability, bounds, choices, lengths, LIKE patterns).
        table: the column's table. When given, a value that breaks a rule the spec derived from a CHECK is still
            accepted if every CHECK on this column alone evaluates to TRUE for it: a spec may read an OR of
            alternatives as one of them (a narrower, correct reading for generating), which is too strict for
            judging someone else's values.

    Returns:
        The Python value (``int``, ``Decimal``, ``str``, ``date``, ...) or ``None``.

    Raises:
        InvalidValue: the value has the wrong type or breaks a rule of the column; the message says which.
    """
    column = spec.column
    if value is None:
        if not column.nullable:
            raise InvalidValue("must not be null")
        return None
    converted = to_python(value, column.type, spec.dialect)
    try:
        _check_spec(converted, spec)
    except InvalidValue:
        if table is None:
            raise
        own = [c for c in all_checks(table) if {n.name for n in c.expression.find_all(exp.Column)} == {column.name}]
        results = [evaluate(c.expression, {column.name: converted}) for c in own]
        if own and all(r is True for r in results):
            return converted
        broken = [c for c, r in zip(own, results, strict=True) if r is False]
        if broken:  # name the CHECK itself: the spec's reading of it may be narrower than the CHECK
            raise InvalidValue(f"breaks CHECK ({' '.join(broken[0].sql.split())[:200]})") from None
        raise
    return converted


def to_python(value: Any, ctype: ColumnType, dialect: str = "") -> Any:
    """Convert a non-null JSON value to the dataset value of a column of type ``ctype`` (type rules only).

    ``dialect`` is the schema's sqlglot dialect, for the type facts that depend on it (:mod:`seeder.types`).

    Raises:
        InvalidValue: the value is not of (or convertible to) the column's kind, outside the type's range, or longer
            than its declared length.
    """
    if ctype.kind == "array":
        return _array(value, ctype, dialect)
    converter = _CONVERTERS.get(ctype.kind)
    if converter is None:
        raise InvalidValue(f"values of type {ctype.sql} are not written by the model")
    converted = converter(value, ctype)
    problem = value_problem(converted, ctype, dialect)
    if problem is not None:
        raise InvalidValue(problem)
    return converted


# ------------------------------------------------------------------------------------------------- conversions


def _int(value: Any, ctype: ColumnType) -> int:
    if isinstance(value, bool):
        raise InvalidValue("expected an integer, got a boolean")
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise InvalidValue(f"expected an integer, got {value!r}")
        value = int(value)
    elif isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise InvalidValue(f"expected an integer, got {value!r:.40}") from None
    if not isinstance(value, int):
        raise InvalidValue(f"expected an integer, got {type(value).__name__}")
    return value


def _decimal(value: Any, ctype: ColumnType) -> Decimal:
    if isinstance(value, bool):
        raise InvalidValue("expected a number, got a boolean")
    try:
        number = Decimal(str(value).strip()) if isinstance(value, (int, float, str)) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise InvalidValue(f"expected a number, got {value!r:.40}")
    scale = 2 if ctype.kind == "money" else ctype.scale
    if scale is not None:
        try:
            number = number.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
        except InvalidOperation:  # more digits than the decimal context holds: far out of any column's range
            raise InvalidValue(f"out of range for {ctype.sql}: {value!r:.40}") from None
    return number


def _float(value: Any, ctype: ColumnType) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InvalidValue(f"expected a number, got {type(value).__name__}")
    try:
        number = float(value)
    except ValueError:
        raise InvalidValue(f"expected a number, got {value!r:.40}") from None
    if not math.isfinite(number):
        raise InvalidValue("expected a finite number")
    return number


def _string(value: Any, ctype: ColumnType) -> str:
    if isinstance(value, (bool, dict, list)):
        raise InvalidValue(f"expected a string, got {type(value).__name__}")
    text = value if isinstance(value, str) else str(value)
    if "\x00" in text:
        # PostgreSQL text cannot hold U+0000 (the sinks strip it); a value the model mangled this way is rejected.
        raise InvalidValue("contains a NUL character")
    return text


def _bool(value: Any, ctype: ColumnType) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise InvalidValue(f"expected true or false, got {value!r:.40}")


def _iso(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"expected {what} as a string, got {type(value).__name__}")
    return value.strip()


def _date(value: Any, ctype: ColumnType) -> date:
    try:
        return date.fromisoformat(_iso(value, "a date (YYYY-MM-DD)"))
    except ValueError:
        raise InvalidValue(f"expected a date as YYYY-MM-DD, got {value!r:.40}") from None


def _time(value: Any, ctype: ColumnType) -> time:
    try:
        parsed = time.fromisoformat(_iso(value, "a time (HH:MM:SS)"))
    except ValueError:
        raise InvalidValue(f"expected a time as HH:MM:SS, got {value!r:.40}") from None
    return parsed.replace(tzinfo=None)


def _timestamp(value: Any, ctype: ColumnType) -> datetime:
    text = _iso(value, "a timestamp (YYYY-MM-DD HH:MM:SS)")
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise InvalidValue(f"expected a timestamp as YYYY-MM-DD HH:MM:SS, got {value!r:.40}") from None
    if ctype.kind == "timestamptz":
        return parsed.replace(tzinfo=_UTC) if parsed.tzinfo is None else parsed.astimezone(_UTC)
    return parsed if parsed.tzinfo is None else parsed.astimezone(_UTC).replace(tzinfo=None)


def _interval(value: Any, ctype: ColumnType) -> timedelta:
    if isinstance(value, bool):
        raise InvalidValue("expected a duration in seconds, got a boolean")
    if isinstance(value, (int, float)) and math.isfinite(value) and abs(value) < 10**10:
        return timedelta(seconds=value)
    raise InvalidValue(f"expected a duration as a number of seconds, got {value!r:.40}")


def _enum(value: Any, ctype: ColumnType) -> str:
    text = _string(value, ctype)
    if ctype.values and text not in ctype.values:
        raise InvalidValue(f"not one of the allowed labels ({', '.join(ctype.values[:12])})")
    return text


def _set(value: Any, ctype: ColumnType) -> str:
    labels = [str(v) for v in value] if isinstance(value, list) else [
        p.strip() for p in _string(value, ctype).split(",") if p.strip()]
    unknown = [label for label in labels if label not in ctype.values]
    if unknown:
        raise InvalidValue(f"unknown labels {unknown[:3]} (allowed: {', '.join(ctype.values[:12])})")
    chosen = set(labels)
    return ",".join(label for label in ctype.values if label in chosen)


def _json(value: Any, ctype: ColumnType) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise InvalidValue("expected a JSON document as text; it does not parse") from None
    return value


def _inet(value: Any, ctype: ColumnType) -> str:
    text = _string(value, ctype).strip()
    try:
        if ctype.kind == "cidr":
            ipaddress.ip_network(text, strict=True)
        else:
            ipaddress.ip_interface(text)
    except ValueError:
        raise InvalidValue(f"expected an IP {'network' if ctype.kind == 'cidr' else 'address'}, got {text!r:.40}") \
            from None
    return text


def _mac(value: Any, ctype: ColumnType) -> str:
    text = _string(value, ctype).strip()
    if not _MAC.match(text):
        raise InvalidValue(f"expected a MAC address like 08:00:2b:01:02:03, got {text!r:.40}")
    return text


def _array(value: Any, ctype: ColumnType, dialect: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidValue(f"expected an array, got {type(value).__name__}")
    element = ctype.element
    if element is None:
        raise InvalidValue("array element type unknown")
    out = []
    for item in value:
        if item is None:
            out.append(None)
            continue
        try:
            out.append(to_python(item, element, dialect))
        except InvalidValue as err:
            raise InvalidValue(f"array element {item!r:.30}: {err}") from None
    return out


_CONVERTERS: dict[str, Any] = {
    **dict.fromkeys(INTEGER_KINDS, _int),
    **dict.fromkeys(DECIMAL_KINDS, _decimal),
    **dict.fromkeys(FLOAT_KINDS, _float),
    **dict.fromkeys(CHARACTER_KINDS, _string),
    **dict.fromkeys(TIMESTAMP_KINDS, _timestamp),
    "boolean": _bool,
    "date": _date,
    "time": _time,
    "interval": _interval,
    "enum": _enum,
    "set": _set,
    "json": _json,
    "jsonb": _json,
    "inet": _inet,
    "cidr": _inet,
    "macaddr": _mac,
}

#: Kinds :func:`to_python` converts (the model may write them); everything else is filled locally.
CONVERTIBLE_KINDS = frozenset({*_CONVERTERS, "array"})


# ------------------------------------------------------------------------------------------------- spec rules


def _check_spec(value: Any, spec: ValueSpec) -> None:
    """Raise InvalidValue when ``value`` (already converted) breaks a rule of ``spec``."""
    if spec.fixed is not None and value != spec.fixed:
        raise InvalidValue(f"must be {spec.fixed!r}")
    if spec.choices is not None and not _among(value, spec.choices):
        shown = ", ".join(repr(c) for c in spec.choices[:12])
        raise InvalidValue(f"not one of the allowed values ({shown})")
    if spec.excluded and _among(value, spec.excluded):
        raise InvalidValue("is one of the values the column forbids")
    problem = spec.bound_problem(value)
    if problem is not None:
        raise InvalidValue(problem)
    if isinstance(value, str):
        _check_string(value, spec)


def _among(value: Any, options: Sequence[Any]) -> bool:
    for option in options:
        try:
            if option == value or (isinstance(option, (int, float, Decimal)) and not isinstance(option, bool)
                                   and isinstance(value, (int, float, Decimal)) and Decimal(str(option)) == value):
                return True
        except (TypeError, InvalidOperation):
            continue
    return False


def _check_string(value: str, spec: ValueSpec) -> None:
    limit = spec.length_limit
    if limit is not None and len(value) > limit:
        raise InvalidValue(f"too long: {len(value)} characters, at most {limit} allowed")
    if spec.min_length and len(value) < spec.min_length:
        raise InvalidValue(f"too short: {len(value)} characters, at least {spec.min_length} needed")
    for pattern in spec.like:
        if not like_matches(value, pattern):
            raise InvalidValue(f"does not match the SQL LIKE pattern {pattern!r}")
    for pattern in spec.not_like:
        if like_matches(value, pattern):
            raise InvalidValue(f"must not match the SQL LIKE pattern {pattern!r}")


# ------------------------------------------------------------------------------------------------- whole rows


def row_problems(table: Table, row: Mapping[str, Any], writable: Sequence[str], row_number: int) -> list[CellProblem]:
    """Problems of one complete row (decided values plus content) with the CHECKs of ``table``.

    A failing CHECK is blamed on the model-written columns it mentions (``writable``); a CHECK that mentions none
    of them is left to the engine, which repairs or regenerates the columns it owns.
    """
    problems: list[CellProblem] = []
    for check in failing_checks(table, row):
        cols = sorted({c.name for c in check.expression.find_all(exp.Column)} & set(writable))
        text = " ".join(check.sql.split())
        for col in cols:
            problems.append(CellProblem(row_number, col, row.get(col), f"breaks CHECK ({text[:200]})"))
    return problems
