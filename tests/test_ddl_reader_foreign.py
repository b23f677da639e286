"""Tests for reading T-SQL, Oracle (SQL*Plus) and DB2 DDL: splitting, the targeted sqlglot work-arounds, type
mappings, and ``seeder inspect`` / ``seeder plan`` on the input-only files of the real-schema corpus."""

from __future__ import annotations

import json
from functools import cache

import pytest
from click.testing import CliRunner

from seeder.api import build_plan
from seeder.cli import cli
from seeder.errors import SchemaReadError
from seeder.readers.ddl import read_ddl, read_ddl_file, split_statements
from seeder.readers.ddl_workarounds import parse_oracle_partitioning, workarounds_for
from seeder.schema import Schema, Table, TableName
from tests.engines import needs_schemas, schemas_dir

SCHEMAS = schemas_dir()



@cache
def real(name: str) -> Schema:
    return read_ddl_file(SCHEMAS / name)


def table(schema: Schema, name: str, schema_name: str | None = None) -> Table:
    return schema.table(TableName(schema_name, name))


def column_kinds(t: Table) -> dict[str, str]:
    return {c.name: c.type.kind for c in t.columns}


# ------------------------------------------------------------------------------------------- real files

# file, dialect, tables, FKs, CHECKs (table + column), identity columns, auto-increment columns, cycles:
# the figures of shared/schemas/README.md.
INPUT_ONLY = [
    ("chinook/tsql.sql", "tsql", 11, 11, 0, 0, 0, 0),
    ("chinook/tsql_identity.sql", "tsql", 11, 11, 0, 0, 10, 0),
    ("chinook/oracle.sql", "oracle", 11, 11, 0, 0, 0, 0),
    ("chinook/db2.sql", "", 11, 11, 0, 0, 0, 0),
    ("sakila/tsql.sql", "tsql", 16, 22, 2, 0, 13, 1),
    ("sakila/oracle.sql", "oracle", 16, 22, 2, 0, 0, 1),
    ("oracle_hr/oracle.sql", "oracle", 7, 10, 2, 0, 0, 1),
    ("oracle_co/oracle.sql", "oracle", 7, 9, 4, 6, 0, 0),
    ("oracle_sh/oracle.sql", "oracle", 9, 10, 0, 0, 0, 0),
]

WITHOUT_PK = {"oracle_sh/oracle.sql": {"SALES", "COSTS"}}  # fact tables: "uniquely identified by all foreign keys"


def check_count(schema: Schema) -> int:
    return sum(len(t.checks) + sum(len(c.checks) for c in t.columns) for t in schema.tables)


@needs_schemas
@pytest.mark.parametrize(("name", "dialect", "tables", "fks", "checks", "identity", "auto", "cycles"), INPUT_ONLY,
                         ids=[r[0] for r in INPUT_ONLY])
def test_input_only_file_counts(name: str, dialect: str, tables: int, fks: int, checks: int, identity: int,
                                auto: int, cycles: int) -> None:
    schema = real(name)
    assert schema.dialect == dialect
    assert len(schema.tables) == tables
    assert sum(len(t.foreign_keys) for t in schema.tables) == fks
    assert check_count(schema) == checks
    assert sum(1 for t in schema.tables for c in t.columns if c.identity) == identity
    assert sum(1 for t in schema.tables for c in t.columns if c.autoincrement) == auto
    assert len(build_plan(schema, 10).cycles) == cycles
    assert {t.name.name for t in schema.tables if t.primary_key is None} == WITHOUT_PK.get(name, set())
    for t in schema.tables:
        for fk in t.foreign_keys:
            assert set(fk.ref_columns) <= set(schema.table(fk.ref_table).column_names)


@needs_schemas
def test_tsql_chinook_names_types_and_schema() -> None:
    schema = real("chinook/tsql.sql")
    album = table(schema, "Album", "dbo")
    assert album.column_names == ("AlbumId", "Title", "ArtistId")
    assert album.column("Title").type.kind == "varchar" and album.column("Title").type.length == 160
    assert album.foreign_keys[0].ref_table == TableName("dbo", "Artist")
    invoice = table(schema, "Invoice", "dbo")
    assert invoice.column("InvoiceDate").type.kind == "timestamp"  # DATETIME
    total = invoice.column("Total").type
    assert (total.kind, total.precision, total.scale) == ("decimal", 10, 2)
    identity = real("chinook/tsql_identity.sql")
    assert table(identity, "Album", "dbo").column("AlbumId").autoincrement


@needs_schemas
def test_sakila_tsql_work_arounds() -> None:
    schema = real("sakila/tsql.sql")
    # film_text and inventory sit in one batch with no separator: both are read.
    assert table(schema, "film_text").column_names == ("film_id", "title", "description")
    assert table(schema, "inventory").primary_key.columns == ("inventory_id",)
    # PRIMARY KEY NONCLUSTERED (...) without a constraint name.
    assert table(schema, "actor").primary_key.columns == ("actor_id",)
    # ALTER TABLE ... ADD CONSTRAINT ... DEFAULT (getdate()) FOR col.
    customer = table(schema, "customer")
    assert customer.column("create_date").default == "GETDATE()"
    assert customer.column("active").default == "'Y'"
    staff = table(schema, "staff")
    assert staff.column("active").type.kind == "boolean"  # BIT
    assert staff.column("picture").type.kind == "bytes"  # IMAGE
    assert table(schema, "film").column("description").type.kind == "text"
    assert table(schema, "film").column("rental_duration").type.kind == "smallint"  # TINYINT
    store = table(schema, "store")
    assert [u.columns for u in store.uniques] == [("manager_staff_id",)]  # CREATE UNIQUE NONCLUSTERED INDEX
    assert not store.column("manager_staff_id").nullable
    payment = table(schema, "payment")
    fk = next(fk for fk in payment.foreign_keys if fk.name == "fk_payment_rental")
    assert (fk.on_delete, fk.on_update) == ("SET NULL", "CASCADE")


@needs_schemas
def test_oracle_hr_cycle_index_organized_table_and_types() -> None:
    schema = real("oracle_hr/oracle.sql")
    assert any("ORGANIZATION INDEX" in n for n in schema.notes)
    countries = table(schema, "COUNTRIES")  # ORGANIZATION INDEX: read, so its FKs are not dangling
    assert countries.primary_key.columns == ("COUNTRY_ID",)
    assert countries.column("COUNTRY_ID").type.kind == "char"
    employees = table(schema, "EMPLOYEES")
    kinds = column_kinds(employees)
    assert kinds["EMPLOYEE_ID"] == "integer"  # NUMBER(6)
    assert kinds["HIRE_DATE"] == "timestamp"  # Oracle DATE has a time of day
    assert kinds["FIRST_NAME"] == "varchar" and employees.column("FIRST_NAME").type.length == 20
    salary = employees.column("SALARY").type
    assert (salary.kind, salary.precision, salary.scale) == ("decimal", 8, 2)
    assert column_kinds(table(schema, "DEPARTMENTS"))["DEPARTMENT_ID"] == "smallint"  # NUMBER(4)
    assert column_kinds(table(schema, "REGIONS"))["REGION_ID"] == "decimal"  # NUMBER: any number
    # ALTER TABLE ... ADD (CONSTRAINT ... PRIMARY KEY, CONSTRAINT ... FOREIGN KEY ... REFERENCES t): the FK
    # without a column list targets the primary key.
    dept_fk = next(fk for fk in employees.foreign_keys if fk.name == "EMP_DEPT_FK")
    assert dept_fk.ref_columns == ("DEPARTMENT_ID",)
    self_fk = next(fk for fk in employees.foreign_keys if fk.name == "EMP_MANAGER_FK")
    assert self_fk.ref_table == employees.name and self_fk.ref_columns == ("EMPLOYEE_ID",)
    # The nullable cycle departments <-> employees is broken with NULL then UPDATE.
    plan = build_plan(schema, 10)
    assert [sorted(str(n) for n in c) for c in plan.cycles] == [["DEPARTMENTS", "EMPLOYEES"]]
    assert plan.cycle_breaks and all(b.nullable for b in plan.cycle_breaks)
    assert employees.comment is not None and "employees table" in employees.comment
    checks = [c.sql for c in employees.column("SALARY").checks]
    assert checks == ["SALARY > 0"]
    assert [c.name for c in table(schema, "JOB_HISTORY").checks] == ["JHIST_DATE_INTERVAL"]


@needs_schemas
def test_oracle_co_identity_json_and_checks() -> None:
    schema = real("oracle_co/oracle.sql")
    customers = table(schema, "CUSTOMERS")
    assert customers.column("CUSTOMER_ID").identity == "by_default"  # GENERATED BY DEFAULT ON NULL AS IDENTITY
    assert customers.column("EMAIL_ADDRESS").type.length == 255  # VARCHAR2(255 CHAR)
    products = table(schema, "PRODUCTS")
    details = products.column("PRODUCT_DETAILS")
    assert details.type.kind == "json" and details.type.sql == "BLOB"  # BLOB with CHECK (... IS JSON)
    assert products.column("PRODUCT_IMAGE").type.kind == "bytes"
    orders = table(schema, "ORDERS")
    assert orders.column("ORDER_TMS").type.kind == "timestamp"
    (status,) = orders.column("ORDER_STATUS").checks
    assert status.name == "ORDERS_STATUS_C"
    assert [u.columns for u in table(schema, "INVENTORY").uniques] == [("STORE_ID", "PRODUCT_ID")]


@needs_schemas
def test_oracle_sh_range_partitions() -> None:
    schema = real("oracle_sh/oracle.sql")
    sales = table(schema, "SALES")
    part = sales.partitioning
    assert part is not None and part.method == "range" and part.columns == ("TIME_ID",)
    assert len(part.partitions) == 15
    first, second, last = part.partitions[0], part.partitions[1], part.partitions[-1]
    assert first.name == TableName(None, "SALES_2018") and first.lower == () and first.upper == ("'2019-01-01'",)
    assert second.lower == ("'2019-01-01'",) and second.upper == ("'2019-07-01'",)
    assert last.upper == ("'2023-01-01'",)
    assert len(table(schema, "COSTS").partitioning.partitions) == 20  # COMPRESS after a bound is ignored
    assert not any(t.partition_of for t in schema.tables)  # Oracle partitions are not tables
    assert table(schema, "PROMOTIONS").column("PROMO_COST").type.precision == 10


@needs_schemas
def test_sakila_oracle_plsql_triggers_are_skipped_whole() -> None:
    schema = real("sakila/oracle.sql")
    assert {t.name.name for t in schema.tables} >= {"ACTOR", "FILM_TEXT", "RENTAL", "PAYMENT"}
    film = table(schema, "FILM")
    assert film.column("DESCRIPTION").type.kind == "text"  # CLOB
    assert film.column("RENTAL_RATE").default == "4.99"
    assert table(schema, "STAFF").column("PICTURE").type.kind == "bytes"  # BLOB


@needs_schemas
def test_db2_chinook_read_with_default_dialect() -> None:
    schema = real("chinook/db2.sql")
    assert schema.dialect == ""
    album = table(schema, "Album")  # quoted names keep their case
    assert album.column("Title").type.length == 160
    assert read_ddl('CREATE TABLE t (a INT);', "db2").tables[0].name == TableName(None, "T")  # folds to upper


# ------------------------------------------------------------------------------------------------ CLI

@needs_schemas
@pytest.mark.parametrize(("name", "dialect", "tables", "fks", "checks", "identity", "auto", "cycles"), INPUT_ONLY,
                         ids=[r[0] for r in INPUT_ONLY])
def test_cli_inspect_and_plan(name: str, dialect: str, tables: int, fks: int, checks: int, identity: int,
                              auto: int, cycles: int) -> None:
    runner = CliRunner()
    path = str(SCHEMAS / name)
    result = runner.invoke(cli, ["inspect", path])
    assert result.exit_code == 0, result.output
    # stdout only: what the reader skipped (Oracle table options) is a note on stderr
    assert f"({dialect}): {tables} tables, {fks} foreign keys, {cycles} cycles" in result.stdout.splitlines()[0]
    result = runner.invoke(cli, ["plan", path, "--rows", "7", "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert len(plan["order"]) == tables
    assert plan["total_rows"] == sum(t["requested"] for t in plan["tables"])  # --rows scaled by each table's role
    assert all(t["rows"] == t["requested"] or t.get("limit") for t in plan["tables"])
    assert len(plan["cycle_breaks"]) == cycles


# ---------------------------------------------------------------------------------------------- splitting

def test_tsql_batch_without_separators_is_cut_at_new_statements() -> None:
    text = ("CREATE TABLE a (x int,\n  y int\n)\n\n-- next\nCREATE TABLE b (z int)\nGO\n"
            "ALTER TABLE a\nALTER COLUMN x bigint\nGO\nALTER TABLE a\n  DROP CONSTRAINT c\nGO\n")
    assert [s for _, s in split_statements(text, "tsql")] == [
        "CREATE TABLE a (x int,\n  y int\n)\n\n-- next", "CREATE TABLE b (z int)",
        "ALTER TABLE a\nALTER COLUMN x bigint", "ALTER TABLE a\n  DROP CONSTRAINT c"]


def test_tsql_procedure_batch_keeps_its_semicolons() -> None:
    text = ("CREATE PROCEDURE p AS\nBEGIN\n  SELECT 1;\n  CREATE TABLE #t (x int);\nEND\nGO\n"
            "CREATE TABLE real_one (x int);\n")
    statements = [s for _, s in split_statements(text, "tsql")]
    assert statements[0].startswith("CREATE PROCEDURE p") and statements[0].endswith("END")
    assert statements[1] == "CREATE TABLE real_one (x int)"
    assert [t.name.name for t in read_ddl(text, "tsql").tables] == ["real_one"]


def test_oracle_sqlplus_lines_and_slash_terminators() -> None:
    text = (
        "rem a remark with 'a quote\nREM --------\nSET FEEDBACK 1\nPrompt ****  Creating T's table ....\n"
        "@@other_script.sql\nCREATE TABLE t (\n  id NUMBER(4)\n);\n/\n"
        "CREATE OR REPLACE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW\nBEGIN\n  :NEW.id := 1;\nEND;\n/\n"
        "CREATE TABLE u (id NUMBER(4) REFERENCES t (id))\n/\n"
    )
    statements = split_statements(text, "oracle")
    assert [line for line, _ in statements] == [6, 10, 15]
    assert statements[0][1] == "CREATE TABLE t (\n  id NUMBER(4)\n)"
    assert statements[1][1].startswith("CREATE OR REPLACE TRIGGER") and statements[1][1].endswith("END;")
    assert statements[2][1] == "CREATE TABLE u (id NUMBER(4) REFERENCES t (id))"
    schema = read_ddl(text, "oracle")
    assert [t.name.name for t in schema.tables] == ["T", "U"]
    assert schema.tables[1].foreign_keys[0].ref_table == TableName(None, "T")


# ------------------------------------------------------------------------------------- targeted pre-passes

def rewritten(dialect: str, text: str) -> list[str]:
    """The token texts a CREATE TABLE work-around hands to sqlglot's parser."""
    fix = workarounds_for(dialect)
    tokens = fix.tokens(text)
    assert tokens is not None
    return [tok.text for tok in fix.create_table(tokens)]


def test_tsql_clustering_word_removed_only_after_key() -> None:
    words = rewritten("tsql", "CREATE TABLE t (a INT, PRIMARY KEY NONCLUSTERED (a), UNIQUE CLUSTERED (b), "
                              "c VARCHAR(9) DEFAULT 'PRIMARY KEY CLUSTERED (')")
    assert "NONCLUSTERED" not in words and "CLUSTERED" not in words
    assert "PRIMARY KEY CLUSTERED (" in words  # a string literal is one token: never rewritten
    index = "CREATE UNIQUE CLUSTERED INDEX i ON t ( a )"
    assert " ".join(rewritten("tsql", index)) == index  # not after PRIMARY KEY/UNIQUE and before "(": kept
    schema = read_ddl("CREATE TABLE t (a INT NOT NULL, b INT, PRIMARY KEY NONCLUSTERED (a), UNIQUE CLUSTERED (b))",
                      "tsql")
    assert schema.tables[0].primary_key.columns == ("a",)
    assert schema.tables[0].uniques[0].columns == ("b",)


def test_tsql_default_for_column() -> None:
    text = ("CREATE TABLE [dbo].[t] ([a] INT NOT NULL, [b] DATETIME2 NOT NULL, c NVARCHAR(MAX))\nGO\n"
            "ALTER TABLE [dbo].[t] ADD CONSTRAINT [DF_t_b] DEFAULT (getdate()) FOR [b]\nGO\n"
            "ALTER TABLE dbo.t ADD DEFAULT (N'x') FOR c\nGO\n")
    t = read_ddl(text, "tsql").tables[0]
    assert t.column("b").default == "GETDATE()"
    assert t.column("b").type.kind == "timestamp"
    assert t.column("c").default == "N'x'"
    assert (t.column("c").type.kind, t.column("c").type.length) == ("varchar", None)  # NVARCHAR(MAX)
    with pytest.raises(SchemaReadError, match="has no column zz"):
        read_ddl(text + "ALTER TABLE t ADD CONSTRAINT d DEFAULT 1 FOR zz\n", "tsql")


def test_tsql_types() -> None:
    t = read_ddl("CREATE TABLE t (a BIT, b MONEY, c UNIQUEIDENTIFIER, d FLOAT, e REAL, f NUMERIC, g DATETIMEOFFSET, "
                 "h VARBINARY(MAX), i SMALLMONEY, j INT IDENTITY(1,1) NOT NULL, k ROWVERSION, l SYSNAME)",
                 "tsql").tables[0]
    kinds = column_kinds(t)
    assert kinds == {"a": "boolean", "b": "money", "c": "uuid", "d": "double", "e": "double", "f": "decimal",
                     "g": "timestamptz", "h": "bytes", "i": "money", "j": "integer", "k": "bytes", "l": "varchar"}
    assert (t.column("f").type.precision, t.column("f").type.scale) == (18, 0)
    assert t.column("j").autoincrement and t.column("j").identity is None
    assert t.column("k").generated  # set by the server, never written
    assert t.column("l").type.length == 128


def test_oracle_types() -> None:
    t = read_ddl("CREATE TABLE t (a NUMBER(4), b NUMBER(9,0), c NUMBER(18), d NUMBER(20), e NUMBER(*,0), "
                 "f NUMBER(6,2), g NUMBER, h NVARCHAR2(10), i CLOB, j BLOB, k LONG, l RAW(16), m FLOAT, n DATE, "
                 "o TIMESTAMP, p NCLOB, q INTEGER)", "oracle").tables[0]
    kinds = column_kinds(t)
    assert kinds == {"A": "smallint", "B": "integer", "C": "bigint", "D": "decimal", "E": "decimal", "F": "decimal",
                     "G": "decimal", "H": "varchar", "I": "text", "J": "bytes", "K": "text", "L": "bytes",
                     "M": "double", "N": "timestamp", "O": "timestamp", "P": "text", "Q": "integer"}
    assert (t.column("D").type.precision, t.column("D").type.scale) == (20, 0)
    assert (t.column("E").type.precision, t.column("E").type.scale) == (38, 0)
    assert (t.column("G").type.precision, t.column("G").type.scale) == (None, None)
    assert t.column("H").type.length == 10 and t.column("L").type.length == 16


def test_oracle_table_options_cut_off() -> None:
    fix = workarounds_for("oracle")
    tokens = fix.tokens("CREATE TABLE t (a CHAR(2) DEFAULT ')', b INT) ORGANIZATION INDEX")
    assert tokens is not None
    fallback = fix.table_fallback(tokens)
    assert fallback is not None and fallback.text == "CREATE TABLE t (a CHAR(2) DEFAULT ')', b INT)"
    assert fallback.note == "Oracle table options ignored: ORGANIZATION INDEX" and fallback.partitioning is None
    schema = read_ddl("CREATE TABLE t (a CHAR(2), CONSTRAINT pk PRIMARY KEY (a)) ORGANIZATION INDEX;", "oracle")
    assert schema.tables[0].primary_key.columns == ("A",)
    assert schema.notes == ("line 1: Oracle table options ignored: ORGANIZATION INDEX",)


def test_oracle_partition_clauses() -> None:
    spec = parse_oracle_partitioning(
        " PARTITION BY RANGE (d) (PARTITION p1 VALUES LESS THAN (TO_DATE('01-JAN-2019', 'DD-MON-YYYY')) COMPRESS, "
        "PARTITION p2 VALUES LESS THAN (TIMESTAMP '2020-01-01 12:30:00'), PARTITION p3 VALUES LESS THAN (MAXVALUE))")
    assert spec is not None and spec.method == "range"
    assert [p.upper for p in spec.partitions] == [("'2019-01-01'",), ("'2020-01-01 12:30:00'",), ("MAXVALUE",)]
    assert parse_oracle_partitioning(" TABLESPACE users") is None
    listed = read_ddl("CREATE TABLE t (a NUMBER(2), r VARCHAR2(2)) PARTITION BY LIST (r) "
                      "(PARTITION pe VALUES ('E', 'W'), PARTITION po VALUES (DEFAULT));", "oracle").tables[0]
    assert listed.partitioning.method == "list" and listed.partitioning.columns == ("R",)
    east, other = listed.partitioning.partitions
    assert east.values == ("'E'", "'W'") and other.is_default
    hashed = read_ddl("CREATE TABLE t (a NUMBER(2)) PARTITION BY HASH (a) PARTITIONS 4;", "oracle").tables[0]
    assert hashed.partitioning.method == "hash" and hashed.partitioning.partitions == ()


def test_oracle_add_constraint_list() -> None:
    schema = read_ddl(
        "CREATE TABLE p (id NUMBER(4));\nCREATE TABLE c (id NUMBER(4), pid NUMBER(4));\n"
        "ALTER TABLE c ADD ( CONSTRAINT c_pk PRIMARY KEY (id), CONSTRAINT c_fk FOREIGN KEY (pid) REFERENCES p (id),"
        " CONSTRAINT c_ck CHECK (pid > 0) );\nALTER TABLE p ADD ( CONSTRAINT p_pk PRIMARY KEY (id) );\n", "oracle")
    child = schema.table(TableName(None, "C"))
    assert child.primary_key.columns == ("ID",) and child.primary_key.name == "C_PK"
    assert child.foreign_keys[0].ref_table == TableName(None, "P")
    assert [c.name for c in child.column("PID").checks] == ["C_CK"]
