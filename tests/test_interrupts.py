"""Ctrl-C: generation and loads stop promptly, roll back, exit 130 and print one ``Error:`` line.

The SIGINT tests run ``python -m seeder`` as a real subprocess and send the signal at a known moment: a load is
interrupted while the server runs its INSERT/COPY into a table whose row trigger sleeps a millisecond per row (so
the statement is surely in flight), generation right after the schema was read (seeder prints a note then). The
database is compared before and after (row counts, sequences, triggers, NOT NULL flags), and an interrupted
``generate -o FILE`` must leave no file, no temporary file, and an existing FILE untouched.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import seeder.loaders.copy as copy_loader_mod
import seeder.sinks.copy
import seeder.sinks.csv
import seeder.sinks.jsonl
import seeder.sinks.sql
from seeder import api
from seeder.cli import cli
from seeder.errors import Interrupted
from seeder.loaders.copy import load as copy_load
from tests.engines import REPO_ROOT, run_psql
from tests.test_loader import PG_DDL, make_dataset, pg_setup, pg_state
from tests.test_safety_load import SLOW_TRIGGER, active_backend

#: A schema with no dialect clue: seeder says "Note: could not tell the dialect" right after reading it.
PLAIN_DDL = """
CREATE TABLE author (id int PRIMARY KEY, name varchar(50) NOT NULL);
CREATE TABLE book (id int PRIMARY KEY, author_id int REFERENCES author (id), title text NOT NULL, price numeric(8,2));
"""


class Seeder:
    """``python -m seeder ARGS`` in a subprocess; stderr is collected line by line as it arrives."""

    def __init__(self, *args: str | Path, cwd: Path | None = None) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1"}
        # A background job may inherit SIGINT as ignored, and Python then never raises KeyboardInterrupt: give the
        # child the default disposition a terminal's foreground process has.
        self.proc = subprocess.Popen([sys.executable, "-m", "seeder", *map(str, args)], cwd=cwd or REPO_ROOT,
                                     env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.lines: list[str] = []
        self.out: list[str] = []
        self._readers = [threading.Thread(target=self._read, args=(self.proc.stderr, self.lines), daemon=True),
                         threading.Thread(target=self._read, args=(self.proc.stdout, self.out), daemon=True)]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: Any, into: list[str]) -> None:
        for line in stream:
            into.append(line)

    def wait_for(self, text: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"never printed {text!r}; stderr so far: {''.join(self.lines)!r}")
            time.sleep(0.02)

    def interrupt(self, timeout: float = 30.0) -> tuple[int, str, str, float]:
        """SIGINT; returns exit code, stdout, stderr and the seconds it took to exit."""
        start = time.monotonic()
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=timeout)
        elapsed = time.monotonic() - start
        for reader in self._readers:
            reader.join(timeout=5)
        return self.proc.returncode, "".join(self.out), "".join(self.lines), elapsed


def assert_one_error_line(stderr: str, message: str) -> None:
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {message}"], stderr
    assert stderr.splitlines()[-1] == errors[0]


# ------------------------------------------------------------------------------------------------ SIGINT, load


@pytest.mark.parametrize("method, statement", [("insert", 'INSERT INTO "book"'), ("copy", 'COPY "book"')])
def test_sigint_during_load_rolls_back_and_exits_130(pg_url: str, tmp_path: Path, method: str,
                                                     statement: str) -> None:
    # Existing rows and sequences far above the 3000 generated keys; a slow row trigger on book.
    run_psql(pg_url, PG_DDL + SLOW_TRIGGER + """
        INSERT INTO author VALUES (100000, 'existing');
        INSERT INTO book VALUES (100000, 100000, 'existing', 1, NULL);
        SELECT setval('author_id_seq', 100000), setval('book_id_seq', 100000);
    """)
    before = pg_state(pg_url)
    ddl = tmp_path / "library.sql"
    ddl.write_text(PG_DDL, encoding="utf-8")
    run = Seeder("load", ddl, "--dialect", "postgres", "--db", pg_url, "--rows", "3000", "--method", method)
    run.wait_for("connected to")
    try:  # until the book statement runs on the server (3000 rows x 1 ms)
        active_backend(pg_url, statement)
    except AssertionError:
        run.proc.kill()
        raise AssertionError(f"stderr: {''.join(run.lines)}") from None
    code, out, err, seconds = run.interrupt()
    assert code == 130 and out == ""
    assert_one_error_line(err, "load interrupted; the transaction was rolled back, nothing was written")
    assert seconds < 2.5, f"took {seconds:.1f}s to stop"  # the statement was cancelled, not waited for
    assert pg_state(pg_url) == before


# ------------------------------------------------------------------------------------------------ SIGINT, generate


@pytest.mark.parametrize("existing", [False, True])
def test_sigint_during_generation_writes_nothing(tmp_path: Path, existing: bool) -> None:
    ddl = tmp_path / "library.sql"
    ddl.write_text(PLAIN_DDL, encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "data.sql"
    if existing:
        target.write_text("-- the previous run\n", encoding="utf-8")
    run = Seeder("generate", ddl, "--rows", "500000", "-o", target)
    run.wait_for("Note: could not tell the dialect")
    time.sleep(0.3)
    code, out, err, seconds = run.interrupt()
    assert code == 130 and out == ""
    # a streamed run generates while it writes: the interrupt may come while the output file is being written
    assert_one_error_line(err, "interrupted; nothing was written" if "written to" not in err
                          else f"interrupted; nothing was written to {target}")
    assert seconds < 5
    assert [p.name for p in out_dir.iterdir()] == (["data.sql"] if existing else [])
    if existing:
        assert target.read_text(encoding="utf-8") == "-- the previous run\n"


# ------------------------------------------------------------------------------------------------ in process


def run_cli(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("fmt", ["sql", "copy", "jsonl"])
def test_ctrl_c_while_writing_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     fmt: str) -> None:
    ddl = tmp_path / "library.sql"
    ddl.write_text(PLAIN_DDL, encoding="utf-8")
    target = tmp_path / "out" / "data.txt"

    def half_then_ctrl_c(data: Any, out: Any, *args: Any, **kwargs: Any) -> None:
        out.write("-- half a script\nINSERT INTO")
        raise KeyboardInterrupt

    # The sinks write into the stream the API opened on a temporary file; the API must clean up after them.
    monkeypatch.setattr(seeder.sinks.sql, "write_sql", half_then_ctrl_c)
    monkeypatch.setattr(seeder.sinks.jsonl, "write_jsonl", half_then_ctrl_c)
    monkeypatch.setattr(seeder.sinks.copy, "write_copy", half_then_ctrl_c)
    code, out, err = run_cli("generate", ddl, "--dialect", "postgres", "--rows", "5", "--format", fmt, "-o", target)
    assert (code, out) == (130, "")
    assert err == f"Error: interrupted; nothing was written to {target}\n"
    assert list(target.parent.iterdir()) == []  # neither the file nor a temporary one


def test_ctrl_c_while_writing_csv_leaves_the_folder_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ddl = tmp_path / "library.sql"
    ddl.write_text(PLAIN_DDL, encoding="utf-8")
    real = seeder.sinks.csv.write_csv

    def first_file_then_ctrl_c(data: Any, directory: Any) -> list[Path]:
        real(data, directory)
        raise KeyboardInterrupt

    monkeypatch.setattr(seeder.sinks.csv, "write_csv", first_file_then_ctrl_c)
    target = tmp_path / "csv"
    code, _, err = run_cli("generate", ddl, "--dialect", "postgres", "--rows", "5", "--format", "csv", "-o", target)
    assert code == 130 and err == f"Error: interrupted; nothing was written to {target}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.sql"]


def test_successful_writes_replace_the_file_and_leave_no_temporary_file(tmp_path: Path) -> None:
    ddl = tmp_path / "library.sql"
    ddl.write_text(PLAIN_DDL, encoding="utf-8")
    target = tmp_path / "data.sql"
    target.write_text("old", encoding="utf-8")
    code, _, err = run_cli("generate", ddl, "--dialect", "postgres", "--rows", "5", "-o", target)
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("-- Generated by seeder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.sql", "library.sql"]
    code, _, err = run_cli("generate", ddl, "--dialect", "postgres", "--rows", "5", "--format", "csv", "-o",
                           tmp_path / "csv")
    assert code == 0, err
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == ["author.csv", "book.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv", "data.sql", "library.sql"]


def ctrl_c_after_first_block(real: Any) -> Any:
    def statements(*args: Any, **kwargs: Any) -> Iterator[Any]:
        seen = 0
        for stmt in real(*args, **kwargs):
            if stmt.kind == "insert":
                seen += 1
                if seen == 2:
                    raise KeyboardInterrupt
            yield stmt
    return statements


def test_ctrl_c_in_the_copy_loader_rolls_back(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pg_setup(pg_url)
    before = pg_state(pg_url)
    monkeypatch.setattr(copy_loader_mod, "iter_copy_statements",
                        ctrl_c_after_first_block(copy_loader_mod.iter_copy_statements))
    with pytest.raises(Interrupted, match="rolled back, nothing was written"):
        copy_load(make_dataset(), pg_url)
    assert pg_state(pg_url) == before


def test_ctrl_c_in_cli_load_is_one_line_and_130(pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pg_setup(pg_url)
    before = pg_state(pg_url)
    ddl = tmp_path / "library.sql"
    ddl.write_text(PG_DDL, encoding="utf-8")
    monkeypatch.setattr(copy_loader_mod, "iter_copy_statements",
                        ctrl_c_after_first_block(copy_loader_mod.iter_copy_statements))
    code, out, err = run_cli("load", ddl, "--dialect", "postgres", "--db", pg_url, "--rows", "5", "--method", "copy")
    assert (code, out) == (130, "")
    assert err.splitlines()[-1] == "Error: load interrupted; the transaction was rolled back, nothing was written"
    assert sum(line.startswith("Error:") for line in err.splitlines()) == 1
    assert pg_state(pg_url) == before


def test_ctrl_c_during_generation_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ddl = tmp_path / "library.sql"
    ddl.write_text(PLAIN_DDL, encoding="utf-8")

    def ctrl_c(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "generate", ctrl_c)
    target = tmp_path / "data.sql"
    code, out, err = run_cli("generate", ddl, "--dialect", "postgres", "-o", target)
    assert (code, out, err) == (130, "", "Error: interrupted; nothing was written\n")
    assert not target.exists()
