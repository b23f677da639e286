"""The pytest plugin's ``seeder`` fixture, used the way a project's test suite would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop.sql"


def test_fixture_loads_a_fresh_sqlite_database(seeder, tmp_path: Path):
    db = tmp_path / "app.db"
    report = seeder.load(SHOP, f"sqlite:///{db}", rows=15, seed=4, create_schema=True, tables={"review": 5})
    assert report.tables["review"] == 5 and report.tables["customer"] == 15
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("SELECT count(*) FROM order_item").fetchone() == (45,)  # order lines: 3 x --rows


def test_fixture_generate_is_deterministic(seeder):
    a = seeder.generate(SHOP, rows=5, seed=9)
    b = seeder.generate(SHOP, rows=5, seed=9)
    assert [t.values for t in a.tables] == [t.values for t in b.tables]
