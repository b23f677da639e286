"""Rows a table already holds before a run: the contract between whoever knows them and the planner and engine.

A run may add rows to tables that are not empty: a live database seeded in place (issue #9), or the rows a DDL file
INSERTs itself (issue #11). The planner and the engine never see those rows whole; they ask an
:class:`ExistingTable` per table, through the few bounded questions below (engine design, section 5):

* ``row_count``: the planner subtracts it from what a table's constraints allow ("already full: 0 new rows"), and
  FK targets are weighted by it (a new order may belong to an old customer);
* :meth:`ExistingTable.key_sample`: a bounded sample of existing key tuples, usable as FK targets;
* :meth:`ExistingTable.max_value`: new integer keys start past it;
* :meth:`ExistingTable.taken`: which of a chunk's candidate key tuples already exist (asked once per constraint and
  chunk), so the engine re-ranks the collisions.

Absent tables (no entry in the mapping) are empty. Implementations: the database one
(:class:`seeder.readers.database.rows.DatabaseRows`: SQL through the live connection) and an in-memory one (rows a
DDL file inserts: :class:`seeder.plan.inserted.InsertedTable`). Every answer must be deterministic for a given
database state, so that a run stays a pure function of its seed and the rows already there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from seeder.schema import TableName

#: How many existing key tuples a run asks for per foreign-key target (the FK target sample; bounded so that a table
#: of ten million rows is never read whole).
KEY_SAMPLE_LIMIT = 10_000


@runtime_checkable
class ExistingTable(Protocol):
    """What a run may ask about the rows one table holds already.

    Attributes:
        row_count: how many rows the table holds (0 for an empty table).
    """

    row_count: int

    def key_sample(self, columns: tuple[str, ...], limit: int) -> list[tuple[Any, ...]]:
        """Up to ``limit`` distinct tuples of ``columns`` (no NULL in them) of existing rows, in a fixed order (e.g.
        ``ORDER BY`` the columns), usable as foreign-key targets. Values are of the Python types of
        :mod:`seeder.dataset`."""
        ...

    def max_value(self, column: str) -> Any | None:
        """The largest value of ``column`` among existing rows, or ``None`` when the table is empty or the column
        holds only NULLs."""
        ...

    def taken(self, columns: tuple[str, ...], candidates: Sequence[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
        """The tuples of ``candidates`` (values of ``columns``, in that order) that some existing row already holds.
        Tuples with a NULL never count as taken (NULLs never collide in a unique constraint)."""
        ...


#: Existing rows per table; a table without an entry is empty.
Existing = Mapping[TableName, ExistingTable]


def existing_count(existing: Existing | None, table: TableName) -> int:
    """The number of rows ``table`` holds already (0 when ``existing`` is ``None`` or has no entry for it)."""
    if not existing:
        return 0
    found = existing.get(table)
    return found.row_count if found is not None else 0


__all__ = ["KEY_SAMPLE_LIMIT", "Existing", "ExistingTable", "existing_count"]
