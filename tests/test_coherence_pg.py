"""Rows that hold together across foreign keys (issue #13, cross-table half), measured with SQL on real databases.

Each corpus schema (the shop of examples/shop.sql, pagila, chinook, northwind, adventureworks, employees) is created
in a fresh PostgreSQL database, ``seeder generate --rows 200 --seed 1`` is loaded with psql (aggregates arrive as
UPDATEs at the end of the script), and each family is measured as a rate over the loaded rows, with the default
settings (no per-column configuration, local generator); the shop is also loaded into SQLite with ``seeder load``:

* FK pairs that must agree through a shared ancestor: at most 1% disagree;
* existence (a review implies a purchase, a department manager is a member of the department): at most 1% without;
* derived totals: 0% wrong; copied prices and billing addresses: at least 90% equal;
* child after parent: at most 1% wrong; history periods: none overlap, at most one open per parent;
* shapes: at most 5% childless parents where children outnumber parents 3 to 1 (every order has a line); the top
  10% of customers hold a clearly larger share of the orders than an even spread gives.

The schemas in MySQL's or SQLite's dialect (employees, the shop) are rendered for PostgreSQL by ``seeder ddl``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from seeder.cli import cli
from tests.engines import (
    create_mysql_schema,
    mysql_query,
    pg_query,
    pg_rate,
    pg_schema_databases,
    run_psql,
    schema_path,
    sqlite_query,
)

ROWS = 200
REPO = Path(__file__).resolve().parent.parent
SHOP = REPO / "examples" / "shop.sql"
SCHEMAS = {
    "shop": SHOP,
    "pagila": "pagila/postgres.sql",
    "chinook": "chinook/postgres.sql",
    "northwind": "northwind/postgres.sql",
    "adventureworks": "adventureworks/postgres.sql",
    "employees": "employees/mysql.sql",
}


@pytest.fixture(scope="module")
def loaded(pg_server, tmp_path_factory) -> Iterator[dict[str, str]]:  # type: ignore[no-untyped-def]
    """Per schema name, the URL of a PostgreSQL database holding the schema and ``ROWS`` generated rows (created on
    first use, dropped at the end of the module)."""
    def write_rows(_schema: Any, path: Path, folder: Path) -> Path:
        out = folder / "data.sql"
        result = CliRunner().invoke(cli, ["generate", str(path), "--rows", str(ROWS), "--seed", "1", "--to",
                                          "postgres", "-o", str(out)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return out

    yield from pg_schema_databases(pg_server, tmp_path_factory, SCHEMAS, write_rows)


rate = pg_rate


# ------------------------------------------------------------------------------------------------------ agreement

#: (schema, rows that disagree, rows where both FKs are set)
AGREEMENTS = [
    ("shop", 'SELECT 1 FROM "order" o JOIN address a USING (address_id) WHERE a.customer_id <> o.customer_id',
     'SELECT 1 FROM "order"'),
    ("shop", "SELECT 1 FROM customer c JOIN address a ON a.address_id = c.default_address_id "
             "WHERE a.customer_id <> c.customer_id", "SELECT 1 FROM customer WHERE default_address_id IS NOT NULL"),
    ("pagila", "SELECT 1 FROM payment p JOIN rental r USING (rental_id) WHERE p.customer_id <> r.customer_id",
     "SELECT 1 FROM payment WHERE rental_id IS NOT NULL"),
    ("pagila", "SELECT 1 FROM rental r JOIN staff s USING (staff_id) JOIN inventory i USING (inventory_id) "
               "WHERE s.store_id <> i.store_id", "SELECT 1 FROM rental"),
    ("pagila", "SELECT 1 FROM rental r JOIN customer c USING (customer_id) JOIN inventory i USING (inventory_id) "
               "WHERE c.store_id <> i.store_id", "SELECT 1 FROM rental"),
    ("adventureworks", "SELECT 1 FROM sales.salesorderheader h JOIN sales.salesperson s "
                       "ON s.businessentityid = h.salespersonid WHERE s.territoryid <> h.territoryid",
     "SELECT 1 FROM sales.salesorderheader h JOIN sales.salesperson s ON s.businessentityid = h.salespersonid "
     "WHERE s.territoryid IS NOT NULL AND h.territoryid IS NOT NULL"),
    ("adventureworks", "SELECT 1 FROM sales.salesorderheader h JOIN sales.customer c USING (customerid) "
                       "WHERE c.territoryid <> h.territoryid",
     "SELECT 1 FROM sales.salesorderheader h JOIN sales.customer c USING (customerid) "
     "WHERE c.territoryid IS NOT NULL AND h.territoryid IS NOT NULL"),
]


@pytest.mark.postgres
@pytest.mark.parametrize(("schema", "bad", "total"), AGREEMENTS, ids=[f"{a[0]}-{i}" for i, a in enumerate(AGREEMENTS)])
def test_fk_pairs_that_must_agree_do(loaded: dict[str, str], schema: str, bad: str, total: str) -> None:
    assert rate(loaded[schema], bad, total) <= 0.01


# ------------------------------------------------------------------------------------------------------ existence


@pytest.mark.postgres
@pytest.mark.parametrize(("schema", "bad", "total"), [
    ("shop", "SELECT 1 FROM review r WHERE NOT EXISTS (SELECT 1 FROM order_item i JOIN \"order\" o USING (order_id) "
             "WHERE i.product_id = r.product_id AND o.customer_id = r.customer_id)", "SELECT 1 FROM review"),
    ("employees", "SELECT 1 FROM dept_manager m WHERE NOT EXISTS (SELECT 1 FROM dept_emp e "
                  "WHERE e.emp_no = m.emp_no AND e.dept_no = m.dept_no)", "SELECT 1 FROM dept_manager"),
], ids=["review-implies-purchase", "manager-is-member"])
def test_rows_that_imply_another_row_have_it(loaded: dict[str, str], schema: str, bad: str, total: str) -> None:
    assert rate(loaded[schema], bad, total) <= 0.01


# -------------------------------------------------------------------------------------------------------- derived


@pytest.mark.postgres
@pytest.mark.parametrize(("schema", "bad", "total"), [
    ("chinook", 'SELECT 1 FROM invoice v WHERE total <> (SELECT coalesce(sum(unit_price * quantity), 0) '
                'FROM invoice_line l WHERE l.invoice_id = v.invoice_id)', "SELECT 1 FROM invoice"),
    ("adventureworks", "SELECT 1 FROM sales.salesorderheader h WHERE subtotal <> (SELECT coalesce(sum(unitprice * "
                       "orderqty), 0) FROM sales.salesorderdetail d WHERE d.salesorderid = h.salesorderid)",
     "SELECT 1 FROM sales.salesorderheader"),
    ("adventureworks", "SELECT 1 FROM sales.salesorderheader WHERE totaldue <> subtotal + taxamt + freight",
     "SELECT 1 FROM sales.salesorderheader"),
    ("adventureworks", "SELECT 1 FROM purchasing.purchaseorderheader h WHERE subtotal <> (SELECT coalesce(sum("
                       "unitprice * orderqty), 0) FROM purchasing.purchaseorderdetail d "
                       "WHERE d.purchaseorderid = h.purchaseorderid)", "SELECT 1 FROM purchasing.purchaseorderheader"),
], ids=["chinook-invoice-total", "adventureworks-subtotal", "adventureworks-totaldue", "adventureworks-po-subtotal"])
def test_derived_totals_are_never_wrong(loaded: dict[str, str], schema: str, bad: str, total: str) -> None:
    assert rate(loaded[schema], bad, total) == 0.0


@pytest.mark.postgres
@pytest.mark.parametrize(("schema", "equal", "total"), [
    ("shop", "SELECT 1 FROM order_item i JOIN product p USING (product_id) WHERE i.unit_price = p.price",
     "SELECT 1 FROM order_item"),
    ("chinook", "SELECT 1 FROM invoice_line l JOIN track t USING (track_id) WHERE l.unit_price = t.unit_price",
     "SELECT 1 FROM invoice_line"),
    ("chinook", "SELECT 1 FROM invoice v JOIN customer c USING (customer_id) WHERE v.billing_country = c.country",
     "SELECT 1 FROM invoice"),
    ("northwind", "SELECT 1 FROM order_details d JOIN products p USING (product_id) WHERE d.unit_price = p.unit_price",
     "SELECT 1 FROM order_details"),
], ids=["shop-unit-price", "chinook-unit-price", "chinook-billing-country", "northwind-unit-price"])
def test_copied_values_mostly_equal_the_parents(loaded: dict[str, str], schema: str, equal: str, total: str) -> None:
    assert rate(loaded[schema], equal, total) >= 0.90


# ----------------------------------------------------------------------------------------------------------- time


@pytest.mark.postgres
@pytest.mark.parametrize(("schema", "bad", "total"), [
    ("shop", 'SELECT 1 FROM "order" o JOIN customer c USING (customer_id) WHERE o.ordered_at < c.created_at',
     'SELECT 1 FROM "order"'),
    ("shop", "SELECT 1 FROM review r JOIN customer c USING (customer_id) WHERE r.created_at < c.created_at",
     "SELECT 1 FROM review"),
    ("pagila", "SELECT 1 FROM rental r JOIN customer c USING (customer_id) WHERE r.rental_date < c.create_date",
     "SELECT 1 FROM rental"),
    ("pagila", "SELECT 1 FROM payment p JOIN rental r USING (rental_id) WHERE p.payment_date < r.rental_date",
     "SELECT 1 FROM payment WHERE rental_id IS NOT NULL"),
    ("employees", "SELECT 1 FROM salaries s JOIN employees e USING (emp_no) WHERE s.from_date < e.hire_date",
     "SELECT 1 FROM salaries"),
    ("northwind", "SELECT 1 FROM orders o JOIN employees e USING (employee_id) WHERE o.order_date < e.hire_date",
     "SELECT 1 FROM orders WHERE employee_id IS NOT NULL"),
], ids=["shop-order", "shop-review", "pagila-rental", "pagila-payment", "employees-salary", "northwind-order"])
def test_children_come_after_their_parent(loaded: dict[str, str], schema: str, bad: str, total: str) -> None:
    assert rate(loaded[schema], bad, total) <= 0.01


@pytest.mark.postgres
@pytest.mark.parametrize("table", ["salaries", "titles", "dept_emp"])
def test_history_periods_never_overlap_and_one_at_most_is_open(loaded: dict[str, str], table: str) -> None:
    url = loaded["employees"]
    overlapping = pg_query(url, f"SELECT count(*) FROM {table} a JOIN {table} b ON a.emp_no = b.emp_no "
                                f"AND a.ctid < b.ctid AND a.from_date < b.to_date AND b.from_date < a.to_date")[0][0]
    assert overlapping == 0
    is_open = "(to_date IS NULL OR to_date >= '9999-01-01')"  # titles: NULL; the others: the 9999 sentinel
    open_twice = pg_query(url, f"SELECT count(*) FROM (SELECT emp_no FROM {table} WHERE {is_open} "
                               f"GROUP BY emp_no HAVING count(*) > 1) AS t")[0][0]
    assert open_twice == 0
    assert pg_query(url, f"SELECT count(*) FROM {table} WHERE {is_open}")[0][0] > 0


# --------------------------------------------------------------------------------------------------------- shapes


@pytest.mark.postgres
@pytest.mark.parametrize(("schema", "childless", "parents"), [
    ("shop", 'SELECT 1 FROM "order" o WHERE NOT EXISTS (SELECT 1 FROM order_item i WHERE i.order_id = o.order_id)',
     'SELECT 1 FROM "order"'),
    ("chinook", "SELECT 1 FROM invoice v WHERE NOT EXISTS (SELECT 1 FROM invoice_line l "
                "WHERE l.invoice_id = v.invoice_id)", "SELECT 1 FROM invoice"),
    ("northwind", "SELECT 1 FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_details d "
                  "WHERE d.order_id = o.order_id)", "SELECT 1 FROM orders"),
], ids=["shop-order-lines", "chinook-invoice-lines", "northwind-order-lines"])
def test_few_parents_are_childless_where_children_outnumber_them(loaded: dict[str, str], schema: str,
                                                                 childless: str, parents: str) -> None:
    assert rate(loaded[schema], childless, parents) <= 0.05


@pytest.mark.postgres
def test_a_few_customers_hold_many_orders(loaded: dict[str, str]) -> None:
    counts = [r[0] for r in pg_query(loaded["shop"], 'SELECT count(o.order_id) FROM customer c LEFT JOIN "order" o '
                                                     "USING (customer_id) GROUP BY c.customer_id ORDER BY 1 DESC")]
    top = sum(counts[: len(counts) // 10])
    assert top / sum(counts) >= 0.40  # an even spread gives the top 10% about 28-32%


# ---------------------------------------------------------------------------------------------- SQLite, the shop


def test_shop_loaded_into_sqlite_holds_together(tmp_path: Path) -> None:
    db = tmp_path / "shop.db"
    result = CliRunner().invoke(cli, ["load", str(SHOP), "--db", f"sqlite:///{db}", "--create-schema", "--rows",
                                      str(ROWS), "--seed", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output

    def count(sql: str) -> int:
        return sqlite_query(db, f"SELECT count(*) FROM ({sql})")[0][0]

    assert count('SELECT 1 FROM "order"') == ROWS
    assert count('SELECT 1 FROM "order" o JOIN address a USING (address_id) WHERE a.customer_id <> o.customer_id') \
        <= ROWS * 0.01
    assert count('SELECT 1 FROM "order" o WHERE NOT EXISTS (SELECT 1 FROM order_item i '
                 'WHERE i.order_id = o.order_id)') == 0
    assert count("SELECT 1 FROM order_item i JOIN product p USING (product_id) WHERE i.unit_price = p.price") \
        >= 0.9 * count("SELECT 1 FROM order_item")
    assert count('SELECT 1 FROM review r WHERE NOT EXISTS (SELECT 1 FROM order_item i JOIN "order" o '
                 "USING (order_id) WHERE i.product_id = r.product_id AND o.customer_id = r.customer_id)") \
        <= ROWS * 0.01


# ------------------------------------------------------------------------------ aggregates in MariaDB and SQLite

TOTALS_WRONG = ("SELECT count(*) FROM Invoice v WHERE Total <> (SELECT coalesce(sum(UnitPrice * Quantity), 0) "
                "FROM InvoiceLine l WHERE l.InvoiceId = v.InvoiceId)")


def test_invoice_totals_add_up_in_mariadb(mysql_url: str) -> None:
    ddl = schema_path("chinook/mysql.sql")
    create_mysql_schema(mysql_url, ddl)
    result = CliRunner().invoke(cli, ["load", str(ddl), "--db", mysql_url, "--rows", "60", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert mysql_query(mysql_url, "SELECT count(*) FROM Invoice")[0][0] > 0
    assert mysql_query(mysql_url, TOTALS_WRONG)[0][0] == 0


def test_invoice_totals_add_up_in_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "chinook.db"
    ddl = schema_path("chinook/sqlite.sql")
    result = CliRunner().invoke(cli, ["load", str(ddl), "--db", f"sqlite:///{db}", "--create-schema", "--rows", "60",
                                      "--seed", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert sqlite_query(db, "SELECT count(*) FROM Invoice")[0][0] > 0
    # SQLite keeps NUMERIC(10,2) as REAL: sums of products are binary fractions, so compare to the cent
    assert sqlite_query(db, TOTALS_WRONG.replace("Total <> (", "abs(Total - (") + ") >= 0.005")[0][0] == 0


@pytest.mark.postgres
def test_invoice_totals_add_up_after_a_copy_load(pg_server) -> None:  # type: ignore[no-untyped-def]
    name = pg_server.create_database()
    try:
        url = pg_server.url(name)
        ddl = schema_path("chinook/postgres.sql")
        run_psql(url, ddl, single_transaction=True)
        result = CliRunner().invoke(cli, ["load", str(ddl), "--db", url, "--method", "copy", "--rows", "60",
                                          "--seed", "1"])
        assert result.exit_code == 0, result.output
        wrong = pg_query(url, "SELECT count(*) FROM invoice v WHERE total <> (SELECT coalesce(sum(unit_price * "
                              "quantity), 0) FROM invoice_line l WHERE l.invoice_id = v.invoice_id)")[0][0]
        assert wrong == 0 and pg_query(url, "SELECT count(*) FROM invoice")[0][0] > 0
    finally:
        pg_server.drop_database(name)


def test_shop_seeded_twice_in_place_still_holds_together(tmp_path: Path) -> None:
    """Existing rows (engine design, section 5): the second run's orders may belong to old customers and take one
    of their old addresses, its lines go to its own new orders, its reviews to new purchases no review holds."""
    db = tmp_path / "shop.db"
    for i, seed in enumerate(("1", "2")):
        args = ["load", str(SHOP), "--db", f"sqlite:///{db}", "--rows", "100", "--seed", seed]
        result = CliRunner().invoke(cli, args + (["--create-schema"] if i == 0 else []), catch_exceptions=False)
        assert result.exit_code == 0, result.output

    def count(sql: str) -> int:
        return sqlite_query(db, f"SELECT count(*) FROM ({sql})")[0][0]

    assert count('SELECT 1 FROM "order"') == 200
    assert count('SELECT 1 FROM "order" o JOIN customer c USING (customer_id) WHERE c.customer_id <= 100') > 0
    assert count('SELECT 1 FROM "order" o JOIN address a USING (address_id) WHERE a.customer_id <> o.customer_id') \
        <= 2
    assert count('SELECT 1 FROM "order" o WHERE NOT EXISTS (SELECT 1 FROM order_item i '
                 'WHERE i.order_id = o.order_id)') <= 2
    assert count('SELECT 1 FROM review r WHERE NOT EXISTS (SELECT 1 FROM order_item i JOIN "order" o '
                 "USING (order_id) WHERE i.product_id = r.product_id AND o.customer_id = r.customer_id)") <= 4
