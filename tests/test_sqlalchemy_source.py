"""SQLAlchemy metadata and Alembic projects as SOURCE (examples/sqlalchemy_shop), against SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from seeder import api
from seeder.cli import cli
from seeder.readers.ddl import read_ddl
from seeder.schema import Schema, TableName
from tests.engines import REPO_ROOT, mysql_fk_orphans, mysql_query, pg_query, sqlite_fk_check

pytest.importorskip("alembic")

EXAMPLE = REPO_ROOT / "examples" / "sqlalchemy_shop"
TABLES = {"category", "customer", "address", "product", "orders", "order_item"}


@pytest.fixture
def in_example(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current directory is the example project (``shop.models:Base`` is importable from there)."""
    monkeypatch.chdir(EXAMPLE)
    monkeypatch.syspath_prepend(str(EXAMPLE))
    return EXAMPLE


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example project (no database file in it)."""
    target = tmp_path / "sqlalchemy_shop"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    return target


def _run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def _summary(schema: Schema) -> dict[str, Any]:
    """What both readers must agree on, per table."""
    out = {}
    for t in schema.tables:
        out[t.name.name] = {
            "columns": [(c.name, c.type.kind, c.type.length, c.type.precision, c.type.scale, c.nullable,
                         c.generated, c.autoincrement or c.identity is not None) for c in t.columns],
            "pk": t.primary_key.columns if t.primary_key else None,
            "fks": sorted((fk.columns, fk.ref_table.name, fk.ref_columns, fk.on_delete) for fk in t.foreign_keys),
            "uniques": sorted((u.columns, u.where.sql() if u.where is not None else None) for u in t.uniques),
            "checks": sorted(c.sql for col in t.columns for c in col.checks) + sorted(c.sql for c in t.checks),
        }
    return out


# ------------------------------------------------------------------------------------------------ the reader


def test_metadata_read_for_postgres_and_sqlite(in_example: Path) -> None:
    pg = api.read_source("shop.models:Base", "postgres")
    assert pg.kind == "sqlalchemy" and {t.name.name for t in pg.schema.tables} == TABLES
    orders = pg.schema.table(TableName(None, "orders"))
    status = orders.column("status")
    assert (status.type.kind, status.type.name, status.type.values) == \
        ("enum", "order_status", ("pending", "paid", "shipped", "cancelled"))
    assert status.default == "'pending'"
    assert [e.name for e in pg.schema.enums] == ["order_status"]
    assert orders.column("id").autoincrement
    assert [c.name for c in orders.checks] == ["orders_shipped_after_placed"]
    item = pg.schema.table(TableName(None, "order_item"))
    assert item.primary_key is not None and item.primary_key.columns == ("order_id", "product_id")
    assert item.column("line_total").generated
    assert [c.sql for c in item.column("quantity").checks] == ["quantity BETWEEN 1 AND 100"]
    customer = pg.schema.table(TableName(None, "customer"))
    assert customer.column("email").comment == "login e-mail"
    assert customer.column("full_name").comment == "a person's first and last name"  # info["hint"]
    assert customer.column("email").type.length == 120
    product = pg.schema.table(TableName(None, "product"))
    assert (product.column("price").type.precision, product.column("price").type.scale) == (10, 2)
    assert product.column("attributes").type.kind == "json"
    address = pg.schema.table(TableName(None, "address"))
    partial = [u for u in address.uniques if u.where is not None]
    assert [(u.columns, u.where.sql()) for u in partial] == [(("customer_id",), "is_primary")]

    lite = api.read_source("shop.models:Base", "sqlite").schema
    status = lite.table(TableName(None, "orders")).column("status")
    # non-native enum: VARCHAR in the database, but only the labels are valid values for the application
    assert status.type.kind == "enum" and status.type.values == ("pending", "paid", "shipped", "cancelled")
    assert status.type.length == 9 and lite.enums == ()
    assert lite.table(TableName(None, "orders")).column("id").autoincrement  # rowid alias


def test_dialect_types_identity_and_deferrable_fks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pgmodels.py").write_text(textwrap.dedent('''
        import sqlalchemy as sa
        from sqlalchemy.dialects import postgresql

        metadata = sa.MetaData()
        parent = sa.Table("parent", metadata,
            sa.Column("a", sa.Integer, primary_key=True), sa.Column("b", sa.Integer, primary_key=True),
            sa.Column("tags", postgresql.ARRAY(sa.String(20))), sa.Column("doc", postgresql.JSONB),
            sa.Column("n", sa.BigInteger, sa.Identity(always=True), nullable=False))
        child = sa.Table("child", metadata,
            sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
            sa.Column("pa", sa.Integer), sa.Column("pb", sa.Integer),
            sa.Column("email", sa.String(80)),
            sa.ForeignKeyConstraint(["pa", "pb"], ["parent.a", "parent.b"], deferrable=True, initially="DEFERRED"),
            sa.Index("child_email_lower", sa.func.lower(sa.column("email")), unique=True),
            sa.CheckConstraint(sa.column("pa") < 1000, name="pa_small"))
        models = [child]
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    schema = api.read_source("pgmodels:metadata", "postgres").schema
    parent = schema.table(TableName(None, "parent"))
    assert parent.column("tags").type.kind == "array" and parent.column("tags").type.element.length == 20
    assert parent.column("doc").type.kind == "jsonb"
    assert parent.column("n").identity == "always"
    child = schema.table(TableName(None, "child"))
    assert child.column("id").identity == "by_default"
    (fk,) = child.foreign_keys
    assert fk.columns == ("pa", "pb") and fk.ref_columns == ("a", "b") and fk.deferrable and fk.initially_deferred
    (unique,) = child.uniques
    assert unique.columns == () and [e.sql() for e in unique.expressions] == ["LOWER(email)"]
    assert [c.sql for c in child.column("pa").checks] == ["pa < 1000"]
    # a list of tables brings the parents its FKs need
    listed = api.read_source("pgmodels:models", "postgres").schema
    assert [t.name.name for t in listed.tables] == ["parent", "child"]
    # an ARRAY cannot be created on SQLite: one line naming the column
    result = CliRunner().invoke(cli, ["inspect", "pgmodels:metadata", "--dialect", "sqlite"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: column parent.tags: type ARRAY(String(length=20)) cannot be rendered")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("source", "message"), [
    ("no_such_module_xyz:Base", "cannot import module no_such_module_xyz: ModuleNotFoundError"),
    ("json:Base", "module json has no attribute Base"),
    ("json:dumps", "function is not a MetaData, a declarative base or a list of models/tables"),
])
def test_bad_object_paths_are_one_line_errors(source: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["inspect", source])
    assert result.exit_code == 1
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_model_equals_migrated_sqlite_database(project: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The model read from the metadata equals the one read from the DDL the migrations leave in SQLite."""
    from alembic import command
    from alembic.config import Config

    monkeypatch.chdir(project)  # alembic resolves prepend_sys_path = . against the current directory
    db = tmp_path / "migrated.db"
    cfg = Config(str(project / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{db}")
    command.upgrade(cfg, "head")
    ddl = ";\n".join(r[0] for r in sqlite3.connect(db).execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "AND tbl_name <> 'alembic_version'")) + ";"
    from_db = _summary(read_ddl(ddl, "sqlite"))
    from_models = _summary(api.read_source(str(project / "alembic.ini"), "sqlite").schema)
    # Known difference: the non-native Enum is VARCHAR(9) in the database; the model knows its labels.
    enum_column = ("status", "enum", 9, None, None, False, False, False)
    assert enum_column in from_models["orders"]["columns"]
    from_models["orders"]["columns"][from_models["orders"]["columns"].index(enum_column)] = \
        ("status", "varchar", 9, None, None, False, False, False)
    assert from_models == from_db


def test_model_equals_offline_migration_sql_for_postgres(project: Path) -> None:
    ini = str(project / "alembic.ini")
    from_models = api.read_source(ini, "postgres")
    from_sql = api.read_source(ini, "postgres", rev="head")  # --rev: always the migration SQL
    assert "target_metadata" in from_models.notes[0] and "offline migration SQL" in from_sql.notes[0]
    assert _summary(from_models.schema) == _summary(from_sql.schema)
    assert from_models.schema.enums == from_sql.schema.enums


# ------------------------------------------------------------------------------------------------ seeding


def test_load_models_create_schema_sqlite(in_example: Path, tmp_path: Path) -> None:
    db = tmp_path / "dev.db"
    result = _run("load", "shop.models:Base", "--db", f"sqlite:///{db}", "--create-schema", "--rows", "25")
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    for table in TABLES:  # order lines: 3 per order
        assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == (75 if table == "order_item" else 25)
    assert sqlite_fk_check(db) == []
    assert {r[0] for r in con.execute("SELECT DISTINCT status FROM orders")} <= {"pending", "paid", "shipped",
                                                                                 "cancelled"}
    assert con.execute("SELECT count(*) FROM order_item WHERE line_total <> quantity * unit_price").fetchone() == (0,)


def test_generate_for_postgres_without_database_then_load_the_script(in_example: Path, tmp_path: Path,
                                                                     pg_url: str) -> None:
    out = tmp_path / "seed.sql"
    result = _run("generate", "shop.models:Base", "--to", "postgres", "--rows", "15", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "could not tell the dialect" not in result.output  # --to names it
    from tests.engines import run_psql

    src = api.read_source("shop.models:Base", "postgres")
    assert src.create_ddl is not None
    ddl = src.create_ddl("postgres")  # what metadata.create_all emits on PostgreSQL
    assert "CREATE TYPE order_status AS ENUM" in ddl and "ALTER TABLE customer ADD CONSTRAINT" in ddl  # use_alter
    run_psql(pg_url, ddl, single_transaction=True)
    run_psql(pg_url, out)
    counts = {t: pg_query(pg_url, f'SELECT count(*) FROM "{t}"')[0][0] for t in TABLES}
    assert counts == {**dict.fromkeys(TABLES, 15), "order_item": 45}  # order lines: 3 per order


def test_alembic_project_seeds_postgres_and_sqlite_with_no_database_file(project: Path, tmp_path: Path,
                                                                         pg_url: str) -> None:
    assert not list(project.glob("*.db"))
    ini = str(project / "alembic.ini")
    result = _run("load", ini, "--db", pg_url, "--create-schema", "--rows", "12")
    assert result.exit_code == 0, result.output
    assert "read at head from env.py's target_metadata" in result.output
    assert pg_query(pg_url, "SELECT version_num FROM alembic_version") == [("0002",)]
    assert pg_query(pg_url, "SELECT count(*) FROM order_item")[0][0] == 36  # order lines: 3 per order
    db = tmp_path / "fresh.db"
    result = _run("load", str(project), "--db", f"sqlite:///{db}", "--create-schema", "--rows", "12")
    assert result.exit_code == 0, result.output
    assert sqlite_fk_check(db) == []
    assert not list(project.glob("*.db")), "offline mode must not create the ini file's database"


def test_alembic_rev_and_raw_sql_migrations(project: Path, tmp_path: Path) -> None:
    ini = str(project / "alembic.ini")
    db = tmp_path / "rev1.db"
    result = _run("load", ini, "--rev", "0001", "--db", f"sqlite:///{db}", "--create-schema", "--rows", "5")
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"category", "customer", "address", "product", "alembic_version"}
    # A project without target_metadata (raw migrations) is read from its offline SQL, and says so.
    env = project / "migrations" / "env.py"
    env.write_text(env.read_text().replace("target_metadata = Base.metadata", "target_metadata = None"))
    src = api.read_source(ini, "sqlite")
    assert "env.py has no target_metadata" in src.notes[0]
    assert {t.name.name for t in src.schema.tables} == TABLES
    result = _run("inspect", ini, "--rev", "nope")
    assert result.exit_code == 1 and result.output.startswith("Error: ") and "nope" in result.output


# ------------------------------------------------------------------------------------------------ MariaDB


def test_models_on_mariadb_create_seed_twice_and_match_the_database(in_example: Path, mysql_url: str) -> None:
    """``shop.models:Base`` into MariaDB: created by ``metadata.create_all``, seeded, seeded again in place (new
    rows after the old ones, every FK valid), and the model read from the metadata equals the one introspected
    from the created database (known differences below)."""
    result = _run("load", "shop.models:Base", "--db", mysql_url, "--create-schema", "--rows", "10")
    assert result.exit_code == 0, result.output
    result = _run("load", "shop.models:Base", "--db", mysql_url, "--rows", "10")
    assert result.exit_code == 0, result.output
    counts = {t: mysql_query(mysql_url, f"SELECT count(*) FROM `{t}`")[0][0] for t in TABLES}
    assert counts == {**dict.fromkeys(TABLES, 20), "order_item": 60}  # order lines: 3 per order
    from_models = api.read_source("shop.models:Base", "mysql").schema
    assert mysql_fk_orphans(mysql_url, from_models) == {}
    assert mysql_query(mysql_url, "SELECT count(*) FROM order_item WHERE line_total <> quantity * unit_price") == \
        [(0,)]
    assert {r[0] for r in mysql_query(mysql_url, "SELECT DISTINCT status FROM orders")} <= {
        "pending", "paid", "shipped", "cancelled"}
    # one primary address per customer: MySQL has no partial index, so the index covers every address
    assert mysql_query(mysql_url, "SELECT count(*) FROM (SELECT customer_id FROM address GROUP BY customer_id "
                                  "HAVING count(*) > 1) d") == [(0,)]
    models, database = _summary(from_models), _summary(api.read_source(mysql_url).schema)
    for table in database.values():  # MariaDB keeps JSON as longtext with a json_valid() CHECK
        table["checks"] = [c for c in table["checks"] if "JSON_VALID" not in c.upper()]
        table["columns"] = [(*c[:1], "json", *c[2:]) if c[0] == "attributes" else c for c in table["columns"]]
    for name in sorted(TABLES):
        assert models[name] == database[name], name


def test_alembic_project_seeds_mariadb(project: Path, mysql_url: str) -> None:
    ini = str(project / "alembic.ini")
    result = _run("load", ini, "--db", mysql_url, "--create-schema", "--rows", "8")
    assert result.exit_code == 0, result.output
    assert mysql_query(mysql_url, "SELECT version_num FROM alembic_version") == [("0002",)]
    assert mysql_query(mysql_url, "SELECT count(*) FROM order_item")[0][0] == 24
    result = _run("load", mysql_url, "--rows", "8")  # the migrated database, seeded in place
    assert result.exit_code == 0, result.output
    assert mysql_query(mysql_url, "SELECT count(*) FROM orders")[0][0] == 16
    assert mysql_query(mysql_url, "SELECT count(*) FROM alembic_version")[0][0] == 1  # never seeded
