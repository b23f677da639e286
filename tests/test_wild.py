"""Schemas as projects ship them (issue #11): every file in ../shared/schemas/wild seeds cleanly.

Focused tests, one per root cause of the issue (small schemas, real engines where the engine decides), then the
corpus: each wild file seeded both ways under seeds 1, 2 and 3 (PostgreSQL: the generated script through
``psql -v ON_ERROR_STOP=1`` into a database created from the file, and ``seeder load FILE --db URL``; SQLite: the
script through ``sqlite3 -bail`` with foreign keys on, and ``seeder load --create-schema``). Every seeded table must
hold the rows the plan promises (the plan gives the reason for fewer), so no table is left empty silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from seeder import api
from seeder.cli import cli
from seeder.readers.ddl import read_ddl
from tests.engines import create_pg_schema, pg_query, run_psql, sqlite_fk_check, sqlite_query, sqlite_script

ROWS = 10


def cli_ok(*args: Any) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output[-3000:]
    return result.output


# ------------------------------------------------------------------------- 3: rows the file inserts itself


SINGLETONS = """
CREATE TABLE stream_position (
    lock char(1) NOT NULL DEFAULT 'X' UNIQUE,
    stream_ordering bigint,
    CHECK (lock = 'X')
);
INSERT INTO stream_position VALUES ('X', 0);
CREATE TABLE schema_version (id serial PRIMARY KEY, version int NOT NULL, at bigint NOT NULL);
INSERT INTO schema_version (version, at) VALUES (5, 1700000000000);
CREATE TABLE setting (key text PRIMARY KEY, value text NOT NULL);
INSERT INTO setting (key, value) VALUES ('a', '1'), ('b', '2');
CREATE TABLE uses (id int PRIMARY KEY, setting text NOT NULL REFERENCES setting (key));
"""


def test_inserted_rows_are_existing_rows_in_the_plan() -> None:
    schema = read_ddl(SINGLETONS, "postgres")
    existing = api.inserted_rows(schema)
    plan = api.build_plan(schema, ROWS, existing=existing)
    lock = plan.tables[schema.tables[0].name]
    assert (lock.existing, lock.rows) == (1, 0) and lock.limit and "already full" in lock.limit
    assert plan.tables[schema.tables[1].name].existing == 1


@pytest.mark.parametrize("dialect", ["postgres", "sqlite"])
def test_inserted_rows_keep_keys_apart_and_serve_as_parents(dialect: str, tmp_path: Path, request: Any) -> None:
    ddl = tmp_path / f"schema.{dialect}.sql"
    ddl.write_text(SINGLETONS.replace("serial PRIMARY KEY", "INTEGER PRIMARY KEY" if dialect == "sqlite"
                                      else "serial PRIMARY KEY"), encoding="utf-8")
    out = tmp_path / "out.sql"
    cli_ok("generate", ddl, "--rows", 30, "--seed", 1, "-o", out)
    script = out.read_text(encoding="utf-8")
    if dialect == "postgres":
        url = request.getfixturevalue("pg_url")
        create_pg_schema(url, ddl)
        run_psql(url, out)
        rows = pg_query
    else:
        db = tmp_path / "db.sqlite"
        sqlite_script(db, ddl.read_text(encoding="utf-8"))
        sqlite_script(db, "PRAGMA foreign_keys=ON;\n" + script)
        assert sqlite_fk_check(db) == []
        url = db

        def rows(target: Any, sql: str) -> list[tuple[Any, ...]]:
            return sqlite_query(target, sql)
    assert rows(url, "SELECT count(*) FROM stream_position")[0][0] == 1
    assert rows(url, "SELECT count(*), count(DISTINCT id), min(id) FROM schema_version")[0] == (31, 31, 1)
    (old_parents,) = rows(url, "SELECT count(*) FROM uses WHERE setting IN ('a', 'b')")[0]
    assert old_parents > 0  # the file's own rows are valid FK targets
