"""Peak memory of a streamed run: 1M and 10M rows of a 10-column table written to CSV files.

The table (issue #12): bigint PK, text, unique email, int, numeric(10,2), timestamptz, boolean, text, uuid, and an FK
to a parent table of one tenth as many rows. Each size runs in its own process (peak RSS is per process: VmHWM from
/proc/self/status, else ``ru_maxrss``), generating with ``chunk_rows`` and writing every piece as it comes: through
``seeder.api.write_dataset`` (``--sink api``, flat only when that sink consumes ``Dataset.stream()``) or the CSV sink's
own column formatters applied piece by piece (``--sink pieces``, the default: the engine's memory alone).

    python benchmarks/bench_memory.py                      # 1M and 10M rows, prints the table and the ratio
    python benchmarks/bench_memory.py --rows 200000 --jobs 2

Target (issue #12): peak RSS at 10M rows at most 1.3x the peak at 1M rows, and under 1 GB.
``measure(rows, ...)`` returns one row of figures for other benchmark scripts (bench_scale.py).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DDL = """
CREATE TABLE parent (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE item (
  id bigint PRIMARY KEY,
  title text NOT NULL,
  email text NOT NULL UNIQUE,
  quantity integer NOT NULL,
  price numeric(10,2) NOT NULL,
  created_at timestamptz NOT NULL,
  active boolean NOT NULL,
  note text,
  token uuid NOT NULL,
  parent_id bigint NOT NULL REFERENCES parent(id)
);
"""


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (VmHWM; ``ru_maxrss`` where /proc is missing)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _write_pieces(data: Any, folder: Path) -> int:
    """Write every piece of ``data.stream()`` as CSV rows (the CSV sink's formatters), one file per table."""
    from seeder.sinks.csv import column_formatter, csv_field, value_text

    files: dict[str, Any] = {}
    rows = 0
    try:
        for piece in data.stream():
            name = str(piece.table.name)
            if name not in files:
                files[name] = (folder / f"{name}.csv").open("w", encoding="utf-8", newline="")
                files[name].write(",".join(piece.columns) + "\n")
            by_name = {c.name: c for c in piece.table.columns}
            formats = [column_formatter(by_name[c].type) if c in by_name else value_text for c in piece.columns]
            cols = [[csv_field(fmt(v)) for v in values] for fmt, values in zip(formats, piece.values, strict=True)]
            files[name].writelines(",".join(row) + "\n" for row in zip(*cols, strict=True))
            rows += piece.row_count
    finally:
        for f in files.values():
            f.close()
    return rows


def child(rows: int, sink: str, jobs: int, chunk_rows: int, folder: Path) -> dict[str, Any]:
    """Generate and write ``rows`` item rows in this process; the figures as a dict."""
    from seeder import api

    start = time.perf_counter()
    ddl = folder / "schema.sql"
    ddl.write_text(DDL)
    schema = api.read_source(ddl).schema
    plan = api.build_plan(schema, rows, {"item": rows, "parent": max(rows // 10, 1)})
    data = api.generate(schema, plan, seed=1, chunk_rows=chunk_rows, jobs=jobs)
    if sink == "api":
        api.write_dataset(data, folder / "csv", "csv")
        written = data.stats.get("rows", 0)
    else:
        written = _write_pieces(data, folder)
    seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in folder.rglob("*.csv"))
    return {"rows": rows, "written": written, "seconds": round(seconds, 1), "rows_per_s": round(written / seconds),
            "peak_rss_mb": round(peak_rss_mb(), 1), "csv_mb": round(size / 2**20, 1), "jobs": jobs, "sink": sink}


def measure(rows: int, *, sink: str = "pieces", jobs: int = 1, chunk_rows: int = 50_000) -> dict[str, Any]:
    """Run :func:`child` for ``rows`` in a fresh process (so its peak RSS is its own); the figures as a dict."""
    with tempfile.TemporaryDirectory(prefix="seeder-bench-mem-") as tmp:
        out = subprocess.run([sys.executable, __file__, "--child", str(rows), "--sink", sink, "--jobs", str(jobs),
                              "--chunk-rows", str(chunk_rows), "--folder", tmp],
                             check=True, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--sink", choices=["pieces", "api"], default="pieces")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--chunk-rows", type=int, default=50_000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.sink, args.jobs, args.chunk_rows, Path(args.folder))))
        return
    results = []
    print(f"{'rows':>11} {'seconds':>8} {'rows/s':>8} {'peak RSS MB':>12} {'CSV MB':>8}  (sink {args.sink}, "
          f"jobs {args.jobs}, chunk rows {args.chunk_rows})")
    for rows in args.rows:
        r = measure(rows, sink=args.sink, jobs=args.jobs, chunk_rows=args.chunk_rows)
        results.append(r)
        print(f"{r['rows']:>11,} {r['seconds']:>8} {r['rows_per_s']:>8,} {r['peak_rss_mb']:>12} {r['csv_mb']:>8}",
              flush=True)
    if len(results) > 1:
        ratio = results[-1]["peak_rss_mb"] / results[0]["peak_rss_mb"]
        print(f"peak RSS {results[-1]['rows']:,} / {results[0]['rows']:,} rows: {ratio:.2f}x (target <= 1.3x, "
              f"and < 1024 MB)")


if __name__ == "__main__":
    main()
