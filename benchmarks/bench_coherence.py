"""What the cross-table rules (issue #13: fan-out, agreement, existence, copies, times after the parent, periods,
aggregates) cost in generation time: the same plan generated with its rules, and with its cross-table rules
switched off (every other rule kept), per schema and row count. Figures only, no assertion.

    python benchmarks/bench_coherence.py [--rows 20000] [--schemas examples/shop.sql,pagila/postgres.sql]

Measured on the 2-core session machine while other jobs ran (load average about 5, so +-30% between runs),
``--rows 20000``, seed 1 (2026-12-02):

========================  ==========  ===============  ============  ========
schema                    rows made   rules off (s)    rules on (s)  updates
========================  ==========  ===============  ============  ========
examples/shop.sql             160050             5.8           4.4        0
pagila/postgres.sql           260186             3.6           4.2        0
chinook/postgres.sql          240090             2.5           3.4        1
========================  ==========  ===============  ============  ========

The shop is faster with its rules: order lines take their (order, product) pairs from the fan-out allocation instead
of sampling distinct pairs of the whole product space. Chinook pays for 5 copied billing columns and the invoice
totals (about 1 s per 100,000 copied or summed rows here).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import time
from pathlib import Path

from seeder import api
from seeder.plan.rules import RuleSet

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = Path(os.environ.get("SEEDER_SCHEMAS", ROOT.parent / "shared" / "schemas"))
CROSS_TABLE = ("fanout", "agree", "exists", "copy", "aggregate", "after", "periods")


def measure(path: Path, rows: int) -> tuple[int, float, float, int]:
    schema = api.read_schema(path)
    plan = api.build_plan(schema, rows)
    plain = dataclasses.replace(plan, rules=RuleSet(tuple(r for r in plan.rules if r.kind not in CROSS_TABLE)))
    timings = []
    made = updates = 0
    for p in (plain, plan):
        start = time.perf_counter()
        data = api.generate(schema, p, seed=1)
        timings.append(time.perf_counter() - start)
        made, updates = sum(td.row_count for td in data.tables), len(data.updates)
    return made, timings[0], timings[1], updates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--schemas", default="examples/shop.sql,pagila/postgres.sql,chinook/postgres.sql")
    args = parser.parse_args()
    print(f"{'schema':<26}{'rows made':>10}{'rules off (s)':>15}{'rules on (s)':>14}{'updates':>9}")
    for relative in args.schemas.split(","):
        path = ROOT / relative if relative.startswith("examples/") else SCHEMAS / relative
        made, off, on, updates = measure(path, args.rows)
        print(f"{relative:<26}{made:>10}{off:>15.1f}{on:>14.1f}{updates:>9}")


if __name__ == "__main__":
    main()
