"""Bulk-load a :class:`~seeder.dataset.Dataset` into PostgreSQL with ``COPY ... FROM STDIN``: everything or nothing.

The same load as :mod:`seeder.loaders.sqlalchemy` (one transaction, connection handling, password scrubbing,
read-only and rights hints, cycle breaks, deferred checks before the non-transactional ``setval``) with one change,
made through the load's public extension point (:class:`~seeder.loaders.writers.RowWriter`): :class:`CopyWriter`
sends each table's rows through psycopg 3's ``cursor.copy()`` as the COPY sink's text-format blocks
(:func:`seeder.sinks.copy.iter_copy_statements`) instead of multi-row INSERTs. The load runs each block inside a
SAVEPOINT; when it fails, its rows are replayed one by one as INSERTs (the SQL sink's) to name the failing row, and
then the whole transaction is rolled back.

COPY is several times faster than INSERT for large tables; it fires row triggers and checks constraints like INSERT
(PostgreSQL manual, COPY: "COPY FROM will invoke any triggers and check constraints on the destination table").
Only dialects with ``copy_from_stdin`` and connections through their ``LoaderHooks.copy_driver`` (psycopg 3:
``postgres://``, ``postgresql://`` and ``postgresql+psycopg://`` URLs) are supported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from seeder.dataset import Dataset
from seeder.dialects import TargetDialect, database_url
from seeder.errors import ConfigError
from seeder.loaders.judge import Regenerate
from seeder.loaders.sqlalchemy import LoadReport
from seeder.loaders.sqlalchemy import load as _load
from seeder.loaders.truncate import Truncation
from seeder.progress import ProgressCallback
from seeder.sinks.copy import CopyStatement, iter_copy_statements
from seeder.sinks.sql import Statement


class CopyWriter:
    """A :class:`~seeder.loaders.writers.RowWriter` sending COPY blocks through psycopg 3's ``cursor.copy()``."""

    def statements(self, dataset: Dataset, dialect: TargetDialect, *, disable_triggers: bool) -> Iterator[Statement]:
        return iter_copy_statements(dataset, dialect, disable_triggers=disable_triggers, transaction=False)

    def write(self, cursor: Any, statement: Statement) -> None:
        if not isinstance(statement, CopyStatement):
            cursor.execute(statement.sql)
            return
        # No parameters: psycopg leaves the statement text alone (no placeholder parsing).
        with cursor.copy(statement.command) as copy:
            copy.write(statement.data)

    def label(self, statement: Statement) -> str:
        return "COPY block" if isinstance(statement, CopyStatement) else "insert statement"


def load(dataset: Dataset, url: str, *, create_schema: str | None = None, disable_triggers: bool = False,
         echo: Callable[[str], None] | None = None, truncate: Truncation | None = None,
         regenerate: Regenerate | None = None, progress: ProgressCallback | None = None,
         bulk: bool = False) -> LoadReport:
    """Load every row of ``dataset`` into the PostgreSQL database at ``url`` with COPY, in a single transaction.

    Arguments, result and errors are those of :func:`seeder.loaders.sqlalchemy.load`; in addition:

    Raises:
        ConfigError: ``url`` is not a PostgreSQL URL, or names a driver other than psycopg 3 (COPY needs its
            ``cursor.copy()``).
    """
    target = database_url(url)
    if not target.dialect.copy_from_stdin:
        raise ConfigError(f"COPY loading works with PostgreSQL only, and {target.safe} is not PostgreSQL: load with "
                          "--method insert")
    driver = target.url.get_driver_name()
    wanted = target.dialect.loader.copy_driver
    if driver != wanted:
        raise ConfigError(f"COPY loading needs the {wanted} driver, not {driver}: use a "
                          f"{target.url.get_backend_name()}+{wanted}:// URL")
    return _load(dataset, target, create_schema=create_schema, disable_triggers=disable_triggers, echo=echo,
                 writer=CopyWriter(), truncate=truncate, regenerate=regenerate, progress=progress, bulk=bulk)


__all__ = ["CopyWriter", "load"]
