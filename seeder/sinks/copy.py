"""PostgreSQL COPY sink: a psql script whose rows travel as ``COPY ... FROM STDIN`` text-format data blocks.

The script is the SQL sink's script (:func:`seeder.sinks.sql.write_sql`: header, session settings, ``BEGIN``,
cycle-break setup, UPDATEs, teardown, ``setval``, ``COMMIT``) with each table's multi-row INSERTs replaced by blocks::

    COPY "public"."actor" ("actor_id", "first_name") FROM STDIN;
    1<TAB>PENELOPE
    2<TAB>\\N
    \\.

Only psql runs it (``psql -v ON_ERROR_STOP=1 -f out.sql``): psql reads the lines after a ``COPY ... FROM STDIN``
from the script itself up to ``\\.`` (psql manual, "COPY ... FROM STDIN" and ``\\copy``). The loader in
:mod:`seeder.loaders.copy` sends the same blocks through psycopg's ``cursor.copy()``.

Text format rules (PostgreSQL manual, COPY, "Text Format"): columns separated by a tab, rows by a newline, NULL is
``\\N``; a backslash in data is written ``\\\\`` and tab, newline and carriage return as ``\\t``, ``\\n``, ``\\r``, so
no data line can be mistaken for the end marker ``\\.``. Field texts are the types' input syntax, the same as the CSV
sink's (:func:`seeder.sinks.csv.column_formatter`: ``\\x<hex>`` bytea, ISO 8601 dates and times with the SQL sink's
time-zone rules, ``<days> days <seconds> seconds`` intervals, JSON text), except arrays, which are written as
PostgreSQL array literals (``{"a","b\\"c",NULL}``, every element double-quoted). Text follows the NUL policy of
:mod:`seeder.sinks.literals` (``NUL_POLICY``): U+0000 is removed from every field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TextIO

from seeder.dataset import Dataset, TableData
from seeder.dialects import TargetDialect, get_dialect
from seeder.errors import ConfigError
from seeder.schema import ColumnType
from seeder.sinks.columns import column_texts, copy_texts
from seeder.sinks.csv import column_formatter, value_text
from seeder.sinks.sql import Statement, _prepare, _sections, write_sql

#: Rows per COPY block. Each block is one statement of the stream: the loader wraps it in a savepoint and, when it
#: fails, replays its rows one by one to name the failing row, so blocks stay moderate.
ROWS_PER_BLOCK = 10_000
#: A block is also cut once its data reaches this many characters (wide rows), to bound memory per block.
MAX_BLOCK_CHARS = 8 * 1024 * 1024

NULL_FIELD = "\\N"
#: COPY text-format escapes; U+0000 maps to nothing (NUL policy).
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": None})

FieldFormatter = Callable[[Any], str]


@dataclass(frozen=True)
class CopyStatement(Statement):
    """A COPY block of the statement stream (kind ``insert``).

    ``sql`` is the script form (command, ``;``, the data lines, ``\\.``); ``command`` is the bare ``COPY ... FROM
    STDIN`` (no ``;``) and ``data`` the text-format rows, each ending in a newline, as a driver sends them.
    """

    command: str = ""
    data: str = ""


def copy_field(text: str | None) -> str:
    """Escape one field's text for COPY text format (``None`` -> ``\\N``; NULs removed)."""
    if text is None:
        return NULL_FIELD
    return text.translate(_ESCAPES)


def _array_element(text: str | None) -> str:
    if text is None:
        return "NULL"
    # Always quoted: then only " and \ need escaping (PostgreSQL manual, "Array Value Input").
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def array_text(value: Sequence[Any], element: Callable[[Any], str | None]) -> str:
    """PostgreSQL array input text of ``value`` (nested lists become nested braces); ``element`` formats leaves."""
    parts = []
    for v in value:
        if isinstance(v, (list, tuple)):
            parts.append(array_text(v, element))
        else:
            parts.append(_array_element(element(v)))
    return "{" + ",".join(parts) + "}"


def copy_formatter(col_type: ColumnType) -> FieldFormatter:
    """The value -> escaped COPY field function for a column of ``col_type`` (``None`` -> ``\\N``)."""
    if col_type.kind == "array":
        element = column_formatter(col_type.element) if col_type.element is not None else value_text

        def array_field(v: Any) -> str:
            return NULL_FIELD if v is None else array_text(v, element).translate(_ESCAPES)
        return array_field
    base = column_formatter(col_type)

    def field(v: Any) -> str:
        if v is None:
            return NULL_FIELD
        text = base(v)
        return NULL_FIELD if text is None else text.translate(_ESCAPES)
    return field


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


def copy_column(col_type: ColumnType) -> Callable[[Sequence[Any]], list[str]]:
    """``values -> COPY fields`` for a whole column of ``col_type``: the same fields as mapping
    :func:`copy_formatter`, through the column-at-a-time paths of :mod:`seeder.sinks.columns`."""
    if col_type.kind == "array":
        return partial(_mapped, copy_formatter(col_type))
    base = column_formatter(col_type)
    texts = column_texts(col_type, base, plain=base is value_text)
    return lambda values: copy_texts(texts(values), _escape, NULL_FIELD)


def _mapped(formatter: FieldFormatter, values: Sequence[Any]) -> list[str]:
    return list(map(formatter, values))


def copy_command(td: TableData, caps: TargetDialect) -> str:
    """``COPY <qualified table> (<columns>) FROM STDIN`` for the columns ``td`` writes (no trailing ``;``)."""
    cols = ", ".join(caps.quote_identifier(c) for c in td.columns)
    return f"COPY {caps.qualify(td.table.name)} ({cols}) FROM STDIN"


def copy_blocks(td: TableData, caps: TargetDialect, null_columns: tuple[str, ...], step: int = 0, *,
                rows_per_block: int = ROWS_PER_BLOCK) -> Iterator[Statement]:
    """The COPY blocks of one table: the SQL sink's ``InsertRenderer`` for COPY (``step`` is the INSERT batch size
    and is ignored: blocks hold ``rows_per_block`` rows, fewer when :data:`MAX_BLOCK_CHARS` is reached; a block
    never spans a multiple of ``rows_per_block``, so the blocks do not depend on how the rows were cut).

    Columns in ``null_columns`` are written as NULL (cycle breaks; the sink's UPDATEs set them afterwards). COPY
    writes ``GENERATED ALWAYS`` identity columns without an override clause (it never applies the ALWAYS rule).
    """
    by_name = {c.name: c for c in td.table.columns}
    formatters = [None if c in null_columns else copy_column(by_name[c].type) for c in td.columns]
    command = copy_command(td, caps)
    pending: list[str] = []
    size, first = 0, 0
    for start in range(0, td.row_count, rows_per_block):
        if pending:  # blocks never span a rows_per_block boundary: the same blocks however the rows were cut
            yield _block(command, pending, td, first)
            first += len(pending)
            pending, size = [], 0
        stop = min(td.row_count, start + rows_per_block)
        cols = [[NULL_FIELD] * (stop - start) if fmt is None else fmt(values[start:stop])
                for fmt, values in zip(formatters, td.values, strict=True)]
        lines = list(map("\t".join, zip(*cols, strict=True)))
        if not pending:
            chars = sum(map(len, lines)) + len(lines)
            if chars < MAX_BLOCK_CHARS:  # the whole slice is one block, as the row-by-row loop below would cut it
                if len(lines) >= rows_per_block:
                    yield _block(command, lines, td, first)
                    first += len(lines)
                else:
                    pending, size = lines, chars
                continue
        for line in lines:
            pending.append(line)
            size += len(line) + 1
            if len(pending) >= rows_per_block or size >= MAX_BLOCK_CHARS:
                yield _block(command, pending, td, first)
                first += len(pending)
                pending, size = [], 0
    if pending:
        yield _block(command, pending, td, first)


def _block(command: str, lines: list[str], td: TableData, first_row: int) -> CopyStatement:
    data = "\n".join(lines) + "\n"
    return CopyStatement(f"{command};\n{data}\\.", "insert", td.table.name, first_row, len(lines), command=command,
                         data=data)


def copy_dialect(dialect: str | TargetDialect) -> TargetDialect:
    """The registry entry of ``dialect`` if it reads ``COPY ... FROM STDIN`` blocks (``copy_from_stdin``).

    Raises:
        ConfigError: an unknown dialect, or one without COPY (MySQL, SQLite).
    """
    caps = get_dialect(dialect)
    if not caps.copy_from_stdin:
        raise ConfigError(f"the COPY format is PostgreSQL only, not {caps.name}: use --format sql for {caps.name}")
    return caps


def _check_rows_per_block(rows_per_block: int) -> None:
    if not isinstance(rows_per_block, int) or rows_per_block < 1:
        raise ConfigError(f"rows_per_block must be a positive integer, got {rows_per_block!r}")


def iter_copy_statements(dataset: Dataset, dialect: str | TargetDialect = "postgres", *,
                         disable_triggers: bool = False, transaction: bool = True,
                         rows_per_block: int = ROWS_PER_BLOCK) -> Iterator[Statement]:
    """The SQL sink's statement stream with every table's INSERTs replaced by :class:`CopyStatement`.

    Args:
        dataset: the generated data.
        dialect: a dialect with ``COPY ... FROM STDIN`` (PostgreSQL).
        disable_triggers: switch user triggers off around the load (as the SQL sink).
        transaction: include BEGIN/COMMIT (see :func:`seeder.sinks.sql.iter_statements`).
        rows_per_block: rows per COPY block (positive).

    Raises (at call time): ConfigError for a dialect without COPY or a bad ``rows_per_block``; PlanError as the SQL
    sink.
    """
    _check_rows_per_block(rows_per_block)
    caps, lp, step = _prepare(dataset, copy_dialect(dialect), disable_triggers, None)
    render = partial(copy_blocks, rows_per_block=rows_per_block)
    return (s for _, s in _sections(dataset, caps, lp, step, transaction, render, rows_per_block))


def write_copy(dataset: Dataset, out: TextIO, dialect: str | TargetDialect = "postgres", *,
               disable_triggers: bool = False, header: Mapping[str, Any] | None = None,
               rows_per_block: int = ROWS_PER_BLOCK) -> None:
    """Write ``dataset`` as one psql script of COPY blocks (one transaction) to the text stream ``out``.

    Args:
        dataset: the generated data.
        out: a text stream opened with ``encoding="utf-8"`` (the script sets ``client_encoding`` to UTF8).
        dialect: a dialect with ``COPY ... FROM STDIN`` (PostgreSQL).
        disable_triggers, header: as :func:`seeder.sinks.sql.write_sql`; the header also says the format.
        rows_per_block: rows per COPY block.

    Raises:
        ConfigError: a dialect other than PostgreSQL, a bad ``rows_per_block``.
        PlanError: as the SQL sink, before anything is written.
    """
    caps = copy_dialect(dialect)
    _check_rows_per_block(rows_per_block)
    lines = {**(header or {}), "format": "COPY ... FROM STDIN data blocks: run it with psql, not a driver"}
    write_sql(dataset, out, caps, disable_triggers=disable_triggers, header=lines,
              inserts=partial(copy_blocks, rows_per_block=rows_per_block), piece_rows=rows_per_block)


__all__ = ["CopyStatement", "array_text", "copy_blocks", "copy_column", "copy_command", "copy_dialect", "copy_field",
           "copy_formatter", "iter_copy_statements", "write_copy"]
