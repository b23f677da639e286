"""JSON schemas for the model's answers (OpenAI "Structured Outputs", ``response_format`` type ``json_schema``).

Strict mode accepts a subset of JSON Schema: every object lists all its properties in ``required`` and sets
``additionalProperties: false``; optional values are expressed as a union with ``"null"``; ``enum`` is allowed
(OpenAI docs, "Structured Outputs" > "Supported schemas"). Length and range keywords are not relied on: limits are
stated in each property's ``description`` and in the prompt, and every value is validated afterwards anyway
(:mod:`seeder.llm.validate`).

Two answer shapes:

* rows mode — ``{"rows": [{"_row": 0, "<column>": value, ...}, ...]}``: one object per requested row, ``_row``
  echoing the row number so that rows can be matched even when some are missing or reordered;
* pools mode — ``{"pools": {"<column>": [value, ...]}, "examples": [{"<column>": value, ...}, ...]}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from seeder.generate.spec import ValueSpec
from seeder.llm.validate import CONVERTIBLE_KINDS
from seeder.schema import Column, ColumnType
from seeder.types import DECIMAL_KINDS, FLOAT_KINDS, INTEGER_KINDS

#: Column kinds better left to the local generator: random by nature (uuid), binary, or in a syntax models get
#: wrong and that carries no meaning (tsvector, bit strings, xml, unknown types).
LOCAL_KINDS = frozenset({"uuid", "bytes", "bit", "tsvector", "xml", "other"})
#: Enumerations up to this many values are given to the model as a JSON-schema ``enum``.
MAX_SCHEMA_ENUM = 64
#: The property that echoes a row's number in rows mode.
ROW_KEY = "_row"


def model_writable(column: Column, spec: ValueSpec) -> bool:
    """Whether the model writes ``column``: a kind it can express in JSON, and not a single fixed value."""
    if spec.fixed is not None:
        return False
    ctype = column.type
    if ctype.kind == "array":
        element = ctype.element
        return element is not None and element.kind in CONVERTIBLE_KINDS and element.kind not in LOCAL_KINDS \
            and element.kind != "array"
    return ctype.kind in CONVERTIBLE_KINDS and ctype.kind not in LOCAL_KINDS


def row_key(columns: Sequence[str]) -> str:
    """The row-number property name: ``_row``, with more underscores if a column already has that name."""
    key = ROW_KEY
    while key in columns:
        key = "_" + key
    return key


def _scalar(ctype: ColumnType) -> dict[str, Any]:
    kind = ctype.kind
    if kind in INTEGER_KINDS:
        return {"type": "integer"}
    if kind in DECIMAL_KINDS | FLOAT_KINDS | {"interval"}:
        return {"type": "number"}
    if kind == "boolean":
        return {"type": "boolean"}
    if kind == "array" and ctype.element is not None:
        return {"type": "array", "items": _scalar(ctype.element)}
    return {"type": "string"}


def _allowed(spec: ValueSpec) -> list[Any] | None:
    ctype = spec.column.type
    if spec.choices is not None:
        values = [c for c in spec.choices if c is not None]
    elif ctype.kind == "enum" and ctype.values:
        values = list(ctype.values)
    else:
        return None
    if not values or len(values) > MAX_SCHEMA_ENUM:
        return None
    return [_json_scalar(v) for v in values]


def _json_scalar(value: Any) -> Any:
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


#: Python types a JSON-schema ``type`` accepts in an ``enum`` (strict mode rejects an enum whose values do not match
#: the type).
_ENUM_TYPES: dict[str, tuple[type, ...]] = {"integer": (int,), "number": (int, float), "string": (str,),
                                            "boolean": (bool,)}


def describe_limits(spec: ValueSpec, *, with_type: bool = True) -> str:
    """The rules of one column in words (type, length, range, format), for schema descriptions and prompts."""
    ctype = spec.column.type
    parts = [ctype.sql] if with_type else []
    limit = spec.length_limit
    if limit is not None:
        parts.append(f"at most {limit} characters")
    if spec.min_length:
        parts.append(f"at least {spec.min_length} characters")
    if spec.lower is not None or spec.upper is not None:
        parts.append(range_words(spec))
    fmt = _FORMATS.get(ctype.kind)
    if fmt:
        parts.append(fmt)
    if spec.like:
        parts.append("matching SQL LIKE " + " and ".join(repr(p) for p in spec.like))
    if ctype.kind == "set":
        parts.append("comma-separated subset of: " + ", ".join(ctype.values))
    return "; ".join(parts)


def range_words(spec: ValueSpec) -> str:
    """``between 0 and 9.99`` / ``greater than 0`` / ``at most 5``, from the bounds of ``spec``."""

    def show(v: Any) -> str:
        return v.isoformat() if hasattr(v, "isoformat") else str(v)

    lo, hi = spec.lower, spec.upper
    if lo is not None and hi is not None and not spec.lower_exclusive and not spec.upper_exclusive:
        return f"between {show(lo)} and {show(hi)}"
    words = []
    if lo is not None:
        words.append(f"{'greater than' if spec.lower_exclusive else 'at least'} {show(lo)}")
    if hi is not None:
        words.append(f"{'less than' if spec.upper_exclusive else 'at most'} {show(hi)}")
    return " and ".join(words)


_FORMATS = {
    "date": "format YYYY-MM-DD",
    "time": "format HH:MM:SS",
    "timestamp": "format YYYY-MM-DD HH:MM:SS",
    "timestamptz": "format YYYY-MM-DDTHH:MM:SSZ (UTC)",
    "interval": "duration in seconds",
    "json": "a JSON document, as text",
    "jsonb": "a JSON document, as text",
    "inet": "an IP address",
    "cidr": "an IP network such as 10.0.0.0/8",
    "macaddr": "a MAC address such as 08:00:2b:01:02:03",
}


def value_schema(spec: ValueSpec, *, nullable: bool) -> dict[str, Any]:
    """The JSON schema of one column's value (``nullable`` adds ``null`` to the type and to an ``enum``)."""
    schema = _scalar(spec.column.type)
    allowed = _allowed(spec)
    accepted = _ENUM_TYPES.get(schema["type"])
    if allowed is not None and accepted is not None and all(
            isinstance(v, accepted) and (schema["type"] == "boolean" or not isinstance(v, bool)) for v in allowed):
        schema["enum"] = [*allowed, None] if nullable else allowed
    if nullable:
        schema["type"] = [schema["type"], "null"]
    schema["description"] = describe_limits(spec)
    return schema


def row_object(columns: Sequence[str], specs: dict[str, ValueSpec], *, with_row_key: str | None) -> dict[str, Any]:
    """The strict object schema of one row: ``columns`` (content only), plus the row-number key when given."""
    props: dict[str, Any] = {}
    if with_row_key:
        props[with_row_key] = {"type": "integer", "description": "the row number given in the request"}
    for name in columns:
        spec = specs[name]
        props[name] = value_schema(spec, nullable=spec.column.nullable)
    return {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}


def rows_schema(columns: Sequence[str], specs: dict[str, ValueSpec], key: str) -> dict[str, Any]:
    """The answer schema in rows mode: ``{"rows": [row, ...]}``."""
    return {
        "type": "object",
        "properties": {"rows": {"type": "array", "items": row_object(columns, specs, with_row_key=key)}},
        "required": ["rows"],
        "additionalProperties": False,
    }


def pools_schema(columns: Sequence[str], specs: dict[str, ValueSpec]) -> dict[str, Any]:
    """The answer schema in pools mode: distinct candidate values per column, plus coherent example rows."""
    pools = {name: {"type": "array", "items": value_schema(specs[name], nullable=False)} for name in columns}
    return {
        "type": "object",
        "properties": {
            "pools": {"type": "object", "properties": pools, "required": list(pools), "additionalProperties": False},
            "examples": {"type": "array", "items": row_object(columns, specs, with_row_key=None)},
        },
        "required": ["pools", "examples"],
        "additionalProperties": False,
    }


def schema_name(table_name: str, mode: str) -> str:
    """A ``json_schema.name``: letters, digits, ``_`` and ``-`` only, at most 64 characters (OpenAI API limit)."""
    safe = "".join(ch if (ch.isalnum() and ch.isascii()) or ch in "_-" else "_" for ch in f"{mode}_{table_name}")
    return safe[:64]
