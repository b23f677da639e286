"""Bad input matrix: every user mistake gets one ``Error:`` line naming what to fix, exit 1 (2 for usage), no traceback.

Complements ``tests/test_cli.py`` (which has missing file for generate, empty file, a table referencing a missing
table, a syntax error, an unknown source dialect, negative/huge ``--rows`` for plan, an unknown config table, an
unreachable PostgreSQL URL). Messages are compared exactly where they are deterministic.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest
from click.testing import CliRunner

from seeder.cli import cli
from seeder.errors import SchemaError
from seeder.readers.ddl import read_ddl
from tests.engines import PW_ROLE_PASSWORD, PgServer, free_port, run_psql, serve_http

ROOT = Path(__file__).resolve().parent.parent
SHOP = ROOT / "examples" / "shop.sql"


def run(*args: str | Path, env: dict[str, str | None] | None = None) -> tuple[int, str, str]:
    """Invoke the CLI in process; fails the test on any exception other than a clean exit (a traceback)."""
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback instead of a message: {result.exception!r}") from result.exception
    return result.exit_code, result.stdout, result.stderr


def one_error(args: list[Any], message: str, code: int = 1, **kwargs: Any) -> None:
    got = run(*args, **kwargs)
    assert got == (code, "", f"Error: {message}\n")


@pytest.fixture
def ddl(tmp_path: Path) -> Any:
    """Write DDL text to a file in the test's folder; returns its path."""
    def write(text: str, name: str = "schema.sql") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    return write


# ------------------------------------------------------------------------------------------------ the DDL file


@pytest.mark.parametrize("command", [["inspect"], ["plan"], ["generate"], ["load", "--db", "sqlite:///x.db"]])
def test_missing_file_for_every_command(command: list[str]) -> None:
    one_error([command[0], "no/such/file.sql", *command[1:]], "no/such/file.sql: file not found")


def test_directory_binary_and_table_less_files(tmp_path: Path, ddl: Any) -> None:
    one_error(["inspect", tmp_path], f"{tmp_path}: is a directory, not a DDL file")
    binary = tmp_path / "dump.sql"
    binary.write_bytes(b"\xff\xfeC\x00R\x00")
    one_error(["plan", binary], f"{binary}: not a UTF-8 text file")
    comments = ddl("-- nothing here\n/* still nothing */\n", "comments.sql")
    one_error(["generate", comments, "--dialect", "postgres"], f"{comments}: no CREATE TABLE statements found")
    blank = ddl("\n   \n\t\n", "blank.sql")
    one_error(["load", blank, "--db", "sqlite:///x.db"], f"{blank}: the file is empty")


def test_syntax_error_names_file_and_lines(ddl: Any) -> None:
    path = ddl("CREATE TABLE a (id int PRIMARY KEY);\n\nCREATE TABLE b (\n  id int PRIMARY KEY,\n"
               "  x int NOT NULL\n  y int\n);\n")
    code, out, err = run("generate", path, "--dialect", "postgres")
    assert (code, out) == (1, "")
    assert err.startswith(f"Error: {path}:3: cannot parse CREATE TABLE (Expecting ) at line 6")  # statement, spot
    assert err.count("\n") == 1


def test_unknown_target_dialect_suggests_the_closest(ddl: Any) -> None:
    one_error(["generate", SHOP, "--to", "postgress"], "unknown target dialect 'postgress': did you mean "
              "'postgres'? valid dialects are mysql, postgres, sqlite")
    one_error(["generate", SHOP, "--to", "sqlit3"], "unknown target dialect 'sqlit3': did you mean 'sqlite'? "
              "valid dialects are mysql, postgres, sqlite")


def test_foreign_key_to_a_missing_column(ddl: Any) -> None:
    path = ddl("CREATE TABLE a (id int PRIMARY KEY, b_id int REFERENCES b (nope));\n"
               "CREATE TABLE b (id int PRIMARY KEY);\n")
    one_error(["inspect", path, "--dialect", "postgres"],
              "foreign key (b_id) of table a references missing column b.nope")


# ------------------------------------------------------------------------------------------------ FK column types


def test_foreign_key_type_mismatch_names_both_columns_and_types(ddl: Any) -> None:
    path = ddl("CREATE TABLE a (id integer PRIMARY KEY);\n"
               "CREATE TABLE b (id integer PRIMARY KEY, a_ref varchar(10) CONSTRAINT b_a_fk REFERENCES a (id));\n")
    one_error(["plan", path, "--dialect", "postgres"], "foreign key b_a_fk of table b: column b.a_ref is VARCHAR(10) "
              "but the referenced column a.id is INT; make the column types match")


@pytest.mark.parametrize("dialect, child, parent", [
    ("postgres", "bigint", "integer"), ("postgres", "smallint", "bigint"), ("postgres", "numeric(10)", "integer"),
    ("postgres", "text", "varchar(20)"), ("postgres", "char(3)", "text"), ("postgres", "timestamptz", "timestamp"),
    ("postgres", "uuid", "uuid"), ("mysql", "INT UNSIGNED", "BIGINT"), ("mysql", "VARCHAR(36)", "CHAR(36)"),
    ("sqlite", "INTEGER", "TEXT"), ("sqlite", "", "INTEGER"), ("postgres", "citext", "text"),
])
def test_compatible_foreign_key_types_are_accepted(dialect: str, child: str, parent: str) -> None:
    # Families: numbers (any integer width, decimals, floats), text (char/varchar/text), instants. SQLite (any
    # value fits any column) and types seeder does not know ("other", e.g. citext) are never rejected.
    schema = read_ddl(f"CREATE TABLE p (id {parent} PRIMARY KEY);\nCREATE TABLE c (x {child} REFERENCES p (id));",
                      dialect)
    assert schema.tables[1].foreign_keys[0].ref_columns == ("id",)


@pytest.mark.parametrize("dialect, child, parent", [
    ("postgres", "integer", "uuid"), ("postgres", "date", "timestamp"), ("postgres", "boolean", "integer"),
    ("mysql", "INT", "VARCHAR(10)"), ("mysql", "DATETIME", "INT"), ("postgres", "bytea", "text"),
])
def test_incompatible_foreign_key_types_are_schema_errors(dialect: str, child: str, parent: str) -> None:
    with pytest.raises(SchemaError, match=r"^foreign key \(x\) of table c: column c\.x is .* but the referenced "
                                          r"column p\.id is .*; make the column types match$"):
        read_ddl(f"CREATE TABLE p (id {parent} PRIMARY KEY);\nCREATE TABLE c (x {child} REFERENCES p (id));", dialect)


# ------------------------------------------------------------------------------------------------ constraints, plan


def test_unsatisfiable_checks_name_the_constraint(ddl: Any) -> None:
    column = ddl("CREATE TABLE a (id int primary key,\n x int CONSTRAINT x_window CHECK (x > 5 AND x < 3));\n", "c.sql")
    one_error(["generate", column, "--dialect", "postgres"], "column a.x: no value satisfies CHECK x_window "
              "(x > 5 AND x < 3): lower bound 6 is above upper bound 2; fix or drop the constraint")
    table = ddl("CREATE TABLE a (id int primary key, lo int NOT NULL, hi int NOT NULL,\n"
                " CONSTRAINT order_ok CHECK (lo > hi AND hi > lo));\n", "t.sql")
    one_error(["generate", table, "--dialect", "postgres"], "a: cannot generate rows satisfying CHECK order_ok "
              "(tried 25 times); relax the constraint or generate fewer rows")


PK_CYCLE = ("CREATE TABLE a (id int PRIMARY KEY REFERENCES b (id));\n"
            "CREATE TABLE b (id int PRIMARY KEY REFERENCES a (id));\n")
PK_CYCLE_ERROR = ("cannot break the FK cycle at b.id -> a: the column is part of the primary key, so its NOT NULL "
                  "cannot be suspended; make foreign key (id) of table b DEFERRABLE")


def test_not_null_cycle_through_primary_keys_is_one_line_naming_both_tables(ddl: Any) -> None:
    path = ddl(PK_CYCLE)
    one_error(["generate", path, "--dialect", "postgres"], PK_CYCLE_ERROR)
    one_error(["generate", path, "--dialect", "postgres", "--format", "copy"], PK_CYCLE_ERROR)
    # Refused before connecting: the URL leads nowhere, and the plan error comes first.
    one_error(["load", path, "--dialect", "postgres", "--db", f"postgresql://u@127.0.0.1:{free_port()}/x"],
              PK_CYCLE_ERROR)
    code, out, _ = run("generate", path, "--dialect", "postgres", "--to", "sqlite")  # SQLite defers FK checks
    assert code == 0 and "PRAGMA defer_foreign_keys = ON;" in out


def test_a_not_null_cycle_is_broken_away_from_the_primary_key(ddl: Any) -> None:
    path = ddl("CREATE TABLE a (id int PRIMARY KEY, b_id int NOT NULL REFERENCES b (id));\n"
               "CREATE TABLE b (id int PRIMARY KEY REFERENCES a (id));\n")
    code, out, err = run("generate", path, "--dialect", "postgres", "--rows", "2")
    assert code == 0, err
    assert 'ALTER TABLE "a" ALTER COLUMN "b_id" DROP NOT NULL;' in out


# ------------------------------------------------------------------------------------------------ config, flags


def test_config_mistakes(tmp_path: Path) -> None:
    cases = {"rows = \"many\"\n": "rows must be a whole number, got 'many'",
             "rows = [\n": "not valid TOML: Invalid value (at end of document)",
             "rowz = 3\n": "unknown setting 'rowz' (known: columns, describe, dialect, exclude, llm, only, rows, "
                           "rules, seed, tables)",
             "[tables.reviews]\nrows = 5\n": None}
    for i, (text, message) in enumerate(cases.items()):
        cfg = tmp_path / f"c{i}.toml"
        cfg.write_text(text, encoding="utf-8")
        if message is None:
            one_error(["generate", SHOP, "--config", cfg], "unknown table 'reviews' in the configuration; did you "
                      "mean review?")
        else:
            one_error(["generate", SHOP, "--config", cfg], f"{cfg}: {message}")
    one_error(["plan", SHOP, "--config", tmp_path / "none.toml"], f"config file not found: {tmp_path / 'none.toml'}")


@pytest.mark.parametrize("command", [["generate"], ["load", "--db", "sqlite:///x.db"]])
def test_negative_and_huge_rows(command: list[str]) -> None:
    one_error([command[0], SHOP, *command[1:], "--rows", "-5"], "--rows must be 0 or more, got -5")
    one_error([command[0], SHOP, *command[1:], "--rows", "99999999999"],
              "--rows is 99,999,999,999; the most seeder accepts is 1,000,000,000")
    code, _, err = run(command[0], SHOP, *command[1:], "--rows", "lots")
    assert code == 2 and "Error: Invalid value for '--rows' / '-n': 'lots' is not a valid integer." in err


def test_output_and_format_mistakes(tmp_path: Path) -> None:
    one_error(["generate", SHOP, "--format", "copy"], "--format copy writes PostgreSQL COPY blocks, but the target "
              "is sqlite: add --to postgres or use --format sql")
    one_error(["generate", SHOP, "-o", tmp_path], f"-o {tmp_path} is a directory; give a file name for --format sql")
    one_error(["generate", SHOP, "--disable-triggers"], "disabling triggers is not possible in a sqlite SQL script; "
              "use `seeder load`, which does it through the connection")
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    one_error(["generate", SHOP, "-o", blocked / "out.sql"],
              f"cannot write {blocked / 'out.sql'}: {blocked} is a file, not a folder")
    code, _, err = run("generate", SHOP, "--format", "parquet")
    assert code == 2 and "--format parquet writes a folder of files per table: give a folder with -o" in err
    code, _, err = run("generate", SHOP, "--format", "xml")
    assert code == 2 and "Invalid value for '--format'" in err


# ------------------------------------------------------------------------------------------------ databases


def test_database_url_mistakes(tmp_path: Path) -> None:
    one_error(["load", SHOP, "--db", "not a url"], "cannot parse the database URL; expected e.g. sqlite:///file.db "
              "or postgresql+psycopg://user@host:5432/dbname")
    one_error(["load", SHOP, "--db", "oracle://u:pw@h/x"], "unsupported database URL scheme 'oracle'; use "
              "postgresql (+psycopg), mysql (+pymysql) or sqlite")
    one_error(["load", SHOP, "--db", f"sqlite:///{tmp_path}/no/dir/x.db"],
              f"sqlite:///{tmp_path}/no/dir/x.db: directory {tmp_path}/no/dir does not exist; create it or fix "
              "the path")
    one_error(["load", SHOP, "--db", "sqlite:///x.db", "--method", "copy"],
              "--method copy loads PostgreSQL only; use --method insert for this database")


def test_unreachable_server_hides_the_password() -> None:
    port = free_port()
    code, out, err = run("load", SHOP, "--db", f"postgresql://app:Hunter2-secret@127.0.0.1:{port}/db")
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith(f"Error: cannot connect to postgresql+psycopg://app:***@127.0.0.1:{port}/db: ")
    assert err.endswith("(no server answers there: is it running, and are host and port right?)\n")
    assert "Hunter2" not in err


@pytest.mark.parametrize("method", ["insert", "copy"])
def test_wrong_password_never_appears(pg_url: str, pg_server: PgServer, method: str) -> None:
    wrong = "N0t-" + PW_ROLE_PASSWORD
    url = pg_server.password_url(pg_url.rsplit("/", 1)[1], password=wrong)
    code, out, err = run("load", SHOP, "--db", url, "--method", method)
    assert (code, out) == (1, "") and err.count("\n") == 1
    assert err.startswith("Error: cannot connect to postgresql+psycopg://seeder_pw:***@127.0.0.1:")
    assert err.endswith("(check the user name and password)\n") and "password authentication failed" in err
    assert "N0t-" not in err and "s3cr" not in err


@pytest.mark.parametrize("method", ["insert", "copy"])
def test_read_only_postgres_database(pg_url: str, ddl: Any, method: str) -> None:
    from tests.test_loader import PG_DDL

    run_psql(pg_url, PG_DDL + f'ALTER DATABASE "{pg_url.rsplit("/", 1)[1]}" SET default_transaction_read_only = on;')
    path = ddl(PG_DDL)
    code, out, err = run("load", path, "--dialect", "postgres", "--db", pg_url, "--method", method)
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == (f"Error: load into {pg_url} failed: the database is read-only (hot standby or "
                                    "default_transaction_read_only): load into a writable primary database; the "
                                    "transaction was rolled back, nothing was written")


def test_read_only_sqlite_database(tmp_path: Path) -> None:
    db = tmp_path / "shop.db"
    assert run("load", SHOP, "--db", f"sqlite:///{db}", "--create-schema", "--rows", "1")[0] == 0
    code, _, err = run("load", SHOP, "--db", f"sqlite:///file:{db}?mode=ro&uri=true", "--rows", "3")
    assert code == 1
    last = err.splitlines()[-1]
    assert last.startswith("Error: load into sqlite:///file%3A") and "attempt to write a readonly database" in last
    assert "(the database is read-only: load into a writable database or primary server)" in last


# ------------------------------------------------------------------------------------------------ the LLM path


NO_LLM_ENV: dict[str, str | None] = {name: None for name in os.environ if "OPENAI" in name or name.startswith("AZURE")}


def test_llm_without_a_key(tmp_path: Path) -> None:
    one_error(["generate", SHOP, "--llm", "-o", tmp_path / "out.sql"], "--llm needs an API key for OpenAI: set "
              "OPENAI_API_KEY (Azure: AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY), or point --llm-base-url at a "
              "local server (localhost needs no key)", env=NO_LLM_ENV)
    assert list(tmp_path.iterdir()) == []


class RejectingModelServer(BaseHTTPRequestHandler):
    """An OpenAI-compatible endpoint that knows no model: 404 ``model_not_found``, as api.openai.com answers."""

    seen_keys: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        size = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(size) or b"{}")
        RejectingModelServer.seen_keys.append(self.headers.get("authorization", ""))
        payload = json.dumps({"error": {
            "message": f"The model `{body.get('model')}` does not exist or you do not have access to it.",
            "type": "invalid_request_error", "param": None, "code": "model_not_found"}}).encode()
        self.send_response(404)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def rejecting_server() -> Iterator[str]:
    """Base URL (``http://127.0.0.1:PORT/v1``) of a :class:`RejectingModelServer` running in a thread."""
    with serve_http(RejectingModelServer) as url:
        yield url


def test_model_name_the_server_rejects(tmp_path: Path, rejecting_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    key = "sk-test-DoNotPrintMe-0123456789"
    code, out, err = run("generate", SHOP, "--llm", "--llm-base-url", rejecting_server, "--model", "gpt-nonexistent",
                         "-o", tmp_path / "out.sql", env={**NO_LLM_ENV, "OPENAI_API_KEY": key})
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == ("Error: model 'gpt-nonexistent' was rejected by the server at 127.0.0.1 "
                                    "(HTTP 404): The model `gpt-nonexistent` does not exist or you do not have "
                                    "access to it.")
    assert RejectingModelServer.seen_keys and key not in err
    assert not (tmp_path / "out.sql").exists()
