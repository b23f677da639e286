"""Issue #12, the outer half: progress events and display, COPY as PostgreSQL's default load method, the producer
thread, ``--bulk`` (drop and re-create indexes and constraints), on real SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from seeder import api
from seeder.cli import cli
from seeder.errors import ConfigError, LoadError
from seeder.loaders.prefetch import prefetch
from seeder.progress import ProgressEvent, TerminalProgress, Tracker, for_terminal
from tests.engines import pg_query, run_psql

SHOP = Path(__file__).resolve().parent.parent / "examples" / "shop.sql"


def _shop(rows: int = 30) -> api.Dataset:
    schema = api.read_schema(SHOP)
    return api.generate(schema, api.build_plan(schema, rows), seed=3)


# ------------------------------------------------------------------------------------------------------ progress


def test_generate_and_load_send_progress_events(tmp_path: Path) -> None:
    schema = api.read_schema(SHOP)
    plan = api.build_plan(schema, 40)
    events: list[ProgressEvent] = []
    data = api.generate(schema, plan, seed=1, progress=events.append)
    generated = {e.table: e for e in events if e.phase == "generate" and e.finished}
    assert set(generated) == {str(td.table.name) for td in data.tables}
    for td in data.tables:
        event = generated[str(td.table.name)]
        assert event.done == td.row_count
        assert event.total == plan.rows(td.table.name)

    events.clear()
    db = tmp_path / "shop.db"
    report = api.load(data, f"sqlite:///{db}", create_schema=SHOP.read_text(), progress=events.append)
    loaded = [e for e in events if e.phase == "load"]
    finals = {e.table: e.done for e in loaded if e.finished}
    assert finals == {t: n for t, n in report.tables.items() if n}
    # cumulative per table: never decreasing, starting at 0
    for table in finals:
        dones = [e.done for e in loaded if e.table == table]
        assert dones[0] == 0 and dones == sorted(dones)
    with sqlite3.connect(db) as conn:
        assert conn.execute('SELECT count(*) FROM "order_item"').fetchone()[0] == finals["order_item"]


def test_tracker_rates_eta_and_summary() -> None:
    now = [0.0]
    tracker = Tracker(clock=lambda: now[0])
    tracker(ProgressEvent("load", "film", 0, 1000))
    now[0] = 2.0
    tracker(ProgressEvent("load", "film", 500, 1000))
    assert tracker.rate("load", "film") == pytest.approx(250.0)
    assert tracker.eta("load", "film") == pytest.approx(2.0)
    now[0] = 4.0
    tracker(ProgressEvent("load", "film", 1000, 1000, finished=True))
    now[0] = 5.0  # the next table's work starts when film's ended
    tracker(ProgressEvent("load", "actor", 100, None, finished=True))
    assert tracker.rate("load", "actor") == pytest.approx(100.0)
    assert tracker.eta("load", "actor") is None
    summary = "\n".join(tracker.summary())
    assert "film" in summary and "1,000 rows" in summary
    assert "1,100 rows in 5.00s, 220 rows/s" in summary


def test_terminal_display_draws_and_summarises() -> None:
    out = io.StringIO()
    display = TerminalProgress(out, force_terminal=True)
    display(ProgressEvent("generate", "film", 0, 10))
    display(ProgressEvent("generate", "film", 10, 10, finished=True))
    display.echo("film: 10 rows")
    display.close()
    text = out.getvalue()
    assert "film: 10 rows" in text
    assert "generate:" in text and "10 rows in" in text and "rows/s" in text


def test_no_display_without_a_terminal_or_with_quiet() -> None:
    assert for_terminal(False, io.StringIO()) is None  # not a terminal

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert isinstance(for_terminal(False, Tty()), TerminalProgress)
    assert for_terminal(True, Tty()) is None


def test_cli_output_without_a_terminal_is_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    args = ["load", str(SHOP), "--db", f"sqlite:///{db}", "--create-schema", "--rows", "5"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "rows/s" not in result.output and "━" not in result.output
    assert result.output.splitlines()[-1].startswith("Loaded ")
    db.unlink()
    quiet = CliRunner().invoke(cli, [*args, "--quiet"])
    assert quiet.exit_code == 0, quiet.output
    def untimed(text: str) -> str:
        return re.sub(r"\d+\.\d+s", "<t>", text)

    assert untimed(quiet.output) == untimed(result.output)
    generated = CliRunner().invoke(cli, ["generate", str(SHOP), "--rows", "3", "-q"])
    assert generated.exit_code == 0 and "INSERT INTO" in generated.output


# ------------------------------------------------------------------------------------------------------ prefetch


def test_prefetch_keeps_order_and_raises_where_the_stream_did() -> None:
    assert list(prefetch(iter(range(100)), depth=2)) == list(range(100))

    def broken() -> object:
        yield 1
        yield 2
        raise ValueError("rendering failed")

    got = []
    with pytest.raises(ValueError, match="rendering failed"):
        for item in prefetch(broken()):
            got.append(item)
    assert got == [1, 2]


def test_prefetch_runs_ahead_in_another_thread_and_stops_when_abandoned() -> None:
    seen: list[str] = []

    def produce() -> object:
        for i in range(1000):
            seen.append(threading.current_thread().name)
            yield i

    stream = prefetch(produce(), depth=3)
    assert next(stream) == 0
    stream.close()
    assert set(seen) == {"seeder-prefetch"}
    assert len(seen) < 10  # bounded: it never ran far ahead


# ------------------------------------------------------------------------------------------------ load methods


def test_auto_method_is_copy_for_postgres_through_psycopg_only() -> None:
    assert api.load_method("postgresql://u@h/db") == "copy"
    assert api.load_method("postgresql+psycopg://u@h/db") == "copy"
    assert api.load_method("postgresql+psycopg2://u@h/db") == "insert"
    assert api.load_method("sqlite:///x.db") == "insert"
    assert api.load_method("mysql+pymysql://u@h/db") == "insert"
    assert api.load_method("postgresql://u@h/db", "insert") == "insert"


def test_bulk_is_postgres_only(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PostgreSQL only"):
        api.check_load(f"sqlite:///{tmp_path / 'x.db'}", bulk=True)
    result = CliRunner().invoke(cli, ["load", str(SHOP), "--db", f"sqlite:///{tmp_path / 'y.db'}",
                                      "--create-schema", "--bulk"])
    assert result.exit_code == 1 and "PostgreSQL only" in result.output


def _pg_shop() -> str:
    """The shop schema as PostgreSQL DDL (examples/shop.sql is written for SQLite)."""
    return api.render_ddl(api.read_schema(SHOP), "postgres").text


def _definitions(url: str) -> list[tuple[str, ...]]:
    return pg_query(url, """
        SELECT 'c', conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE connamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'i', indrelid::regclass::text, indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
        WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)
        ORDER BY 1, 2, 3""")


@pytest.mark.postgres
def test_default_load_into_postgres_is_copy_and_holds_every_constraint(pg_url: str) -> None:
    data = _shop(50)
    messages: list[str] = []
    report = api.load(data, pg_url, create_schema=api.render_ddl(data.schema, "postgres"), echo=messages.append)
    assert report.tables["order_item"] == data.table_data(
        next(td.table.name for td in data.tables if td.table.name.name == "order_item")).row_count
    assert pg_query(pg_url, 'SELECT count(*) FROM "order_item"')[0][0] == report.tables["order_item"]
    # the COPY path's own progress line names COPY blocks only when one fails; prove the path by the method
    assert api.load_method(pg_url) == "copy"


@pytest.mark.postgres
def test_bulk_drops_and_recreates_the_same_definitions(pg_url: str) -> None:
    run_psql(pg_url, _pg_shop())
    run_psql(pg_url, 'CREATE INDEX review_rating_idx ON review (rating);')
    before = _definitions(pg_url)
    assert any(kind == "c" and "FOREIGN KEY" in d for kind, _, _, d in before)
    messages: list[str] = []
    report = api.load(_shop(60), pg_url, bulk=True, echo=messages.append)
    assert sum(report.tables.values()) > 300
    # every constraint and index is back under its name; definitions equal except the text of CHECKs, which
    # PostgreSQL deparses anew (an equivalent expression, as after a pg_dump restore)
    after = _definitions(pg_url)
    assert [row[:3] for row in after] == [row[:3] for row in before]
    assert [r for r in after if "CHECK" not in r[3]] == [r for r in before if "CHECK" not in r[3]]
    with pytest.raises(Exception, match="order_status_check"):
        run_psql(pg_url, "UPDATE \"order\" SET status = 'lost' WHERE order_id = (SELECT min(order_id) FROM \"order\");")
    dropped = next(m for m in messages if m.startswith("bulk: dropped"))
    assert "indexes" in dropped and any(m.startswith("bulk: re-created") for m in messages)
    orphans = pg_query(pg_url, 'SELECT count(*) FROM order_item i LEFT JOIN "order" o ON o.order_id = i.order_id '
                               'WHERE o.order_id IS NULL')
    assert orphans[0][0] == 0


@pytest.mark.postgres
def test_bulk_failure_at_the_end_rolls_everything_back(pg_url: str, tmp_path: Path) -> None:
    # The database has a UNIQUE constraint the DDL seeder reads does not: only the re-creation can find the repeats.
    run_psql(pg_url, "CREATE TABLE flags (id integer PRIMARY KEY, flag boolean NOT NULL, "
                     "CONSTRAINT flags_flag_key UNIQUE (flag));")
    source = tmp_path / "flags.sql"
    source.write_text("CREATE TABLE flags (id integer PRIMARY KEY, flag boolean NOT NULL);\n")
    schema = api.read_schema(source)
    data = api.generate(schema, api.build_plan(schema, 20), seed=0)
    before = _definitions(pg_url)
    with pytest.raises(LoadError, match="flags_flag_key"):
        api.load(data, pg_url, bulk=True, regenerate=False)
    assert pg_query(pg_url, "SELECT count(*) FROM flags")[0][0] == 0
    assert _definitions(pg_url) == before


@pytest.mark.postgres
def test_cli_bulk_load(pg_url: str) -> None:
    run_psql(pg_url, _pg_shop())
    before = _definitions(pg_url)
    result = CliRunner().invoke(cli, ["load", str(SHOP), "--db", pg_url, "--rows", "25", "--bulk"])
    assert result.exit_code == 0, result.output
    assert "bulk: re-created" in result.output
    assert [row[:3] for row in _definitions(pg_url)] == [row[:3] for row in before]
    assert pg_query(pg_url, "SELECT count(*) FROM customer")[0][0] == 25


# ------------------------------------------------------------------------------------------------------ rebatch


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 9), max_size=4), max_size=4), st.integers(1, 5))
def test_rebatch_cuts_at_table_row_multiples(sizes: list[list[int]], rows: int) -> None:
    from seeder.dataset import TableData, rebatch

    schema = api.read_schema(SHOP)
    tables = list(schema.tables)[: len(sizes)]
    chunks, expected = [], []
    for table, cuts in zip(tables, sizes, strict=True):
        values = list(range(sum(cuts)))
        start = 0
        for cut in cuts or [0]:
            chunks.append(TableData(table, ("x",), (values[start:start + cut],)))
            start += cut
        expected.append((table.name, values))
    pieces = list(rebatch(chunks, rows))
    for name, values in expected:
        mine = [p for p in pieces if p.table.name == name]
        got = [v for p in mine for v in p.values[0]]
        assert got == values
        lengths = [p.row_count for p in mine]
        if values:
            assert all(n == rows for n in lengths[:-1]) and 0 < lengths[-1] <= rows


def test_writing_reports_each_chunk(tmp_path: Path) -> None:
    data = _shop(20)
    events: list[ProgressEvent] = []
    api.write_dataset(data, tmp_path / "out.sql", "sql", dialect="sqlite", progress=events.append)
    finals = {e.table: e.done for e in events if e.phase == "write" and e.finished}
    assert finals == {str(td.table.name): td.row_count for td in data.tables}
    plain = tmp_path / "plain.sql"
    api.write_dataset(data, plain, "sql", dialect="sqlite")
    assert plain.read_bytes() == (tmp_path / "out.sql").read_bytes()


def test_llm_calls_are_reported(tmp_path: Path) -> None:
    from tests.llm_server import FakeLLM

    schema = api.read_schema(SHOP)
    plan = api.build_plan(schema, 4)
    events: list[ProgressEvent] = []
    with FakeLLM() as server:
        content = api.llm_content(seed=1, llm_base_url=server.base_url, model="fake", cache_dir=str(tmp_path),
                                  llm_mode="rows")
        api.generate(schema, plan, seed=1, content=content, progress=events.append)
        calls = len(server.log)
    llm = [e for e in events if e.phase == "llm"]
    assert calls > 0 and len(llm) == calls
    per_table: dict[str, int] = {}
    for e in llm:
        per_table[e.table] = per_table.get(e.table, 0) + 1
        assert e.done == per_table[e.table]


# ------------------------------------------------------------------------------------------- savepoint windows


def _numbers(tmp_path: Path, rows: int) -> api.Dataset:
    source = tmp_path / "numbers.sql"
    source.write_text("CREATE TABLE numbers (id integer PRIMARY KEY, v integer NOT NULL);\n")
    schema = api.read_schema(source)
    return api.generate(schema, api.build_plan(schema, rows), seed=0)


def test_a_refused_batch_deep_in_a_savepoint_window_is_named_and_nothing_stays(tmp_path: Path) -> None:
    # 3,000 rows = 6 INSERT batches of 500 in one window: the 6th fails on a rule seeder cannot read.
    data = _numbers(tmp_path, 3000)
    db = tmp_path / "n.db"
    with sqlite3.connect(db) as conn:
        conn.executescript("CREATE TABLE numbers (id integer PRIMARY KEY, v integer NOT NULL);"
                           "CREATE TRIGGER no_2600 BEFORE INSERT ON numbers WHEN NEW.id = 2600 "
                           "BEGIN SELECT RAISE(ABORT, 'row 2600 refused'); END;")
    with pytest.raises(LoadError, match=r"table numbers, row 2600 of 3000 .*row 2600 refused"):
        api.load(data, f"sqlite:///{db}", regenerate=False)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM numbers").fetchone()[0] == 0
        conn.execute("DROP TRIGGER no_2600")
    report = api.load(data, f"sqlite:///{db}", regenerate=False)
    assert report.tables["numbers"] == 3000


@pytest.mark.postgres
def test_a_refused_copy_block_after_others_in_its_window_rolls_back_cleanly(pg_url: str, tmp_path: Path) -> None:
    data = _numbers(tmp_path, 30000)  # three COPY blocks of 10,000 rows, the third refused
    run_psql(pg_url, "CREATE TABLE numbers (id integer PRIMARY KEY, v integer NOT NULL, CHECK (id <> 25000));")
    with pytest.raises(LoadError, match=r"table numbers, row 25000 of 30000"):
        api.load(data, pg_url, regenerate=False)
    assert pg_query(pg_url, "SELECT count(*) FROM numbers")[0][0] == 0
    run_psql(pg_url, "ALTER TABLE numbers DROP CONSTRAINT numbers_id_check;")
    assert api.load(data, pg_url).tables["numbers"] == 30000
    assert pg_query(pg_url, "SELECT count(*), count(DISTINCT id) FROM numbers")[0] == (30000, 30000)
