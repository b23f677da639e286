"""End-to-end LLM generation against the fake OpenAI-compatible server (tests/llm_server.py): real HTTP on
127.0.0.1, the real ``openai`` client, real schemas, real SQLite and PostgreSQL loads. No key, no network.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seeder import api
from seeder.errors import LLMError
from seeder.llm.config import resolve_settings
from seeder.llm.content import LLMContent
from tests.engines import create_pg_schema, mysql_query, pg_query, run_mysql, schema_path
from tests.llm_server import FakeLLM, assert_rules_hold, llm_run, parse_data_block, sql_text


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    with FakeLLM() as server:
        yield server


def table_prompts(server: FakeLLM, table: str) -> list[dict[str, Any]]:
    """The DATA blocks of the rows-mode requests for ``table``."""
    out = []
    for prompt in server.prompts():
        data = parse_data_block(prompt)
        if data and data.get("task") == "rows" and data["table"]["name"] == table:
            out.append(data)
    return out


# ------------------------------------------------------------------------------------------------ parent rows


def test_prompts_of_an_order_line_table_carry_its_parent_rows(fake: FakeLLM, tmp_path: Path) -> None:
    data, content = llm_run("chinook/postgres.sql", 60, fake, tmp_path, rows_per_call=10)
    prompts = sorted(table_prompts(fake, "invoice_line"), key=lambda p: p["rows"][0]["_row"])
    assert len(prompts) == 18  # order lines are 3 x --rows: 180 rows, 10 per call
    lines = data.table_data(next(t.name for t in data.schema.tables if t.name.name == "invoice_line"))
    tracks = data.table_data(next(t.name for t in data.schema.tables if t.name.name == "track"))
    track_names = dict(zip(tracks.column_values("track_id"), tracks.column_values("name"), strict=True))
    seen = 0
    for prompt in prompts:
        assert [c["name"] for c in prompt["table"]["columns"] if c["fill"]] == ["unit_price", "quantity"]
        for row in prompt["rows"]:
            i = row["_row"]
            invoice = row["parents"]["invoice_id -> invoice"]
            track = row["parents"]["track_id -> track"]
            assert invoice["invoice_id"] == lines.column_values("invoice_id")[i]
            assert "billing_city" in invoice  # a descriptive column, not just the key
            assert track["track_id"] == lines.column_values("track_id")[i]
            assert track["name"] == track_names[track["track_id"]]  # the parent's final, model-written name
            seen += 1
    assert seen == 180
    # batches 0-3 go at once without examples; later ones show the first batch's first rows (fixed by position)
    # (the unit prices shown are the model's; most final ones are the track's price: the copy rule of issue #13)
    first_quantities = [lines.column_values("quantity")[i] for i in range(3)]
    assert [len(p.get("examples", [])) for p in prompts] == [0, 0, 0, 0] + [3] * 14
    assert prompts[4]["examples"] == prompts[5]["examples"]
    assert [e["quantity"] for e in prompts[4]["examples"]] == first_quantities
    assert content.stats["cells_llm"] > 0 and content.stats["cells_fallback"] == 0


# ------------------------------------------------------------------------------------------------ postgres


def test_pagila_with_llm_loads_into_postgres(fake: FakeLLM, tmp_path: Path, pg_url: str) -> None:
    create_pg_schema(pg_url, "pagila/postgres.sql")
    data, content = llm_run("pagila/postgres.sql", 50, fake, tmp_path)
    api.load(data, pg_url)
    assert pg_query(pg_url, "SELECT count(*) FROM film") == [(50,)]
    titles = [r[0] for r in pg_query(pg_url, "SELECT title FROM film ORDER BY film_id LIMIT 3")]
    assert all(t.startswith("Title ") for t in titles)  # the fake model's values made it into the database
    assert content.stats["llm_calls"] == fake.calls and content.stats["cells_fallback"] == 0


# ------------------------------------------------------------------------------------------------ mysql

#: Integer types narrower than the kind the reader gives them (TINYINT and YEAR are read as smallint).
NARROW_INTEGERS_DDL = """
CREATE TABLE reading (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  level TINYINT NOT NULL,
  made YEAR NOT NULL,
  distance MEDIUMINT NOT NULL,
  weight SMALLINT UNSIGNED NOT NULL
) ENGINE=InnoDB;
"""


def test_model_integers_outside_mysql_types_never_reach_a_strict_load(fake: FakeLLM, tmp_path: Path,
                                                                       mysql_url: str) -> None:
    """The fake model writes integers from -1000 to 1000 where no range is stated: a strict-mode MariaDB rejects most
    of them in TINYINT and all in YEAR, so the validator must reject them too and fill those cells locally."""
    ddl = tmp_path / "readings.sql"
    ddl.write_text(NARROW_INTEGERS_DDL, encoding="utf-8")
    run_mysql(mysql_url, NARROW_INTEGERS_DDL)
    data, content = llm_run(ddl, 40, fake, tmp_path / "cache", dialect="mysql", rows_per_call=20)
    api.load(data, mysql_url)
    assert mysql_query(mysql_url, "SELECT count(*), min(level) >= -128, max(level) <= 127, min(made) >= 1901, "
                                  "max(made) <= 2155 FROM reading") == [(40, 1, 1, 1, 1)]
    assert content.stats["cells_llm"] > 0 and content.stats["cells_fallback"] > 0


# ------------------------------------------------------------------------------------------------ cache, determinism


def test_rerun_with_cache_makes_no_calls_and_same_bytes(fake: FakeLLM, tmp_path: Path) -> None:
    first, c1 = llm_run("chinook/postgres.sql", 25, fake, tmp_path / "cache", rows_per_call=10)
    calls = fake.calls
    assert calls > 0 and c1.stats["llm_cache_hits"] == 0
    second, c2 = llm_run("chinook/postgres.sql", 25, fake, tmp_path / "cache", rows_per_call=10)
    assert fake.calls == calls and c2.stats["llm_calls"] == 0 and c2.stats["llm_cache_hits"] == calls
    assert sql_text(first) == sql_text(second)
    _, c3 = llm_run("chinook/postgres.sql", 25, fake, tmp_path / "cache", rows_per_call=10, no_cache=True)
    assert fake.calls == 2 * calls and c3.stats["llm_cache_hits"] == 0
    _, c4 = llm_run("chinook/postgres.sql", 25, fake, tmp_path / "cache", seed=2, rows_per_call=10)
    assert c4.stats["llm_cache_hits"] == 0  # the seed is part of the key


def test_batches_do_not_depend_on_timing_or_concurrency(tmp_path: Path) -> None:
    with FakeLLM(latency=0.02) as server:
        one, _ = llm_run("chinook/postgres.sql", 24, server, tmp_path / "a", llm_concurrency=1, rows_per_call=5)
        many, _ = llm_run("chinook/postgres.sql", 24, server, tmp_path / "b", llm_concurrency=8, rows_per_call=5)
        assert 1 < server.max_in_flight <= 8
    assert sql_text(one) == sql_text(many)


# ------------------------------------------------------------------------------------------------ modes


def test_pools_mode_cost_does_not_grow_with_rows(fake: FakeLLM, tmp_path: Path) -> None:
    small, c_small = llm_run("chinook/postgres.sql", 100, fake, tmp_path / "a", llm_mode="pools")
    small_calls = fake.calls
    big, c_big = llm_run("chinook/postgres.sql", 3000, fake, tmp_path / "b", llm_mode="pools")
    assert fake.calls - small_calls == small_calls
    content_tables = sum(1 for a in c_small.accounting.tables.values() if a.mode == "pools")
    assert small_calls == content_tables
    assert sum(td.row_count for td in big.tables) >= 20 * sum(td.row_count for td in small.tables)
    assert c_big.stats["cells_llm"] > 20 * c_small.stats["cells_llm"] * 0.9
    tracks = big.table_data(next(t.name for t in big.schema.tables if t.name.name == "track"))
    names = tracks.column_values("name")
    assert 1 < len(set(names)) <= 40 + 5  # drawn from the pool (40 values) and the example rows (5)
    assert_rules_hold(big)


def test_auto_mode_switches_to_pools_above_threshold(fake: FakeLLM, tmp_path: Path) -> None:
    _, content = llm_run("chinook/postgres.sql", 30, fake, tmp_path / "a", file={"auto_threshold": 20})
    assert {a.mode for a in content.accounting.tables.values()} == {"pools"}
    _, content = llm_run("chinook/postgres.sql", 30, fake, tmp_path / "b", file={"auto_threshold": 90})  # 90 lines
    assert {a.mode for a in content.accounting.tables.values()} == {"rows"}


# ------------------------------------------------------------------------------------------------ provider behaviour


def test_server_without_json_schema_gets_json_mode(fake: FakeLLM, tmp_path: Path) -> None:
    fake.json_schema = False
    data, content = llm_run("chinook/postgres.sql", 10, fake, tmp_path, llm_concurrency=1)
    formats = [e["body"]["response_format"]["type"] for e in fake.log]
    assert formats[0] == "json_schema" and set(formats[1:]) == {"json_object"}
    assert content.stats["cells_llm"] > 0 and content.stats["cells_fallback"] == 0
    assert any("JSON mode" in n for n in content.notes)
    assert_rules_hold(data)


def test_unknown_model_is_one_clear_error(tmp_path: Path) -> None:
    with FakeLLM(models={"good-model"}) as server, pytest.raises(LLMError) as info:
        llm_run("chinook/postgres.sql", 5, server, tmp_path, model="no-such-model")
    message = str(info.value)
    assert "'no-such-model'" in message and "404" in message and "does not exist" in message
    assert "\n" not in message


def test_rejected_key_is_an_error_without_the_key(fake: FakeLLM, tmp_path: Path) -> None:
    fake.fault = "echo_key"
    secret = "sk-test-0123456789abcdefSECRET"
    settings = resolve_settings(file={"retry_base_delay": 0.01},
                                flags={"llm_base_url": fake.base_url, "cache_dir": str(tmp_path)},
                                env={"OPENAI_API_KEY": secret})
    schema = api.read_schema(schema_path("chinook/postgres.sql"))
    with pytest.raises(LLMError, match="rejected the API key") as info:
        api.generate(schema, api.build_plan(schema, 5), seed=1, content=LLMContent(settings, seed=1))
    assert secret not in str(info.value) and secret[:12] not in str(info.value)
    assert fake.log[0]["authorization"] == f"Bearer {secret}"  # the key was sent, and only there


def test_call_budget_finishes_locally_and_says_so(fake: FakeLLM, tmp_path: Path) -> None:
    data, content = llm_run("chinook/postgres.sql", 30, fake, tmp_path, max_llm_calls=3, rows_per_call=10)
    assert fake.calls == 3 and content.stats["llm_calls"] == 3
    assert content.stats["llm_budget_exhausted"] == 1 and content.stats["cells_fallback"] > 0
    assert any("budget" in n for n in content.notes)
    assert all(td.row_count == data.plan.rows(td.table.name) for td in data.tables)


def test_token_budget_stops_calls(fake: FakeLLM, tmp_path: Path) -> None:
    _, content = llm_run("chinook/postgres.sql", 30, fake, tmp_path, max_llm_tokens=1, rows_per_call=10)
    # the first wave (the first batches of the first generation's tables) is sent before any tokens are counted;
    # after it nothing: a full run makes 30 calls (10 tables x 3 batches)
    assert 0 < fake.calls <= 20 and content.stats["llm_calls"] == fake.calls
    assert content.stats["llm_budget_exhausted"] == 1


def test_public_api_llm_content(fake: FakeLLM, tmp_path: Path) -> None:
    schema = api.read_schema(schema_path("chinook/postgres.sql"))
    content = api.llm_content(seed=3, llm_base_url=fake.base_url, cache_dir=str(tmp_path), llm_mode="pools",
                              describe="a record shop")
    data = api.generate(schema, api.build_plan(schema, 20), seed=3, content=content)
    assert data.stats["llm_calls"] == fake.calls > 0 and data.stats["cells_llm"] > 0
    assert data.stats["llm:artist:calls"] == 1 and "llm:artist:ms" in data.stats
    assert "a record shop" in fake.prompts()[0]
    assert content.report_lines()[0].split()[:3] == ["table", "mode", "calls"]  # type: ignore[attr-defined]


def test_azure_openai_endpoint(fake: FakeLLM, tmp_path: Path) -> None:
    endpoint = fake.base_url.removesuffix("/v1")
    settings = resolve_settings(file={"retry_base_delay": 0.01},
                                flags={"model": "my-deploy", "cache_dir": str(tmp_path)},
                                env={"AZURE_OPENAI_ENDPOINT": endpoint, "AZURE_OPENAI_API_KEY": "az-key-123"})
    schema = api.read_schema(schema_path("chinook/postgres.sql"))
    content = LLMContent(settings, seed=1)
    api.generate(schema, api.build_plan(schema, 5), seed=1, content=content)
    assert fake.calls > 0 and content.stats["cells_llm"] > 0
    first = fake.log[0]
    assert first["path"].startswith("/openai/deployments/my-deploy/chat/completions?api-version=")
    assert first["authorization"] == "az-key-123"
