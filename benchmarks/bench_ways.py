"""CSV sources and profile-driven generation: how long inference and generation take, and how close the result is.

Writes chinook as CSV files (``--rows`` per table) with seeder itself, reads them back as a CSV source (schema
inference + profiles), generates the same number of rows from the profiles, and prints the times and the per-column
distances (median and worst, for categories/ordered columns and for string lengths), next to the distances of the
plain local generator. Figures only: no assertion.

    python benchmarks/bench_ways.py [--rows 1000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from seeder import api

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = Path(__import__("os").environ.get("SEEDER_SCHEMAS", ROOT.parent / "shared" / "schemas"))


def summary(rows: list, text: bool) -> str:
    values = [r.distance for r in rows if (r.what == "string lengths") == text]
    return f"{len(values)} columns, median {statistics.median(values):.3f}, worst {max(values):.3f}" if values else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    original = api.read_schema(SCHEMAS / "chinook" / "sqlite.sql")
    with tempfile.TemporaryDirectory() as tmp:
        data = api.generate(original, api.build_plan(original, args.rows), seed=1)
        api.write_csv(data, tmp)
        start = time.perf_counter()
        src = api.read_source(tmp)
        inferred = time.perf_counter() - start
    plan = api.build_plan(src.schema, args.rows)
    start = time.perf_counter()
    schema, content = api.content_for(src)
    like = api.generate(schema, plan, seed=2, content=content)
    generated = time.perf_counter() - start
    plain = api.generate(src.schema, plan, seed=2)
    total = sum(td.row_count for td in like.tables)
    print(f"chinook as CSV, {args.rows} rows per table ({total} rows)")
    print(f"  infer schema and profiles: {inferred:.2f}s; generate from profiles: {generated:.2f}s "
          f"({total / generated:,.0f} rows/s)")
    for name, dataset in (("profiles", like), ("local generator", plain)):
        rows = api.fidelity(dataset, src.profiles)
        print(f"  {name:>15}: categories/numbers/dates {summary(rows, False)}; string lengths {summary(rows, True)}")


if __name__ == "__main__":
    main()
