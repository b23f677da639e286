"""Session-wide fixtures: real database engines (see :mod:`tests.engines`).

* ``pg_server`` — one PostgreSQL server for the whole session. When none can be found or started, the tests that
  need it are skipped with the reason, except under CI (env var ``CI`` set), where they fail: CI must not go green
  by skipping.
* ``pg_url`` — a fresh, empty database per test (owner: the superuser ``postgres``), dropped afterwards.
* ``pg_app_url`` — the same, owned by and connecting as the non-superuser role ``seeder_app``.
* ``mysql_server`` — one MariaDB server for the whole session, same skip/fail policy as ``pg_server``.
* ``mysql_url`` — a fresh, empty utf8mb4 database per test for the password account ``seeder``, dropped afterwards.
* ``sqlite_path`` — a path for a new SQLite file in the test's tmp directory (not created).
* ``shared_schemas`` — the real-world DDL directory (``tests.engines.schemas_dir``); same skip/fail policy. Tests
  take it through the ``tests.engines.needs_schemas`` mark or single files through ``tests.engines.schema_path``.

Tests that use a PostgreSQL / MariaDB fixture get the ``postgres`` / ``mysql`` marker automatically.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Make ``tests.engines`` importable however pytest is started (``python -m pytest`` adds the cwd to sys.path, the
# ``pytest`` script does not, and tests/ is not a package).
_REPO_ROOT = str(Path(__file__).resolve().parent.parent)
if _REPO_ROOT not in sys.path:
    sys.path.insert(0, _REPO_ROOT)

from tests.engines import (  # noqa: E402
    EngineUnavailable,
    MariaDbServer,
    PgServer,
    missing_input,
    require_schemas_dir,
    start_mariadb,
    start_postgres,
)

PG_FIXTURES = frozenset({"pg_server", "pg_url", "pg_app_url"})
MYSQL_FIXTURES = frozenset({"mysql_server", "mysql_url"})


_SERVER: PgServer | None = None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's PostgreSQL server (started on first use, stopped at session end)."""
    global _SERVER
    try:
        server = start_postgres()
    except EngineUnavailable as exc:
        missing_input(f"PostgreSQL unavailable: {exc}")
        raise  # not reached: skip/fail raise
    _SERVER = server
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """SQLAlchemy URL of a fresh empty database (superuser ``postgres``), dropped after the test."""
    name = pg_server.create_database()
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop_database(name)


@pytest.fixture
def pg_app_url(pg_server: PgServer) -> Iterator[str]:
    """SQLAlchemy URL of a fresh empty database owned by, and connecting as, the non-superuser ``seeder_app``."""
    name = pg_server.create_database(owner="seeder_app")
    try:
        yield pg_server.url(name, user="seeder_app")
    finally:
        pg_server.drop_database(name)


# ---------------------------------------------------------------------------------------------------------------
# MariaDB (MySQL dialect): same policy as PostgreSQL (skip locally, fail under CI when it cannot start).
# ---------------------------------------------------------------------------------------------------------------

_MARIADB: MariaDbServer | None = None


@pytest.fixture(scope="session")
def mysql_server() -> Iterator[MariaDbServer]:
    """The session's MariaDB server (started on first use, stopped at session end)."""
    global _MARIADB
    try:
        server = start_mariadb()
    except EngineUnavailable as exc:
        missing_input(f"MariaDB unavailable: {exc}")
        raise  # not reached: skip/fail raise
    _MARIADB = server
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mysql_url(mysql_server: MariaDbServer) -> Iterator[str]:
    """SQLAlchemy URL ``mysql+pymysql://seeder:PW@127.0.0.1:PORT/DB`` of a fresh empty utf8mb4 database.

    The ``seeder`` account has every privilege on it and none outside ``seeder_%`` databases; dropped afterwards.
    """
    name = mysql_server.create_database()
    try:
        yield mysql_server.url(name)
    finally:
        mysql_server.drop_database(name)


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    """Path of a not-yet-existing SQLite database file in the test's tmp directory."""
    return tmp_path / "seeder-test.sqlite3"


@pytest.fixture(scope="session")
def shared_schemas() -> Path:
    """The directory of real-world DDL files; skips (locally) or fails (under CI) the test when it is missing."""
    return require_schemas_dir()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests using a PostgreSQL / MariaDB fixture with ``postgres`` / ``mysql`` (``-m 'not mysql'`` works)."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if PG_FIXTURES & names:
            item.add_marker(pytest.mark.postgres)
        if MYSQL_FIXTURES & names:
            item.add_marker(pytest.mark.mysql)


def _timing_parts(timings: dict[str, float], created: list[float]) -> list[str]:
    parts = [f"{k} {v:.2f}s" for k, v in timings.items()]
    if created:
        parts.append(f"{len(created)} databases created, mean {sum(created) / len(created) * 1000:.0f} ms, "
                     f"max {max(created) * 1000:.0f} ms")
    return parts


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per server used (PostgreSQL, MariaDB): kind, version, start time, database creation times."""
    server = _SERVER
    if server is not None:
        parts = _timing_parts(server.timings, server.db_create_seconds)
        terminalreporter.write_line(f"postgres ({server.kind}, {server.version}): " + "; ".join(parts))
    maria = _MARIADB
    if maria is not None:
        parts = _timing_parts(maria.timings, maria.db_create_seconds)
        terminalreporter.write_line(f"mariadb ({maria.version}): " + "; ".join(parts))
