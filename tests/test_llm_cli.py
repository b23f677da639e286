"""The LLM options of the command line, against the fake server: errors, secrecy, cache reruns, estimates, config."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from seeder.cli import cli
from tests.engines import free_port, run_psql, schema_path, sqlite_fk_check, sqlite_query
from tests.llm_server import FakeLLM

#: Variables that would point seeder at a real provider; cleared for every invocation.
NO_PROVIDER = {"OPENAI_API_KEY": None, "OPENAI_BASE_URL": None, "AZURE_OPENAI_ENDPOINT": None,
               "AZURE_OPENAI_API_KEY": None, "OPENAI_API_VERSION": None}
SECRET = "sk-proj-PLANTED-0123456789-abcdefghijklmnop"


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    with FakeLLM() as server:
        yield server


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every command in the test's tmp directory (the default cache folder is relative to the cwd)."""
    monkeypatch.chdir(tmp_path)


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env={**NO_PROVIDER, **(env or {})}, catch_exceptions=False)


def test_llm_without_key_fails_before_any_work() -> None:
    result = run("generate", "does-not-exist.sql", "--llm")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: --llm needs an API key")
    assert "OPENAI_API_KEY" in lines[0]
    result = run("load", "does-not-exist.sql", "--db", "sqlite:///x.db", "--llm")
    assert result.exit_code == 1 and "needs an API key" in result.stderr


def test_without_llm_no_model_is_called(fake: FakeLLM, tmp_path: Path) -> None:
    result = run("generate", str(schema_path("chinook/postgres.sql")), "--rows", "3", "--llm-base-url", fake.base_url)
    assert result.exit_code == 0 and fake.calls == 0 and "LLM usage" not in result.stderr


def test_planted_key_never_appears_in_output_cache_or_logs(fake: FakeLLM, tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    out = tmp_path / "out.sql"
    cache = tmp_path / "cache"
    result = run("generate", str(schema_path("chinook/postgres.sql")), "--rows", "12", "--llm", "--llm-base-url",
                 fake.base_url, "--cache-dir", str(cache), "-o", str(out), env={"OPENAI_API_KEY": SECRET})
    assert result.exit_code == 0, result.output
    assert fake.calls > 0 and all(e["authorization"] == f"Bearer {SECRET}" for e in fake.log)
    assert "LLM usage:" in result.stderr
    texts = [result.output, out.read_text(encoding="utf-8"), caplog.text]
    texts += [p.read_text(encoding="utf-8") for p in cache.rglob("*") if p.is_file()]
    assert len(texts) > 5
    for text in texts:
        assert SECRET not in text and SECRET[:12] not in text

    fake.fault = "echo_key"  # the server repeats the key in its error message
    result = run("generate", str(schema_path("chinook/postgres.sql")), "--rows", "12", "--llm", "--llm-base-url",
                 fake.base_url, "--no-cache", env={"OPENAI_API_KEY": SECRET})
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the server at 127.0.0.1 rejected the API key from OPENAI_API_KEY")
    assert SECRET not in result.output and SECRET[:12] not in result.output and SECRET not in caplog.text


def test_unknown_model_is_one_line(tmp_path: Path) -> None:
    with FakeLLM(models={"real-model"}) as server:
        result = run("generate", str(schema_path("chinook/postgres.sql")), "--rows", "3", "--llm", "--model", "nope",
                     "--llm-base-url", server.base_url, "--no-cache")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "model 'nope' was rejected by the server at 127.0.0.1 (HTTP 404)" in result.stderr


def test_unreachable_server_is_one_line() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    result = run("generate", str(schema_path("chinook/postgres.sql")), "--rows", "3", "--llm", "--llm-base-url", url,
                 "--no-cache")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: cannot reach 127.0.0.1") and "running?" in result.stderr


def test_pagila_rerun_makes_no_calls_and_identical_bytes_and_loads(fake: FakeLLM, tmp_path: Path,
                                                                   pg_url: str) -> None:
    args = ["generate", str(schema_path("pagila/postgres.sql")), "--llm", "--rows", "50", "--llm-base-url",
            fake.base_url]
    first = run(*args, "-o", "first.sql")
    assert first.exit_code == 0, first.output
    calls = fake.calls
    assert calls > 0
    second = run(*args, "-o", "second.sql")
    assert second.exit_code == 0 and fake.calls == calls
    assert (tmp_path / ".seeder-cache" / "llm").is_dir()  # the default cache folder, in the working directory
    assert (tmp_path / "first.sql").read_bytes() == (tmp_path / "second.sql").read_bytes()
    total = next(line for line in second.stderr.splitlines() if line.strip().startswith("total")).split()
    assert total[1:3] == ["0", str(calls - 1)]  # calls, cache hits (the plan review's one call is not content)
    run_psql(pg_url, schema_path("pagila/postgres.sql"), single_transaction=True)
    run_psql(pg_url, tmp_path / "first.sql")


def test_load_with_llm_into_sqlite(fake: FakeLLM, tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    result = run("load", str(schema_path("chinook/sqlite.sql")), "--db", f"sqlite:///{db}", "--create-schema",
                 "--rows", "15", "--llm", "--llm-base-url", fake.base_url, "--rows-per-call", "5",
                 "--llm-concurrency", "4", "--cache-dir", str(tmp_path / "cache"))
    assert result.exit_code == 0, result.output
    assert "Loaded" in result.stdout and "LLM usage:" in result.stderr
    assert sqlite_fk_check(db) == []
    names = [r[0] for r in sqlite_query(db, "SELECT Name FROM Artist ORDER BY ArtistId")]
    assert len(names) == 15 and all(n is None or n.startswith("Name ") for n in names)  # nullable: a few NULLs
    assert sum(n is not None for n in names) >= 10


def test_plan_llm_estimates_calls_without_a_key() -> None:
    chinook = str(schema_path("chinook/postgres.sql"))
    pools = run("plan", chinook, "--rows", "1000", "--llm", "--llm-mode", "pools")
    assert pools.exit_code == 0, pools.output
    total = pools.stdout.strip().splitlines()[-1].split()
    assert total[0] == "total" and 5 <= int(total[1]) <= 11  # one call per table with content columns
    rows = run("plan", chinook, "--rows", "1000", "--llm", "--llm-mode", "rows", "--rows-per-call", "25")
    per_table = [line.split() for line in rows.stdout.splitlines() if line.split()[:2] == ["artist", "rows"]]
    assert per_table and per_table[0][2] == "40"  # 1000 rows / 25 per call
    in_tokens = int(rows.stdout.strip().splitlines()[-1].split()[2])
    assert in_tokens > 10 * int(total[2])  # rows mode reads far more than pools mode
    as_json = run("plan", chinook, "--rows", "10", "--llm", "--json")
    assert '"llm_estimate"' in as_json.stdout


def test_config_section_enables_llm_with_description_and_hints(fake: FakeLLM, tmp_path: Path) -> None:
    (tmp_path / "seeder.toml").write_text(f"""
describe = "An online music store selling tracks from many genres"

[llm]
base_url = "{fake.base_url}"
rows_per_call = 50
cache_dir = "{tmp_path / 'cache'}"

[columns."genre.name"]
hint = "a real music genre, e.g. Jazz"
""", encoding="utf-8")
    chinook = str(schema_path("chinook/postgres.sql"))
    result = run("generate", chinook, "--rows", "4", "--config", str(tmp_path / "seeder.toml"), "-o",
                 str(tmp_path / "o.sql"))
    assert result.exit_code == 0, result.output
    assert fake.calls > 0
    genre_prompt = next(p for p in fake.prompts() if "table genre" in p)
    assert "What the database is about: An online music store" in genre_prompt
    assert "- name: a real music genre, e.g. Jazz" in genre_prompt
    calls = fake.calls
    result = run("generate", chinook, "--rows", "4", "--config", str(tmp_path / "seeder.toml"), "--no-llm")
    assert result.exit_code == 0 and fake.calls == calls
