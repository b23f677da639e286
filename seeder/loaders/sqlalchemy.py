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

Each INSERT batch runs inside a SAVEPOINT; when it fails, the batch is rolled back to the savepoint and replayed
row by row (each row rendered by the same SQL sink) to find the offending row, then the whole transaction is rolled
back and :class:`~seeder.errors.LoadError` names table, row and the database's own message.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.pool import NullPool

from seeder.dataset import Dataset, TableData
from seeder.dialects import DatabaseUrl, database_url
from seeder.dialects.urls import supported_schemes
from seeder.errors import ConfigError, Interrupted, LoadError, SeederError
from seeder.loaders.triggers import drop_triggers, recreate_triggers, triggers_on
from seeder.loaders.writers import InsertWriter, RowWriter
from seeder.schema import TableName
from seeder.sinks.sql import Statement, iter_statements

CONNECT_TIMEOUT_SECONDS = 10
_SAVEPOINT = "seeder_batch"
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
    """

    url: str
    tables: dict[str, int]
    statements: int
    seconds: float
    triggers_disabled: bool


def load(dataset: Dataset, url: str | DatabaseUrl, *, create_schema: str | None = None,
         disable_triggers: bool = False, echo: Callable[[str], None] | None = None,
         writer: RowWriter | None = None) -> LoadReport:
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

    Returns:
        A :class:`LoadReport`.

    Raises:
        ConfigError: the URL cannot be parsed or names an unsupported backend/driver; ``disable_triggers`` on MySQL.
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
    return _Load(dataset, target, create_schema, disable_triggers, echo or (lambda _msg: None),
                 writer or InsertWriter()).run()


# --------------------------------------------------------------------------------------------------- the load


class _Failed(Exception):
    """Internal: a step failed; ``message`` is the user-facing explanation (password already scrubbed)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _first_line(text: str) -> str:
    lines = [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()]
    return lines[0] if lines else text.strip()


def _driver_message(exc: BaseException) -> str:
    """The database's own error text (first line), without SQLAlchemy's wrapping."""
    orig = getattr(exc, "orig", None)
    if isinstance(orig, BaseException):
        exc = orig
    args = getattr(exc, "args", ())
    # PyMySQL errors are (code, message) tuples.
    if len(args) >= 2 and isinstance(args[0], int) and isinstance(args[1], str):
        return f"{_first_line(args[1])} (MySQL error {args[0]})"
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    return _first_line(primary or str(exc) or type(exc).__name__)


def _sqlstate(exc: BaseException) -> str:
    orig = getattr(exc, "orig", exc)
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")


def _mysql_code(exc: BaseException) -> int | None:
    args = getattr(getattr(exc, "orig", exc), "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def _hint(exc: BaseException, message: str) -> str:
    """A short 'what to fix' for errors that are not about one row's values, else ``""``."""
    low, state, code = message.lower(), _sqlstate(exc), _mysql_code(exc)
    if state == "25006" or "read-only" in low or "readonly" in low or code in (1290, 1792):
        return " (the database is read-only: load into a writable database or primary server)"
    if state == "42501" or "permission denied" in low or "must be owner" in low or code in (1142, 1227):
        return " (the user lacks rights: grant INSERT (and table ownership for disable_triggers) or connect as " \
               "the owner)"
    if state == "42P01" or "no such table" in low or code == 1146:
        return " (the table does not exist: create the schema first, e.g. with create_schema)"
    return ""


def _not_about_rows(exc: BaseException, message: str) -> bool:
    """True when replaying rows cannot say more (rights, read-only, missing table, lost connection)."""
    return bool(_hint(exc, message)) or _sqlstate(exc).startswith(("08", "57", "53", "58"))


def _connect_hint(message: str, code: int | None) -> str:
    low = message.lower()
    if "password" in low or "authentication" in low or "access denied" in low or code == 1045:
        return "check the user name and password"
    if "role" in low and "does not exist" in low:
        return "the user does not exist: create it or fix the user name"
    if ("database" in low and "does not exist" in low) or code == 1049:
        return "the database does not exist: create it first or fix the database name"
    if "translate host name" in low or "name or service not known" in low or "nodename" in low:
        return "the host name cannot be resolved: fix the host"
    if "refused" in low or "timeout" in low or "timed out" in low or "can't connect" in low or code == 2003:
        return "no server answers there: is it running, and are host and port right?"
    if "unable to open database file" in low:
        return "the SQLite file cannot be opened: check the path and its directory"
    return "check the URL"


def _values_text(td: TableData, index: int) -> str:
    pairs = ", ".join(f"{col}={val!r}" for col, val in zip(td.columns, (c[index] for c in td.values), strict=True))
    return pairs if len(pairs) <= _MAX_VALUES_TEXT else pairs[: _MAX_VALUES_TEXT - 3] + "..."


def _split_statements(text: str, dialect: Any) -> list[tuple[int, str]]:
    from seeder.readers.ddl import split_statements  # imported on use: the DDL reader module is large

    return split_statements(text, dialect)


class _Load:
    """One load: connection, transaction, statement stream, error translation."""

    def __init__(self, dataset: Dataset, target: DatabaseUrl, create_schema: str | None, disable_triggers: bool,
                 echo: Callable[[str], None], writer: RowWriter) -> None:
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
        self.counts: dict[str, int] = {str(td.table.name): 0 for td in dataset.tables}
        self.statements = 0
        self.dbapi_error: type[BaseException] = Exception

    # ---- entry point

    def run(self) -> LoadReport:
        start = time.perf_counter()
        # The sink checks dialect, options and cycle breaks when called: fail before touching the database.
        statements = iter(self.writer.statements(self.dataset, self.dialect, disable_triggers=self.script_triggers))
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
        return LoadReport(self.target.safe, dict(self.counts), self.statements, seconds, self.disable_triggers)

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
        url, connect_args = self.target.url, {}
        timeout_arg = self.hooks.connect_timeout_arg
        if timeout_arg and timeout_arg not in url.query:
            connect_args[timeout_arg] = CONNECT_TIMEOUT_SECONDS
        try:
            engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
        except (sa_exc.NoSuchModuleError, ImportError) as exc:
            raise ConfigError(f"{self.target.safe}: database driver not available ({_first_line(str(exc))}); use "
                              f"{supported_schemes()}") from None
        self.dbapi_error = engine.dialect.loaded_dbapi.Error
        if self.hooks.driver_autocommit or self.hooks.on_connect:
            event.listen(engine, "connect", _on_connect(self.hooks.driver_autocommit, self.hooks.on_connect))
        return engine

    def _connect(self, engine: Engine) -> Any:
        try:
            raw = engine.raw_connection()
        except (sa_exc.DBAPIError, self.dbapi_error) as exc:  # the pool raises the driver's own errors unwrapped
            message = self.target.scrub(_driver_message(exc))
            hint = _connect_hint(message, _mysql_code(exc))
            raise LoadError(f"cannot connect to {self.target.safe}: {message} ({hint})") from None
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
            saved = self._suspend_triggers(cur)
            sequences = self._stream(cur, statements)
            if saved:
                self._step(cur, lambda: recreate_triggers(cur, saved), "re-creating the suspended triggers")
            self._finish(cur, sequences)
            self._commit(conn, cur)
        except KeyboardInterrupt:
            self._abandon(conn, cur)
            raise Interrupted("load interrupted; the transaction was rolled back, nothing was written") from None
        except _Failed as failed:
            self._rollback(conn, cur)
            raise LoadError(f"load into {self.target.safe} failed: {failed.message}; the transaction was rolled "
                            "back, nothing was written") from None
        except BaseException:
            self._rollback(conn, cur)
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

    def _suspend_triggers(self, cur: Any) -> list[Any]:
        """Save and drop the written tables' triggers where the loader, not the stream, switches them off."""
        if not self.disable_triggers or self.script_triggers:
            return []
        saved: list[Any] = []

        def take_out() -> None:
            saved.extend(triggers_on(cur, self.dialect, (td.table.name for td in self.dataset.tables)))
            drop_triggers(cur, self.dialect, saved)

        self._step(cur, take_out, "suspending triggers")
        self.echo(f"triggers disabled on {len({t.table.lower() for t in saved})} tables ({len(saved)} triggers)")
        return saved

    def _stream(self, cur: Any, statements: Iterator[Any]) -> list[Any]:
        """Run the stream's statements; return the sequence statements, which must run last."""
        script_triggers = self.script_triggers
        sequences: list[Any] = []
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
                sequences.append(stmt)
                continue
            if kind == "insert":
                if current is not None and stmt.table != current:
                    self._echo_table(current)
                current = stmt.table
                self._insert(cur, stmt)
                self.counts[str(stmt.table)] = self.counts.get(str(stmt.table), 0) + stmt.row_count
            else:
                if stmt.switch == "triggers_off" and stmt.table is not None:
                    disabled_tables.add(str(stmt.table))
                self._execute(cur, stmt.sql, self._describe(stmt))
            self.statements += 1
        if current is not None:
            self._echo_table(current)
        if script_triggers and not setup_done:
            self.echo(f"triggers disabled on {len(disabled_tables)} tables")
        return sequences

    def _echo_table(self, table: TableName) -> None:
        self.echo(f"{table}: {self.counts.get(str(table), 0)} rows")

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
        what = self._describe(stmt)
        self._execute(cur, f"SAVEPOINT {_SAVEPOINT}", what)
        try:
            self.writer.write(cur, stmt)
        except self.dbapi_error as exc:
            raise self._locate_failure(cur, stmt, exc) from None
        self._execute(cur, f"RELEASE SAVEPOINT {_SAVEPOINT}", what)

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
        name = td.table.name
        plan = self.dataset.plan
        table_plan = plan.tables.get(name)
        sub_plan = replace(
            plan, order=(name,), generations=((name,),),
            tables={name: replace(table_plan, requested=1, rows=1)} if table_plan is not None else {},
            cycle_breaks=tuple(cb for cb in plan.cycle_breaks if cb.table == name), cycles=(),
            self_references=tuple(sr for sr in plan.self_references if sr[0] == name))
        one_row = TableData(td.table, td.columns, tuple([column[index]] for column in td.values))
        sub = Dataset(schema=self.dataset.schema, plan=sub_plan, tables=[one_row])
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


def _on_connect(driver_autocommit: bool, statements: tuple[str, ...]) -> Callable[[Any, Any], None]:
    """A SQLAlchemy ``connect`` hook applying ``LoaderHooks.driver_autocommit`` and ``on_connect``."""

    def hook(dbapi_connection: Any, _record: Any) -> None:
        if driver_autocommit:
            dbapi_connection.isolation_level = None  # sqlite3: no implicit BEGIN/COMMIT around statements
        cursor = dbapi_connection.cursor()
        try:
            for sql in statements:
                cursor.execute(sql)
        finally:
            cursor.close()
    return hook


__all__ = ["InsertWriter", "LoadReport", "RowWriter", "load"]
