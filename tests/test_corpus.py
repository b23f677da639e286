"""The spine's bar: real schemas from ../shared/schemas seed cleanly into real engines.

For each file: a fresh database is created from the same DDL, ``seeder generate FILE --rows 20 --seed 1 -o out.sql``
is loaded with errors stopping the load (psql ``ON_ERROR_STOP``, sqlite3 ``-bail`` with ``PRAGMA foreign_keys=ON``),
every seeded table must hold the planned rows (20 unless the plan says why not), no constraint or trigger may be
left disabled, and ``seeder load`` must do the same. Two runs with one seed must give byte-identical scripts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from seeder import api
from seeder.cli import cli
from seeder.schema import TableName
from tests.engines import (
    create_pg_schema,
    pg_ident,
    pg_query,
    pg_state,
    planned_rows,
    run_psql,
    schema_path,
    sqlite_fk_check,
    sqlite_query,
    sqlite_script,
)

PG_FILES = ["chinook/postgres.sql", "chinook/postgres_identity.sql", "pagila/postgres.sql", "northwind/postgres.sql",
            "sakila/postgres.sql"]
SQLITE_FILES = ["chinook/sqlite.sql", "chinook/sqlite_autoincrement.sql", "sakila/sqlite.sql"]
ROWS = 20


def generate_script(ddl: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["generate", str(ddl), "--rows", str(ROWS), "--seed", "1", "-o", str(out),
                                      *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def assert_pg_counts(url: str, expected: dict[TableName, int]) -> None:
    for name, rows in expected.items():
        (count,) = pg_query(url, f"SELECT count(*) FROM {pg_ident(name)}")[0]
        assert count >= rows, f"{name}: {count} rows, expected {rows}"
        if rows:
            assert count == rows or _has_children(url, name), f"{name}: {count} rows, expected {rows}"


def _has_children(url: str, name: TableName) -> bool:
    return bool(pg_query(url, f"SELECT 1 FROM pg_inherits WHERE inhparent = '{pg_ident(name)}'::regclass"))


@pytest.mark.parametrize("relative", PG_FILES)
def test_postgres_script_loads_with_every_constraint(relative: str, pg_url: str, tmp_path: Path):
    ddl = schema_path(relative)
    create_pg_schema(pg_url, ddl)
    before = pg_state(pg_url)
    script = generate_script(ddl, tmp_path / "out.sql")
    again = generate_script(ddl, tmp_path / "again.sql")
    assert script == again, "same seed must give byte-identical output"
    run_psql(pg_url, tmp_path / "out.sql")
    assert pg_state(pg_url) == before, "a constraint, NOT NULL or trigger was left changed"
    assert_pg_counts(pg_url, planned_rows(api.read_schema(ddl), ROWS))


@pytest.mark.parametrize("relative", PG_FILES)
def test_postgres_load_command(relative: str, pg_url: str):
    ddl = schema_path(relative)
    create_pg_schema(pg_url, ddl)
    before = pg_state(pg_url)
    result = CliRunner().invoke(cli, ["load", str(ddl), "--db", pg_url, "--rows", str(ROWS), "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "Loaded" in result.output
    assert pg_state(pg_url) == before
    assert_pg_counts(pg_url, planned_rows(api.read_schema(ddl), ROWS))


def _sqlite_counts(db: Path, expected: dict[TableName, int]) -> None:
    for name, rows in expected.items():
        (count,) = sqlite_query(db, f'SELECT count(*) FROM "{name.name}"')[0]
        assert count == rows, f"{name}: {count} rows, expected {rows}"


@pytest.mark.parametrize("relative", SQLITE_FILES)
def test_sqlite_script_loads_with_foreign_keys_on(relative: str, tmp_path: Path):
    ddl = schema_path(relative)
    db = tmp_path / "db.sqlite"
    sqlite_script(db, ddl.read_text(encoding="utf-8"))
    script = generate_script(ddl, tmp_path / "out.sql")
    assert generate_script(ddl, tmp_path / "again.sql") == script
    sqlite_script(db, "PRAGMA foreign_keys=ON;\n" + script)
    assert sqlite_fk_check(db) == []
    _sqlite_counts(db, planned_rows(api.read_schema(ddl), ROWS))


@pytest.mark.parametrize("relative", SQLITE_FILES)
def test_sqlite_load_command_creates_schema(relative: str, tmp_path: Path):
    ddl = schema_path(relative)
    db = tmp_path / "db.sqlite"
    result = CliRunner().invoke(cli, ["load", str(ddl), "--db", f"sqlite:///{db}", "--rows", str(ROWS),
                                      "--seed", "1", "--create-schema"])
    assert result.exit_code == 0, result.output
    assert sqlite_fk_check(db) == []
    _sqlite_counts(db, planned_rows(api.read_schema(ddl), ROWS))
