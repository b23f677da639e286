"""LLM generation benchmark against the fake OpenAI-compatible server (tests/llm_server.py). No key, no network.

Prints (never asserts) three things:

1. Concurrency: the same rows-mode run of chinook with ``--llm-concurrency 1`` and ``8`` against a server that takes
   300 ms per call; wall times and the speedup (target: at least 6x).
2. Cost per 1,000 rows for each mode (rows, pools, auto): calls, input and output tokens.
3. Pools mode at 100 and 100,000 rows per table of chinook: the number of calls (must not grow with rows).

Run: ``python benchmarks/bench_llm.py`` (about 3 minutes; ``--quick`` for smaller sizes, ``--skip-100k`` to skip
part 3's large run).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from seeder import api
from seeder.llm.config import resolve_settings
from seeder.llm.content import LLMContent
from tests.engines import schema_path
from tests.llm_server import FakeLLM, fake_llm_process, settings_for

SCHEMA = "chinook/postgres.sql"


def run(server: FakeLLM, rows: int, **flags: Any) -> dict[str, Any]:
    """One generation with a fresh cache; returns wall time, calls, tokens and rows."""
    schema = api.read_schema(schema_path(SCHEMA))
    plan = api.build_plan(schema, rows)
    with tempfile.TemporaryDirectory() as cache:
        content = LLMContent(settings_for(server, Path(cache), **flags), seed=1)
        before = server.calls
        started = time.perf_counter()
        data = api.generate(schema, plan, seed=1, content=content)
        seconds = time.perf_counter() - started
    stats = content.stats
    return {"seconds": seconds, "calls": server.calls - before, "in": stats["llm_input_tokens"],
            "out": stats["llm_output_tokens"], "rows": sum(td.row_count for td in data.tables)}


def timed_run(url: str, rows: int, **flags: Any) -> tuple[float, int]:
    """One rows-mode generation against the server at ``url`` with a fresh cache: (seconds, calls)."""
    schema = api.read_schema(schema_path(SCHEMA))
    plan = api.build_plan(schema, rows)
    with tempfile.TemporaryDirectory() as cache:
        settings = resolve_settings(flags={"llm_base_url": url, "cache_dir": cache, **flags}, env={})
        content = LLMContent(settings, seed=1)
        started = time.perf_counter()
        api.generate(schema, plan, seed=1, content=content)
        return time.perf_counter() - started, content.stats["llm_calls"]


def concurrency(rows: int) -> None:
    print(f"\n1. Concurrency: chinook, {rows} rows per table, rows mode, 10 rows per call, 300 ms per call "
          f"(server in a child process)")
    seconds = {}
    with fake_llm_process(latency=0.3) as url:
        for level in (1, 8):
            seconds[level], calls = timed_run(url, rows, llm_mode="rows", rows_per_call=10, llm_concurrency=level)
            print(f"   concurrency {level}: {seconds[level]:6.1f} s  {calls} calls  "
                  f"(ideal: {calls * 0.3 / level:.1f} s)")
    print(f"   speedup of concurrency 8 over sequential: {seconds[1] / seconds[8]:.1f}x (target >= 6x; tables of one "
          f"topological generation run together, generations one after another)")


def per_mode(rows: int) -> None:
    print(f"\n2. Cost per 1,000 rows: chinook, {rows} rows per table (auto: rows mode up to 200 rows per table)")
    print(f"   {'mode':<6} {'rows':>7} {'calls':>6} {'calls/1k':>9} {'in tok/1k':>10} {'out tok/1k':>11}")
    with FakeLLM() as server:
        for mode in ("rows", "pools", "auto"):
            r = run(server, rows, llm_mode=mode)
            k = r["rows"] / 1000
            print(f"   {mode:<6} {r['rows']:>7} {r['calls']:>6} {r['calls'] / k:>9.1f} {r['in'] / k:>10.0f} "
                  f"{r['out'] / k:>11.0f}")


def pools_scaling(big: int) -> None:
    print("\n3. Pools mode: calls do not grow with rows (chinook)")
    with FakeLLM() as server:
        small = run(server, 100, llm_mode="pools")
        large = run(server, big, llm_mode="pools")
    for label, r in (("100", small), (f"{big:,}", large)):
        print(f"   {label:>8} rows per table: {r['rows']:>9,} rows, {r['calls']} calls, {r['in'] + r['out']} tokens, "
              f"{r['seconds']:.1f} s")
    print(f"   calls at {big:,} rows / calls at 100 rows: {large['calls'] / max(small['calls'], 1):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description="LLM generation benchmark (fake server, no key).")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (about 40 s)")
    parser.add_argument("--skip-100k", action="store_true", help="skip the 100,000-row pools run")
    args = parser.parse_args()
    concurrency(60 if args.quick else 200)
    per_mode(300 if args.quick else 1000)
    if not args.skip_100k:
        pools_scaling(10_000 if args.quick else 100_000)


if __name__ == "__main__":
    main()
