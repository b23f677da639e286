"""Tests for seeder.readers.ddl: statement splitting, dialect inference, and DDL -> schema model on real schemas."""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

import pytest
from sqlglot import exp

from seeder.errors import ConfigError, SchemaError, SchemaReadError
from seeder.readers.ddl import infer_dialect, read_ddl, read_ddl_file, split_statements
from seeder.schema import Schema, Table, TableName
from tests.engines import needs_schemas, schemas_dir

SCHEMAS = schemas_dir()  # $SEEDER_SCHEMAS or ../shared/schemas


READ_SECONDS: dict[str, float] = {}


@cache
def real(name: str) -> Schema:
    """Read a real schema file once per test session (``name`` like ``pagila/postgres.sql``), timing the read."""
    start = time.perf_counter()
    schema = read_ddl_file(SCHEMAS / name)
    READ_SECONDS[name] = time.perf_counter() - start
    return schema


def table(schema: Schema, name: str, schema_name: str | None = None) -> Table:
    return schema.table(TableName(schema_name, name))


def base_tables(schema: Schema) -> list[Table]:
    return [t for t in schema.tables if t.partition_of is None]


def fk_count(schema: Schema) -> int:
    return sum(len(t.foreign_keys) for t in schema.tables)


# ------------------------------------------------------------------------------------------------ real files

# file, tables (without partitions), partitions, foreign keys: the figures of shared/schemas/README.md
REAL_FILES = [
    ("chinook/postgres.sql", 11, 0, 11),
    ("chinook/postgres_identity.sql", 11, 0, 11),
    ("chinook/sqlite.sql", 11, 0, 11),
    ("chinook/sqlite_autoincrement.sql", 11, 0, 11),
    ("chinook/mysql.sql", 11, 0, 11),
    ("chinook/mysql_autoincrement.sql", 11, 0, 11),
    ("pagila/postgres.sql", 15, 55, 36),
    ("pagila/postgres18_pgvector.sql", 16, 55, 37),
    ("northwind/postgres.sql", 14, 0, 13),
    ("sakila/postgres.sql", 21, 0, 40),
    ("sakila/sqlite.sql", 16, 0, 22),
    ("sakila/mysql.sql", 16, 0, 22),
    ("sakila/mysql_mysqlcom.sql", 16, 0, 22),
    ("employees/mysql.sql", 6, 0, 6),
    ("employees/mysql_partitioned.sql", 6, 0, 4),
    ("danbooru/postgres.sql", 66, 0, 93),
    ("adventureworks/postgres.sql", 68, 0, 90),
    ("openstreetmap/postgres.sql", 57, 0, 71),
    ("lago/postgres.sql", 138, 1, 339),
    ("musicbrainz/postgres.sql", 515, 4, 889),
]


@needs_schemas
@pytest.mark.parametrize(("name", "tables", "partitions", "fks"), REAL_FILES, ids=[r[0] for r in REAL_FILES])
def test_real_file_counts(name: str, tables: int, partitions: int, fks: int) -> None:
    schema = real(name)
    assert len(base_tables(schema)) == tables
    assert len(schema.tables) - tables == partitions
    assert fk_count(schema) == fks
    assert schema.source == str(SCHEMAS / name)
    assert name.split("/")[1].startswith(schema.dialect)
    for t in schema.tables:  # every FK target exists and has the referenced columns
        for fk in t.foreign_keys:
            target = schema.table(fk.ref_table)
            assert set(fk.ref_columns) <= set(target.column_names)
            assert set(fk.columns) <= set(t.column_names)


@needs_schemas
def test_pagila_partitions_enum_and_domain() -> None:
    schema = real("pagila/postgres.sql")
    payment = table(schema, "payment", "public")
    assert payment.partitioning is not None
    assert payment.partitioning.method == "range"
    assert payment.partitioning.columns == ("payment_date",)
    parts = payment.partitioning.partitions
    assert len(parts) == 55
    assert parts[0].name == TableName("public", "payment_p2022_01")
    assert parts[0].lower == ("'2022-01-01 00:00:00+00'",)
    assert parts[0].upper == ("'2022-02-01 00:00:00+00'",)
    assert not any(p.is_default for p in parts)
    for bound in parts:
        assert schema.table(bound.name).partition_of == payment.name
    assert payment.primary_key is not None and payment.primary_key.columns == ("payment_date", "payment_id")

    film = table(schema, "film", "public")
    rating = film.column("rating").type
    assert rating.kind == "enum"
    assert rating.name == "mpaa_rating"
    assert rating.values == ("G", "PG", "PG-13", "R", "NC-17")
    release_year = film.column("release_year")
    assert release_year.domain == "year"
    assert release_year.type.kind == "integer"
    assert [c.sql for c in release_year.checks] == ["((release_year >= 1901) AND (release_year <= 2155))"]
    assert release_year.checks[0].name == "year_check"
    assert {c.name for c in release_year.checks[0].expression.find_all(exp.Column)} == {"release_year"}
    film_id = film.column("film_id")
    assert film_id.autoincrement and film_id.sequence == "public.film_film_id_seq"
    assert film.column("special_features").type.kind == "array"
    assert film.column("special_features").type.element is not None
    assert film.column("special_features").type.element.kind == "text"
    assert film.column("fulltext").type.kind == "tsvector"
    assert [e.name for e in schema.enums] == ["mpaa_rating"]
    # The quoted domain name "bıgınt" must not be mistaken for bigint ("ı".upper() == "I").
    assert sorted(d.name for d in schema.domains) == ["bıgınt", "year"]


@needs_schemas
def test_pagila_pg18_virtual_generated_column() -> None:
    schema = real("pagila/postgres18_pgvector.sql")
    film = table(schema, "film", "public")
    assert film.column("length_hours").generated
    assert not film.column("length").generated
    embedding = table(schema, "film_embedding", "public").column("embedding")
    assert embedding.type.kind == "other" and embedding.type.sql == "public.vector(20)"


@needs_schemas
def test_sakila_postgres_inherits_and_store_staff_cycle() -> None:
    schema = real("sakila/postgres.sql")
    child = table(schema, "payment_p2007_01")
    parent = table(schema, "payment")
    assert child.inherits == (parent.name,)
    assert child.column_names == parent.column_names  # inherited columns first; the child declares none
    (check,) = child.column("payment_date").checks
    assert check.name == "payment_p2007_01_payment_date_check"
    assert not child.checks
    assert child.column("payment_id").autoincrement
    inherited = [t for t in schema.tables if t.inherits]
    assert len(inherited) == 6
    store, staff = table(schema, "store"), table(schema, "staff")
    assert any(fk.ref_table == staff.name and fk.columns == ("manager_staff_id",) for fk in store.foreign_keys)
    assert any(fk.ref_table == store.name and fk.columns == ("store_id",) for fk in staff.foreign_keys)
    assert not store.column("manager_staff_id").nullable and not staff.column("store_id").nullable
    assert table(schema, "film").column("release_year").domain == "year"


@needs_schemas
def test_northwind_fk_without_columns_targets_pk() -> None:
    schema = real("northwind/postgres.sql")
    orders = table(schema, "orders")
    fk = next(fk for fk in orders.foreign_keys if fk.name == "fk_orders_employees")
    assert fk.ref_table == TableName(None, "employees")
    assert fk.ref_columns == ("employee_id",)
    us_states = table(schema, "us_states")
    assert not us_states.foreign_keys
    assert table(schema, "employees").column("photo").type.kind == "bytes"


@needs_schemas
@pytest.mark.parametrize("name", ["chinook/postgres.sql", "chinook/sqlite.sql", "chinook/mysql.sql"])
def test_chinook_composite_pk_and_self_reference(name: str) -> None:
    schema = real(name)
    playlist_track = next(t for t in schema.tables if t.name.name.lower() == "playlisttrack"
                          or t.name.name == "playlist_track")
    assert playlist_track.primary_key is not None and len(playlist_track.primary_key.columns) == 2
    employee = next(t for t in schema.tables if t.name.name.lower() == "employee")
    (self_fk,) = [fk for fk in employee.foreign_keys if fk.ref_table == employee.name]
    assert self_fk.ref_columns == employee.primary_key.columns


@needs_schemas
@pytest.mark.parametrize("name", ["chinook/sqlite.sql", "chinook/sqlite_autoincrement.sql"])
def test_sqlite_rowid_alias_is_autoincrement(name: str) -> None:
    schema = real(name)
    autos = [(t.name.name, c.name) for t in schema.tables for c in t.columns if c.autoincrement]
    assert len(autos) == 10
    assert ("Album", "AlbumId") in autos
    assert ("PlaylistTrack", "PlaylistId") not in autos  # part of a composite key: not a rowid alias
    # PascalCase names keep their case; FKs written as [Artist] resolve to table Artist.
    album = table(schema, "Album")
    assert album.foreign_keys[0].ref_table == TableName(None, "Artist")


@needs_schemas
def test_sakila_sqlite_firebird_blob_subtype_and_triggers() -> None:
    schema = real("sakila/sqlite.sql")
    assert table(schema, "film").column("description").type.kind == "text"  # BLOB SUB_TYPE TEXT pre-pass
    assert sum(c.autoincrement for t in schema.tables for c in t.columns) == 14
    assert sum(len(c.checks) for t in schema.tables for c in t.columns) == 2
    rental = table(schema, "rental")
    assert [u.columns for u in rental.uniques] == [("rental_date", "inventory_id", "customer_id")]


@needs_schemas
def test_sakila_mysql_enum_set_unsigned_auto_increment() -> None:
    schema = real("sakila/mysql.sql")
    film = table(schema, "film")
    rating = film.column("rating")
    assert rating.type.kind == "enum" and rating.type.name is None
    assert rating.type.values == ("G", "PG", "PG-13", "R", "NC-17")
    assert rating.default == "'G'"
    features = film.column("special_features")
    assert features.type.kind == "set"
    assert features.type.values == ("Trailers", "Commentaries", "Deleted Scenes", "Behind the Scenes")
    assert features.default is None  # DEFAULT NULL
    film_id = film.column("film_id")
    assert film_id.autoincrement and film_id.type.unsigned and film_id.type.kind == "integer"
    assert film.column("release_year").type.kind == "smallint"  # YEAR
    assert sum(c.autoincrement for t in schema.tables for c in t.columns) == 13
    store = table(schema, "store")
    assert [u.columns for u in store.uniques] == [("manager_staff_id",)]
    assert {fk.ref_table.name for fk in store.foreign_keys} == {"staff", "address"}


@needs_schemas
def test_employees_mysql_enum_and_composite_pk() -> None:
    schema = real("employees/mysql.sql")
    gender = table(schema, "employees").column("gender")
    assert gender.type.kind == "enum" and gender.type.values == ("M", "F")
    assert table(schema, "dept_emp").primary_key.columns == ("emp_no", "dept_no")


@needs_schemas
def test_identity_columns() -> None:
    schema = real("chinook/postgres_identity.sql")
    identities = [c for t in schema.tables for c in t.columns if c.identity]
    assert len(identities) == 10
    assert all(c.identity == "always" for c in identities)
    auto = real("chinook/mysql_autoincrement.sql")
    assert sum(c.autoincrement for t in auto.tables for c in t.columns) == 10


@needs_schemas
def test_danbooru_deferrable_fks_and_partial_unique_indexes() -> None:
    schema = real("danbooru/postgres.sql")
    fks = [fk for t in schema.tables for fk in t.foreign_keys]
    assert sum(fk.deferrable for fk in fks) == 82
    assert sum(fk.initially_deferred for fk in fks) == 82
    uniques = [u for t in schema.tables for u in t.uniques]
    assert len(uniques) == 27
    assert sum(1 for u in uniques if u.expressions or u.where is not None) == 6
    assert sum(1 for t in schema.tables for c in t.columns if c.type.kind == "array") == 20


@needs_schemas
def test_adventureworks_domains_checks_and_composite_fk() -> None:
    schema = real("adventureworks/postgres.sql")
    assert sorted(d.name for d in schema.domains) == [
        "AccountNumber", "Flag", "Name", "NameStyle", "OrderNumber", "Phone"]
    person = table(schema, "person", "person")
    firstname = person.column("firstname")
    assert firstname.domain == "Name" and firstname.type.kind == "varchar" and firstname.type.length == 50
    namestyle = person.column("namestyle")
    assert namestyle.domain == "NameStyle" and not namestyle.nullable  # the domain is NOT NULL
    checks = sum(len(t.checks) + sum(len(c.checks) for c in t.columns) for t in schema.tables)
    assert checks == 88
    composite = [fk for t in schema.tables for fk in t.foreign_keys if len(fk.columns) > 1]
    assert len(composite) == 1
    assert composite[0].ref_table == TableName("sales", "specialofferproduct")
    employee = table(schema, "employee", "humanresources")
    assert employee.comment and employee.column("loginid").comment == "Network login."


@needs_schemas
def test_lago_enums_partial_uniques_and_default_partition() -> None:
    schema = real("lago/postgres.sql")
    assert len(schema.enums) == 43
    uniques = [u for t in base_tables(schema) for u in t.uniques]
    assert len(uniques) == 138
    assert sum(1 for u in uniques if u.expressions or u.where is not None) == 75
    parent = next(t for t in schema.tables if t.partitioning)
    (bound,) = parent.partitioning.partitions
    assert bound.is_default
    checks = sum(len(t.checks) + sum(len(c.checks) for c in t.columns) for t in schema.tables)
    assert checks == 30


@needs_schemas
def test_openstreetmap_composite_fks() -> None:
    schema = real("openstreetmap/postgres.sql")
    composite = {(str(t.name), str(fk.ref_table)) for t in schema.tables for fk in t.foreign_keys
                 if len(fk.columns) > 1}
    assert ("public.way_nodes", "public.ways") in composite
    assert len(composite) == 5
    assert len(schema.enums) == 8


@needs_schemas
def test_musicbrainz_reads_fast_enough() -> None:
    schema = real("musicbrainz/postgres.sql")
    elapsed = READ_SECONDS["musicbrainz/postgres.sql"]
    # About 1.5 s on an idle 2-core machine; the bound only catches accidental quadratic behaviour.
    assert elapsed < 20, f"musicbrainz took {elapsed:.1f}s"
    checks = sum(len(t.checks) + sum(len(c.checks) for c in t.columns) for t in schema.tables)
    assert checks == 672
    assert sum(1 for t in schema.tables for fk in t.foreign_keys if fk.ref_table == t.name) == 59
    assert sum(c.autoincrement for t in base_tables(schema) for c in t.columns) == 240


@needs_schemas
@pytest.mark.parametrize("name", ["danbooru/postgres.sql", "openstreetmap/postgres.sql", "chinook/mysql.sql",
                                  "sakila/postgres.sql"])
def test_constraint_fast_path_matches_sqlglot(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import seeder.readers.ddl_statements as statements

    fast = real(name)
    monkeypatch.setattr(statements, "match_add_constraint", lambda text: None)
    assert read_ddl_file(SCHEMAS / name) == fast


# --------------------------------------------------------------------------------------- statement splitting


def test_split_postgres_dollar_quotes_strings_comments_and_lines() -> None:
    text = (
        "-- header; not a statement\n"
        "SET x = 'a;b';\n"
        "\\connect db\n"
        "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n"
        "/* outer /* nested; */ still comment; */\n"
        "CREATE FUNCTION g() RETURNS text AS $body$ SELECT 'x;'; $q$ ; $body$;\n"
        "SELECT E'it\\'s;', \"we;ird\", $1;\n"
        "CREATE TABLE t (a int)\n"
    )
    statements = split_statements(text, "postgres")
    assert [line for line, _ in statements] == [2, 4, 6, 7, 8]
    assert statements[1][1] == "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql"
    assert statements[2][1].endswith("$q$ ; $body$")
    assert statements[3][1] == "SELECT E'it\\'s;', \"we;ird\", $1"
    assert statements[4][1] == "CREATE TABLE t (a int)"


def test_split_skips_psql_copy_data() -> None:
    text = (
        "COPY public.t (a, b) FROM stdin;\n"
        "1\tO'Brien; CREATE TABLE x (y int);\n"
        "\\.\n"
        "CREATE TABLE after_copy (id int);\n"
    )
    assert split_statements(text, "postgres") == [
        (1, "COPY public.t (a, b) FROM stdin"), (4, "CREATE TABLE after_copy (id int)")]


def test_split_mysql_delimiter_blocks_hash_comments_and_version_comments() -> None:
    text = (
        "/*!40101 SET NAMES utf8 */;\n"
        "# a comment; with a semicolon\n"
        "CREATE TABLE a (s varchar(3) DEFAULT 'x\\';y');\n"
        "DELIMITER ;;\n"
        "CREATE TRIGGER t1 AFTER INSERT ON a FOR EACH ROW BEGIN\n  INSERT INTO b VALUES (1);\nEND;;\n"
        "DELIMITER ;\n"
        "DELIMITER //\n"
        "CREATE PROCEDURE p() BEGIN SELECT 1; END//\n"
        "DELIMITER ;\n"
        "SELECT 5--1;\n"
    )
    statements = split_statements(text, "mariadb")
    assert [line for line, _ in statements] == [1, 3, 5, 10, 12]
    assert statements[0][1] == "/*!40101 SET NAMES utf8 */"  # executable comment: MySQL runs it
    assert statements[2][1].startswith("CREATE TRIGGER") and statements[2][1].endswith("END")
    assert statements[3][1] == "CREATE PROCEDURE p() BEGIN SELECT 1; END"
    assert statements[4][1] == "SELECT 5--1"


def test_split_sqlite_trigger_bodies_stay_whole() -> None:
    text = (
        "CREATE TABLE a (x INTEGER PRIMARY KEY, [odd;name] TEXT);\n"
        "CREATE TRIGGER tr AFTER UPDATE ON a BEGIN\n"
        "  UPDATE a SET x = CASE WHEN x > 0 THEN 1 ELSE 2 END WHERE rowid = new.rowid;\n"
        "  SELECT 'END;';\n"
        "END;\n"
        "BEGIN TRANSACTION;\n"
        "CREATE TABLE b (y TEXT);\n"
    )
    statements = split_statements(text, "sqlite")
    assert [line for line, _ in statements] == [1, 2, 6, 7]
    assert statements[1][1].endswith("END")
    assert statements[0][1] == "CREATE TABLE a (x INTEGER PRIMARY KEY, [odd;name] TEXT)"


def test_split_tsql_go_batches() -> None:
    text = "CREATE TABLE a (x int)\nGO\nCREATE TABLE b (y int)\n  go  \nSELECT 1"
    assert split_statements(text, "tsql") == [
        (1, "CREATE TABLE a (x int)"), (3, "CREATE TABLE b (y int)"), (5, "SELECT 1")]


# ------------------------------------------------------------------------------------------ dialect names


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("schemas/postgres_identity.sql", "", ("postgres", False)),
    ("x/mysql.sql", "", ("mysql", False)),
    ("x/MariaDB-dump.sql", "", ("mysql", False)),
    ("sqlite_autoincrement.sql", "", ("sqlite", False)),
    ("tsql.sql", "", ("tsql", False)),
    ("oracle.sql", "", ("oracle", False)),
    ("db2.sql", "", ("", False)),
    ("schema.sql", "CREATE TABLE a (id int AUTO_INCREMENT) ENGINE=InnoDB;", ("mysql", False)),
    ("schema.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT);", ("sqlite", False)),
    ("schema.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);", ("sqlite", False)),
    ("schema.sql", "ALTER TABLE a OWNER TO me; CREATE TABLE b (id INTEGER PRIMARY KEY);", ("postgres", False)),
    ("schema.sql", "CREATE TYPE mood AS ENUM ('a');", ("postgres", False)),
    ("schema.sql", "CREATE TABLE a (id int);", ("postgres", True)),
    (None, "", ("postgres", True)),
])
def test_infer_dialect(path: str | None, text: str, expected: tuple[str, bool]) -> None:
    assert infer_dialect(text, path) == expected


def test_unknown_dialect_suggests_closest_name() -> None:
    with pytest.raises(ConfigError, match="'postgresql'"):
        read_ddl("CREATE TABLE a (x int);", "postgresq")
    with pytest.raises(ConfigError, match="'sqlite'"):
        read_ddl("CREATE TABLE a (x int);", "sqlit")


def test_dialect_aliases() -> None:
    for alias, name in [("PostgreSQL", "postgres"), ("pg", "postgres"), ("mariadb", "mysql"), ("sqlite3", "sqlite"),
                        ("mssql", "tsql"), ("db2", "")]:
        assert read_ddl("CREATE TABLE a (x int);", alias).dialect == name


def test_dialect_inferred_from_path_and_noted_when_guessed() -> None:
    assert read_ddl("CREATE TABLE a (x int);", path="mysql.sql").dialect == "mysql"
    guessed = read_ddl("CREATE TABLE a (x int);")
    assert guessed.dialect == "postgres"
    assert any("no dialect given" in n for n in guessed.notes)


# ------------------------------------------------------------------------------------------ inline constructs

PG = "postgres"


def test_create_table_constraints_inline_and_table_level() -> None:
    schema = read_ddl("""
        CREATE TABLE Parent (Id int PRIMARY KEY, code text UNIQUE, a int, b int, CONSTRAINT parent_ab UNIQUE (a, b));
        CREATE TABLE child (
            id serial,
            parent_id int NOT NULL REFERENCES parent ON DELETE CASCADE,
            pa int, pb int,
            qty int DEFAULT 1 CHECK (qty > 0),
            lo int, hi int,
            note varchar NULL,
            PRIMARY KEY (id),
            CONSTRAINT child_ab_fk FOREIGN KEY (pa, pb) REFERENCES parent (a, b) DEFERRABLE INITIALLY DEFERRED,
            CONSTRAINT lo_le_hi CHECK (lo <= hi),
            CHECK (hi < 100)
        );
    """, PG)
    parent, child = schema.tables
    assert parent.name == TableName(None, "parent")  # unquoted names fold to lower case
    assert parent.primary_key.columns == ("id",)
    assert [u.columns for u in parent.uniques] == [("code",), ("a", "b")]
    assert child.column("id").autoincrement and child.column("id").type.kind == "integer"
    assert child.column("id").type.sql == "INT"
    assert not child.column("id").nullable  # primary key
    fk_parent, fk_ab = child.foreign_keys
    assert fk_parent.ref_table == parent.name and fk_parent.ref_columns == ("id",)
    assert fk_parent.on_delete == "CASCADE" and not fk_parent.deferrable
    assert fk_ab.name == "child_ab_fk" and fk_ab.columns == ("pa", "pb") and fk_ab.ref_columns == ("a", "b")
    assert fk_ab.deferrable and fk_ab.initially_deferred
    assert child.column("qty").default == "1"
    assert [c.sql for c in child.column("qty").checks] == ["qty > 0"]
    assert [c.sql for c in child.column("hi").checks] == ["hi < 100"]  # single-column table CHECK
    assert [(c.name, c.sql) for c in child.checks] == [("lo_le_hi", "lo <= hi")]
    assert child.column("note").nullable and child.column("note").type.length is None


def test_alter_table_pg_dump_forms() -> None:
    schema = read_ddl("""
        CREATE TABLE public.a (id integer NOT NULL, name text);
        CREATE SEQUENCE public.a_id_seq;
        ALTER TABLE ONLY public.a ALTER COLUMN id SET DEFAULT nextval('public.a_id_seq'::regclass);
        ALTER TABLE ONLY public.a ADD CONSTRAINT a_pkey PRIMARY KEY (id);
        ALTER TABLE ONLY public.a ADD CONSTRAINT a_name_key UNIQUE (name);
        ALTER TABLE public.a ADD CONSTRAINT a_name_check CHECK ((length(name) > 1)) NOT VALID;
        CREATE TABLE public.b (id integer NOT NULL, a_id integer);
        ALTER TABLE public.b ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
            SEQUENCE NAME public.b_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1);
        ALTER TABLE ONLY public.b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES public.a(id);
        ALTER TABLE public.a OWNER TO postgres;
        ALTER TABLE public.a ADD COLUMN extra text NOT NULL;
        ALTER TABLE public.a ALTER COLUMN extra DROP NOT NULL;
    """, PG)
    a, b = schema.tables
    id_col = a.column("id")
    assert id_col.autoincrement and id_col.sequence == "public.a_id_seq"
    assert a.primary_key.name == "a_pkey"
    assert a.uniques[0].name == "a_name_key"
    assert a.column("name").checks[0].name == "a_name_check"
    assert a.column_names == ("id", "name", "extra") and a.column("extra").nullable
    assert b.column("id").identity == "by_default" and b.column("id").sequence == "public.b_id_seq"
    assert b.foreign_keys[0].ref_table == TableName("public", "a")


def test_unique_indexes_plain_expression_and_partial() -> None:
    schema = read_ddl("""
        CREATE TABLE users (id int PRIMARY KEY, email text, org int, deleted_at timestamp);
        CREATE UNIQUE INDEX users_org_email ON users USING btree (org, email);
        CREATE UNIQUE INDEX users_lower_email ON public.users USING btree (lower(email)) WHERE (deleted_at IS NULL);
        CREATE INDEX users_plain ON users (org);
        CREATE UNIQUE INDEX mv_idx ON some_materialized_view (x);
        CREATE UNIQUE INDEX users_nnd ON users (org) NULLS NOT DISTINCT;
    """, PG)
    (users,) = schema.tables
    plain, expression, nulls = users.uniques
    assert plain.columns == ("org", "email") and not plain.expressions and plain.where is None
    assert expression.columns == () and [e.sql() for e in expression.expressions] == ["LOWER(email)"]
    assert expression.where is not None and expression.where.sql() == "(deleted_at IS NULL)"
    assert nulls.columns == ("org",)
    assert any("NULLS NOT DISTINCT" in n for n in schema.notes)


def test_enum_and_domain_types() -> None:
    schema = read_ddl("""
        CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
        CREATE DOMAIN public.positive AS integer DEFAULT 1 NOT NULL CONSTRAINT positive_check CHECK (VALUE > 0);
        CREATE DOMAIN public."Label" AS character varying(20) CHECK (VALUE <> '');
        CREATE DOMAIN small_positive AS public.positive CHECK (VALUE < 10);
        CREATE TABLE app.t (
            m app.mood, ms app.mood[], p public.positive, l public."Label", s small_positive NULL, n "Name");
    """, PG)
    (t,) = schema.tables
    assert t.column("m").type.kind == "enum" and t.column("m").type.values == ("sad", "ok", "happy")
    assert t.column("ms").type.kind == "array" and t.column("ms").type.element.kind == "enum"
    p = t.column("p")
    assert p.domain == "positive" and p.type.kind == "integer" and not p.nullable and p.default == "1"
    assert [c.sql for c in p.checks] == ["p > 0"]
    label = t.column("l")
    assert label.domain == "Label" and label.type.kind == "varchar" and label.type.length == 20
    assert [c.sql for c in label.checks] == ["l <> ''"]
    s = t.column("s")  # domain over a domain: base type, NOT NULL and CHECKs of both
    assert s.domain == "small_positive" and s.type.kind == "integer" and not s.nullable
    assert sorted(c.sql for c in s.checks) == ["s < 10", "s > 0"]
    assert t.column("n").type.kind == "other"  # an unknown quoted type is not the built-in "name"
    assert [(e.schema, e.name) for e in schema.enums] == [("app", "mood")]
    positive = next(d for d in schema.domains if d.name == "positive")
    assert not positive.nullable and positive.checks[0].sql == "VALUE > 0"


def test_partitions_declarative_and_attached() -> None:
    schema = read_ddl("""
        CREATE TABLE m (id int NOT NULL, region text, day date, CHECK (id > 0)) PARTITION BY LIST (region);
        CREATE TABLE m_eu PARTITION OF m FOR VALUES IN ('de', 'fr');
        CREATE TABLE m_other PARTITION OF m DEFAULT;
        CREATE TABLE r (id int, day date) PARTITION BY RANGE (day);
        CREATE TABLE r_2024 (id int, day date);
        ALTER TABLE ONLY r ATTACH PARTITION r_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE r_min PARTITION OF r FOR VALUES FROM (MINVALUE) TO ('2024-01-01');
    """, PG)
    m, m_eu, m_other, r, r_2024, r_min = schema.tables
    assert m.partitioning.method == "list" and m.partitioning.columns == ("region",)
    assert [p.name.name for p in m.partitioning.partitions] == ["m_eu", "m_other"]
    assert m.partitioning.partitions[0].values == ("'de'", "'fr'")
    assert m.partitioning.partitions[1].is_default
    assert m_eu.partition_of == m.name and m_eu.column_names == m.column_names
    assert not m_eu.column("id").nullable and m_eu.column("id").checks  # parent's columns and CHECKs
    assert [(p.name.name, p.lower, p.upper) for p in r.partitioning.partitions] == [
        ("r_2024", ("'2024-01-01'",), ("'2025-01-01'",)), ("r_min", ("MINVALUE",), ("'2024-01-01'",))]
    assert r_2024.partition_of == r.name and m_other.partition_of == m.name and r_min.partition_of == r.name


def test_inherits_puts_parent_columns_first_and_merges() -> None:
    schema = read_ddl("""
        CREATE TABLE base (id int NOT NULL, created date, CHECK (id > 0));
        CREATE TABLE child (extra text, created date NOT NULL DEFAULT CURRENT_DATE) INHERITS (base);
    """, PG)
    base, child = schema.tables
    assert child.column_names == ("id", "created", "extra")
    assert child.inherits == (base.name,)
    assert not child.column("created").nullable and child.column("created").default == "CURRENT_DATE"
    assert [c.sql for c in child.column("id").checks] == ["id > 0"]


def test_quoted_identifiers_keep_case_and_schema_resolution() -> None:
    schema = read_ddl("""
        CREATE TABLE sales."Order" ("Id" int PRIMARY KEY, customer int);
        CREATE TABLE public.customer (id int PRIMARY KEY);
        CREATE TABLE sales.line (order_id int REFERENCES "Order", customer_id int REFERENCES customer);
        COMMENT ON COLUMN sales."Order"."Id" IS 'the key';
        COMMENT ON TABLE public.customer IS 'buyers';
    """, PG)
    order, customer, line = schema.tables
    assert order.name == TableName("sales", "Order") and order.column_names == ("Id", "customer")
    assert line.foreign_keys[0].ref_table == order.name and line.foreign_keys[0].ref_columns == ("Id",)
    assert line.foreign_keys[1].ref_table == customer.name  # not in sales: found in public
    assert order.column("Id").comment == "the key" and customer.comment == "buyers"


def test_generated_and_identity_columns() -> None:
    schema = read_ddl("""
        CREATE TABLE t (
            a int GENERATED ALWAYS AS IDENTITY,
            b bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 10),
            c int GENERATED ALWAYS AS (a * 2) STORED
        );
    """, PG)
    (t,) = schema.tables
    assert t.column("a").identity == "always" and t.column("b").identity == "by_default"
    assert t.column("c").generated and not t.column("a").generated


def test_type_mapping_postgres() -> None:
    schema = read_ddl("""
        CREATE TABLE t (
            i2 int2, i4 integer, i8 int8, n numeric(10,2), n0 numeric, r real, d double precision, f float,
            c char(3), c1 character, v character varying(40), vu varchar, tx text, ci citext, b boolean,
            dt date, tm time, ttz time with time zone, ts timestamp, tstz timestamptz, iv interval, u uuid,
            j json, jb jsonb, by bytea, ip inet, cd cidr, mac macaddr, mo money, x xml, bt bit(4), vb varbit(8),
            tv tsvector, geo geometry(Point, 4326), arr integer[], bs bigserial, ss smallserial,
            bv bit varying(5), o oid, ihm interval hour to minute, qc "char"
        );
    """, PG)
    kinds = {c.name: (c.type.kind, c.type.length, c.type.precision, c.type.scale) for c in schema.tables[0].columns}
    assert kinds == {
        "i2": ("smallint", None, None, None), "i4": ("integer", None, None, None),
        "i8": ("bigint", None, None, None), "n": ("decimal", None, 10, 2), "n0": ("decimal", None, None, None),
        "r": ("float", None, None, None), "d": ("double", None, None, None), "f": ("double", None, None, None),
        "c": ("char", 3, None, None), "c1": ("char", 1, None, None), "v": ("varchar", 40, None, None),
        "vu": ("varchar", None, None, None), "tx": ("text", None, None, None), "ci": ("text", None, None, None),
        "b": ("boolean", None, None, None), "dt": ("date", None, None, None), "tm": ("time", None, None, None),
        "ttz": ("time", None, None, None), "ts": ("timestamp", None, None, None),
        "tstz": ("timestamptz", None, None, None), "iv": ("interval", None, None, None),
        "u": ("uuid", None, None, None), "j": ("json", None, None, None), "jb": ("jsonb", None, None, None),
        "by": ("bytes", None, None, None), "ip": ("inet", None, None, None), "cd": ("cidr", None, None, None),
        "mac": ("macaddr", None, None, None), "mo": ("money", None, None, None), "x": ("xml", None, None, None),
        "bt": ("bit", 4, None, None), "vb": ("bit", 8, None, None), "tv": ("tsvector", None, None, None),
        "geo": ("other", None, None, None), "arr": ("array", None, None, None), "bs": ("bigint", None, None, None),
        "ss": ("smallint", None, None, None), "bv": ("bit", 5, None, None), "o": ("other", None, None, None),
        "ihm": ("interval", None, None, None), "qc": ("char", 1, None, None),
    }
    columns = schema.tables[0]
    assert columns.column("bs").autoincrement and columns.column("bs").type.sql == "BIGINT"
    assert columns.column("geo").type.sql.upper().startswith("GEOMETRY")


def test_type_mapping_mysql() -> None:
    schema = read_ddl("""
        CREATE TABLE `T` (
            `flag` tinyint(1) NOT NULL DEFAULT 0, ti tinyint unsigned, mi mediumint, bi bigint unsigned,
            dc decimal(8,3), dd decimal, fl float, db double, dtm datetime, ts timestamp, yr year,
            lt longtext, bl longblob, bn binary(16), vbn varbinary(20), js json,
            e enum('a','b'), st set('x','y') COMMENT 'flags',
            id int unsigned NOT NULL AUTO_INCREMENT,
            PRIMARY KEY (`id`),
            UNIQUE KEY uk_e (e, st),
            KEY k_flag (flag),
            FULLTEXT KEY ft (lt)
        ) ENGINE=InnoDB COMMENT='a table';
    """, "mysql")
    (t,) = schema.tables
    kinds = {c.name: c.type.kind for c in t.columns}
    assert kinds == {
        "flag": "boolean", "ti": "smallint", "mi": "integer", "bi": "bigint", "dc": "decimal", "dd": "decimal",
        "fl": "float", "db": "double", "dtm": "timestamp", "ts": "timestamp", "yr": "smallint", "lt": "text",
        "bl": "bytes", "bn": "bytes", "vbn": "bytes", "js": "json", "e": "enum", "st": "set", "id": "integer",
    }
    assert t.column("ti").type.unsigned and t.column("ti").type.sql == "TINYINT UNSIGNED"
    assert (t.column("dd").type.precision, t.column("dd").type.scale) == (10, 0)
    assert t.column("bn").type.length == 16
    assert t.column("st").comment == "flags" and t.comment == "a table"
    assert t.column("id").autoincrement and not t.column("id").nullable
    assert t.name == TableName(None, "T")
    assert [(u.name, u.columns) for u in t.uniques] == [("uk_e", ("e", "st"))]


def test_mysql_prefix_unique_key_is_an_expression() -> None:
    schema = read_ddl("CREATE TABLE t (name varchar(100), code varchar(9), UNIQUE KEY uk (code, name(10)));", "mysql")
    (unique,) = schema.tables[0].uniques
    assert unique.columns == ("code",)
    assert [e.sql("mysql") for e in unique.expressions] == ["LEFT(name, 10)"]


def test_mysql_partitioning() -> None:
    schema = read_ddl("""
        CREATE TABLE r (id int, d date)
            PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN MAXVALUE);
        CREATE TABLE l (id int) PARTITION BY LIST (id) (PARTITION a VALUES IN (1, 2), PARTITION b VALUES IN (3));
        CREATE TABLE h (id int) PARTITION BY HASH (id) PARTITIONS 4;
    """, "mysql")
    r, lst, h = schema.tables
    assert r.partitioning.method == "range" and r.partitioning.columns == ("id",)
    assert [(p.name.name, p.lower, p.upper) for p in r.partitioning.partitions] == [
        ("p0", (), ("10",)), ("p1", ("10",), ("MAXVALUE",))]
    assert [(p.name.name, p.values) for p in lst.partitioning.partitions] == [("a", ("1", "2")), ("b", ("3",))]
    assert h.partitioning is None and h.column_names == ("id",)
    assert any("partitioning clause not understood" in n for n in schema.notes)
    assert len(schema.tables) == 3  # MySQL partitions are not tables


def test_mysql_references_resolve_case_insensitively() -> None:
    schema = read_ddl("""
        CREATE TABLE Customer (CustomerId int NOT NULL, PRIMARY KEY (CustomerId));
        CREATE TABLE invoice (id int PRIMARY KEY, customer_id int,
            CONSTRAINT fk FOREIGN KEY (Customer_ID) REFERENCES customer (customerid));
        ALTER TABLE INVOICE ADD CONSTRAINT fk2 FOREIGN KEY (CUSTOMER_ID) REFERENCES CUSTOMER (CUSTOMERID);
        ALTER TABLE invoice MODIFY customer_id int NOT NULL;
    """, "mysql")
    _customer, invoice = schema.tables
    for fk in invoice.foreign_keys:
        assert fk.columns == ("customer_id",)
        assert fk.ref_table == TableName(None, "Customer") and fk.ref_columns == ("CustomerId",)
    assert not invoice.column("customer_id").nullable


def test_sqlite_rowid_alias_rules() -> None:
    schema = read_ddl("""
        CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);
        CREATE TABLE b (id INT PRIMARY KEY);
        CREATE TABLE c (id INTEGER, PRIMARY KEY (id));
        CREATE TABLE d (id INTEGER PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE e (id INTEGER PRIMARY KEY AUTOINCREMENT);
        CREATE TABLE f (x, y TEXT, description BLOB SUB_TYPE TEXT, PRIMARY KEY (x, y));
    """, "sqlite")
    autos = {t.name.name: t.columns[0].autoincrement for t in schema.tables}
    assert autos == {"a": True, "b": False, "c": True, "d": False, "e": True, "f": False}
    f = schema.tables[-1]
    assert f.column("x").type.kind == "text" and f.column("description").type.kind == "text"


def test_irrelevant_statements_are_skipped() -> None:
    schema = read_ddl("""
        SET statement_timeout = 0;
        SELECT pg_catalog.set_config('search_path', '', false);
        CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
        CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TABLE t (id int);
        CREATE VIEW v AS SELECT * FROM t;
        CREATE SEQUENCE s START 1;
        CREATE INDEX t_idx ON t (id);
        CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f();
        GRANT ALL ON TABLE t TO PUBLIC;
        COMMENT ON VIEW v IS 'x';
        COMMENT ON COLUMN v.id IS 'not a table';
        ALTER TABLE v ALTER COLUMN id SET DEFAULT 1;
        CREATE RULE r AS ON INSERT TO v DO INSTEAD NOTHING;
        this is not sql at all;
    """, PG)
    assert [t.name.name for t in schema.tables] == ["t"]


# ----------------------------------------------------------------------------------------------------- errors


def test_unparseable_create_table_names_path_and_line() -> None:
    text = "-- a comment\nCREATE TABLE ok (id int);\n\nCREATE TABLE broken (\n  id int CHECK\n);\n"
    with pytest.raises(SchemaReadError) as info:
        read_ddl(text, PG, path="schema.sql")
    assert info.value.path == "schema.sql" and info.value.line == 4
    assert str(info.value).startswith("schema.sql:4: cannot parse CREATE TABLE (Expecting ) at line 5, column 14)")
    assert "CREATE TABLE broken" in str(info.value)


def test_unparseable_add_constraint_raises() -> None:
    text = "CREATE TABLE a (id int);\nALTER TABLE a ADD CONSTRAINT a_u UNIQUE USING INDEX a_idx;\n"
    with pytest.raises(SchemaReadError, match=r"^line 2: cannot parse ALTER TABLE"):
        read_ddl(text, PG)


def test_add_constraint_on_unknown_table_raises() -> None:
    with pytest.raises(SchemaReadError, match="nosuch"):
        read_ddl("ALTER TABLE ONLY nosuch ADD CONSTRAINT p PRIMARY KEY (id);", PG, path="x.sql")


def test_fk_to_missing_table_or_column_raises_schema_error() -> None:
    with pytest.raises(SchemaError, match=r"foreign key a_b_fk of table a references missing table b"):
        read_ddl("CREATE TABLE a (id int, b_id int, CONSTRAINT a_b_fk FOREIGN KEY (b_id) REFERENCES b (id));", PG)
    with pytest.raises(SchemaError, match=r"references missing column b\.nope"):
        read_ddl("CREATE TABLE b (id int PRIMARY KEY); CREATE TABLE a (b_id int REFERENCES b (nope));", PG)
    with pytest.raises(SchemaError, match="no primary key"):
        read_ddl("CREATE TABLE b (id int); CREATE TABLE a (b_id int REFERENCES b);", PG)


def test_unreadable_file_raises_schema_read_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaReadError, match="cannot read DDL file"):
        read_ddl_file(tmp_path / "missing.sql")
    path = tmp_path / "mysql_schema.sql"
    path.write_text("CREATE TABLE a (id int AUTO_INCREMENT PRIMARY KEY);", encoding="utf-8")
    schema = read_ddl_file(path)
    assert schema.dialect == "mysql" and schema.source == str(path)
