"""Small jobs, side by side: 20 rows per model of the Django example (examples/django_shop) into SQLite by
``manage.py seed`` (seeder's Django command) and by model_bakery (``baker.make(Model, _quantity=20)`` per model, in
insert order), plus ``seeder load examples/shop.sql`` into a fresh SQLite file. Each run is a new process on a copy of
a migrated database; the script prints the median and the minimum wall time of ``--runs`` runs and the ratio to
model_bakery. Needs Django and model_bakery (``pip install model_bakery``).

    python benchmarks/bench_small.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "examples" / "django_shop"

BAKERY = """
import django
django.setup()
from django.apps import apps
from django.db import transaction
from model_bakery import baker
models = [m for m in apps.get_app_config("store").get_models() if m._meta.managed and not m._meta.proxy]
with transaction.atomic():
    for model in models:
        baker.make(model, _quantity=20)
"""


def timed(cmd: list[str], env: dict[str, str], cwd: Path, prepare: callable) -> float:
    prepare()
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="seeder-bench-small-"))
    try:
        migrated, db = work / "migrated.sqlite3", work / "db.sqlite3"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shopsite.settings", "SHOP_SQLITE": str(migrated),
               "PYTHONPATH": f"{PROJECT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], env=env, cwd=PROJECT, check=True)
        env["SHOP_SQLITE"] = str(db)

        def fresh_copy() -> None:
            shutil.copyfile(migrated, db)

        def no_file() -> None:
            db.unlink(missing_ok=True)

        jobs = {
            "model_bakery, 20 per model": ([sys.executable, "-c", BAKERY], fresh_copy),
            "manage.py seed --rows 20": ([sys.executable, "manage.py", "seed", "--rows", "20"], fresh_copy),
            "seeder load examples/shop.sql --rows 20 (CLI)": (
                [sys.executable, "-m", "seeder", "load", str(ROOT / "examples" / "shop.sql"), "--db",
                 f"sqlite:///{db}", "--create-schema", "--rows", "20", "--quiet"], no_file),
        }
        times: dict[str, list[float]] = {name: [] for name in jobs}
        for _ in range(args.runs):  # interleaved, so a busy moment hurts every job alike
            for name, (cmd, prepare) in jobs.items():
                times[name].append(timed(cmd, env, PROJECT, prepare))
        base = statistics.median(times["model_bakery, 20 per model"])
        print(f"{'job':48} {'median s':>9} {'min s':>7} {'ratio':>6}")
        for name, ts in times.items():
            med = statistics.median(ts)
            print(f"{name:48} {med:9.3f} {min(ts):7.3f} {med / base:5.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
