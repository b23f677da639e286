"""Load a :class:`~seeder.dataset.Dataset` into a live database in one transaction: everything or nothing.

The SQL comes from a :class:`~seeder.loaders.writers.RowWriter` (by default the SQL sink's
:func:`seeder.sinks.sql.iter_statements`: literal values, no parameters); the database URL is resolved by the dialect
registry (:func:`seeder.dialects.database_url`), and SQLAlchemy picks and loads the driver and opens the connection.
Statements then go straight to the DBAPI cursor with no parameters, because the drivers only leave ``%``, ``:name``
and ``?`` alone when no parameters are passed: psycopg 3 parses placeholders even inside string literals as soon as a
parameter collection is given (checked: ``exec_driver_sql("SELECT '%s'")`` fails with "positional and named
placeholders cannot be mixed" on psycopg 3.3), and PyMySQL's ``cursor.execute`` only %-formats when ``args is not
None``. How the load drives each engine's transaction is the dialect's :class:`~seeder.dialects.rules.LoaderHooks`;
what that means today:

* PostgreSQL: DDL is transactional; statements run in the driver's implicit transaction. Sequence statements
  (``setval``, not transactional in PostgreSQL) run last, after ``SET CONSTRAINTS ALL IMMEDIATE`` has checked any
  deferred constraints, so a failed load leaves sequences untouched too.
* SQLite: Python's ``sqlite3`` module (legacy transaction control, Python < 3.12) would commit around DDL, so the
  connection is put in ``isolation_level = None`` mode and the loader emits ``BEGIN IMMEDIATE`` itself — the recipe
  of SQLAlchemy's SQLite dialect docs ("Enabling Non-Legacy SQLite Transactional Modes"). ``PRAGMA foreign_keys = ON``
  is set on connect, outside any transaction, where SQLite honours it.
* MySQL/MariaDB: DDL commits implicitly (MySQL manual, "Statements That Cause an Implicit Commit"), so
  ``create_schema`` runs before the load transaction and is not undone by a failed load; its ``CREATE/DROP
  DATABASE`` and ``USE`` statements are skipped (the URL names the database). The sink's session settings run after
  it, so a DDL script that leaves ``FOREIGN_KEY_CHECKS`` off does not carry that into the load. Foreign keys the
  sink inserts with checks off are verified by its orphan-check statements before COMMIT (MySQL never re-checks).

INSERT batches (or COPY blocks) run inside a SAVEPOINT per :data:`WINDOW` statements; when one fails, the window is
rolled back, the batches before it are sent again, and the failing batch runs inside a SAVEPOINT of its own: the
judge regenerates refused rows (see :mod:`seeder.loaders.judge`), or the batch is rolled back to the savepoint and
replayed row by row (each row rendered by the same SQL sink) to find the offending row, then the whole transaction is
rolled back and :class:`~seeder.errors.LoadError` names table, row and the database's own message.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine

from seeder.connections import connect_failure, engine_for
from seeder.connections import driver_message as _driver_message
from seeder.connections import problem_hint as _hint
from seeder.connections import sqlstate as _sqlstate
from seeder.dataset import Dataset, TableData
from seeder.dialects import DatabaseUrl, database_url
from seeder.errors import ConfigError, Interrupted, LoadError, SeederError
from seeder.loaders.bulk import Rebuild, capture, check_bulk, create_statements, drop_statements
from seeder.loaders.judge import Judge, Regenerate, RowRejected
from seeder.loaders.prefetch import prefetch
from seeder.loaders.triggers import drop_triggers, recreate_triggers, triggers_on
from seeder.loaders.truncate import Truncation, after_commit_statements, emptying_statements, numbering_statements
from seeder.loaders.writers import InsertWriter, RowWriter
from seeder.progress import ProgressCallback, emit
from seeder.schema import TableName
from seeder.sinks.sql import SequenceTarget, Statement, iter_statements, sequence_targets

_SAVEPOINT = "seeder_batch"
_WINDOW_SAVEPOINT = "seeder_window"
#: Insert statements (COPY blocks, INSERT batches) per savepoint. A savepoint per statement costs about 10% of a
#: PostgreSQL COPY load (each is a subtransaction, and past 64 of them every visibility check also reads
#: pg_subtrans); a refused statement rolls its window back and replays it one statement per savepoint.
WINDOW = 8
_MAX_VALUES_TEXT = 160


@dataclass(frozen=True)
class LoadReport:
    """What a successful :func:`load` did.

    Attributes:
        url: the target URL rendered with the password hidden (``***``).
        tables: rows inserted per table, keyed by ``str(TableName)``, in dataset order (0 for empty tables).
        statements: SQL statements executed: ``create_schema`` statements plus the sink's statement stream
            (savepoints, BEGIN/COMMIT and trigger juggling not counted).
        seconds: wall time from connecting to the end of COMMIT.
        triggers_disabled: True when user triggers were kept from firing during the load.
        truncated: the tables emptied first (``truncate``), as ``str(TableName)``.
        regenerated: one line per row the database refused and accepted after regeneration, with the database's
            own message (see :mod:`seeder.loaders.judge`).
    """

    url: str
    tables: dict[str, int]
    statements: int
    seconds: float
    triggers_disabled: bool
    truncated: tuple[str, ...] = ()
    regenerated: tuple[str, ...] = ()


def load(dataset: Dataset, url: str | DatabaseUrl, *, create_schema: str | None = None,
         disable_triggers: bool = False, echo: Callable[[str], None] | None = None,
         writer: RowWriter | None = None, truncate: Truncation | None = None,
         regenerate: Regenerate | None = None, progress: ProgressCallback | None = None,
         bulk: bool = False) -> LoadReport:
    """Insert every row of ``dataset`` into the database at ``url`` in a single transaction.

    Args:
        dataset: the generated data; its tables are inserted in dataset order by the SQL sink's statements.
        url: a SQLAlchemy URL: ``sqlite:///path.db``, ``postgres[ql][+psycopg]://user[:pw]@host:port/db``,
            ``mysql[+pymysql]://...``, ``mariadb://...`` (see :mod:`seeder.dialects.urls`; without ``+driver`` the
            installed drivers, psycopg 3 and PyMySQL, are used), or a :class:`~seeder.dialects.DatabaseUrl`.
        create_schema: DDL text (in the target's dialect) executed first, statement by statement, inside the same
            transaction on PostgreSQL and SQLite (before it on MySQL, whose DDL commits implicitly). For SQLite a
            missing database file is created for it, and removed again if the load fails. Session settings the DDL
            makes (e.g. pg_dump's ``set_config('search_path', '', false)``) stay in effect for the inserts, as in
            one psql session; the sink qualifies schema-qualified table names.
        disable_triggers: keep user triggers from firing: PostgreSQL ``ALTER TABLE ... DISABLE TRIGGER USER``
            (table owner rights needed; undone before commit), SQLite drops and re-creates the triggers of the
            written tables inside the transaction. Not supported for MySQL.
        echo: receives one-line progress messages (connected, schema statements, triggers, per-table rows).
        writer: sends the rows (see :mod:`seeder.loaders.writers`); default :class:`InsertWriter`.
        truncate: tables to empty first, inside the same transaction, their numbering restarted
            (:mod:`seeder.loaders.truncate`).
        regenerate: when a batch fails on rows, find them by bisection and give them new values through this
            callback, a bounded number of times (:mod:`seeder.loaders.judge`); ``None``: the first refused row fails
            the load.
        progress: receives a ``load`` :class:`~seeder.progress.ProgressEvent` after every batch (rows of the table
            sent so far, of the rows planned).
        bulk: drop the written tables' secondary indexes and FK/UNIQUE/CHECK constraints before the rows go in and
            re-create them before COMMIT (:mod:`seeder.loaders.bulk`; PostgreSQL only).

    Returns:
        A :class:`LoadReport`.

    Raises:
        ConfigError: the URL cannot be parsed or names an unsupported backend/driver; ``disable_triggers`` on MySQL;
            ``bulk`` on a database other than PostgreSQL.
        LoadError: connecting failed (unreachable host, wrong password, unknown database, read-only database) or a
            statement failed; the message names what to fix (for a failing row: table, 1-based row number, the
            row's values and the database's first error line) and never contains the password. Nothing was
            written.
        Interrupted: KeyboardInterrupt during the load; the transaction was rolled back.
        SeederError: whatever the SQL sink raises while rendering statements (the transaction is rolled back).
    """
    target = url if isinstance(url, DatabaseUrl) else database_url(url)
    if disable_triggers and not target.dialect.can_disable_triggers:
        raise ConfigError(f"disable_triggers is not supported for {target.dialect.title} yet; load without it")
    if bulk:
        check_bulk(target.dialect)
    return _Load(dataset, target, create_schema, disable_triggers, echo or (lambda _msg: None),
                 writer or InsertWriter(), truncate, regenerate, progress, bulk).run()


# --------------------------------------------------------------------------------------------------- the load


class _Failed(Exception):
    """Internal: a step failed; ``message`` is the user-facing explanation (password already scrubbed)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _not_about_rows(exc: BaseException, message: str) -> bool:
    """True when replaying rows cannot say more (rights, read-only, missing table, lost connection)."""
    return bool(_hint(exc, message)) or _sqlstate(exc).startswith(("08", "57", "53", "58"))


def _values_text(td: TableData, index: int) -> str:
    pairs = ", ".join(f"{col}={val!r}" for col, val in zip(td.columns, (c[index] for c in td.values), strict=True))
    return pairs if len(pairs) <= _MAX_VALUES_TEXT else pairs[: _MAX_VALUES_TEXT - 3] + "..."


def _split_statements(text: str, dialect: Any) -> list[tuple[int, str]]:
    from seeder.readers.ddl import split_statements  # imported on use: the DDL reader module is large

    return split_statements(text, dialect)


class _Load:
    """One load: connection, transaction, statement stream, error translation."""

    def __init__(self, dataset: Dataset, target: DatabaseUrl, create_schema: str | None, disable_triggers: bool,
                 echo: Callable[[str], None], writer: RowWriter, truncate: Truncation | None = None,
                 regenerate: Regenerate | None = None, progress: ProgressCallback | None = None,
                 bulk: bool = False) -> None:
        self.dataset = dataset
        self.target = target
        self.create_schema = create_schema
        self.disable_triggers = disable_triggers
        self.echo = echo
        self.writer = writer
        self.dialect = target.dialect
        self.hooks = target.dialect.loader
        # Triggers are switched by statements of the stream where a script can do it, else by the loader itself.
        self.script_triggers = disable_triggers and target.dialect.script_disable_triggers
        self.counts: dict[str, int] = {str(td.table.name): 0 for td in dataset.outline()}
        self.statements = 0
        self.dbapi_error: type[BaseException] = Exception
        self.truncate = truncate
        self.regenerate = regenerate
        self.judge: Judge | None = None
        #: Sequences moved before COMMIT (for tables INSERT triggers also write to), with where they were.
        self.moved: list[tuple[str, int | None]] = []
        self.progress = progress
        self.bulk = bulk
        #: Insert statements sent since the savepoint window opened (see WINDOW).
        self._window: list[Statement] = []
        #: What --bulk dropped, re-created after the rows (None: nothing dropped yet).
        self.rebuild: Rebuild | None = None

    # ---- entry point

    def run(self) -> LoadReport:
        start = time.perf_counter()
        # The sink checks dialect, options and cycle breaks when called: fail before touching the database.
        statements = iter(self.writer.statements(self.dataset, self.dialect, disable_triggers=self.script_triggers))
        if not (self.regenerate is not None and self.dataset.plan.cycle_breaks):
            # Render the next batches while the database works on this one. Not when regenerated rows could
            # still change values that cycle-break UPDATEs (rendered later from the same rows) carry.
            statements = prefetch(statements)
        database_file = self.target.database_file
        created_file = self._check_database_file(database_file)
        engine = self._engine()
        ok = False
        try:
            try:
                raw = self._connect(engine)
            except KeyboardInterrupt:
                raise Interrupted("load interrupted while connecting; nothing was written") from None
            try:
                self._transaction(raw, statements)
            finally:
                with contextlib.suppress(Exception):
                    raw.close()
            ok = True
        finally:
            engine.dispose()
            if created_file and not ok and database_file is not None:
                # The file and SQLite's rollback journal / write-ahead log files next to it.
                for leftover in (database_file, *(Path(f"{database_file}-{x}") for x in ("journal", "wal", "shm"))):
                    with contextlib.suppress(OSError):
                        leftover.unlink()
        seconds = time.perf_counter() - start
        total = sum(self.counts.values())
        self.echo(f"committed {total} rows into {len(self.counts)} tables in {seconds:.2f}s")
        regenerated = tuple(self.target.scrub(r.line()) for r in self.judge.regenerated) if self.judge else ()
        truncated = tuple(str(t) for t in self.truncate.tables) if self.truncate else ()
        return LoadReport(self.target.safe, dict(self.counts), self.statements, seconds, self.disable_triggers,
                          truncated, regenerated)

    # ---- connecting

    def _check_database_file(self, path: Path | None) -> bool:
        """Refuse a missing database file unless a schema will be created; True when the load creates the file."""
        if path is None or path.exists():
            return False
        if not path.parent.is_dir():
            raise LoadError(f"{self.target.safe}: directory {path.parent} does not exist; create it or fix the path")
        if self.create_schema is None:
            raise LoadError(f"{self.target.safe}: {self.dialect.title} database file {path} does not exist; create "
                            "it with the schema first or use --create-schema (create_schema= in the API)")
        return True

    def _engine(self) -> Engine:
        engine, self.dbapi_error = engine_for(self.target)
        return engine

    def _connect(self, engine: Engine) -> Any:
        try:
            raw = engine.raw_connection()
        except (sa_exc.DBAPIError, self.dbapi_error) as exc:  # the pool raises the driver's own errors unwrapped
            raise LoadError(connect_failure(self.target, exc)) from None
        self.echo(f"connected to {self.target.safe}")
        return raw

    # ---- the transaction

    def _transaction(self, raw: Any, statements: Iterator[Any]) -> None:
        self._raw = raw  # the pool's proxy, so an interrupted connection can be invalidated (see _abandon)
        conn = raw.driver_connection
        cur = conn.cursor()
        try:
            self._begin(cur)
            self._run_create_schema(cur, conn)
            self._empty_tables(cur)
            if self.regenerate is not None:
                self.judge = Judge(cur, self.dbapi_error, self._rows_sql, self.regenerate,
                                   lambda exc: self.target.scrub(_driver_message(exc)))
            saved = self._suspend_triggers(cur)
            sequences = self._stream(cur, statements)
            self._rebuild(cur)
            if saved:
                self._step(cur, lambda: recreate_triggers(cur, saved), "re-creating the suspended triggers")
            self._finish(cur, sequences)
            self._commit(conn, cur)
            self._after_commit(cur)
        except KeyboardInterrupt:
            self._abandon(conn, cur)
            raise Interrupted("load interrupted; the transaction was rolled back, nothing was written") from None
        except _Failed as failed:
            self._rollback(conn, cur)
            self._restore_sequences(cur)
            raise LoadError(f"load into {self.target.safe} failed: {failed.message}; the transaction was rolled "
                            "back, nothing was written") from None
        except BaseException:
            self._rollback(conn, cur)
            self._restore_sequences(cur)
            raise

    def _step(self, cur: Any, action: Callable[[], object], what: str) -> None:
        try:
            action()
        except self.dbapi_error as exc:
            message = self.target.scrub(_driver_message(exc))
            raise _Failed(f"{what}: {message}{_hint(exc, message)}") from None

    def _execute(self, cur: Any, sql: str, what: str) -> None:
        self._step(cur, lambda: cur.execute(sql), what)

    def _begin(self, cur: Any) -> None:
        if self.hooks.begin:
            self._execute(cur, self.hooks.begin, "starting the transaction")
        if self.hooks.read_only_probe:
            self._execute(cur, self.hooks.read_only_probe, "starting the transaction")
            if str(cur.fetchone()[0]).lower() == "on":
                raise _Failed("the database is read-only (hot standby or default_transaction_read_only): load "
                              "into a writable primary database")

    def _run_create_schema(self, cur: Any, conn: Any) -> None:
        if self.create_schema is None:
            return
        statements = self._without_skipped(_split_statements(self.create_schema, self.dialect))
        for line, sql in statements:
            snippet = " ".join(sql.split())[:60]
            self._execute(cur, sql, f"create_schema statement at line {line} ({snippet})")
            self.statements += 1
        if not self.dialect.transactional_ddl:
            conn.commit()  # the DDL committed implicitly anyway; make the boundary explicit
        self.echo(f"schema: {len(statements)} statements executed")

    def _without_skipped(self, statements: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """The DDL without the statements the hooks' ``create_schema_skip`` matches (each skipped one is echoed).

        Dump-style MySQL scripts (sakila, employees) drop, create and switch to a database of their own: run as
        written they would drop a database the URL does not name and put the tables elsewhere. The load goes into
        the URL's database, so the schema is created there.
        """
        if not self.hooks.create_schema_skip:
            return statements
        skip = re.compile(self.hooks.create_schema_skip, re.IGNORECASE)
        kept = []
        for line, sql in statements:
            if skip.match(sql):
                self.echo(f"schema: skipped statement at line {line} ({' '.join(sql.split())[:60]}): the schema is "
                          f"created in the URL's database {self.target.url.database}")
                continue
            kept.append((line, sql))
        return kept

    def _empty_tables(self, cur: Any) -> None:
        """Empty the tables of ``truncate`` (inside the transaction) and restart their numbering."""
        if self.truncate is None or not self.truncate.tables:
            return
        for sql in emptying_statements(self.dialect, self.truncate):
            self._execute(cur, sql, f"emptying the tables ({sql[:60]})")
        restarts = numbering_statements(self.dialect, self.truncate)
        probe = self.dialect.live.numbering_probe
        if restarts and probe is not None:
            self._execute(cur, probe, "checking the numbering table")
            restarts = restarts if int(cur.fetchone()[0]) else []
        for sql in restarts:
            self._execute(cur, sql, "restarting the numbering of the emptied tables")
        self.echo(f"emptied {len(self.truncate.tables)} tables")

    def _after_commit(self, cur: Any) -> None:
        """Statements that may only run after COMMIT (MySQL AUTO_INCREMENT restarts); failures change nothing."""
        if self.truncate is None:
            return
        for sql in after_commit_statements(self.dialect, self.truncate):
            with contextlib.suppress(self.dbapi_error):
                cur.execute(sql)

    def _suspend_triggers(self, cur: Any) -> list[Any]:
        """Save and drop the written tables' triggers where the loader, not the stream, switches them off."""
        if not self.disable_triggers or self.script_triggers:
            return []
        saved: list[Any] = []

        def take_out() -> None:
            saved.extend(triggers_on(cur, self.dialect, (td.table.name for td in self.dataset.outline())))
            drop_triggers(cur, self.dialect, saved)

        self._step(cur, take_out, "suspending triggers")
        self.echo(f"triggers disabled on {len({t.table.lower() for t in saved})} tables ({len(saved)} triggers)")
        return saved

    def _stream(self, cur: Any, statements: Iterator[Any]) -> list[Any]:
        """Run the stream's statements; return the sequence statements, which must run last."""
        script_triggers = self.script_triggers
        sequences: list[Any] = []
        early = self._early_sequences()
        disabled_tables: set[str] = set()
        setup_done = False
        current: TableName | None = None
        for stmt in statements:
            kind = stmt.kind
            if kind == "transaction":  # not expected with transaction=False; the loader owns the transaction
                continue
            if kind != "setup" and not setup_done:
                setup_done = True
                if script_triggers:
                    self.echo(f"triggers disabled on {len(disabled_tables)} tables")
            if kind == "sequence":
                if stmt.table not in early:  # moved right after the table's rows (see _early_sequences)
                    sequences.append(stmt)
                continue
            if kind == "insert":
                if current is None:
                    self._drop_for_bulk(cur)
                if current is not None and stmt.table != current:
                    self._close_window(cur)
                    self._echo_table(current)
                    self._move_sequences(cur, early.get(current, []))
                if stmt.table != current:
                    emit(self.progress, "load", stmt.table, 0, self._planned(stmt.table))
                current = stmt.table
                self._insert(cur, stmt)
                done = self.counts[str(stmt.table)] = self.counts.get(str(stmt.table), 0) + stmt.row_count
                emit(self.progress, "load", stmt.table, done, self._planned(stmt.table))
            else:
                self._close_window(cur)
                if stmt.switch == "triggers_off" and stmt.table is not None:
                    disabled_tables.add(str(stmt.table))
                self._execute(cur, stmt.sql, self._describe(stmt))
            self.statements += 1
        self._close_window(cur)
        if current is not None:
            self._echo_table(current)
            self._move_sequences(cur, early.get(current, []))
        if script_triggers and not setup_done:
            self.echo(f"triggers disabled on {len(disabled_tables)} tables")
        return sequences

    def _early_sequences(self) -> dict[TableName, list[SequenceTarget]]:
        """Sequences of tables that INSERT triggers of other tables also write to: the triggers take numbers from
        them during the load, so they move past the seeded keys right after those rows (not at the end, where a
        setval would go back behind the trigger's rows). Everything else moves after every check has passed."""
        filled = {f.target for f in self.dataset.schema.trigger_fills}
        if not filled or self.dialect.live.sequence_position is None:
            return {}
        early: dict[TableName, list[SequenceTarget]] = {}
        for target in sequence_targets(self.dataset, self.dialect):
            if target.table in filled:
                early.setdefault(target.table, []).append(target)
        return early

    def _move_sequences(self, cur: Any, targets: list[SequenceTarget]) -> None:
        """Move ``targets`` past their keys now (never backwards), remembering where each was for a failed load."""
        position, reset = self.dialect.live.sequence_position, self.dialect.sequence_reset_sql
        if not targets or position is None or reset is None:
            return
        for t in targets:
            self._execute(cur, position.format(sequence=t.sequence), "reading a sequence")
            before = cur.fetchone()[0]
            self.moved.append((t.sequence, None if before is None else int(before)))
            if before is None or int(before) < t.value:
                self._execute(cur, reset.format(sequence=t.sequence, value=t.value), f"moving the sequence of "
                              f"{t.table} (INSERT triggers number rows from it)")

    def _restore_sequences(self, cur: Any) -> None:
        """Put the sequences :meth:`_move_sequences` moved back where they were (setval is not transactional)."""
        template = self.dialect.live.sequence_restore
        moved, self.moved = self.moved, []
        if template is None:
            return
        for sequence, value in reversed(moved):
            with contextlib.suppress(Exception):
                cur.execute(template.format(sequence=sequence, value="NULL" if value is None else value,
                                            called="false" if value is None else "true"))

    def _echo_table(self, table: TableName) -> None:
        done = self.counts.get(str(table), 0)
        emit(self.progress, "load", table, done, self._planned(table), finished=True)
        self.echo(f"{table}: {done} rows")

    def _planned(self, table: TableName) -> int | None:
        plan = self.dataset.plan
        return plan.rows(table) if table in plan.tables else None

    def _bulk_tables(self) -> list[TableName]:
        plan = self.dataset.plan
        return [name for name in plan.order if plan.rows(name)]

    def _drop_for_bulk(self, cur: Any) -> None:
        """--bulk: read and drop the written tables' secondary indexes and constraints (before the first row)."""
        if not self.bulk or self.rebuild is not None:
            return
        tables = self._bulk_tables()
        rebuild: list[Rebuild] = []
        self._step(cur, lambda: rebuild.append(capture(cur, self.dialect, tables)),
                   "reading the index and constraint definitions (--bulk)")
        self.rebuild = rebuild[0]
        for sql, what in drop_statements(self.rebuild):
            self._execute(cur, sql, f"{what} (--bulk)")
        self.echo(f"bulk: dropped {len(self.rebuild.constraints)} constraints and {len(self.rebuild.indexes)} "
                  f"indexes of {len(tables)} tables; they are re-created after the rows")

    def _rebuild(self, cur: Any) -> None:
        """--bulk: re-create what :meth:`_drop_for_bulk` dropped; each one checks every row."""
        if self.rebuild is None:
            return
        start = time.perf_counter()
        for sql, what in create_statements(self.rebuild):
            self._execute(cur, sql, what)
        self.echo(f"bulk: re-created {self.rebuild.count} indexes and constraints in "
                  f"{time.perf_counter() - start:.2f}s")

    def _describe(self, stmt: Statement) -> str:
        if stmt.kind == "check":  # the sink's orphan check after FOREIGN_KEY_CHECKS = 0 (MySQL)
            return (f"foreign-key check of table {stmt.table} (its rows went in with FOREIGN_KEY_CHECKS = 0, which "
                    "MySQL never re-checks; the check reports through a time-zone error)")
        what = self.writer.label(stmt) if stmt.kind == "insert" else f"{stmt.kind} statement"
        where = f" of table {stmt.table}" if stmt.table is not None else ""
        rows = ""
        if stmt.first_row is not None and stmt.row_count:
            first = stmt.first_row + 1
            rows = f", row {first}" if stmt.row_count == 1 else f", rows {first}-{first + stmt.row_count - 1}"
        if stmt.kind in ("setup", "teardown", "sequence"):  # short statements: show them
            text = " ".join(stmt.sql.split())
            rows += f" ({text[:57]}...)" if len(text) > 60 else f" ({text})"
        return f"{what}{where}{rows}"

    def _insert(self, cur: Any, stmt: Statement) -> None:
        """Send one insert statement inside the current savepoint window (see :data:`WINDOW`).

        When the database refuses it, the window is rolled back, the statements that went in before it are sent
        again, and the refused one takes the careful path (:meth:`_careful_insert`: its own savepoint, the judge,
        the failing row named), so a failed load reports exactly what it did with a savepoint per statement.
        """
        if not self._window:
            self._execute(cur, f"SAVEPOINT {_WINDOW_SAVEPOINT}", self._describe(stmt))
        try:
            self.writer.write(cur, stmt)
        except self.dbapi_error as exc:
            went_in, self._window = self._window, []
            message = self.target.scrub(_driver_message(exc))
            if _not_about_rows(exc, message):
                raise self._locate_failure(cur, stmt, exc) from None
            try:
                cur.execute(f"ROLLBACK TO SAVEPOINT {_WINDOW_SAVEPOINT}")
                cur.execute(f"RELEASE SAVEPOINT {_WINDOW_SAVEPOINT}")
            except self.dbapi_error:  # e.g. a SQLite RAISE(ROLLBACK) already ended the transaction
                raise _Failed(f"{self._describe(stmt)}: {message}") from None
            for earlier in went_in:
                self._step(cur, lambda earlier=earlier: self.writer.write(cur, earlier), self._describe(earlier))
            self._careful_insert(cur, stmt)
            return
        self._window.append(stmt)
        if len(self._window) >= WINDOW:
            self._close_window(cur)

    def _close_window(self, cur: Any) -> None:
        """Release the savepoint window: its statements stay (statements that are not inserts, table switches and
        the end of the stream close it first, so a rollback to it never undoes anything but inserts)."""
        if self._window:
            self._window = []
            self._execute(cur, f"RELEASE SAVEPOINT {_WINDOW_SAVEPOINT}", "releasing a savepoint")

    def _careful_insert(self, cur: Any, stmt: Statement) -> None:
        what = self._describe(stmt)
        self._execute(cur, f"SAVEPOINT {_SAVEPOINT}", what)
        try:
            self.writer.write(cur, stmt)
        except self.dbapi_error as exc:
            if not self._settle(cur, stmt, exc):
                raise self._locate_failure(cur, stmt, exc) from None
        self._execute(cur, f"RELEASE SAVEPOINT {_SAVEPOINT}", what)

    def _settle(self, cur: Any, stmt: Any, exc: BaseException) -> bool:
        """Let the judge insert a failed batch's rows, regenerating the refused ones; False when it cannot try
        (no regeneration asked for, an error not about rows, the savepoint gone)."""
        message = self.target.scrub(_driver_message(exc))
        if self.judge is None or _not_about_rows(exc, message) or stmt.table is None:
            return False
        try:
            td = self.dataset.table_data(stmt.table)
            cur.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
        except (KeyError, self.dbapi_error):
            return False
        first = stmt.first_row or 0
        before = len(self.judge.regenerated)
        try:
            self.judge.settle(td, first, min(first + stmt.row_count, td.row_count))
        except RowRejected as rejected:
            row_message = self.target.scrub(_driver_message(rejected.error))
            why = f" ({rejected.why})" if rejected.why else ""
            raise _Failed(self._row_message(rejected.td, rejected.index, row_message, rejected.error) + why) from None
        except self.dbapi_error as err:  # the savepoint machinery itself failed (e.g. the transaction ended)
            raise _Failed(f"{self._describe(stmt)}: {self.target.scrub(_driver_message(err))}") from None
        for fixed in self.judge.regenerated[before:]:
            self.echo(self.target.scrub(fixed.line()))
        return True

    def _locate_failure(self, cur: Any, stmt: Any, exc: BaseException) -> _Failed:
        """Find the first row of a failed INSERT batch that fails on its own (replayed after the savepoint)."""
        message = self.target.scrub(_driver_message(exc))
        table = stmt.table
        first = stmt.first_row or 0
        try:
            td = self.dataset.table_data(table)
        except KeyError:
            td = None
        if td is not None and stmt.row_count == 1:
            return _Failed(self._row_message(td, first, message, exc))
        if _not_about_rows(exc, message) or td is None:
            return _Failed(f"{self._describe(stmt)}: {message}{_hint(exc, message)}")
        try:
            cur.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
        except self.dbapi_error:  # e.g. a SQLite RAISE(ROLLBACK) already ended the transaction
            return _Failed(f"{self._describe(stmt)}: {message}")
        for index in range(first, min(first + stmt.row_count, td.row_count)):
            try:
                for sql in self._single_row_sql(td, index):
                    cur.execute(sql)
            except self.dbapi_error as row_exc:
                row_message = self.target.scrub(_driver_message(row_exc))
                return _Failed(self._row_message(td, index, row_message, row_exc))
            except SeederError:
                break  # the sink cannot render the row alone; report the batch
        return _Failed(f"{self._describe(stmt)}: {message}")

    def _row_message(self, td: TableData, index: int, message: str, exc: BaseException) -> str:
        values = self.target.scrub(_values_text(td, index))
        return f"table {td.table.name}, row {index + 1} of {td.row_count} ({values}): {message}{_hint(exc, message)}"

    def _single_row_sql(self, td: TableData, index: int) -> Iterable[str]:
        """The sink's INSERT statement(s) for row ``index`` of ``td`` alone."""
        return self._rows_sql(td, index, index + 1)

    def _rows_sql(self, td: TableData, start: int, stop: int) -> list[str]:
        """The sink's INSERT statement(s) for rows ``[start, stop)`` of ``td`` alone."""
        name = td.table.name
        plan = self.dataset.plan
        table_plan = plan.tables.get(name)
        sub_plan = replace(
            plan, order=(name,), generations=((name,),),
            tables={name: replace(table_plan, requested=stop - start, rows=stop - start)}
            if table_plan is not None else {},
            cycle_breaks=tuple(cb for cb in plan.cycle_breaks if cb.table == name), cycles=(),
            self_references=tuple(sr for sr in plan.self_references if sr[0] == name))
        rows = TableData(td.table, td.columns, tuple(column[start:stop] for column in td.values))
        sub = Dataset(schema=self.dataset.schema, plan=sub_plan, tables=[rows])
        stream = iter_statements(sub, self.dialect, disable_triggers=False, transaction=False)
        return [s.sql for s in stream if s.kind == "insert"]

    def _finish(self, cur: Any, sequences: list[Any]) -> None:
        if self.dialect.check_deferred_now:
            # Check deferred constraints now: COMMIT would check them after the non-transactional setval()s.
            self._execute(cur, self.dialect.check_deferred_now, "checking deferred constraints")
        for stmt in sequences:
            self._execute(cur, stmt.sql, self._describe(stmt))
            self.statements += 1

    def _commit(self, conn: Any, cur: Any) -> None:
        if self.hooks.commit is None:
            self._step(cur, conn.commit, "COMMIT")
            return
        try:
            cur.execute(self.hooks.commit)
        except self.dbapi_error as exc:
            message = self.target.scrub(_driver_message(exc))
            raise _Failed(f"COMMIT: {message}{self._fk_violations(cur)}") from None

    def _fk_violations(self, cur: Any) -> str:
        """`` (n rows; first: ...)`` from the hooks' ``fk_violation_probe`` after a failed COMMIT, else ``""``."""
        if self.hooks.fk_violation_probe is None:
            return ""
        with contextlib.suppress(Exception):
            cur.execute(self.hooks.fk_violation_probe)
            problems = cur.fetchall()
            if problems:
                table, rowid, parent = problems[0][:3]
                return (f" ({len(problems)} rows; first: table {table} rowid {rowid} references a missing row of "
                        f"{parent})")
        return ""

    def _abandon(self, conn: Any, cur: Any) -> None:
        """Give up a connection interrupted mid-statement. A server connection may still be busy with the statement
        (psycopg: "another command is already in progress"), so it is invalidated, not reset: closing it makes the
        server roll the transaction back, and the pool never tries (and fails, noisily) to reuse it. A file database
        has no server: it is rolled back."""
        if self.hooks.file_database:
            self._rollback(conn, cur)
            return
        with contextlib.suppress(Exception):
            proxy = getattr(self, "_raw", None)
            if proxy is not None:
                proxy.invalidate()
            else:
                conn.close()

    def _rollback(self, conn: Any, cur: Any) -> None:
        with contextlib.suppress(Exception):
            if self.hooks.rollback:
                cur.execute(self.hooks.rollback)
            else:
                conn.rollback()


__all__ = ["InsertWriter", "LoadReport", "RowWriter", "load"]
