"""How a load sends its rows: the public extension point of :func:`seeder.loaders.sqlalchemy.load`.

A load runs one statement stream (the SQL sink's, :func:`seeder.sinks.sql.iter_statements`, or a variant such as the
COPY sink's) inside one transaction. A :class:`RowWriter` decides which stream that is and how each of its ``insert``
statements reaches the database; the load itself owns everything else (connection, transaction, savepoints around
every insert statement, replaying a failed batch row by row to name the row, rollback, progress messages), so a
writer never needs to know about any of it. :class:`InsertWriter` (multi-row INSERTs) is the default;
:class:`seeder.loaders.copy.CopyWriter` sends PostgreSQL ``COPY`` blocks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from seeder.dataset import Dataset
from seeder.dialects import TargetDialect
from seeder.sinks.sql import Statement, iter_statements


class RowWriter(Protocol):
    """What a load asks of the object that sends its rows."""

    def statements(self, dataset: Dataset, dialect: TargetDialect, *, disable_triggers: bool) -> Iterator[Statement]:
        """The statement stream to run, without BEGIN/COMMIT (the load owns the transaction).

        Called once, before connecting, so that the stream's own checks (dialect, options, cycle breaks) fail before
        the database is touched: raise at call time, not when iterated. ``disable_triggers`` asks for the dialect's
        trigger statements in the stream (``TargetDialect.disable_triggers_sql``).
        """
        ...

    def write(self, cursor: Any, statement: Statement) -> None:
        """Send one ``insert`` statement of the stream through the DB-API ``cursor`` (inside the load's savepoint);
        raise the driver's error when the database refuses it."""
        ...

    def label(self, statement: Statement) -> str:
        """How messages name ``statement`` (``insert statement``, ``COPY block``)."""
        ...


class InsertWriter:
    """The default writer: the SQL sink's multi-row INSERTs, executed as they are (no parameters, so the drivers
    leave ``%``, ``?`` and ``:name`` inside literals alone)."""

    def statements(self, dataset: Dataset, dialect: TargetDialect, *, disable_triggers: bool) -> Iterator[Statement]:
        return iter_statements(dataset, dialect, disable_triggers=disable_triggers, transaction=False)

    def write(self, cursor: Any, statement: Statement) -> None:
        cursor.execute(statement.sql)

    def label(self, statement: Statement) -> str:
        return "insert statement"


__all__ = ["InsertWriter", "RowWriter"]
