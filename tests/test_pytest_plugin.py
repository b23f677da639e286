"""The pytest plugin, exercised from test projects run by ``pytester`` in a subprocess (as a user's suite runs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from tests.engines import REPO_ROOT, missing_input

pytest_plugins = ["pytester"]

SA_EXAMPLE = REPO_ROOT / "examples" / "sqlalchemy_shop"
DJANGO_EXAMPLE = REPO_ROOT / "examples" / "django_shop"

SA_TESTS = textwrap.dedent('''
    from sqlalchemy import text

    def test_seeded_once(seeder_db, seeder_data):
        assert seeder_db.execute(text("SELECT count(*) FROM orders")).scalar() == 7
        assert seeder_data.table_data(next(t.table.name for t in seeder_data.tables
                                           if t.table.name.name == "orders")).row_count == 7
        seeder_db.execute(text("DELETE FROM order_item"))  # rolled back after this test

    def test_each_test_in_a_rolled_back_transaction(seeder_db):
        assert seeder_db.execute(text("SELECT count(*) FROM order_item")).scalar() == 21  # lines: 3 per order

    def test_make_pins_values_and_uses_existing_parents(seeder_db, seeder_make):
        orders = {r[0] for r in seeder_db.execute(text("SELECT id FROM orders"))}
        items = seeder_make("order_item", 3, quantity=2)
        assert len(items) == 3 and {i["quantity"] for i in items} == {2}
        assert seeder_db.execute(text("SELECT count(*) FROM order_item")).scalar() == 24
        # the seeded orders and products are the parents: none is added
        assert {i["order_id"] for i in items} <= orders
        assert seeder_db.execute(text("SELECT count(*) FROM orders")).scalar() == 7
        assert seeder_db.execute(text("SELECT count(*) FROM product")).scalar() == 7
        people = seeder_make("customer", 2, full_name="Ada Lovelace")
        assert [p["full_name"] for p in people] == ["Ada Lovelace"] * 2
        assert min(p["id"] for p in people) > 7  # keys past the seeded ones
        assert len({p["email"] for p in people}) == 2  # still unique, and apart from the seeded emails
        assert seeder_db.execute(text("SELECT count(DISTINCT email) FROM customer")).scalar() == 9
        new_orders = seeder_make("orders", 5)  # customers are there: the new orders belong to them
        customers = {r[0] for r in seeder_db.execute(text("SELECT id FROM customer"))}
        assert {o["customer_id"] for o in new_orders} <= customers and len(customers) == 9

    def test_make_pins_foreign_keys(seeder_db, seeder_make):
        ada = seeder_make("customer", 1, full_name="Ada")[0]
        by_key = seeder_make("orders", 3, customer_id=ada["id"])
        by_row = seeder_make("orders", 2, customer=ada)
        assert {o["customer_id"] for o in by_key + by_row} == {ada["id"]}
        count = text("SELECT count(*) FROM orders WHERE customer_id = :c")
        assert seeder_db.execute(count, {"c": ada["id"]}).scalar() == 5
        lines = seeder_make("order_item", 4, order=by_key[0], quantity=1)  # composite key (order_id, product_id)
        assert {i["order_id"] for i in lines} == {by_key[0]["id"]} and len({i["product_id"] for i in lines}) == 4

    def test_make_into_empty_tables_creates_the_parents(seeder_db, seeder_make):
        seeder_db.execute(text("UPDATE customer SET default_address_id = NULL"))
        for t in ("order_item", "orders", "address", "customer"):
            seeder_db.execute(text(f"DELETE FROM {t}"))
        orders = seeder_make("orders", 2)
        assert seeder_db.execute(text("SELECT count(*) FROM customer")).scalar() == 2  # made for them
        customers = {r[0] for r in seeder_db.execute(text("SELECT id FROM customer"))}
        assert {o["customer_id"] for o in orders} <= customers

    def test_make_refuses_what_it_cannot_keep(seeder_make):
        import pytest
        from seeder.errors import ConfigError, SeederError
        with pytest.raises(ConfigError, match="has no row with id = 99999"):
            seeder_make("order_item", 1, order_id=99999)
        with pytest.raises(ConfigError, match="no column 'nope'"):
            seeder_make("order_item", 1, nope=1)
        with pytest.raises(ConfigError, match="NOT NULL and cannot be pinned to None"):
            seeder_make("orders", 1, customer_id=None)
        with pytest.raises(SeederError, match="make.'product', 2.: only 0 row.s. possible"):
            seeder_make("product", 2, sku="SAME")  # a unique column cannot hold one value twice
''')


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    return env


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    # A subprocess: the child configures its own Django / imports its own models, as a user's suite does.
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args, timeout=600)


def test_sqlalchemy_metadata_on_a_sqlite_url(pytester: pytest.Pytester) -> None:
    shutil.copytree(SA_EXAMPLE / "shop", pytester.path / "shop", ignore=shutil.ignore_patterns("__pycache__"))
    pytester.makeini(f"""
        [pytest]
        seeder_source = shop.models:Base
        seeder_url = sqlite:///{pytester.path / "test.db"}
        seeder_rows = 7
        pythonpath = .
    """)
    pytester.makepyfile(test_shop=SA_TESTS)
    result = _run(pytester)
    result.assert_outcomes(passed=6)


@pytest.mark.parametrize("server", ["postgres", "mariadb"])
def test_throwaway_server_and_command_line_options(server: str, pytester: pytest.Pytester) -> None:
    """No URL: a PostgreSQL (or MariaDB) server is started for the session (local binaries here: no Docker engine),
    and make() works there as on SQLite."""
    from seeder.testing.servers import EngineUnavailable, find_pg_bin, mysql_client_path

    try:
        (find_pg_bin() or missing_input("no PostgreSQL binaries")) if server == "postgres" else mysql_client_path()
    except EngineUnavailable as exc:
        missing_input(str(exc))
    shutil.copytree(SA_EXAMPLE, pytester.path / "project", ignore=shutil.ignore_patterns("__pycache__", "*.db"))
    pytester.makeini(f"[pytest]\npythonpath = project\nseeder_server = {server}\n")
    pytester.makepyfile(test_shop=SA_TESTS)
    result = _run(pytester, "--seeder-source", str(pytester.path / "project" / "alembic.ini"),
                  "--seeder-rows", "7", "--seeder-seed", "5")
    result.assert_outcomes(passed=6)


def test_missing_source_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_x="def test_x(seeder_db):\n    pass\n")
    result = _run(pytester, "--seeder-url", "sqlite:///x.db")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*set seeder_source or pass --seeder-source*"])


def test_plugin_load_is_cheap() -> None:
    code = ("import sys, seeder.pytest_plugin; "
            "print(sorted(m for m in ('numpy', 'faker', 'sqlglot', 'sqlalchemy', 'seeder.api') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("engine", ["sqlite", "postgres", "mariadb"])
def test_pytest_django_database_seeded_once_from_the_models(engine: str, pytester: pytest.Pytester,
                                                            request: pytest.FixtureRequest,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest-django's test database seeded once from the models (SQLite, PostgreSQL, MariaDB through Django's
    MySQL backend); ``seed()`` inside a test appends to those rows through the test's own transaction."""
    pytest.importorskip("pytest_django")
    if engine != "sqlite":
        url = request.getfixturevalue("pg_url" if engine == "postgres" else "mysql_url")
        monkeypatch.setenv("SHOP_DATABASE_URL", url)
        # the database pytest-django creates (and drops): one the test account may create (seeder_% on MariaDB)
        monkeypatch.setenv("SHOP_TEST_DATABASE", url.rsplit("/", 1)[1] + "_test")
    for part in ("shopsite", "store", "manage.py"):
        src = DJANGO_EXAMPLE / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, pytester.path / part)
    pytester.makeini("""
        [pytest]
        DJANGO_SETTINGS_MODULE = shopsite.settings
        pythonpath = .
    """)
    pytester.makeconftest("""
        import pytest

        @pytest.fixture(scope="session")
        def django_db_setup(django_db_setup, django_db_blocker):
            from seeder.contrib.django.seeding import seed
            with django_db_blocker.unblock():
                seed(rows=6, seed=2)
    """)
    pytester.makepyfile(test_store="""
        import pytest
        from store.models import Comment, Customer, DigitalProduct, Order, Product

        @pytest.mark.django_db
        def test_models_have_rows():
            assert Order.objects.count() == 6 and DigitalProduct.objects.count() == 6
            assert all(c.content_object is not None for c in Comment.objects.all())
            Order.objects.all().delete()

        @pytest.mark.django_db
        def test_still_there_in_the_next_test():
            assert Order.objects.count() == 6

        @pytest.mark.django_db
        def test_seed_again_appends_inside_the_test_transaction():
            from seeder.contrib.django.seeding import seed
            old_customers = set(Customer.objects.values_list("id", flat=True))
            old_orders = set(Order.objects.values_list("id", flat=True))
            report = seed(rows=10, seed=9)
            assert any("rows already" in note for note in report.notes)
            assert Order.objects.count() == 16 and Customer.objects.count() == 16
            new = Order.objects.exclude(id__in=old_orders)
            assert min(o.id for o in new) > max(old_orders)
            assert new.filter(customer_id__in=old_customers).exists()  # old customers place new orders
            assert Customer.objects.values("email").distinct().count() == 16
    """)
    result = _run(pytester)
    result.assert_outcomes(passed=3)


def test_a_tolerated_failure_leaves_the_tests_transaction_usable(pg_url: str) -> None:
    """make() reads through the test's own transaction (ConnectionRows); a query it tolerates failing (a sequence
    the role may not read) must not abort that transaction on PostgreSQL."""
    from sqlalchemy import create_engine, text

    from seeder.errors import DatabaseError
    from seeder.readers.database.rows import ConnectionRows
    from seeder.readers.ddl import read_ddl

    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("CREATE TABLE t (id serial PRIMARY KEY)"))
            conn.execute(text("INSERT INTO t DEFAULT VALUES"))
            rows = ConnectionRows(conn, read_ddl("CREATE TABLE t (id serial PRIMARY KEY);", "postgres"))
            assert rows.total == 1 and conn.in_transaction()
            with pytest.raises(DatabaseError, match="division by zero"):
                rows.run_tolerated(text("SELECT 1/0"), "dividing")
            assert rows.run(text("SELECT count(*) FROM t"), "counting") == [(1,)]  # still usable
            assert rows[next(iter(rows))].max_value("id") == 1
            conn.rollback()
    finally:
        engine.dispose()


def test_make_pins_are_sorted_by_what_they_name() -> None:
    from seeder.errors import ConfigError
    from seeder.readers.ddl import read_ddl
    from seeder.testing.pins import sort_pins

    schema = read_ddl("""
        CREATE TABLE person (id int PRIMARY KEY);
        CREATE TABLE box (a int, b int, PRIMARY KEY (a, b));
        CREATE TABLE item (id int PRIMARY KEY, customer text, customer_id int REFERENCES person (id),
                           seller_id int NOT NULL REFERENCES person (id), box_a int, box_b int,
                           FOREIGN KEY (box_a, box_b) REFERENCES box (a, b));
    """, "postgres")
    item = schema.table(next(t.name for t in schema.tables if t.name.name == "item"))
    pins = sort_pins(item, {"customer": "Ada", "seller": {"id": 3}, "customer_id": None, "box_a": 1, "box_b": 2})
    assert pins.values == {"customer": "Ada"}  # a plain column's own name wins over the FK named customer_id
    assert sorted(pins.parents.values()) == [(1, 2), (3,)] and [fk.columns for fk in pins.nulls] == [("customer_id",)]
    assert pins.expected() == {"customer": "Ada", "seller_id": 3, "box_a": 1, "box_b": 2, "customer_id": None}
    with pytest.raises(ConfigError, match="names 2 foreign keys"):
        sort_pins(item, {"person": 1})
    with pytest.raises(ConfigError, match="missing: box_b"):
        sort_pins(item, {"box_a": 1})
    with pytest.raises(ConfigError, match="NOT NULL and cannot be pinned to None"):
        sort_pins(item, {"seller_id": None})
    with pytest.raises(ConfigError, match="has no id"):
        sort_pins(item, {"seller": {"name": "x"}})
