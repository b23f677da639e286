"""Connections to live databases, shared by the database reader (introspection, existing rows) and the loaders.

SQLAlchemy creates the engine (the URL resolved by :func:`seeder.dialects.database_url`, the driver it names loaded
by SQLAlchemy) with no pool (``NullPool``: seeder opens a connection or two per run), a connect timeout where the
driver has one (:attr:`~seeder.dialects.rules.LoaderHooks.connect_timeout_arg`), and the dialect's on-connect
statements (SQLite ``PRAGMA foreign_keys``). Failures are translated into one line that names what to fix and never
holds the password: the database's own first error line (:func:`driver_message`) plus a hint
(:func:`connect_hint`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from seeder.dialects import DatabaseUrl
from seeder.dialects.urls import supported_schemes
from seeder.errors import ConfigError, SeederError

#: Seconds a connection attempt may take before it fails (an unreachable host is an error, not a hang).
CONNECT_TIMEOUT_SECONDS = 10


def first_line(text: str) -> str:
    """The first non-blank line of ``text``, its white space collapsed."""
    lines = [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()]
    return lines[0] if lines else text.strip()


def driver_message(exc: BaseException) -> str:
    """The database's own error text (first line), without SQLAlchemy's wrapping."""
    orig = getattr(exc, "orig", None)
    if isinstance(orig, BaseException):
        exc = orig
    args = getattr(exc, "args", ())
    # PyMySQL errors are (code, message) tuples.
    if len(args) >= 2 and isinstance(args[0], int) and isinstance(args[1], str):
        return f"{first_line(args[1])} (MySQL error {args[0]})"
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    return first_line(primary or str(exc) or type(exc).__name__)


def sqlstate(exc: BaseException) -> str:
    """The SQLSTATE of a driver error (psycopg), or ``""``."""
    orig = getattr(exc, "orig", exc)
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")


def mysql_code(exc: BaseException) -> int | None:
    """The MySQL error number of a PyMySQL error, or ``None``."""
    args = getattr(getattr(exc, "orig", exc), "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def problem_hint(exc: BaseException, message: str) -> str:
    """A short 'what to fix' for errors that are not about one row's values, else ``""``."""
    low, state, code = message.lower(), sqlstate(exc), mysql_code(exc)
    if state == "25006" or "read-only" in low or "readonly" in low or code in (1290, 1792):
        return " (the database is read-only: load into a writable database or primary server)"
    if state == "42501" or "permission denied" in low or "must be owner" in low or code in (1142, 1227):
        return " (the user lacks rights: grant INSERT (and table ownership for disable_triggers) or connect as " \
               "the owner)"
    if state == "42P01" or "no such table" in low or code == 1146:
        return " (the table does not exist: create the schema first, e.g. with create_schema)"
    return ""


def connect_hint(message: str, code: int | None) -> str:
    """What to fix, judged from a failed connection's message (and MySQL error number)."""
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


def engine_for(target: DatabaseUrl) -> tuple[Engine, type[BaseException]]:
    """A SQLAlchemy engine for ``target`` (no pool, connect timeout, the dialect's on-connect statements) and the
    driver's base error class.

    Raises:
        ConfigError: the driver the URL names is not installed.
    """
    url, connect_args = target.url, {}
    hooks = target.dialect.loader
    timeout_arg = hooks.connect_timeout_arg
    if timeout_arg and timeout_arg not in url.query:
        connect_args[timeout_arg] = CONNECT_TIMEOUT_SECONDS
    try:
        engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
    except (sa_exc.NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"{target.safe}: database driver not available ({first_line(str(exc))}); use "
                          f"{supported_schemes()}") from None
    if hooks.driver_autocommit or hooks.on_connect:
        event.listen(engine, "connect", _on_connect(hooks.driver_autocommit, hooks.on_connect))
    return engine, engine.dialect.loaded_dbapi.Error


def connect_failure(target: DatabaseUrl, exc: BaseException) -> str:
    """The one-line message for a failed connection to ``target``: masked URL, the database's words, a hint."""
    message = target.scrub(driver_message(exc))
    return f"cannot connect to {target.safe}: {message} ({connect_hint(message, mysql_code(exc))})"


def connect(target: DatabaseUrl, error: Callable[[str], SeederError]) -> tuple[Engine, Connection]:
    """Open a SQLAlchemy connection to ``target``; the caller disposes of the engine when done.

    Args:
        target: the resolved URL.
        error: builds the error to raise from a one-line message (e.g. ``DatabaseError``).

    Raises:
        ConfigError: the driver is not installed. The result of ``error``: the connection failed (unreachable
            host, wrong password, unknown database); the message holds no password.
    """
    engine, dbapi_error = engine_for(target)
    try:
        return engine, engine.connect()
    except (sa_exc.DBAPIError, dbapi_error) as exc:
        engine.dispose()
        raise error(connect_failure(target, exc)) from None


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


__all__ = ["CONNECT_TIMEOUT_SECONDS", "connect", "connect_failure", "connect_hint", "driver_message", "engine_for",
           "first_line", "mysql_code", "problem_hint", "sqlstate"]
