"""State shared by the tables of one generation run, and its deterministic random streams.

Randomness: each (table, column) pair draws from its own ``numpy`` generator seeded from ``(seed, table, column)``
with a stable hash, so adding a column or a table does not change the values of the others, and two runs with the
same seed are identical.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import numpy as np

from seeder.dataset import TableData
from seeder.generate.checks import Functions
from seeder.generate.content import ContentSource
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

    def rng(self, table: TableName, column: str, salt: str = "") -> np.random.Generator:
        """The random stream of ``(table, column)``, varied by ``salt`` for separate uses of one column."""
        return np.random.default_rng([self.seed & 0xFFFFFFFF, stable_hash(str(table)), stable_hash(column + salt)])
