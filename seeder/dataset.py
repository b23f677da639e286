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

from collections import UserList
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from seeder.plan.model import Plan
from seeder.schema import Schema, Table


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


@dataclass
class Dataset:
    """Everything one run generated: tables in insert (topological) order, plus the plan that shaped them.

    ``stats`` counts how values were produced (e.g. ``{"cells_local": 1200}``); ``notes`` are human-readable
    remarks the run wants the user to see (limits hit, fallbacks); ``seed`` is the run's seed (a load that
    regenerates rows the database refused salts them from it).
    """

    schema: Schema
    plan: Plan
    tables: list[TableData]
    stats: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seed: int = 0

    def stream(self) -> Iterator[TableData]:
        """The rows in insert order as chunks: consecutive :class:`TableData` pieces of one table follow each other,
        tables in :attr:`tables` order (every table at least one piece, maybe empty). Sinks and loaders consume
        this, never assuming a table comes in one piece: a streamed run (``generate(..., chunk_rows=N)``)
        generates the pieces only as they are asked for, so a table of ten million rows never exists whole, and
        its :attr:`notes` and :attr:`stats` are complete once the stream is. Each call streams the same rows
        again (generating them again, unless :attr:`tables` was read, which holds every table whole)."""
        if isinstance(self.tables, LazyTables) and not self.tables.materialized:
            yield from self.tables.produce()
        else:
            yield from self.tables

    @property
    def streamed(self) -> bool:
        """Whether the rows are generated only as :meth:`stream` is read (a streamed run not yet read whole)."""
        return isinstance(self.tables, LazyTables) and not self.tables.materialized

    def table_data(self, name: Any) -> TableData:
        """The :class:`TableData` of the table called ``name`` (a ``TableName``); ``KeyError`` if absent."""
        for td in self.tables:
            if td.table.name == name:
                return td
        raise KeyError(str(name))


def join_pieces(pieces: Iterable[TableData]) -> list[TableData]:
    """Whole tables from a stream of pieces (consecutive pieces of one table are concatenated), in stream order."""
    out: list[TableData] = []
    for piece in pieces:
        if out and out[-1].table.name == piece.table.name:
            last = out[-1]
            out[-1] = TableData(table=last.table, columns=last.columns,
                                values=tuple([*a, *b] for a, b in zip(last.values, piece.values, strict=True)))
        else:
            out.append(TableData(table=piece.table, columns=piece.columns, values=tuple(list(v) for v in
                                                                                         piece.values)))
    return out


class LazyTables(UserList[TableData]):
    """The tables of a streamed run: generated whole only when something reads them as a list (code that needs
    every row at once); :meth:`Dataset.stream` generates piece by piece instead, keeping nothing.

    ``produce()`` yields the run's pieces (a fresh generation each call, deterministic).
    """

    def __init__(self, produce: Callable[[], Iterator[TableData]]) -> None:
        self.produce = produce
        self._whole: list[TableData] | None = None

    @property
    def materialized(self) -> bool:
        """Whether the tables were generated whole already."""
        return self._whole is not None

    @property  # type: ignore[override]
    def data(self) -> list[TableData]:
        if self._whole is None:
            self._whole = join_pieces(self.produce())
        return self._whole

    @data.setter
    def data(self, value: list[TableData]) -> None:
        self._whole = value
