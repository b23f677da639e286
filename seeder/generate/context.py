"""State shared by the tables of one generation run, and its deterministic random streams.

Randomness: each (table, column) pair draws from its own ``numpy`` generator seeded from ``(seed, table, column)``
with a stable hash, so adding a column or a table does not change the values of the others, and two runs with the
same seed are identical. The streamed engine generates a table in blocks (:mod:`seeder.generate.blocks`): block
``b > 0`` adds ``b`` to the key, block 0 is keyed as a whole-table run always was.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from seeder.dataset import TableData
from seeder.generate.checks import Functions
from seeder.generate.content import ContentSource
from seeder.generate.store import RetainedTable
from seeder.plan.existing import Existing
from seeder.plan.model import Plan
from seeder.schema import ForeignKey, Schema, TableName

T = TypeVar("T")


def stable_hash(text: str) -> int:
    """A hash of ``text`` that is the same in every process (unlike ``hash()``, which is salted)."""
    return zlib.crc32(text.encode("utf-8"))


@dataclass
class PendingForeignKey:
    """A cycle-broken FK whose parent is generated after its table: filled in once the parent exists."""

    table: TableName
    fk: ForeignKey
    unique: bool


@dataclass
class GenerationContext:
    """State shared across the tables of one run."""

    schema: Schema
    plan: Plan
    seed: int
    content: ContentSource
    #: Generated tables: whole (:class:`TableData`) while a cycle-broken FK may still change them, else only the
    #: columns later tables read (:class:`~seeder.generate.store.RetainedTable`).
    data: dict[TableName, TableData | RetainedTable] = field(default_factory=dict)
    pending: list[PendingForeignKey] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    functions: Functions = field(default_factory=dict)
    #: Rows the tables hold already (engine design section 5; see :mod:`seeder.generate.existing_rows`).
    existing: Existing | None = None
    #: Sampled existing keys per (parent table, referenced columns), asked once per run.
    key_samples: dict[tuple[TableName, tuple[str, ...]], list[tuple[Any, ...]]] = field(default_factory=dict)
    #: The block being generated (:mod:`seeder.generate.blocks`): keys :meth:`rng`. 0 for table-wide decisions.
    block: int = 0
    #: Table-wide facts every block of a table reads (fan-out allocations, witness tuples, parent indexes), made
    #: once; emptied whenever a table is added to :attr:`data` or changed (see :meth:`remember`).
    memo: dict[Any, Any] = field(default_factory=dict)

    def rng(self, table: TableName, column: str, salt: str = "") -> np.random.Generator:
        """The random stream of ``(table, column)`` in the current :attr:`block`, varied by ``salt`` for separate
        uses of one column."""
        return self.block_rng(table, column, salt, self.block)

    def block_rng(self, table: TableName, column: str, salt: str, block: int) -> np.random.Generator:
        """The random stream of ``(table, column)`` with ``salt`` in block ``block`` (block 0: the whole-table key)."""
        key = [self.seed & 0xFFFFFFFF, stable_hash(str(table)), stable_hash(column + salt)]
        return np.random.default_rng(key if block == 0 else [*key, block])

    def rank_salt(self, table: TableName, column: str) -> int:
        """The :attr:`~seeder.generate.spec.ValueSpec.rank_salt` of ``(table, column)`` in this run (from the seed:
        numbered unique values differ between seeds and between columns)."""
        return stable_hash(f"{self.seed}\x00{table}\x00{column}") + 1

    def table_rng(self, table: TableName, column: str, salt: str = "") -> np.random.Generator:
        """The stream of a decision made for a whole table at once (a fan-out allocation): keyed as block 0
        whichever block asks, so every block sees the same decision."""
        return self.block_rng(table, column, salt, 0)

    def remember(self, key: Any, make: Callable[[], T]) -> T:
        """``make()``, computed once per ``key`` while the generated tables stay as they are: blocks of a table
        ask for the same table-wide facts, and recomputing them per block would cost as much as the parents."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]  # type: ignore[no-any-return]

    def has_rows_of(self, table: TableName) -> bool:
        """Whether ``table`` has been generated already in this run (a parent generated before its child)."""
        return table in self.data

    def parent_row_count(self, table: TableName) -> int:
        """How many rows this run generated for ``table`` (0: none, or not generated yet)."""
        data = self.data.get(table)
        return 0 if data is None else data.row_count

    def parent_column(self, table: TableName, column: str) -> Sequence[Any]:
        """The values of ``column`` of the rows this run generated for ``table``, in row order.

        The one way generation code reads an already generated table's values (FK targets, copied prices, parent
        timestamps, agreement groups): the streamed engine keeps only the columns later tables need, so a reader
        that goes around this accessor breaks there. Raises ``KeyError`` when the table was not generated or the
        column is not written.
        """
        return self.data[table].column_values(column)

