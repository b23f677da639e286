"""PostgreSQL: everything seeder knows about it, in one entry.

Sources (checked against PostgreSQL 15): unquoted identifiers fold to lower case, quoted ones keep their case
("Lexical Structure", 4.1.1); ``$tag$`` dollar quoting (4.1.2.4); nested ``/* */`` comments (4.1.5); unqualified
names resolve through ``search_path``, normally ``public``; ``CHAR`` and ``BIT`` without a length mean length 1.
DDL is transactional; ``SET CONSTRAINTS`` only affects ``DEFERRABLE`` constraints; identity ``GENERATED ALWAYS``
columns reject explicit values unless ``INSERT ... OVERRIDING SYSTEM VALUE``; explicit values for serial/identity
columns do not advance their sequence (``setval`` is needed); ``ALTER TABLE ... DISABLE TRIGGER USER`` leaves the
internal FK triggers alone; text can never hold ``U+0000``; with ``standard_conforming_strings`` on, backslashes in
``'...'`` are literal; ``bytea`` reads ``'\\x<hex>'``; ``money`` has no implicit cast from ``numeric``; identity
columns must be ``smallint``/``integer``/``bigint``; primary key and unique constraint names are index names, unique
among the schema's relations; foreign keys work across types of one family ("foreign key constraint cannot be
implemented" otherwise); ``IS JSON`` exists from version 16 only; ``COPY ... FROM STDIN`` reads text-format rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

from sqlglot import exp

from seeder.dialects.model import FkSuspension, TargetDialect
from seeder.dialects.rules import DdlRules, LiteralRules, LiveRules, LoaderHooks, ReadRules, TypeRules

_T = exp.DataType.Type


def _ddl_types() -> MappingProxyType[str, exp.DataType]:
    udt = {kind: exp.DataType.build(kind, dialect="postgres", udt=True)
           for kind in ("inet", "cidr", "macaddr", "tsvector", "xml")}
    return MappingProxyType({
        "money": exp.DataType(this=_T.MONEY),
        "timestamp": exp.DataType(this=_T.DATETIME),
        "timestamptz": exp.DataType(this=_T.TIMESTAMPTZ),
        "json": exp.DataType(this=_T.JSON),
        "jsonb": exp.DataType(this=_T.JSONB),
        "uuid": exp.DataType(this=_T.UUID),
        "bytes": exp.DataType(this=_T.BLOB),
        "interval": exp.DataType(this=_T.INTERVAL),
        **udt,
    })


#: Built-in functions sqlglot leaves as exp.Anonymous that CHECKs of real dumps call.
_BUILTINS = frozenset({
    "all", "any", "array_ndims", "btrim", "cardinality", "isfinite", "json_array_length", "json_typeof",
    "jsonb_array_length", "jsonb_typeof", "num_nonnulls", "num_nulls", "octet_length", "to_regclass",
})

#: Type families within which foreign keys work across types (integer to bigint, char to varchar...).
_FK_FAMILIES = MappingProxyType({
    "smallint": "int", "integer": "int", "bigint": "int", "char": "string", "varchar": "string", "text": "string",
    "date": "datetime", "timestamp": "datetime", "timestamptz": "datetime",
})


@dataclass(frozen=True, eq=False, repr=False)
class Postgres(TargetDialect):
    """PostgreSQL (tested against version 15)."""

    name: str = "postgres"
    title: str = "PostgreSQL"
    sqlglot_dialect: str = "postgres"
    aliases: tuple[str, ...] = ("postgresql", "pg")
    file_prefixes: tuple[str, ...] = ("postgresql", "postgres", "pg_")
    content_clue: str | None = (r"::regclass|\bAS\s+ENUM\b|\bSET\s+search_path\b|\bOWNER\s+TO\b"
                                r"|\bset_config\s*\(\s*'search_path'")
    read: ReadRules = ReadRules(
        fold="lower", default_schema="public", dollar_quotes=True, nested_comments=True, meta_commands=True,
        underscore_arrays=True,
        types=TypeRules(length_one_when_unsized=frozenset({"CHAR", "NCHAR", "BIT"})),
    )
    url_schemes: tuple[tuple[str, str], ...] = (("postgresql", "postgresql+psycopg"),
                                                ("postgres", "postgresql+psycopg"))
    # standard_conforming_strings makes backslashes in '...' literal, which the string quoting relies on.
    session_settings: tuple[str, ...] = ("SET standard_conforming_strings = on;", "SET client_encoding = 'UTF8';")
    defer_constraints: str | None = "SET CONSTRAINTS {names} DEFERRED;"
    search_path_sql: str | None = "SET LOCAL search_path TO {schemas};"
    check_deferred_now: str | None = "SET CONSTRAINTS ALL IMMEDIATE;"
    fk_suspension: FkSuspension = "drop_not_null"
    disable_triggers_sql: str | None = "ALTER TABLE {table} DISABLE TRIGGER USER;"
    enable_triggers_sql: str | None = "ALTER TABLE {table} ENABLE TRIGGER USER;"
    identity_override: str | None = "OVERRIDING SYSTEM VALUE"
    sequence_reset_sql: str | None = "SELECT setval({sequence}, {value});"
    serial_sequence_sql: str | None = "pg_get_serial_sequence({table}, {column})"
    null_safe_equals: str = "IS NOT DISTINCT FROM"
    batched_update_from_values: bool = True
    run_hint: str = "psql -v ON_ERROR_STOP=1 -f out.sql [connection options]"
    auto_key_note: str = "serial/identity sequences are moved past the inserted keys with setval() at the end"
    has_arrays: bool = True
    copy_from_stdin: bool = True
    literals: LiteralRules = LiteralRules(
        true_false=("TRUE", "FALSE"), bytes_template="'\\x{}'::bytea", float_specials=True, quoted_money=True,
        interval_style="days_seconds",
    )
    ddl: DdlRules = field(default_factory=lambda: DdlRules(
        types=_ddl_types(), unsized_varchar=exp.DataType(this=_T.VARCHAR), bit_strings="bit_varbit",
        enum_style="create_type", auto_numbering="identity", is_json_predicate=False, comment_statements=True,
        builtin_functions=_BUILTINS, uuid_default=True, fk_type_match="family", fk_type_families=_FK_FAMILIES,
        run_hint="psql -v ON_ERROR_STOP=1 --single-transaction -f schema.sql [options]",
    ))
    # --bulk reads definitions back with pg_get_constraintdef / pg_get_indexdef (PostgreSQL manual, "System
    # Information Functions"), as pg_dump does; constraints a partition inherits (conparentid <> 0, or a CHECK that
    # is not local) and indexes attached to a partitioned index (pg_inherits) go and come back with their parent's.
    loader: LoaderHooks = LoaderHooks(
        read_only_probe="SHOW transaction_read_only", connect_timeout_arg="connect_timeout", copy_driver="psycopg",
        bulk_tables="ARRAY[{names}]::pg_catalog.regclass[]",
        bulk_constraints=(
            "SELECT c.conrelid::pg_catalog.regclass::text, pg_catalog.quote_ident(c.conname), "
            "pg_catalog.pg_get_constraintdef(c.oid), c.contype::text FROM pg_catalog.pg_constraint c "
            "WHERE c.contype IN ('f', 'u', 'c', 'x') AND c.conparentid = 0 AND c.conislocal "
            "AND (c.conrelid = ANY({tables}) OR (c.contype = 'f' AND c.confrelid = ANY({tables}))) "
            "ORDER BY c.contype <> 'f', c.conrelid, c.conname"),
        bulk_indexes=(
            "SELECT i.indexrelid::pg_catalog.regclass::text, pg_catalog.pg_get_indexdef(i.indexrelid) "
            "FROM pg_catalog.pg_index i WHERE i.indrelid = ANY({tables}) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c WHERE c.conindid = i.indexrelid "
            "AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')) "
            "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid) "
            "ORDER BY i.indrelid, 1"),
    )
    # TRUNCATE is transactional and RESTART IDENTITY restarts the sequences the columns own (PostgreSQL manual,
    # TRUNCATE); CASCADE also empties every table with a foreign key to one of them.
    live: LiveRules = LiveRules(
        introspection="catalog", has_schemas=True, truncate="TRUNCATE TABLE {tables} RESTART IDENTITY{cascade}",
        sequence_position="SELECT pg_catalog.pg_sequence_last_value(({sequence})::regclass)",
        sequence_restore="SELECT pg_catalog.setval({sequence}, COALESCE({value}, (SELECT seqstart FROM "
                         "pg_catalog.pg_sequence WHERE seqrelid = ({sequence})::regclass)), {called})",
        typed_parameters=True,
    )
