"""From a sentence to a database: ``seeder design``, ``generate --describe`` without SOURCE and ``.txt`` sources,
against the fake OpenAI-compatible server (valid designs, designs repaired on the second answer, designs that never
become valid), loaded into real PostgreSQL and SQLite."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from seeder.cli import cli
from seeder.design.draft import draft_from_document
from tests.engines import pg_query, run_psql, sqlite_fk_check, sqlite_query, sqlite_script
from tests.llm_server import G7, SENTENCE, SENTENCE_DESIGN, FakeLLM

NO_PROVIDER = {"OPENAI_API_KEY": None, "OPENAI_BASE_URL": None, "AZURE_OPENAI_ENDPOINT": None}


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    with FakeLLM() as server:
        yield server


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # the response cache folder is relative to the working directory


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env={**NO_PROVIDER, **(env or {})}, catch_exceptions=False)


def broken(**change: Any) -> dict[str, Any]:
    """The sentence's design with one table's foreign key pointing at a table that does not exist."""
    design = copy.deepcopy(SENTENCE_DESIGN)
    design["tables"][1]["foreign_keys"][0]["references"] = change.get("references", "clients")
    return design


def problems_sent_back(fake: FakeLLM) -> list[str]:
    last = fake.prompts()[-1]
    block = last.split("```json\n", 1)[1].split("\n```", 1)[0]
    return json.loads(block)["problems"]


def test_the_sentence_loads_into_sqlite_and_its_data_satisfies_it(fake: FakeLLM, tmp_path: Path) -> None:
    ddl = tmp_path / "schema.sql"
    result = run("design", SENTENCE, "--to", "sqlite", "-o", str(ddl), "--llm-base-url", fake.base_url)
    assert result.exit_code == 0, result.output
    assert "Rule: CHECK rule_customers_1 on customers.country (verified per row)" in result.stderr
    assert "Rule: context on customers.last_login (prompt only, not verified)" in result.stderr
    db = tmp_path / "shop.db"
    sqlite_script(db, ddl.read_text(encoding="utf-8"))
    data = tmp_path / "data.sql"
    result = run("generate", "--describe", SENTENCE, "--to", "sqlite", "--rows", "30", "-o", str(data),
                 "--llm-base-url", fake.base_url)
    assert result.exit_code == 0, result.output
    sqlite_script(db, data.read_text(encoding="utf-8"))
    assert sqlite_fk_check(db) == []
    countries = {r[0] for r in sqlite_query(db, "SELECT DISTINCT country FROM customers")}
    assert countries and countries <= set(G7)
    emails = sqlite_query(db, "SELECT count(*), count(DISTINCT email) FROM customers")[0]
    assert emails[0] == 30 and emails[0] == emails[1]
    lines = sqlite_query(db, "SELECT min(line_no), max(line_no), min(quantity), count(*) FROM order_lines")[0]
    assert lines[0] >= 1 and lines[1] <= 5 and lines[2] > 0 and lines[3] > 0
    assert fake.calls == 1  # the second command found the design in the response cache


def test_the_sentence_loads_into_postgres_in_one_command(fake: FakeLLM, pg_url: str, tmp_path: Path) -> None:
    ddl = tmp_path / "schema.sql"
    assert run("design", SENTENCE, "-o", str(ddl), "--llm-base-url", fake.base_url).exit_code == 0
    text = ddl.read_text(encoding="utf-8")
    assert "COMMENT ON COLUMN" in text and "Rule: the last login is in the past 90 days" in text
    result = run("load", "--describe", SENTENCE, "--db", pg_url, "--create-schema", "--rows", "25",
                 "--llm-base-url", fake.base_url)
    assert result.exit_code == 0, result.output
    assert pg_query(pg_url, "SELECT count(*) FROM customers")[0][0] == 25
    bad = pg_query(pg_url, f"SELECT count(*) FROM customers WHERE country NOT IN ({', '.join(repr(c) for c in G7)})")
    assert bad[0][0] == 0
    # the designed DDL itself runs on PostgreSQL too (on a second schema, as psql would run it)
    run_psql(pg_url, "CREATE SCHEMA copy; SET search_path TO copy;\n" + text, single_transaction=True)


def test_plan_shows_which_rules_are_checks_and_which_are_context(fake: FakeLLM) -> None:
    result = run("plan", "--describe", SENTENCE, "--llm-base-url", fake.base_url, "--json")
    assert result.exit_code == 0, result.output
    rules = json.loads(result.stdout)["source"]["rules"]
    kept = {r["text"]: r["kept_as"] for r in rules}
    assert kept["the country is a G7 country"] == "CHECK (verified per row)"
    assert kept["an order has at most 5 lines"] == "CHECK (verified per row)"
    assert kept["every order has at least one line"] == "context (prompt only)"
    text = run("plan", "--describe", SENTENCE, "--llm-base-url", fake.base_url).stdout
    assert "Rules from the description:" in text and "context on orders (prompt only" in text


def test_a_design_with_errors_is_repaired_on_the_second_answer(fake: FakeLLM, tmp_path: Path) -> None:
    fake.designs = [broken(), SENTENCE_DESIGN]
    out = tmp_path / "schema.sql"
    result = run("design", SENTENCE, "-o", str(out), "--llm-base-url", fake.base_url, "--no-cache")
    assert result.exit_code == 0, result.output
    assert fake.calls == 2 and out.is_file()
    assert any("references table 'clients'" in p for p in problems_sent_back(fake))
    assert "sent back once" in result.stderr


@pytest.mark.parametrize("second", [
    broken(references="buyers"),
    {**copy.deepcopy(SENTENCE_DESIGN), "rules": [{"text": "recent", "table": "customers", "column": "last_login",
                                                   "check": "last_login > CURRENT_DATE - 90"}]},
])
def test_a_design_that_never_becomes_valid_is_one_error_and_nothing_is_written(fake: FakeLLM, tmp_path: Path,
                                                                               second: dict[str, Any]) -> None:
    fake.designs = [broken(), second]
    out = tmp_path / "schema.sql"
    result = run("design", SENTENCE, "-o", str(out), "--llm-base-url", fake.base_url, "--no-cache")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: the model's design is still invalid after 2 answers")
    assert "nothing was written" in lines[0]
    assert not out.exists() and list(tmp_path.glob("*.sql")) == []
    assert fake.calls == 2


def test_a_text_file_is_a_description(fake: FakeLLM, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(f"# Shop\n\n{SENTENCE}\n", encoding="utf-8")
    result = run("inspect", str(notes), env={"OPENAI_BASE_URL": fake.base_url})  # inspect has no LLM flags
    assert result.exit_code == 0, result.output
    assert "order_lines" in result.stdout and "FK (customer_id) -> customers(customer_id)" in result.stdout
    assert SENTENCE in fake.prompts()[0]


def test_a_text_file_holding_ddl_is_not_sent_to_a_model(fake: FakeLLM, tmp_path: Path) -> None:
    notes = tmp_path / "schema.txt"
    notes.write_text("-- exported\nCREATE TABLE t (id int PRIMARY KEY);\n", encoding="utf-8")
    result = run("plan", str(notes), "--llm-base-url", fake.base_url)
    assert result.exit_code == 1 and "this is DDL, not a description" in result.stderr and fake.calls == 0


def test_no_source_and_no_description_is_a_usage_error() -> None:
    result = run("generate")
    assert result.exit_code == 2 and "--describe" in result.output


def test_design_needs_a_key_for_a_remote_server(tmp_path: Path) -> None:
    result = run("design", SENTENCE, "-o", str(tmp_path / "x.sql"))
    assert result.exit_code == 1 and result.stderr.startswith("Error: --llm needs an API key")


@pytest.mark.parametrize(("change", "problem"), [
    (lambda d: d["tables"][0]["columns"][1].update(type="varchar(oops"), "is not a PostgreSQL type"),
    (lambda d: d["tables"][0].update(primary_key=[]), "has no primary key"),
    (lambda d: d["tables"][0].update(name="drop table x; --"), "is not a plain identifier"),
    (lambda d: d["rules"].append({"text": "t", "table": "orders", "column": None, "check": "nope >"}),
     "does not parse"),
    (lambda d: d["rules"].append({"text": "t", "table": "orders", "column": None, "check": "ghost > 1"}),
     "names ghost"),
    (lambda d: d["rules"].append({"text": "t", "table": "orders", "column": None, "check": "random() > 0.5"}),
     "depends on the clock or on chance"),
    (lambda d: d["tables"][2]["foreign_keys"][0].update(ref_columns=["placed_at"]), "must reference"),
])
def test_design_documents_are_not_trusted(change: Any, problem: str) -> None:
    design = copy.deepcopy(SENTENCE_DESIGN)
    change(design)
    draft = draft_from_document(design)
    assert draft.ddl == "" and any(problem in p for p in draft.problems), draft.problems


def test_an_unsatisfiable_check_is_found_by_the_trial_generation() -> None:
    from seeder.design.validate import validate_ddl

    design = copy.deepcopy(SENTENCE_DESIGN)
    design["rules"].append({"text": "t", "table": "order_lines", "column": None, "check": "quantity < 0"})
    draft = draft_from_document(design)
    assert draft.problems == []
    _, problems = validate_ddl(draft.ddl)
    assert problems and "cannot be generated" in problems[0]


def test_the_sentence_loads_into_mariadb(fake: FakeLLM, mysql_url: str) -> None:
    from tests.engines import mysql_query

    result = run("load", "--describe", SENTENCE, "--db", mysql_url, "--create-schema", "--rows", "20",
                 "--llm-base-url", fake.base_url)
    assert result.exit_code == 0, result.output
    assert mysql_query(mysql_url, "SELECT count(*), count(DISTINCT email) FROM customers")[0] == (20, 20)
    assert mysql_query(mysql_url, "SELECT max(line_no) FROM order_lines")[0][0] <= 5
