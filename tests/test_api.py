"""The public API the CLI, the pytest plugin and scripts share: summaries, checks, crash-safe writers, loading.

Each test calls :mod:`seeder.api` the way a script would and checks that it behaves as ``seeder`` on the command line
does (same facts, same messages, same files), since the CLI is only a printer over these functions.
"""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import seeder.sinks.sql
from seeder import api
from seeder.cli import cli
from seeder.config import DEFAULT_ROWS, DEFAULT_SEED, Config
from seeder.dataset import Dataset
from seeder.errors import ConfigError, GenerationError, Interrupted

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop.sql"  # SQLite dialect, a nullable FK cycle, a self-reference
TSQL_DDL = "CREATE TABLE [author] ([id] INT NOT NULL PRIMARY KEY, [name] NVARCHAR(40) NOT NULL);\n"


def shop(rows: int = 3, seed: int = 1) -> Dataset:
    schema = api.read_schema(SHOP)
    return api.generate(schema, api.build_plan(schema, rows), seed=seed)


def write_file(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def error(call: Any, *args: Any, **kwargs: Any) -> str:
    """The message of the ConfigError that ``call(*args, **kwargs)`` raises."""
    with pytest.raises(ConfigError) as info:
        call(*args, **kwargs)
    return str(info.value)


def cli_stdout(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.stdout


# ------------------------------------------------------------------------------------------------ summaries


def test_describe_schema_is_what_inspect_json_prints() -> None:
    summary = api.describe_schema(api.read_schema(SHOP))
    assert summary == json.loads(cli_stdout("inspect", SHOP, "--json"))
    assert summary["cycles"] == [["address", "customer"]]
    assert summary["self_references"] == [{"table": "category", "columns": ["parent_id"]}]
    assert summary["topological_order"][0] == "category"


def test_describe_plan_is_what_plan_json_prints(tmp_path: Path) -> None:
    schema = api.read_schema(SHOP)
    summary = api.describe_plan(api.build_plan(schema, 4, {"review": 2}), schema)
    config = write_file(tmp_path, "seeder.toml", "[tables.review]\nrows = 2\n")
    assert summary == json.loads(cli_stdout("plan", SHOP, "--rows", 4, "--json", "--config", config))
    # order_item is a detail table (lines of an order): three times --rows; review is overridden to 2
    assert summary["total_rows"] == 5 * 4 + 3 * 4 + 2
    assert summary["cycle_breaks"] == [{"table": "customer", "columns": ["default_address_id"],
                                        "references": "address",
                                        "strategy": "insert NULL, UPDATE after the referenced rows exist"}]
    json.dumps(summary)  # plain data only


def test_config_precedence_flag_then_file_then_default() -> None:
    empty, filled = Config(), Config(rows=7, seed=3, dialect="mysql")
    assert (empty.rows_per_table(), empty.run_seed(), empty.source_dialect()) == (DEFAULT_ROWS, DEFAULT_SEED, None)
    assert (filled.rows_per_table(), filled.run_seed(), filled.source_dialect()) == (7, 3, "mysql")
    assert (filled.rows_per_table(0), filled.run_seed(0), filled.source_dialect("sqlite")) == (0, 0, "sqlite")


# ------------------------------------------------------------------------------------------------ checks


def test_check_output_gives_the_cli_messages(tmp_path: Path) -> None:
    sqlite_schema = api.read_schema(SHOP)
    tsql_schema = api.read_source(write_file(tmp_path, "a.sql", TSQL_DDL), "tsql").schema
    assert api.check_output(sqlite_schema) == "sqlite"
    assert api.check_output(sqlite_schema, "sql", dialect="postgresql") == "postgres"
    assert api.check_output(sqlite_schema, "csv", output=tmp_path) is None
    assert error(api.check_output, sqlite_schema, "copy") == ("--format copy writes PostgreSQL COPY blocks, but the "
                                                              "target is sqlite: add --to postgres or use --format sql")
    assert error(api.check_output, tsql_schema, "sql") == ("seeder reads tsql DDL but writes only postgres, mysql, "
                                                           "sqlite: choose one with --to")
    assert error(api.check_output, sqlite_schema, "jsonl", output=tmp_path) == (
        f"-o {tmp_path} is a directory; give a file name for --format jsonl")
    with pytest.raises(ConfigError, match="unknown output format 'xlsx'"):
        api.check_output(sqlite_schema, "xlsx")
    with pytest.raises(ConfigError, match="unknown target dialect 'oracle'"):
        api.target_dialect("oracle")


def test_check_load_without_connecting() -> None:
    api.check_load("sqlite:///x.db")
    api.check_load("postgresql://u@127.0.0.1:1/x", method="copy")
    assert error(api.check_load, "mysql+pymysql://u@127.0.0.1:1/x", method="copy") == (
        "--method copy loads PostgreSQL only; use --method insert for this database")
    with pytest.raises(ConfigError, match="unknown load method 'bulk'"):
        api.check_load("sqlite:///x.db", method="bulk")


# ------------------------------------------------------------------------------------------------ writers


def test_writers_take_a_stream_or_a_path_and_agree(tmp_path: Path) -> None:
    data = shop()
    formats = [("sql", {}), ("copy", {"dialect": "postgres"}), ("jsonl", {}), ("fixture", {"app_label": "shop"})]
    for fmt, options in formats:
        stream = io.StringIO()
        assert api.write_dataset(data, stream, fmt, **options) == []
        path = tmp_path / "deep" / f"out.{fmt}"
        assert api.write_dataset(data, path, fmt, **options) == [path]
        assert path.read_text(encoding="utf-8") == stream.getvalue() != "", fmt
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["out.copy", "out.fixture", "out.jsonl", "out.sql"]
    assert stream.getvalue().startswith('[\n{"model":"shop.category",')
    files = api.write_csv(data, tmp_path / "csv")
    assert [f.name for f in files] == [f"{td.table.name.name}.csv" for td in data.tables]
    per_table = api.write_jsonl(data, tmp_path / "jsonl", per_table=True)
    assert [f.name for f in per_table] == [f"{td.table.name.name}.jsonl" for td in data.tables]
    with pytest.raises(ConfigError, match="csv format writes one file per table"):
        api.write_dataset(data, io.StringIO(), "csv")


def test_write_sql_checks_the_target_like_the_cli(tmp_path: Path) -> None:
    tsql = api.read_source(write_file(tmp_path, "a.sql", TSQL_DDL), "tsql").schema
    data = api.generate(tsql, api.build_plan(tsql, 2))
    assert error(api.write_sql, data, io.StringIO()) == error(api.check_output, tsql, "sql")
    assert error(api.write_copy, data, io.StringIO(), "mysql") == ("--format copy writes PostgreSQL COPY blocks, but "
                                                                   "the target is mysql: add --to postgres or use "
                                                                   "--format sql")
    out = io.StringIO()
    api.write_sql(data, out, "mysql")
    assert "INSERT INTO `author`" in out.getvalue()


@pytest.mark.parametrize("failure", [GenerationError("row 2 is not valid JSON"), KeyboardInterrupt()])
def test_a_failed_write_keeps_the_previouswrite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                failure: BaseException) -> None:
    target = write_file(tmp_path, "data.sql", "previous run\n")

    def half_then_fail(data: Any, out: Any, *args: Any, **kwargs: Any) -> None:
        out.write("BEGIN;\nINSERT INTO")
        raise failure

    monkeypatch.setattr(seeder.sinks.sql, "write_sql", half_then_fail)
    expected = Interrupted if isinstance(failure, KeyboardInterrupt) else GenerationError
    with pytest.raises(expected):
        api.write_sql(shop(), target)
    assert target.read_text(encoding="utf-8") == "previous run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["data.sql"]  # no temporary file left


def test_write_ddl_to_a_path(tmp_path: Path) -> None:
    script = api.render_ddl(api.read_schema(SHOP), "postgres", header={"source": "shop.sql"})
    api.write_ddl(script, tmp_path / "schema.sql")
    assert (tmp_path / "schema.sql").read_text(encoding="utf-8") == script.text
    assert script.dialect == "postgres" and script.tables == 7
    with pytest.raises(ConfigError, match="is a directory: give a file name such as"):
        api.write_ddl(script, tmp_path)


# ------------------------------------------------------------------------------------------------ load


def test_load_refuses_ddl_written_for_another_database() -> None:
    # No connection is tried: the port is closed, yet the error is about the DDL, before any LoadError.
    message = error(api.load, shop(), "postgresql+psycopg://u@127.0.0.1:1/x",
                    create_schema=SHOP.read_text(encoding="utf-8"))
    assert message == ("--create-schema runs the DDL as written, which is sqlite, but the database is postgres; "
                       "create the schema first or use DDL for postgres")
    assert error(api.load, shop(), "sqlite:///x.db", method="copy") == error(api.check_load, "x:", method="copy")


def test_load_runs_a_rendered_script_for_the_database(tmp_path: Path) -> None:
    """A T-SQL schema cannot be run on SQLite as written, but its render_ddl script can: load accepts it."""
    tsql = api.read_source(write_file(tmp_path, "a.sql", TSQL_DDL), "tsql").schema
    data = api.generate(tsql, api.build_plan(tsql, 4), seed=2)
    url = f"sqlite:///{tmp_path / 'app.db'}"
    with pytest.raises(ConfigError, match="which is tsql, but the database is sqlite"):
        api.load(data, url, create_schema=TSQL_DDL)
    report = api.load(data, url, create_schema=api.render_ddl(tsql, "sqlite"))
    assert report.tables == {"author": 4}
    with sqlite3.connect(tmp_path / "app.db") as con:
        assert con.execute("SELECT count(DISTINCT id) FROM author").fetchone() == (4,)
