"""Turn the drafts of a whole script into the frozen schema model, resolving every cross-reference.

Done here, once all statements are read: inherited columns (PostgreSQL puts the parents' columns first, in
``INHERITS`` order, and merges same-named columns: "Inheritance" chapter of the manual), partitions without a
column list (they have the parent's columns), enum and domain column types, foreign-key targets (an FK without a
column list targets the referenced table's primary key), CHECK placement (a CHECK over exactly one column belongs to
that column), SQLite rowid aliases, and partition bounds collected on their parent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sqlglot import exp
from sqlglot.errors import SqlglotError

from seeder.errors import SchemaError
from seeder.readers.ddl_drafts import (
    CheckDraft,
    ColumnDraft,
    CompositeDraft,
    DomainDraft,
    DraftSchema,
    ForeignKeyDraft,
    TableDraft,
    UniqueDraft,
    resolve_by_schema,
)
from seeder.readers.ddl_types import map_type, user_type_name
from seeder.schema import (
    Check,
    Column,
    ColumnType,
    Domain,
    EnumType,
    Exclusion,
    ForeignKey,
    InsertedRows,
    PartitionBound,
    Partitioning,
    PrimaryKey,
    Schema,
    Table,
    TableName,
    UniqueConstraint,
)

_UNTYPED = ColumnType(kind="text", sql="")  # SQLite columns may omit the type; they accept any text

#: Kinds a foreign key may connect, by family: numbers (integers of any width, decimals, floats: every engine
#: compares them numerically, and Oracle declares integer keys as NUMBER), text (char/varchar/text) and instants
#: (timestamp with or without zone). Any other kind only matches itself.
_FK_FAMILIES = {"smallint": "number", "integer": "number", "bigint": "number", "decimal": "number",
                "float": "number", "double": "number", "char": "text", "varchar": "text", "text": "text",
                "timestamp": "instant", "timestamptz": "instant"}


def fk_types_compatible(referencing: ColumnType, referenced: ColumnType) -> bool:
    """Whether a foreign-key column of type ``referencing`` can hold the values of a ``referenced`` column.

    True when both kinds are in the same family of :data:`_FK_FAMILIES` (or equal), and whenever a side is untyped
    (SQLite) or of kind ``other`` (an extension or unknown type seeder cannot judge). Stricter engine rules (MySQL
    wants equal integer widths) are left to the engine: the DDL already passed them.
    """
    if not referencing.sql or not referenced.sql or "other" in (referencing.kind, referenced.kind):
        return True
    return _FK_FAMILIES.get(referencing.kind, referencing.kind) == _FK_FAMILIES.get(referenced.kind, referenced.kind)
_JSON_CARRIERS = frozenset({"varchar", "text", "bytes"})  # kinds that hold JSON documents with CHECK (... IS JSON)


#: sqlglot type kinds that are not built-in PostgreSQL types: a script may create a domain or type of that name.
_NOT_POSTGRES_TYPES = frozenset({exp.DataType.Type.UINT, exp.DataType.Type.UBIGINT, exp.DataType.Type.USMALLINT,
                                 exp.DataType.Type.UTINYINT, exp.DataType.Type.UMEDIUMINT,
                                 exp.DataType.Type.MEDIUMINT, exp.DataType.Type.TINYINT})


def _is_json_check(check: Check) -> bool:
    """True for ``CHECK (col IS JSON)`` (Oracle; any options, not negated) and ``CHECK (JSON_VALID(col))``
    (SQLite, MySQL/MariaDB: Django's ``JSONField``, MariaDB's ``JSON`` alias of ``LONGTEXT``), also as
    ``... OR col IS NULL``."""
    return _json_test(check.expression)


def _json_test(node: exp.Expression) -> bool:
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Or):
        return _json_test(node.this) or _json_test(node.expression)
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower() == "json_valid"
    return isinstance(node, exp.Is) and isinstance(node.expression, exp.JSON) and not node.args.get("negate")


def finish(draft: DraftSchema, source: str | None = None) -> Schema:
    """Resolve ``draft`` into a :class:`Schema` (``source`` is recorded as ``Schema.source``).

    Raises:
        SchemaError: a foreign key, primary key, unique constraint, partition or INHERITS clause names a table or
            column that does not exist, or an FK's column lists differ in length.
    """
    return _Finisher(draft).run(source)


class _Finisher:
    def __init__(self, draft: DraftSchema) -> None:
        draft.current_schema = None  # the script's last search_path says nothing about references resolved now
        self.draft = draft
        self.names = draft.names
        self.entry = draft.dialect
        self.dialect = draft.dialect.sqlglot_dialect
        self._columns: dict[int, list[ColumnDraft]] = {}
        self._checks: dict[int, list[CheckDraft]] = {}
        self._pk: dict[int, tuple[str, ...] | None] = {}
        self._json_cache: dict[int, set[str | None]] = {}
        # sqlglot expressions hash and compare structurally, so equal types written in many columns map once.
        self._types: dict[tuple[exp.DataType, str | None], tuple[ColumnType, list[DomainDraft]]] = {}

    # ------------------------------------------------------------------------------------------ lookups

    def _table(self, ref: TableName, referrer: TableDraft, what: str) -> TableDraft:
        found = self.draft.find_table(ref, referrer.name.schema)
        if found is None:
            raise SchemaError(f"{what} of table {referrer.name} references missing table {ref}")
        return found

    def _column_resolver(self, table: TableDraft) -> Callable[[str], str | None]:
        by_key = {self.names.key(c.name): c.name for c in self._columns[id(table)]}
        return lambda name: by_key.get(self.names.key(name))

    def _resolve_columns(self, table: TableDraft, columns: tuple[str, ...], what: str) -> tuple[str, ...]:
        resolve = self._column_resolver(table)
        resolved = []
        for name in columns:
            actual = resolve(name)
            if actual is None:
                raise SchemaError(f"{what} of table {table.name} names missing column {name}")
            resolved.append(actual)
        return tuple(resolved)

    # ------------------------------------------------------------------------------------ inheritance

    def _expand(self, table: TableDraft, stack: tuple[int, ...] = ()) -> list[ColumnDraft]:
        """The table's full column list (inherited/partition-parent columns first), memoised."""
        if id(table) in self._columns:
            return self._columns[id(table)]
        if id(table) in stack:
            raise SchemaError(f"table {table.name} inherits from itself")
        stack = (*stack, id(table))
        columns: list[ColumnDraft] = []
        checks: list[CheckDraft] = []
        parents = [self._table(ref, table, "INHERITS clause") for ref in table.inherits]
        if table.partition_of is not None and not table.columns:
            parents.append(self._table(table.partition_of, table, "PARTITION OF clause"))
        for parent in parents:
            keys = {self.names.key(c) for c in parent.primary_key or ()}
            for column in self._expand(parent, stack):
                if self.names.key(column.name) in keys:  # the key's NOT NULL is inherited (the key itself is not)
                    column = column.copy()
                    column.nullable = False
                self._merge(columns, column, own=False)
            checks.extend(self._checks[id(parent)])
        for column in table.columns:
            self._merge(columns, column, own=True)
        self._columns[id(table)] = columns
        self._checks[id(table)] = checks + table.checks
        return columns

    def _merge(self, columns: list[ColumnDraft], column: ColumnDraft, *, own: bool) -> None:
        key = self.names.key(column.name)
        for existing in columns:
            if self.names.key(existing.name) == key:
                # PostgreSQL merges same-named inherited columns: NOT NULL if any says so, the child's default.
                existing.nullable = existing.nullable and column.nullable
                existing.checks.extend(column.checks)
                if own and column.default is not None:
                    existing.default = column.default
                if own and column.comment is not None:
                    existing.comment = column.comment
                return
        columns.append(column.copy())

    # ---------------------------------------------------------------------------------------- types

    def _user_type(self, data_type: exp.DataType,
                   schema: str | None) -> EnumType | DomainDraft | CompositeDraft | None:
        parts = user_type_name(data_type)
        if parts is None and not data_type.expressions and data_type.this in _NOT_POSTGRES_TYPES:
            # sqlglot reads `uint` as its own unsigned type; in a script that creates a domain `uint` (Icinga DB),
            # that name is the domain's
            parts = (None, exp.to_identifier(data_type.sql(self.dialect, copy=False)))
        if parts is None:
            return None
        type_schema = self.names.ident(parts[0]) if parts[0] is not None else None
        type_name = self.names.key(self.names.ident(parts[1]))
        enums = [e for e in self.draft.enums if self.names.key(e.name) == type_name]
        enum = resolve_by_schema(enums, lambda e: e.schema, type_schema, schema, self.draft.rules, self.names)
        if enum is not None:
            return enum
        domains = [d for d in self.draft.domains if self.names.key(d.name) == type_name]
        domain = resolve_by_schema(domains, lambda d: d.schema, type_schema, schema, self.draft.rules, self.names)
        if domain is not None:
            return domain
        composites = [c for c in self.draft.composites if self.names.key(c.name) == type_name]
        return resolve_by_schema(composites, lambda c: c.schema, type_schema, schema, self.draft.rules, self.names)

    def _type(self, data_type: exp.DataType | None, schema: str | None,
              seen: tuple[str, ...] = ()) -> tuple[ColumnType, list[DomainDraft]]:
        """The column type and the chain of domains (outermost first) it was declared through."""
        if data_type is None:
            return _UNTYPED, []
        if seen:
            return self._map_type(data_type, schema, seen)
        key = (data_type, schema)
        if key not in self._types:
            self._types[key] = self._map_type(data_type, schema, seen)
        return self._types[key]

    def _map_type(self, data_type: exp.DataType, schema: str | None,
                  seen: tuple[str, ...]) -> tuple[ColumnType, list[DomainDraft]]:
        if data_type.this == exp.DataType.Type.ARRAY and data_type.expressions:
            element, domains = self._type(data_type.expressions[0], schema, seen)
            if domains:  # an array of a domain: each element must pass the domain's CHECKs (and is never NULL then)
                checks = tuple(self._check(c, lambda _: None, value_column="VALUE")[0] for d in domains
                               for c in d.checks)
                element = dataclasses.replace(element, checks=checks)
            sql = data_type.sql(self.dialect, copy=False)
            if domains and domains[0].schema and user_type_name(data_type.expressions[0]) is not None:
                sql = self._qualified_sql(data_type.expressions[0], domains[0].schema) + "[]"
            return ColumnType(kind="array", sql=sql, element=element), []
        user = self._user_type(data_type, schema)
        parts = user_type_name(data_type)
        if user is None and parts is not None and self.entry.read.underscore_arrays and parts[1].name.startswith("_"):
            try:  # _int4: PostgreSQL's own name of int4[]
                element = exp.DataType.build(parts[1].name[1:], dialect=self.dialect)
            except (ValueError, SqlglotError):  # a name sqlglot does not know (varbit): an element of its own name
                element = exp.DataType(this=exp.DataType.Type.USERDEFINED, kind=exp.to_identifier(parts[1].name[1:]))
            if element is not None:
                return self._map_type(exp.DataType(this=exp.DataType.Type.ARRAY, expressions=[element], nested=True),
                                      schema, seen)
        if isinstance(user, EnumType):
            sql = self._qualified_sql(data_type, user.schema)
            return ColumnType(kind="enum", sql=sql, values=user.values, name=user.name), []
        if isinstance(user, DomainDraft) and user.name not in seen:
            base, chain = self._type(user.data_type, user.schema, (*seen, user.name))
            return base, [user, *chain]
        if isinstance(user, CompositeDraft) and user.name not in seen:
            attributes = tuple((name, self._type(t, user.schema, (*seen, user.name))[0]) for name, t in user.attributes)
            return ColumnType(kind="other", sql=self._qualified_sql(data_type, user.schema), name=user.name,
                              attributes=attributes), []
        return map_type(data_type, self.entry), []

    def _qualified_sql(self, data_type: exp.DataType, schema: str | None) -> str:
        """A user type's name as written, schema-qualified when the script created it in a schema by ``search_path``
        (a cast in seeder's script, which sets no ``search_path``, must find it)."""
        sql = data_type.sql(self.dialect, copy=False)
        parts = user_type_name(data_type)
        if schema is None or parts is None or parts[0] is not None:
            return sql
        return f"{exp.to_identifier(schema, quoted=self.names.needs_quotes(schema)).sql(self.dialect)}.{sql}"

    # --------------------------------------------------------------------------------------- checks

    def _check(self, draft: CheckDraft, resolve: Callable[[str], str | None],
               value_column: str | None = None) -> tuple[Check, set[str]]:
        """Rewrite a CHECK to unqualified, resolved column names (``VALUE`` -> ``value_column``); returns it with
        the set of columns it mentions."""
        mentioned: set[str] = set()

        def rewrite(node: exp.Expression) -> exp.Expression:
            if not isinstance(node, exp.Column) or not isinstance(node.this, exp.Identifier):
                return node
            raw = node.this
            if value_column is not None and not raw.quoted and raw.name.upper() == "VALUE":
                actual: str | None = value_column
            else:
                actual = resolve(self.names.ident(raw))
            if actual is None:
                return node
            mentioned.add(actual)
            return exp.column(exp.to_identifier(actual, quoted=self.names.needs_quotes(actual)))

        expression = draft.expression.transform(rewrite)  # transform works on a copy
        return Check(draft.name, expression, expression.sql(self.dialect)), mentioned

    def _rewrite(self, expression: exp.Expression, resolve: Callable[[str], str | None]) -> exp.Expression:
        return self._check(CheckDraft(None, expression), resolve)[0].expression

    # ---------------------------------------------------------------------------------------- tables

    def run(self, source: str | None) -> Schema:
        tables = self.draft.tables
        for table in tables:
            self._expand(table)
        for table in tables:
            pk = table.primary_key
            self._pk[id(table)] = self._resolve_columns(table, pk, "primary key") if pk else None
        partitions: dict[int, list[PartitionBound]] = {}
        for table in tables:
            if table.partition_of is not None:
                parent = self._table(table.partition_of, table, "PARTITION OF clause")
                bound = table.partition_bound or PartitionBound(name=table.name)
                partitions.setdefault(id(parent), []).append(bound)
        built = [self._build(table, partitions.get(id(table), [])) for table in tables]
        return Schema(
            tables=tuple(built),
            dialect=self.dialect,
            enums=tuple(self.draft.enums),
            domains=tuple(self._domain(d) for d in self.draft.domains),
            source=source,
            notes=tuple(self.draft.notes),
            inserted=self._inserted(),
            search_path=tuple(self.draft.search_path),
        )

    def _inserted(self) -> tuple[InsertedRows, ...]:
        """The script's INSERTed rows under the tables' final names, limited to columns that still exist."""
        found = []
        tables = {id(t) for t in self.draft.tables}
        for table, columns, rows, line in self.draft.inserted:
            if id(table) not in tables:
                continue
            resolve = self._column_resolver(table)
            keep = [(i, resolve(c)) for i, c in enumerate(columns) if resolve(c) is not None]
            found.append(InsertedRows(table=table.name, columns=tuple(str(name) for _, name in keep),
                                      rows=tuple(tuple(row[i] for i, _ in keep) for row in rows), line=line))
        return tuple(found)

    def _domain(self, domain: DomainDraft) -> Domain:
        base, chain = self._type(domain.data_type, domain.schema, (domain.name,))
        checks = [self._check(c, lambda _: None)[0] for c in domain.checks]
        for inner in chain:
            checks.extend(self._check(c, lambda _: None)[0] for c in inner.checks)
        return Domain(name=domain.name, type=base, nullable=domain.nullable and all(d.nullable for d in chain),
                      default=domain.default, checks=tuple(checks), schema=domain.schema)

    def _build(self, table: TableDraft, partitions: list[PartitionBound]) -> Table:
        resolve = self._column_resolver(table)
        pk = self._pk[id(table)]
        column_checks: dict[str, list[Check]] = {}
        table_checks: list[Check] = []
        drafts = self._columns[id(table)]
        for column in drafts:
            for draft in column.checks:
                self._place_check(draft, resolve, column_checks, table_checks)
        for draft in self._checks[id(table)]:
            self._place_check(draft, resolve, column_checks, table_checks)
        columns = tuple(self._column(table, c, pk, column_checks.get(c.name, [])) for c in drafts)
        partitioning = None
        if table.partition_method is not None:
            keys = tuple(resolve(k) or k for k in table.partition_columns)
            partitioning = Partitioning(method=table.partition_method, columns=keys,
                                        partitions=tuple(partitions + table.inline_partitions))
        partition_of = None
        if table.partition_of is not None:
            partition_of = self._table(table.partition_of, table, "PARTITION OF clause").name
        return Table(
            name=table.name,
            columns=columns,
            primary_key=PrimaryKey(pk, table.primary_key_name) if pk else None,
            foreign_keys=tuple(self._foreign_key(table, fk) for fk in table.foreign_keys),
            uniques=tuple(self._unique(table, u, resolve) for u in table.uniques),
            checks=tuple(table_checks),
            partitioning=partitioning,
            partition_of=partition_of,
            inherits=tuple(self._table(ref, table, "INHERITS clause").name for ref in table.inherits),
            comment=table.comment,
            exclusions=tuple(Exclusion(name, self._resolve_columns(table, equal, "EXCLUDE constraint"),
                                       *self._resolve_columns(table, (lower, upper), "EXCLUDE constraint"),
                                       function, bounds)
                             for name, equal, lower, upper, function, bounds in table.exclusions),
        )

    def _place_check(self, draft: CheckDraft, resolve: Callable[[str], str | None],
                     column_checks: dict[str, list[Check]], table_checks: list[Check]) -> None:
        check, mentioned = self._check(draft, resolve)
        if len(mentioned) == 1:
            column_checks.setdefault(next(iter(mentioned)), []).append(check)
        else:
            table_checks.append(check)

    def _column(self, table: TableDraft, column: ColumnDraft, pk: tuple[str, ...] | None,
                checks: list[Check]) -> Column:
        column_type, domains = self._type(column.data_type, table.name.schema)
        nullable = column.nullable and all(d.nullable for d in domains) and not (pk and column.name in pk)
        default = column.default
        domain_checks: list[Check] = []
        for domain in domains:
            default = default if default is not None else domain.default
            domain_checks.extend(self._check(c, lambda _: None, value_column=column.name)[0] for c in domain.checks)
        rowid_alias = (
            self.entry.integer_primary_key_is_rowid and column.declared_integer and not table.without_rowid
            and pk is not None and pk == (column.name,)
        )
        if (self.entry.read.json_by_is_json_check and column_type.kind in _JSON_CARRIERS
                and any(_is_json_check(c) for c in checks)):
            column_type = ColumnType(kind="json", sql=column_type.sql)
        elif column_type.kind in _JSON_CARRIERS and self.names.key(column.name) in self._json_read(table):
            # generated columns read it with JSON_EXTRACT, which fails on text that is not JSON (Temporal's SQLite
            # search_attributes): it must hold JSON documents
            column_type = ColumnType(kind="json", sql=column_type.sql)
        return Column(
            name=column.name,
            type=column_type,
            nullable=nullable,
            default=default,
            identity=column.identity,
            autoincrement=column.autoincrement or rowid_alias,
            sequence=column.sequence,
            generated=column.generated,
            domain=domains[0].name if domains else None,
            checks=tuple(domain_checks + checks),
            comment=column.comment,
        )

    def _json_read(self, table: TableDraft) -> set[str | None]:
        """Keys of the columns of ``table`` that a generated column reads as a JSON document (the document argument
        of ``JSON_EXTRACT`` / ``->`` / ``->>``)."""
        if id(table) in self._json_cache:
            return self._json_cache[id(table)]
        found: set[str | None] = set()
        self._json_cache[id(table)] = found
        for column in self._columns[id(table)]:
            if column.generated_expression is None:
                continue
            for node in column.generated_expression.find_all(exp.JSONExtract, exp.JSONExtractScalar, exp.Anonymous):
                if isinstance(node, exp.Anonymous) and str(node.this).lower() not in ("json_extract", "json_value"):
                    continue
                document = node.this if not isinstance(node, exp.Anonymous) else (
                    node.expressions[0] if node.expressions else None)
                if isinstance(document, exp.Column):
                    found.add(self.names.key(self.names.ident(document)))
        return found

    def _foreign_key(self, table: TableDraft, fk: ForeignKeyDraft) -> ForeignKey:
        label = f"foreign key {fk.name or '(' + ', '.join(fk.columns) + ')'}"
        target = self._table(fk.ref_table, table, label)
        columns = self._resolve_columns(table, fk.columns, label)
        if fk.ref_columns is None:
            ref_columns = self._pk[id(target)]
            if ref_columns is None:
                raise SchemaError(f"{label} of table {table.name} references table {target.name}, which has no "
                                  "primary key: list the referenced columns")
        else:
            resolve = self._column_resolver(target)
            resolved = []
            for name in fk.ref_columns:
                actual = resolve(name)
                if actual is None:
                    raise SchemaError(f"{label} of table {table.name} references missing column {target.name}.{name}")
                resolved.append(actual)
            ref_columns = tuple(resolved)
        if len(ref_columns) != len(columns):
            raise SchemaError(f"{label} of table {table.name} has {len(columns)} column(s) but references "
                              f"{len(ref_columns)} in {target.name}")
        self._check_fk_types(table, target, columns, ref_columns, label)
        return ForeignKey(
            columns=columns, ref_table=target.name, ref_columns=ref_columns, name=fk.name, deferrable=fk.deferrable,
            initially_deferred=fk.initially_deferred, on_delete=fk.on_delete, on_update=fk.on_update,
        )

    def _check_fk_types(self, table: TableDraft, target: TableDraft, columns: tuple[str, ...],
                        ref_columns: tuple[str, ...], label: str) -> None:
        """SchemaError when a referencing column's type cannot hold the referenced values (see
        :func:`fk_types_compatible`); generated rows copy the referenced values into the referencing column.
        Not checked where columns take any value (SQLite, whose FK check compares by the parent's affinity)."""
        if self.entry.read.loose_column_types:
            return
        mine = {c.name: c for c in self._columns[id(table)]}
        theirs = {c.name: c for c in self._columns[id(target)]}
        for col, ref in zip(columns, ref_columns, strict=True):
            a = self._type(mine[col].data_type, table.name.schema)[0]
            b = self._type(theirs[ref].data_type, target.name.schema)[0]
            if not fk_types_compatible(a, b):
                raise SchemaError(f"{label} of table {table.name}: column {table.name}.{col} is {a.sql} but the "
                                  f"referenced column {target.name}.{ref} is {b.sql}; make the column types match")

    def _unique(self, table: TableDraft, unique: UniqueDraft,
                resolve: Callable[[str], str | None]) -> UniqueConstraint:
        return UniqueConstraint(
            columns=self._resolve_columns(table, unique.columns, f"unique constraint {unique.name or ''}".rstrip()),
            name=unique.name,
            expressions=tuple(self._rewrite(e, resolve) for e in unique.expressions),
            where=self._rewrite(unique.where, resolve) if unique.where is not None else None,
        )
