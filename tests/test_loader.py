"""seeder.loaders.sqlalchemy.load against real SQLite files and a real PostgreSQL server.

The datasets are built by hand (schema model, plan, column-major values) so that these tests depend only on the
shared contract and the SQL sink, not on the generator.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest

from seeder.dataset import Dataset, TableData
from seeder.dialects import database_url
from seeder.errors import ConfigError, Interrupted, LoadError
from seeder.loaders.sqlalchemy import InsertWriter, LoadReport, load
from seeder.plan.model import CycleBreak, Plan, TablePlan
from seeder.schema import Column, ColumnType, ForeignKey, PrimaryKey, Schema, Table, TableName
from seeder.sinks.sql import Statement
from tests.engines import (
    PW_ROLE_PASSWORD,
    PgServer,
    free_port,
    pg_query,
    run_psql,
    schema_path,
    sqlite_fk_check,
    sqlite_query,
    sqlite_script,
    with_database,
)

# ------------------------------------------------------------------------------------------------ the test model

INT = ColumnType("integer", "integer")
NAME = ColumnType("varchar", "varchar(50)", length=50)
TEXT = ColumnType("text", "text")
PRICE = ColumnType("decimal", "numeric(8,2)", precision=8, scale=2)
DAY = ColumnType("date", "date")

AUTHOR = Table(
    TableName(None, "author"),
    (Column("id", INT, nullable=False, autoincrement=True), Column("name", NAME, nullable=False)),
    primary_key=PrimaryKey(("id",)),
)
BOOK_FK = ForeignKey(("author_id",), AUTHOR.name, ("id",), name="book_author_fk")
BOOK = Table(
    TableName(None, "book"),
    (Column("id", INT, nullable=False, autoincrement=True), Column("author_id", INT),
     Column("title", TEXT, nullable=False), Column("price", PRICE), Column("published", DAY)),
    primary_key=PrimaryKey(("id",)),
    foreign_keys=(BOOK_FK,),
)
SCHEMA = Schema((AUTHOR, BOOK), "postgres")

#: Strings the drivers would treat as placeholders if parameters were passed.
TRICKY = ["O'Reilly %s", "%(x)s and :name", "what? 100% ?", "plain"]

SQLITE_DDL = """
CREATE TABLE author (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(50) NOT NULL);
CREATE TABLE book (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    author_id INTEGER CONSTRAINT book_author_fk REFERENCES author(id),
    title TEXT NOT NULL,
    price NUMERIC(8,2) CHECK (price >= 0),
    published DATE
);
"""
SQLITE_TRIGGER = """
CREATE TRIGGER book_no_bad_titles BEFORE INSERT ON book WHEN NEW.title = 'bad'
BEGIN SELECT RAISE(ABORT, 'no bad titles please'); END;
"""
PG_DDL = """
CREATE TABLE author (id serial PRIMARY KEY, name varchar(50) NOT NULL);
CREATE TABLE book (
    id serial PRIMARY KEY,
    author_id integer CONSTRAINT book_author_fk REFERENCES author(id),
    title text NOT NULL,
    price numeric(8,2) CONSTRAINT book_price_check CHECK (price >= 0),
    published date
);
"""
PG_TRIGGER = """
CREATE FUNCTION no_bad_titles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.title = 'bad' THEN RAISE EXCEPTION 'no bad titles please (got %)', NEW.title; END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER book_no_bad_titles BEFORE INSERT ON book FOR EACH ROW EXECUTE FUNCTION no_bad_titles();
"""


def make_dataset(authors: int = 3, books: int = 20, *, bad_price_row: int | None = None,
                 bad_title_row: int | None = None, orphan_row: int | None = None,
                 cycle_breaks: tuple[CycleBreak, ...] = ()) -> Dataset:
    """author/book data; ``bad_*_row``/``orphan_row`` are 1-based book rows that break a CHECK/trigger/FK."""
    names = [TRICKY[i % len(TRICKY)] for i in range(authors)]
    author_td = TableData(AUTHOR, ("id", "name"), (list(range(1, authors + 1)), names))
    author_ids = [(i % authors) + 1 for i in range(books)]
    titles = [f"title {i + 1}: {TRICKY[i % len(TRICKY)]}" for i in range(books)]
    prices: list[Any] = [Decimal(f"{i}.25") for i in range(books)]
    published: list[Any] = [date(2020, 1, 1 + i % 28) if i % 5 else None for i in range(books)]
    if bad_price_row is not None:
        prices[bad_price_row - 1] = Decimal("-1.00")
    if bad_title_row is not None:
        titles[bad_title_row - 1] = "bad"
    if orphan_row is not None:
        author_ids[orphan_row - 1] = 999
    book_td = TableData(BOOK, ("id", "author_id", "title", "price", "published"),
                        (list(range(1, books + 1)), author_ids, titles, prices, published))
    plan = Plan(
        order=(AUTHOR.name, BOOK.name),
        generations=((AUTHOR.name,), (BOOK.name,)),
        tables={AUTHOR.name: TablePlan(AUTHOR.name, authors, authors), BOOK.name: TablePlan(BOOK.name, books, books)},
        cycle_breaks=cycle_breaks,
    )
    return Dataset(schema=SCHEMA, plan=plan, tables=[author_td, book_td])


def sqlite_url(path: Path, **query: str) -> str:
    q = "&".join(f"{k}={v}" for k, v in query.items())
    return f"sqlite:///{path}" + (f"?{q}" if q else "")


def sqlite_state(path: Path) -> dict[str, Any]:
    """Everything a failed load must leave untouched: row counts, AUTOINCREMENT counters, schema objects."""
    objects = sqlite_query(path, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
    tables = [name for kind, name, _ in objects if kind == "table" and not name.startswith("sqlite_")]
    counts = {t: sqlite_query(path, f'SELECT count(*) FROM "{t}"')[0][0] for t in tables}
    seqs = sqlite_query(path, "SELECT name, seq FROM sqlite_sequence ORDER BY name") if "sqlite_sequence" in \
        [n for _, n, _ in objects] else []
    return {"objects": objects, "counts": counts, "sequences": seqs}


def pg_state(url: str) -> dict[str, Any]:
    """Row counts, sequence positions, user triggers (with enabled state) and NOT NULL flags of the public schema."""
    tables = [r[0] for r in pg_query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
    counts = {t: pg_query(url, f'SELECT count(*) FROM public."{t}"')[0][0] for t in tables}
    seq_names = [r[0] for r in pg_query(url, "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' "
                                             "ORDER BY 1")]
    seqs = {s: pg_query(url, f'SELECT last_value, is_called FROM public."{s}"')[0] for s in seq_names}
    triggers = pg_query(url, "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger "
                             "WHERE NOT tgisinternal ORDER BY 1, 2")
    notnull = pg_query(url, "SELECT attrelid::regclass::text, attname, attnotnull FROM pg_attribute a "
                            "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                            "WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 ORDER BY 1, 2")
    return {"counts": counts, "sequences": seqs, "triggers": triggers, "notnull": notnull}


def pg_setup(url: str, *, trigger: bool = False, deferrable_fk: bool = False) -> None:
    """Create author/book in ``url``'s database, with one pre-existing row each and sequences moved to 1000."""
    ddl = PG_DDL.replace("REFERENCES author(id)", "REFERENCES author(id) DEFERRABLE INITIALLY DEFERRED") \
        if deferrable_fk else PG_DDL
    run_psql(url, ddl + (PG_TRIGGER if trigger else "") + """
        INSERT INTO author VALUES (1000, 'existing');
        INSERT INTO book VALUES (1000, 1000, 'existing', 1, NULL);
        SELECT setval('author_id_seq', 1000), setval('book_id_seq', 1000);
    """)


# ------------------------------------------------------------------------------------------------ URLs, config


def test_target_defaults_drivers_and_hides_password() -> None:
    t = database_url("postgresql://me:pa%40ss@db.example:5432/app")
    assert t.url.drivername == "postgresql+psycopg"
    assert t.safe == "postgresql+psycopg://me:***@db.example:5432/app"
    assert t.dialect.name == "postgres"
    assert t.scrub("auth failed for pa@ss / pa%40ss") == "auth failed for *** / ***"
    short = database_url("postgresql://u:p@h/db")  # a one-letter password must not eat the "p" of "port"
    assert short.scrub('server at "h", port 1 failed; p rejected') == 'server at "h", port 1 failed; *** rejected'
    assert database_url("mysql://u@h/db").url.drivername == "mysql+pymysql"
    assert database_url("sqlite:///x.db").dialect.name == "sqlite"


@pytest.mark.parametrize("url, match", [
    ("oracle://u:topsecret@h/db", "unsupported database URL scheme"),
    ("not a url at all topsecret", "cannot parse the database URL"),
])
def test_bad_urls_are_config_errors_without_the_password(url: str, match: str) -> None:
    with pytest.raises(ConfigError, match=match) as err:
        load(make_dataset(), url)
    assert "topsecret" not in str(err.value)


def test_disable_triggers_on_mysql_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="MySQL"):
        load(make_dataset(), "mysql+pymysql://u@127.0.0.1:1/db", disable_triggers=True)


# ------------------------------------------------------------------------------------------------ SQLite


def test_sqlite_load_roundtrip_with_placeholder_like_text(sqlite_path: Path) -> None:
    sqlite_script(sqlite_path, SQLITE_DDL)
    messages: list[str] = []
    report = load(make_dataset(), sqlite_url(sqlite_path), echo=messages.append)
    assert isinstance(report, LoadReport)
    assert report.tables == {"author": 3, "book": 20}
    assert report.statements >= 2 and report.seconds > 0 and not report.triggers_disabled
    assert report.url == sqlite_url(sqlite_path)
    assert sqlite_query(sqlite_path, "SELECT name FROM author ORDER BY id") == [(n,) for n in TRICKY[:3]]
    assert sqlite_query(sqlite_path, "SELECT title, price FROM book WHERE id = 2") == [("title 2: %(x)s and :name",
                                                                                       1.25)]
    assert sqlite_query(sqlite_path, "SELECT count(*) FROM book WHERE published IS NULL") == [(4,)]
    assert sqlite_fk_check(sqlite_path) == []
    assert any(m.startswith("connected to sqlite") for m in messages)
    assert "book: 20 rows" in messages and messages[-1].startswith("committed 23 rows into 2 tables")


def test_sqlite_failing_check_row_leaves_the_file_as_before(sqlite_path: Path) -> None:
    sqlite_script(sqlite_path, SQLITE_DDL + "INSERT INTO author VALUES (1000, 'existing');"
                                           "INSERT INTO book (id, author_id, title) VALUES (1000, 1000, 'x');")
    before = sqlite_state(sqlite_path)
    with pytest.raises(LoadError) as err:
        load(make_dataset(bad_price_row=7), sqlite_url(sqlite_path))
    message = str(err.value)
    assert "table book, row 7 of 20" in message
    assert "CHECK constraint failed" in message
    assert "price=Decimal('-1.00')" in message
    assert "rolled back" in message and "\n" not in message
    assert sqlite_state(sqlite_path) == before


def test_sqlite_trigger_raise_names_table_and_row(sqlite_path: Path) -> None:
    sqlite_script(sqlite_path, SQLITE_DDL + SQLITE_TRIGGER)
    before = sqlite_state(sqlite_path)
    with pytest.raises(LoadError, match=r"table book, row 13 of 20 .*no bad titles please"):
        load(make_dataset(bad_title_row=13), sqlite_url(sqlite_path))
    assert sqlite_state(sqlite_path) == before


def test_sqlite_disable_triggers_drops_and_recreates_them(sqlite_path: Path) -> None:
    sqlite_script(sqlite_path, SQLITE_DDL + SQLITE_TRIGGER)
    triggers_before = sqlite_query(sqlite_path, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
    messages: list[str] = []
    report = load(make_dataset(bad_title_row=13), sqlite_url(sqlite_path), disable_triggers=True,
                  echo=messages.append)
    assert report.triggers_disabled
    assert sqlite_query(sqlite_path, "SELECT count(*) FROM book WHERE title = 'bad'") == [(1,)]
    assert sqlite_query(sqlite_path, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'") \
        == triggers_before
    assert "triggers disabled on 1 tables (1 triggers)" in messages
    with pytest.raises(Exception, match="no bad titles"):  # and it fires again
        sqlite_script(sqlite_path, "INSERT INTO book (author_id, title) VALUES (1, 'bad');")


def test_sqlite_disable_triggers_failure_keeps_the_triggers(sqlite_path: Path) -> None:
    sqlite_script(sqlite_path, SQLITE_DDL + SQLITE_TRIGGER)
    before = sqlite_state(sqlite_path)
    with pytest.raises(LoadError, match="row 4 of 20"):
        load(make_dataset(bad_price_row=4), sqlite_url(sqlite_path), disable_triggers=True)
    assert sqlite_state(sqlite_path) == before  # the DROP TRIGGER was rolled back too


def test_sqlite_create_schema_on_an_empty_file(sqlite_path: Path) -> None:
    sqlite_path.touch()
    messages: list[str] = []
    report = load(make_dataset(), sqlite_url(sqlite_path), create_schema=SQLITE_DDL + SQLITE_TRIGGER,
                  echo=messages.append)
    assert report.tables == {"author": 3, "book": 20}
    assert "schema: 3 statements executed" in messages
    assert sqlite_query(sqlite_path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") == [(1,)]


def test_sqlite_create_schema_is_rolled_back_with_a_failing_row(sqlite_path: Path) -> None:
    sqlite_path.touch()
    with pytest.raises(LoadError, match="row 2 of 20"):
        load(make_dataset(bad_price_row=2), sqlite_url(sqlite_path), create_schema=SQLITE_DDL)
    assert sqlite_query(sqlite_path, "SELECT count(*) FROM sqlite_master") == [(0,)]  # DDL was transactional


def test_sqlite_new_file_is_created_for_create_schema_and_removed_on_failure(tmp_path: Path) -> None:
    ok, bad = tmp_path / "ok.db", tmp_path / "bad.db"
    load(make_dataset(), sqlite_url(ok), create_schema=SQLITE_DDL)
    assert sqlite_query(ok, "SELECT count(*) FROM book") == [(20,)]
    with pytest.raises(LoadError):
        load(make_dataset(bad_price_row=1), sqlite_url(bad), create_schema=SQLITE_DDL)
    assert not bad.exists()


def test_sqlite_create_schema_error_names_the_line(sqlite_path: Path) -> None:
    sqlite_path.touch()
    with pytest.raises(LoadError, match=r"create_schema statement at line 9 \(CREATE TABLE broken"):
        load(make_dataset(), sqlite_url(sqlite_path), create_schema=SQLITE_DDL.strip() + "\nCREATE TABLE broken (;")
    assert sqlite_query(sqlite_path, "SELECT count(*) FROM sqlite_master") == [(0,)]


def test_sqlite_missing_file_without_schema_is_refused(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(LoadError, match="does not exist; create it with the schema first"):
        load(make_dataset(), sqlite_url(missing))
    assert not missing.exists()
    with pytest.raises(LoadError, match=r"directory .* does not exist"):
        load(make_dataset(), sqlite_url(tmp_path / "no" / "dir.db"), create_schema=SQLITE_DDL)


def test_sqlite_missing_table_says_create_the_schema(sqlite_path: Path) -> None:
    sqlite_script(sqlite_path, "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT);")
    with pytest.raises(LoadError, match=r"no such table: book .*create the schema first"):
        load(make_dataset(), sqlite_url(sqlite_path))
    assert sqlite_query(sqlite_path, "SELECT count(*) FROM author") == [(0,)]


def test_sqlite_read_only_database(sqlite_path: Path) -> None:
    sqlite_script(sqlite_path, SQLITE_DDL)
    url = f"sqlite:///file:{sqlite_path}?mode=ro&uri=true"
    with pytest.raises(LoadError, match="read-only"):
        load(make_dataset(), url)
    assert sqlite_query(sqlite_path, "SELECT count(*) FROM author") == [(0,)]


def test_sqlite_deferred_fk_failure_at_commit_names_the_table(sqlite_path: Path) -> None:
    # A NOT NULL, non-deferrable cycle break makes the sink defer FK checks to COMMIT on SQLite.
    sqlite_script(sqlite_path, SQLITE_DDL)
    before = sqlite_state(sqlite_path)
    cb = CycleBreak(BOOK.name, BOOK_FK, nullable=False, deferrable=False)
    with pytest.raises(LoadError, match=r"COMMIT: FOREIGN KEY constraint failed .*table book rowid 5"):
        load(make_dataset(orphan_row=5, cycle_breaks=(cb,)), sqlite_url(sqlite_path))
    assert sqlite_state(sqlite_path) == before


def test_sqlite_foreign_keys_are_enforced(sqlite_path: Path) -> None:
    sqlite_script(sqlite_path, SQLITE_DDL)
    with pytest.raises(LoadError, match=r"table book, row 9 of 20 .*FOREIGN KEY constraint failed"):
        load(make_dataset(orphan_row=9), sqlite_url(sqlite_path))


class InterruptedWriter(InsertWriter):
    """A writer (the loader's public extension point) whose stream is interrupted at its second insert."""

    def statements(self, dataset: Dataset, dialect: Any, *, disable_triggers: bool) -> Iterator[Statement]:
        stream = super().statements(dataset, dialect, disable_triggers=disable_triggers)

        def interrupted() -> Iterator[Statement]:
            inserts = 0
            for stmt in stream:
                if stmt.kind == "insert":
                    inserts += 1
                    if inserts == 2:
                        raise KeyboardInterrupt
                yield stmt
        return interrupted()


def test_keyboard_interrupt_rolls_back(sqlite_path: Path) -> None:
    sqlite_script(sqlite_path, SQLITE_DDL)
    before = sqlite_state(sqlite_path)
    with pytest.raises(Interrupted, match="rolled back"):
        load(make_dataset(), sqlite_url(sqlite_path), writer=InterruptedWriter())
    assert sqlite_state(sqlite_path) == before


def test_sqlite_real_chinook_schema_through_create_schema(sqlite_path: Path) -> None:
    ddl = schema_path("chinook/sqlite.sql").read_text()
    genre_t = Table(TableName(None, "Genre"), (Column("GenreId", INT, nullable=False),
                                               Column("Name", ColumnType("varchar", "NVARCHAR(120)", length=120))),
                    primary_key=PrimaryKey(("GenreId",)))
    td = TableData(genre_t, ("GenreId", "Name"), ([1, 2, 3], ["Rock", "Jazz 100%", None]))
    plan = Plan((genre_t.name,), ((genre_t.name,),), {genre_t.name: TablePlan(genre_t.name, 3, 3)})
    ds = Dataset(Schema((genre_t,), "sqlite"), plan, [td])
    report = load(ds, sqlite_url(sqlite_path), create_schema=ddl)
    assert report.tables == {"Genre": 3}
    assert sqlite_query(sqlite_path, "SELECT count(*) FROM sqlite_master WHERE type = 'table'") == [(11,)]
    assert sqlite_query(sqlite_path, 'SELECT "Name" FROM "Genre" ORDER BY 1') == [(None,), ("Jazz 100%",), ("Rock",)]


# ------------------------------------------------------------------------------------------------ PostgreSQL


def test_pg_load_with_create_schema_and_sequences(pg_url: str) -> None:
    messages: list[str] = []
    report = load(make_dataset(), pg_url, create_schema=PG_DDL, echo=messages.append)
    assert report.tables == {"author": 3, "book": 20}
    assert pg_query(pg_url, "SELECT name FROM author ORDER BY id") == [(n,) for n in TRICKY[:3]]
    assert pg_query(pg_url, "SELECT title, price, published FROM book WHERE id = 2") == [
        ("title 2: %(x)s and :name", Decimal("1.25"), date(2020, 1, 2))]
    # setval moved the serial sequences past the explicit keys.
    assert pg_query(pg_url, "SELECT nextval('author_id_seq'), nextval('book_id_seq')") == [(4, 21)]
    assert "schema: 2 statements executed" in messages


def test_pg_failing_check_row_leaves_database_and_sequences_as_before(pg_url: str) -> None:
    pg_setup(pg_url)
    before = pg_state(pg_url)
    with pytest.raises(LoadError) as err:
        load(make_dataset(bad_price_row=7), pg_url)
    message = str(err.value)
    assert "table book, row 7 of 20" in message
    assert 'violates check constraint "book_price_check"' in message
    assert "\n" not in message
    assert pg_state(pg_url) == before


def test_pg_trigger_exception_names_table_and_row(pg_url: str) -> None:
    pg_setup(pg_url, trigger=True)
    before = pg_state(pg_url)
    with pytest.raises(LoadError, match=r"table book, row 18 of 20 .*no bad titles please \(got bad\)"):
        load(make_dataset(bad_title_row=18), pg_url)
    assert pg_state(pg_url) == before


def test_pg_deferred_fk_failure_leaves_sequences_untouched(pg_url: str) -> None:
    # The FK is checked at the end; setval() is not transactional, so it must not have run when the load fails.
    pg_setup(pg_url, deferrable_fk=True)
    before = pg_state(pg_url)
    cb = CycleBreak(BOOK.name, BOOK_FK, nullable=False, deferrable=True)
    # The sink's teardown or the loader itself runs SET CONSTRAINTS ALL IMMEDIATE before the setval()s.
    with pytest.raises(LoadError, match=r"(SET CONSTRAINTS ALL IMMEDIATE;?\)|checking deferred constraints): "
                                        r"insert or update on table \"book\" .*book_author_fk"):
        load(make_dataset(orphan_row=3, cycle_breaks=(cb,)), pg_url)
    assert pg_state(pg_url) == before


def test_pg_disable_triggers(pg_url: str) -> None:
    pg_setup(pg_url, trigger=True)
    triggers_before = pg_state(pg_url)["triggers"]
    assert triggers_before == [("book", "book_no_bad_titles", "O")]
    messages: list[str] = []
    report = load(make_dataset(bad_title_row=18), pg_url, disable_triggers=True, echo=messages.append)
    assert report.triggers_disabled
    assert pg_query(pg_url, "SELECT count(*) FROM book WHERE title = 'bad'") == [(1,)]
    assert pg_state(pg_url)["triggers"] == triggers_before  # enabled again
    assert "triggers disabled on 2 tables" in messages
    with pytest.raises(Exception, match="no bad titles"):
        run_psql(pg_url, "INSERT INTO book (author_id, title) VALUES (1, 'bad');")


def test_pg_disable_triggers_failure_leaves_triggers_enabled(pg_url: str) -> None:
    pg_setup(pg_url, trigger=True)
    before = pg_state(pg_url)
    with pytest.raises(LoadError, match="row 11 of 20"):
        load(make_dataset(bad_price_row=11), pg_url, disable_triggers=True)
    assert pg_state(pg_url) == before


def test_pg_as_non_superuser_owner(pg_app_url: str) -> None:
    pg_setup(pg_app_url, trigger=True)
    report = load(make_dataset(), pg_app_url, disable_triggers=True)
    assert report.tables == {"author": 3, "book": 20}
    assert pg_query(pg_app_url, "SELECT count(*) FROM book") == [(21,)]


def test_pg_non_owner_gets_a_rights_hint(pg_url: str, pg_server: PgServer) -> None:
    pg_setup(pg_url)  # tables owned by the superuser
    app = with_database(pg_url, make_url_database(pg_url), user="seeder_app")
    with pytest.raises(LoadError, match=r"permission denied for table author .*lacks rights"):
        load(make_dataset(), app)


def make_url_database(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_pg_wrong_password_message_has_no_password(pg_url: str, pg_server: PgServer) -> None:
    wrong = "Wr0ng%:/@?pw"
    url = pg_server.password_url(make_url_database(pg_url), password=wrong)
    with pytest.raises(LoadError) as err:
        load(make_dataset(), url)
    message = str(err.value)
    assert message.startswith("cannot connect to postgresql+psycopg://seeder_pw:***@127.0.0.1:")
    assert "password authentication failed" in message and "check the user name and password" in message
    for secret in (wrong, quote(wrong, safe=""), quote_plus(wrong), PW_ROLE_PASSWORD):
        assert secret not in message


def test_pg_right_password_loads_and_failures_hide_it(pg_url: str, pg_server: PgServer) -> None:
    pg_setup(pg_url)
    run_psql(pg_url, "GRANT INSERT, SELECT ON author, book TO seeder_pw; GRANT USAGE ON SEQUENCE author_id_seq, "
                     "book_id_seq TO seeder_pw; GRANT UPDATE ON SEQUENCE author_id_seq, book_id_seq TO seeder_pw;")
    url = pg_server.password_url(make_url_database(pg_url))
    with pytest.raises(LoadError) as err:
        load(make_dataset(bad_price_row=3), url)
    assert "row 3 of 20" in str(err.value)
    assert PW_ROLE_PASSWORD not in str(err.value) and quote(PW_ROLE_PASSWORD, safe="") not in str(err.value)
    report = load(make_dataset(), url)
    assert PW_ROLE_PASSWORD not in report.url and report.url.startswith("postgresql+psycopg://seeder_pw:***@")


def test_unreachable_server_message() -> None:
    url = f"postgresql+psycopg://someone:hunter2secret@127.0.0.1:{free_port()}/nowhere"
    with pytest.raises(LoadError) as err:
        load(make_dataset(), url)
    message = str(err.value)
    assert "no server answers there: is it running, and are host and port right?" in message
    assert "hunter2secret" not in message and "\n" not in message


def test_pg_unknown_database_message(pg_server: PgServer) -> None:
    with pytest.raises(LoadError, match=r'database "no_such_db" does not exist .*create it first'):
        load(make_dataset(), pg_server.url("no_such_db"))


def test_pg_read_only_database(pg_url: str) -> None:
    pg_setup(pg_url)
    run_psql(pg_url, f'ALTER DATABASE "{make_url_database(pg_url)}" SET default_transaction_read_only = on;')
    with pytest.raises(LoadError, match="read-only"):
        load(make_dataset(), pg_url)


def test_pg_missing_table_hint(pg_url: str) -> None:
    with pytest.raises(LoadError, match=r'relation "author" does not exist .*create the schema first'):
        load(make_dataset(), pg_url)


def test_pg_create_schema_failure_rolls_back(pg_url: str) -> None:
    with pytest.raises(LoadError, match=r"create_schema statement at line \d+ .*syntax error"):
        load(make_dataset(), pg_url, create_schema=PG_DDL + "\nCREATE TABLE oops (;\n")
    assert pg_query(pg_url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]


def test_pg_real_pagila_schema_through_create_schema_with_triggers_disabled(pg_url: str) -> None:
    # pagila: pg_dump output (OWNER TO postgres, functions with $$ bodies, partitions) split by seeder's splitter.
    ddl = schema_path("pagila/postgres.sql").read_text()
    language = Table(TableName("public", "language"),
                     (Column("language_id", INT, nullable=False, autoincrement=True,
                             sequence="public.language_language_id_seq"),
                      Column("name", ColumnType("char", "character(20)", length=20), nullable=False)),
                     primary_key=PrimaryKey(("language_id",)))
    td = TableData(language, ("language_id", "name"), ([1, 2], ["English", "100% :x"]))
    plan = Plan((language.name,), ((language.name,),), {language.name: TablePlan(language.name, 2, 2)})
    report = load(Dataset(Schema((language,), "postgres"), plan, [td]), pg_url, create_schema=ddl,
                  disable_triggers=True)
    assert report.tables == {"public.language": 2} and report.statements > 300
    assert pg_query(pg_url, "SELECT rtrim(name) FROM public.language ORDER BY 1") == [("100% :x",), ("English",)]
    assert pg_query(pg_url, "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'") == [(0,)]
    assert pg_query(pg_url, "SELECT nextval('public.language_language_id_seq')") == [(3,)]
