"""Mutable drafts the DDL reader fills statement by statement, and the name rules it stores them with.

A draft keeps sqlglot nodes (column types, CHECK expressions) unresolved: enums, domains, inherited columns and
foreign-key targets can only be resolved once every statement has been read (SQLite and hand-written scripts
reference tables before creating them). :mod:`seeder.readers.ddl_finish` turns the drafts into the frozen model.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from sqlglot import exp

from seeder.dialects import Dialect
from seeder.dialects.rules import ReadRules
from seeder.schema import EnumType, PartitionBound, TableName

T = TypeVar("T")

_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

_ASCII_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_LOWER = "abcdefghijklmnopqrstuvwxyz"
# PostgreSQL folds only ASCII letters of unquoted names in UTF-8 databases (downcase_identifier in scansup.c).
_TO_LOWER = str.maketrans(_ASCII_UPPER, _ASCII_LOWER)
_TO_UPPER = str.maketrans(_ASCII_LOWER, _ASCII_UPPER)


class Names:
    """Stores identifiers the way the dialect does and compares them the way it does (see ``ReadRules``)."""

    def __init__(self, rules: ReadRules) -> None:
        self.rules = rules

    def ident(self, node: exp.Expression | str | None) -> str:
        """The stored name of an identifier node (``Identifier``, ``Column``, ``Table``, ``Var``) or plain text."""
        if node is None:
            return ""
        if isinstance(node, str):
            return self._fold(node)
        if isinstance(node, (exp.Column, exp.Table)):
            node = node.this
        if isinstance(node, exp.Identifier):
            return node.name if node.quoted else self._fold(node.name)
        return self._fold(node.name)

    def _fold(self, name: str) -> str:
        if self.rules.fold == "lower":
            return name.translate(_TO_LOWER)
        if self.rules.fold == "upper":
            return name.translate(_TO_UPPER)
        return name

    def needs_quotes(self, name: str) -> bool:
        """True if ``name`` must be quoted to be read back unchanged (special characters, or case folding)."""
        return _PLAIN_NAME.fullmatch(name) is None or self._fold(name) != name

    def table(self, node: exp.Table) -> TableName:
        """The :class:`TableName` of a sqlglot table reference (catalog parts are dropped)."""
        schema = node.args.get("db")
        return TableName(self.ident(schema) if schema is not None else None, self.ident(node.this))

    def key(self, name: str | None) -> str | None:
        """The form two names are compared in: lower-cased for case-insensitive dialects, else unchanged."""
        if name is None:
            return None
        return name.lower() if self.rules.case_insensitive else name


@dataclass
class CheckDraft:
    """A CHECK as written: ``expression`` still has the source's column spelling (or ``VALUE`` for domains)."""

    name: str | None
    expression: exp.Expression


@dataclass
class ColumnDraft:
    """A column as declared; ``data_type`` is resolved against enums/domains at the end."""

    name: str
    data_type: exp.DataType | None
    nullable: bool = True
    default: str | None = None
    identity: Literal["always", "by_default"] | None = None
    autoincrement: bool = False
    sequence: str | None = None
    generated: bool = False
    generated_expression: exp.Expression | None = None
    comment: str | None = None
    checks: list[CheckDraft] = field(default_factory=list)
    declared_integer: bool = False  # SQLite: the declared type is exactly INTEGER (rowid alias candidate)

    def copy(self) -> ColumnDraft:
        """A copy whose check list can be extended independently (for inherited columns)."""
        clone = ColumnDraft(**{k: v for k, v in self.__dict__.items() if k != "checks"})
        clone.checks = list(self.checks)
        return clone


@dataclass
class ForeignKeyDraft:
    """A foreign key before its target is resolved; ``ref_columns`` is ``None`` when the PK is meant."""

    columns: tuple[str, ...]
    ref_table: TableName
    ref_columns: tuple[str, ...] | None
    name: str | None = None
    deferrable: bool = False
    initially_deferred: bool = False
    on_delete: str | None = None
    on_update: str | None = None


@dataclass
class UniqueDraft:
    """A UNIQUE constraint or unique index; ``expressions`` and ``where`` keep source column spelling."""

    columns: tuple[str, ...]
    name: str | None = None
    expressions: tuple[exp.Expression, ...] = ()
    where: exp.Expression | None = None


@dataclass
class TableDraft:
    """A table as declared so far (CREATE TABLE plus later ALTER TABLE / CREATE UNIQUE INDEX / COMMENT)."""

    name: TableName
    line: int
    columns: list[ColumnDraft] = field(default_factory=list)
    primary_key: tuple[str, ...] | None = None
    primary_key_name: str | None = None
    foreign_keys: list[ForeignKeyDraft] = field(default_factory=list)
    uniques: list[UniqueDraft] = field(default_factory=list)
    checks: list[CheckDraft] = field(default_factory=list)
    partition_method: str | None = None
    partition_columns: tuple[str, ...] = ()
    partition_of: TableName | None = None
    partition_bound: PartitionBound | None = None
    inline_partitions: list[PartitionBound] = field(default_factory=list)  # MySQL/Oracle: not tables
    inherits: list[TableName] = field(default_factory=list)
    comment: str | None = None
    without_rowid: bool = False
    #: ``EXCLUDE`` constraints read as non-overlap rules: (name, equal columns, lower, upper, function, bounds).
    exclusions: list[tuple[str | None, tuple[str, ...], str, str, str, str]] = field(default_factory=list)


@dataclass
class DomainDraft:
    """A ``CREATE DOMAIN``: base type, NOT NULL, default and CHECKs over ``VALUE``."""

    name: str
    schema: str | None
    data_type: exp.DataType
    nullable: bool = True
    default: str | None = None
    checks: list[CheckDraft] = field(default_factory=list)


@dataclass
class CompositeDraft:
    """A ``CREATE TYPE name AS (attribute type, ...)``: the attributes as declared, types unresolved."""

    name: str
    schema: str | None
    attributes: list[tuple[str, exp.DataType]] = field(default_factory=list)


class DraftSchema:
    """Everything read so far, with the lookups statements need (a table by reference, a column by name)."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.rules = dialect.read
        self.names = Names(dialect.read)
        self.tables: list[TableDraft] = []
        self.enums: list[EnumType] = []
        self.domains: list[DomainDraft] = []
        self.composites: list[CompositeDraft] = []
        self.notes: list[str] = []
        #: The schema unqualified names are created in (PostgreSQL ``SET search_path``); ``None``: the default one.
        self.current_schema: str | None = None
        #: Every schema a ``SET search_path`` named, in order of first mention.
        self.search_path: list[str] = []
        #: ``INSERT ... VALUES`` of the script: (table, columns as written, literal rows, line).
        self.inserted: list[tuple[TableDraft, tuple[str, ...], list[tuple[Any, ...]], int]] = []
        self._tables_by_name: dict[str | None, list[TableDraft]] = {}

    def add_table(self, table: TableDraft) -> None:
        self.tables.append(table)
        self._tables_by_name.setdefault(self.names.key(table.name.name), []).append(table)

    def remove_table(self, table: TableDraft) -> None:
        """Forget ``table`` (``DROP TABLE``, or before re-adding it under a new name)."""
        self.tables.remove(table)
        self.inserted = [entry for entry in self.inserted if entry[0] is not table]
        self._tables_by_name[self.names.key(table.name.name)].remove(table)

    def find_table(self, ref: TableName, from_schema: str | None = None) -> TableDraft | None:
        """Resolve a table reference; see :func:`resolve_by_schema` for the order tried (``from_schema`` defaults to
        :attr:`current_schema`, the schema the script's ``search_path`` names)."""
        candidates = self._tables_by_name.get(self.names.key(ref.name), [])
        return resolve_by_schema(candidates, lambda t: t.name.schema, ref.schema, from_schema or self.current_schema,
                                 self.rules, self.names)

    def find_column(self, table: TableDraft, name: str) -> ColumnDraft | None:
        """The column of ``table`` called ``name`` (compared with :meth:`Names.key`)."""
        key = self.names.key(name)
        for column in table.columns:
            if self.names.key(column.name) == key:
                return column
        return None


def resolve_by_schema(candidates: list[T], schema_of: Callable[[T], str | None], ref_schema: str | None,
                      from_schema: str | None, rules: ReadRules, names: Names) -> T | None:
    """Pick the object a possibly unqualified reference means among same-named ``candidates``.

    A qualified reference matches its schema, else an object declared without a schema (scripts often create
    ``payment`` and later alter ``public.payment``). An unqualified one tries, in order: the referencing object's
    schema, the dialect's default schema (``public``), objects declared without a schema, and finally the only
    candidate if there is exactly one.
    """
    if not candidates:
        return None
    key = names.key
    if ref_schema is not None:
        for item in candidates:
            if key(schema_of(item)) == key(ref_schema):
                return item
        unqualified = [c for c in candidates if schema_of(c) is None]
        return unqualified[0] if len(unqualified) == 1 else None
    for schema in (from_schema, rules.default_schema, None):
        for item in candidates:
            if key(schema_of(item)) == key(schema):
                return item
    return candidates[0] if len(candidates) == 1 else None
