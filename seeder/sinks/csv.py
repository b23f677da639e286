"""CSV sink: one file per table, in the convention of PostgreSQL ``COPY ... (FORMAT csv, HEADER true)``.

Format (load a file with ``\\copy t FROM 'file.csv' WITH (FORMAT csv, HEADER true)``):

* UTF-8, ``,`` delimiter, ``"`` quote (doubled inside quoted fields), ``\\n`` line ends, a header row of column names.
* NULL is an empty *unquoted* field; an empty string is ``""``. This is how PostgreSQL's CSV COPY tells them apart
  (Python's ``csv`` module cannot, so :func:`read_csv` here is the matching reader).
* A field is quoted when it is empty, holds ``,`` ``"`` CR or LF, starts or ends with whitespace, or is ``\\.``
  (COPY's end-of-data marker).
* Values: booleans ``true``/``false``; integers as digits; decimals in positional notation; floats by ``repr``;
  bytes as PostgreSQL bytea hex ``\\x0a1b``; dates/times ISO 8601 (timestamps with a space separator; timestamptz
  with their offset, naive ones as UTC; aware values in plain timestamp columns converted to UTC); intervals as
  ``<days> days <seconds>.<micro> seconds``; UUIDs in canonical form; JSON documents as compact JSON text (sorted
  keys); arrays as JSON array text (not PostgreSQL ``{...}`` array syntax: load them into a json column or
  convert); everything else as its text.
* Text follows the NUL policy of :mod:`seeder.sinks.literals` (``NUL_POLICY``): U+0000 is removed.

Cycle breaks are not represented: the files hold the final values, so loading tables with FK cycles needs the
constraints deferred or disabled by whoever loads them. Output is deterministic (dataset order, no set iteration).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO
from uuid import UUID

from seeder import types
from seeder.dataset import Dataset, TableData
from seeder.schema import ColumnType, TableName
from seeder.sinks.columns import column_texts, csv_texts
from seeder.sinks.literals import (
    INTEGER_KINDS,
    decimal_text,
    integer_text,
    interval_text,
    json_compatible,
    json_text,
    strip_nul,
    utc_naive,
)

Formatter = Callable[[Any], str | None]

_NEEDS_QUOTES = re.compile(r'[,"\r\n]|^\s|\s$')
_UNSAFE_FILE_CHARS = re.compile(r'[/\\\x00-\x1f:*?"<>|]')
_UNQUOTED_FIELD = re.compile(r"[^,\n]*")


def csv_field(text: str | None) -> str:
    """Encode one field: ``None`` -> empty unquoted; strings quoted when needed (always when empty)."""
    if text is None:
        return ""
    if text == "" or text == "\\." or _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _float_text(v: float) -> str:
    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(v)


def value_text(value: Any) -> str | None:
    """The CSV text of one dataset value by its Python type (``None`` stays ``None``, i.e. NULL)."""
    if value is None:
        return None
    if isinstance(value, str):
        return strip_nul(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return interval_text(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (dict, list, tuple)):
        return json_text(json_compatible(value))
    return strip_nul(str(value))


def _timestamp_text(v: Any) -> str | None:
    # Like the SQL sink: a plain timestamp column gets aware values converted to naive UTC (COPY would drop the
    # offset silently).
    return utc_naive(v).isoformat(" ") if isinstance(v, datetime) else value_text(v)


def _timestamptz_text(v: Any) -> str | None:
    # Like the SQL sink: naive values in an instant column are UTC (COPY would read them in the session zone).
    if isinstance(v, datetime) and v.tzinfo is None:
        v = v.replace(tzinfo=timezone.utc)
    return value_text(v)


def _integer_text(v: Any) -> str | None:
    return None if v is None else integer_text(v)


def column_formatter(col_type: ColumnType) -> Formatter:
    """The value -> CSV text function for a column of ``col_type`` (JSON and array kinds always become JSON;
    integer kinds are written as every sink writes them, :func:`seeder.sinks.literals.integer_text`)."""
    kind = col_type.kind
    if kind in INTEGER_KINDS:
        return _integer_text
    if kind in types.JSON_KINDS:
        return lambda v: None if v is None else json_text(v)
    if kind == "array":
        return lambda v: None if v is None else json_text(json_compatible(list(v)))
    if kind == "timestamp":
        return _timestamp_text
    if kind == "timestamptz":
        return _timestamptz_text
    return value_text


def csv_column(col_type: ColumnType) -> Callable[[Sequence[Any]], list[str]]:
    """``values -> CSV fields`` for a whole column of ``col_type``: the same fields as ``csv_field`` of
    :func:`column_formatter`, through the column-at-a-time paths of :mod:`seeder.sinks.columns`."""
    base = column_formatter(col_type)
    texts = column_texts(col_type, base, plain=base is value_text)
    return lambda values: csv_texts(texts(values), csv_field)


def _plain_column(values: Sequence[Any]) -> list[str]:
    return [csv_field(value_text(v)) for v in values]


def table_file_names(names: Iterable[TableName], suffix: str) -> list[str]:
    """File names ``<schema.>table<suffix>`` for ``names``, made safe for file systems and unique.

    Path separators, control characters and characters Windows forbids become ``_``; names that collide
    (case-insensitively, for macOS/Windows file systems) get ``~2``, ``~3``, ... in order of appearance.
    """
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        stem = _UNSAFE_FILE_CHARS.sub("_", str(name)) or "_"
        candidate, n = stem + suffix, 1
        while candidate.lower() in seen:
            n += 1
            candidate = f"{stem}~{n}{suffix}"
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def _write_rows(td: TableData, f: TextIO, header: bool) -> None:
    by_name = {c.name: c for c in td.table.columns}
    formatters = [csv_column(by_name[c].type) if c in by_name else _plain_column for c in td.columns]
    if header:
        f.write(",".join(csv_field(strip_nul(c)) for c in td.columns) + "\n")
    block = 10_000  # rows encoded at a time: the text in memory stays small
    for start in range(0, td.row_count, block):
        stop = min(td.row_count, start + block)
        cols = [fmt(values[start:stop]) for fmt, values in zip(formatters, td.values, strict=True)]
        f.writelines(",".join(row) + "\n" for row in zip(*cols, strict=True))


def write_csv(dataset: Dataset, directory: Path | str) -> list[Path]:
    """Write one CSV file per table of ``dataset`` into ``directory`` (created if missing).

    Args:
        dataset: the generated data; every table gets a file (header only when it has no rows), in dataset order.
        directory: target directory; existing files with the same names are overwritten.

    Returns:
        The written paths, in dataset order.
    """
    return write_per_table(dataset, directory, ".csv", _write_rows)


def write_per_table(dataset: Dataset, directory: Path | str, suffix: str,
                    write_rows: Callable[[TableData, TextIO, bool], None]) -> list[Path]:
    """Write one ``<schema.>table<suffix>`` file per table of ``dataset`` into ``directory`` (created if missing),
    consuming :meth:`~seeder.dataset.Dataset.stream`: a table's file is opened at its first chunk and each chunk
    is appended by ``write_rows(chunk, file, first_chunk)``. Every table of ``dataset.tables`` gets a file, in that
    order, even one that never comes with rows."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    outline = dataset.outline()
    names = dict(zip((td.table.name for td in outline),
                     table_file_names((td.table.name for td in outline), suffix), strict=True))
    opened: dict[TableName, Path] = {}
    current: tuple[TableName, TextIO] | None = None
    try:
        for chunk in dataset.final_stream():
            name = chunk.table.name
            if current is None or current[0] != name:
                if current is not None:
                    current[1].close()
                first = name not in opened
                path = opened.setdefault(name, directory / names[name])
                current = (name, path.open("w" if first else "a", encoding="utf-8", newline=""))
                write_rows(chunk, current[1], first)
            else:
                write_rows(chunk, current[1], False)
    finally:
        if current is not None:
            current[1].close()
    for td in outline:  # tables the stream never mentioned: an empty file (CSV: the header only)
        if td.table.name not in opened:
            path = opened[td.table.name] = directory / names[td.table.name]
            with path.open("w", encoding="utf-8", newline="") as f:
                write_rows(TableData(td.table, td.columns, tuple([] for _ in td.columns)), f, True)
    return [opened[td.table.name] for td in outline]


def read_csv(path: Path | str) -> tuple[list[str], list[list[str | None]]]:
    """Read a file written by :func:`write_csv`: ``(header, rows)`` with ``None`` for NULL fields.

    Unlike Python's ``csv`` module this keeps an unquoted empty field (NULL) apart from ``""`` (empty string).

    Raises:
        ValueError: on a malformed file (an unterminated quoted field or text after a closing quote).
    """
    # newline="": universal-newline reading would turn a CR inside a quoted field into LF.
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    records: list[list[str | None]] = []
    row: list[str | None] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == '"':
            j, parts = i + 1, []
            while True:
                k = text.find('"', j)
                if k < 0:
                    raise ValueError(f"{path}: unterminated quoted field")
                parts.append(text[j:k])
                if k + 1 < n and text[k + 1] == '"':
                    parts.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            row.append("".join(parts))
        else:
            m = _UNQUOTED_FIELD.match(text, i)
            assert m is not None
            field = m.group()
            row.append(field if field != "" else None)
            i = m.end()
        if i >= n:
            records.append(row)
            break
        if text[i] == ",":
            i += 1
            if i >= n:
                row.append(None)
                records.append(row)
            continue
        if text[i] == "\n":
            records.append(row)
            row = []
            i += 1
            continue
        raise ValueError(f"{path}: unexpected character {text[i]!r} after a field at offset {i}")
    if not records:
        return [], []
    header = [h or "" for h in records[0]]
    return header, records[1:]
