"""Render the schema model as DDL for a target dialect (PostgreSQL, MySQL/MariaDB, SQLite).

Used by ``seeder ddl`` so that a schema written for an engine that is not at hand (T-SQL, Oracle, DB2) can be
created on one that is, and the INSERT scripts of ``seeder generate --to <target>`` loaded into it. Every statement
is built as a sqlglot expression (``exp.Create``, ``exp.ColumnDef``, ``exp.DataType``, ``exp.Alter``...) and
rendered by sqlglot's generator for the target, so quoting, escaping and type spellings follow sqlglot's dialect
rules; which type, constraint or default each target gets is the target's ``ddl`` entry in the registry
(:class:`~seeder.dialects.rules.DdlRules`, with the facts and their sources in the dialect modules), and this module
applies it.

What the output holds, in this order: ``CREATE SCHEMA`` for every schema named by a table (not SQLite), ``CREATE
TYPE ... AS ENUM`` (PostgreSQL; inline ``ENUM(...)`` in MySQL, a ``CHECK (col IN (...))`` in SQLite), ``CREATE
SEQUENCE`` for PostgreSQL columns whose source named their sequence (so the INSERT script's ``setval`` finds it),
``CREATE TABLE`` with columns, ``NOT NULL``, portable defaults, identity, ``PRIMARY KEY``, ``UNIQUE`` and ``CHECK``,
then expression/partial unique indexes, and finally every foreign key as ``ALTER TABLE ... ADD CONSTRAINT`` (so FK
cycles need no ordering; SQLite, which has no such ALTER, gets them inline, and it does not check targets at
``CREATE`` time). Identifiers are always quoted, exactly as the INSERT sinks quote them
(:meth:`seeder.dialects.TargetDialect.qualify`), so names keep their case in every target.

Dropped or changed on the way, each with a note (in the script header and in :attr:`DdlScript.notes`): partitions
and ``INHERITS`` children (only the parent is created, as a plain table carrying its partitions' constraints);
defaults that are not literals or ``CURRENT_TIMESTAMP``-like; CHECKs and index expressions that sqlglot cannot
transpile, that call functions sqlglot does not know (user-defined ones would not exist in the target) or that the
target lacks (``IS JSON`` before PostgreSQL 16); generated columns (written as plain nullable columns: the model keeps
no expression); types the target lacks (as text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

from seeder import types
from seeder.dialects import TargetDialect, get_dialect
from seeder.plan.graph import seeded_tables, skip_reason
from seeder.schema import Check, Column, ColumnType, EnumType, ForeignKey, Schema, Table, TableName, UniqueConstraint

_T = exp.DataType.Type

#: Integer kinds, narrowest first; an unsigned source integer needs the next one up outside MySQL.
_INT_KINDS = types.INTEGER_KINDS_BY_WIDTH
_INT_TYPE = {"smallint": _T.SMALLINT, "integer": _T.INT, "bigint": _T.BIGINT}
_UNSIGNED_TYPE = {"smallint": _T.USMALLINT, "integer": _T.UINT, "bigint": _T.UBIGINT}
_TIME_KINDS = types.DATETIME_KINDS | {"time"}
#: Names are compared on this many leading characters when looking for clashes: PostgreSQL's identifier length, the
#: shortest of the targets (it truncates longer names, so two long names may collide there).
_NAME_KEY_LENGTH = 63


@dataclass(frozen=True)
class DdlScript:
    """The DDL for one target: ``text`` (statements ending in ``;``, a header comment first), ``notes`` (what was
    dropped or changed, one line each, also in the header), the canonical target ``dialect`` name and the number
    of ``tables`` created."""

    text: str
    notes: tuple[str, ...]
    dialect: str
    tables: int = 0


def render_ddl(schema: Schema, dialect: str | TargetDialect, *,
               header: Mapping[str, str] | None = None) -> DdlScript:
    """Render ``schema`` as DDL for ``dialect``.

    Args:
        schema: the schema model (any source dialect).
        dialect: target name or capabilities: ``postgres``, ``mysql`` or ``sqlite`` (aliases as
            :func:`seeder.dialects.get_dialect` accepts).
        header: extra ``key: value`` lines for the header comment (e.g. the source file name).

    Returns:
        A :class:`DdlScript`; the same schema and target always give the same text.

    Raises:
        ConfigError: unknown target dialect.
    """
    caps = get_dialect(dialect)
    return _Renderer(schema, caps).run(header or {})


def _ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def _param(value: int) -> exp.DataTypeParam:
    return exp.DataTypeParam(this=exp.Literal.number(value))


def _dtype(member: exp.DataType.Type, *params: int) -> exp.DataType:
    return exp.DataType(this=member, expressions=[_param(p) for p in params])


def _strip(node: exp.Expression) -> exp.Expression:
    """Remove parentheses and casts around a default value (``('x'::character varying)`` -> ``'x'``)."""
    while isinstance(node, (exp.Paren, exp.Cast)):
        node = node.this
    return node


class _Namer:
    """Constraint and index names the target accepts: unique where the target needs it, short enough; a name
    that would clash or is too long is left out (the engine then picks one)."""

    def __init__(self, caps: TargetDialect, table_names: list[TableName]) -> None:
        self.caps = caps
        self.rules = caps.ddl
        self.limit = caps.ddl.constraint_name_limit
        # Relation names (tables, indexes) may share one namespace per schema, compared after truncation.
        self.relations: set[tuple[str | None, str]] = {self._key(t.schema, t.name) for t in table_names}
        self.per_table: dict[TableName, set[str]] = {}
        self.per_schema: set[tuple[str | None, str]] = set()

    def _key(self, schema: str | None, name: str) -> tuple[str | None, str]:
        schema = schema if self.caps.schema_qualified else None
        return schema, name.lower()[:_NAME_KEY_LENGTH]

    def name(self, table: TableName, name: str | None, kind: str) -> str | None:
        """The name to use for a constraint of ``kind`` (``pk``, ``unique``, ``index``, ``fk``, ``check``)."""
        if not name or (self.limit is not None and len(name) > self.limit):
            return None
        if kind == "pk" and not self.rules.named_primary_key:
            return None  # the target ignores it (MySQL always calls a primary key PRIMARY)
        used_here = self.per_table.setdefault(table, set())
        key = self._key(table.schema, name)
        if key[1] in used_here:
            return None
        if kind in ("pk", "unique", "index") and self.rules.index_names_per_schema:
            if key in self.relations:
                return None
            self.relations.add(key)
        elif kind in ("fk", "check") and self.rules.constraint_names_per_schema:
            if key in self.per_schema:
                return None
            self.per_schema.add(key)
        used_here.add(key[1])
        return name


class _Renderer:
    def __init__(self, schema: Schema, caps: TargetDialect) -> None:
        self.schema = schema
        self.caps = caps
        self.rules = caps.ddl
        self.target = caps.name
        self.read = schema.dialect
        self.same_dialect = schema.dialect == caps.sqlglot_dialect  # source and target are one dialect
        self.notes: list[str] = []
        self.tables = seeded_tables(schema)
        self.by_name = {t.name: t for t in self.tables}
        self.emitted = set(self.by_name)
        self.referenced: dict[TableName, set[str]] = {}  # columns other tables' FKs point at
        for other in self.tables:
            for fk in other.foreign_keys:
                self.referenced.setdefault(fk.ref_table, set()).update(fk.ref_columns)
        self.namer = _Namer(caps, [t.name for t in self.tables])
        self.enum_names: dict[tuple[TableName, str], exp.Expression] = {}  # (table, column) -> PostgreSQL type name
        self.enums: list[tuple[exp.Table, tuple[str, ...]]] = []
        self.sequences: list[str] = []
        self.foreign_types: set[str] = set()
        self.rendered_types: dict[tuple[TableName, str], str] = {}
        self.parsed_defaults: dict[str, exp.Expression | None] = {}

    # ---------------------------------------------------------------------------------------------- output

    def run(self, header: Mapping[str, str]) -> DdlScript:
        self._note_skipped_tables()
        if self.rules.enum_style == "create_type":
            self._collect_enums()
        statements: list[str] = []
        for table in self.tables:
            statements.append(self._render(self._create_table(table), pretty=True))
        indexes = [self._render(node) for node in self._unique_indexes()]
        foreign_keys = [self._render(node) for node in self._foreign_key_statements()]
        comments = [self._render(node) for node in self._comments()] if self.rules.comment_statements else []
        prelude = [self._render(node) for node in self._schemas()]
        prelude += [self._render(self._create_enum(name, values)) for name, values in self.enums]
        prelude += [self._render(node, identify=False) for node in self._sequences()]
        body = prelude + statements + indexes + foreign_keys + comments
        text = "\n".join(self._header(header)) + "\n\n" + "\n\n".join(s + ";" for s in body) + "\n"
        return DdlScript(text=text, notes=tuple(self.notes), dialect=self.target, tables=len(self.tables))

    def _header(self, header: Mapping[str, str]) -> list[str]:
        from seeder import __version__

        lines = [f"-- Generated by seeder {__version__}: the schema model of the source rendered as DDL."]
        lines += [f"-- {key}: {value}" for key, value in header.items()]
        lines.append(f"-- source dialect: {self.read or 'default'}")
        lines.append(f"-- dialect: {self.target}")
        lines.append(f"-- tables: {len(self.tables)}")
        if self.rules.run_hint:
            lines.append(f"-- Run it with: {self.rules.run_hint}")
        for note in self.notes:
            lines.append(f"-- note: {note}")
        return lines

    def _render(self, node: exp.Expression, *, pretty: bool = False, identify: bool = True) -> str:
        # copy=False: every tree rendered here was built for this script (model nodes are copied into it).
        return node.sql(dialect=self.caps.sqlglot_dialect, pretty=pretty, identify=identify, copy=False)

    def _table(self, name: TableName) -> exp.Table:
        schema = _ident(name.schema) if name.schema and self.caps.schema_qualified else None
        return exp.Table(this=_ident(name.name), db=schema)

    def _note_skipped_tables(self) -> None:
        skipped: dict[str, list[str]] = {}
        for table in self.schema.tables:
            if skip_reason(self.schema, table) is None:
                continue
            if table.partition_of is not None:
                skipped.setdefault(f"partitions of {table.partition_of}", []).append(table.name.name)
            else:
                parents = ", ".join(str(p) for p in table.inherits)
                skipped.setdefault(f"INHERITS children of {parents}", []).append(table.name.name)
        for what, names in skipped.items():
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            self.notes.append(f"{what} not created ({shown}): rows go in through the parent, a plain table")
        if any(t.partitioning is not None for t in self.tables):
            names = ", ".join(str(t.name) for t in self.tables if t.partitioning is not None)
            self.notes.append(f"partitioned tables created without partitioning: {names}")
        if any(c.domain for t in self.tables for c in t.columns):
            self.notes.append("domain columns use the domain's base type, with the domain's CHECKs on the column")

    # ------------------------------------------------------------------------------------------- prelude

    def _schemas(self) -> Iterator[exp.Expression]:
        if not self.caps.schema_qualified:
            return
        names = {t.name.schema for t in self.tables if t.name.schema}
        names.update(n.args["db"].name for n, _ in self.enums if n.args.get("db") is not None)
        for sequence in self.sequences:  # as the target reads nextval('schema.seq'): unquoted names fold
            db = exp.to_table(sequence, dialect=self.caps.sqlglot_dialect).args.get("db")
            if db is not None:
                names.add(db.name if db.quoted else db.name.lower())
        for name in sorted(names):
            yield exp.Create(this=exp.Table(this=_ident(name)), kind="SCHEMA", exists=True)

    def _collect_enums(self) -> None:
        """PostgreSQL enum types for every enum column: the source's named types (by name, in the table's schema
        first), and a ``<table>_<column>`` type for inline (MySQL) enums."""
        declared: dict[str, list[EnumType]] = {}
        for enum in self.schema.enums:
            declared.setdefault(enum.name, []).append(enum)
        emitted: dict[tuple[str | None, str], exp.Table] = {}
        for table in self.tables:
            for column in table.columns:
                col_type = column.type.element if column.type.kind == "array" else column.type
                if col_type is None or col_type.kind != "enum":
                    continue
                if col_type.name and col_type.name in declared:
                    candidates = declared[col_type.name]
                    enum = next((e for e in candidates if e.schema == table.name.schema), candidates[0])
                    schema, name, values = enum.schema, enum.name, enum.values
                else:
                    schema, name, values = table.name.schema, f"{table.name.name}_{column.name}", col_type.values
                    while (schema, name) in emitted or self.namer._key(schema, name) in self.namer.relations:
                        name += "_enum"
                key = (schema, name)
                if key not in emitted:
                    emitted[key] = exp.Table(this=_ident(name), db=_ident(schema) if schema else None)
                    self.enums.append((emitted[key], values))
                self.enum_names[(table.name, column.name)] = emitted[key]

    def _create_enum(self, name: exp.Table, values: tuple[str, ...]) -> exp.Expression:
        labels = [exp.Literal.string(v) for v in values]
        return exp.Create(this=name.copy(), kind="TYPE", expression=exp.DataType(this=_T.ENUM, expressions=labels))

    def _sequences(self) -> Iterator[exp.Expression]:
        for name in self.sequences:
            yield exp.Create(this=exp.to_table(name, dialect=self.caps.sqlglot_dialect), kind="SEQUENCE", exists=True)

    # --------------------------------------------------------------------------------------------- types

    def _keyed_columns(self, table: Table) -> set[str]:
        """Columns in a key or index (``DdlRules.key_text_type``: MySQL cannot index TEXT without a prefix length)."""
        keyed = set(table.primary_key.columns) if table.primary_key else set()
        for unique in table.uniques:
            keyed.update(unique.columns)
        for fk in table.foreign_keys:
            keyed.update(fk.columns)
        keyed.update(self.referenced.get(table.name, ()))
        return keyed

    def _data_type(self, table: Table, column: Column, col_type: ColumnType, keyed: bool) -> exp.DataType:
        """The target type for ``col_type`` (the column's type, or an array's element type)."""
        kind, rules = col_type.kind, self.rules
        if kind == "bytes" and rules.sized_bytes is not None and col_type.length is not None:
            return _dtype(rules.sized_bytes, col_type.length)
        fixed = rules.types.get(kind)
        if fixed is not None:
            return fixed.copy()
        if kind in _INT_KINDS:
            if col_type.unsigned and rules.unsigned_numbers:
                return exp.DataType(this=_UNSIGNED_TYPE[kind])
            if col_type.unsigned:  # the next wider signed type holds every unsigned value
                wider = _INT_KINDS.index(kind) + 1
                return exp.DataType(this=_INT_TYPE[_INT_KINDS[wider]]) if wider < 3 else _dtype(_T.DECIMAL, 20, 0)
            return exp.DataType(this=_INT_TYPE[kind])
        if kind == "decimal":
            return self._decimal(col_type)
        if kind in types.FLOAT_KINDS:
            return exp.DataType(this=_T.FLOAT if kind == "float" else _T.DOUBLE)
        if kind in ("char", "varchar"):
            return self._string(col_type, keyed)
        if kind in ("text", "xml"):
            return self._unbounded_text(keyed)
        if kind in ("boolean", "date", "time"):
            return exp.DataType(this={"boolean": _T.BOOLEAN, "date": _T.DATE, "time": _T.TIME}[kind])
        if kind == "enum":
            return self._enum_type(table, column, col_type, keyed)
        if kind == "array":
            return self._array_type(table, column, col_type)
        return self._special_type(column, col_type, keyed)

    def _unbounded_text(self, keyed: bool) -> exp.DataType:
        if keyed and self.rules.key_text_type is not None:
            return self.rules.key_text_type.copy()
        return exp.DataType(this=_T.TEXT)

    def _decimal(self, col_type: ColumnType) -> exp.DataType:
        member = _T.UDECIMAL if col_type.unsigned and self.rules.unsigned_numbers else _T.DECIMAL
        if col_type.precision is not None:
            return _dtype(member, col_type.precision, col_type.scale or 0)
        if self.rules.unsized_decimal is not None:  # a narrow bare DECIMAL: keep as many digits as the target allows
            precision, scale = self.rules.unsized_decimal
            return _dtype(member, precision, scale if col_type.scale is None else col_type.scale)
        return exp.DataType(this=member)

    def _string(self, col_type: ColumnType, keyed: bool) -> exp.DataType:
        member = _T.CHAR if col_type.kind == "char" else _T.VARCHAR
        if col_type.length is not None:
            return _dtype(member, col_type.length)
        if col_type.kind == "char":
            return exp.DataType(this=member)
        if keyed and self.rules.key_text_type is not None:
            return self.rules.key_text_type.copy()
        return self.rules.unsized_varchar.copy()

    def _enum_type(self, table: Table, column: Column, col_type: ColumnType, keyed: bool) -> exp.DataType:
        if self.rules.enum_style == "create_type":
            return exp.DataType(this=_T.USERDEFINED, kind=self.enum_names[(table.name, column.name)].copy())
        if self.rules.enum_style == "inline":
            return exp.DataType(this=_T.ENUM, expressions=[exp.Literal.string(v) for v in col_type.values])
        return exp.DataType(this=_T.TEXT)  # "check": a CHECK (col IN (...)) is added with the table's constraints

    def _array_type(self, table: Table, column: Column, col_type: ColumnType) -> exp.DataType:
        """A native array (targets without arrays have an ``array`` entry in ``DdlRules.types``)."""
        if col_type.element is not None:
            element = self._data_type(table, column, col_type.element, keyed=False)
            return exp.DataType(this=_T.ARRAY, expressions=[element], nested=True)
        return exp.DataType(this=_T.ARRAY, expressions=[exp.DataType(this=_T.TEXT)], nested=True)

    def _special_type(self, column: Column, col_type: ColumnType, keyed: bool) -> exp.DataType:
        kind, target, rules = col_type.kind, self.target, self.rules
        if kind == "bit" and rules.bit_strings == "bit_varbit":
            varying = "var" in col_type.sql.lower()
            name = "varbit" if varying else "bit"
            params = [_param(col_type.length)] if col_type.length is not None else []
            return exp.DataType(this=_T.USERDEFINED, kind=exp.to_identifier(name), expressions=params)
        if kind == "bit" and rules.bit_strings == "bit":
            return _dtype(_T.BIT, col_type.length or 1)
        if kind == "set" and rules.set_type:
            return exp.DataType(this=_T.SET, expressions=[exp.Literal.string(v) for v in col_type.values])
        if kind == "other" and self.same_dialect and col_type.sql:
            try:
                built = exp.DataType.build(col_type.sql, dialect=self.caps.sqlglot_dialect, udt=True)
            except SqlglotError:
                built = None
            if built is not None:
                if col_type.sql not in self.foreign_types:
                    self.foreign_types.add(col_type.sql)
                    self.notes.append(f"type {col_type.sql} kept as declared: it must exist in the target database "
                                      "(an extension type?)")
                return built
        if kind not in ("set", "tsvector", "xml"):
            self.notes.append(f"column {column.name} of type {col_type.sql or kind} has no {target} equivalent: TEXT")
        return self._unbounded_text(keyed)

    # ------------------------------------------------------------------------------------------- columns

    def _auto_numbered(self, table: Table, column: Column) -> bool:
        return bool(column.autoincrement or column.identity) and not column.generated

    def _identity_type(self, table: Table, column: Column, data_type: exp.DataType) -> exp.DataType:
        """Identity/AUTO_INCREMENT need an integer type: decimals with no fraction become BIGINT."""
        if column.type.kind in _INT_KINDS:
            return data_type
        if column.type.kind == "decimal" and not column.type.scale:
            self.notes.append(f"{table.name}.{column.name}: auto-numbered {column.type.sql} created as BIGINT")
            return exp.DataType(this=_T.BIGINT)
        return data_type

    def _fk_compatible(self, child: tuple[Table, Column], parent: tuple[Table, Column]) -> bool:
        """Whether an FK column may keep its own type when it references ``parent`` (``DdlRules.fk_type_match``):
        types of one family (PostgreSQL: integers, strings, date-times; "foreign key constraint cannot be
        implemented" otherwise), the same size and sign (MySQL, "Foreign Key Constraints"), the same declared type
        (SQLite: a REAL 8.0 does not find the INTEGER rowid 8)."""
        a, b = child[1].type, parent[1].type
        match = self.rules.fk_type_match
        if match == "declared":
            return self._rendered_type(*child) == self._rendered_type(*parent)
        if match == "exact":
            return (a.kind, a.unsigned, a.precision, a.scale, a.values) == (b.kind, b.unsigned, b.precision,
                                                                              b.scale, b.values)
        if a.kind == "other" or b.kind == "other":
            return a.sql == b.sql
        families = self.rules.fk_type_families
        return families.get(a.kind, a.kind) == families.get(b.kind, b.kind) and a.name == b.name

    def _rendered_type(self, table: Table, column: Column) -> str:
        key = (table.name, column.name)
        if key not in self.rendered_types:
            self.rendered_types[key] = self._render(self._data_type(table, column, column.type, keyed=False))
        return self.rendered_types[key]

    def _type_owner(self, table: Table, column: Column) -> tuple[Table, Column]:
        """The column whose type ``column`` is created with: the column an FK of it references (followed to the
        end of FK chains) when the target cannot compare the two types (see :meth:`_fk_compatible`), else the
        column itself."""
        owner_table, owner = table, column
        seen = {(table.name, column.name)}
        while True:
            ref = self._referenced(owner_table, owner.name)
            if ref is None or (ref[0].name, ref[1].name) in seen:
                break
            seen.add((ref[0].name, ref[1].name))
            owner_table, owner = ref
        if self._fk_compatible((table, column), (owner_table, owner)):
            return table, column
        self.notes.append(f"{table.name}.{column.name}: created as {owner_table.name}.{owner.name}'s type "
                          f"({owner.type.sql}), which its foreign key references")
        return owner_table, owner

    def _referenced(self, table: Table, column: str) -> tuple[Table, Column] | None:
        for fk in table.foreign_keys:
            if column in fk.columns and fk.ref_table in self.by_name:
                target = self.by_name[fk.ref_table]
                return target, target.column(fk.ref_columns[fk.columns.index(column)])
        return None

    def _column_def(self, table: Table, column: Column, keyed: set[str], rowid: str | None) -> exp.ColumnDef:
        type_table, type_column = self._type_owner(table, column)
        data_type = self._data_type(type_table, type_column, type_column.type, column.name in keyed)
        constraints: list[exp.ColumnConstraint] = []
        auto = self._auto_numbered(table, column)
        if auto:
            data_type = self._identity_type(table, column, data_type)
        if column.name == rowid:
            # SQLite: only a column declared exactly INTEGER PRIMARY KEY is the rowid, numbered automatically.
            data_type = exp.DataType(this=_T.INT)
            constraints.append(exp.ColumnConstraint(kind=exp.PrimaryKeyColumnConstraint()))
        if column.generated:
            self.notes.append(f"{table.name}.{column.name}: generated column created as a plain nullable column "
                              "(the schema model keeps no expression)")
        elif not column.nullable:
            constraints.append(exp.ColumnConstraint(kind=exp.NotNullColumnConstraint()))
        if auto and column.name != rowid:
            constraints.extend(self._auto_constraints(table, column))
        elif not auto and column.default is not None:
            value = self._default(table, column)
            if value is not None:
                constraints.append(exp.ColumnConstraint(kind=exp.DefaultColumnConstraint(this=value)))
        return exp.ColumnDef(this=_ident(column.name), kind=data_type, constraints=constraints)

    def _auto_constraints(self, table: Table, column: Column) -> list[exp.ColumnConstraint]:
        if self.rules.auto_numbering == "identity":
            if column.sequence and not column.identity:
                # Keep the source's sequence: the INSERT script's setval() names it.
                if column.sequence not in self.sequences:
                    self.sequences.append(column.sequence)
                call = exp.Anonymous(this="nextval", expressions=[exp.Literal.string(column.sequence)])
                return [exp.ColumnConstraint(kind=exp.DefaultColumnConstraint(this=call))]
            if column.identity is not None and column.sequence:
                self.notes.append(f"{table.name}.{column.name}: identity sequence {column.sequence} gets the "
                                  "default name; the INSERT script's setval() may not find it")
            always = column.identity == "always"
            return [exp.ColumnConstraint(kind=exp.GeneratedAsIdentityColumnConstraint(this=always))]
        if self.rules.auto_numbering == "auto_increment":
            indexed = [table.primary_key.columns] if table.primary_key else []
            indexed += [u.columns for u in table.uniques if u.columns and not u.expressions and u.where is None]
            if any(cols and cols[0] == column.name for cols in indexed) and self._first_auto(table) == column.name:
                return [exp.ColumnConstraint(kind=exp.AutoIncrementColumnConstraint())]
            self.notes.append(f"{table.name}.{column.name}: not AUTO_INCREMENT in MySQL (it needs an index starting "
                              "with the column, and one such column per table)")
            return []
        self.notes.append(f"{table.name}.{column.name}: not auto-numbered in SQLite (only a single-column INTEGER "
                          "PRIMARY KEY is)")
        return []

    def _first_auto(self, table: Table) -> str | None:
        return next((c.name for c in table.columns if self._auto_numbered(table, c)), None)

    def _sqlite_rowid(self, table: Table) -> str | None:
        pk = table.primary_key.columns if table.primary_key else ()
        if self.rules.auto_numbering != "rowid" or len(pk) != 1:
            return None
        column = table.column(pk[0])
        numeric = column.type.kind in _INT_KINDS or (column.type.kind == "decimal" and not column.type.scale)
        return column.name if self._auto_numbered(table, column) and numeric else None

    def _default(self, table: Table, column: Column) -> exp.Expression | None:
        """A portable form of the column's default (a literal or ``CURRENT_TIMESTAMP``-like), or ``None`` with a
        note when it has none."""
        text = column.default or ""
        if text not in self.parsed_defaults:
            try:
                self.parsed_defaults[text] = sqlglot.parse_one(text, read=self.read)
            except SqlglotError:
                self.parsed_defaults[text] = None
        parsed = self.parsed_defaults[text]
        if parsed is not None and isinstance(_strip(parsed), exp.Null):
            return None  # DEFAULT NULL::varchar is no default at all
        value = self._portable_default(_strip(parsed), column.type) if parsed is not None else None
        if value is None:
            self.notes.append(f"{table.name}.{column.name}: default {text} dropped (not portable to {self.target})")
        return value.copy() if value is not None else None  # parsed once per text, used by many columns

    def _portable_default(self, node: exp.Expression, col_type: ColumnType) -> exp.Expression | None:
        kind, rules = col_type.kind, self.rules
        if kind in rules.no_literal_default_kinds:
            return None  # e.g. MySQL: BLOB, TEXT and JSON columns cannot have a literal default
        if isinstance(node, (exp.CurrentTimestamp, exp.Systimestamp, exp.Localtimestamp, exp.CurrentDate)):
            if kind not in ("timestamp", "timestamptz", "date"):
                return None
            if kind == "date":
                return exp.CurrentDate() if rules.current_date_default else None
            precision = rules.current_timestamp_precision  # the column's fractional precision, repeated
            return exp.CurrentTimestamp(this=exp.Literal.number(precision)) if precision else exp.CurrentTimestamp()
        if isinstance(node, exp.CurrentTime):
            return node if kind == "time" and rules.current_time_default else None
        if isinstance(node, exp.Uuid):
            return node if kind == "uuid" and rules.uuid_default else None
        if isinstance(node, exp.Neg) and isinstance(node.this, exp.Literal) and not node.this.is_string:
            return node if kind in types.NUMBER_KINDS else None
        if isinstance(node, exp.Boolean):
            if kind == "boolean":
                return node
            return exp.Literal.number(int(node.this)) if kind in _INT_KINDS else None
        if not isinstance(node, exp.Literal):
            return None
        return self._literal_default(node, col_type)

    def _literal_default(self, node: exp.Literal, col_type: ColumnType) -> exp.Expression | None:
        kind, raw = col_type.kind, node.name
        if kind == "boolean":
            truth = {"1": True, "0": False, "true": True, "false": False, "t": True, "f": False, "y": True,
                     "n": False, "yes": True, "no": False}.get(raw.strip().lower())
            return None if truth is None else exp.Boolean(this=truth)
        if kind in types.NUMBER_KINDS:
            try:
                float(raw)
            except ValueError:
                return None
            quoted = kind == "money" and self.caps.literals.quoted_money
            return exp.Literal.string(raw) if quoted else exp.Literal.number(raw)
        if kind in _TIME_KINDS:
            try:
                if kind == "time":
                    dt.time.fromisoformat(raw)
                else:
                    value = dt.datetime.fromisoformat(raw.replace(" ", "T", 1))
                    if value.year < 1:
                        return None
            except ValueError:
                return None  # e.g. MySQL's zero date '0000-00-00 00:00:00'
            return exp.Literal.string(raw)
        if kind == "enum" and raw not in col_type.values:
            return None
        if kind in ("bytes", "bit", "array", "other") and not self.same_dialect:
            return None
        return exp.Literal.string(raw)

    # --------------------------------------------------------------------------------------- constraints

    def _create_table(self, table: Table) -> exp.Create:
        keyed = self._keyed_columns(table)
        rowid = self._sqlite_rowid(table)
        elements: list[exp.Expression] = [self._column_def(table, c, keyed, rowid) for c in table.columns]
        if table.primary_key and rowid is None:
            name = self.namer.name(table.name, table.primary_key.name, "pk")
            pk = exp.PrimaryKey(expressions=[_ident(c) for c in table.primary_key.columns])
            elements.append(self._named(name, pk))
        for unique in self._plain_uniques(table):
            name = self.namer.name(table.name, unique.name, "unique")
            schema = exp.Schema(expressions=[_ident(c) for c in unique.columns])
            elements.append(self._named(name, exp.UniqueColumnConstraint(this=schema)))
        for check, expression in self._checks(table):
            name = self.namer.name(table.name, check.name, "check")
            elements.append(self._named(name, exp.CheckColumnConstraint(this=expression)))
        if not self.rules.alter_add_constraint:
            for fk in self._foreign_keys(table):
                elements.append(self._foreign_key(table, fk))
        return exp.Create(this=exp.Schema(this=self._table(table.name), expressions=elements), kind="TABLE")

    def _named(self, name: str | None, constraint: exp.Expression) -> exp.Expression:
        if name is None:
            return constraint
        return exp.Constraint(this=_ident(name), expressions=[constraint])

    def _plain_uniques(self, table: Table) -> list[UniqueConstraint]:
        """Column-only UNIQUE constraints, without repeats and without the primary key's own column set."""
        seen = {frozenset(table.primary_key.columns)} if table.primary_key else set()
        result = []
        for unique in table.uniques:
            if unique.expressions or unique.where is not None or not unique.columns:
                continue
            key = frozenset(unique.columns)
            if key not in seen:
                seen.add(key)
                result.append(unique)
        return result

    def _checks(self, table: Table) -> Iterator[tuple[Check, exp.Expression]]:
        seen: set[str] = set()
        for column in table.columns:
            for check in column.checks:
                if column.type.kind in types.JSON_KINDS and _is_json_test(check.expression):
                    continue  # the column is JSON-typed in the target: the check says nothing more
                expression = self._transpiled(check.expression, f"CHECK {check.name or check.sql} on {table.name}")
                if expression is not None and check.sql not in seen:
                    seen.add(check.sql)
                    yield check, expression
            if column.type.kind == "enum" and self.rules.enum_style == "check" and column.type.values:
                labels = [exp.Literal.string(v) for v in column.type.values]
                check = Check(None, exp.In(this=exp.column(_ident(column.name)), expressions=labels), "")
                yield check, check.expression
        for check in table.checks:
            expression = self._transpiled(check.expression, f"CHECK {check.name or check.sql} on {table.name}")
            if expression is not None and check.sql not in seen:
                seen.add(check.sql)
                yield check, expression

    def _transpiled(self, node: exp.Expression, what: str) -> exp.Expression | None:
        """``node`` if it renders in the target and parses back there, else ``None`` with a note saying why."""
        unknown = sorted({a.name for a in node.find_all(exp.Anonymous)})
        if self.same_dialect:  # the target's built-ins exist; any other unknown function may be user-defined
            unknown = [name for name in unknown if name.lower() not in self.rules.builtin_functions]
        if unknown:
            self.notes.append(f"{what} dropped: calls {', '.join(unknown)}, which the target may not have")
            return None
        if not self.rules.is_json_predicate and any(_is_json_test(n) for n in node.find_all(exp.Is)):
            self.notes.append(f"{what} dropped: IS JSON needs {self.caps.title} 16")
            return None
        try:
            sql = node.sql(dialect=self.caps.sqlglot_dialect, unsupported_level=ErrorLevel.RAISE, identify=True)
            sqlglot.parse_one(sql, read=self.caps.sqlglot_dialect)
        except SqlglotError as err:
            self.notes.append(f"{what} dropped: sqlglot cannot transpile it ({str(err).splitlines()[0][:80]})")
            return None
        return node.copy()  # the model's node must not become part of (get its parent set by) the new tree

    def _unique_indexes(self) -> Iterator[exp.Expression]:
        """Unique indexes over expressions or with a WHERE (``DdlRules.partial_indexes``: not MySQL)."""
        for table in self.tables:
            for unique in table.uniques:
                if not unique.expressions and unique.where is None:
                    continue
                what = f"unique index {unique.name or ''} on {table.name}".replace("  ", " ")
                if not self.rules.partial_indexes:
                    self.notes.append(f"{what} dropped: {self.caps.title} has no partial or expression unique indexes "
                                      "here")
                    continue
                parts = [self._transpiled(e, what) for e in unique.expressions]
                where = self._transpiled(unique.where, what) if unique.where is not None else None
                if any(p is None for p in parts) or (unique.where is not None and where is None):
                    continue
                columns = [exp.column(_ident(c)) for c in unique.columns] + [p for p in parts if p is not None]
                name = self.namer.name(table.name, unique.name, "index")
                params = exp.IndexParameters(columns=columns, where=exp.Where(this=where) if where else None)
                index = exp.Index(this=_ident(name) if name else None, table=self._table(table.name), params=params)
                yield exp.Create(this=index, kind="INDEX", unique=True)

    def _foreign_keys(self, table: Table) -> list[ForeignKey]:
        result = []
        for fk in table.foreign_keys:
            if fk.ref_table not in self.emitted:
                self.notes.append(f"foreign key {fk.name or fk.columns} of {table.name} dropped: it references "
                                  f"{fk.ref_table}, which is not created")
                continue
            result.append(fk)
        return result

    def _foreign_key(self, table: Table, fk: ForeignKey) -> exp.Expression:
        options = []
        if fk.on_delete:
            options.append(f"ON DELETE {fk.on_delete}")
        if fk.on_update:
            options.append(f"ON UPDATE {fk.on_update}")
        if fk.deferrable and self.rules.deferrable_foreign_keys:
            options.append("DEFERRABLE")
            if fk.initially_deferred:
                options.append("INITIALLY DEFERRED")
        target = exp.Schema(this=self._table(fk.ref_table), expressions=[_ident(c) for c in fk.ref_columns])
        node = exp.ForeignKey(expressions=[_ident(c) for c in fk.columns],
                              reference=exp.Reference(this=target, options=options))
        return self._named(self.namer.name(table.name, fk.name, "fk"), node)

    def _foreign_key_statements(self) -> Iterator[exp.Expression]:
        if not self.rules.alter_add_constraint:
            return
        for table in self.tables:
            for fk in self._foreign_keys(table):
                action = exp.AddConstraint(expressions=[self._foreign_key(table, fk)])
                yield exp.Alter(this=self._table(table.name), kind="TABLE", actions=[action])

    def _comments(self) -> Iterator[exp.Expression]:
        for table in self.tables:
            name = self._table(table.name)
            if table.comment:
                yield exp.Comment(this=name, kind="TABLE", expression=exp.Literal.string(table.comment))
            for column in table.columns:
                if column.comment:
                    target = exp.Column(this=_ident(column.name), table=name.this, db=name.args.get("db"))
                    yield exp.Comment(this=target, kind="COLUMN", expression=exp.Literal.string(column.comment))


def _is_json_test(node: exp.Expression) -> bool:
    """True for ``x IS JSON`` (not negated)."""
    while isinstance(node, exp.Paren):
        node = node.this
    return isinstance(node, exp.Is) and isinstance(node.expression, exp.JSON) and not node.args.get("negate")
