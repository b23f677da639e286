"""Seeding a live database in place: how long introspection, reading existing rows and appending take.

Usage::

    python benchmarks/bench_live.py URL [--rows N] [--runs K]

``URL`` is a database that already has its schema (e.g. pagila created from ``../shared/schemas/pagila``). The
script introspects it (twice; the second read is the one reported), opens the existing rows (row counts of every
table), then runs ``load`` K times in a row with N rows per table, each appending to what the runs before it left,
and prints one line per step: seconds, tables, rows. It writes into the database: use a throw-away one.
"""

from __future__ import annotations

import argparse
import time

from seeder import api


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()

    api.read_source(args.url)
    start = time.perf_counter()
    src = api.read_source(args.url)
    print(f"introspect: {time.perf_counter() - start:.2f}s, {len(src.schema.tables)} tables")
    for run in range(1, args.runs + 1):
        start = time.perf_counter()
        with api.existing_rows(args.url, src.schema) as existing:
            counted = time.perf_counter() - start
            plan = api.build_plan(src.schema, args.rows, existing=existing)
            data = api.generate(src.schema, plan, seed=run, existing=existing)
        generated = time.perf_counter() - start
        report = api.load(data, args.url)
        total = time.perf_counter() - start
        held = sum(plan.tables[n].existing for n in plan.order)  # partitions count with their parent
        print(f"run {run}: {held} rows there; counted in {counted:.2f}s, generated {sum(report.tables.values())} "
              f"rows in {generated - counted:.2f}s, loaded in {report.seconds:.2f}s, {total:.2f}s in all; "
              f"{len(report.regenerated)} rows regenerated")


if __name__ == "__main__":
    main()
