"""Issue #12's benchmark list, side by side in one run on the same machine: rows/s and ratios to the raw limits.

It starts its own PostgreSQL 15 (seeder.testing.servers: the local binaries, else a container) and measures, on the
issue's 10-column table (``benchmarks/scale_schema.sql``: bigint PK, text, unique email, int, numeric(10,2),
timestamptz, boolean, text, uuid, FK to a parent of one tenth as many rows):

* ``seeder load`` end to end (a new process: reading, planning, generating, loading), default (COPY, every
  constraint in place) and ``--bulk``, and ``api.load`` of a dataset generated beforehand (the load alone);
* the raw limits: COPY of a pre-rendered buffer into the constrained tables; COPY into bare tables, then adding
  PRIMARY KEY, UNIQUE and FOREIGN KEY (what ``--bulk`` is held against);
* a Faker-per-row generator (the usual hand-written seeding script), for the same columns;
* the SQL, COPY, CSV and Parquet sinks writing the generated rows to a file;
* peak RSS of ``seeder generate --format csv`` at two sizes (default 1M and 10M rows), each in its own process;
* pagila with ``--rows`` per table (default 100,000) loaded end to end;
* ``seeder generate`` with ``--jobs 2`` against ``--jobs 1`` (skipped, with a line saying so, when the CLI has no
  ``--jobs``).

    python benchmarks/bench_scale.py                       # the issue's sizes (1M rows; takes a while)
    python benchmarks/bench_scale.py --rows 100000 --rss-rows 100000,1000000 --pagila-rows 2000   # quick

Times are wall seconds on a shared machine: compare the ratios of one run, not absolute figures across runs.
Targets (issue #12): default load >= 0.9x the constrained-COPY limit; --bulk >= 0.5x the COPY-then-index limit;
SQL sink >= 250,000 rows/s, COPY and CSV sinks faster; peak RSS at 10M <= 1.3x the peak at 1M and under 1 GB.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from seeder import api  # noqa: E402
from seeder.testing.servers import PgServer, libpq_uri, start_postgres  # noqa: E402

SCHEMA = ROOT / "benchmarks" / "scale_schema.sql"
BARE = """
CREATE TABLE parent (id bigint, name text);
CREATE TABLE item (id bigint, title text, email text, quantity integer, price numeric(10,2), created_at timestamptz,
                   active boolean, note text, token uuid, parent_id bigint);
"""
INDEXES = """
ALTER TABLE parent ADD PRIMARY KEY (id), ALTER COLUMN name SET NOT NULL;
ALTER TABLE item ADD PRIMARY KEY (id), ADD UNIQUE (email),
    ALTER COLUMN title SET NOT NULL, ALTER COLUMN email SET NOT NULL, ALTER COLUMN quantity SET NOT NULL,
    ALTER COLUMN price SET NOT NULL, ALTER COLUMN created_at SET NOT NULL, ALTER COLUMN active SET NOT NULL,
    ALTER COLUMN token SET NOT NULL, ALTER COLUMN parent_id SET NOT NULL;
ALTER TABLE item ADD FOREIGN KEY (parent_id) REFERENCES parent (id);
"""


class Results:
    """Rows of the final table: ``(what, rows, wall seconds, CPU seconds of seeder's process or None, ratio)``.

    Ratios compare wall rates. The CPU column is what seeder's own process spent (the database server's work is not
    in it): on a shared machine it says what the code costs when the wall clock says what other processes took.
    """

    def __init__(self) -> None:
        self.rows: list[tuple[str, int, float, float | None, str]] = []

    def add(self, what: str, rows: int, seconds: float | tuple[float, float],
            against: tuple[str, float] | None = None) -> float:
        wall, cpu = seconds if isinstance(seconds, tuple) else (seconds, None)
        rate = rows / wall if wall > 0 else float("inf")
        ratio = f"{rate / against[1]:.2f}x {against[0]}" if against else ""
        self.rows.append((what, rows, wall, cpu, ratio))
        busy = f", CPU {cpu:.2f}s = {rows / cpu:,.0f} rows/s" if cpu else ""
        print(f"  {what}: {rows:,} rows in {wall:.2f}s = {rate:,.0f} rows/s{busy} {ratio}", flush=True)
        return rate

    def note(self, what: str) -> None:
        self.rows.append((what, 0, 0.0, None, ""))
        print(f"  {what}", flush=True)

    def print(self) -> None:
        print("\n| measurement | rows | wall s | rows/s | CPU s | rows/CPU s | ratio |")
        print("|---|---:|---:|---:|---:|---:|---|")
        for what, rows, wall, cpu, ratio in self.rows:
            if not rows:
                print(f"| {what} | | | | | | |")
                continue
            busy = f"{cpu:.2f} | {rows / cpu:,.0f}" if cpu else " | "
            print(f"| {what} | {rows:,} | {wall:.2f} | {rows / wall:,.0f} | {busy} | {ratio} |")


def _config(folder: Path, rows: int) -> Path:
    path = folder / "seeder.toml"
    path.write_text(f"[tables.parent]\nrows = {max(1, rows // 10)}\n\n[tables.item]\nrows = {rows}\n")
    return path


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _seeder(*args: str, cwd: Path | None = None) -> tuple[float, float]:
    """Run the seeder CLI in a new process; return its wall and CPU seconds (raises on a non-zero exit)."""
    start, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run([sys.executable, "-m", "seeder", *args], cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"seeder {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return seconds, _children_cpu() - cpu


def _psql(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(libpq_uri(url), autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _copy_buffers(data: api.Dataset) -> list[tuple[str, str]]:
    """``(COPY command, text buffer)`` per table, rendered by seeder's COPY sink once, before any timing."""
    from seeder.sinks.copy import iter_copy_statements

    buffers: dict[str, list[str]] = {}
    commands: dict[str, str] = {}
    for stmt in iter_copy_statements(data, "postgres", transaction=False):
        command = getattr(stmt, "command", "")
        if command:
            commands.setdefault(str(stmt.table), command)
            buffers.setdefault(str(stmt.table), []).append(stmt.data)
    return [(commands[t], "".join(parts)) for t, parts in buffers.items()]


def _raw_copy(url: str, buffers: list[tuple[str, str]]) -> float:
    import psycopg

    with psycopg.connect(libpq_uri(url)) as conn:
        start = time.perf_counter()
        with conn.cursor() as cur:
            for command, text in buffers:
                with cur.copy(command) as copy:
                    copy.write(text)
        conn.commit()
        return time.perf_counter() - start


def _raw_copy_then_index(url: str, buffers: list[tuple[str, str]]) -> float:
    import psycopg

    with psycopg.connect(libpq_uri(url)) as conn:
        start = time.perf_counter()
        with conn.cursor() as cur:
            for command, text in buffers:
                with cur.copy(command) as copy:
                    copy.write(text)
            cur.execute(INDEXES)  # type: ignore[arg-type]
        conn.commit()
        return time.perf_counter() - start


def _faker_rows(rows: int) -> tuple[float, float]:
    """The hand-written seeding script: one Faker call per cell, one tuple per row (nothing written)."""
    import uuid
    from decimal import Decimal

    from faker import Faker

    fake = Faker()
    Faker.seed(1)
    start, cpu = time.perf_counter(), time.process_time()
    out = []
    for i in range(rows):
        out.append((i + 1, fake.sentence(nb_words=4), f"{i}.{fake.user_name()}@{fake.free_email_domain()}",
                    fake.pyint(0, 1000), Decimal(fake.pydecimal(left_digits=6, right_digits=2, positive=True)),
                    fake.date_time_this_decade(tzinfo=None), fake.pybool(), fake.text(max_nb_chars=60),
                    uuid.UUID(fake.uuid4()), fake.pyint(1, max(1, rows // 10))))
    return time.perf_counter() - start, time.process_time() - cpu


def _sink_seconds(data: api.Dataset, fmt: str, folder: Path) -> tuple[float, float]:
    target = folder / f"out-{fmt}"
    if fmt in ("sql", "copy"):
        return _timed(lambda: api.write_dataset(data, target.with_suffix(".sql"), fmt, dialect="postgres"))
    return _timed(lambda: api.write_dataset(data, target, fmt))


def _peak_rss(rows: int, folder: Path) -> tuple[float, float]:
    """Peak RSS (MB) and wall seconds of ``seeder generate --format csv`` of ``rows`` item rows, in its own process."""
    own = folder / f"rss-config-{rows}"  # not the run's seeder.toml: the later parts use that one
    own.mkdir(exist_ok=True)
    config = _config(own, rows)
    script = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run([sys.executable, '-m', 'seeder', 'generate', sys.argv[1], '--config', sys.argv[2],\n"
        "                       '--format', 'csv', '-o', sys.argv[3]], capture_output=True, text=True)\n"
        "seconds = time.perf_counter() - start\n"
        "if done.returncode: sys.exit(done.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, seconds)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(SCHEMA), str(config), str(folder / f"rss-{rows}")],
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]) / 1024, float(out[1])  # ru_maxrss is in kilobytes on Linux


def _has_jobs() -> bool:
    done = subprocess.run([sys.executable, "-m", "seeder", "generate", "--help"], capture_output=True, text=True)
    return "--jobs" in done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="item rows (the parent gets one tenth)")
    parser.add_argument("--rss-rows", default="1000000,10000000", help="sizes for the peak-RSS runs")
    parser.add_argument("--pagila-rows", type=int, default=100_000, help="rows per table of pagila (0: skip)")
    parser.add_argument("--faker-rows", type=int, default=100_000, help="rows of the Faker-per-row generator")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: load,sinks,rss,pagila,jobs,faker")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    rows = args.rows
    total = rows + max(1, rows // 10)
    results = Results()
    print(f"seeder bench_scale: {rows:,} item rows + {max(1, rows // 10):,} parent rows, pid {os.getpid()}",
          flush=True)

    with tempfile.TemporaryDirectory(prefix="seeder-bench-") as tmp:
        folder = Path(tmp)
        config = _config(folder, rows)
        schema = api.read_schema(SCHEMA)
        plan = api.build_plan(schema, rows, {"parent": max(1, rows // 10), "item": rows})
        made: list[api.Dataset] = []
        seconds = _timed(lambda: made.append(api.generate(schema, plan, seed=1)))
        data = made[0]
        generated = sum(td.row_count for td in data.tables)
        results.add("generate (api.generate, whole tables)", generated, seconds)

        server: PgServer | None = None
        if "load" not in skip or "pagila" not in skip:
            server = start_postgres()
        try:
            if server is not None and "load" not in skip:
                _loads(server, data, total, config, folder, results)
            if server is not None and "pagila" not in skip and args.pagila_rows:
                _pagila(server, args.pagila_rows, results)
        finally:
            if server is not None:
                server.stop()

        if "sinks" not in skip:
            print("sinks:", flush=True)
            sql_rate = 0.0
            for fmt in ("sql", "copy", "csv", "parquet"):
                timing = _sink_seconds(data, fmt, folder)
                rate = results.add(f"{fmt} sink to a file", generated, timing,
                                   ("the SQL sink", sql_rate) if sql_rate else None)
                sql_rate = sql_rate or rate
        if "faker" not in skip:
            print("faker:", flush=True)
            n = min(args.faker_rows, rows)
            results.add("Faker-per-row generator (item columns, no output)", n, _faker_rows(n))
        if "rss" not in skip:
            print("peak RSS:", flush=True)
            peaks = []
            for size in (int(s) for s in args.rss_rows.split(",") if s):
                mb, seconds = _peak_rss(size, folder)
                peaks.append((size, mb))
                results.add(f"seeder generate --format csv, {size:,} rows: peak RSS {mb:,.0f} MB",
                            size + size // 10, seconds)
            if len(peaks) >= 2:
                (a, pa), (b, pb) = peaks[0], peaks[-1]
                results.note(f"peak RSS {b:,} rows / {a:,} rows = {pb / pa:.2f}x ({pb:,.0f} MB vs {pa:,.0f} MB)")
        if "jobs" not in skip:
            print("jobs:", flush=True)
            if not _has_jobs():
                results.note("--jobs 2 vs --jobs 1: skipped, this seeder has no --jobs")
            else:
                one = _seeder("generate", str(SCHEMA), "--config", str(config), "--format", "csv", "-o",
                              str(folder / "j1"), "--jobs", "1")
                rate1 = results.add("seeder generate --format csv --jobs 1", total, one)
                two = _seeder("generate", str(SCHEMA), "--config", str(config), "--format", "csv", "-o",
                              str(folder / "j2"), "--jobs", "2")
                results.add("seeder generate --format csv --jobs 2", total, two, ("--jobs 1", rate1))
    results.print()


def _loads(server: PgServer, data: api.Dataset, total: int, config: Path, folder: Path, results: Results) -> None:
    def fresh(ddl: str | None = None) -> str:
        url = server.url(server.create_database(prefix="bench"))
        if ddl != "":
            _psql(url, ddl if ddl is not None else SCHEMA.read_text())
        return url

    print("raw limits:", flush=True)
    buffers = _copy_buffers(data)
    limit = results.add("raw: COPY of a pre-rendered buffer, constraints in place", total, _raw_copy(fresh(), buffers))
    bare_limit = results.add("raw: COPY into bare tables, then PK/UNIQUE/FK", total,
                             _raw_copy_then_index(fresh(BARE), buffers))
    print("seeder:", flush=True)
    end_to_end = ["load", str(SCHEMA), "--config", str(config), "--seed", "1", "--dialect", "postgres"]
    # Into an empty database with --create-schema: nothing to read first, so generation streams and overlaps COPY.
    url = fresh("")  # each database is made before its clock starts
    results.add("seeder load --create-schema (end to end, COPY, constraints in place)", total,
                _seeder(*end_to_end, "--db", url, "--create-schema"), ("constrained COPY", limit))
    url = fresh("")
    results.add("seeder load --create-schema --bulk (end to end)", total,
                _seeder(*end_to_end, "--db", url, "--create-schema", "--bulk"), ("COPY-then-index", bare_limit))
    # Into existing tables: seeder reads what they hold first (new keys continue past it), generating whole tables.
    url = fresh()
    results.add("seeder load into existing tables (end to end, COPY)", total, _seeder(*end_to_end, "--db", url),
                ("constrained COPY", limit))
    url = fresh()
    results.add("api.load of generated rows (the load alone, COPY)", total, _timed(lambda: api.load(data, url)),
                ("constrained COPY", limit))
    url = fresh()
    results.add("api.load --bulk of generated rows (the load alone)", total,
                _timed(lambda: api.load(data, url, bulk=True)), ("COPY-then-index", bare_limit))
    url = fresh()
    results.add("api.load --method insert (the load alone)", total,
                _timed(lambda: api.load(data, url, method="insert")), ("constrained COPY", limit))


def _timed(action: Callable[[], Any]) -> tuple[float, float]:
    """Wall and CPU seconds of ``action()`` in this process."""
    start, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - start, time.process_time() - cpu


def _pagila(server: PgServer, rows: int, results: Results) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    schemas = Path(os.environ.get("SEEDER_SCHEMAS", ROOT.parent / "shared" / "schemas"))
    source = schemas / "pagila" / "postgres.sql"
    if not source.is_file():
        results.note(f"pagila: skipped, {source} is missing")
        return
    print("pagila:", flush=True)
    url = server.url(server.create_database(prefix="bench"))
    schema = api.read_schema(source)
    planned = sum(api.build_plan(schema, rows).rows(n) for n in api.build_plan(schema, rows).order)
    seconds = _seeder("load", str(source), "--db", url, "--create-schema", "--rows", str(rows), "--seed", "1")
    results.add(f"seeder load pagila --rows {rows:,} (end to end, {planned:,} rows)", planned, seconds)


if __name__ == "__main__":
    main()
