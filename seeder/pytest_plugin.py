"""A pytest plugin: a realistic, constraint-valid database for a test suite, from the schema it already has.

Installed with seeder (entry point ``pytest11``). Configure it in ``pytest.ini`` / ``pyproject.toml``
(``[tool.pytest.ini_options]``) or on the command line::

    seeder_source = app.models:Base      # --seeder-source: DDL file, package.module:attr, Alembic project
    seeder_url = sqlite:///test.db       # --seeder-url; default: a throw-away server (seeder_server)
    seeder_server = postgres             # or mariadb: started for the session when no seeder_url is given
    seeder_rows = 20                     # --seeder-rows (default 10)
    seeder_seed = 1                      # --seeder-seed (default 0)

Fixtures (all prefixed ``seeder_``):

* ``seeder_url`` (session): the database URL; with no ``seeder_url`` a throw-away PostgreSQL (or MariaDB) starts
  for the session, through testcontainers when a Docker engine answers, else from the local server binaries
  (:mod:`seeder.testing.servers`), and a fresh database on it is used;
* ``seeder_data`` (session): seeds the database once (creating the schema when none of its tables exist) and
  returns the loaded :class:`~seeder.dataset.Dataset`;
* ``seeder_db``: a SQLAlchemy ``Connection`` inside a transaction that is rolled back after the test, so every test
  sees the seeded rows and none sees another test's changes (bind an ORM ``Session`` to it with
  ``join_transaction_mode="create_savepoint"``);
* ``seeder_make``: ``seeder_make("order_item", 3, quantity=2)`` inserts three order items with ``quantity = 2``
  in the test's transaction, pointing at existing parent rows (parent tables with no rows get new ones), and returns
  them as dicts; ``seeder_make("orders", 2, customer_id=7)`` (or ``customer=<a row>``) pins a foreign key.

pytest-django users seed the test database from their models instead (see ``seeder.contrib.django``)::

    @pytest.fixture(scope="session")
    def django_db_setup(django_db_setup, django_db_blocker):
        from seeder.contrib.django.seeding import seed
        with django_db_blocker.unblock():
            seed(rows=20)

The plugin imports nothing heavy until a fixture is used: suites that do not use it pay only for this module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

_INI = {
    "seeder_source": "SOURCE the seeder fixtures read (DDL file, package.module:attr, Alembic project)",
    "seeder_url": "database URL the seeder fixtures seed (default: a throw-away server, see seeder_server)",
    "seeder_server": "throw-away server started when no seeder_url is given: postgres (default) or mariadb",
    "seeder_rows": "rows per table seeded once per session (default 10)",
    "seeder_seed": "random seed of the seeded rows (default 0)",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("seeder", "seeded test databases (seeder)")
    group.addoption("--seeder-source", dest="seeder_source", help=_INI["seeder_source"])
    group.addoption("--seeder-url", dest="seeder_url", help=_INI["seeder_url"])
    group.addoption("--seeder-rows", dest="seeder_rows", type=int, help=_INI["seeder_rows"])
    group.addoption("--seeder-seed", dest="seeder_seed", type=int, help=_INI["seeder_seed"])
    for name, text in _INI.items():
        parser.addini(name, text)


def _setting(config: pytest.Config, name: str) -> str | None:
    value = config.getoption(name, default=None)
    if value is None:
        value = config.getini(name) or None
    return None if value is None else str(value)


@pytest.fixture(scope="session")
def seeder_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of the database the seeder fixtures seed: ``seeder_url``, else a fresh database on a throw-away
    server started for the session."""
    configured = _setting(request.config, "seeder_url")
    if configured:
        yield configured
        return
    from seeder.testing.servers import EngineUnavailable, start_mariadb, start_postgres

    kind = (_setting(request.config, "seeder_server") or "postgres").lower()
    start = {"postgres": start_postgres, "postgresql": start_postgres, "mariadb": start_mariadb,
             "mysql": start_mariadb}.get(kind)
    if start is None:
        raise pytest.UsageError(f"seeder_server must be postgres or mariadb, not {kind!r}")
    try:
        server: Any = start()
    except EngineUnavailable as err:
        pytest.fail(f"seeder: no {kind} server for the session: {err}", pytrace=False)
    try:
        yield server.url(server.create_database(prefix="seeded"))
    finally:
        server.stop()


@pytest.fixture(scope="session")
def seeder_database(request: pytest.FixtureRequest, seeder_url: str) -> Any:
    """The database seeded once for the session (:class:`seeder.testing.seeding.SeededDatabase`)."""
    from seeder.errors import SeederError
    from seeder.testing.seeding import seed_database

    source = _setting(request.config, "seeder_source")
    if not source:
        raise pytest.UsageError("the seeder fixtures need a SOURCE: set seeder_source or pass --seeder-source")
    rows = int(_setting(request.config, "seeder_rows") or 10)
    seed = int(_setting(request.config, "seeder_seed") or 0)
    try:
        return seed_database(seeder_url, source, rows=rows, seed=seed)
    except SeederError as err:
        pytest.fail(f"seeder: {err}", pytrace=False)


@pytest.fixture(scope="session")
def seeder_data(seeder_database: Any) -> Any:
    """The rows seeded for the session (a :class:`seeder.dataset.Dataset`: ``table_data(name).rows()``)."""
    return seeder_database.dataset


@pytest.fixture(scope="session")
def seeder_engine(seeder_database: Any) -> Iterator[Any]:
    """A SQLAlchemy ``Engine`` for the seeded database."""
    from sqlalchemy import create_engine

    from seeder.testing.seeding import _driver_url

    engine = create_engine(_driver_url(seeder_database.url))
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def seeder_db(seeder_engine: Any) -> Iterator[Any]:
    """A SQLAlchemy ``Connection`` to the seeded database inside a transaction rolled back after the test."""
    with seeder_engine.connect() as connection:
        transaction = connection.begin()
        try:
            yield connection
        finally:
            transaction.rollback()


@pytest.fixture
def seeder_make(seeder_db: Any, seeder_database: Any, request: pytest.FixtureRequest) -> Any:
    """``seeder_make(table, n=1, **pinned)`` -> the inserted rows (see :class:`seeder.testing.seeding.Maker`)."""
    from seeder.testing.seeding import Maker

    seed = int(_setting(request.config, "seeder_seed") or 0)
    return Maker(seeder_db, seeder_database.source.schema, seed=seed)
