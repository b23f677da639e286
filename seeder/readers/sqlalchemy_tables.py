"""SQLAlchemy ``Table`` objects -> the schema model, as a dialect would create them (see
:mod:`seeder.readers.sqlalchemy_metadata` for what is read and how).

Each table becomes the DDL reader's drafts (see :mod:`seeder.readers.model_drafts`) with every fragment rendered by
SQLAlchemy for the target dialect; the DDL reader's finishing stage resolves them, so there is one type mapping.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from seeder.errors import SchemaReadError
from seeder.readers.ddl_drafts import CheckDraft, ColumnDraft, ForeignKeyDraft, TableDraft, UniqueDraft
from seeder.readers.ddl_finish import finish
from seeder.readers.model_drafts import new_draft, parse_expression, parse_type
from seeder.schema import Column, ColumnType, EnumType, Schema, TableName

#: Words of a column specification rendered by SQLAlchemy that say the database numbers the column.
_NUMBERED = re.compile(r"\b(?:SMALLSERIAL|BIGSERIAL|SERIAL|AUTO_INCREMENT|AUTOINCREMENT)\b", re.IGNORECASE)
#: The ``Column.info`` key read as a hint for the language model.
HINT_KEY = "hint"


def sqlalchemy_backend(dialect: str) -> str:
    """The SQLAlchemy backend name (a URL's scheme: ``postgresql``, ``mysql``, ``sqlite``) of a dialect seeder
    writes, from the dialect registry's URL schemes.

    Raises:
        ConfigError: not a dialect seeder writes (the message lists them).
    """
    from seeder.dialects import get_dialect

    return get_dialect(dialect).url_schemes[0][0]


def sqlalchemy_dialect(dialect: str) -> Any:
    """A SQLAlchemy dialect instance for a dialect seeder writes (``postgres`` -> SQLAlchemy's ``postgresql``).

    Raises:
        ConfigError: not a dialect seeder writes.
    """
    from sqlalchemy.dialects import registry

    return registry.load(sqlalchemy_backend(dialect))()


def create_all_ddl(tables: Iterable[Any], dialect: str) -> str:
    """The DDL ``MetaData.create_all`` emits for ``tables`` on an empty ``dialect`` database, as one script.

    Raises:
        ConfigError: no SQLAlchemy dialect for ``dialect``.
    """
    from sqlalchemy import create_mock_engine

    tables = list(tables)
    statements: list[str] = []
    engine_dialect = sqlalchemy_dialect(dialect)
    engine = create_mock_engine(f"{engine_dialect.name}://",
                                lambda sql, *_a, **_k: statements.append(str(sql.compile(dialect=engine.dialect))))
    tables[0].metadata.create_all(engine, tables=tables, checkfirst=False)
    return "".join(f"{s.strip()};\n\n" for s in statements)


def schema_from_tables(tables: list[Any], dialect: str, *, source: str | None = None) -> Schema:
    """Read SQLAlchemy ``Table`` objects into the schema model as ``dialect`` would create them.

    Args:
        tables: ``sqlalchemy.Table`` objects of one ``MetaData``; every table their FKs reference must be among them.
        dialect: the sqlglot dialect name of the target (``postgres``, ``mysql``, ``sqlite``).
        source: recorded as ``Schema.source``.

    Raises:
        SchemaReadError: a type the dialect cannot render (e.g. ``ARRAY`` on SQLite), or a CHECK/index expression
            sqlglot cannot read; the message names table and column or constraint.
        SchemaError: an FK to a table that is not among ``tables``.
    """
    draft = new_draft(dialect)
    reader = _TableReader(draft, sqlalchemy_dialect(draft.dialect.name))
    enriched: dict[tuple[str | None, str], dict[str, Callable[[Column], Column]]] = {}
    for table in tables:
        enriched[(table.schema, table.name)] = reader.add(table)
    schema = finish(draft, source=source)
    tables_out = []
    for t in schema.tables:
        fixes = enriched.get((t.name.schema, t.name.name), {})
        tables_out.append(replace(t, columns=tuple(fixes[c.name](c) if c.name in fixes else c for c in t.columns))
                          if fixes else t)
    return replace(schema, tables=tuple(tables_out))


class _TableReader:
    """Turns one ``Table`` after another into drafts of ``draft``; ``sa_dialect`` renders the fragments."""

    def __init__(self, draft: Any, sa_dialect: Any) -> None:
        self.draft = draft
        self.sa_dialect = sa_dialect
        self.ddl = sa_dialect.ddl_compiler(sa_dialect, None)
        self.enum_names: set[tuple[str | None, str]] = set()

    def _sql(self, clause: Any) -> str:
        if isinstance(clause, str):
            return clause
        return str(clause.compile(dialect=self.sa_dialect, compile_kwargs={"literal_binds": True}))

    def add(self, table: Any) -> dict[str, Callable[[Column], Column]]:
        """Add ``table``'s drafts; returns per column the adjustments made after finishing (non-native enums)."""

        from sqlalchemy import CheckConstraint, UniqueConstraint

        draft_table = TableDraft(name=_table_name(table), line=0, comment=table.comment)
        fixes: dict[str, Callable[[Column], Column]] = {}
        for column in table.columns:
            draft_table.columns.append(self._column(table, column, fixes))
        if table.primary_key is not None and table.primary_key.columns:
            draft_table.primary_key = tuple(c.name for c in table.primary_key.columns)
            draft_table.primary_key_name = _name(table.primary_key)
        for fk in sorted(table.foreign_key_constraints, key=lambda c: [col.name for col in c.columns]):
            draft_table.foreign_keys.append(self._foreign_key(table, fk))
        constraints = list(table.constraints) + [c for col in table.columns for c in col.constraints]
        for constraint in sorted(constraints, key=_constraint_order):
            if isinstance(constraint, CheckConstraint) and self._created(constraint):
                draft_table.checks.append(self._check(table, constraint))
            elif isinstance(constraint, UniqueConstraint) and constraint.columns:

                draft_table.uniques.append(UniqueDraft(columns=tuple(c.name for c in constraint.columns),
                                                       name=_name(constraint)))
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            if index.unique:
                draft_table.uniques.append(self._unique_index(table, index))
        self.draft.add_table(draft_table)
        return fixes

    def _created(self, constraint: Any) -> bool:
        # Boolean/Enum CHECKs exist only where the type is not native: SQLAlchemy's own create rule decides
        # (``Constraint._create_rule``, called with the DDL compiler as ``create_all`` does).
        rule = getattr(constraint, "_create_rule", None)
        return rule is None or bool(rule(self.ddl))

    def _column(self, table: Any, column: Any, fixes: dict[str, Callable[[Column], Column]]) -> Any:

        from sqlalchemy import Enum
        from sqlalchemy.exc import CompileError

        where = f"{table.fullname}.{column.name}"
        try:
            type_sql = column.type.compile(dialect=self.sa_dialect)
        except CompileError as err:
            raise SchemaReadError(f"column {where}: type {column.type!r} cannot be rendered for "
                                  f"{self.sa_dialect.name} ({str(err).split(' (Background')[0]}); "
                                  "choose the dialect with --dialect") from None
        data_type = parse_type(type_sql, self.draft, f"column {where}")
        enum_type = column.type if isinstance(column.type, Enum) else None
        if enum_type is not None and enum_type.enums:
            self._add_enum(enum_type, type_sql, column, fixes)
        identity = None
        if column.identity is not None and getattr(self.sa_dialect, "supports_identity_columns", False):
            identity = "always" if column.identity.always else "by_default"
        # What SQLAlchemy's DDL says numbers the column (SERIAL, AUTO_INCREMENT, AUTOINCREMENT); a SQLite rowid
        # alias without AUTOINCREMENT is recognised by finish(), as for DDL.
        spec = self.ddl.get_column_specification(column) if column is table.autoincrement_column else ""
        autoincrement = identity is None and _NUMBERED.search(spec) is not None
        default = None
        if column.server_default is not None and column.computed is None and column.identity is None:
            default = self.ddl.get_column_default_string(column)
        comment = column.comment
        hint = column.info.get(HINT_KEY) if isinstance(column.info, dict) else None
        if hint:
            comment = f"{comment}; {hint}" if comment else str(hint)
        return ColumnDraft(
            name=column.name, data_type=data_type, nullable=bool(column.nullable), default=default,
            identity=identity, autoincrement=autoincrement, generated=column.computed is not None,
            comment=comment, declared_integer=type_sql.strip().upper() == "INTEGER",
        )

    def _add_enum(self, enum_type: Any, type_sql: str, column: Any,
                  fixes: dict[str, Callable[[Column], Column]]) -> None:
        labels = tuple(str(v) for v in enum_type.enums)
        native = enum_type.native_enum and self.sa_dialect.supports_native_enum and enum_type.name
        if native and type_sql.strip().strip('"') == enum_type.name:  # a named type (CREATE TYPE), not ENUM(...)
            key = (enum_type.schema, enum_type.name)
            if key not in self.enum_names:
                self.enum_names.add(key)
                self.draft.enums.append(EnumType(name=enum_type.name, values=labels, schema=enum_type.schema))
            return
        if native:
            return  # MySQL ENUM('a', 'b'): the type text carries the labels
        length = getattr(enum_type, "length", None)
        fixes[column.name] = lambda col: replace(
            col, type=ColumnType(kind="enum", sql=col.type.sql, values=labels, length=length or col.type.length))

    def _foreign_key(self, table: Any, fk: Any) -> Any:

        target = fk.elements[0].column.table
        return ForeignKeyDraft(
            columns=tuple(c.name for c in fk.columns), ref_table=_table_name(target),
            ref_columns=tuple(e.column.name for e in fk.elements), name=_name(fk),
            deferrable=bool(fk.deferrable), initially_deferred=str(fk.initially or "").upper() == "DEFERRED",
            on_delete=fk.ondelete.upper() if fk.ondelete else None,
            on_update=fk.onupdate.upper() if fk.onupdate else None,
        )

    def _check(self, table: Any, constraint: Any) -> Any:

        name = _name(constraint)
        text = self._sql(constraint.sqltext)
        return CheckDraft(name, parse_expression(text, self.draft, f"CHECK {name or text} of {table.fullname}"))

    def _unique_index(self, table: Any, index: Any) -> Any:

        from sqlalchemy import Column as SAColumn

        where_label = f"unique index {index.name or ''} of {table.fullname}".replace("  ", " ")
        columns: list[str] = []
        expressions = []
        for expr in index.expressions:
            if isinstance(expr, SAColumn):
                columns.append(expr.name)
            elif isinstance(expr, str):
                columns.append(expr)
            else:
                expressions.append(parse_expression(self._sql(expr), self.draft, where_label))
        predicate = index.dialect_options[self.sa_dialect.name].get("where")  # postgresql_where, sqlite_where
        where = parse_expression(self._sql(predicate), self.draft, where_label) if predicate is not None else None
        return UniqueDraft(columns=tuple(columns), name=index.name, expressions=tuple(expressions), where=where)


def _table_name(table: Any) -> Any:
    return TableName(table.schema, table.name)


def _name(constraint: Any) -> str | None:
    name = getattr(constraint, "name", None)
    return name if isinstance(name, str) else None  # SQLAlchemy uses a NONE_NAME marker for unnamed constraints


def _constraint_order(constraint: Any) -> tuple[str, str]:
    # Constraint collections are sets: sort them so the model (and everything seeded from it) is the same each run.
    return (type(constraint).__name__, _name(constraint) or str(getattr(constraint, "sqltext", "")) or
            ",".join(c.name for c in getattr(constraint, "columns", ())))


