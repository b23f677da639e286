"""``seeder graph SOURCE --format mermaid|dot``: the FK graph with cycle edges and the chosen cycle breaks marked."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from seeder import api
from seeder.cli import cli
from seeder.errors import ConfigError
from seeder.readers.ddl import read_ddl
from tests.engines import sqlite_script

CYCLE = (
    "CREATE TABLE store (id int PRIMARY KEY, manager_id int NOT NULL REFERENCES staff (id));\n"
    "CREATE TABLE staff (id int PRIMARY KEY, store_id int REFERENCES store (id), boss_id int REFERENCES staff (id));\n"
    'CREATE TABLE "odd ""name""" (id int PRIMARY KEY, staff_id int NOT NULL REFERENCES staff (id));\n'
)


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.fixture
def ddl(tmp_path: Path) -> Path:
    path = tmp_path / "postgres_cycle.sql"
    path.write_text(CYCLE, encoding="utf-8")
    return path


def test_mermaid_marks_cycles_breaks_and_self_references(ddl: Path) -> None:
    code, out = run("graph", ddl)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "flowchart LR"
    assert '    t0["store"]' in lines and '    t2["odd #quot;name#quot;"]' in lines  # quotes as Mermaid entities
    # the nullable staff.store_id is where the cycle breaks; store.manager_id stays on the cycle
    assert '    t1 -.->|"store_id (cycle break: insert NULL, UPDATE after the referenced rows exist)"| t0' in lines
    assert '    t0 ==>|"manager_id"| t1' in lines
    assert '    t1 -->|"boss_id"| t1' in lines and '    t2 -->|"staff_id"| t1' in lines
    assert sum(line.startswith("    linkStyle ") for line in lines) == 2


def test_dot_output_escapes_names_and_marks_the_break(ddl: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "graph.dot"
    code, out = run("graph", ddl, "--format", "dot", "-o", out_file)
    assert code == 0 and "Wrote the dot graph of 3 tables" in out
    text = out_file.read_text(encoding="utf-8")
    assert text.startswith("digraph fk {\n") and text.endswith("}\n")
    assert '"staff" -> "store" [label="store_id (cycle break: insert NULL, UPDATE after the referenced rows exist)", ' \
           'color=red, style=dashed];' in text
    assert '"store" -> "staff" [label="manager_id", color=red, penwidth=2];' in text
    assert '"odd \\"name\\"" -> "staff"' in text


def test_graph_of_a_database_url(sqlite_path: Path) -> None:
    sqlite_script(sqlite_path, "CREATE TABLE a (id INTEGER PRIMARY KEY);"
                               "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER NOT NULL REFERENCES a (id));")
    code, out = run("graph", f"sqlite:///{sqlite_path}")
    assert code == 0 and out == 'flowchart LR\n    t0["a"]\n    t1["b"]\n    t1 -->|"a_id"| t0\n'


def test_unknown_format_is_an_error() -> None:
    schema = read_ddl("CREATE TABLE a (id int PRIMARY KEY);", "postgres")
    with pytest.raises(ConfigError, match="unknown graph format 'svg': use one of mermaid, dot"):
        api.fk_graph(schema, api.build_plan(schema, 0), "svg")
    code, out = run("graph", "x.sql", "--format", "svg")
    assert code == 2 and "Invalid value for '--format'" in out
