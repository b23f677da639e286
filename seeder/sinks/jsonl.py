"""JSON Lines sink: one JSON object per row, ``{"table": "schema.name", "row": {column: value, ...}}``.

Written either to one stream (tables in dataset order, rows in order) or to a directory with one
``<schema.>table.jsonl`` file per table; the record shape is the same in both so one reader handles both.

Value mapping (dataset value -> JSON), see :func:`seeder.sinks.literals.json_compatible`:

* ``None`` -> ``null``; ``bool`` -> ``true``/``false``; ``int`` and finite ``float`` -> numbers (integers beyond 2**53
  are exact in the file, but JavaScript readers will round them);
* ``Decimal`` -> string in positional notation (keeps every digit: ``"12.50"``);
* ``str`` (text, enum, set, inet, tsvector, ...) -> string;
* ``bytes`` -> standard base64 string with padding;
* ``date``/``time``/``datetime`` -> ISO 8601 strings (``T`` separator; aware values keep their offset);
* ``timedelta`` -> ISO 8601 duration ``P<days>DT<seconds>[.ffffff]S``, ``-`` prefix when negative;
* ``UUID`` -> canonical string;
* json/jsonb columns -> the JSON document itself (objects with sorted keys), not a string;
* arrays -> JSON arrays of mapped elements.

Row objects keep the dataset's column order. Text follows the NUL policy of :mod:`seeder.sinks.literals`
(``NUL_POLICY``): U+0000 is removed. :func:`decode_value` maps JSON values back to dataset values.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO
from uuid import UUID

from seeder import types
from seeder.dataset import Dataset, TableData
from seeder.errors import GenerationError
from seeder.schema import ColumnType
from seeder.sinks.csv import write_per_table
from seeder.sinks.literals import json_compatible, strip_nul, strip_nul_json

_ISO_DURATION = re.compile(r"^(-)?P(\d+)DT(\d+)(?:\.(\d{1,6}))?S$")


def canonical_json(value: Any) -> Any:
    """A JSON document with object keys sorted at every level and NULs removed (deterministic dumps)."""
    if isinstance(value, dict):
        items = {strip_nul(str(k)): v for k, v in value.items()}
        return {k: canonical_json(items[k]) for k in sorted(items)}
    if isinstance(value, (list, tuple)):
        return [canonical_json(v) for v in value]
    return strip_nul_json(value)


def _converter(col_type: ColumnType | None) -> Callable[[Any], Any]:
    if col_type is not None and col_type.kind in types.JSON_KINDS:
        return canonical_json
    return json_compatible


def _records(td: TableData) -> Iterator[str]:
    by_name = {c.name: c for c in td.table.columns}
    converters = [_converter(by_name[c].type if c in by_name else None) for c in td.columns]
    names = [strip_nul(c) for c in td.columns]
    table = json.dumps(str(td.table.name), ensure_ascii=False)
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    for index, row in enumerate(td.rows()):
        obj = {n: conv(v) for n, conv, v in zip(names, converters, row, strict=True)}
        try:
            text = dumps(obj)
        except ValueError as err:  # NaN/Infinity inside a JSON document
            raise GenerationError(f"table {td.table.name}, row {index + 1}: value is not valid JSON ({err})") from None
        yield '{"table":' + table + ',"row":' + text + "}\n"


def write_jsonl(dataset: Dataset, out: TextIO | Path | str) -> list[Path]:
    """Write ``dataset`` as JSON Lines.

    Args:
        dataset: the generated data.
        out: a text stream (every table into it, dataset order), or a directory path (created if missing) that gets
            one ``<schema.>table.jsonl`` file per table, including empty files for tables without rows.

    Returns:
        The files written, in dataset order (empty when writing to a stream).

    Raises:
        GenerationError: a float value is not finite (JSON has no NaN/Infinity).
    """
    if isinstance(out, (str, os.PathLike)):
        return write_per_table(dataset, out, ".jsonl", lambda td, f, _first: f.writelines(_records(td)))
    for td in dataset.final_stream():
        out.writelines(_records(td))
    return []


def read_jsonl(source: TextIO | Path | str) -> dict[str, list[dict[str, Any]]]:
    """Read records written by :func:`write_jsonl` from a stream, a file or a directory of ``*.jsonl`` files.

    Returns:
        ``{"schema.table": [row dict, ...]}``, tables in order of first appearance (directory files by name), with
        JSON values as they are in the file (use :func:`decode_value` for dataset types).
    """
    result: dict[str, list[dict[str, Any]]] = {}

    def consume(lines: Iterator[str] | TextIO) -> None:
        for line in lines:
            if line.strip():
                rec = json.loads(line)
                result.setdefault(rec["table"], []).append(rec["row"])

    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for f in files:
            with f.open(encoding="utf-8") as fh:
                consume(fh)
    else:
        consume(source)
    return result


def parse_iso_duration(text: str) -> timedelta:
    """Inverse of :func:`seeder.sinks.literals.iso_duration` (``[-]P<d>DT<s>[.ffffff]S``); ValueError otherwise."""
    m = _ISO_DURATION.match(text)
    if not m:
        raise ValueError(f"not a seeder ISO 8601 duration: {text!r}")
    sign, days, seconds, frac = m.groups()
    td = timedelta(days=int(days), seconds=int(seconds), microseconds=int((frac or "0").ljust(6, "0")))
    return -td if sign else td


def decode_value(value: Any, col_type: ColumnType) -> Any:
    """Map a JSONL value back to the dataset's Python type for ``col_type`` (inverse of the value mapping)."""
    if value is None:
        return None
    kind = col_type.kind
    if kind in types.INTEGER_KINDS:
        return int(value)
    if kind in types.DECIMAL_KINDS:
        return Decimal(value)
    if kind in types.FLOAT_KINDS:
        return float(value)
    if kind == "boolean":
        return bool(value)
    if kind == "bytes":
        return base64.b64decode(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "time":
        return time.fromisoformat(value)
    if kind in types.TIMESTAMP_KINDS:
        return datetime.fromisoformat(value)
    if kind == "interval":
        return parse_iso_duration(value)
    if kind == "uuid":
        return UUID(value)
    if kind == "array":
        element = col_type.element or ColumnType("other", "")
        return [decode_value(v, element) for v in value]
    return value
