"""Django fixture sink: the file loads with ``manage.py loaddata`` and reads back equal through the ORM.

Django is configured in-process against a SQLite file (tests/django_shop holds the models, with ``db_table`` names
matching the DDL below); the module is skipped when Django is not installed.
"""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import django  # a test dependency ([test] extras): missing, this module errors instead of skipping
import pytest

from seeder.api import build_plan, generate, read_schema
from seeder.dataset import Dataset
from seeder.errors import ConfigError
from seeder.schema import TableName
from seeder.sinks.fixture import duration_string, model_label, write_fixture
from tests.engines import schema_path

DDL = """
CREATE TABLE shop_author (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    email VARCHAR(120) NOT NULL UNIQUE,
    bio TEXT
);
CREATE TABLE shop_book (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES shop_author(id),
    title VARCHAR(200) NOT NULL,
    price DECIMAL(8, 2) NOT NULL,
    published TIMESTAMP,
    notes TEXT
);
CREATE TABLE shop_dept (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    manager_id INTEGER REFERENCES shop_employee(id)
);
CREATE TABLE shop_employee (
    id INTEGER PRIMARY KEY,
    dept_id INTEGER NOT NULL REFERENCES shop_dept(id)
);
"""

NASTY = [
    "it's", 'say "hi"', "back\\slash\\", "line1\nline2\r\nline3\ttab", "emoji \U0001f600\U0001f9d1\u200d\U0001f4bb",
    "rtl \u202eabc\u202c mark \u200f", "nul\x00inside", "'); DROP TABLE x; --", "", "\\x00 \\u0000 not a nul",
    "</script><b>&amp;", "\u0000",
]


@pytest.fixture(scope="module")
def django_db(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Configure Django once for this module (SQLite file), create the shop tables, return the models module."""
    from django.conf import settings

    if not settings.configured:
        db = tmp_path_factory.mktemp("django") / "shop.sqlite3"
        settings.configure(DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(db)}},
                           INSTALLED_APPS=["tests.django_shop.apps.ShopConfig"], USE_TZ=False)
        django.setup()
    from django.db import connection

    from tests.django_shop import models

    with connection.schema_editor() as editor:
        for model in (models.Author, models.Book, models.Dept, models.Employee):
            editor.create_model(model)
    return models


def _dataset(tmp_path: Path, rows: int = 12) -> Dataset:
    ddl = tmp_path / "shop.sql"
    ddl.write_text(DDL, encoding="utf-8")
    schema = read_schema(ddl, "sqlite")
    return generate(schema, build_plan(schema, rows=rows), seed=7)


def _inject_nasty(data: Dataset) -> None:
    """Put every nasty string into text columns (bio, notes, and the unique name/title where length allows)."""
    bios = data.table_data(TableName(None, "shop_author")).column_values("bio")
    notes = data.table_data(TableName(None, "shop_book")).column_values("notes")
    for i, s in enumerate(NASTY):
        bios[i % len(bios)] = s
        notes[(i + 3) % len(notes)] = s
    # generated timestamps are whole seconds; one with microseconds proves the sink keeps all six digits
    published = data.table_data(TableName(None, "shop_book")).column_values("published")
    published[0] = datetime(2024, 2, 29, 23, 59, 1, 123456)


def _load(django_db: Any, data: Dataset, path: Path, app_label: str | None = None) -> None:
    from django.core.management import call_command

    for model in (django_db.Employee, django_db.Dept, django_db.Book, django_db.Author):
        model.objects.all().delete()
    with path.open("w", encoding="utf-8") as f:
        write_fixture(data, f, app_label=app_label)
    call_command("loaddata", str(path), verbosity=0)


def _expected(data: Dataset, table: str) -> dict[int, dict[str, Any]]:
    td = data.table_data(TableName(None, table))
    out = {}
    for row in td.rows():
        rec = dict(zip(td.columns, row, strict=True))
        out[rec["id"]] = {k: v.replace("\x00", "") if isinstance(v, str) else v for k, v in rec.items()}
    return out


def test_loaddata_round_trip_with_nasty_strings(django_db: Any, tmp_path: Path) -> None:
    data = _dataset(tmp_path)
    _inject_nasty(data)
    _load(django_db, data, tmp_path / "shop.json")

    authors = _expected(data, "shop_author")
    got_authors = {a["id"]: a for a in django_db.Author.objects.values("id", "name", "email", "bio")}
    assert got_authors == authors
    assert {a["bio"] for a in got_authors.values()} >= {s.replace("\x00", "") for s in NASTY}

    books = _expected(data, "shop_book")
    got_books = {b["id"]: b for b in django_db.Book.objects.values("id", "author_id", "title", "price", "published",
                                                                    "notes")}
    assert got_books == books
    assert all(isinstance(b["price"], Decimal) for b in got_books.values())
    assert any(b["published"] is not None and b["published"].microsecond for b in got_books.values()), \
        "want a timestamp with microseconds to prove none are lost"


def test_cycle_broken_fk_loads_with_final_values(django_db: Any, tmp_path: Path) -> None:
    data = _dataset(tmp_path)
    assert data.plan.cycle_breaks, "the DDL has a dept <-> employee cycle"
    _load(django_db, data, tmp_path / "cycle.json", app_label="shop")
    depts = {d["id"]: d for d in django_db.Dept.objects.values("id", "name", "manager_id")}
    assert depts == _expected(data, "shop_dept")
    assert any(d["manager_id"] is not None for d in depts.values())
    employees = {e["id"]: e for e in django_db.Employee.objects.values("id", "dept_id")}
    assert employees == _expected(data, "shop_employee")


def test_fixture_shape(tmp_path: Path) -> None:
    data = _dataset(tmp_path, rows=3)
    buf = io.StringIO()
    write_fixture(data, buf)
    objs = json.loads(buf.getvalue())
    assert [o["model"] for o in objs[:3]] == ["shop.author"] * 3
    book = next(o for o in objs if o["model"] == "shop.book")
    assert set(book["fields"]) == {"author", "title", "price", "published", "notes"}
    assert isinstance(book["pk"], int) and isinstance(book["fields"]["price"], str)
    order = [o["model"] for o in objs]
    assert order.index("shop.book") > max(i for i, m in enumerate(order) if m == "shop.author")


def test_model_label_rules(tmp_path: Path) -> None:
    data = _dataset(tmp_path, rows=1)
    table = data.table_data(TableName(None, "shop_book")).table
    assert model_label(table) == "shop.book"
    assert model_label(table, "shop") == "shop.book"
    assert model_label(table, "store") == "store.shop_book"
    from dataclasses import replace

    with pytest.raises(ConfigError, match="--fixture-app"):
        model_label(replace(table, name=TableName(None, "books")))


def test_duration_string_matches_django() -> None:
    from django.utils.duration import duration_string as django_duration

    for td in (timedelta(0), timedelta(days=3, seconds=3661, microseconds=5), timedelta(seconds=-1),
               timedelta(days=-2, microseconds=7), timedelta(hours=25)):
        assert duration_string(td) == django_duration(td)


def test_cli_generate_format_fixture(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from seeder.cli import cli

    ddl = tmp_path / "shop.sql"
    ddl.write_text(DDL, encoding="utf-8")
    out = tmp_path / "fixture.json"
    result = CliRunner().invoke(cli, ["generate", str(ddl), "--dialect", "sqlite", "--format", "fixture", "-n", "2",
                                      "--fixture-app", "store", "-o", str(out)])
    assert result.exit_code == 0, result.output
    models = {o["model"] for o in json.loads(out.read_text(encoding="utf-8"))}
    assert models == {"store.shop_author", "store.shop_book", "store.shop_dept", "store.shop_employee"}


@pytest.mark.parametrize("ddl", ["pagila/postgres.sql", "lago/postgres.sql", "sakila/mysql.sql", "chinook/sqlite.sql"])
def test_real_schemas_serialise(ddl: str) -> None:
    """Every row of a real schema becomes one fixture object; FK columns ending in _id are renamed, others kept."""
    schema = read_schema(schema_path(ddl))
    data = generate(schema, build_plan(schema, rows=3), seed=1)
    buf = io.StringIO()
    write_fixture(data, buf, app_label="app")
    objs = json.loads(buf.getvalue())
    assert len(objs) == sum(td.row_count for td in data.tables)
    assert "\\u0000" not in buf.getvalue()
    for td in data.tables:
        fk_cols = {fk.columns[0] for fk in td.table.foreign_keys if len(fk.columns) == 1}
        mine = [o for o in objs if o["model"] == model_label(td.table, "app")]
        assert len(mine) == td.row_count
        for obj in mine[:1]:
            for col in fk_cols - set(td.table.primary_key.columns if td.table.primary_key else ()):
                name = col[:-3] if col.endswith("_id") else col
                assert name in obj["fields"], (td.table.name, col)
