"""Schemas as projects ship them (issue #11), read side: the model is the schema after every statement.

``SET search_path`` places unqualified CREATEs; ``RENAME TO`` / ``RENAME COLUMN`` / ``DROP COLUMN`` / ``DROP
CONSTRAINT`` / ``DROP TABLE`` / ``ALTER TYPE ... ADD|RENAME VALUE`` rewrite the model and every reference to what
they change; a statement that changes a table but cannot be understood is an error naming its line; serial and
identity columns are NOT NULL wherever they stand; identity option lists sqlglot cannot parse are read.
"""

from __future__ import annotations

from typing import Any

import pytest

from seeder.errors import SchemaReadError
from seeder.readers.ddl import read_ddl
from seeder.schema import TableName


def test_search_path_places_unqualified_tables_and_their_references() -> None:
    schema = read_ddl("""
        CREATE SCHEMA IF NOT EXISTS app;
        SET search_path TO app;
        CREATE TYPE mood AS ENUM ('ok', 'sad');
        CREATE TABLE company (id int PRIMARY KEY, m mood NOT NULL);
        CREATE TABLE person (id int PRIMARY KEY, company_id int REFERENCES company (id));
        ALTER TABLE person ADD COLUMN boss int;
        SET search_path TO "Other Schema", public;
        CREATE TABLE t (id int PRIMARY KEY);
        SET search_path = public;
        CREATE TABLE plain (id int PRIMARY KEY);
    """, "postgres")
    names = [t.name for t in schema.tables]
    assert names == [TableName("app", "company"), TableName("app", "person"), TableName("Other Schema", "t"),
                     TableName(None, "plain")]
    person = schema.table(TableName("app", "person"))
    assert person.foreign_keys[0].ref_table == TableName("app", "company")
    assert "boss" in person.column_names
    assert schema.table(TableName("app", "company")).column("m").type.kind == "enum"


def test_pg_dump_empty_search_path_keeps_qualified_names() -> None:
    schema = read_ddl("SELECT pg_catalog.set_config('search_path', '', false);\n"
                      "CREATE TABLE public.a (id int PRIMARY KEY);", "postgres")
    assert schema.tables[0].name == TableName("public", "a")


@pytest.mark.parametrize("dialect", ["postgres", "sqlite"])
def test_renames_and_drops_follow_the_script(dialect: str) -> None:
    schema = read_ddl("""
        CREATE TABLE city (slug text PRIMARY KEY, name text NOT NULL);
        CREATE TABLE venues (id integer PRIMARY KEY, dropped text, city text NOT NULL REFERENCES city (slug),
                             username text, CHECK (username <> ''), UNIQUE (dropped));
        ALTER TABLE venues RENAME TO venue;
        ALTER TABLE venue ADD COLUMN created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP;
        ALTER TABLE venue DROP COLUMN dropped;
        ALTER TABLE venue RENAME COLUMN username TO name;
        ALTER TABLE city RENAME COLUMN slug TO code;
    """, dialect)
    venue = schema.table(TableName(None, "venue"))
    assert [t.name.name for t in schema.tables] == ["city", "venue"]
    assert venue.column_names == ("id", "city", "name", "created_at")
    assert venue.uniques == ()  # the UNIQUE over the dropped column went with it
    assert [c.sql for c in (*venue.checks, *venue.column("name").checks)] == ["name <> ''"]
    (fk,) = venue.foreign_keys
    assert (fk.ref_table.name, fk.ref_columns) == ("city", ("code",))


def test_drop_constraint_by_declared_and_generated_names() -> None:
    schema = read_ddl("""
        CREATE TABLE e (id int PRIMARY KEY, salary numeric CHECK (salary >= 0), code int UNIQUE,
                        temp int, CONSTRAINT e_temp_positive CHECK (temp > 0));
        ALTER TABLE e DROP CONSTRAINT e_temp_positive;
        ALTER TABLE e DROP CONSTRAINT e_salary_check;
        ALTER TABLE e DROP CONSTRAINT e_code_key;
        ALTER TABLE e DROP CONSTRAINT IF EXISTS nothing_here;
    """, "postgres")
    table = schema.tables[0]
    assert table.checks == () and table.uniques == ()
    assert all(not c.checks for c in table.columns)


def test_drop_table_and_alter_type_values() -> None:
    schema = read_ddl("""
        DROP TABLE IF EXISTS gone CASCADE;
        CREATE TYPE status AS ENUM ('FULL_TIME', 'PART_TIME');
        CREATE TABLE gone (id int PRIMARY KEY);
        CREATE TABLE keep (id int PRIMARY KEY, g int REFERENCES gone (id), s status NOT NULL);
        ALTER TYPE status ADD VALUE 'CONTRACTOR';
        ALTER TYPE status ADD VALUE IF NOT EXISTS 'INTERN' BEFORE 'FULL_TIME';
        ALTER TYPE status RENAME VALUE 'PART_TIME' TO 'PARTTIME';
        ALTER TYPE status OWNER TO postgres;
        DROP TABLE gone CASCADE;
    """, "postgres")
    assert [t.name.name for t in schema.tables] == ["keep"]
    assert schema.tables[0].foreign_keys == ()
    assert schema.tables[0].column("s").type.values == ("INTERN", "FULL_TIME", "PARTTIME", "CONTRACTOR")


@pytest.mark.parametrize("statement", [
    "ALTER TABLE t ALTER COLUMN a SET DATA TYPE text COLLATE nope USING a::text, DETACH PARTITION x",
    "ALTER TABLE t SET SCHEMA other",
    "ALTER TABLE t RENAME a b",
])
def test_a_change_to_a_table_that_cannot_be_understood_is_an_error(statement: str) -> None:
    with pytest.raises(SchemaReadError, match=r":3: cannot understand this ALTER TABLE"):
        read_ddl(f"CREATE TABLE parent (a int);\nCREATE TABLE t (a int);\n{statement};", "postgres", path="x.sql")


def test_harmless_alter_forms_and_other_objects_pass() -> None:
    schema = read_ddl("""
        CREATE TABLE t (a int);
        ALTER TABLE t ALTER COLUMN a SET STORAGE PLAIN;
        ALTER TABLE t OWNER TO app;
        ALTER TABLE ONLY t REPLICA IDENTITY FULL;
        ALTER TABLE some_view ALTER COLUMN a SET STATISTICS 10;
    """, "postgres")
    assert schema.tables[0].column_names == ("a",)


def test_serial_and_identity_columns_are_not_null_anywhere() -> None:
    schema = read_ddl("""
        CREATE TABLE t (id text PRIMARY KEY, serial_number serial, big bigserial,
                        ident bigint GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 1 START 1 CACHE 1 NO CYCLE),
                        late int);
        ALTER TABLE t ALTER COLUMN late ADD GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5);
        ALTER TABLE t ADD COLUMN added bigint GENERATED ALWAYS AS IDENTITY (START 100 INCREMENT 10);
    """, "postgres")
    table = schema.tables[0]
    for name in ("serial_number", "big", "ident", "late", "added"):
        assert not table.column(name).nullable, name
    assert table.column("ident").identity == "by_default" and table.column("late").identity == "always"


@pytest.mark.parametrize("name, dialect", [("roundcube__initial.sqlite.sql", "sqlite"),
                                           ("powerdns__schema.postgres.sql", "postgres"),
                                           ("schema.mysql.sql", "mysql")])
def test_dialect_from_a_dotted_part_of_the_file_name(name: str, dialect: str) -> None:
    from seeder.dialects import guess_dialect

    entry, guessed = guess_dialect("CREATE TABLE t (a int);", name)
    assert (entry.name, guessed) == (dialect, False)


@pytest.mark.parametrize("dialect, statement, check", [
    ("mysql", "ALTER TABLE t DROP INDEX u1", lambda t: t.uniques == ()),
    ("mysql", "ALTER TABLE t DROP KEY u1", lambda t: t.uniques == ()),
    ("mysql", "ALTER TABLE t DROP PRIMARY KEY", lambda t: t.primary_key is None),
    ("mysql", "ALTER TABLE t RENAME INDEX u1 TO u2", lambda t: [u.name for u in t.uniques] == ["u2"]),
    ("postgres", "ALTER TABLE t ALTER COLUMN c DROP IDENTITY IF EXISTS", lambda t: t.column("c").identity is None),
    ("postgres", "ALTER TABLE t ALTER COLUMN g DROP EXPRESSION", lambda t: not t.column("g").generated),
    ("postgres", "ALTER TABLE t INHERIT p", lambda t: [p.name for p in t.inherits] == ["p"]),
    ("oracle", "ALTER TABLE t DROP (b)", lambda t: "B" not in t.column_names),
])
def test_other_dialects_alter_forms_change_the_model(dialect: str, statement: str, check: Any) -> None:
    identity = "GENERATED BY DEFAULT AS IDENTITY" if dialect == "postgres" else ""
    generated = ", g int GENERATED ALWAYS AS (a * 2) STORED" if dialect == "postgres" else ""
    schema = read_ddl(f"CREATE TABLE p (z int); CREATE TABLE t (a int PRIMARY KEY, b int, c int {identity}"
                      f"{generated}, CONSTRAINT u1 UNIQUE (b));\n{statement};", dialect)
    assert check(schema.tables[1])


def test_mysql_rename_table_statement() -> None:
    schema = read_ddl("CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE c (id int PRIMARY KEY, a_id int "
                      "REFERENCES a (id));\nRENAME TABLE a TO b, c TO d;", "mysql")
    assert [t.name.name for t in schema.tables] == ["b", "d"]
    assert schema.tables[1].foreign_keys[0].ref_table.name == "b"
