"""The database as the final judge: find the rows a database rejects, regenerate them, and try again.

Some rules live where seeder cannot read them (a trigger that RAISEs, a CHECK calling a user function, an exclusion
constraint). When an INSERT batch fails, the load (already rolled back to the batch's savepoint) hands the batch's
rows to :meth:`Judge.settle`, which

1. inserts them by bisection, each half inside its own SAVEPOINT, down to the single rows the database refuses
   (about ``2 * log2(batch)`` statements per rejected row instead of one per row);
2. asks the ``regenerate`` callback (:class:`seeder.generate.redraw.RowRedraw`) for new values of each rejected row
   and tries the row again, at most :data:`MAX_ATTEMPTS` times;
3. records each regenerated row with the database's own message (:class:`Regenerated`), or, when a row is still
   refused, raises :class:`RowRejected` with the last message, and the load rolls everything back (a load never
   leaves rows out: all or nothing).

Savepoints are named by bisection depth (``seeder_bisect_<depth>``): MySQL replaces a savepoint of the same name,
PostgreSQL and SQLite shadow it, so per-depth names keep nested ranges apart in all three.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from seeder.dataset import TableData
from seeder.schema import TableName

#: Regenerations tried per rejected row. Rules in triggers can leave a redraw a small chance: a MusicBrainz
#: ``link_attribute`` is accepted only when its (link type, attribute root) pair is listed in
#: ``link_type_attribute_type``, about one redraw in twenty; 200 tries miss that with odds of 1 in 30,000. Each try is
#: one savepoint and a one-row INSERT, and a rule no redraw can meet fails the load at its first row.
MAX_ATTEMPTS = 200
#: Rejected rows per load beyond which the load gives up (a rule no redraw satisfies would otherwise make every row
#: cost a bisection and five retries).
MAX_REJECTED_ROWS = 500

class Regenerate(Protocol):
    """Gives refused rows new values (see :class:`seeder.generate.redraw.RowRedraw`)."""

    def __call__(self, td: TableData, index: int, attempt: int) -> bool:
        """Give row ``index`` of ``td`` new values in place (``attempt`` >= 1); False when nothing can change."""
        ...

    def accepted(self, td: TableData, index: int) -> None:
        """The database accepted the last values of row ``index`` (a redraw may reuse what worked)."""
        ...


@dataclass(frozen=True)
class Regenerated:
    """A row the database refused at first and accepted after ``attempts`` regenerations."""

    table: TableName
    row: int
    attempts: int
    message: str

    def line(self) -> str:
        """One line for the load's report (the row 1-based, as the load's other messages)."""
        times = "once" if self.attempts == 1 else f"{self.attempts} times"
        return f"{self.table} row {self.row + 1}: regenerated {times}; the database had refused it: {self.message}"


class RowRejected(Exception):
    """Row ``index`` of ``td`` is still refused; ``error`` is the last driver error."""

    def __init__(self, td: TableData, index: int, error: BaseException, why: str = "") -> None:
        super().__init__(why)
        self.td, self.index, self.error, self.why = td, index, error, why


class Judge:
    """Settles failed batches of one load (see the module docstring).

    Args:
        cursor: the load's DB-API cursor (inside its transaction, rolled back to the failed batch's savepoint).
        dbapi_error: the driver's base error class.
        rows_sql: renders rows ``[start, stop)`` of a table's data as INSERT statements.
        regenerate: the redraw callback.
        message: turns a driver error into its (scrubbed) first line.
    """

    def __init__(self, cursor: Any, dbapi_error: type[BaseException],
                 rows_sql: Callable[[TableData, int, int], list[str]], regenerate: Regenerate,
                 message: Callable[[BaseException], str]) -> None:
        self.cursor = cursor
        self.dbapi_error = dbapi_error
        self.rows_sql = rows_sql
        self.regenerate = regenerate
        self.message = message
        self.regenerated: list[Regenerated] = []
        self.rejected = 0

    def settle(self, td: TableData, start: int, stop: int) -> None:
        """Insert rows ``[start, stop)`` of ``td``, regenerating the ones the database refuses.

        Raises:
            RowRejected: a row is still refused after :data:`MAX_ATTEMPTS` regenerations, cannot be regenerated,
                or too many rows were refused in this load.
        """
        self._range(td, start, stop, 0)

    def _try(self, statements: list[str], depth: int) -> BaseException | None:
        name = f"seeder_bisect_{depth}"
        self.cursor.execute(f"SAVEPOINT {name}")
        try:
            for sql in statements:
                self.cursor.execute(sql)
        except self.dbapi_error as exc:
            self.cursor.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self.cursor.execute(f"RELEASE SAVEPOINT {name}")
            return exc
        self.cursor.execute(f"RELEASE SAVEPOINT {name}")
        return None

    def _range(self, td: TableData, start: int, stop: int, depth: int) -> None:
        if start >= stop:
            return
        error = self._try(self.rows_sql(td, start, stop), depth)
        if error is None:
            return
        if stop - start == 1:
            self._fix(td, start, error, depth)
            return
        middle = (start + stop) // 2
        self._range(td, start, middle, depth + 1)
        self._range(td, middle, stop, depth + 1)

    def _fix(self, td: TableData, index: int, error: BaseException, depth: int) -> None:
        self.rejected += 1
        if self.rejected > MAX_REJECTED_ROWS:
            raise RowRejected(td, index, error, f"more than {MAX_REJECTED_ROWS} rows were refused")
        first = self.message(error)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if not self.regenerate(td, index, attempt):
                raise RowRejected(td, index, error, "it has no column seeder may change")
            retry = self._try(self.rows_sql(td, index, index + 1), depth + 1)
            if retry is None:
                self.regenerate.accepted(td, index)
                self.regenerated.append(Regenerated(td.table.name, index, attempt, first))
                return
            error = retry
        raise RowRejected(td, index, error, f"still refused after {MAX_ATTEMPTS} regenerations")
