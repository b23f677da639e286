"""State shared by the tables of one generation run, and its deterministic random streams.

Randomness: each (table, column) pair draws from its own ``numpy`` generator seeded from ``(seed, table, column)``
with a stable hash, so adding a column or a table does not change the values of the others, and two runs with the
same seed are identical.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from seeder.dataset import TableData
from seeder.generate.checks import Functions
from seeder.generate.content import ContentSource
from seeder.plan.existing import Existing
from seeder.plan.model import Plan
from seeder.schema import ForeignKey, Schema, TableName


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
    data: dict[TableName, TableData] = field(default_factory=dict)
    pending: list[PendingForeignKey] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    functions: Functions = field(default_factory=dict)
    #: Rows the tables hold already (engine design section 5; see :mod:`seeder.generate.existing_rows`).
    existing: Existing | None = None
    #: Sampled existing keys per (parent table, referenced columns), asked once per run.
    key_samples: dict[tuple[TableName, tuple[str, ...]], list[tuple[Any, ...]]] = field(default_factory=dict)

    def rng(self, table: TableName, column: str, salt: str = "") -> np.random.Generator:
        """The random stream of ``(table, column)``, varied by ``salt`` for separate uses of one column."""
        return np.random.default_rng([self.seed & 0xFFFFFFFF, stable_hash(str(table)), stable_hash(column + salt)])

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

