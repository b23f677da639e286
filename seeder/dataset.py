"""The generated data set: what the generation engine hands to sinks and loaders.

Values are plain Python objects, column by column:

========================  ===========================================================
column kind               Python value
========================  ===========================================================
smallint/integer/bigint   ``int``
decimal, money            ``decimal.Decimal``
float/double              ``float`` (finite)
char/varchar/text/xml     ``str``
boolean                   ``bool``
date / time               ``datetime.date`` / ``datetime.time``
timestamp / timestamptz   ``datetime.datetime`` (naive / timezone-aware UTC)
interval                  ``datetime.timedelta``
uuid                      ``uuid.UUID``
json/jsonb                any JSON-compatible value (``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``)
bytes                     ``bytes``
inet/cidr/macaddr         ``str``
enum                      ``str`` (one of the labels)
set                       ``str`` (comma-separated labels, MySQL SET syntax)
array                     ``list`` of element values
tsvector/bit/other        ``str`` in the database's text input syntax
========================  ===========================================================

``None`` is SQL NULL everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from seeder.plan.model import Plan
from seeder.schema import Schema, Table, TableName


@dataclass
class TableData:
    """Generated rows of one table, column-major.

    Attributes:
        table: the table (from the schema model).
        columns: names of the columns written, in order (generated/computed columns are never included;
            identity/serial columns are included with explicit values).
        values: one list per entry of ``columns``, all of the same length.
    """

    table: Table
    columns: tuple[str, ...]
    values: tuple[list[Any], ...]

    @property
    def row_count(self) -> int:
        return len(self.values[0]) if self.values else 0

    def column_values(self, name: str) -> list[Any]:
        """The values of column ``name``; raises ``KeyError`` if it is not written."""
        return self.values[self.columns.index(name)]

    def rows(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[Any, ...]]:
        """Yield row tuples (in ``columns`` order) from ``start`` up to ``stop`` (default: the end)."""
        stop = self.row_count if stop is None else min(stop, self.row_count)
        cols = self.values
        for i in range(start, stop):
            yield tuple(c[i] for c in cols)


@dataclass(frozen=True)
class TableUpdate:
    """Values set on rows of a table after every table is inserted (engine design, section 4): an aggregate over
    child rows generated after their parent (``invoice.total`` = the sum of its lines), and the same-row values
    computed from it.

    Attributes:
        table: the table whose rows change.
        key_columns: columns that find each row (the primary key).
        key_values: one list per key column, one value per updated row.
        set_columns: the columns set.
        set_values: one list per set column, aligned with ``key_values``.
    """

    table: TableName
    key_columns: tuple[str, ...]
    key_values: tuple[list[Any], ...]
    set_columns: tuple[str, ...]
    set_values: tuple[list[Any], ...]

    @property
    def row_count(self) -> int:
        return len(self.key_values[0]) if self.key_values else 0


def apply_updates(td: TableData, updates: list[TableUpdate]) -> TableData:
    """``td`` with the ``updates`` of its table applied (a new :class:`TableData`; ``td`` is not changed), for
    sinks that hold a table whole before writing it (CSV, JSON lines, fixtures). Rows are found by their key
    columns; columns ``td`` does not write are ignored."""
    mine = [u for u in updates if u.table == td.table.name and all(c in td.columns for c in u.key_columns)]
    if not mine or not td.row_count:
        return td
    values = {c: list(v) for c, v in zip(td.columns, td.values, strict=True)}
    for update in mine:
        index = {key: i for i, key in enumerate(zip(*(values[c] for c in update.key_columns), strict=True))}
        for r, key in enumerate(zip(*update.key_values, strict=True)):
            i = index.get(key)
            if i is None:
                continue
            for col, new in zip(update.set_columns, update.set_values, strict=True):
                if col in values:
                    values[col][i] = new[r]
    return TableData(table=td.table, columns=td.columns, values=tuple(values[c] for c in td.columns))


@dataclass(frozen=True)
class TableOutline:
    """What a sink needs to know of a table before its rows come: the table, the columns written, the row count."""

    table: Table
    columns: tuple[str, ...]
    row_count: int


def rebatch(chunks: Iterable[TableData], rows: int) -> Iterator[TableData]:
    """Re-cut a stream of chunks (consecutive chunks of one table follow each other) into pieces that start at
    row numbers ``0, rows, 2 * rows, ...`` of their table: every piece holds ``rows`` rows except a table's last.

    Renderers that batch rows (multi-row INSERTs, COPY blocks) work on these pieces, so their output does not
    depend on how the engine cut the table. Chunks whose sizes are multiples of ``rows`` are only sliced; others
    are joined (a copy of at most ``rows`` rows at a time). Empty tables yield one empty piece.
    """
    current: TableData | None = None  # the current table's first chunk (handed on when the table has no rows)
    pending: TableData | None = None  # rows of the current table not yet handed on (fewer than ``rows``)
    sent = False
    for chunk in chunks:
        if current is None or chunk.table.name != current.table.name:
            if pending is not None and pending.row_count:
                yield pending
            elif current is not None and not sent:
                yield current
            current, pending, sent = chunk, None, False
        if chunk.row_count == 0:
            continue
        if pending is not None and pending.row_count:
            need = rows - pending.row_count
            joined = TableData(chunk.table, chunk.columns,
                               tuple(list(p) + list(c[:need]) for p, c in zip(pending.values, chunk.values,
                                                                               strict=True)))
            chunk = TableData(chunk.table, chunk.columns, tuple(c[need:] for c in chunk.values))
            if joined.row_count < rows:
                pending = joined
                continue
            yield joined
            sent, pending = True, None
        n = chunk.row_count
        full = n - n % rows
        if n == rows:
            yield chunk  # the common case: a chunk of exactly one piece, handed on as it is
        else:
            for start in range(0, full, rows):
                yield TableData(chunk.table, chunk.columns, tuple(c[start:start + rows] for c in chunk.values))
        sent = sent or full > 0
        pending = None if full == n else TableData(chunk.table, chunk.columns, tuple(c[full:] for c in chunk.values))
    if pending is not None and pending.row_count:
        yield pending
    elif current is not None and not sent:
        yield current


@dataclass
class Dataset:
    """Everything one run generated: tables in insert (topological) order, plus the plan that shaped them.

    ``stats`` counts how values were produced (e.g. ``{"cells_local": 1200}``); ``notes`` are human-readable
    remarks the run wants the user to see (limits hit, fallbacks); ``seed`` is the run's seed (a load that
    regenerates rows the database refused salts them from it); ``updates`` are set after every table is inserted
    (:class:`TableUpdate`: SQL scripts and loaders run them as UPDATEs in the same transaction, sinks that hold a
    table whole apply them first, see :meth:`final_tables`).
    """

    schema: Schema
    plan: Plan
    tables: list[TableData]
    stats: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seed: int = 0
    updates: list[TableUpdate] = field(default_factory=list)

    def final_tables(self) -> Iterator[TableData]:
        """The tables in insert order with :attr:`updates` applied: the rows as they are once loaded."""
        for td in self.tables:
            yield apply_updates(td, self.updates)

    def stream(self) -> Iterator[TableData]:
        """The rows in insert order as chunks: consecutive :class:`TableData` pieces of one table follow each other,
        tables in :attr:`tables` order. Sinks and loaders consume this, never assuming a table comes in one piece,
        so that the streamed engine can hand them chunks of a table too big to hold whole."""
        yield from self.tables

    def final_stream(self) -> Iterator[TableData]:
        """:meth:`stream` with :attr:`updates` applied to each chunk: the rows as they are once loaded, for sinks
        that write rows once (CSV, JSON lines, Parquet, fixtures) and cannot run an UPDATE afterwards."""
        for chunk in self.stream():
            yield apply_updates(chunk, self.updates)

    def outline(self) -> list[TableOutline]:
        """Every table in insert order with its columns and row count, without reading rows: sinks and loaders
        plan their output (headers, file names, cycle breaks) from this and take the rows from :meth:`stream`.

        A :attr:`tables` object with an ``outline`` attribute (a streamed run's) supplies it; otherwise it is read
        from :attr:`tables`.
        """
        known = getattr(self.tables, "outline", None)
        if known is not None:
            return list(known() if callable(known) else known)
        return [TableOutline(td.table, td.columns, td.row_count) for td in self.tables]

    def table_data(self, name: Any) -> TableData:
        """The :class:`TableData` of the table called ``name`` (a ``TableName``); ``KeyError`` if absent."""
        for td in self.tables:
            if td.table.name == name:
                return td
        raise KeyError(str(name))
