"""Data that holds together, measured with SQL on real PostgreSQL databases (issue #13, the families of the
plan's semantic layer that live inside one row or one column).

Each corpus schema (the shop of examples/shop.sql, pagila, chinook, northwind, adventureworks, employees) is created
in a fresh database, ``seeder generate --rows 200 --seed 1`` is loaded with psql, and each family is measured as a
rate over the loaded rows, with the default settings (no per-column configuration, local generator):

* within-row time order: 0% wrong, and lags of days for shipping and returns;
* linked columns: at most 2% contradictory (status vs timestamps, first name vs gender and courtesy title, card type
  vs number prefix and Luhn digit, paired flags);
* country, state, postal code and phone agree in at least 95% of rows;
* titles and names: at most 5% made of lorem words, no category from another domain, at most 1% numbered names;
* lookup tables: at most 50 rows;
* magnitudes: at least 99% of values within the range their meaning gives;
* same-row sums: 0% wrong.

The schemas in MySQL's or SQLite's dialect (employees, the shop) are rendered for PostgreSQL by ``seeder ddl``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from seeder.cli import cli
from seeder.domains import domain_values
from seeder.generate.linked_records import card_prefix
from seeder.generate.values.codes import luhn_valid
from seeder.generate.values.places import COUNTRIES, US_CITIES
from tests.engines import pg_query, pg_rate, pg_schema_databases

pytestmark = pytest.mark.postgres

ROWS = 200
REPO = Path(__file__).resolve().parent.parent
SCHEMAS = {
    "shop": REPO / "examples" / "shop.sql",
    "pagila": "pagila/postgres.sql",
    "chinook": "chinook/postgres.sql",
    "northwind": "northwind/postgres.sql",
    "adventureworks": "adventureworks/postgres.sql",
    "employees": "employees/mysql.sql",
}


@pytest.fixture(scope="module")
def loaded(pg_server, tmp_path_factory) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    """Per schema name, the URL of a database holding the schema and ``ROWS`` generated rows (created on first
    use, dropped at the end of the module)."""
    def write_rows(_schema: Any, path: Path, folder: Path) -> Path:
        out = folder / "data.sql"
        result = CliRunner().invoke(cli, ["generate", str(path), "--rows", str(ROWS), "--seed", "1", "--to",
                                          "postgres", "-o", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return out

    yield from pg_schema_databases(pg_server, tmp_path_factory, SCHEMAS, write_rows)


rate = pg_rate


# ----------------------------------------------------------------------------------------------------------- time


@pytest.mark.parametrize(("schema", "table", "earlier", "later"), [
    ("shop", '"order"', "ordered_at", "shipped_at"),
    ("shop", "customer", "created_at", "updated_at"),
    ("pagila", "rental", "rental_date", "return_date"),
    ("northwind", "orders", "order_date", "shipped_date"),
    ("northwind", "orders", "order_date", "required_date"),
    ("adventureworks", "sales.salesorderheader", "orderdate", "shipdate"),
    ("adventureworks", "sales.salesorderheader", "orderdate", "duedate"),
    ("adventureworks", "production.product", "sellstartdate", "sellenddate"),
    ("employees", "employees", "birth_date", "hire_date"),
])
def test_within_row_time_order_is_never_wrong(loaded: dict[str, str], schema: str, table: str, earlier: str,
                                              later: str) -> None:
    url = loaded[schema]
    assert rate(url, f"SELECT 1 FROM {table} WHERE {later} < {earlier}",
                f"SELECT 1 FROM {table} WHERE {later} IS NOT NULL AND {earlier} IS NOT NULL") == 0.0


@pytest.mark.parametrize(("schema", "table", "earlier", "later", "low_days", "high_days"), [
    ("pagila", "rental", "rental_date", "return_date", 1, 10),
    ("northwind", "orders", "order_date", "shipped_date", 1, 10),
    ("adventureworks", "sales.salesorderheader", "orderdate", "shipdate", 1, 10),
])
def test_lags_are_days_not_hours_or_years(loaded: dict[str, str], schema: str, table: str, earlier: str, later: str,
                                          low_days: int, high_days: int) -> None:
    url = loaded[schema]
    span = f"({later}::timestamp - {earlier}::timestamp)"
    outside = rate(url, f"SELECT 1 FROM {table} WHERE {span} < interval '{low_days} days' - interval '1 hour' "
                        f"OR {span} > interval '{high_days + 1} days'",
                   f"SELECT 1 FROM {table} WHERE {later} IS NOT NULL AND {earlier} IS NOT NULL")
    assert outside <= 0.01


def test_people_are_hired_as_adults(loaded: dict[str, str]) -> None:
    url = loaded["employees"]
    assert rate(url, "SELECT 1 FROM employees WHERE hire_date < birth_date + interval '18 years'",
                "SELECT 1 FROM employees") == 0.0


# --------------------------------------------------------------------------------------------------------- linked


def test_nothing_shipped_while_pending(loaded: dict[str, str]) -> None:
    url = loaded["shop"]
    wrong = rate(url, """SELECT 1 FROM "order" WHERE (status IN ('pending', 'paid', 'cancelled')
                         AND shipped_at IS NOT NULL) OR (status IN ('shipped', 'delivered') AND shipped_at IS NULL)""",
                 'SELECT 1 FROM "order"')
    assert wrong <= 0.02


@cache
def _gendered_names() -> tuple[frozenset[str], frozenset[str]]:
    from faker import Faker

    person = Faker("en_US").provider("faker.providers.person")
    male, female = set(person.first_names_male), set(person.first_names_female)
    return frozenset(male - female), frozenset(female - male)


def test_first_name_agrees_with_gender(loaded: dict[str, str]) -> None:
    male, female = _gendered_names()
    rows = pg_query(loaded["employees"], "SELECT first_name, gender::text FROM employees")
    wrong = sum(1 for name, g in rows if (g == "M" and name in female) or (g == "F" and name in male))
    assert wrong / len(rows) <= 0.02


def test_courtesy_title_agrees_with_first_name(loaded: dict[str, str]) -> None:
    male, female = _gendered_names()
    rows = pg_query(loaded["northwind"], "SELECT first_name, title_of_courtesy FROM employees "
                                         "WHERE title_of_courtesy IS NOT NULL")
    wrong = sum(1 for name, t in rows if (t == "Mr." and name in female) or (t in ("Ms.", "Mrs.") and name in male))
    assert rows and wrong / len(rows) <= 0.02
    titles = pg_query(loaded["adventureworks"], "SELECT title FROM person.person WHERE title IS NOT NULL")
    assert {t for (t,) in titles} <= {"Mr.", "Ms.", "Mrs."}  # courtesy titles, not job titles


def test_card_number_matches_type_and_passes_luhn(loaded: dict[str, str]) -> None:
    rows = pg_query(loaded["adventureworks"], "SELECT cardtype, cardnumber, expmonth FROM sales.creditcard")
    types = sorted({t for t, _, _ in rows})
    wrong = sum(1 for t, number, month in rows
                if not number.startswith(card_prefix(t, types)[0]) or not luhn_valid(number) or not 1 <= month <= 12)
    assert wrong / len(rows) <= 0.02


def test_paired_flags_agree(loaded: dict[str, str]) -> None:
    url = loaded["pagila"]
    assert rate(url, "SELECT 1 FROM customer WHERE activebool <> (active = 1)",
                "SELECT 1 FROM customer WHERE active IS NOT NULL") <= 0.02


# ------------------------------------------------------------------------------------------------------ geography

_POSTAL = {
    "United States": r"^\d{5}(-\d{4})?$", "United Kingdom": r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$",
    "Canada": r"^[A-Z]\d[A-Z] ?\d[A-Z]\d$", "Germany": r"^\d{5}$", "France": r"^\d{5}$", "Spain": r"^\d{5}$",
    "Italy": r"^\d{5}$", "Netherlands": r"^\d{4} ?[A-Z]{2}$", "Australia": r"^\d{4}$", "Brazil": r"^\d{5}-?\d{3}$",
    "India": r"^\d{6}$",
}


def _agree(country: str | None, state: str | None, postal: str | None, phone: str | None) -> bool:
    by_name = {c.name: c for c in COUNTRIES}
    if country not in by_name:
        return False
    c = by_name[country]
    if phone is not None and not phone.startswith(f"+{c.calling_code} "):
        return False
    if postal is not None and not re.match(_POSTAL[country], postal):
        return False
    return not (country == "United States" and state is not None and state not in {s for _, s, _ in US_CITIES})


@pytest.mark.parametrize(("schema", "sql"), [
    ("shop", "SELECT country, NULL, postal_code, NULL FROM address"),
    ("chinook", "SELECT country, state, postal_code, phone FROM customer"),
    ("chinook", "SELECT country, state, postal_code, phone FROM employee"),
    ("northwind", "SELECT country, region, postal_code, phone FROM customers"),
    ("northwind", "SELECT country, region, postal_code, phone FROM suppliers"),
    ("northwind", "SELECT ship_country, ship_region, ship_postal_code, NULL FROM orders"),
])
def test_country_state_postal_code_and_phone_agree(loaded: dict[str, str], schema: str, sql: str) -> None:
    rows = [r for r in pg_query(loaded[schema], sql) if r[0] is not None]
    agreeing = sum(1 for r in rows if _agree(*r))
    assert rows and agreeing / len(rows) >= 0.95, rows[:5]


def test_us_states_table_lists_us_states_with_their_codes(loaded: dict[str, str]) -> None:
    pairs = {(name, code) for _, name, code in US_CITIES}
    rows = pg_query(loaded["northwind"], "SELECT state_name, state_abbr FROM us_states "
                                         "WHERE state_name IS NOT NULL AND state_abbr IS NOT NULL")
    assert rows and sum(1 for r in rows if tuple(r) in pairs) / len(rows) >= 0.95


# ----------------------------------------------------------------------------------------------------- vocabulary


@cache
def _lorem() -> frozenset[str]:
    from faker.providers.lorem.en_US import Provider as Lorem

    return frozenset(w.lower() for w in Lorem.word_list)


def _lorem_share(values: list[str]) -> float:
    lorem = _lorem()
    made_of_lorem = [v for v in values if all(w in lorem for w in re.findall(r"[a-z]+", v.lower()))]
    return len(made_of_lorem) / len(values)


@pytest.mark.parametrize(("schema", "sql"), [
    ("pagila", "SELECT title FROM film"),
    ("chinook", "SELECT title FROM album"),
    ("chinook", "SELECT name FROM track"),
    ("chinook", "SELECT name FROM playlist WHERE name IS NOT NULL"),
    ("chinook", "SELECT name FROM artist WHERE name IS NOT NULL"),
    ("shop", "SELECT name FROM product"),
    ("northwind", "SELECT product_name FROM products"),
    ("adventureworks", "SELECT name FROM production.product"),
])
def test_titles_and_names_are_not_lorem_words(loaded: dict[str, str], schema: str, sql: str) -> None:
    values = [v for (v,) in pg_query(loaded[schema], sql)]
    assert values and _lorem_share(values) <= 0.05


@pytest.mark.parametrize(("schema", "sql", "domain"), [
    ("shop", "SELECT name FROM category", "shop_category"),
    ("pagila", "SELECT name FROM category", "film_category"),
    ("chinook", "SELECT name FROM genre WHERE name IS NOT NULL", "music_genre"),
    ("northwind", "SELECT category_name FROM categories", "shop_category"),
    ("employees", "SELECT dept_name FROM departments", "department"),
    ("shop", "SELECT title FROM review WHERE title IS NOT NULL", "review_title"),
])
def test_categories_come_from_the_schemas_domain(loaded: dict[str, str], schema: str, sql: str,
                                                 domain: str) -> None:
    values = {v for (v,) in pg_query(loaded[schema], sql)}
    assert values and values <= set(domain_values(domain))


@pytest.mark.parametrize(("schema", "table", "column"), [
    ("shop", "category", "name"), ("pagila", "category", "name"), ("pagila", "film", "title"),
    ("chinook", "genre", "name"), ("chinook", "album", "title"), ("chinook", "track", "name"),
    ("employees", "departments", "dept_name"), ("northwind", "categories", "category_name"),
])
def test_names_are_not_numbered(loaded: dict[str, str], schema: str, table: str, column: str) -> None:
    url = loaded[schema]
    assert rate(url, f"SELECT 1 FROM {table} WHERE {column} ~ '[0-9]+$'",
                f"SELECT 1 FROM {table} WHERE {column} IS NOT NULL") <= 0.01


def test_codes_look_like_codes(loaded: dict[str, str]) -> None:
    for schema, sql in (("shop", "SELECT sku FROM product"),
                        ("adventureworks", "SELECT productnumber FROM production.product"),
                        ("adventureworks", "SELECT accountnumber FROM purchasing.vendor")):
        values = [v for (v,) in pg_query(loaded[schema], sql)]
        shaped = [v for v in values if re.fullmatch(r"[A-Z]{2}\d{3,}", v.strip()) and luhn_valid(v)]
        assert len(shaped) / len(values) >= 0.99, values[:5]


# --------------------------------------------------------------------------------------------- shapes, magnitudes


@pytest.mark.parametrize(("schema", "table"), [
    ("shop", "category"), ("pagila", "language"), ("pagila", "category"), ("pagila", "country"),
    ("pagila", "store"), ("chinook", "genre"), ("chinook", "media_type"), ("northwind", "categories"),
    ("northwind", "region"), ("northwind", "shippers"), ("employees", "departments"),
])
def test_lookup_tables_are_small(loaded: dict[str, str], schema: str, table: str) -> None:
    assert pg_query(loaded[schema], f"SELECT count(*) FROM {table}")[0][0] <= 50


@pytest.mark.parametrize(("schema", "table", "inside"), [
    ("pagila", "payment", "amount BETWEEN 0 AND 20"),
    ("pagila", "film", "rental_rate BETWEEN 0.99 AND 4.99"),
    ("pagila", "film", "replacement_cost BETWEEN 9.99 AND 29.99"),
    ("chinook", "track", "unit_price BETWEEN 0.99 AND 1.99"),
    ("adventureworks", "sales.creditcard", "expmonth BETWEEN 1 AND 12"),
    ("adventureworks", "production.product", "listprice >= standardcost"),
    ("northwind", "products", "discontinued IN (0, 1)"),
    ("northwind", "orders", "freight IS NULL OR freight BETWEEN 1 AND 200"),
    ("employees", "salaries", "salary BETWEEN 30000 AND 200000"),
    ("shop", "product", "price BETWEEN 1 AND 500"),
])
def test_values_lie_within_their_meanings_magnitude(loaded: dict[str, str], schema: str, table: str,
                                                    inside: str) -> None:
    url = loaded[schema]
    assert rate(url, f"SELECT 1 FROM {table} WHERE NOT ({inside})", f"SELECT 1 FROM {table}") <= 0.01


def test_same_row_sums_are_never_wrong(loaded: dict[str, str]) -> None:
    url = loaded["adventureworks"]
    assert rate(url, "SELECT 1 FROM sales.salesorderheader WHERE totaldue <> subtotal + taxamt + freight",
                "SELECT 1 FROM sales.salesorderheader") == 0.0
