"""Throughput of local generation and SQL rendering on real schemas.

Prints rows/s for generation and for rendering the INSERT script, per schema and row count, and the ratio against a
row-by-row baseline that calls Faker once per cell (the approach seeder's column-wise engine replaces). Figures only:
no assertion, no pass/fail (performance targets are read here, never enforced in tests).

    python benchmarks/bench_generate.py [--rows 10000] [--schemas chinook/postgres.sql,pagila/postgres.sql]
"""

from __future__ import annotations

import argparse
import io
import time
import tracemalloc
from pathlib import Path

from faker import Faker

from seeder import api

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = Path(__import__("os").environ.get("SEEDER_SCHEMAS", ROOT.parent / "shared" / "schemas"))


def naive_baseline(rows: int) -> float:
    """Rows/s of a row-by-row loop calling Faker per cell, for a 5-column customer-like table."""
    fake = Faker()
    Faker.seed(1)
    start = time.perf_counter()
    out = []
    for i in range(rows):
        out.append((i + 1, fake.first_name(), fake.last_name(), fake.email(), fake.date_time()))
    return rows / (time.perf_counter() - start)


def measure(relative: str, rows: int) -> dict[str, float]:
    schema = api.read_schema(SCHEMAS / relative)
    plan = api.build_plan(schema, rows)
    tracemalloc.start()
    t0 = time.perf_counter()
    data = api.generate(schema, plan, seed=1)
    gen = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    total = sum(td.row_count for td in data.tables)
    buf = io.StringIO()
    t0 = time.perf_counter()
    api.write_sql(data, buf, schema.dialect)
    render = time.perf_counter() - t0
    return {"rows": total, "generate": total / gen, "render": total / render,
            "end_to_end": total / (gen + render), "peak_mb": peak / 2**20, "mb_out": len(buf.getvalue()) / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="rows per table (default 10,000)")
    parser.add_argument("--schemas", default="chinook/postgres.sql,pagila/postgres.sql,sakila/mysql.sql")
    args = parser.parse_args()
    base = naive_baseline(min(args.rows, 5_000))
    print(f"baseline (Faker per cell, row by row): {base:,.0f} rows/s")
    print(f"{'schema':<28}{'rows':>10}{'generate/s':>13}{'render/s':>12}{'end-to-end/s':>14}{'x baseline':>12}"
          f"{'peak MB':>9}{'SQL MB':>8}")
    for rel in args.schemas.split(","):
        m = measure(rel, args.rows)
        print(f"{rel:<28}{m['rows']:>10,.0f}{m['generate']:>13,.0f}{m['render']:>12,.0f}{m['end_to_end']:>14,.0f}"
              f"{m['end_to_end'] / base:>12.1f}{m['peak_mb']:>9.0f}{m['mb_out']:>8.1f}")


if __name__ == "__main__":
    main()
