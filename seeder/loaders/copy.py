"""Bulk-load a :class:`~seeder.dataset.Dataset` into PostgreSQL with ``COPY ... FROM STDIN``: everything or nothing.

The same load as :mod:`seeder.loaders.sqlalchemy` (one transaction, connection handling, password scrubbing,
read-only and rights hints, cycle breaks, deferred checks before the non-transactional ``setval``) with one change:
each table's rows go through psycopg 3's ``cursor.copy()`` as the COPY sink's text-format blocks
(:func:`seeder.sinks.copy.iter_copy_statements`) instead of multi-row INSERTs. A block runs inside a SAVEPOINT; when
it fails, its rows are replayed one by one as INSERTs (the SQL sink's) to name the failing row, and then the whole
transaction is rolled back.

COPY is several times faster than INSERT for large tables; it fires row triggers and checks constraints like INSERT
(PostgreSQL manual, COPY: "COPY FROM will invoke any triggers and check constraints on the destination table").
Only psycopg 3 connections are supported (``postgresql://`` and ``postgresql+psycopg://`` URLs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from seeder.dataset import Dataset
from seeder.errors import ConfigError
from seeder.loaders.sqlalchemy import _SAVEPOINT, LoadReport, Target, _Load
from seeder.sinks.copy import CopyStatement, iter_copy_statements


def load(dataset: Dataset, url: str, *, create_schema: str | None = None, disable_triggers: bool = False,
         echo: Callable[[str], None] | None = None) -> LoadReport:
    """Load every row of ``dataset`` into the PostgreSQL database at ``url`` with COPY, in a single transaction.

    Arguments, result and errors are those of :func:`seeder.loaders.sqlalchemy.load`; in addition:

    Raises:
        ConfigError: ``url`` is not a PostgreSQL URL, or names a driver other than psycopg 3 (COPY needs its
            ``cursor.copy()``).
    """
    target = Target.parse(url)
    if target.dialect != "postgres":
        raise ConfigError(f"COPY loading works with PostgreSQL only, and {target.safe} is not PostgreSQL: load with "
                          "--method insert")
    driver = target.url.get_driver_name()
    if driver != "psycopg":
        raise ConfigError(f"COPY loading needs the psycopg (3) driver, not {driver}: use a postgresql+psycopg:// URL")
    return _CopyLoad(dataset, target, create_schema, disable_triggers, echo or (lambda _msg: None)).run()


class _CopyLoad(_Load):
    """:class:`seeder.loaders.sqlalchemy._Load` with COPY blocks in place of INSERT batches."""

    def _stream(self, cur: Any, statements: Iterator[Any]) -> list[Any]:
        # The INSERT stream built by run() only served to validate the plan up front; it is never consumed.
        copy_statements = iter_copy_statements(self.dataset, disable_triggers=self.disable_triggers,
                                               transaction=False)
        return super()._stream(cur, copy_statements)

    @staticmethod
    def _describe(stmt: Any) -> str:
        text = _Load._describe(stmt)
        return text.replace("insert statement", "COPY block", 1) if isinstance(stmt, CopyStatement) else text

    def _insert(self, cur: Any, stmt: Any) -> None:
        if not isinstance(stmt, CopyStatement):
            super()._insert(cur, stmt)
            return
        what = self._describe(stmt)
        self._execute(cur, f"SAVEPOINT {_SAVEPOINT}", what)
        try:
            # No parameters: psycopg leaves the statement text alone (no placeholder parsing).
            with cur.copy(stmt.command) as copy:
                copy.write(stmt.data)
        except self.dbapi_error as exc:
            raise self._locate_failure(cur, stmt, exc) from None
        self._execute(cur, f"RELEASE SAVEPOINT {_SAVEPOINT}", what)


__all__ = ["load"]
