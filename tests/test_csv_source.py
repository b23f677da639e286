"""CSV files as SOURCE: inference (types, NOT NULL, keys, value lists, proposed foreign keys), the round trip through
a real corpus schema, a folder of CSVs into SQLite in one command with distributions close to the CSVs', and clear
errors for malformed files."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from seeder import api
from seeder.cli import cli
from seeder.profiles.fidelity import column_fidelity
from seeder.readers.csv_values import cell
from seeder.schema import TableName
from tests.engines import schema_path, sqlite_fk_check, sqlite_query

#: Largest distance accepted between a CSV column and the generated one (TVD for categories, KS otherwise). With a
#: few hundred rows each side, sampling noise alone is ~0.05-0.1; the local generator ignoring the CSV gives 0.3-1.
CLOSE = 0.15


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


@pytest.fixture
def shop_csvs(tmp_path: Path) -> Path:
    """Two related CSV files with skewed categories, a normal-ish price, dates in a narrow window and order codes."""
    rng = random.Random(7)
    folder = tmp_path / "csv"
    folder.mkdir()
    write_csv(folder / "customers.csv", ["customer_id", "name", "email", "country", "signup_date", "tier"], [
        [i, f"{rng.choice(['Ann', 'Bob', 'Cy', 'Di'])} {rng.choice(['Lee', 'Moss', 'Ng'])}", f"user{i}@example.com",
         rng.choices(["FR", "DE", "JP", "US"], [6, 2, 1, 1])[0],
         (dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 365))).isoformat(),
         rng.choice(["gold", "silver", "", "", ""])]
        for i in range(1, 301)])
    write_csv(folder / "orders.csv", ["order_id", "customer_id", "total", "placed_at", "code"], [
        [i, rng.randint(1, 300), f"{max(1.0, rng.gauss(80, 15)):.2f}",
         (dt.datetime(2022, 3, 1) + dt.timedelta(minutes=rng.randint(0, 200_000))).isoformat(sep=" "),
         f"OR-{rng.randint(0, 9999):04d}"]
        for i in range(1, 401)])
    return folder


def test_inference_types_keys_checks_and_proposed_foreign_keys(shop_csvs: Path) -> None:
    src = api.read_source(str(shop_csvs))
    assert src.kind == "csv"
    customers = src.schema.table(TableName(None, "customers"))
    orders = src.schema.table(TableName(None, "orders"))
    kinds = {c.name: c.type.kind for c in (*customers.columns, *orders.columns)}
    assert kinds == {"customer_id": "integer", "name": "varchar", "email": "varchar", "country": "varchar",
                     "signup_date": "date", "tier": "varchar", "order_id": "integer", "total": "decimal",
                     "placed_at": "timestamp", "code": "varchar"}
    assert customers.primary_key.columns == ("customer_id",) and orders.primary_key.columns == ("order_id",)
    assert [u.columns for u in customers.uniques] == [("email",)]  # names have spaces: not declared unique
    assert customers.column("tier").nullable and not customers.column("country").nullable
    assert [(fk.columns, str(fk.ref_table)) for fk in orders.foreign_keys] == [(("customer_id",), "customers")]
    checks = " ".join(c.sql for c in (*customers.checks, *(c for col in customers.columns for c in col.checks)))
    assert "country IN ('DE', 'FR', 'JP', 'US')" in checks and "signup_date BETWEEN" in checks
    assert any("proposed foreign key orders.customer_id -> customers.customer_id" in n for n in src.notes)


def test_plan_shows_the_proposed_foreign_keys(shop_csvs: Path) -> None:
    result = CliRunner().invoke(cli, ["plan", str(shop_csvs)])
    assert result.exit_code == 0, result.output
    assert "From the csv source:" in result.stdout
    assert "proposed foreign key orders.customer_id -> customers.customer_id" in result.stdout


def test_corpus_round_trip_keys_types_and_distributions(tmp_path: Path) -> None:
    """Generate CSVs from chinook, infer a schema from them, compare keys and types with the original, then
    generate from the CSVs and compare distributions."""
    original = api.read_schema(schema_path("chinook/sqlite.sql"))
    data = api.generate(original, api.build_plan(original, 300), seed=3)
    folder = tmp_path / "chinook"
    api.write_csv(data, folder)
    src = api.read_source(str(folder))
    inferred = {t.name.name: t for t in src.schema.tables}
    assert set(inferred) == {t.name.name.lower() for t in original.tables}
    family = {"smallint": "int", "integer": "int", "bigint": "int", "decimal": "decimal", "numeric": "decimal",
              "varchar": "str", "char": "str", "text": "str", "timestamp": "time", "date": "time"}
    for table in original.tables:
        mine = inferred[table.name.name.lower()]
        assert mine.primary_key.columns == table.primary_key.columns, table.name
        for col in table.columns:
            assert family[mine.column(col.name).type.kind] == family[col.type.kind], (table.name, col.name)
        expected = {(fk.columns, fk.ref_table.name.lower()) for fk in table.foreign_keys
                    if fk.ref_table != table.name and fk.columns == fk.ref_columns}  # same-name FKs are findable
        assert {(fk.columns, fk.ref_table.name) for fk in mine.foreign_keys} == expected, table.name

    # every table as big as the sample's: the role caps (lookup tables at most 50 rows) would leave 50-row samples
    # to compare, too few for the distance threshold
    regenerated = api.generate(src.schema, api.build_plan(src.schema, 300, semantics=False), seed=11,
                               content=api.profile_content(src.profiles))
    distances = api.fidelity(regenerated, src.profiles)
    measured = [d for d in distances if d.what != "string lengths"]
    assert len(measured) >= 10
    for d in measured:
        assert d.distance <= CLOSE, d.line()


def test_a_folder_of_csvs_becomes_a_seeded_sqlite_database_in_one_command(shop_csvs: Path, tmp_path: Path) -> None:
    db = tmp_path / "shop.db"
    result = CliRunner().invoke(cli, ["load", str(shop_csvs), "--db", f"sqlite:///{db}", "--create-schema",
                                      "--rows", "400", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "Fidelity to the sample" in result.stderr
    assert sqlite_fk_check(db) == []
    assert sqlite_query(db, "SELECT count(*) FROM customers")[0][0] == 400
    profiles = api.read_source(str(shop_csvs)).profiles
    for table, column in [("customers", "country"), ("customers", "tier"), ("customers", "signup_date"),
                          ("orders", "total"), ("orders", "placed_at")]:
        profile = profiles[TableName(None, table)].columns[column]
        values = [cell(v if v is None else str(v), profile.value_type)
                  for (v,) in sqlite_query(db, f"SELECT {column} FROM {table}")]
        d = column_fidelity(table, profile, values)
        assert d.distance <= CLOSE, d.line()
    codes = [c for (c,) in sqlite_query(db, "SELECT code FROM orders")]
    assert all(len(c) == 7 and c.startswith("OR-") and c[3:].isdigit() for c in codes)
    with open(shop_csvs / "orders.csv", encoding="utf-8", newline="") as f:
        sampled = {r["code"] for r in csv.DictReader(f)}
    assert len(set(codes) - sampled) > len(codes) // 2  # codes follow the format, they are not the CSV's codes


def test_same_seed_same_output_and_which_folders_are_csv_sources(shop_csvs: Path, tmp_path: Path) -> None:
    from seeder.readers import csv_source

    outputs = []
    for name in ("a.sql", "b.sql"):
        result = CliRunner().invoke(cli, ["generate", str(shop_csvs), "--rows", "50", "--seed", "4",
                                          "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    (shop_csvs / "README.md").write_text("exported from the shop", encoding="utf-8")
    assert csv_source.claims(str(shop_csvs))
    (shop_csvs / "manage.py").write_text("", encoding="utf-8")
    assert not csv_source.claims(str(shop_csvs))  # a project folder that happens to hold a CSV file


def test_rows_of_the_csv_are_not_copied_unless_allowed(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    folder.mkdir()
    write_csv(folder / "flags.csv", ["id", "state"], [[i, "on" if i % 3 else "off"] for i in range(1, 41)])
    src = api.read_source(str(folder))
    sample = {(i, "on" if i % 3 else "off") for i in range(1, 41)}
    plan = api.build_plan(src.schema, 40)

    def rows(allow: bool) -> set[tuple[object, ...]]:
        data = api.generate(src.schema, plan, seed=1, content=api.profile_content(src.profiles, allow_copies=allow))
        return set(data.tables[0].rows())

    assert rows(allow=True) & sample  # by chance, many rows equal a CSV row
    assert not rows(allow=False) & sample


@pytest.mark.parametrize(("name", "content", "message"), [
    ("dup.csv", "a,a\n1,2\n", "dup.csv:1: the header names column 'a' twice"),
    ("wide.csv", "a,b\n1,2\n1,2,3\n", "wide.csv:3: 3 cells but the header has 2 columns"),
    ("empty.csv", "", "empty.csv: the CSV file is empty"),
    ("blank.csv", "a,\n1,2\n", "blank.csv:1: the header has an empty column name"),
])
def test_malformed_csv_files_are_one_line_errors(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: {path.parent}/{message}"]


def test_a_csv_that_is_not_utf8_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("name\nJos\xe9\n".encode("latin-1"))
    result = CliRunner().invoke(cli, ["plan", str(path)])
    assert result.exit_code == 1 and "not a UTF-8 text file" in result.stderr


@pytest.mark.parametrize("engine", ["postgres", "mysql"])
def test_a_folder_of_csvs_into_postgres_and_mariadb(shop_csvs: Path, engine: str,
                                                    request: pytest.FixtureRequest) -> None:
    from tests.engines import mysql_query, pg_query

    url = request.getfixturevalue("pg_url" if engine == "postgres" else "mysql_url")
    result = CliRunner().invoke(cli, ["load", str(shop_csvs), "--db", url, "--create-schema", "--rows", "60"])
    assert result.exit_code == 0, result.output
    query = pg_query if engine == "postgres" else mysql_query
    assert query(url, "SELECT count(*) FROM orders")[0][0] == 60
    orphans = query(url, "SELECT count(*) FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id "
                         "WHERE c.customer_id IS NULL")
    assert orphans[0][0] == 0
    assert {r[0] for r in query(url, "SELECT DISTINCT country FROM customers")} <= {"FR", "DE", "JP", "US"}
