"""SQLite: everything seeder knows about it, in one entry.

Sources (SQLite 3.40 docs, checked with the sqlite3 shell and Python's ``sqlite3``): names are case-insensitive and
keep their declared case ("SQLite Keywords"); a column may have no type, and declared types are affinities, so any
value fits any column ("Datatypes In SQLite"); a column declared exactly ``INTEGER`` that is the table's only
PRIMARY KEY column is an alias of the rowid ("ROWIDs and the INTEGER PRIMARY KEY"), except in ``WITHOUT ROWID``
tables; ``PRAGMA defer_foreign_keys = ON`` postpones every FK check to ``COMMIT`` and resets at the end of the
transaction; ``PRAGMA foreign_keys`` is a no-op inside a transaction, so it is a session setting before ``BEGIN``;
since 3.8.8 a multi-row ``VALUES`` is not limited by ``SQLITE_MAX_COMPOUND_SELECT`` (500), but scripts stay at 500
rows for older libraries; ``AUTOINCREMENT`` tables record explicit rowids in ``sqlite_sequence``; ``ALTER TABLE ...
ADD CONSTRAINT`` does not exist; there is no switch to disable triggers. The sqlite3 shell reads CR LF in a script as
LF, even inside a string literal, so carriage returns are written as ``char(13)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

from sqlglot import exp

from seeder.dialects.model import TargetDialect
from seeder.dialects.rules import DdlRules, LoaderHooks, ReadRules

_T = exp.DataType.Type


def _ddl_types() -> MappingProxyType[str, exp.DataType]:
    text = {kind: exp.DataType(this=_T.TEXT) for kind in ("json", "jsonb", "uuid", "interval", "array", "bit")}
    return MappingProxyType({
        "money": exp.DataType(this=_T.DECIMAL, expressions=[exp.DataTypeParam(this=exp.Literal.number(n))
                                                            for n in (19, 4)]),
        "timestamp": exp.DataType(this=_T.DATETIME),
        "timestamptz": exp.DataType(this=_T.TIMESTAMPTZ),
        "bytes": exp.DataType(this=_T.BLOB),
        **text,  # SQLite affinities: the INSERT sinks write these as text (JSON, ISO 8601 durations, ...)
    })


@dataclass(frozen=True, eq=False, repr=False)
class SQLite(TargetDialect):
    """SQLite 3."""

    name: str = "sqlite"
    title: str = "SQLite"
    sqlglot_dialect: str = "sqlite"
    aliases: tuple[str, ...] = ("sqlite3",)
    file_prefixes: tuple[str, ...] = ("sqlite",)
    content_clue: str | None = r"\bAUTOINCREMENT\b|\bINTEGER\s+PRIMARY\s+KEY\b"
    integer_primary_key_is_rowid: bool = True
    read: ReadRules = ReadRules(
        case_insensitive=True, trigger_blocks=True, backtick_identifiers=True, bracket_identifiers=True,
        untyped_columns=True, loose_column_types=True,
    )
    url_schemes: tuple[tuple[str, str], ...] = (("sqlite", "sqlite"),)
    max_rows_per_insert: int = 500
    # Without this SQLite ignores foreign keys entirely; it must run outside a transaction to take effect.
    session_settings: tuple[str, ...] = ("PRAGMA foreign_keys = ON;",)
    defer_all_foreign_keys: str | None = "PRAGMA defer_foreign_keys = ON;"
    null_safe_equals: str = "IS"
    run_hint: str = "sqlite3 -bail database.db < out.sql"
    auto_key_note: str = (
        "INTEGER PRIMARY KEY / AUTOINCREMENT numbering continues after the largest inserted rowid by itself")
    schema_qualified: bool = False
    ddl: DdlRules = field(default_factory=lambda: DdlRules(
        types=_ddl_types(), enum_style="check", auto_numbering="rowid", alter_add_constraint=False,
        fk_type_match="declared",
    ))
    loader: LoaderHooks = LoaderHooks(
        driver_autocommit=True, on_connect=("PRAGMA foreign_keys = ON",),
        # IMMEDIATE takes the write lock now instead of failing half-way with "database is locked".
        begin="BEGIN IMMEDIATE", commit="COMMIT", rollback="ROLLBACK", fk_violation_probe="PRAGMA foreign_key_check",
        file_database=True,
        trigger_query="SELECT name, tbl_name, sql FROM main.sqlite_master WHERE type = 'trigger' ORDER BY rowid",
        trigger_schema="main", drop_trigger="DROP TRIGGER main.{name}",
    )

    @staticmethod
    def quote_string(text: str) -> str:
        """``'...'`` with ``'`` doubled and each CR written as ``' || char(13) || '`` (see the module docstring)."""
        quoted = TargetDialect.quote_string(text)
        return quoted if "\r" not in quoted else quoted.replace("\r", "' || char(13) || '")
