"""The pytest plugin's ``make()``: how long one call takes next to a seeded database.

Usage::

    python benchmarks/bench_make.py [--url URL] [--rows N] [--calls K]

Seeds ``examples/sqlalchemy_shop``'s models (``shop.models:Base``) with N rows per table into URL (default: a new
SQLite file in a temporary folder; a server URL must name an empty database), then, inside one transaction that is
rolled back (as a test's), times K calls each of ``make("order_item", 3, quantity=2)`` (existing orders and products
as parents), ``make("orders", 5)`` (existing customers) and ``make("orders", 3, customer=<a customer row>)`` (a pinned
foreign key), and prints the median and slowest call of each in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sqlalchemy_shop"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(EXAMPLE))
    from sqlalchemy import create_engine

    from seeder.testing.seeding import Maker, seed_database

    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        start = time.perf_counter()
        seeded = seed_database(url, "shop.models:Base", rows=args.rows)
        print(f"seeded {args.rows} rows per table in {time.perf_counter() - start:.2f}s")
        engine = create_engine(_driver(url))
        with engine.connect() as conn:
            trans = conn.begin()
            make = Maker(conn, seeded.source.schema, seed=1)
            customer = make("customer", 1)[0]
            calls = {"order_item x3 (existing parents)": lambda: make("order_item", 3, quantity=2),
                     "orders x5 (existing customers)": lambda: make("orders", 5),
                     "orders x3 (pinned customer)": lambda: make("orders", 3, customer=customer)}
            for name, call in calls.items():
                times = []
                for _ in range(args.calls):
                    t0 = time.perf_counter()
                    call()
                    times.append((time.perf_counter() - t0) * 1000)
                print(f"{name}: median {statistics.median(times):.1f} ms, slowest {max(times):.1f} ms")
            trans.rollback()
        engine.dispose()


def _driver(url: str) -> str:
    from seeder.testing.seeding import _driver_url

    return _driver_url(url)


if __name__ == "__main__":
    main()
