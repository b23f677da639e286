"""Fault modes of the model server (tests/llm_server.py): every run completes, every constraint holds in the loaded
database (SQLite always, PostgreSQL when available), and the report counts the fallbacks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seeder import api
from tests.engines import pg_query, run_psql, schema_path, sqlite_fk_check, sqlite_query
from tests.llm_server import NASTY_STRINGS, FakeLLM, assert_rules_hold, llm_run, sql_text


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    with FakeLLM() as server:
        yield server


#: fault -> (script of faults for the first requests, fault for every later request, extra flags, fallbacks expected)
FAULTS: dict[str, tuple[list[str], str | None, dict[str, Any], bool]] = {
    "rate_limit": (["rate_limit"] * 3, None, {}, False),
    "server_error": (["server_error"] * 3, None, {}, False),
    "slow": (["slow"], None, {"llm_timeout": 0.5}, False),
    "malformed": ([], "malformed", {}, True),
    "missing_fields": ([], "missing_fields", {}, True),
    "extra_fields": ([], "extra_fields", {}, False),
    "too_few": ([], "too_few", {}, True),
    "too_many": ([], "too_many", {}, False),
    "bad_values": ([], "bad_values", {}, True),
    "nasty": ([], "nasty", {}, True),  # the strings with NUL are rejected and filled locally
    "duplicates": ([], "duplicates", {}, False),
    "empty": ([], "empty", {}, True),
    "always_500": ([], "server_error", {}, True),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_modes_complete_and_load_into_sqlite(fault: str, fake: FakeLLM, tmp_path: Path,
                                                   sqlite_path: Path) -> None:
    script, always, flags, fallbacks = FAULTS[fault]
    fake.script = list(script)
    fake.fault = always
    fake.slow_seconds = 1.5
    data, content = llm_run("sakila/sqlite.sql", 8, fake, tmp_path / "cache", rows_per_call=4, **flags)
    assert_rules_hold(data)
    ddl = schema_path("sakila/sqlite.sql").read_text(encoding="utf-8")
    api.load(data, f"sqlite:///{sqlite_path}", create_schema=ddl)
    assert sqlite_fk_check(sqlite_path) == []
    assert sqlite_query(sqlite_path, "SELECT count(*) FROM film") == [(8,)]
    stats = content.stats
    assert (stats["cells_fallback"] > 0) is fallbacks, stats
    if fallbacks:
        assert any("filled locally" in n or "local generator" in n for n in content.notes)
        assert any(line.split()[-3] != "0" for line in content.report_lines()[1:])  # report counts fallbacks
    if script:
        assert stats["llm_retries"] >= 1
    if fault == "nasty":
        stored = {r[0] for r in sqlite_query(sqlite_path, "SELECT description FROM film")}
        assert stored & {s for s in NASTY_STRINGS if "\x00" not in s}
    if fault == "always_500":
        assert stats["cells_llm"] == 0 and any("in a row failed" in n for n in content.notes)


SHOP_DDL = """
CREATE TYPE mood AS ENUM ('happy', 'sad', 'calm');
CREATE TABLE customer (
  id serial PRIMARY KEY,
  name varchar(12) NOT NULL,
  city varchar(20),
  mood mood NOT NULL,
  notes text
);
CREATE TABLE product (
  id serial PRIMARY KEY,
  title varchar(30) NOT NULL,
  price numeric(6,2) NOT NULL CHECK (price > 0),
  status text NOT NULL CHECK (status IN ('active', 'retired'))
);
CREATE TABLE orders (
  id serial PRIMARY KEY,
  customer_id int NOT NULL REFERENCES customer(id),
  ordered date NOT NULL,
  shipped date,
  CHECK (shipped >= ordered)
);
CREATE TABLE order_line (
  order_id int NOT NULL REFERENCES orders(id),
  line_no int NOT NULL CHECK (line_no BETWEEN 1 AND 99),
  product_id int NOT NULL REFERENCES product(id),
  quantity int NOT NULL CHECK (quantity > 0 AND quantity <= 50),
  comment varchar(40),
  PRIMARY KEY (order_id, line_no)
);
"""


@pytest.mark.parametrize("fault", ["bad_values", "nasty", "missing_fields"])
def test_constraint_breaking_answers_still_load_into_postgres(fault: str, fake: FakeLLM, tmp_path: Path,
                                                              pg_url: str) -> None:
    ddl = tmp_path / "shop.sql"
    ddl.write_text(SHOP_DDL, encoding="utf-8")
    run_psql(pg_url, SHOP_DDL, single_transaction=True)
    fake.fault = fault
    data, content = llm_run(ddl, 12, fake, tmp_path / "cache", dialect="postgres", rows_per_call=5)
    assert_rules_hold(data)
    api.load(data, pg_url)
    assert pg_query(pg_url, "SELECT count(*) FROM order_line") == [(36,)]  # order lines: 3 x --rows
    assert content.stats["cells_fallback"] > 0
    if fault == "nasty":
        notes = {r[0] for r in pg_query(pg_url, "SELECT notes FROM customer")}
        assert "'); DROP TABLE x; --" in notes
        assert "line one\nline two\r\nline three" in notes and "back\\slash \\n not a newline" in notes
    if fault == "bad_values":
        prices = [r[0] for r in pg_query(pg_url, "SELECT price FROM product")]
        assert all(p > 0 for p in prices)


def test_nasty_model_strings_survive_the_sql_script(fake: FakeLLM, tmp_path: Path, pg_url: str) -> None:
    """Model output is data: quotes, backslashes, newlines and SQL in values are escaped by the script sink."""
    ddl = tmp_path / "shop.sql"
    ddl.write_text(SHOP_DDL, encoding="utf-8")
    run_psql(pg_url, SHOP_DDL, single_transaction=True)
    fake.fault = "nasty"
    data, _ = llm_run(ddl, 12, fake, tmp_path / "cache", dialect="postgres", rows_per_call=5)
    script = tmp_path / "data.sql"
    script.write_text(sql_text(data), encoding="utf-8")
    run_psql(pg_url, script)
    stored = {r[0] for r in pg_query(pg_url, "SELECT notes FROM customer")}
    expected = {v for v in data.table_data(next(t.name for t in data.schema.tables
                                                 if t.name.name == "customer")).column_values("notes")}
    assert stored == expected and "'); DROP TABLE x; --" in stored
    assert pg_query(pg_url, "SELECT count(*) FROM order_line") == [(36,)]  # order lines: 3 x --rows
