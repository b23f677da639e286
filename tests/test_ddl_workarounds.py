"""Every reader work-around (seeder.readers.ddl_workarounds.WORKAROUNDS).

For each one: the installed sqlglot still has the limitation (so a work-around whose construct sqlglot learns to read
fails here and is removed), and the reader reads the example. Work-arounds act on tokens: constructs spelled inside
string literals are never touched.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from seeder.readers.ddl import read_ddl
from seeder.readers.ddl_workarounds import WORKAROUNDS, Workaround, workarounds_for


def _column_type(tree: exp.Expression) -> exp.DataType:
    definition = tree.find(exp.ColumnDef)
    assert definition is not None
    return definition.args["kind"]


def _integer_spelling_lost(tree: exp.Expression) -> bool:
    spelled = sqlglot.parse_one("CREATE TABLE t (a INTEGER PRIMARY KEY)", read="sqlite")
    return _column_type(tree) == _column_type(spelled)  # INT and INTEGER: one DataType, the spelling is gone


#: How each "misread" work-around's example is misread by plain sqlglot.
MISREADS: dict[str, Callable[[exp.Expression], bool]] = {
    "sqlite_integer_spelling": _integer_spelling_lost,
    "postgres_quoted_user_type": lambda tree: _column_type(tree).this == exp.DataType.Type.NAME,  # built-in "name"
    "oracle_long": lambda tree: _column_type(tree).this == exp.DataType.Type.BIGINT,
}


def test_every_misread_has_its_check() -> None:
    assert {w.name for w in WORKAROUNDS if w.symptom == "misread"} == set(MISREADS)


@pytest.mark.parametrize("workaround", WORKAROUNDS, ids=lambda w: w.name)
def test_installed_sqlglot_still_has_the_limitation(workaround: Workaround) -> None:
    if workaround.symptom == "error":
        with pytest.raises(ParseError):
            sqlglot.parse_one(workaround.example, read=workaround.dialect)
        return
    tree = sqlglot.parse_one(workaround.example, read=workaround.dialect)
    if workaround.symptom == "command":
        assert isinstance(tree, exp.Command)
    else:
        assert MISREADS[workaround.name](tree)


@pytest.mark.parametrize("workaround", WORKAROUNDS, ids=lambda w: w.name)
def test_reader_reads_the_example(workaround: Workaround) -> None:
    schema = read_ddl(f"{workaround.context}\n{workaround.example};", workaround.dialect)
    assert schema.tables or schema.domains


def test_bit_varying_is_rewritten_outside_string_literals_only() -> None:
    table = read_ddl("CREATE TABLE t (a bit varying(5), note text DEFAULT 'type: bit varying' "
                     "CHECK (note <> 'bit varying'));", "postgres").tables[0]
    assert (table.column("a").type.kind, table.column("a").type.length) == ("bit", 5)
    note = table.column("note")
    assert note.default == "'type: bit varying'"
    assert [c.sql for c in note.checks] == ["note <> 'bit varying'"]


@pytest.mark.parametrize("dialect, ddl, column, default", [
    ("postgres", "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a) VIRTUAL, c text DEFAULT ') VIRTUAL')",
     "c", "') VIRTUAL'"),
    ("sqlite", "CREATE TABLE t (a BLOB SUB_TYPE TEXT, c TEXT DEFAULT 'BLOB SUB_TYPE TEXT')", "c",
     "'BLOB SUB_TYPE TEXT'"),
    ("mysql", "CREATE TABLE t (a int, c varchar(30) DEFAULT 'LESS THAN MAXVALUE') PARTITION BY RANGE (a) "
              "(PARTITION p0 VALUES LESS THAN MAXVALUE)", "c", "'LESS THAN MAXVALUE'"),
    ("tsql", "CREATE TABLE t (a INT NOT NULL, c VARCHAR(30) DEFAULT 'UNIQUE CLUSTERED (', UNIQUE CLUSTERED (a))", "c",
     "'UNIQUE CLUSTERED ('"),
])
def test_rewrites_leave_string_literals_alone(dialect: str, ddl: str, column: str, default: str) -> None:
    table = read_ddl(ddl, dialect).tables[0]
    assert table.column(column).default == default


def test_index_clauses_and_commands_ignore_string_literals() -> None:
    schema = read_ddl(
        "CREATE TABLE t (a int, note text);\n"
        "CREATE UNIQUE INDEX i ON ONLY t (a) NULLS NOT DISTINCT WHERE note <> 'ON ONLY x) NULLS DISTINCT';\n"
        "CREATE DOMAIN d AS text CHECK (VALUE <> 'CREATE DOMAIN e AS int');\n", "postgres")
    unique = schema.tables[0].uniques[0]
    assert unique.columns == ("a",) and unique.where is not None
    assert "'ON ONLY x) NULLS DISTINCT'" in unique.where.sql("postgres")
    assert any("NULLS NOT DISTINCT" in n for n in schema.notes)
    assert [d.name for d in schema.domains] == ["d"]
    assert "'CREATE DOMAIN e AS int'" in schema.domains[0].checks[0].sql


def test_tsql_default_for_value_keeps_its_text() -> None:
    fix = workarounds_for("tsql")
    tokens = fix.tokens("ALTER TABLE [dbo].[t] ADD CONSTRAINT [df] DEFAULT ('x FOR y') FOR [c];")
    assert tokens is not None
    command = fix.alter_command(tokens)
    assert command is not None and (command.table, command.value, command.column) == (  # type: ignore[union-attr]
        "[dbo].[t]", "('x FOR y')", "[c]")


def test_sqlite_rowid_alias_reads_the_integer_spelling_from_tokens() -> None:
    schema = read_ddl("CREATE TABLE a (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'x, id INTEGER');\n"
                      "CREATE TABLE b (id INT PRIMARY KEY, note TEXT DEFAULT '(id INTEGER');\n", "sqlite")
    a, b = schema.tables
    assert a.column("id").autoincrement  # INTEGER PRIMARY KEY: the rowid
    assert not b.column("id").autoincrement  # INT PRIMARY KEY: not the rowid, whatever a string says
