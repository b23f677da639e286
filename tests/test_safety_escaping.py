"""Nothing seeder writes is executed as anything but data: property round trips through EVERY sink into real engines.

Values come from the strategies of ``tests/test_literals.py`` (all of Unicode without surrogates, quotes,
backslashes, ``$$``, ``E'...'``, newlines, tabs, very long strings, emoji, RTL marks, NUL; integers of every width,
decimals, floats, dates, times, timestamps with offsets, intervals, UUIDs, bytes, JSON documents, arrays). Each test
writes them with a sink, runs the output the way a user would (``psql -f``, ``sqlite3 -bail``, the ``mariadb``
client, ``COPY ... CSV``, psycopg's ``cursor.copy()``, the sink's own readers) and reads the rows back: they must
equal what went in after the NUL policy (``seeder.sinks.literals.NUL_POLICY``), which is checked per sink too.

``test_literals.py`` already covers the SQL statement stream executed statement by statement through psycopg and
sqlite3; here the scripts go through the command-line clients, and COPY, CSV, JSONL and MariaDB are added.
"""

from __future__ import annotations

import io
import json
import math
import re
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seeder.dataset import Dataset, TableData
from seeder.errors import ConfigError
from seeder.plan.model import Plan, TablePlan
from seeder.schema import Column, ColumnType, PrimaryKey, Schema, Table, TableName
from seeder.sinks.copy import CopyStatement, copy_field, iter_copy_statements, write_copy
from seeder.sinks.csv import read_csv, write_csv
from seeder.sinks.jsonl import decode_value, read_jsonl, write_jsonl
from seeder.sinks.literals import json_compatible, strip_nul, utc_naive
from seeder.sinks.sql import write_sql
from tests.engines import libpq_uri, mysql_connect, run_mysql, run_psql, sqlite_script
from tests.test_literals import (
    PG_TYPES,
    TRICKY,
    WIDE,
    decimals,
    expected,
    nullable,
    sqlite_decode,
    texts,
    wide_dataset,
    wide_rows,
)

FUNCTION_FIXTURES = [HealthCheck.function_scoped_fixture]
#: Examples per property test that starts a client process per example (psql, sqlite3, mariadb).
CLIENT_EXAMPLES = 15


def script_text(dataset: Dataset, fmt: str, dialect: str = "postgres") -> str:
    out = io.StringIO()
    if fmt == "copy":
        write_copy(dataset, out)
    else:
        write_sql(dataset, out, dialect)
    return out.getvalue()


def check_rows(got: list[tuple[Any, ...]], rows: list[tuple[Any, ...]], decode: Any = None,
               want_of: Any = expected) -> None:
    """``got`` (id first) equals ``rows`` column by column after ``decode(raw, type)`` and the NUL policy."""
    assert len(got) == len(rows)
    for row, back in zip(rows, got, strict=True):
        for (name, col_type, _, _), value, raw in zip(WIDE, row, back[1:], strict=True):
            value_back = decode(raw, col_type) if decode is not None else raw
            assert value_back == want_of(value, col_type), name


# ------------------------------------------------------------------------------------------------ COPY text format


def copy_unescape(field: str) -> str | None:
    """Reference decoder of one COPY text-format field (PostgreSQL manual, COPY, "Text Format")."""
    if field == "\\N":
        return None
    out, i = [], 0
    simple = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}
    while i < len(field):
        ch = field[i]
        if ch == "\\" and i + 1 < len(field) and field[i + 1] in simple:
            out.append(simple[field[i + 1]])
            i += 2
        else:
            assert ch != "\\", f"unexpected escape in {field!r}"
            out.append(ch)
            i += 1
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(value=texts)
def test_copy_field_keeps_every_text_on_one_line_and_decodes_back(value: str) -> None:
    field = copy_field(value)
    assert not {"\n", "\r", "\t", "\x00"} & set(field)
    assert field != "\\." and field != "\\N"  # never the end marker, never NULL
    assert copy_unescape(field) == strip_nul(value)


TEXT = ColumnType("text", "text")
TEXTS = ColumnType("array", "text[]", element=TEXT)


def text_table(values: list[Any], col_type: ColumnType = TEXT, schema: str | None = "public") -> Dataset:
    table = Table(TableName(schema, "t"), (Column("id", ColumnType("integer", "integer"), False),
                                             Column("v", col_type)), PrimaryKey(("id",)))
    plan = Plan((table.name,), ((table.name,),), {table.name: TablePlan(table.name, len(values), len(values))})
    td = TableData(table, ("id", "v"), (list(range(1, len(values) + 1)), values))
    return Dataset(Schema((table,), "postgres"), plan, [td])


def test_copy_blocks_split_rows_and_keep_row_numbers() -> None:
    values = [*TRICKY, None, "\\.", "\\N"] * 10
    stmts = [s for s in iter_copy_statements(text_table(values), rows_per_block=7) if s.kind == "insert"]
    assert all(isinstance(s, CopyStatement) for s in stmts)
    assert [s.first_row for s in stmts] == list(range(0, len(values), 7))
    assert sum(s.row_count for s in stmts) == len(values)
    lines = [line for s in stmts for line in s.data.splitlines()]
    assert len(lines) == len(values)
    decoded = [copy_unescape(line.split("\t")[1]) for line in lines]
    assert decoded == [None if v is None else strip_nul(v) for v in values]
    first = stmts[0]
    assert first.command == 'COPY "public"."t" ("id", "v") FROM STDIN'
    assert first.sql == f"{first.command};\n{first.data}\\."
    with pytest.raises(ConfigError, match="rows_per_block"):
        iter_copy_statements(text_table(values), rows_per_block=0)


def test_copy_format_is_postgres_only() -> None:
    with pytest.raises(ConfigError, match="COPY format is PostgreSQL only, not mysql"):
        write_copy(text_table(["x"]), io.StringIO(), "mysql")


def test_nul_policy_is_applied_by_every_sink(tmp_path: Path) -> None:
    """The same rule everywhere: U+0000 is removed from text, JSON strings and array elements; bytes keep it."""
    json_t = ColumnType("jsonb", "jsonb")
    bytes_t = ColumnType("bytes", "bytea")
    cases = [(TEXT, "a\x00b", "ab"), (TEXTS, ["x\x00", None], ["x", None]),
             (json_t, {"k\x00": "v\x00"}, {"k": "v"}), (bytes_t, b"a\x00b", b"a\x00b")]
    for col_type, value, want in cases:
        ds = text_table([value], col_type)
        for fmt, dialect in (("sql", "postgres"), ("sql", "mysql"), ("sql", "sqlite"), ("copy", "postgres")):
            assert "\x00" not in script_text(ds, fmt, dialect), (fmt, dialect, col_type.kind)
        written = write_csv(ds, tmp_path / f"csv-{col_type.kind}")[0]
        assert "\x00" not in written.read_text(encoding="utf-8")
        stream = io.StringIO()
        write_jsonl(ds, stream)
        assert "\x00" not in stream.getvalue() and "\\u0000" not in stream.getvalue()
        row = read_jsonl(io.StringIO(stream.getvalue()))["public.t"][0]
        assert decode_value(row["v"], col_type) == want


# ------------------------------------------------------------------------------------------------ PostgreSQL


@pytest.fixture
def pg_conn(pg_url: str) -> Iterator[Any]:
    """An autocommit psycopg connection to a database with ``public.wide`` (typed) and ``public.wide_csv`` (arrays
    as jsonb, the CSV sink's documented array form)."""
    import psycopg

    with psycopg.connect(libpq_uri(pg_url), autocommit=True) as conn:
        cols = ", ".join(f'"{n}" {PG_TYPES[n]}' for n, _, _, _ in WIDE)
        conn.execute(f"CREATE TABLE public.wide (id integer PRIMARY KEY, {cols})")  # type: ignore[arg-type]
        csv_cols = cols.replace("integer[]", "jsonb").replace("text[]", "jsonb")
        conn.execute(f"CREATE TABLE public.wide_csv (id integer PRIMARY KEY, {csv_cols})")  # type: ignore[arg-type]
        yield conn


def pg_rows(conn: Any, table: str = "public.wide") -> list[tuple[Any, ...]]:
    with conn.cursor() as cur:
        cur.execute(f"SELECT * FROM {table} ORDER BY id")  # type: ignore[arg-type]
        return list(cur.fetchall())


@settings(max_examples=60, deadline=None, suppress_health_check=FUNCTION_FIXTURES)
@given(rows=wide_rows)
def test_copy_stream_round_trips_through_psycopg_copy(pg_conn: Any, rows: list[tuple[Any, ...]]) -> None:
    pg_conn.execute("TRUNCATE public.wide")
    with pg_conn.cursor() as cur:
        for stmt in iter_copy_statements(wide_dataset(rows, "public")):
            if isinstance(stmt, CopyStatement):
                with cur.copy(stmt.command) as copy:  # type: ignore[arg-type]
                    copy.write(stmt.data)
            else:
                cur.execute(stmt.sql)  # type: ignore[arg-type]
    check_rows(pg_rows(pg_conn), rows)


@pytest.mark.parametrize("fmt", ["sql", "copy"])
@settings(max_examples=CLIENT_EXAMPLES, deadline=None, suppress_health_check=FUNCTION_FIXTURES)
@given(rows=wide_rows)
def test_scripts_round_trip_through_psql(pg_url: str, pg_conn: Any, tmp_path: Path, fmt: str,
                                         rows: list[tuple[Any, ...]]) -> None:
    pg_conn.execute("TRUNCATE public.wide")
    path = tmp_path / f"wide-{fmt}.sql"
    path.write_text(script_text(wide_dataset(rows, "public"), fmt), encoding="utf-8")
    run_psql(pg_url, path)  # psql -v ON_ERROR_STOP=1 -f <file>, as the header says
    check_rows(pg_rows(pg_conn), rows)


def client_traps(marker: Path) -> list[str]:
    """Texts that would run something if a client saw them as commands: each would create ``marker``."""
    shell = f"touch {marker}"
    return [
        *TRICKY, "".join(TRICKY) * 300, "\\.", "\\.\n\\.", "\\N", "COPY x FROM STDIN;\n\\.\nDROP TABLE t;",
        "'); DROP TABLE t; --", "$$; DROP TABLE t; $$", "\t\\t\r\\r\n\\n", "\r\n\r\n", "a\rb\r",
        f"\n\\! {shell}\n", f"x\n\\! {shell}\n\\.\n", f"\n.shell {shell}\n", f"\n.system {shell}\n",
        f"\nsystem {shell}\n", f"\n\\\\! {shell}\n", "\ndelimiter //\n", "\n\\gexec\n", "\n.quit\n", "\nexit\n",
        "\n\\q\n", f"';\n\\! {shell}\n'", f"`;\n\\! {shell}\n", f'";\n\\! {shell}\n',
    ]


@pytest.mark.parametrize("fmt", ["sql", "copy"])
def test_tricky_strings_and_client_commands_stay_data_in_psql(pg_url: str, pg_conn: Any, tmp_path: Path,
                                                               fmt: str) -> None:
    marker = tmp_path / "PWNED"
    values = client_traps(marker)
    pg_conn.execute("CREATE TABLE public.t (id integer PRIMARY KEY, v text)")
    path = tmp_path / f"tricky-{fmt}.sql"
    path.write_text(script_text(text_table(values), fmt), encoding="utf-8")
    run_psql(pg_url, path)
    got = [v for _, v in pg_rows(pg_conn, "public.t")]
    assert got == [strip_nul(v) for v in values]
    assert not marker.exists()


def test_tricky_strings_and_client_commands_stay_data_in_sqlite3(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    values = client_traps(marker)
    db = tmp_path / "t.db"
    sqlite_script(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);")
    sqlite_script(db, script_text(text_table(values, schema=None), "sql", "sqlite"))
    conn = sqlite3.connect(db)
    try:
        got = [v for (v,) in conn.execute("SELECT v FROM t ORDER BY id")]
    finally:
        conn.close()
    assert got == [strip_nul(v) for v in values]
    assert not marker.exists()


@pytest.mark.mysql
def test_tricky_strings_and_client_commands_stay_data_in_mariadb(mysql_url: str, tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    values = client_traps(marker)
    run_mysql(mysql_url, "CREATE TABLE t (id INT PRIMARY KEY, v LONGTEXT) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;")
    run_mysql(mysql_url, script_text(text_table(values, schema=None), "sql", "mysql"))
    conn = mysql_connect(mysql_url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT v FROM t ORDER BY id")
            got = [v for (v,) in cur.fetchall()]
    finally:
        conn.close()
    assert got == [strip_nul(v) for v in values]
    assert not marker.exists()


def csv_to_pg(conn: Any, path: Path) -> None:
    with conn.cursor() as cur, cur.copy("COPY public.wide_csv FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
        copy.write(path.read_bytes())


def csv_expected(value: Any, col_type: ColumnType) -> Any:
    want = expected(value, col_type)
    return json_compatible(want) if col_type.kind == "array" and want is not None else want


@settings(max_examples=60, deadline=None, suppress_health_check=FUNCTION_FIXTURES)
@given(rows=wide_rows)
def test_csv_round_trips_through_postgres_copy_csv(pg_conn: Any, tmp_path_factory: pytest.TempPathFactory,
                                                   rows: list[tuple[Any, ...]]) -> None:
    pg_conn.execute("TRUNCATE public.wide_csv")
    ds = wide_dataset(rows, "public")
    path = write_csv(ds, tmp_path_factory.mktemp("csv"))[0]
    csv_to_pg(pg_conn, path)
    check_rows(pg_rows(pg_conn, "public.wide_csv"), rows, want_of=csv_expected)


def jsonl_to_pg_params(row: dict[str, Any]) -> list[Any]:
    from psycopg.types.json import Json, Jsonb

    out: list[Any] = [row["id"]]
    for name, col_type, _, _ in WIDE:
        value = decode_value(row[name], col_type)
        if col_type.kind in ("json", "jsonb") and row[name] is not None:
            value = (Jsonb if col_type.kind == "jsonb" else Json)(value)
        out.append(value)
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=FUNCTION_FIXTURES)
@given(rows=wide_rows)
def test_jsonl_read_back_loads_into_postgres_equal(pg_conn: Any, rows: list[tuple[Any, ...]]) -> None:
    pg_conn.execute("TRUNCATE public.wide")
    stream = io.StringIO()
    write_jsonl(wide_dataset(rows, "public"), stream)
    records = read_jsonl(io.StringIO(stream.getvalue()))["public.wide"]
    marks = ", ".join(["%s"] * (len(WIDE) + 1))
    with pg_conn.cursor() as cur:
        cur.executemany(f"INSERT INTO public.wide VALUES ({marks})",  # type: ignore[arg-type]
                        [jsonl_to_pg_params(r) for r in records])
    check_rows(pg_rows(pg_conn), rows)


# ------------------------------------------------------------------------------------------------ SQLite


def sqlite_wide(path: Path) -> None:
    cols = ", ".join(f'"{n}" {decl}' for n, _, decl, _ in WIDE)
    sqlite_script(path, f'CREATE TABLE "wide" ("id" INTEGER PRIMARY KEY, {cols});')


def sqlite_rows(path: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute('SELECT * FROM "wide" ORDER BY "id"').fetchall()
    finally:
        conn.close()


class WithinOneUlp:
    """Equal to floats at most one unit in the last place away from ``value``.

    SQLite before 3.43 does not round every decimal literal correctly: about 0.3% of random doubles written with
    ``repr`` come back one ulp off (checked on 3.40.1: ``SELECT 9.407904885748067e-306`` gives ...066e-306). No
    literal form avoids that, so SQLite float columns are compared within one ulp.
    """

    def __init__(self, value: float) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, float) and abs(other - self.value) <= math.ulp(self.value)

    def __repr__(self) -> str:
        return f"WithinOneUlp({self.value!r})"


def sqlite_expected(value: Any, col_type: ColumnType) -> Any:
    want = expected(value, col_type)
    return json_compatible(want) if col_type.kind == "array" and want is not None else want


def sqlite_sql_expected(value: Any, col_type: ColumnType) -> Any:
    want = sqlite_expected(value, col_type)
    return WithinOneUlp(want) if col_type.kind == "double" and want is not None else want


@settings(max_examples=CLIENT_EXAMPLES, deadline=None)
@given(rows=wide_rows)
def test_sql_script_round_trips_through_the_sqlite3_cli(tmp_path_factory: pytest.TempPathFactory,
                                                        rows: list[tuple[Any, ...]]) -> None:
    db = tmp_path_factory.mktemp("sqlite") / "wide.db"
    sqlite_wide(db)
    sqlite_script(db, script_text(wide_dataset(rows), "sql", "sqlite"))  # sqlite3 -bail, as the header says
    check_rows(sqlite_rows(db), rows, sqlite_decode, sqlite_sql_expected)


def csv_text_decode(text: str | None, col_type: ColumnType) -> Any:
    """CSV field text (the sink's documented value forms) back to the dataset's Python type."""
    if text is None:
        return None
    kind = col_type.kind
    if kind in ("smallint", "integer", "bigint"):
        return int(text)
    if kind == "decimal":
        return Decimal(text)
    if kind == "double":
        return float(text)
    if kind == "boolean":
        return {"true": True, "false": False}[text]
    if kind == "bytes":
        assert text.startswith("\\x")
        return bytes.fromhex(text[2:])
    if kind == "date":
        return date.fromisoformat(text)
    if kind == "time":
        return time.fromisoformat(text)
    if kind in ("timestamp", "timestamptz"):
        return datetime.fromisoformat(text)
    if kind == "interval":
        days, _, seconds, _ = text.split(" ")
        whole, micro = seconds.split(".")
        return timedelta(days=int(days), seconds=int(whole), microseconds=int(micro))
    if kind == "uuid":
        return UUID(text)
    if kind in ("json", "jsonb", "array"):
        return json.loads(text)
    return text


def csv_sqlite_expected(value: Any, col_type: ColumnType) -> Any:
    want = sqlite_expected(value, col_type)
    if col_type.kind == "timestamp" and want is not None:
        return utc_naive(want)
    if col_type.kind == "timestamptz" and want is not None and want.tzinfo is None:
        return want.replace(tzinfo=timezone.utc)
    return want


@settings(max_examples=50, deadline=None)
@given(rows=wide_rows)
def test_csv_round_trips_through_sqlite_with_read_csv(tmp_path_factory: pytest.TempPathFactory,
                                                      rows: list[tuple[Any, ...]]) -> None:
    directory = tmp_path_factory.mktemp("csv")
    path = write_csv(wide_dataset(rows), directory)[0]
    header, records = read_csv(path)
    assert header == ["id", *(n for n, _, _, _ in WIDE)]
    conn = sqlite3.connect(":memory:")
    try:
        # TEXT affinity everywhere: SQLite stores the CSV text as it is, and the decoder reads the sink's forms.
        conn.execute(f'CREATE TABLE wide ({", ".join(f"{json.dumps(h)} TEXT" for h in header)})')
        conn.executemany(f"INSERT INTO wide VALUES ({', '.join('?' * len(header))})", records)
        got = conn.execute("SELECT * FROM wide ORDER BY CAST(id AS INTEGER)").fetchall()
    finally:
        conn.close()
    check_rows(got, rows, csv_text_decode, csv_sqlite_expected)


@settings(max_examples=50, deadline=None)
@given(rows=wide_rows)
def test_jsonl_round_trips_through_sqlite(rows: list[tuple[Any, ...]]) -> None:
    stream = io.StringIO()
    write_jsonl(wide_dataset(rows), stream)
    records = read_jsonl(io.StringIO(stream.getvalue()))["wide"]
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f'CREATE TABLE wide (id INTEGER PRIMARY KEY, {", ".join(f"{n} TEXT" for n, _, _, _ in WIDE)})')
        conn.executemany(f"INSERT INTO wide VALUES ({', '.join('?' * (len(WIDE) + 1))})",
                         [[r["id"], *(json.dumps(r[n], ensure_ascii=False) for n, _, _, _ in WIDE)] for r in records])
        stored = conn.execute("SELECT * FROM wide ORDER BY id").fetchall()
    finally:
        conn.close()

    def decode(raw: str, col_type: ColumnType) -> Any:
        return decode_value(json.loads(raw), col_type)

    check_rows(stored, rows, decode)


# ------------------------------------------------------------------------------------------------ MariaDB

# MariaDB's ranges are narrower than Python's: DATE/DATETIME 1000..9999, TIME (also used for intervals) +-838 hours.
mysql_dates = st.dates(min_value=date(1000, 1, 1))
mysql_plain = st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9998, 12, 31))
mysql_aware = st.builds(lambda d, m: d.replace(tzinfo=timezone(timedelta(minutes=m))), mysql_plain,
                        st.integers(-14 * 60, 14 * 60))
mysql_spans = st.timedeltas(min_value=-timedelta(hours=838), max_value=timedelta(hours=838))
MYSQL_TYPES = {"t": "LONGTEXT", "b": "LONGBLOB", "n": "DECIMAL(15,4)", "sm": "SMALLINT", "i": "INT", "bi": "BIGINT",
               "d": "DATE", "tm": "TIME(6)", "ts": "DATETIME(6)", "tz": "DATETIME(6)", "j": "JSON", "js": "JSON",
               "iv": "TIME(6)", "u": "CHAR(36)", "f": "DOUBLE", "bo": "BOOLEAN", "ia": "JSON", "ta": "JSON"}
MYSQL_STRATEGIES = {"d": mysql_dates, "ts": mysql_plain, "tz": mysql_aware, "iv": mysql_spans}
mysql_rows = st.lists(st.tuples(*(nullable(MYSQL_STRATEGIES.get(n, s)) for n, _, _, s in WIDE)),
                      min_size=1, max_size=4)


def mysql_decode(raw: Any, col_type: ColumnType) -> Any:
    """PyMySQL's values back to dataset types (TIME arrives as timedelta, JSON and booleans as text/ints)."""
    if raw is None:
        return None
    kind = col_type.kind
    if kind == "time":
        return (datetime.min + raw).time()
    if kind in ("json", "jsonb", "array"):
        return json.loads(raw)
    if kind == "boolean":
        return bool(raw)
    if kind == "uuid":
        return UUID(raw)
    return raw


def mysql_expected(value: Any, col_type: ColumnType) -> Any:
    want = sqlite_expected(value, col_type)
    if col_type.kind in ("timestamp", "timestamptz") and want is not None:
        return utc_naive(want)  # MySQL DATETIME has no zone: the sink writes UTC wall-clock time
    return want


@pytest.mark.mysql
@settings(max_examples=CLIENT_EXAMPLES, deadline=None, suppress_health_check=FUNCTION_FIXTURES)
@given(rows=mysql_rows)
def test_sql_script_round_trips_through_the_mariadb_client(mysql_url: str, rows: list[tuple[Any, ...]]) -> None:
    cols = ", ".join(f"`{n}` {MYSQL_TYPES[n]}" for n, _, _, _ in WIDE)
    run_mysql(mysql_url, f"DROP TABLE IF EXISTS wide; CREATE TABLE wide (id INT PRIMARY KEY, {cols}) "
                         "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;")
    run_mysql(mysql_url, script_text(wide_dataset(rows), "sql", "mysql"))
    conn = mysql_connect(mysql_url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT * FROM wide ORDER BY id")
            got = [tuple(r) for r in cur.fetchall()]
    finally:
        conn.close()
    check_rows(got, rows, mysql_decode, mysql_expected)


# ------------------------------------------------------------------------------------------------ numbers alone


@settings(max_examples=200, deadline=None)
@given(values=st.lists(nullable(decimals), min_size=1, max_size=20))
def test_decimals_never_use_exponent_notation_in_any_sink(values: list[Decimal | None]) -> None:
    num = ColumnType("decimal", "numeric(15,4)", precision=15, scale=4)
    ds = text_table(values, num)
    for fmt, dialect in (("sql", "postgres"), ("sql", "mysql"), ("sql", "sqlite"), ("copy", "postgres")):
        assert not re.search(r"\d[eE][+-]?\d", script_text(ds, fmt, dialect)), (fmt, dialect)
