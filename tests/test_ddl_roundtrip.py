"""``seeder ddl``: the schema model rendered as DDL for another dialect, and the round trip
``seeder ddl FILE --to X`` -> create the tables -> ``seeder generate FILE --to X`` -> load, on real engines.

The input-only files of the corpus (T-SQL, Oracle, DB2) have no engine here; this round trip into PostgreSQL is how
they are tested end to end. A few PostgreSQL/MySQL/SQLite files make the same trip, as users will.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path

import pytest
import sqlglot
from click.testing import CliRunner

from seeder.api import build_plan
from seeder.cli import cli
from seeder.dialects import get_dialect
from seeder.readers.ddl import read_ddl, read_ddl_file
from seeder.schema import Schema
from seeder.sinks.ddl import render_ddl
from tests.engines import (
    needs_schemas,
    pg_query,
    run_mysql,
    run_psql,
    schemas_dir,
    sqlite_fk_check,
    sqlite_script,
)

SCHEMAS = schemas_dir()


INPUT_ONLY = [
    "chinook/tsql.sql", "chinook/tsql_identity.sql", "chinook/oracle.sql", "chinook/db2.sql",
    "sakila/tsql.sql", "sakila/oracle.sql", "oracle_hr/oracle.sql", "oracle_co/oracle.sql", "oracle_sh/oracle.sql",
]
# Files of engines we do have, taken to PostgreSQL the same way.
CROSS = ["chinook/sqlite.sql", "sakila/mysql.sql", "employees/mysql.sql", "sakila/sqlite.sql", "pagila/postgres.sql",
         "sakila/postgres.sql"]
# CHECK constraints the PostgreSQL tables must end up with (oracle_co: its IS JSON check needs PostgreSQL 16, and
# the column is json anyway).
PG_CHECKS = {"sakila/tsql.sql": 2, "sakila/oracle.sql": 2, "oracle_hr/oracle.sql": 2, "oracle_co/oracle.sql": 3}
ROWS = 20


@cache
def real(name: str) -> Schema:
    return read_ddl_file(SCHEMAS / name)


def invoke(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def seeded(schema: Schema) -> dict[str, int]:
    """Planned rows per seeded table, keyed by the table's quoted PostgreSQL name."""
    plan = build_plan(schema, ROWS)
    caps = get_dialect("postgres")
    return {caps.qualify(name): plan.rows(name) for name in plan.order}


def pg_round_trip(name: str, url: str, tmp_path: Path) -> None:
    path = SCHEMAS / name
    schema_sql, data_sql = tmp_path / "schema.sql", tmp_path / "out.sql"
    invoke("ddl", path, "--to", "postgres", "-o", schema_sql)
    run_psql(url, schema_sql, single_transaction=True)
    invoke("generate", path, "--to", "postgres", "--rows", ROWS, "--seed", 1, "-o", data_sql)
    run_psql(url, data_sql)
    for table, rows in seeded(real(name)).items():
        assert pg_query(url, f"SELECT count(*) FROM {table}") == [(rows,)], table
    # Every constraint is in force: none left NOT VALID, no trigger left disabled, NOT NULL restored.
    assert pg_query(url, "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                         "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND NOT c.convalidated") == [(0,)]
    assert pg_query(url, "SELECT count(*) FROM pg_trigger WHERE tgenabled = 'D'") == [(0,)]


def pg_constraint_count(url: str, kind: str) -> int:
    return pg_query(url, f"SELECT count(*) FROM pg_constraint WHERE contype = '{kind}' AND connamespace NOT IN "
                         "(SELECT oid FROM pg_namespace WHERE nspname IN ('pg_catalog', 'information_schema'))")[0][0]


# ------------------------------------------------------------------------------------------ PostgreSQL

@needs_schemas
@pytest.mark.parametrize("name", INPUT_ONLY)
def test_input_only_round_trip_into_postgres(name: str, pg_url: str, tmp_path: Path) -> None:
    pg_round_trip(name, pg_url, tmp_path)
    schema = real(name)
    assert pg_constraint_count(pg_url, "f") == sum(len(t.foreign_keys) for t in schema.tables)
    assert pg_constraint_count(pg_url, "p") == sum(1 for t in schema.tables if t.primary_key)
    assert pg_constraint_count(pg_url, "c") == PG_CHECKS.get(name, 0)


@needs_schemas
@pytest.mark.parametrize("name", CROSS)
def test_other_dialects_round_trip_into_postgres(name: str, pg_url: str, tmp_path: Path) -> None:
    pg_round_trip(name, pg_url, tmp_path)


@needs_schemas
def test_oracle_hr_cycle_restored_and_sakila_not_null_cycle(pg_url: str, tmp_path: Path) -> None:
    pg_round_trip("sakila/tsql.sql", pg_url, tmp_path)
    # The store <-> staff NOT NULL cycle was suspended during the load and is back in force.
    assert pg_query(pg_url, "SELECT attnotnull FROM pg_attribute WHERE attrelid = '\"store\"'::regclass "
                            "AND attname = 'manager_staff_id'") == [(True,)]
    assert pg_query(pg_url, "SELECT count(*) FROM store s JOIN staff t ON t.staff_id = s.manager_staff_id") == [(20,)]
    # Identity columns were moved past the inserted keys: the next default value does not collide.
    run_psql(pg_url, "INSERT INTO actor (first_name, last_name, last_update) VALUES ('A', 'B', now());")
    assert pg_query(pg_url, "SELECT max(actor_id) FROM actor") == [(21,)]


@needs_schemas
def test_seeder_load_into_transpiled_schema(pg_url: str, tmp_path: Path) -> None:
    path = SCHEMAS / "oracle_hr/oracle.sql"
    invoke("ddl", path, "--to", "postgres", "-o", tmp_path / "schema.sql")
    run_psql(pg_url, tmp_path / "schema.sql", single_transaction=True)
    output = invoke("load", path, "--db", pg_url, "--rows", ROWS, "--seed", 2)
    assert f"Loaded {6 * ROWS + 2 * ROWS} rows into 7 tables" in output  # job_history: a history table, 2 x --rows
    # The nullable cycle: employees.department_id was filled in after the departments existed.
    assert pg_query(pg_url, 'SELECT count(*) FROM "EMPLOYEES" WHERE "DEPARTMENT_ID" IS NOT NULL')[0][0] > 0


# -------------------------------------------------------------------------------------- SQLite and MySQL

@needs_schemas
@pytest.mark.parametrize("name", ["sakila/tsql.sql", "oracle_sh/oracle.sql", "chinook/db2.sql", "sakila/mysql.sql"])
def test_round_trip_into_sqlite(name: str, tmp_path: Path) -> None:
    path, db = SCHEMAS / name, tmp_path / "db.sqlite3"
    invoke("ddl", path, "--to", "sqlite", "-o", tmp_path / "schema.sql")
    sqlite_script(db, (tmp_path / "schema.sql").read_text())
    invoke("generate", path, "--to", "sqlite", "--rows", ROWS, "--seed", 1, "-o", tmp_path / "out.sql")
    sqlite_script(db, (tmp_path / "out.sql").read_text())
    assert sqlite_fk_check(db) == []
    conn = sqlite3.connect(db)
    try:
        plan = build_plan(real(name), ROWS)
        for table in plan.order:
            assert conn.execute(f'SELECT count(*) FROM "{table.name}"').fetchone() == (plan.rows(table),)
        fks = sum(len(conn.execute(f"PRAGMA foreign_key_list(\"{t.name}\")").fetchall()) for t in plan.order)
    finally:
        conn.close()
    assert fks == sum(len(t.foreign_keys) for t in real(name).tables)


@needs_schemas
@pytest.mark.parametrize("name", ["sakila/tsql.sql", "oracle_co/oracle.sql"])
def test_round_trip_into_mariadb(name: str, mysql_url: str, tmp_path: Path) -> None:
    path = SCHEMAS / name
    invoke("ddl", path, "--to", "mysql", "-o", tmp_path / "schema.sql")
    run_mysql(mysql_url, tmp_path / "schema.sql")
    invoke("generate", path, "--to", "mysql", "--rows", ROWS, "--seed", 1, "-o", tmp_path / "out.sql")
    run_mysql(mysql_url, tmp_path / "out.sql")
    plan = build_plan(real(name), ROWS)
    counts = run_mysql(mysql_url, " UNION ALL ".join(f"SELECT {plan.rows(t)} - count(*) FROM `{t.name}`"
                                                     for t in plan.order) + ";").stdout.split()
    assert counts == ["0"] * len(plan.order)


# ----------------------------------------------------------------------------------- the rendered text

@needs_schemas
@pytest.mark.parametrize("name", INPUT_ONLY)
@pytest.mark.parametrize("target", ["postgres", "mysql", "sqlite"])
def test_rendering_is_deterministic_and_parses_back(name: str, target: str) -> None:
    first = render_ddl(real(name), target)
    assert render_ddl(read_ddl_file(SCHEMAS / name), target).text == first.text
    statements = [s for s in sqlglot.parse(first.text, read=target) if s is not None]
    creates = [s for s in statements if isinstance(s, sqlglot.exp.Create) and s.kind == "TABLE"]
    assert len(creates) == len(real(name).tables)


@needs_schemas
def test_postgres_identity_defaults_and_foreign_keys_last() -> None:
    text = render_ddl(real("sakila/tsql.sql"), "postgres").text
    assert '"actor_id" INT NOT NULL GENERATED BY DEFAULT AS IDENTITY' in text
    assert '"last_update" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP' in text  # T-SQL getdate()
    assert '"active" BOOLEAN NOT NULL DEFAULT TRUE' in text  # BIT DEFAULT 1
    assert text.rindex("CREATE TABLE") < text.index("ALTER TABLE")
    assert ('ALTER TABLE "staff" ADD CONSTRAINT "fk_staff_store" FOREIGN KEY ("store_id") REFERENCES "store" '
            '("store_id") ON DELETE NO ACTION ON UPDATE CASCADE;') in text
    co = render_ddl(real("oracle_co/oracle.sql"), "postgres")
    assert '"PRODUCT_DETAILS" JSON' in co.text
    assert '"CUSTOMER_ID" INT NOT NULL GENERATED BY DEFAULT AS IDENTITY' in co.text
    chinook = render_ddl(real("chinook/tsql.sql"), "postgres").text
    assert chinook.index('CREATE SCHEMA IF NOT EXISTS "dbo";') < chinook.index('CREATE TABLE "dbo"."Album"')


@needs_schemas
def test_oracle_names_and_types_kept_consistent() -> None:
    script = render_ddl(real("oracle_sh/oracle.sql"), "postgres")
    assert '"TIME_ID" TIMESTAMP NOT NULL' in script.text  # Oracle DATE
    # COSTS.PROMO_ID is NUMBER, PROMOTIONS.PROMO_ID NUMBER(6): PostgreSQL needs one type family for the FK.
    assert any(n.startswith("COSTS.PROMO_ID: created as PROMOTIONS.PROMO_ID's type") for n in script.notes)
    assert "partitioned tables created without partitioning: SALES, COSTS" in script.notes
    hr = render_ddl(real("oracle_hr/oracle.sql"), "postgres").text
    # CREATE UNIQUE INDEX reg_id_pk and PRIMARY KEY reg_id_pk: one index of that name.
    assert hr.count('"REG_ID_PK"') == 1
    assert 'CONSTRAINT "EMP_SALARY_MIN" CHECK ("SALARY" > 0)' in hr


@needs_schemas
def test_enums_per_target() -> None:
    pagila = render_ddl(real("pagila/postgres.sql"), "postgres")
    assert "CREATE TYPE \"public\".\"mpaa_rating\" AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');" in pagila.text
    assert '"rating" "public"."mpaa_rating" DEFAULT \'G\'' in pagila.text
    assert pagila.text.count("CREATE TABLE") == 15  # the 55 partitions of payment are not created
    assert any(n.startswith("partitions of public.payment not created") for n in pagila.notes)
    sakila = render_ddl(real("sakila/mysql.sql"), "postgres").text
    assert "CREATE TYPE \"film_rating\" AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');" in sakila
    assert "`rating` ENUM('G', 'PG', 'PG-13', 'R', 'NC-17')" in render_ddl(real("sakila/mysql.sql"), "mysql").text
    lite = render_ddl(real("sakila/mysql.sql"), "sqlite").text
    assert "CHECK (\"rating\" IN ('G', 'PG', 'PG-13', 'R', 'NC-17'))" in lite


def test_deferrable_foreign_keys_sqlite_inline_and_mysql_keys() -> None:
    schema = read_ddl(
        "CREATE TABLE a (id integer DEFAULT nextval('a_id_seq'::regclass) PRIMARY KEY, b_id int NOT NULL, "
        "note text UNIQUE, t timestamptz DEFAULT now());\n"
        "CREATE TABLE b (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a_id int REFERENCES a (id) "
        "DEFERRABLE INITIALLY DEFERRED, code text CHECK (my_func(code)), u uuid DEFAULT uuid_generate_v4());\n"
        "ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b (id) DEFERRABLE INITIALLY DEFERRED;\n",
        "postgres")
    pg = render_ddl(schema, "postgres")
    assert "DEFERRABLE INITIALLY DEFERRED" in pg.text
    assert 'CREATE SEQUENCE IF NOT EXISTS a_id_seq;' in pg.text  # the INSERT script's setval() names it
    assert "\"id\" INT NOT NULL DEFAULT NEXTVAL('a_id_seq')" in pg.text
    assert 'ALTER TABLE "b" ADD FOREIGN KEY ("a_id") REFERENCES "a" ("id") DEFERRABLE INITIALLY DEFERRED;' in pg.text
    assert '"id" BIGINT NOT NULL GENERATED ALWAYS AS IDENTITY' in pg.text
    assert "CHECK" not in pg.text.split("\n\n", 1)[1]  # the header notes it; no statement has it
    assert any("calls my_func" in n for n in pg.notes)
    assert any("default UUID_GENERATE_V4() dropped" in n for n in pg.notes)
    mysql = render_ddl(schema, "mysql").text
    assert "DEFERRABLE" not in mysql
    assert "`note` VARCHAR(255)" in mysql  # a TEXT column cannot be a UNIQUE key without a prefix length
    assert "`t` DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6)" in mysql
    assert "`id` INT NOT NULL AUTO_INCREMENT" in mysql
    lite = render_ddl(schema, "sqlite").text
    assert "ALTER TABLE" not in lite  # SQLite cannot add constraints later: FKs are inline
    assert '"id" INTEGER PRIMARY KEY NOT NULL' in lite  # the rowid: numbered by SQLite
    assert not any("created as" in n for n in render_ddl(schema, "sqlite").notes)  # INTEGER either way
    assert 'CONSTRAINT "a_b" FOREIGN KEY ("b_id") REFERENCES "b" ("id") DEFERRABLE INITIALLY DEFERRED' in " ".join(
        lite.split()).replace("( ", "(").replace(" )", ")")


# ---------------------------------------------------------------------------------------------------- CLI

@needs_schemas
def test_cli_ddl_stdout_file_and_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    path = str(SCHEMAS / "chinook/oracle.sql")
    result = runner.invoke(cli, ["ddl", path, "--to", "sqlite"])
    assert result.exit_code == 0
    assert result.output.startswith("-- Generated by seeder")
    assert 'CREATE TABLE "ALBUM"' in result.output
    out = tmp_path / "sub" / "schema.sql"
    result = runner.invoke(cli, ["ddl", path, "--dialect", "oracle", "--to", "pg", "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_text().count("CREATE TABLE") == 11
    result = runner.invoke(cli, ["ddl", path, "--to", "oracle"])
    assert result.exit_code == 1
    assert "unknown target dialect 'oracle'" in result.output
    result = runner.invoke(cli, ["ddl", path, "--to", "postgres", "-o", str(tmp_path)])
    assert result.exit_code == 1 and "is a directory" in result.output
    result = runner.invoke(cli, ["ddl", path])
    assert result.exit_code == 2 and "--to" in result.output
