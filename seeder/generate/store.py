"""What the streamed engine keeps of a generated table: its row count and the columns later tables read.

After a table's last block, a :class:`Retainer` has kept only :func:`~seeder.generate.retained.retained_columns` (engine
design section 2), compactly: a dense run of integers as a ``range``, other NOT NULL integers as an int64 numpy array
(:class:`IntColumn`), anything else as a list. :class:`RetainedTable` answers like a
:class:`~seeder.dataset.TableData` for the columns it holds (``column_values``, ``row_count``), so
:class:`~seeder.generate.context.GenerationContext` reads parents the same way whether a table is held whole or not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

import numpy as np

from seeder.dataset import TableData
from seeder.schema import Table

_INT64 = (-(2**63), 2**63 - 1)


class IntColumn(Sequence[int]):
    """A column of Python ints kept as an int64 numpy array; items come back as ``int`` (never numpy scalars,
    which sinks would not recognise)."""

    __slots__ = ("array",)

    def __init__(self, array: np.ndarray) -> None:
        self.array = array

    def __len__(self) -> int:
        return int(self.array.shape[0])

    @overload
    def __getitem__(self, i: int) -> int: ...

    @overload
    def __getitem__(self, i: slice) -> IntColumn: ...

    def __getitem__(self, i: int | slice) -> int | IntColumn:
        if isinstance(i, slice):
            return IntColumn(self.array[i])
        return int(self.array[i])

    def __iter__(self) -> Iterator[int]:
        return iter(self.array.tolist())

    def __reduce__(self) -> tuple[Any, ...]:
        return (IntColumn, (self.array,))


def take(column: Sequence[Any], indices: Sequence[int | None]) -> list[Any]:
    """``[column[i] for i in indices]`` (``None`` for a ``None`` index), vectorised for :class:`IntColumn`."""
    if isinstance(column, (IntColumn, range)) and indices and not any(i is None for i in indices):
        where = np.asarray(indices, dtype=np.int64)
        if isinstance(column, IntColumn):
            return column.array[where].tolist()
        return (where * column.step + column.start).tolist()
    return [None if i is None else column[i] for i in indices]


class RetainedTable:
    """The retained columns of a generated table (see the module docstring); reads like a ``TableData``.

    Attributes:
        table: the (effective) table.
        columns: names of the retained columns.
        values: one sequence per retained column, ``row_count`` long.
        row_count: rows the run generated for the table (also when no column is retained).
    """

    def __init__(self, table: Table, columns: tuple[str, ...], values: tuple[Sequence[Any], ...],
                 row_count: int) -> None:
        self.table = table
        self.columns = columns
        self.values = values
        self.row_count = row_count

    def column_values(self, name: str) -> Sequence[Any]:
        """The values of retained column ``name``; ``KeyError`` when the column is not retained."""
        try:
            return self.values[self.columns.index(name)]
        except ValueError:
            raise KeyError(name) from None

    def rows(self, start: int = 0, stop: int | None = None) -> Iterator[tuple[Any, ...]]:
        """Row tuples of the retained columns, like :meth:`TableData.rows`."""
        stop = self.row_count if stop is None else min(stop, self.row_count)
        for i in range(start, stop):
            yield tuple(c[i] for c in self.values)


class Retainer:
    """Collects the retained columns of one table piece by piece (int columns as int64 arrays per piece, so a
    table of millions of rows never exists as Python objects), then :meth:`finish` compacts them."""

    def __init__(self, table: Table, keep: Iterable[str]) -> None:
        self.table = table
        self.keep = frozenset(keep)
        self.names: tuple[str, ...] | None = None
        self.parts: dict[str, list[Any]] = {}
        self.row_count = 0

    def add(self, piece: TableData) -> None:
        """Append the retained columns of ``piece`` (the next rows of the table)."""
        if self.names is None:
            self.names = tuple(c for c in piece.columns if c in self.keep)
            self.parts = {c: [] for c in self.names}
        self.row_count += piece.row_count
        for name in self.names:
            self.parts[name].append(_part(piece.column_values(name)))

    def finish(self) -> RetainedTable:
        """The :class:`RetainedTable` of everything added."""
        names = self.names or ()
        return RetainedTable(self.table, names, tuple(_join(self.parts[c]) for c in names), self.row_count)


def _part(values: Sequence[Any]) -> Any:
    if values and all(type(v) is int for v in values) and _INT64[0] <= min(values) and max(values) <= _INT64[1]:
        return np.asarray(values, dtype=np.int64)
    return list(values)


def _join(parts: list[Any]) -> Sequence[Any]:
    if parts and all(isinstance(p, np.ndarray) for p in parts):
        array = np.concatenate(parts) if len(parts) > 1 else parts[0]
        first = int(array[0])
        if array.size < 2 or bool(np.all(np.diff(array) == 1)):
            return range(first, first + int(array.size))
        return IntColumn(array)
    out: list[Any] = []
    for p in parts:
        out.extend(p.tolist() if isinstance(p, np.ndarray) else p)
    return out
