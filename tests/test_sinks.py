"""SQL script, CSV and JSONL sinks against real engines.

Datasets are built by hand (schema model + plan + column-major values), independent of the generator. The sakila
tests take their tables from the real DDL files in shared/schemas (read with seeder's DDL reader) and create them in
the engine from the same files, so the scripts meet the real constraints, triggers and sequences.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from seeder.dataset import Dataset, TableData
from seeder.dialects import get_dialect
from seeder.errors import ConfigError, GenerationError, PlanError
from seeder.plan.model import CycleBreak, Plan, TablePlan
from seeder.readers.ddl import read_ddl_file
from seeder.schema import Column, ColumnType, ForeignKey, PrimaryKey, Schema, Table, TableName, UniqueConstraint
from seeder.sinks.csv import read_csv, table_file_names, write_csv
from seeder.sinks.jsonl import decode_value, read_jsonl, write_jsonl
from seeder.sinks.literals import strip_nul
from seeder.sinks.sql import Statement, iter_statements, write_sql
from tests.engines import (
    REPO_ROOT,
    PsqlError,
    create_pg_schema,
    libpq_uri,
    pg_query,
    run_psql,
    schema_path,
    sqlite_fk_check,
    sqlite_query,
    sqlite_script,
)

INT = ColumnType("integer", "integer")
TEXT = ColumnType("text", "text")


def make_dataset(schema: Schema, tables: list[tuple[Table, dict[str, list[Any]]]],
                 breaks: tuple[CycleBreak, ...] = ()) -> Dataset:
    """A Dataset of ``tables`` (in insert order) with the given column values and cycle breaks."""
    order = tuple(t.name for t, _ in tables)
    plans = {t.name: TablePlan(t.name, len(next(iter(v.values()))), len(next(iter(v.values())))) for t, v in tables}
    plan = Plan(order, tuple((n,) for n in order), plans, cycle_breaks=breaks)
    data = [TableData(t, tuple(v), tuple(v.values())) for t, v in tables]
    return Dataset(schema, plan, data)


def script(dataset: Dataset, dialect: str, **kwargs: Any) -> str:
    out = io.StringIO()
    write_sql(dataset, out, dialect, **kwargs)
    return out.getvalue()


def fk(table: Table, *columns: str) -> ForeignKey:
    return next(f for f in table.foreign_keys if f.columns == columns)


# ------------------------------------------------------------------------------------------------ a company model
# Three nullable cycles (dept<->emp, team<->emp, tag<->emp), a self-reference, an identity ALWAYS key, a serial key,
# a table with no primary key whose rows are found again through nullable columns (tag), and a NOT NULL cycle with
# a DEFERRABLE foreign key (egg<->hen).

PG_COMPANY_DDL = """
CREATE TABLE dept (dept_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, head_emp_id integer);
CREATE TABLE team (code text NOT NULL UNIQUE, captain_emp_id integer);
CREATE TABLE tag (label text UNIQUE, weight integer, owner_emp_id integer);
CREATE TABLE emp (emp_id serial PRIMARY KEY, dept_id integer NOT NULL REFERENCES dept (dept_id),
                  team_code text NOT NULL REFERENCES team (code), mentor_id integer REFERENCES emp (emp_id),
                  fav_tag text REFERENCES tag (label));
ALTER TABLE dept ADD CONSTRAINT dept_head_fk FOREIGN KEY (head_emp_id) REFERENCES emp (emp_id);
ALTER TABLE team ADD CONSTRAINT team_captain_fk FOREIGN KEY (captain_emp_id) REFERENCES emp (emp_id);
ALTER TABLE tag ADD CONSTRAINT tag_owner_fk FOREIGN KEY (owner_emp_id) REFERENCES emp (emp_id);
CREATE TABLE egg (id integer PRIMARY KEY, hen_id integer NOT NULL);
CREATE TABLE hen (id integer PRIMARY KEY, egg_id integer NOT NULL REFERENCES egg (id));
ALTER TABLE egg ADD CONSTRAINT egg_hen_fk FOREIGN KEY (hen_id) REFERENCES hen (id) DEFERRABLE INITIALLY IMMEDIATE;
"""

SQLITE_COMPANY_DDL = """
CREATE TABLE dept (dept_id INTEGER PRIMARY KEY, name TEXT NOT NULL, head_emp_id INTEGER REFERENCES emp (emp_id));
CREATE TABLE team (code TEXT NOT NULL UNIQUE, captain_emp_id INTEGER REFERENCES emp (emp_id));
CREATE TABLE tag (label TEXT UNIQUE, weight INTEGER, owner_emp_id INTEGER REFERENCES emp (emp_id));
CREATE TABLE emp (emp_id INTEGER PRIMARY KEY AUTOINCREMENT, dept_id INTEGER NOT NULL REFERENCES dept (dept_id),
                  team_code TEXT NOT NULL REFERENCES team (code), mentor_id INTEGER REFERENCES emp (emp_id),
                  fav_tag TEXT REFERENCES tag (label));
CREATE TABLE egg (id INTEGER PRIMARY KEY, hen_id INTEGER NOT NULL REFERENCES hen (id) DEFERRABLE INITIALLY IMMEDIATE);
CREATE TABLE hen (id INTEGER PRIMARY KEY, egg_id INTEGER NOT NULL REFERENCES egg (id));
"""

N = TableName
DEPT = Table(N(None, "dept"), (Column("dept_id", INT, False, identity="always"), Column("name", TEXT, False),
                               Column("head_emp_id", INT)),
             PrimaryKey(("dept_id",)), (ForeignKey(("head_emp_id",), N(None, "emp"), ("emp_id",), "dept_head_fk"),))
TEAM = Table(N(None, "team"), (Column("code", TEXT, False), Column("captain_emp_id", INT)), None,
             (ForeignKey(("captain_emp_id",), N(None, "emp"), ("emp_id",), "team_captain_fk"),),
             uniques=(UniqueConstraint(("code",)),))
TAG = Table(N(None, "tag"), (Column("label", TEXT), Column("weight", INT), Column("owner_emp_id", INT)), None,
            (ForeignKey(("owner_emp_id",), N(None, "emp"), ("emp_id",), "tag_owner_fk"),),
            uniques=(UniqueConstraint(("label",)),))
EMP = Table(N(None, "emp"), (Column("emp_id", INT, False, autoincrement=True), Column("dept_id", INT, False),
                             Column("team_code", TEXT, False), Column("mentor_id", INT), Column("fav_tag", TEXT)),
            PrimaryKey(("emp_id",)),
            (ForeignKey(("dept_id",), DEPT.name, ("dept_id",)), ForeignKey(("team_code",), TEAM.name, ("code",)),
             ForeignKey(("mentor_id",), N(None, "emp"), ("emp_id",)), ForeignKey(("fav_tag",), TAG.name, ("label",))))
EGG = Table(N(None, "egg"), (Column("id", INT, False), Column("hen_id", INT, False)), PrimaryKey(("id",)),
            (ForeignKey(("hen_id",), N(None, "hen"), ("id",), "egg_hen_fk", deferrable=True),))
HEN = Table(N(None, "hen"), (Column("id", INT, False), Column("egg_id", INT, False)), PrimaryKey(("id",)),
            (ForeignKey(("egg_id",), EGG.name, ("id",)),))
COMPANY = Schema((DEPT, TEAM, TAG, EMP, EGG, HEN), "postgres")

COMPANY_VALUES: dict[TableName, dict[str, list[Any]]] = {
    DEPT.name: {"dept_id": [1, 2], "name": ["R&D", "Sales 'EU'"], "head_emp_id": [3, None]},
    TEAM.name: {"code": ["red", "blue"], "captain_emp_id": [1, 2]},
    TAG.name: {"label": ["x", None, "o'k"], "weight": [1, 2, None], "owner_emp_id": [2, 3, 1]},
    EMP.name: {"emp_id": [1, 2, 3], "dept_id": [1, 1, 2], "team_code": ["red", "blue", "red"],
               "mentor_id": [None, 1, 1], "fav_tag": ["x", None, "o'k"]},
    EGG.name: {"id": [1, 2], "hen_id": [2, 1]},
    HEN.name: {"id": [1, 2], "egg_id": [1, 2]},
}
COMPANY_BREAKS = (
    CycleBreak(DEPT.name, fk(DEPT, "head_emp_id"), nullable=True, deferrable=False),
    CycleBreak(TEAM.name, fk(TEAM, "captain_emp_id"), nullable=True, deferrable=False),
    CycleBreak(TAG.name, fk(TAG, "owner_emp_id"), nullable=True, deferrable=False),
    CycleBreak(EGG.name, fk(EGG, "hen_id"), nullable=False, deferrable=True),
)


def company_dataset(values: dict[TableName, dict[str, list[Any]]] | None = None) -> Dataset:
    values = values or COMPANY_VALUES
    return make_dataset(COMPANY, [(t, values[t.name]) for t in COMPANY.tables], COMPANY_BREAKS)


def table_rows(query: Any, table: TableName, columns: list[str]) -> list[tuple[Any, ...]]:
    cols = ", ".join(f'"{c}"' for c in columns)
    return sorted(query(f'SELECT {cols} FROM "{table.name}"'), key=repr)


def dataset_rows(dataset: Dataset, table: TableName) -> list[tuple[Any, ...]]:
    return sorted(dataset.table_data(table).rows(), key=repr)


@pytest.mark.parametrize("disable_triggers", [False, True])
def test_company_script_runs_in_postgres_with_psql(pg_url: str, tmp_path: Path, disable_triggers: bool) -> None:
    run_psql(pg_url, PG_COMPANY_DDL)
    ds = company_dataset()
    path = tmp_path / "out.sql"
    # With triggers disabled the teardown re-enables them with ALTER TABLE on egg, which has deferred FK checks
    # pending: the script must run them first (SET CONSTRAINTS ALL IMMEDIATE).
    path.write_text(script(ds, "postgres", disable_triggers=disable_triggers), encoding="utf-8")
    run_psql(pg_url, path)

    def q(sql: str) -> list[tuple[Any, ...]]:
        return pg_query(pg_url, sql)

    for td in ds.tables:
        assert table_rows(q, td.table.name, list(td.columns)) == dataset_rows(ds, td.table.name), td.table.name
    # Sequence resets: identity ALWAYS and serial keys continue after the inserted ones.
    assert q("INSERT INTO dept (name) VALUES ('new') RETURNING dept_id") == [(3,)]
    assert q("INSERT INTO emp (dept_id, team_code) VALUES (1, 'red') RETURNING emp_id") == [(4,)]


def test_company_statements_run_one_by_one_through_psycopg(pg_url: str) -> None:
    import psycopg

    run_psql(pg_url, PG_COMPANY_DDL)
    ds = company_dataset()
    with psycopg.connect(libpq_uri(pg_url), autocommit=True) as conn:
        for stmt in iter_statements(ds, "postgres"):
            assert stmt.sql.endswith(";") and not stmt.sql.endswith("\n")
            conn.execute(stmt.sql)  # type: ignore[arg-type]
    got = pg_query(pg_url, "SELECT label, weight, owner_emp_id FROM tag")
    assert sorted(got, key=repr) == dataset_rows(ds, TAG.name)


def test_company_script_uses_each_cycle_strategy() -> None:
    pg = script(company_dataset(), "postgres")
    assert 'SET CONSTRAINTS "egg_hen_fk" DEFERRED;' in pg
    assert pg.index("BEGIN;") < pg.index("SET CONSTRAINTS") < pg.index("INSERT INTO")
    assert 'INSERT INTO "dept" ("dept_id", "name", "head_emp_id") OVERRIDING SYSTEM VALUE VALUES' in pg
    assert "(1, 'R&D', NULL)" in pg  # inserted as NULL, set by the UPDATE
    assert '"label" IS NOT DISTINCT FROM v."label"' in pg  # tag has no key: NULL-safe match on its columns
    assert 't."code" = v."code"' in pg  # team: its unique NOT NULL column
    assert "SELECT setval(pg_get_serial_sequence('\"emp\"', 'emp_id'), 3);" in pg
    assert "DROP NOT NULL" not in pg
    lite = script(company_dataset(), "sqlite")
    assert lite.index("PRAGMA foreign_keys = ON;") < lite.index("BEGIN;") < lite.index("PRAGMA defer_foreign_keys")
    assert 'UPDATE "team" SET "captain_emp_id" = CASE "code" WHEN \'red\' THEN 1 WHEN \'blue\' THEN 2 END' in lite
    assert 'WHERE "label" IS NULL AND "weight" IS 2;' in lite
    assert "setval" not in lite
    my = script(company_dataset(), "mysql")
    assert "UPDATE `tag` SET `owner_emp_id` = 3 WHERE `label` <=> NULL AND `weight` <=> 2;" in my
    assert my.index("SET FOREIGN_KEY_CHECKS = 0;") < my.index("INSERT INTO `egg`")  # egg<->hen: NOT NULL cycle
    assert "(1, 2),\n  (2, 1);" in my  # final egg.hen_id values, no UPDATE needed


def test_company_script_runs_in_sqlite_cli(sqlite_path: Path) -> None:
    sqlite_script(sqlite_path, SQLITE_COMPANY_DDL)
    ds = company_dataset()
    sqlite_script(sqlite_path, script(ds, "sqlite"))
    assert sqlite_fk_check(sqlite_path) == []

    def q(sql: str) -> list[tuple[Any, ...]]:
        return sqlite_query(sqlite_path, sql)

    for td in ds.tables:
        assert table_rows(q, td.table.name, list(td.columns)) == dataset_rows(ds, td.table.name), td.table.name
    # AUTOINCREMENT recorded the explicit keys: the next automatic key follows them.
    assert q("SELECT seq FROM sqlite_sequence WHERE name = 'emp'") == [(3,)]
    sqlite_script(sqlite_path, "INSERT INTO emp (dept_id, team_code) VALUES (1, 'red');")
    assert q("SELECT max(emp_id) FROM emp") == [(4,)]


def test_broken_foreign_key_rolls_everything_back_in_sqlite(sqlite_path: Path) -> None:
    sqlite_script(sqlite_path, SQLITE_COMPANY_DDL)
    values = {**COMPANY_VALUES, EGG.name: {"id": [1, 2], "hen_id": [2, 99]}}  # hen 99 does not exist
    with pytest.raises(PsqlError, match="FOREIGN KEY"):
        sqlite_script(sqlite_path, script(company_dataset(values), "sqlite"))
    assert sqlite_query(sqlite_path, "SELECT count(*) FROM dept") == [(0,)]


def test_broken_foreign_key_rolls_everything_back_in_postgres(pg_url: str) -> None:
    run_psql(pg_url, PG_COMPANY_DDL)
    values = {**COMPANY_VALUES, TAG.name: {"label": ["x", None, "o'k"], "weight": [1, 2, None],
                                           "owner_emp_id": [2, 3, 42]}}
    with pytest.raises(PsqlError, match="tag_owner_fk"):
        run_psql(pg_url, script(company_dataset(values), "postgres"))
    assert pg_query(pg_url, "SELECT count(*) FROM dept") == [(0,)]


# ------------------------------------------------------------------------------------------------ real sakila


def sakila_tables(ddl: str) -> dict[str, Table]:
    schema = read_ddl_file(schema_path(ddl))
    return {t.name.name: t for t in schema.tables}


def sakila_dataset(ddl: str, *, manager_ids: tuple[int, int] = (1, 2)) -> Dataset:
    """country, city, address, store, staff of real sakila: the store<->staff NOT NULL cycle, two stores."""
    t = sakila_tables(ddl)
    stamp = datetime(2024, 2, 29, 12, 30, 15)
    sqlite = ddl.startswith("sakila/sqlite")
    cols = {
        "country": {"country_id": [1], "country": ["Ærø 'Republic'"], "last_update": [stamp]},
        "city": {"city_id": [1], "city": ["Line\nBreak"], "country_id": [1], "last_update": [stamp]},
        "address": {"address_id": [1, 2], "address": ["1 Main St", "2 Side \\ St"], "address2": [None, ""],
                    "district": ["D", "E"], "city_id": [1, 1], "postal_code": ["12345", None],
                    "phone": ["555", "556"], "last_update": [stamp, stamp]},
        "store": {"store_id": [1, 2], "manager_staff_id": list(manager_ids), "address_id": [1, 2],
                  "last_update": [stamp, stamp]},
        "staff": {"staff_id": [1, 2], "first_name": ["Mike", "Jon"], "last_name": ["Hillyer", "Stephens"],
                  "address_id": [1, 2], "email": ["m@example.com", None], "store_id": [1, 2],
                  "active": [1, 0] if sqlite else [True, False], "username": ["mike", "jon"],
                  "password": [None, "p%s?"], "last_update": [stamp, stamp], "picture": [b"\x00\xff", None]},
    }
    tables = [(t[name], {c.name: cols[name][c.name] for c in t[name].columns}) for name in cols]
    store = t["store"]
    breaks = (CycleBreak(store.name, fk(store, "manager_staff_id"), nullable=False, deferrable=False),)
    return make_dataset(Schema(tuple(x for x, _ in tables), "postgres" if not sqlite else "sqlite"), tables, breaks)


def test_sakila_not_null_cycle_in_postgres(pg_url: str, tmp_path: Path) -> None:
    create_pg_schema(pg_url, "sakila/postgres.sql")
    ds = sakila_dataset("sakila/postgres.sql")
    text = script(ds, "postgres", disable_triggers=True, header={"source": "sakila/postgres.sql", "seed": "7"})
    assert 'ALTER TABLE "store" ALTER COLUMN "manager_staff_id" DROP NOT NULL;' in text
    path = tmp_path / "sakila.sql"
    path.write_text(text, encoding="utf-8")
    run_psql(pg_url, path)

    def q(sql: str) -> list[tuple[Any, ...]]:
        return pg_query(pg_url, sql)

    for td in ds.tables:
        assert table_rows(q, td.table.name, list(td.columns)) == dataset_rows(ds, td.table.name), td.table.name
    # NOT NULL is back, user triggers are enabled again (and did not fire during the load: last_update kept).
    assert q("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'store' "
             "AND column_name = 'manager_staff_id'") == [("NO",)]
    assert q("SELECT DISTINCT tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
             "WHERE c.relname = 'store' AND NOT t.tgisinternal") == [("O",)]
    assert q("INSERT INTO country (country) VALUES ('next') RETURNING country_id") == [(2,)]


def test_sakila_failed_script_leaves_postgres_untouched(pg_url: str) -> None:
    create_pg_schema(pg_url, "sakila/postgres.sql")
    with pytest.raises(PsqlError, match="store_manager_staff_id_fkey"):
        run_psql(pg_url, script(sakila_dataset("sakila/postgres.sql", manager_ids=(1, 7)), "postgres"))
    assert pg_query(pg_url, "SELECT count(*) FROM country") == [(0,)]
    assert pg_query(pg_url, "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'store' "
                            "AND column_name = 'manager_staff_id'") == [("NO",)]


def test_sakila_not_null_cycle_in_sqlite(sqlite_path: Path) -> None:
    sqlite_script(sqlite_path, schema_path("sakila/sqlite.sql").read_text(encoding="utf-8"))
    ds = sakila_dataset("sakila/sqlite.sql")
    sqlite_script(sqlite_path, script(ds, "sqlite"))
    assert sqlite_fk_check(sqlite_path) == []
    for td in ds.tables:
        cols = [c for c in td.columns if c != "last_update"]  # sakila's AFTER INSERT triggers overwrite it
        idx = [td.columns.index(c) for c in cols]
        want = sorted((tuple(r[i] for i in idx) for r in td.rows()), key=repr)
        assert table_rows(lambda s: sqlite_query(sqlite_path, s), td.table.name, cols) == want, td.table.name


def test_sakila_mysql_script_suspends_foreign_key_checks() -> None:
    text = script(sakila_dataset("sakila/postgres.sql"), "mysql")
    off, on = text.index("SET FOREIGN_KEY_CHECKS = 0;"), text.index("SET FOREIGN_KEY_CHECKS = 1;")
    assert text.index("START TRANSACTION;") < off < text.index("INSERT INTO `store`") < on < text.index("COMMIT;")
    assert "(1, 1, 1, '2024-02-29 12:30:15')" in text  # final manager ids inserted directly
    assert "'2 Side \\\\ St'" in text and "'Line\\nBreak'" in text
    assert "UPDATE" not in text and "setval" not in text


# ------------------------------------------------------------------------------------------------ statement stream


def test_statement_kinds_order_and_row_coverage() -> None:
    stmts = list(iter_statements(company_dataset(), "postgres", batch_rows=2))
    kinds = [s.kind for s in stmts]
    assert kinds[0] == "setup" and kinds[2] == "transaction" and kinds[-1] == "transaction"
    order = ["setup", "insert", "update", "sequence", "transaction"]
    firsts = [kinds.index(k, 2) for k in order[:-1]]
    assert firsts == sorted(firsts)
    emp_inserts = [s for s in stmts if s.kind == "insert" and s.table == EMP.name]
    assert [(s.first_row, s.row_count) for s in emp_inserts] == [(0, 2), (2, 1)]
    tag_updates = [s for s in stmts if s.kind == "update" and s.table == TAG.name]
    assert sum(s.row_count for s in tag_updates) == 3
    assert all(isinstance(s, Statement) and s.sql.endswith(";") for s in stmts)


def test_transaction_false_leaves_begin_and_commit_to_the_caller() -> None:
    stmts = list(iter_statements(company_dataset(), "sqlite", transaction=False))
    assert all(s.kind != "transaction" for s in stmts)
    assert any(s.sql == "PRAGMA defer_foreign_keys = ON;" for s in stmts)


def test_statement_byte_cap_splits_batches(sqlite_path: Path) -> None:
    caps = replace(get_dialect("sqlite"), max_statement_bytes=60)
    ds = company_dataset()
    inserts = [s for s in iter_statements(ds, caps) if s.kind == "insert" and s.table == EMP.name]
    assert len(inserts) > 1
    assert sum(s.row_count for s in inserts) == 3
    assert [s.first_row for s in inserts] == sorted({s.first_row for s in inserts})


def test_statement_byte_cap_counts_utf8_bytes_not_characters() -> None:
    note = Table(TableName(None, "note"), (Column("id", INT, nullable=False), Column("body", TEXT)),
                 primary_key=PrimaryKey(("id",)))
    td = TableData(note, ("id", "body"), (list(range(6)), ["€" * 10] * 6))
    plan = Plan(order=(note.name,), generations=((note.name,),), tables={note.name: TablePlan(note.name, 6, 6)})
    ds = Dataset(schema=Schema((note,), "sqlite"), plan=plan, tables=[td])
    # A row "0, '€€€€€€€€€€'" is 15 characters but 35 UTF-8 bytes; with 4 bytes of separators per row, a cap of
    # 100 bytes holds 2 rows (5 if characters were counted).
    caps = replace(get_dialect("sqlite"), max_statement_bytes=100)
    inserts = [s for s in iter_statements(ds, caps) if s.kind == "insert"]
    assert [(s.first_row, s.row_count) for s in inserts] == [(0, 2), (2, 2), (4, 2)]


def test_options_a_script_cannot_honour_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="seeder load"):
        iter_statements(company_dataset(), "sqlite", disable_triggers=True)
    with pytest.raises(ConfigError, match="seeder load"):
        script(company_dataset(), "mysql", disable_triggers=True)
    with pytest.raises(ConfigError, match="batch_rows"):
        iter_statements(company_dataset(), "postgres", batch_rows=0)
    with pytest.raises(ConfigError, match="unknown target dialect"):
        script(company_dataset(), "oracle")


def test_not_null_cycle_through_a_primary_key_is_a_plan_error() -> None:
    a = Table(N(None, "a"), (Column("id", INT, False), Column("b_id", INT, False)), PrimaryKey(("id", "b_id")),
              (ForeignKey(("b_id",), N(None, "b"), ("id",), "a_b_fk"),))
    b = Table(N(None, "b"), (Column("id", INT, False), Column("a_id", INT, False)), PrimaryKey(("id",)))
    ds = make_dataset(Schema((a, b), "postgres"), [(a, {"id": [1], "b_id": [1]}), (b, {"id": [1], "a_id": [1]})],
                      (CycleBreak(a.name, a.foreign_keys[0], nullable=False, deferrable=False),))
    with pytest.raises(PlanError, match="DEFERRABLE"):
        iter_statements(ds, "postgres")
    assert "SET FOREIGN_KEY_CHECKS = 0;" in script(ds, "mysql")  # MySQL needs no NOT NULL change


def test_keyless_table_without_comparable_columns_is_a_plan_error() -> None:
    doc = Table(N(None, "doc"), (Column("body", ColumnType("json", "json")), Column("emp_id", INT)), None,
                (ForeignKey(("emp_id",), EMP.name, ("emp_id",)),))
    ds = make_dataset(Schema((doc,), "postgres"), [(doc, {"body": [{}], "emp_id": [1]})],
                      (CycleBreak(doc.name, doc.foreign_keys[0], nullable=True, deferrable=False),))
    with pytest.raises(PlanError, match="give it a primary key"):
        iter_statements(ds, "postgres")  # raised at call time, before any statement is run


def test_header_lists_source_rows_and_how_to_run() -> None:
    text = script(company_dataset(), "postgres", header={"source": "co.sql\n-- injected", "seed": 42})
    head = text.split("\n\n")[0]
    assert "-- source: co.sql -- injected" in head  # newlines in header values cannot end the comment
    assert "-- seed: 42" in head and "-- rows: 14 in 6 tables" in head
    assert "psql -v ON_ERROR_STOP=1 -f out.sql" in head and "ONE transaction" in head
    assert all(line.startswith("--") for line in head.splitlines())
    assert "sqlite3 -bail" in script(company_dataset(), "sqlite")


def test_output_is_byte_identical_across_runs_and_hash_seeds() -> None:
    assert script(company_dataset(), "postgres") == script(company_dataset(), "postgres")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from tests.test_sinks import company_dataset, script; "
            "sys.stdout.write(script(company_dataset(), 'postgres'))")
    outs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-c", code, str(REPO_ROOT)], capture_output=True, env=env,
                              check=True, cwd=REPO_ROOT)
        outs.add(proc.stdout)
    assert len(outs) == 1


# ------------------------------------------------------------------------------------------------ CSV / JSONL

STAMPTZ = ColumnType("timestamptz", "timestamptz")
KINDS = Table(N("public", "kinds"), (
    Column("id", INT, False), Column("t", TEXT), Column("b", ColumnType("bytes", "bytea")),
    Column("n", ColumnType("decimal", "numeric(12,4)", precision=12, scale=4)),
    Column("f", ColumnType("double", "double precision")), Column("ok", ColumnType("boolean", "boolean")),
    Column("d", ColumnType("date", "date")), Column("ts", STAMPTZ), Column("j", ColumnType("jsonb", "jsonb")),
    Column("u", ColumnType("uuid", "uuid")), Column("iv", ColumnType("interval", "interval")),
    Column("a", ColumnType("array", "integer[]", element=INT)),
), PrimaryKey(("id",)))
KINDS_DDL = ("CREATE TABLE public.kinds (id integer PRIMARY KEY, t text, b bytea, n numeric(12,4), f double precision, "
             "ok boolean, d date, ts timestamptz, j jsonb, u uuid, iv interval, a jsonb)")
KINDS_VALUES: dict[str, list[Any]] = {
    "id": [1, 2, 3],
    "t": ["", None, 'a,"b"\nc\x00 \\.'],
    "b": [b"", b"\x00\x01", None],
    "n": [Decimal("1.5000"), Decimal("-0.0001"), None],
    "f": [0.1, -1e300, None],
    "ok": [True, False, None],
    "d": [date(1999, 12, 31), None, date(1, 1, 1)],
    "ts": [datetime(2020, 5, 6, 7, 8, 9, 10, tzinfo=timezone.utc), None,
           datetime(2020, 1, 1, tzinfo=timezone(timedelta(hours=2)))],
    "j": [{"z": [1, None], "a": "x"}, "just a string", None],
    "u": [UUID(int=7), None, UUID(int=8)],
    "iv": [timedelta(days=-1, seconds=5), timedelta(0), None],
    "a": [[1, None, 3], [], None],
}


def kinds_dataset() -> Dataset:
    return make_dataset(Schema((KINDS,), "postgres"), [(KINDS, KINDS_VALUES)])


def test_csv_null_versus_empty_string_and_value_text(tmp_path: Path) -> None:
    paths = write_csv(kinds_dataset(), tmp_path / "csv")
    assert [p.name for p in paths] == ["public.kinds.csv"]
    raw = paths[0].read_bytes().decode("utf-8")
    first_row = raw.split("\n")[1]
    assert first_row.startswith('1,"",\\x,1.5000,0.1,true,1999-12-31,2020-05-06 07:08:09.000010+00:00,')
    header, rows = read_csv(paths[0])
    assert header == list(KINDS_VALUES)
    assert rows[1][1] is None and rows[0][1] == ""  # NULL vs empty string survive
    assert rows[2][1] == 'a,"b"\nc \\.'  # quoted: delimiter, quotes, newline, COPY's end marker; NUL removed
    assert rows[0][8] == '{"a":"x","z":[1,null]}' and rows[1][8] == '"just a string"'
    assert rows[0][11] == "[1,null,3]" and rows[1][11] == "[]"


def test_csv_loads_into_postgres_with_copy(pg_url: str, tmp_path: Path) -> None:
    import psycopg

    ds = kinds_dataset()
    path = write_csv(ds, tmp_path)[0]
    with psycopg.connect(libpq_uri(pg_url), autocommit=True) as conn:
        conn.execute(KINDS_DDL)  # type: ignore[arg-type]
        with conn.cursor() as cur:
            with cur.copy("COPY public.kinds FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                copy.write(path.read_bytes())
            cur.execute("SELECT * FROM public.kinds ORDER BY id")
            got = cur.fetchall()
    td = ds.tables[0]
    for back, want in zip(got, td.rows(), strict=True):
        for name, g, w in zip(td.columns, back, want, strict=True):
            if isinstance(w, str):
                w = strip_nul(w)
            assert g == w, name


def test_jsonl_stream_and_directory_read_back_equal(tmp_path: Path) -> None:
    ds = kinds_dataset()
    stream = io.StringIO()
    assert write_jsonl(ds, stream) == []
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    first = json.loads(lines[0])
    assert first["table"] == "public.kinds" and list(first["row"]) == list(KINDS_VALUES)
    assert first["row"]["n"] == "1.5000" and first["row"]["b"] == "" and first["row"]["iv"] == "-P0DT86395S"
    paths = write_jsonl(ds, tmp_path / "jsonl")
    assert [p.name for p in paths] == ["public.kinds.jsonl"]
    assert paths[0].read_text(encoding="utf-8") == stream.getvalue()
    td = ds.tables[0]
    for source in (io.StringIO(stream.getvalue()), tmp_path / "jsonl"):
        rows = read_jsonl(source)["public.kinds"]
        for row, want in zip(rows, td.rows(), strict=True):
            for col, w in zip(KINDS.columns, want, strict=True):
                if isinstance(w, str):
                    w = strip_nul(w)
                assert decode_value(row[col.name], col.type) == w, col.name


def test_jsonl_rejects_non_finite_numbers_in_json_documents() -> None:
    ds = make_dataset(Schema((KINDS,), "postgres"), [(KINDS, {**KINDS_VALUES, "j": [{"x": float("nan")}, None, None]})])
    with pytest.raises(GenerationError, match="row 1"):
        write_jsonl(ds, io.StringIO())


def test_file_outputs_are_deterministic(tmp_path: Path) -> None:
    a = write_csv(kinds_dataset(), tmp_path / "a")[0].read_bytes()
    b = write_csv(kinds_dataset(), tmp_path / "b")[0].read_bytes()
    assert a == b
    s1, s2 = io.StringIO(), io.StringIO()
    write_jsonl(kinds_dataset(), s1)
    write_jsonl(kinds_dataset(), s2)
    assert s1.getvalue() == s2.getvalue()


def test_table_file_names_are_safe_and_unique() -> None:
    names = [N("s", "a/b"), N(None, "Foo"), N(None, "foo"), N(None, "x\ny")]
    assert table_file_names(names, ".csv") == ["s.a_b.csv", "Foo.csv", "foo~2.csv", "x_y.csv"]
