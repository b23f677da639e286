"""All or nothing: a load or script that fails in the middle leaves the target database exactly as it was.

Covers the COPY loader (:mod:`seeder.loaders.copy`) and the COPY script (:mod:`seeder.sinks.copy`) next to the
INSERT ones: a trigger that raises, a CHECK that fails, the server connection killed while a statement runs
(``pg_terminate_backend`` from another connection), and scripts stopped by the client at their first error
(PostgreSQL, MariaDB). "Exactly as it was" is checked on row counts, sequence positions, user triggers and NOT NULL
flags (``pg_state`` of ``tests/test_loader.py``), or row counts and AUTO_INCREMENT counters on MariaDB.
Ctrl-C is in ``tests/test_interrupts.py``.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from seeder.errors import ConfigError, LoadError
from seeder.loaders.copy import load as copy_load
from seeder.loaders.sqlalchemy import load as insert_load
from seeder.sinks.copy import write_copy
from seeder.sinks.sql import write_sql
from tests.engines import MysqlError, PsqlError, mysql_query, pg_query, run_mysql, run_psql
from tests.test_loader import make_dataset, pg_setup, pg_state
from tests.test_sinks import COMPANY_VALUES, PG_COMPANY_DDL, TAG, company_dataset, dataset_rows, table_rows

LOADERS: dict[str, Callable[..., Any]] = {"insert": insert_load, "copy": copy_load}
#: A row trigger that makes every book insert take a millisecond: loads run long enough to be hit mid-statement.
SLOW_TRIGGER = """
CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep(0.001); RETURN NEW; END $$;
CREATE TRIGGER book_slow BEFORE INSERT ON book FOR EACH ROW EXECUTE FUNCTION slow_down();
"""


def script(dataset: Any, fmt: str, dialect: str = "postgres") -> str:
    out = io.StringIO()
    if fmt == "copy":
        write_copy(dataset, out)
    else:
        write_sql(dataset, out, dialect)
    return out.getvalue()


# ------------------------------------------------------------------------------------------------ the COPY loader


def test_copy_loader_writes_what_the_insert_loader_writes(pg_url: str) -> None:
    run_psql(pg_url, PG_COMPANY_DDL)
    ds = company_dataset()
    messages: list[str] = []
    report = copy_load(ds, pg_url, echo=messages.append)
    assert report.tables == {str(td.table.name): td.row_count for td in ds.tables}
    for td in ds.tables:  # three nullable cycles (NULL + UPDATE), a deferred NOT NULL cycle, identity ALWAYS
        rows = table_rows(lambda sql: pg_query(pg_url, sql), td.table.name, list(td.columns))
        assert rows == dataset_rows(ds, td.table.name), td.table.name
    assert pg_query(pg_url, "INSERT INTO dept (name) VALUES ('new') RETURNING dept_id") == [(3,)]
    assert "emp: 3 rows" in messages


def test_copy_loader_with_create_schema_and_sequences(pg_url: str) -> None:
    from tests.test_loader import PG_DDL

    report = copy_load(make_dataset(), pg_url, create_schema=PG_DDL)
    assert report.tables == {"author": 3, "book": 20}
    assert pg_query(pg_url, "SELECT nextval('author_id_seq'), nextval('book_id_seq')") == [(4, 21)]


@pytest.mark.parametrize("method", ["insert", "copy"])
def test_trigger_that_raises_leaves_the_database_as_it_was(pg_url: str, method: str) -> None:
    pg_setup(pg_url, trigger=True)
    before = pg_state(pg_url)
    with pytest.raises(LoadError) as err:
        LOADERS[method](make_dataset(bad_title_row=18), pg_url)
    message = str(err.value)
    assert "table book, row 18 of 20" in message and "no bad titles please (got bad)" in message
    assert "rolled back, nothing was written" in message and "\n" not in message
    assert pg_state(pg_url) == before


@pytest.mark.parametrize("method", ["insert", "copy"])
def test_failing_check_in_a_later_table_leaves_earlier_tables_empty(pg_url: str, method: str) -> None:
    pg_setup(pg_url)
    before = pg_state(pg_url)
    with pytest.raises(LoadError, match=r'table book, row 9 of 20 .*violates check constraint "book_price_check"'):
        LOADERS[method](make_dataset(bad_price_row=9), pg_url)
    assert pg_state(pg_url) == before  # the authors COPYed first are gone too


def test_copy_loader_with_triggers_disabled_restores_them(pg_url: str) -> None:
    pg_setup(pg_url, trigger=True)
    triggers = pg_state(pg_url)["triggers"]
    report = copy_load(make_dataset(bad_title_row=18), pg_url, disable_triggers=True)
    assert report.triggers_disabled and report.tables == {"author": 3, "book": 20}
    assert pg_query(pg_url, "SELECT count(*) FROM book WHERE title = 'bad'") == [(1,)]
    assert pg_state(pg_url)["triggers"] == triggers  # enabled again


def test_copy_loader_refuses_other_databases_and_drivers(sqlite_path: Path) -> None:
    with pytest.raises(ConfigError, match="COPY loading works with PostgreSQL only"):
        copy_load(make_dataset(), f"sqlite:///{sqlite_path}")
    with pytest.raises(ConfigError, match="needs the psycopg driver, not psycopg2"):
        copy_load(make_dataset(), "postgresql+psycopg2://u@127.0.0.1/x")


def active_backend(url: str, query_prefix: str, timeout: float = 30.0) -> int:
    """The pid of the backend of ``url``'s database that is running a statement starting with ``query_prefix``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = pg_query(url, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND "
                             f"pid <> pg_backend_pid() AND state = 'active' AND query LIKE '{query_prefix}%'")
        if rows:
            return int(rows[0][0])
        time.sleep(0.02)
    raise AssertionError(f"no backend started {query_prefix!r} within {timeout}s")


@pytest.mark.parametrize("method, statement", [("copy", 'COPY "book"'), ("insert", 'INSERT INTO "book"')])
def test_connection_killed_mid_statement_leaves_the_database_as_it_was(pg_url: str, method: str,
                                                                       statement: str) -> None:
    pg_setup(pg_url)
    run_psql(pg_url, SLOW_TRIGGER)
    before = pg_state(pg_url)
    dataset = make_dataset(authors=50, books=4000)  # ~4 s of book inserts with the slow trigger
    with ThreadPoolExecutor(max_workers=1) as pool:
        running = pool.submit(LOADERS[method], dataset, pg_url)
        pid = active_backend(pg_url, statement)
        assert pg_query(pg_url, f"SELECT pg_terminate_backend({pid})") == [(True,)]
        with pytest.raises(LoadError) as err:
            running.result(timeout=60)
    message = str(err.value)
    assert "terminating connection due to administrator command" in message
    assert "table book" in message and "nothing was written" in message and "\n" not in message
    assert pg_state(pg_url) == before


# ------------------------------------------------------------------------------------------------ scripts


@pytest.mark.parametrize("fmt", ["sql", "copy"])
def test_failing_script_run_as_the_header_says_leaves_postgres_as_it_was(pg_url: str, tmp_path: Path,
                                                                         fmt: str) -> None:
    pg_setup(pg_url, trigger=True)
    before = pg_state(pg_url)
    path = tmp_path / f"out-{fmt}.sql"
    path.write_text(script(make_dataset(bad_title_row=15), fmt), encoding="utf-8")
    with pytest.raises(PsqlError, match="no bad titles please"):
        run_psql(pg_url, path)  # psql -v ON_ERROR_STOP=1 -f out.sql, no --single-transaction: the script's BEGIN
    assert pg_state(pg_url) == before


def test_failing_company_copy_script_rolls_back_the_cycle_setup(pg_url: str) -> None:
    run_psql(pg_url, PG_COMPANY_DDL)
    before = pg_state(pg_url)
    values = {**COMPANY_VALUES, TAG.name: {"label": ["x", None, "o'k"], "weight": [1, 2, None],
                                           "owner_emp_id": [2, 3, 42]}}  # emp 42 does not exist
    with pytest.raises(PsqlError, match="tag_owner_fk"):
        run_psql(pg_url, script(company_dataset(values), "copy"))
    assert pg_state(pg_url) == before


MYSQL_DDL = """
CREATE TABLE author (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL) CHARACTER SET utf8mb4;
CREATE TABLE book (id INT AUTO_INCREMENT PRIMARY KEY, author_id INT, title TEXT NOT NULL,
                   price DECIMAL(8,2), published DATE, CONSTRAINT book_price_check CHECK (price >= 0),
                   CONSTRAINT book_author_fk FOREIGN KEY (author_id) REFERENCES author (id)) CHARACTER SET utf8mb4;
INSERT INTO author VALUES (1000, 'existing');
INSERT INTO book VALUES (1000, 1000, 'existing', 1, NULL);
"""


def mysql_state(url: str) -> dict[str, Any]:
    counts = {t: mysql_query(url, f"SELECT count(*) FROM `{t}`")[0][0] for t in ("author", "book")}
    autoinc = mysql_query(url, "SELECT table_name, auto_increment FROM information_schema.tables "
                               "WHERE table_schema = DATABASE() ORDER BY 1")
    return {"counts": counts, "auto_increment": autoinc}


@pytest.mark.mysql
def test_failing_script_leaves_mariadb_as_it_was(mysql_url: str) -> None:
    run_mysql(mysql_url, MYSQL_DDL)
    before = mysql_state(mysql_url)
    text = script(make_dataset(bad_price_row=12), "sql", "mysql")
    with pytest.raises(MysqlError, match="book_price_check"):
        run_mysql(mysql_url, text)  # the client stops at the first error; the open transaction dies with it
    assert mysql_state(mysql_url) == before
    run_mysql(mysql_url, script(make_dataset(), "sql", "mysql"))  # the same load without the bad row goes in
    assert mysql_state(mysql_url)["counts"] == {"author": 4, "book": 21}


# ------------------------------------------------------------------------------------------------ script headers


@pytest.mark.parametrize("fmt, dialect, begin, hint", [
    ("sql", "postgres", "BEGIN;", "--   psql -v ON_ERROR_STOP=1 -f out.sql"),
    ("copy", "postgres", "BEGIN;", "--   psql -v ON_ERROR_STOP=1 -f out.sql"),
    ("sql", "sqlite", "BEGIN;", "--   sqlite3 -bail database.db < out.sql"),
    ("sql", "mysql", "START TRANSACTION;", "--   mysql --default-character-set=utf8mb4"),
])
def test_every_script_header_says_one_transaction_and_how_to_stop_at_the_first_error(
        fmt: str, dialect: str, begin: str, hint: str) -> None:
    text = script(make_dataset(), fmt, dialect)
    header = text.split("\n\n", 1)[0].splitlines()
    at = header.index("-- The script is ONE transaction and stops at the first error when run like this:")
    assert header[at + 1].startswith(hint)
    assert "--force" not in header[at + 1]  # the MySQL client would go on after errors with --force
    statements = [line for line in text.splitlines() if line in (begin, "COMMIT;")]
    assert statements == [begin, "COMMIT;"] and text.rstrip().endswith("COMMIT;")
    if fmt == "copy":
        assert any(line.startswith("-- format: COPY ... FROM STDIN data blocks: run it with psql") for line in header)
