"""Small jobs start fast: the command line imports the engine's heavy libraries only when a command needs them.

Timings belong in benchmarks/ (see README "Performance"); these tests pin down *which* modules load, which is what
makes ``seeder --help`` take well under 0.3 s.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Libraries that cost tens to hundreds of milliseconds to import and that no help text needs.
HEAVY = ("numpy", "faker", "sqlglot", "networkx", "sqlalchemy", "psycopg", "pymysql", "openai", "rich", "pyarrow",
         "dask", "starlette", "seeder.api", "seeder.generate.engine", "seeder.schema")

_PROBE = """
import json, sys
from seeder.cli import cli
try:
    cli(sys.argv[1:], prog_name="seeder")
except SystemExit as end:
    code = end.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _imported(*args: str) -> tuple[int, set[str], str]:
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, timeout=60)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["code"], set(report["modules"]), done.stdout


@pytest.mark.parametrize(("args", "allowed"), [
    (("--help",), ()), (("load", "--help"), ()), (("generate", "--help"), ()), (("--version",), ()),
    # its --to help lists the dialect registry, whose entries hold sqlglot expressions
    (("ddl", "--help"), ("sqlglot", "seeder.schema")),
])
def test_help_imports_nothing_heavy(args: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    code, modules, out = _imported(*args)
    assert code in (0, None)
    assert out.strip()
    heavy = [h for h in HEAVY if h not in allowed]
    loaded = sorted(m for m in modules for h in heavy if m == h or m.startswith(h + "."))
    assert not loaded, f"seeder {' '.join(args)} imported {loaded[:10]}"


def test_ddl_help_still_lists_the_registry_dialects() -> None:
    _, _, out = _imported("ddl", "--help")
    assert "postgres" in out and "mysql" in out and "sqlite" in out


def test_a_command_imports_the_engine_on_use(tmp_path: object) -> None:
    # The lazy stand-in must still give the real API: a usage error after parsing reaches api.check_output.
    code, modules, _ = _imported("inspect", "examples/shop.sql", "--json")
    assert code in (0, None)
    assert "seeder.api" in modules and "sqlglot" in modules
