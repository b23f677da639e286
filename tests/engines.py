"""Real database engines for the test session (servers from :mod:`seeder.testing.servers`), and small helpers that
talk to them through their own CLIs (psql, sqlite3, the mariadb client).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NoReturn

import pytest
from sqlalchemy.engine import make_url

from seeder.schema import Schema, TableName
from seeder.testing.servers import (  # noqa: F401  (re-exported for the tests)
    APP_ROLE,
    MYSQL_DB_PREFIX,
    MYSQL_PASSWORD,
    MYSQL_USER,
    PW_ROLE,
    PW_ROLE_PASSWORD,
    SUPERUSER,
    EngineUnavailable,
    MariaDbServer,
    PgServer,
    docker_available,
    find_pg_bin,
    free_port,
    libpq_uri,
    mysql_client_path,
    mysql_ident,
    pg_query,
    psql_path,
    start_container_postgres,
    start_local_postgres,
    start_mariadb,
    start_postgres,
)

REPO_ROOT = Path(__file__).resolve().parent.parent


class PsqlError(RuntimeError):
    """psql (or the sqlite3 CLI) stopped on an error; the message holds its stderr."""


# --------------------------------------------------------------------------------------------- missing inputs


def in_ci() -> bool:
    """True when the env var ``CI`` is set (to anything but empty, ``0``, ``false`` or ``no``)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing_input(reason: str) -> NoReturn:
    """Skip (locally) or fail (under CI) the current test: an input it needs (an engine, a schema file) is missing.

    CI must not go green by skipping, so there the test fails with ``CI is set and <reason>``.
    """
    if in_ci():
        pytest.fail(f"CI is set and {reason}", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------------------------- schema files


def schemas_dir() -> Path:
    """The directory of real-world DDL files: ``$SEEDER_SCHEMAS`` or ``<repo>/../shared/schemas`` (may not exist)."""
    override = os.environ.get("SEEDER_SCHEMAS")
    return Path(override).resolve() if override else (REPO_ROOT.parent / "shared" / "schemas").resolve()


def schema_path(relative: str | os.PathLike[str]) -> Path:
    """Resolve ``relative`` (e.g. ``"pagila/postgres.sql"``) against :func:`schemas_dir`; absolute paths pass.

    When the file does not exist the calling test is skipped, or failed under CI (see :func:`missing_input`).
    """
    path = Path(relative)
    path = path if path.is_absolute() else schemas_dir() / path
    if not path.exists():
        missing_input(f"schema file {path} not found (set SEEDER_SCHEMAS to the shared/schemas directory)")
    return path


def require_schemas_dir() -> Path:
    """:func:`schemas_dir`, or skip (locally) / fail (under CI) the calling test when it does not exist."""
    directory = schemas_dir()
    if not directory.is_dir():
        missing_input(f"{directory} not found: shared/schemas must sit beside the repository, or set SEEDER_SCHEMAS")
    return directory


#: Marks a test that reads files below :func:`schemas_dir` (the ``shared_schemas`` fixture of conftest.py checks it
#: once: skip locally, fail under CI).
needs_schemas = pytest.mark.usefixtures("shared_schemas")


def corpus_files(dialects: Sequence[str]) -> list[str]:
    """Corpus files ``<name>/<dialect>[_variant].sql`` of the given dialects, relative to :func:`schemas_dir`, sorted.

    Without the corpus the list holds the missing directory itself, so a test parametrized with it still runs and
    :func:`schema_path` skips it locally or fails it under CI (an empty parameter list would skip it silently).
    """
    directory = schemas_dir()
    if not directory.is_dir():
        return [str(directory)]
    return sorted(str(p.relative_to(directory)) for p in directory.glob("*/*.sql")
                  if p.stem.split("_")[0] in dialects)


# --------------------------------------------------------------------------------------------- URL helpers




def _libpq_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    password = make_url(url).password
    if password:
        env["PGPASSWORD"] = str(password)  # never on the command line, where ps shows it
    env.setdefault("PGCONNECT_TIMEOUT", "10")
    env["PGOPTIONS"] = "-c client_min_messages=warning"
    return env


def with_database(url: str, database: str, *, user: str | None = None) -> str:
    """``url`` pointing at another database (and optionally another user), rendered with its password."""
    u = make_url(url).set(database=database)
    if user is not None:
        u = u.set(username=user, password=None)
    return u.render_as_string(hide_password=False)


# --------------------------------------------------------------------------------------------- psql / sqlite3




def run_psql(url: str, sql_file_or_text: str | os.PathLike[str], *,
             single_transaction: bool = False) -> subprocess.CompletedProcess[str]:
    """Run SQL through ``psql -v ON_ERROR_STOP=1 -X -q`` against the database of ``url``.

    ``sql_file_or_text`` is a file when it is a ``PathLike`` (or a one-line string ending in ``.sql`` naming an
    existing file), else SQL text fed on stdin. Raises :class:`PsqlError` with psql's stderr when psql exits
    non-zero (ON_ERROR_STOP makes the first failing statement do that).
    """
    cmd = [psql_path(), "-v", "ON_ERROR_STOP=1", "-X", "-q", "-d", libpq_uri(url)]
    if single_transaction:
        cmd.append("--single-transaction")
    text_input: str | None = None
    as_path = sql_file_or_text if isinstance(sql_file_or_text, os.PathLike) else None
    if isinstance(sql_file_or_text, str) and "\n" not in sql_file_or_text and sql_file_or_text.endswith(".sql") \
            and Path(sql_file_or_text).is_file():
        as_path = Path(sql_file_or_text)
    if as_path is not None:
        cmd += ["-f", os.fspath(as_path)]
    else:
        cmd += ["-f", "-"]
        text_input = str(sql_file_or_text)
    proc = subprocess.run(cmd, input=text_input, capture_output=True, text=True, env=_libpq_env(url), check=False)
    if proc.returncode != 0:
        raise PsqlError(f"psql exited {proc.returncode}: {proc.stderr.strip()}")
    return proc




def create_pg_schema(url: str, ddl_path: str | os.PathLike[str]) -> Path:
    """Load a real DDL file into the database of ``url`` with psql (ON_ERROR_STOP, one transaction).

    ``ddl_path`` is relative to :func:`schemas_dir` (e.g. ``"pagila/postgres.sql"``) or absolute. Returns the
    resolved path. Raises :class:`PsqlError` on the first failing statement; a missing file skips or fails the
    test as :func:`schema_path` does.
    """
    path = schema_path(ddl_path)
    run_psql(url, path, single_transaction=True)
    return path


def sqlite_script(db_path: str | os.PathLike[str], sql_text: str) -> subprocess.CompletedProcess[str]:
    """Run ``sql_text`` with the ``sqlite3`` CLI (``-bail``) on ``db_path``; :class:`PsqlError` on failure."""
    proc = subprocess.run(["sqlite3", "-bail", os.fspath(db_path)], input=sql_text, capture_output=True, text=True,
                          check=False)
    if proc.returncode != 0:
        raise PsqlError(f"sqlite3 exited {proc.returncode}: {proc.stderr.strip()}")
    return proc


def sqlite_fk_check(db_path: str | os.PathLike[str]) -> list[tuple[Any, ...]]:
    """Rows of ``PRAGMA foreign_key_check`` (table, rowid, parent, fk index) with foreign keys ON; ``[]`` = clean."""
    conn = sqlite3.connect(os.fspath(db_path))
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        return [tuple(r) for r in conn.execute("PRAGMA foreign_key_check").fetchall()]
    finally:
        conn.close()


def sqlite_query(db_path: str | os.PathLike[str], sql: str) -> list[tuple[Any, ...]]:
    """Rows of one query on the SQLite file ``db_path`` (opened read-write, closed afterwards)."""
    conn = sqlite3.connect(os.fspath(db_path))
    try:
        return [tuple(r) for r in conn.execute(sql).fetchall()]
    finally:
        conn.close()


# --------------------------------------------------------------------------------------------- PostgreSQL servers




class MysqlError(RuntimeError):
    """The ``mariadb`` client stopped on an error; the message holds its stderr."""






def _mysql_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    password = make_url(url).password
    if password:
        env["MYSQL_PWD"] = str(password)  # never on the command line, where ps shows it
    else:
        env.pop("MYSQL_PWD", None)
    return env


def run_mysql(url: str, sql_file_or_text: str | os.PathLike[str], *, show_warnings: bool = False,
              database: bool = True) -> subprocess.CompletedProcess[str]:
    """Run SQL through the ``mariadb`` client against the database of ``url`` (a ``mysql+pymysql://`` URL).

    ``sql_file_or_text`` is a file when it is a ``PathLike`` (or a one-line string ending in ``.sql`` naming an
    existing file), else SQL text; either way it is piped on stdin, where the client stops at the first failing
    statement (no ``--force``) and understands ``DELIMITER``. Output is batch mode without column names
    (``-B -N``: one tab-separated line per row). ``show_warnings`` prints each statement's warnings and notes into
    stdout (``--show-warnings``). ``database=False`` connects without selecting the URL's database.

    Raises:
        MysqlError: the client exited non-zero; the message holds its stderr (``ERROR 1062 (23000) at line N: ...``).
    """
    u = make_url(url)
    cmd = [mysql_client_path(), "--no-defaults", "--protocol=TCP", f"--host={u.host or '127.0.0.1'}",
           f"--port={u.port or 3306}", f"--user={u.username or ''}", "--default-character-set=utf8mb4",
           "--connect-timeout=10", "-B", "-N"]
    if show_warnings:
        cmd.append("--show-warnings")
    if database and u.database:
        cmd.append(u.database)
    as_path = sql_file_or_text if isinstance(sql_file_or_text, os.PathLike) else None
    if isinstance(sql_file_or_text, str) and "\n" not in sql_file_or_text and sql_file_or_text.endswith(".sql") \
            and Path(sql_file_or_text).is_file():
        as_path = Path(sql_file_or_text)
    text = Path(as_path).read_text(encoding="utf-8") if as_path is not None else str(sql_file_or_text)
    proc = subprocess.run(cmd, input=text, capture_output=True, text=True, encoding="utf-8", env=_mysql_env(url),
                          check=False, timeout=600)
    if proc.returncode != 0:
        raise MysqlError(f"mariadb exited {proc.returncode}: {proc.stderr.strip()}")
    return proc


def mysql_connect(url: str, *, autocommit: bool = True) -> Any:
    """A PyMySQL connection (utf8mb4, ``autocommit`` as given) to the database of ``url``; the caller closes it."""
    import pymysql

    u = make_url(url)
    # ssl_disabled: PyMySQL 2.2 otherwise tries TLS ("preferred") and builds a default SSL context on every connect,
    # which loads the system CA store (about 130 ms); the test server is on loopback and has no TLS.
    return pymysql.connect(host=u.host or "127.0.0.1", port=u.port or 3306, user=u.username or "",
                           password=str(u.password or ""), database=u.database, charset="utf8mb4",
                           autocommit=autocommit, connect_timeout=10, ssl_disabled=True)


def mysql_query(url: str, sql: str) -> list[tuple[Any, ...]]:
    """Run one SQL statement on ``url`` in autocommit mode; return its rows (``[]`` when it returns none)."""
    conn = mysql_connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)  # no args: PyMySQL leaves % alone
            return [tuple(r) for r in cur.fetchall()] if cur.description is not None else []
    finally:
        conn.close()


_USE_DATABASE = re.compile(r"^[ \t]*USE[ \t]+`?([A-Za-z0-9_$]+)`?[ \t]*;", re.IGNORECASE | re.MULTILINE)
_DATABASE_STATEMENT = re.compile(
    r"^[ \t]*(?:(?:DROP|CREATE)[ \t]+(?:DATABASE|SCHEMA)\b[^;\n]*|USE[ \t]+[^;\n]+);", re.IGNORECASE | re.MULTILINE)


def retarget_mysql_ddl(text: str) -> str:
    """MySQL DDL text made to run inside whatever database the connection selected.

    Real MySQL scripts create and switch to their own database (sakila: ``DROP SCHEMA IF EXISTS sakila; CREATE
    SCHEMA sakila; USE sakila;``, and its views say ``sakila.film``). Those statements are turned into comments
    (keeping line numbers) and qualifiers naming a database the script ``USE``\\ s are removed, so each test gets the
    schema in its own fresh database.
    """
    names = sorted({m.group(1) for m in _USE_DATABASE.finditer(text)})
    text = _DATABASE_STATEMENT.sub(lambda m: "/* removed for the test database: " + m.group(0).strip()
                                   .replace("*/", "* /") + " */", text)
    for name in names:
        text = re.sub(rf"(?<![\w.`$])(?:`{re.escape(name)}`|{re.escape(name)})\.(?=[`A-Za-z_])", "", text)
    return text


def create_mysql_schema(url: str, ddl_path: str | os.PathLike[str]) -> Path:
    """Load a real MySQL DDL file into the database of ``url`` with the ``mariadb`` client (errors stop it).

    ``ddl_path`` is relative to :func:`schemas_dir` (e.g. ``"sakila/mysql.sql"``) or absolute; the text goes through
    :func:`retarget_mysql_ddl` first. Returns the resolved path. Raises :class:`MysqlError` on the first failing
    statement; a missing file skips or fails the test as :func:`schema_path` does.
    """
    path = schema_path(ddl_path)
    run_mysql(url, retarget_mysql_ddl(path.read_text(encoding="utf-8")))
    return path




def mysql_fk_orphans(url: str, schema: Any) -> dict[str, int]:
    """Rows whose foreign key points at no row, per FK of ``schema`` (a :class:`seeder.schema.Schema`): ``{}`` = clean.

    MariaDB does not re-check rows inserted while ``FOREIGN_KEY_CHECKS = 0`` when the checks come back on, so the
    tests look themselves: a child row counts when all its FK columns are non-NULL (MATCH SIMPLE) and no parent row
    has those values. Keys are ``"child(cols) -> parent(cols)"``.
    """
    found: dict[str, int] = {}
    for table in schema.tables:
        for fk in table.foreign_keys:
            on = " AND ".join(f"p.{mysql_ident(r)} = c.{mysql_ident(c)}"
                              for c, r in zip(fk.columns, fk.ref_columns, strict=True))
            not_null = " AND ".join(f"c.{mysql_ident(c)} IS NOT NULL" for c in fk.columns)
            missing = f"p.{mysql_ident(fk.ref_columns[0])} IS NULL"
            sql = (f"SELECT count(*) FROM {mysql_ident(table.name.name)} c LEFT JOIN "
                   f"{mysql_ident(fk.ref_table.name)} p ON {on} WHERE {not_null} AND {missing}")
            (count,) = mysql_query(url, sql)[0]
            if count:
                found[f"{table.name}({', '.join(fk.columns)}) -> {fk.ref_table}({', '.join(fk.ref_columns)})"] = count
    return found




def pg_ident(name: TableName) -> str:
    """``name`` as a quoted PostgreSQL identifier (schema-qualified when it has a schema)."""
    quoted = '"' + name.name.replace('"', '""') + '"'
    return f'"{name.schema}".{quoted}' if name.schema else quoted


def pg_state(url: str) -> list[tuple]:
    """What a load must leave as it found it: nullability, constraint validity/deferrability, trigger switches."""
    cols = pg_query(url, "SELECT table_schema, table_name, column_name, is_nullable FROM information_schema.columns "
                         "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3")
    cons = pg_query(url, "SELECT conrelid::regclass::text, conname, contype, convalidated, condeferrable "
                         "FROM pg_constraint WHERE connamespace <> 'pg_catalog'::regnamespace ORDER BY 1, 2")
    trig = pg_query(url, "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger ORDER BY 1, 2")
    return cols + cons + trig


@contextlib.contextmanager
def serve_http(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run ``handler`` in a threaded HTTP server on 127.0.0.1 (a free port) for the ``with`` block; yields the
    OpenAI-style base URL ``http://127.0.0.1:PORT/v1``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def planned_rows(schema: Schema, rows: int) -> dict[TableName, int]:
    """Rows the plan promises per seeded table for ``rows`` per table (scaled by each table's role); a table given
    fewer than its role asks for must carry the plan's reason (``TablePlan.limit``), which this asserts."""
    from seeder.plan.planner import build_plan

    plan = build_plan(schema, rows)
    for name in plan.order:
        tp = plan.tables[name]
        assert tp.rows == tp.requested or tp.limit, f"{name}: {tp.rows} rows without a reason"
    return {name: plan.rows(name) for name in plan.order}


#: Writes the rows of one schema for :func:`pg_schema_databases`: ``(schema, DDL path, scratch folder) -> SQL file``.
WriteRows = Callable[[Schema, Path, Path], Path]


def pg_schema_databases(pg_server: Any, tmp_path_factory: Any, schemas: Mapping[str, Path | str],
                        write_rows: WriteRows) -> Iterator[dict[str, str]]:
    """The body of a module fixture: per schema name (a key of ``schemas``, whose value is a repository path or a
    corpus path for :func:`schema_path`), the URL of a PostgreSQL database holding that schema (rendered for
    PostgreSQL when it is another dialect's) and the rows ``write_rows`` writes, created on first use and dropped
    when the fixture ends. Use as ``yield from pg_schema_databases(...)``."""
    names: list[str] = []

    class Loader(dict):  # type: ignore[type-arg]
        def __missing__(self, key: str) -> str:
            from seeder import api

            name = pg_server.create_database()
            names.append(name)
            url = pg_server.url(name)
            source = schemas[key]
            path = source if isinstance(source, Path) else schema_path(source)
            folder = tmp_path_factory.mktemp(key)
            schema = api.read_schema(path)
            ddl = path
            if schema.dialect != "postgres":
                ddl = folder / "schema.sql"
                api.write_ddl(api.render_ddl(schema, "postgres"), ddl)
            run_psql(url, ddl, single_transaction=True)
            run_psql(url, write_rows(schema, path, folder))
            self[key] = url
            return url

    yield Loader()
    for name in names:
        pg_server.drop_database(name)


def pg_rate(url: str, bad_sql: str, total_sql: str) -> float:
    """``count(bad) / count(total)`` of two SELECTs on the database at ``url`` (``total`` must hold rows)."""
    bad = pg_query(url, f"SELECT count(*) FROM ({bad_sql}) AS b")[0][0]
    total = pg_query(url, f"SELECT count(*) FROM ({total_sql}) AS t")[0][0]
    assert total > 0, total_sql
    return bad / total

