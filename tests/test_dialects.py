"""The dialect registry (seeder.dialects): lookups, file recognition, database URLs, and the rule that no code
outside the registry branches on a dialect's name."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

import seeder
from seeder import api
from seeder.cli import cli
from seeder.dialects import (
    Dialect,
    TargetDialect,
    all_dialects,
    database_url,
    dialect_names,
    get_dialect,
    guess_dialect,
    mask_password,
    read_dialect,
    target_dialects,
    url_dialect,
)
from seeder.errors import ConfigError
from tests.engines import pg_query

REPO = Path(__file__).resolve().parent.parent
NAMES = ("postgres", "mysql", "sqlite", "tsql", "oracle", "db2")


# ------------------------------------------------------------------------------------------------ the rule


#: Comparisons of a dialect name, the way code branches on one (``dialect == "mysql"``, ``name != "sqlite"``,
#: ``in ("postgres", ...)``, ``.name == 'oracle'``).
_NAME_ALTERNATIVES = "|".join(NAMES)
_BRANCH = re.compile(rf"""(==|!=|\bin)\s*\(?\s*["'](?:{_NAME_ALTERNATIVES})["']""")


def test_no_code_outside_the_registry_branches_on_a_dialect_name() -> None:
    package = Path(seeder.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(REPO).as_posix()
        if relative.startswith("seeder/dialects/"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _BRANCH.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []


# ------------------------------------------------------------------------------------------------ lookups


def test_one_entry_per_dialect() -> None:
    assert [d.name for d in all_dialects()] == ["postgres", "mysql", "tsql", "oracle", "sqlite", "db2"]
    assert [d.name for d in target_dialects()] == ["postgres", "mysql", "sqlite"]
    assert dialect_names() == ("mysql", "postgres", "sqlite")
    assert all(isinstance(d, TargetDialect) and d.writable for d in target_dialects())
    assert not any(d.writable for d in all_dialects() if d not in target_dialects())


@pytest.mark.parametrize("name, canonical", [
    ("PostgreSQL", "postgres"), (" pg ", "postgres"), ("mariadb", "mysql"), ("sqlite3", "sqlite"),
    ("MSSQL", "tsql"), ("sqlserver", "tsql"), ("oracle", "oracle"), ("db2", "db2"), ("", "db2"),
])
def test_read_lookup_by_alias(name: str, canonical: str) -> None:
    entry = read_dialect(name)
    assert entry.name == canonical
    assert read_dialect(entry.sqlglot_dialect) is entry  # Schema.dialect finds its entry again
    assert read_dialect(entry) is entry


def test_target_lookup_refuses_read_only_dialects_and_suggests_names() -> None:
    assert get_dialect("PostgreSQL") is read_dialect("pg")
    with pytest.raises(ConfigError, match="unknown target dialect 'oracle': seeder reads Oracle DDL but does not "
                                          "write it; valid dialects are mysql, postgres, sqlite"):
        get_dialect("oracle")
    with pytest.raises(ConfigError, match="did you mean 'postgres'"):
        get_dialect("postgress")
    with pytest.raises(ConfigError, match=r"unknown SQL dialect 'mysq'; did you mean 'mysql'\?"):
        read_dialect("mysq")


def test_entries_are_frozen_and_replaceable() -> None:
    sqlite = get_dialect("sqlite")
    small = replace(sqlite, max_statement_bytes=60)
    assert (small.max_statement_bytes, sqlite.max_statement_bytes) == (60, 4 * 1024 * 1024)
    assert type(small) is type(sqlite) and small.quote_string("a\rb") == sqlite.quote_string("a\rb")
    with pytest.raises(AttributeError):
        sqlite.name = "other"  # type: ignore[misc]


def test_quoting_rules_live_with_the_entry() -> None:
    assert get_dialect("postgres").quote_string("it's \\ \x00") == "'it''s \\ '"
    assert get_dialect("mysql").quote_string("it's \\\n") == "'it\\'s \\\\\\n'"
    assert get_dialect("sqlite").quote_string("a\r\nb") == "'a' || char(13) || '\nb'"
    assert get_dialect("mysql").quote_identifier("a`b") == "`a``b`"


@pytest.mark.parametrize("path, text, name, guessed", [
    ("schemas/pg_dump.sql", "", "postgres", False),
    ("MariaDB-schema.sql", "", "mysql", False),
    ("mssql_tables.sql", "", "tsql", False),
    ("db2.sql", "", "db2", False),
    (None, "CREATE TABLE t (id int) ENGINE=InnoDB;", "mysql", False),
    (None, "CREATE TABLE t (id int)\nGO\n", "tsql", False),
    (None, "CREATE TABLE t (name VARCHAR2(10));", "oracle", False),
    (None, "CREATE TABLE t (id INTEGER PRIMARY KEY);", "sqlite", False),
    (None, "CREATE TABLE t (id INTEGER PRIMARY KEY, s text); ALTER TABLE t OWNER TO app;", "postgres", False),
    (None, "CREATE TABLE t (id int);", "postgres", True),
])
def test_guess_dialect_by_file_name_then_content(path: str | None, text: str, name: str, guessed: bool) -> None:
    entry, was_guessed = guess_dialect(text, path)
    assert (entry.name, was_guessed) == (name, guessed)
    assert isinstance(entry, Dialect)


# ------------------------------------------------------------------------------------------------ URLs


@pytest.mark.parametrize("url, dialect, driver", [
    ("postgres://u:pw@h/db", "postgres", "postgresql+psycopg"),
    ("postgresql://u@h/db", "postgres", "postgresql+psycopg"),
    ("postgresql+psycopg://u@h/db", "postgres", "postgresql+psycopg"),
    ("postgres+psycopg2://u@h/db", "postgres", "postgresql+psycopg2"),
    ("mysql://u@h/db", "mysql", "mysql+pymysql"),
    ("mysql+pymysql://u@h/db", "mysql", "mysql+pymysql"),
    ("mariadb://u@h/db", "mysql", "mariadb+pymysql"),
    ("sqlite:///x.db", "sqlite", "sqlite"),
])
def test_database_url_maps_scheme_to_dialect_and_driver(url: str, dialect: str, driver: str) -> None:
    resolved = database_url(url)
    assert (resolved.dialect.name, resolved.url.drivername) == (dialect, driver)
    assert url_dialect(url) is resolved.dialect
    if dialect == "postgres":  # the API (and so the CLI) asks the same map
        api.check_load(url, method="copy")
    else:
        with pytest.raises(ConfigError, match="--method copy loads PostgreSQL only"):
            api.check_load(url, method="copy")


@pytest.mark.parametrize("url", ["oracle://u:topsecret@h/x", "not a url topsecret", "mssql+pyodbc://u@h/x"])
def test_unknown_schemes_have_no_dialect(url: str) -> None:
    assert url_dialect(url) is None
    with pytest.raises(ConfigError, match="--method copy loads PostgreSQL only"):
        api.check_load(url, method="copy")
    with pytest.raises(ConfigError) as err:
        database_url(url)
    assert "topsecret" not in str(err.value)


def test_mask_password() -> None:
    assert mask_password("postgres://me:s3cr%40t@db:5432/app") == "postgresql+psycopg://me:***@db:5432/app"
    assert mask_password("sqlite:///x.db") == "sqlite:///x.db"
    assert database_url("mysql://u:p%40w@h/db").scrub("login p@w / p%40w failed") == "login *** / *** failed"


def test_postgres_scheme_loads_like_postgresql(pg_url: str, tmp_path: Path) -> None:
    # The CLI accepted postgres:// and the loader rejected it; both now use the registry's one map.
    url = pg_url.replace("postgresql+psycopg://", "postgres://", 1)
    assert url.startswith("postgres://")
    ddl = tmp_path / "postgres.sql"
    ddl.write_text("CREATE TABLE author (id serial PRIMARY KEY, name text NOT NULL);\n"
                   "CREATE TABLE book (id serial PRIMARY KEY, author_id int NOT NULL REFERENCES author (id));\n",
                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["load", str(ddl), "--db", url, "--create-schema", "--rows", "3"])
    assert result.exit_code == 0, result.output
    assert pg_query(pg_url, "SELECT count(*) FROM book")[0][0] == 3
