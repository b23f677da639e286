"""MySQL literal encoders against a real MariaDB: values go in as the sink writes them and come back equal.

Hypothesis draws values per column type; they are written with :func:`seeder.sinks.literals.column_encoder` (the
encoder every MySQL INSERT uses) into utf8mb4 tables of one database per module, over a PyMySQL connection that ran
the script's own session settings, and read back. Every INSERT must also leave no warning or note: MySQL reports a
clipped, rounded or converted value that way, so "equal after reading back" cannot hide a silent change. Text is
also pushed through the whole path of a script (``write_sql`` -> ``mariadb`` client), starting from a hostile
session (``NO_BACKSLASH_ESCAPES``, ``EMPTY_STRING_IS_NULL``).

PyMySQL returns TIME as ``timedelta``, BIT as big-endian ``bytes``, MariaDB JSON (a LONGTEXT alias) as text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from seeder.dataset import Dataset, TableData
from seeder.dialects import get_dialect
from seeder.plan.model import Plan, TablePlan
from seeder.schema import Column, ColumnType, PrimaryKey, Schema, Table, TableName
from seeder.sinks.literals import column_encoder, strip_nul, strip_nul_json
from seeder.sinks.sql import write_sql
from tests.engines import MariaDbServer, mysql_connect, mysql_query, run_mysql

MYSQL = get_dialect("mysql")
#: (table, SQL column type, seeder ColumnType) — one table per column type, ``id INT PRIMARY KEY, v <type>``.
COLUMNS: dict[str, tuple[str, ColumnType]] = {
    "t_longtext": ("LONGTEXT", ColumnType("text", "LONGTEXT")),
    "t_varchar": ("VARCHAR(300)", ColumnType("varchar", "VARCHAR(300)", length=300)),
    "t_tinyint": ("TINYINT", ColumnType("smallint", "TINYINT")),
    "t_tinyint_u": ("TINYINT UNSIGNED", ColumnType("smallint", "TINYINT UNSIGNED", unsigned=True)),
    "t_smallint": ("SMALLINT", ColumnType("smallint", "SMALLINT")),
    "t_mediumint_u": ("MEDIUMINT UNSIGNED", ColumnType("integer", "MEDIUMINT UNSIGNED", unsigned=True)),
    "t_int": ("INT", ColumnType("integer", "INT")),
    "t_bigint": ("BIGINT", ColumnType("bigint", "BIGINT")),
    "t_bigint_u": ("BIGINT UNSIGNED", ColumnType("bigint", "BIGINT UNSIGNED", unsigned=True)),
    "t_dec_65_30": ("DECIMAL(65,30)", ColumnType("decimal", "DECIMAL(65,30)", precision=65, scale=30)),
    "t_dec_10_2": ("DECIMAL(10,2)", ColumnType("decimal", "DECIMAL(10,2)", precision=10, scale=2)),
    "t_dec_20_0": ("DECIMAL(20,0)", ColumnType("decimal", "DECIMAL(20,0)", precision=20, scale=0)),
    "t_double": ("DOUBLE", ColumnType("double", "DOUBLE")),
    "t_float": ("FLOAT", ColumnType("float", "FLOAT")),
    "t_date": ("DATE", ColumnType("date", "DATE")),
    "t_datetime6": ("DATETIME(6)", ColumnType("timestamp", "DATETIME(6)")),
    "t_datetime6_tz": ("DATETIME(6)", ColumnType("timestamptz", "DATETIME(6)")),
    "t_timestamp6": ("TIMESTAMP(6) NULL", ColumnType("timestamp", "TIMESTAMP(6)")),
    "t_time6": ("TIME(6)", ColumnType("time", "TIME(6)")),
    "t_interval": ("TIME(6)", ColumnType("interval", "TIME(6)")),
    "t_longblob": ("LONGBLOB", ColumnType("bytes", "LONGBLOB")),
    "t_varbinary": ("VARBINARY(64)", ColumnType("bytes", "VARBINARY(64)", length=64)),
    "t_json": ("JSON", ColumnType("json", "JSON")),
    "t_bool": ("BOOLEAN", ColumnType("boolean", "BOOLEAN")),
    "t_year": ("YEAR", ColumnType("smallint", "YEAR")),
    "t_bit": ("BIT(20)", ColumnType("bit", "BIT(20)", length=20)),
    "t_uuid": ("UUID", ColumnType("uuid", "UUID")),
    "t_uuid_char": ("CHAR(36)", ColumnType("uuid", "CHAR(36)", length=36)),
}
ENUM_LABELS = ("G", "PG-13", "it's", "back\\slash", "two words", "ünïcødé", "🎬", "")
SET_LABELS = ("Trailers", "Commentaries", "Deleted Scenes", "Behind the Scenes", "it's", "ß")


def _labels_sql(labels: tuple[str, ...]) -> str:
    return ", ".join(column_encoder(ColumnType("text", "TEXT"), MYSQL)(label) for label in labels)


COLUMNS["t_enum"] = (f"ENUM({_labels_sql(ENUM_LABELS)})", ColumnType("enum", "ENUM", values=ENUM_LABELS))
COLUMNS["t_set"] = (f"SET({_labels_sql(SET_LABELS)})", ColumnType("set", "SET", values=SET_LABELS))

SETTINGS = settings(max_examples=60, deadline=None)


class RoundTrip:
    """One PyMySQL connection to the module's database, with the MySQL script's session settings applied."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn = mysql_connect(url)
        with self.conn.cursor() as cur:
            for stmt in MYSQL.session_settings:
                cur.execute(stmt)

    def __call__(self, table: str, values: list[Any]) -> list[Any]:
        """Insert ``values`` as rows ``0..n-1`` of ``table`` with the column's encoder; return them read back."""
        col_type = COLUMNS[table][1]
        enc = column_encoder(col_type, MYSQL)
        with self.conn.cursor() as cur:
            cur.execute(f"DELETE FROM {table}")
            if values:
                rows = ",\n".join(f"({i}, {enc(v)})" for i, v in enumerate(values))
                cur.execute(f"INSERT INTO {table} (id, v) VALUES {rows}")
                warnings = self.conn.show_warnings()
                assert not warnings, (table, warnings[:3])
            cur.execute(f"SELECT v FROM {table} ORDER BY id")
            return [r[0] for r in cur.fetchall()]


@pytest.fixture(scope="module")
def literal_db(mysql_server: MariaDbServer) -> Iterator[str]:
    """A utf8mb4 database holding one table per entry of :data:`COLUMNS`, for the whole module."""
    name = mysql_server.create_database(prefix="literals")
    url = mysql_server.url(name)
    ddl = "\n".join(f"CREATE TABLE {table} (id INT PRIMARY KEY, v {sql}) CHARACTER SET utf8mb4;"
                    for table, (sql, _type) in [*COLUMNS.items(), ("t_script", ("LONGTEXT", None))])
    run_mysql(url, ddl)
    try:
        yield url
    finally:
        mysql_server.drop_database(name)


@pytest.fixture(scope="module")
def roundtrip(literal_db: str) -> Iterator[RoundTrip]:
    rt = RoundTrip(literal_db)
    try:
        yield rt
    finally:
        rt.conn.close()


# ------------------------------------------------------------------------------------------------ strategies

#: Characters that break naive quoting, and text MySQL stores with care: quotes, backslashes, NUL, Ctrl-Z,
#: newlines, RTL/LTR marks and isolates, zero-width joiners, emoji (4-byte UTF-8), combining marks.
NASTY = ["'", "\\", '"', "\x00", "\x1a", "\n", "\r", "\t", "%", "?", ":a", "\u200f", "\u202e", "\u2067", "\u200d",
         "😀", "👩‍👩‍👧", "\u0301", "`", ";", "--", "/*", "*/", "\\'", "''", "\\\\", "\ufeff", "\U0010ffff"]
texts = st.lists(st.sampled_from(NASTY) | st.text(max_size=8), max_size=40).map("".join) | st.text(max_size=300)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12)


def _rows(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    return st.lists(strategy, min_size=1, max_size=12)


def _int_range(bits: int, unsigned: bool) -> st.SearchStrategy[int]:
    return st.integers(0, 2**bits - 1) if unsigned else st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)


def _decimals(precision: int, scale: int) -> st.SearchStrategy[Decimal]:
    """Every DECIMAL(precision, scale) value, exponent ``-scale``. Built from text: Decimal arithmetic (and
    ``st.decimals`` bounds) round to the default context's 28 digits, which turns the top of DECIMAL(65,30) into
    1E+35, a value the column cannot hold."""
    top = 10**precision - 1
    return st.integers(-top, top).map(lambda units: Decimal(f"{units}E-{scale}"))


MYSQL_DATETIMES = st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59, 999999))
#: TIMESTAMP holds 1970-01-01 00:00:01 .. 2038-01-19 03:14:07 UTC (MariaDB 10.11 on x86_64, MySQL 8).
MYSQL_TIMESTAMPS = st.datetimes(min_value=datetime(1970, 1, 1, 0, 0, 1), max_value=datetime(2038, 1, 19, 3, 14, 7))
#: TIME holds -838:59:59.999999 .. 838:59:59.999999.
TIME_SPANS = st.timedeltas(min_value=-timedelta(hours=838, minutes=59, seconds=59, microseconds=999999),
                           max_value=timedelta(hours=838, minutes=59, seconds=59, microseconds=999999))


# ------------------------------------------------------------------------------------------------ text


@SETTINGS
@given(values=_rows(texts))
def test_text_round_trips(roundtrip: RoundTrip, values: list[str]) -> None:
    assert roundtrip("t_longtext", values) == [strip_nul(v) for v in values]


@SETTINGS
@given(values=_rows(texts.map(lambda s: s[:300])))
def test_varchar_round_trips(roundtrip: RoundTrip, values: list[str]) -> None:
    assert roundtrip("t_varchar", values) == [strip_nul(v) for v in values]


def test_long_text_with_every_special_character(roundtrip: RoundTrip) -> None:
    value = ("".join(NASTY) + "x" * 997) * 600  # about 0.6 MB
    assert roundtrip("t_longtext", [value, "", " trailing space "]) == [strip_nul(value), "", " trailing space "]


def test_nul_characters_are_removed_from_text_and_json_but_not_bytes(roundtrip: RoundTrip) -> None:
    assert roundtrip("t_longtext", ["a\x00b", "\x00"]) == ["ab", ""]
    assert json.loads(roundtrip("t_json", [{"k\x00": "v\x00"}])[0]) == {"k": "v"}
    assert roundtrip("t_longblob", [b"\x00a\x00"]) == [b"\x00a\x00"]


# ------------------------------------------------------------------------------------------------ numbers


@pytest.mark.parametrize(("table", "bits", "unsigned"), [
    ("t_tinyint", 8, False), ("t_tinyint_u", 8, True), ("t_smallint", 16, False), ("t_mediumint_u", 24, True),
    ("t_int", 32, False), ("t_bigint", 64, False), ("t_bigint_u", 64, True)])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_integers_round_trip_over_the_whole_range(roundtrip: RoundTrip, table: str, bits: int, unsigned: bool,
                                                  data: st.DataObject) -> None:
    lowest, highest = (0, 2**bits - 1) if unsigned else (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    values = [*data.draw(_rows(_int_range(bits, unsigned))), lowest, highest]
    assert roundtrip(table, values) == values


@pytest.mark.parametrize(("table", "precision", "scale"), [("t_dec_65_30", 65, 30), ("t_dec_10_2", 10, 2),
                                                           ("t_dec_20_0", 20, 0)])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_decimals_round_trip_exactly(roundtrip: RoundTrip, table: str, precision: int, scale: int,
                                     data: st.DataObject) -> None:
    values = data.draw(_rows(_decimals(precision, scale)))
    back = roundtrip(table, values)
    assert back == values and all(b.as_tuple().exponent == -scale for b in back)


def test_decimal_with_an_exponent_is_written_positionally(roundtrip: RoundTrip) -> None:
    values = [Decimal("1E+7"), Decimal("-5E-2"), Decimal("0E-30")]
    assert roundtrip("t_dec_10_2", values) == [Decimal("10000000.00"), Decimal("-0.05"), Decimal("0.00")]


@SETTINGS
@given(values=_rows(st.floats(allow_nan=False, allow_infinity=False)))
def test_doubles_round_trip_exactly(roundtrip: RoundTrip, values: list[float]) -> None:
    assert roundtrip("t_double", values) == values


@SETTINGS
@given(values=_rows(st.floats(width=32, allow_nan=False, allow_infinity=False, allow_subnormal=False)))
def test_floats_keep_single_precision(roundtrip: RoundTrip, values: list[float]) -> None:
    """FLOAT is 4 bytes and MariaDB prints it with 6 significant digits, so only closeness is checked."""
    for got, want in zip(roundtrip("t_float", values), values, strict=True):
        assert math.isclose(got, want, rel_tol=1e-5, abs_tol=1e-37)


def test_booleans_year_and_bit(roundtrip: RoundTrip) -> None:
    assert roundtrip("t_bool", [True, False, None]) == [1, 0, None]
    assert roundtrip("t_year", [1901, 2155, 2024]) == [1901, 2155, 2024]
    back = roundtrip("t_bit", [0, 1, 2**20 - 1, "101", "11110000111100001111"])
    assert [int.from_bytes(b, "big") for b in back] == [0, 1, 2**20 - 1, 5, 0b11110000111100001111]


# ------------------------------------------------------------------------------------------------ time


@SETTINGS
@given(values=_rows(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31))))
def test_dates_round_trip(roundtrip: RoundTrip, values: list[date]) -> None:
    assert roundtrip("t_date", values) == values


@SETTINGS
@given(values=_rows(MYSQL_DATETIMES))
def test_datetimes_keep_their_microseconds(roundtrip: RoundTrip, values: list[datetime]) -> None:
    assert roundtrip("t_datetime6", values) == values


@SETTINGS
@given(values=_rows(st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30),
                                 timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=5, minutes=30)),
                                                            timezone(timedelta(hours=-8))]))))
def test_aware_datetimes_are_stored_as_utc(roundtrip: RoundTrip, values: list[datetime]) -> None:
    want = [v.astimezone(timezone.utc).replace(tzinfo=None) for v in values]
    assert roundtrip("t_datetime6_tz", values) == want


@SETTINGS
@given(values=_rows(MYSQL_TIMESTAMPS))
def test_timestamps_round_trip_in_the_utc_session(roundtrip: RoundTrip, values: list[datetime]) -> None:
    assert roundtrip("t_timestamp6", values) == values


def test_timestamp_outside_its_range_is_an_error_not_a_clipped_value(roundtrip: RoundTrip) -> None:
    """What a generator must avoid for MySQL TIMESTAMP columns: strict mode rejects the value outright."""
    import pymysql

    with pytest.raises(pymysql.err.MySQLError, match="Incorrect datetime value"):
        roundtrip("t_timestamp6", [datetime(1969, 12, 31, 23, 59, 59)])
    with pytest.raises(pymysql.err.MySQLError, match="Incorrect datetime value"):
        roundtrip("t_timestamp6", [datetime(2038, 1, 19, 3, 14, 8)])


@SETTINGS
@given(values=_rows(st.times()))
def test_times_round_trip(roundtrip: RoundTrip, values: list[time]) -> None:
    back = roundtrip("t_time6", values)
    assert back == [timedelta(hours=v.hour, minutes=v.minute, seconds=v.second, microseconds=v.microsecond)
                    for v in values]


@SETTINGS
@given(values=_rows(TIME_SPANS))
def test_intervals_round_trip_as_time(roundtrip: RoundTrip, values: list[timedelta]) -> None:
    assert roundtrip("t_interval", values) == values


# ------------------------------------------------------------------------------------------------ bytes, JSON, ...


@SETTINGS
@given(values=_rows(st.binary(max_size=200)))
def test_bytes_round_trip(roundtrip: RoundTrip, values: list[bytes]) -> None:
    assert roundtrip("t_longblob", values) == values


@SETTINGS
@given(values=_rows(st.binary(max_size=64)))
def test_varbinary_round_trips(roundtrip: RoundTrip, values: list[bytes]) -> None:
    assert roundtrip("t_varbinary", values) == values


@SETTINGS
@given(values=_rows(json_values))
def test_json_round_trips(roundtrip: RoundTrip, values: list[Any]) -> None:
    back = roundtrip("t_json", values)
    assert [json.loads(b) if b is not None else None for b in back] == \
        [strip_nul_json(v) if v is not None else None for v in values]


@SETTINGS
@given(values=_rows(st.uuids(version=4)))
def test_uuids_round_trip(roundtrip: RoundTrip, values: list[UUID]) -> None:
    """Random (version 4) UUIDs: MariaDB's UUID type rejects some non-RFC 4122 values (e.g. version 12 with the
    NCS variant: "Incorrect uuid value"), so generators should stick to version 4."""
    assert roundtrip("t_uuid", values) == [str(v) for v in values]
    assert roundtrip("t_uuid_char", values) == [str(v) for v in values]


def test_nil_and_time_based_uuids(roundtrip: RoundTrip) -> None:
    values = [UUID(int=0), UUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8")]
    assert roundtrip("t_uuid", values) == [str(v) for v in values]


@SETTINGS
@given(values=_rows(st.sampled_from(ENUM_LABELS)))
def test_enum_labels_round_trip(roundtrip: RoundTrip, values: list[str]) -> None:
    assert roundtrip("t_enum", values) == values


@SETTINGS
@given(values=_rows(st.lists(st.sampled_from(SET_LABELS), unique=True)))
def test_set_values_round_trip(roundtrip: RoundTrip, values: list[list[str]]) -> None:
    """SET values are comma-separated labels in declaration order (``seeder.dataset``); MySQL returns that order."""
    texts_in_order = [",".join(label for label in SET_LABELS if label in chosen) for chosen in values]
    back = roundtrip("t_set", texts_in_order)
    assert [b if isinstance(b, str) else ",".join(label for label in SET_LABELS if label in b) for b in back] == \
        texts_in_order


# ------------------------------------------------------------------------------------------------ whole script


TEXT_TABLE = Table(TableName(None, "t_script"), (Column("id", ColumnType("integer", "INT"), nullable=False),
                                                 Column("v", ColumnType("text", "LONGTEXT"))), PrimaryKey(("id",)))


def _script_dataset(values: list[str]) -> Dataset:
    schema = Schema((TEXT_TABLE,), "mysql")
    plan = Plan(order=(TEXT_TABLE.name,), generations=((TEXT_TABLE.name,),),
                tables={TEXT_TABLE.name: TablePlan(TEXT_TABLE.name, len(values), len(values))})
    td = TableData(TEXT_TABLE, ("id", "v"), (list(range(len(values))), list(values)))
    return Dataset(schema=schema, plan=plan, tables=[td])


@settings(max_examples=15, deadline=None)
@given(values=_rows(texts))
@example(values=["", "a\\b", "it's", "\\", "x\x00y", "😀 ünï"])
def test_script_through_the_mariadb_client_from_a_hostile_session(literal_db: str, tmp_path_factory: Any,
                                                                   values: list[str]) -> None:
    """The session starts in latin1 with NO_BACKSLASH_ESCAPES and EMPTY_STRING_IS_NULL; the script's own settings
    (SET NAMES utf8mb4, its sql_mode) undo all three."""
    mysql_query(literal_db, "DELETE FROM t_script")
    out: Path = tmp_path_factory.mktemp("script") / "out.sql"
    with out.open("w", encoding="utf-8") as f:
        write_sql(_script_dataset(values), f, "mysql")
    hostile = "SET NAMES latin1; SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES,EMPTY_STRING_IS_NULL';\n"
    run_mysql(literal_db, hostile + out.read_text(encoding="utf-8"))
    back = [r[0] for r in mysql_query(literal_db, "SELECT v FROM t_script ORDER BY id")]
    assert back == [strip_nul(v) for v in values]
