"""Secrets never leave the process: a planted database password and API key are searched for in everything a run
writes (stdout, stderr, output files, the LLM response cache, anything under HOME, the XDG folders and TMPDIR).

Every run is a real ``python -m seeder`` subprocess whose HOME, XDG_CACHE_HOME, XDG_CONFIG_HOME, TMPDIR and working
directory are fresh folders, so every file it could write is found by walking them. ``OPENAI_API_KEY`` holds the
planted key in every run (also the database ones); URLs carry the planted password of the ``seeder_pw`` role
(``tests.engines.PW_ROLE_PASSWORD``, which needs percent-encoding) or a wrong one. Runs that succeed and runs that
fail are both checked. A fake OpenAI-compatible server stands in for the model: it records the Authorization header
(proving the key was planted where seeder reads it) and, in one mode, echoes the key in its error message, as
api.openai.com does for a wrong key.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import quote, quote_plus

import pytest

from tests.engines import PW_ROLE_PASSWORD, REPO_ROOT, PgServer, free_port, pg_query, run_psql, serve_http
from tests.test_loader import PG_DDL

API_KEY = "sk-planted-7Hq2Zx9Lm4Pw8Rt1Vy6Nb3Kc5Dj0Fg"
WRONG_PASSWORD = "Wr0ng:pl@nted/pw?x%"
SHOP = REPO_ROOT / "examples" / "shop.sql"


def secret_forms(secret: str) -> list[str]:
    """The secret as written and as a URL would carry it (percent-encoded, form-encoded)."""
    return sorted({secret, quote(secret, safe=""), quote_plus(secret)})


SECRETS = [*secret_forms(API_KEY), API_KEY[3:-3], *secret_forms(PW_ROLE_PASSWORD), *secret_forms(WRONG_PASSWORD)]


@dataclass
class Run:
    """One finished seeder run: exit code, output streams, and every file under its folders."""

    code: int
    stdout: str
    stderr: str
    files: dict[Path, bytes] = field(default_factory=dict)

    def leaks(self) -> list[str]:
        found = []
        for secret in SECRETS:
            if secret in self.stdout:
                found.append(f"stdout has {secret!r}")
            if secret in self.stderr:
                found.append(f"stderr has {secret!r}")
            needle = secret.encode("utf-8")
            found += [f"{path} has {secret!r}" for path, data in self.files.items() if needle in data]
        return found


@pytest.fixture
def seeder(tmp_path: Path) -> Any:
    """``seeder(*args) -> Run``: run ``python -m seeder`` with private HOME/XDG/TMPDIR/cwd folders."""
    folders = {name: tmp_path / name for name in ("work", "home", "cache", "config", "tmp")}
    for folder in folders.values():
        folder.mkdir()
    env = {k: v for k, v in os.environ.items()
           if "OPENAI" not in k and not k.startswith(("AZURE", "PG", "MYSQL"))}
    env.update({"HOME": str(folders["home"]), "XDG_CACHE_HOME": str(folders["cache"]),
                "XDG_CONFIG_HOME": str(folders["config"]), "TMPDIR": str(folders["tmp"]),
                "PYTHONPATH": str(REPO_ROOT), "OPENAI_API_KEY": API_KEY})

    def run(*args: str | Path) -> Run:
        proc = subprocess.run([sys.executable, "-m", "seeder", *map(str, args)], cwd=folders["work"], env=env,
                              capture_output=True, text=True, timeout=300, check=False)
        files = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
        return Run(proc.returncode, proc.stdout, proc.stderr, files)

    run.work = folders["work"]  # type: ignore[attr-defined]
    return run


def test_the_leak_check_finds_a_planted_secret(tmp_path: Path) -> None:
    run = Run(0, f"url postgresql://u:{quote(PW_ROLE_PASSWORD, safe='')}@h/db", "",
              {tmp_path / "f": f"key={API_KEY}".encode()})
    assert len(run.leaks()) == 3  # the key, its middle, the percent-encoded password


# ------------------------------------------------------------------------------------------------ databases


@pytest.fixture
def pw_database(pg_url: str, pg_server: PgServer) -> Iterator[tuple[str, str]]:
    """(URL with the right password, URL with a wrong one) for ``seeder_pw`` on a database with author/book."""
    run_psql(pg_url, PG_DDL + """
        GRANT SELECT, INSERT, UPDATE ON author, book TO seeder_pw;
        GRANT USAGE, SELECT, UPDATE ON SEQUENCE author_id_seq, book_id_seq TO seeder_pw;""")
    name = pg_url.rsplit("/", 1)[1]
    yield pg_server.password_url(name), pg_server.password_url(name, password=WRONG_PASSWORD)


def test_database_runs_that_succeed_and_fail(seeder: Any, pw_database: tuple[str, str], pg_url: str,
                                             tmp_path: Path) -> None:
    right, wrong = pw_database
    ddl = tmp_path / "library.sql"
    ddl.write_text(PG_DDL, encoding="utf-8")
    load = ["load", ddl, "--dialect", "postgres", "--rows", "5", "--db"]
    runs = []
    for method in ("insert", "copy"):
        run_psql(pg_url, "TRUNCATE author, book;")
        ok = seeder(*load, right, "--method", method)
        assert ok.code == 0, ok.stderr
        assert "seeder_pw:***@" in ok.stdout and "connected to postgresql+psycopg://seeder_pw:***@" in ok.stderr
        assert pg_query(pg_url, "SELECT count(*) FROM book") == [(5,)]
        runs.append(ok)

    bad_login = seeder(*load, wrong)
    assert bad_login.code == 1 and "password authentication failed" in bad_login.stderr

    run_psql(pg_url, "TRUNCATE author, book; CREATE FUNCTION no() RETURNS trigger LANGUAGE plpgsql AS $$ "
                     "BEGIN RAISE EXCEPTION 'rejected % for %', NEW.title, current_user; END $$;\n"
                     "CREATE TRIGGER no BEFORE INSERT ON book FOR EACH ROW EXECUTE FUNCTION no();")
    bad_row = seeder(*load, right, "--method", "copy")
    assert bad_row.code == 1 and "rejected" in bad_row.stderr and "seeder_pw:***@" in bad_row.stderr

    nowhere = right.replace(right.rsplit("@", 1)[1].split("/", 1)[0], f"127.0.0.1:{free_port()}")
    unreachable = seeder(*load, nowhere)
    assert unreachable.code == 1 and "no server answers there" in unreachable.stderr

    for run in (*runs, bad_login, bad_row, unreachable):
        assert run.leaks() == []


def test_unparseable_url_with_a_password(seeder: Any) -> None:
    run = seeder("load", SHOP, "--db", f"postgresql://u:{quote(PW_ROLE_PASSWORD, safe='')}@host:port/db")
    assert run.code == 1 and run.stderr.startswith("Error: cannot parse the database URL")
    assert run.leaks() == []


# ------------------------------------------------------------------------------------------------ the LLM path




class FakeModel(BaseHTTPRequestHandler):
    """OpenAI-compatible chat completions. ``mode`` ``ok``: 200 with an empty ``rows`` answer (seeder repairs or
    falls back, and may cache it); ``echo``: 401 whose message repeats the key it was sent."""

    mode: ClassVar[str] = "ok"
    authorizations: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        size = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(size) or b"{}")
        auth = self.headers.get("authorization", "")
        FakeModel.authorizations.append(auth)
        if FakeModel.mode == "echo":
            status = 401
            payload: dict[str, Any] = {"error": {"message": f"Incorrect API key provided: {auth.split(' ')[-1]}.",
                                                 "type": "invalid_request_error", "code": "invalid_api_key"}}
        else:
            status = 200
            payload = {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body.get("model"),
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": json.dumps({"rows": []})}}],
                       "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}}
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def fake_model() -> Iterator[str]:
    FakeModel.authorizations = []
    FakeModel.mode = "ok"
    with serve_http(FakeModel) as url:
        yield url


def test_llm_runs_that_succeed_and_fail(seeder: Any, fake_model: str) -> None:
    common = ["--llm", "--llm-base-url", fake_model, "--model", "fake-model", "--rows", "3", "--llm-timeout", "5",
              "--max-llm-calls", "4"]
    ok = seeder("generate", SHOP, *common, "-o", "out.sql")
    assert ok.code == 0, ok.stderr
    assert (seeder.work / "out.sql").is_file()
    assert FakeModel.authorizations and FakeModel.authorizations[0] == f"Bearer {API_KEY}"  # the plant took
    assert any(".seeder-cache" in path.parts for path in ok.files)  # the response cache is among what is searched
    cached = seeder("generate", SHOP, *common, "--format", "jsonl", "-o", "out.jsonl")  # reads the cache, if any
    assert cached.code == 0, cached.stderr
    estimate = seeder("plan", SHOP, *common)
    assert estimate.code == 0, estimate.stderr

    FakeModel.mode = "echo"
    rejected = seeder("generate", SHOP, *common, "--no-cache", "-o", "fail.sql")
    assert rejected.code == 1 and rejected.stderr.count("Error:") == 1, rejected.stderr
    assert not (seeder.work / "fail.sql").exists()

    for run in (ok, cached, estimate, rejected):
        assert run.leaks() == []
