"""Read one DDL statement into the drafts: which statements matter, and what each one adds.

Statements are first classified by their leading keywords with cheap regular expressions, so that the thousands of
views, functions, triggers, grants and ``OWNER TO`` lines of a real dump never reach sqlglot; plain ``ADD CONSTRAINT``
statements are read by :mod:`seeder.readers.ddl_fastpath`. The rest is tokenised and parsed by sqlglot; constructs
sqlglot cannot read (token rewrites, forms it returns as an opaque ``exp.Command`` such as ``CREATE DOMAIN`` or
``ALTER TABLE ... ATTACH PARTITION``, clauses it chokes on) go through :mod:`seeder.readers.ddl_workarounds`, the one
module holding every work-around. What differs between dialects is asked of the dialect's registry entry
(:mod:`seeder.dialects`).

PostgreSQL facts relied on: ``serial`` and pg_dump's ``DEFAULT nextval('seq'::regclass)`` mean a sequence numbers
the column; ``INITIALLY DEFERRED`` implies ``DEFERRABLE`` (SQL standard, ``CREATE TABLE`` reference page).
SQLite: a column whose declared type is exactly ``INTEGER`` and that is the table's only PRIMARY KEY column is an
alias of the rowid (``CREATE TABLE`` docs, "ROWIDs and the INTEGER PRIMARY KEY"), except in ``WITHOUT ROWID``
tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError
from sqlglot.tokens import Token

from seeder.errors import SchemaReadError
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
from seeder.readers.ddl_fastpath import NamePart, SimpleConstraint, match_add_constraint
from seeder.readers.ddl_inserts import values_rows
from seeder.readers.ddl_migrations import (
    alter_enum,
    drop_column,
    drop_constraint,
    drop_table,
    rename_column,
    rename_table,
)
from seeder.readers.ddl_types import is_serial
from seeder.readers.ddl_workarounds import (
    AddIdentity,
    AttachPartition,
    DefaultFor,
    OraclePartitioning,
    Tokens,
    workarounds_for,
)
from seeder.schema import EnumType, PartitionBound, TableName

_I = re.IGNORECASE
_IS = re.IGNORECASE | re.DOTALL

# Classification only: which statements are worth parsing, judged by their heads. Nothing here rewrites a statement
# (the work-arounds for what sqlglot cannot read act on tokens, in seeder.readers.ddl_workarounds).
_CREATE_TABLE = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:UNLOGGED\s+)?TABLE\b", _I)
_CREATE_TEMP_TABLE = re.compile(r"CREATE\s+(?:GLOBAL\s+|LOCAL\s+)?(?:TEMP|TEMPORARY)\s+TABLE\b", _I)
_CREATE_VIRTUAL_TABLE = re.compile(r"CREATE\s+VIRTUAL\s+TABLE\b", _I)  # SQLite FTS/R-tree modules
_ALTER_TABLE = re.compile(r"ALTER\s+TABLE\b", _I)
# The ALTER TABLE forms that change what the reader models; OWNER TO, CLUSTER ON, triggers... are not among them.
_ALTER_RELEVANT = re.compile(
    r"\bADD\b|\bATTACH\s+PARTITION\b|\bSET\s+DEFAULT\b|\bDROP\s+DEFAULT\b|\bNOT\s+NULL\b|\bMODIFY\b|\bTYPE\b"
    r"|\bRENAME\b|\bDROP\b|\bSET\s+SCHEMA\b|\bINHERIT\b|\bDETACH\b", _I,
)
# ALTER TABLE forms that leave what the model holds as it is (storage, ownership, statistics, triggers, security).
_ALTER_HARMLESS = re.compile(
    r"ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?\S+(?:\s*\.\s*\S+)?\s+(?:"
    r"OWNER\s+TO|CLUSTER\s+ON|SET\s+WITHOUT\s+CLUSTER|SET\s+TABLESPACE|SET\s+(?:UN)?LOGGED|SET\s+ACCESS\s+METHOD"
    r"|SET\s+WITH(?:OUT)?\s+OIDS|SET\s*\(|RESET\s*\(|(?:ENABLE|DISABLE)\s+(?:ALWAYS\s+|REPLICA\s+)?(?:TRIGGER|RULE)"
    r"|(?:ENABLE|DISABLE|FORCE|NO\s+FORCE)\s+ROW\s+LEVEL\s+SECURITY|REPLICA\s+IDENTITY|VALIDATE\s+CONSTRAINT"
    r"|ALTER\s+(?:COLUMN\s+)?\S+\s+(?:SET\s+(?:STATISTICS|STORAGE|COMPRESSION|\()|RESET\s*\()"
    r"|RENAME\s+CONSTRAINT)", _IS,
)
_INSERT_INTO = re.compile(r"INSERT\s+INTO\b", _I)
_DROP_TABLE = re.compile(r"DROP\s+TABLE\b", _I)
# MySQL's RENAME TABLE a TO b [, c TO d]
_RENAME_TABLE = re.compile(r"RENAME\s+TABLES?\s+(?P<pairs>.*?)\s*;?\s*\Z", _IS)
_RENAME_PAIR = re.compile(r"\s*(?P<old>[^\s,]+)\s+TO\s+(?P<new>[^\s,]+)\s*(?:,|\Z)", _I)
# ALTER TABLE command forms read from their words (see StatementReader._alter_command_form)
_ALTER_TARGET = re.compile(r"\s*ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?:\"(?:[^\"]|\"\")*\"|[\w$]+)"
                           r"(?:\s*\.\s*(?:\"(?:[^\"]|\"\")*\"|[\w$]+))?\s*", _I)
_DROP_IDENTITY = re.compile(r"ALTER\s+(?:COLUMN\s+)?(?P<column>\"(?:[^\"]|\"\")*\"|\w+)\s+"
                            r"DROP\s+(?P<what>IDENTITY|EXPRESSION)(?:\s+IF\s+EXISTS)?\s*;?\s*\Z", _I)
_DETACH = re.compile(r"DETACH\s+PARTITION\s+(?P<name>\S+?)(?:\s+(?:CONCURRENTLY|FINALIZE))?\s*;?\s*\Z", _I)
_INHERIT = re.compile(r"INHERIT\s+(?P<name>\S+?)\s*;?\s*\Z", _I)
_NO_INHERIT = re.compile(r"NO\s+INHERIT\s+(?P<name>\S+?)\s*;?\s*\Z", _I)
_DROP_LIST = re.compile(r"DROP\s*\((?P<columns>[^()]*)\)\s*(?:CASCADE\s+CONSTRAINTS)?\s*;?\s*\Z", _I)
_DROP_TYPE = re.compile(
    r"DROP\s+(?P<what>TYPE|DOMAIN)\s+(?:IF\s+EXISTS\s+)?(?P<names>.*?)\s*(?:CASCADE|RESTRICT)?\s*;?\s*\Z", _IS)
_ALTER_TYPE = re.compile(r"ALTER\s+TYPE\b", _I)
# PostgreSQL: the schema unqualified CREATEs go to (pg_dump's set_config('search_path', '', false) empties it).
_SET_SEARCH_PATH = re.compile(r"SET\s+(?:SESSION\s+|LOCAL\s+)?search_path\s*(?:TO|=)\s*(.*?)\s*;?\s*\Z", _IS)
_SET_CONFIG_SEARCH_PATH = re.compile(
    r"SELECT\s+(?:pg_catalog\s*\.\s*)?set_config\s*\(\s*'search_path'\s*,\s*'([^']*)'", _I)
_PATH_ITEM = re.compile(r'"((?:[^"]|"")*)"|([^\s,\']+)|\'([^\']*)\'')
_ADDS_CONSTRAINT = re.compile(r"\bADD\s+(?:CONSTRAINT|PRIMARY\s+KEY|FOREIGN\s+KEY|UNIQUE|CHECK)\b", _I)
_CREATE_UNIQUE_INDEX = re.compile(r"CREATE\s+UNIQUE\s+(?:CLUSTERED\s+|NONCLUSTERED\s+)?INDEX\b", _I)
_CREATE_ENUM = re.compile(r"CREATE\s+TYPE\b.*?\bAS\s+ENUM\b", _IS)
_CREATE_DOMAIN = re.compile(r"CREATE\s+DOMAIN\b", _I)
_NAME_PART = r"(?:\"(?:[^\"]|\"\")*\"|\w+)"
_ALTER_DOMAIN = re.compile(
    rf"ALTER\s+DOMAIN\s+(?P<name>{_NAME_PART}(?:\s*\.\s*{_NAME_PART})?)\s+(?P<rest>.*?)\s*;?\s*\Z", _IS)
_CREATE_COMPOSITE = re.compile(r"CREATE\s+TYPE\b[^;(]*?\bAS\s*\(", _IS)
_ATTRIBUTE_CHANGE = re.compile(
    r"(?P<verb>ADD|DROP|RENAME|ALTER)\s+ATTRIBUTE\s+(?:IF\s+EXISTS\s+)?(?P<name>\"(?:[^\"]|\"\")*\"|\w+)\s*"
    r"(?:TO\s+(?P<to>\"(?:[^\"]|\"\")*\"|\w+)|(?:SET\s+DATA\s+)?(?:TYPE\s+)?(?P<type>.*?))?"
    r"\s*(?:CASCADE|RESTRICT)?\s*;?\s*\Z", _IS)
_COMMENT_ON = re.compile(r"COMMENT\s+ON\s+(?:COLUMN|TABLE)\b", _I)

class StatementReader:
    """Feeds statements into a :class:`DraftSchema`; raises ``SchemaReadError`` naming ``path`` and the line."""

    def __init__(self, draft: DraftSchema, path: str | None = None) -> None:
        self.draft = draft
        self.names = draft.names
        self.entry = draft.dialect
        self.dialect = draft.dialect.sqlglot_dialect  # renders sqlglot nodes as the file wrote them
        self.fix = workarounds_for(self.dialect)
        self.read_dialect = self.fix.parse_with or self.dialect
        self.path = path
        self._line = 0
        self._text = ""

    # ----------------------------------------------------------------------------------------------- dispatch

    def read(self, line: int, text: str) -> None:
        """Apply one statement (``line`` is where it starts, for error messages); irrelevant ones are ignored."""
        self._line, self._text = line, text
        if _CREATE_TABLE.match(text):
            self._create_table(text)
        elif _ALTER_TABLE.match(text):
            if _ALTER_RELEVANT.search(text) and not _ALTER_HARMLESS.match(text):
                self._alter_table(text)
        elif _INSERT_INTO.match(text):
            self._insert(text)
        elif _DROP_TABLE.match(text):
            self._drop_table(text)
        elif (m := _RENAME_TABLE.match(text)) is not None:
            self._rename_tables(m["pairs"])
        elif (m := _DROP_TYPE.match(text)) is not None:
            self._drop_types(m["what"].upper(), m["names"])
        elif _ALTER_TYPE.match(text):
            self._alter_type(text)
        elif (m := _SET_SEARCH_PATH.match(text) or _SET_CONFIG_SEARCH_PATH.match(text)) is not None:
            self._search_path(m.group(1))
        elif _CREATE_UNIQUE_INDEX.match(text):
            self._unique_index(text)
        elif _CREATE_DOMAIN.match(text):
            self._domain(text)
        elif _CREATE_ENUM.match(text):
            self._enum(text)
        elif _CREATE_COMPOSITE.match(text):
            self._composite(text)
        elif (m := _ALTER_DOMAIN.match(text)) is not None:
            self._alter_domain(m["name"], m["rest"])
        elif _COMMENT_ON.match(text):
            self._comment(text)
        elif _CREATE_TEMP_TABLE.match(text):
            self.draft.notes.append(f"line {line}: temporary table skipped")
        elif _CREATE_VIRTUAL_TABLE.match(text):
            self.draft.notes.append(f"line {line}: virtual table skipped (its module decides its columns)")

    def error(self, message: str) -> SchemaReadError:
        """A ``SchemaReadError`` located at the current statement."""
        return SchemaReadError(message, path=self.path, line=self._line, statement=self._text)

    def _parse(self, text: str, *, source_text: bool = True,
               tokens: list[Token] | None = None) -> tuple[exp.Expression | None, str]:
        """Parse with sqlglot (from ``tokens`` when a work-around rewrote them); on failure return ``(None,
        problem)``. ``source_text`` says ``text`` is the statement as written, so sqlglot's statement-relative
        position can be turned into a line of the file."""
        try:
            return self.fix.parse(text, tokens), ""
        except ParseError as e:
            first = e.errors[0] if e.errors else {}
            description = _TOKEN_REPR.sub(_token_text, first.get("description") or str(e).splitlines()[0])
            if source_text and first.get("line"):
                return None, f"{description} at line {self._line + first['line'] - 1}, column {first.get('col')}"
            return None, description
        except SqlglotError as e:  # TokenError and the like
            return None, str(e).splitlines()[0] if str(e) else type(e).__name__

    def _expect(self, tree: exp.Expression | None, problem: str, what: str,
                expected: type[exp.Expression]) -> exp.Expression:
        """``tree`` if it is an ``expected`` node, else a ``SchemaReadError`` saying ``what`` could not be parsed."""
        if tree is None:
            raise self.error(f"cannot parse {what} ({problem})")
        if not isinstance(tree, expected):
            raise self.error(f"cannot parse {what} (sqlglot does not understand this form)")
        return tree

    def _table_node_name(self, text: str) -> TableName:
        return self.names.table(exp.to_table(text, dialect=self.read_dialect))

    def _created(self, name: TableName) -> TableName:
        """The name an object created as ``name`` gets: unqualified ones go to the ``search_path`` schema."""
        if name.schema is None and self.draft.current_schema is not None:
            return TableName(self.draft.current_schema, name.name)
        return name

    def _require_table(self, ref: TableName) -> TableDraft:
        table = self.draft.find_table(ref)
        if table is None:
            raise self.error(f"table {ref} is not created before this statement")
        return table

    # ----------------------------------------------------------------------------------------- CREATE TABLE

    def _parse_table(self, text: str) -> tuple[exp.Expression | None, str, Tokens | None]:
        """Parse a CREATE TABLE with the dialect's token rewrites; also returns its tokens as written."""
        t = self.fix.tokens(text)
        tree, problem = self._parse(text, tokens=self.fix.create_table(t) if t is not None else None)
        return tree, problem, t

    def _create_table(self, text: str) -> None:
        tree, problem, t = self._parse_table(text)
        oracle_partitioning = None
        fallback = self.fix.table_fallback(t) if t is not None and not isinstance(tree, exp.Create) else None
        if fallback is not None:
            if fallback.note:
                self.draft.notes.append(f"line {self._line}: {fallback.note}")
            oracle_partitioning = fallback.partitioning
            tree, problem, t = self._parse_table(fallback.text)
        tree = self._expect(tree, problem, "CREATE TABLE", exp.Create)
        if (tree.args.get("kind") or "").upper() != "TABLE":
            raise self.error("cannot parse CREATE TABLE (sqlglot does not understand this form)")
        if isinstance(tree.expression, exp.Query):
            raise self.error("CREATE TABLE ... AS SELECT is not supported: declare the columns")
        properties = tree.args.get("properties")
        properties = properties.expressions if properties else []
        if any(isinstance(p, exp.TemporaryProperty) for p in properties):
            self.draft.notes.append(f"line {self._line}: temporary table skipped")
            return
        without_rowid = any(isinstance(p, exp.WithoutRowidProperty) for p in properties)
        target = tree.this
        table_node = target.this if isinstance(target, exp.Schema) else target
        name = self._created(self.names.table(table_node))
        existing = self.draft.find_table(name)
        if existing is not None and existing.name == name:
            if tree.args.get("exists"):
                return
            raise self.error(f"table {name} is created twice")
        table = TableDraft(name=name, line=self._line, without_rowid=without_rowid)
        if isinstance(target, exp.Schema):
            for element in target.expressions:
                self._table_element(table, element, strict=True)
        for prop in properties:
            self._table_property(table, prop)
        if oracle_partitioning is not None:
            self._oracle_partitions(table, oracle_partitioning)
        if self.entry.integer_primary_key_is_rowid and t is not None:
            self._mark_declared_integers(table, t)
        self.draft.add_table(table)

    def _table_property(self, table: TableDraft, prop: exp.Expression) -> None:
        if isinstance(prop, exp.LikeProperty):
            raise self.error("CREATE TABLE ... LIKE is not supported: declare the columns")
        if isinstance(prop, exp.PartitionedByProperty):
            self._partition_by(table, prop.this)
        elif isinstance(prop, (exp.PartitionByRangeProperty, exp.PartitionByListProperty)):
            self._mysql_partitions(table, prop)
        elif isinstance(prop, exp.PartitionedOfProperty):
            parent = prop.this
            if isinstance(parent, exp.Schema):  # PARTITION OF parent (constraints...)
                for element in parent.expressions:
                    self._table_element(table, element, strict=True)
                parent = parent.this
            table.partition_of = self.names.table(parent)
            table.partition_bound = self._partition_bound(table.name, prop.expression)
        elif isinstance(prop, exp.InheritsProperty):
            table.inherits.extend(self.names.table(t) for t in prop.expressions)
        elif isinstance(prop, exp.SchemaCommentProperty):
            table.comment = prop.this.name

    def _partition_by(self, table: TableDraft, spec: exp.Expression) -> None:
        if isinstance(spec, exp.List):
            method, keys = "list", spec.expressions
        elif isinstance(spec, exp.Anonymous):
            method, keys = spec.name.lower(), spec.expressions
        else:
            self.draft.notes.append(f"line {self._line}: partitioning of {table.name} not understood, ignored")
            return
        table.partition_method = method
        table.partition_columns = tuple(
            self.names.ident(k) if isinstance(k, exp.Column) else k.sql(self.dialect) for k in keys
        )

    def _mysql_partitions(self, table: TableDraft, prop: exp.Expression) -> None:
        """MySQL ``PARTITION BY RANGE|LIST (...) (PARTITION p VALUES LESS THAN (...) | IN (...), ...)``: each range
        partition takes the rows below its bound and at or above the previous one. MySQL partitions are not tables:
        their bounds are named ``TableName(table schema, partition name)`` and no table of that name is added."""
        is_range = isinstance(prop, exp.PartitionByRangeProperty)
        keys = prop.args.get("partition_expressions") or []
        table.partition_method = "range" if is_range else "list"
        table.partition_columns = tuple(
            self.names.ident(k) if isinstance(k, exp.Column) else k.sql(self.dialect) for k in keys
        )
        previous: tuple[str, ...] = ()
        for partition in prop.args.get("create_expressions") or []:
            for spec in partition.expressions if isinstance(partition, exp.Partition) else []:
                name = TableName(table.name.schema, self.names.ident(spec.this))
                values = self._render_all(spec.expressions)
                if is_range:
                    table.inline_partitions.append(PartitionBound(name=name, lower=previous, upper=values))
                    previous = values
                else:
                    table.inline_partitions.append(PartitionBound(name=name, values=values))

    def _oracle_partitions(self, table: TableDraft, spec: OraclePartitioning) -> None:
        """Oracle ``PARTITION BY RANGE|LIST`` (read by :func:`parse_oracle_partitioning`): like MySQL's, the
        partitions are not tables; a ``VALUES (DEFAULT)`` list partition accepts any value."""
        table.partition_method = spec.method
        table.partition_columns = tuple(self.names.ident(c) for c in spec.columns)
        previous: tuple[str, ...] = ()
        for partition in spec.partitions:
            name = TableName(table.name.schema, self.names.ident(exp.to_column(partition.name, dialect=self.dialect)))
            if partition.upper:
                table.inline_partitions.append(PartitionBound(name=name, lower=previous, upper=partition.upper))
                previous = partition.upper
            elif partition.values == ("DEFAULT",):
                table.inline_partitions.append(PartitionBound(name=name, is_default=True))
            else:
                table.inline_partitions.append(PartitionBound(name=name, values=partition.values))
        if spec.method in ("range", "list") and not spec.partitions:
            self.draft.notes.append(f"line {self._line}: partitions of {table.name} not understood (INTERVAL or "
                                    "unreadable bounds); any key value is assumed to fit")

    def _partition_bound(self, name: TableName, spec: exp.Expression | None) -> PartitionBound:
        if isinstance(spec, exp.PartitionBoundSpec):
            render = self._render_all
            if spec.args.get("from_expressions") is not None:
                return PartitionBound(name=name, lower=render(spec.args["from_expressions"]),
                                      upper=render(spec.args.get("to_expressions") or []))
            if isinstance(spec.this, list):
                return PartitionBound(name=name, values=render(spec.this))
            return PartitionBound(name=name)  # HASH (MODULUS m, REMAINDER r): any value fits some partition
        return PartitionBound(name=name, is_default=True)

    def _render_all(self, nodes: list[exp.Expression]) -> tuple[str, ...]:
        return tuple(n.sql(self.dialect) for n in nodes)

    def _mark_declared_integers(self, table: TableDraft, t: Tokens) -> None:
        # sqlglot reads INT and INTEGER alike, but only "INTEGER" makes a rowid alias: ask the tokens.
        integers = self.fix.declared_integer_columns(t)
        for column in table.columns:
            if column.data_type is not None and column.data_type.this == exp.DataType.Type.INT:
                column.declared_integer = column.name in integers

    # ------------------------------------------------------------------------------------- table elements

    def _table_element(self, table: TableDraft, element: exp.Expression, *, strict: bool) -> bool:
        """Add a column or constraint; returns False (or raises when ``strict``) for unknown constraint kinds."""
        if isinstance(element, exp.ColumnDef):
            self._add_column(table, element)
            return True
        if isinstance(element, exp.Identifier) and self.entry.read.untyped_columns:
            self._add_column(table, exp.ColumnDef(this=element))  # a column without a type
            return True
        if isinstance(element, exp.IndexColumnConstraint):
            return True  # MySQL KEY / INDEX / FULLTEXT / SPATIAL: not a constraint
        if isinstance(element, exp.Constraint):
            name = self.names.ident(element.this) if element.this else None
            return all(self._constraint(table, inner, name, strict=strict) for inner in element.expressions)
        return self._constraint(table, element, None, strict=strict)

    def _constraint(self, table: TableDraft, node: exp.Expression, name: str | None, *, strict: bool) -> bool:
        if isinstance(node, exp.PrimaryKey):
            self._set_primary_key(table, self._column_list(node.expressions), name)
        elif isinstance(node, exp.ForeignKey):
            table.foreign_keys.append(self._foreign_key(self._column_list(node.expressions),
                                                        node.args.get("reference"), name))
        elif isinstance(node, exp.UniqueColumnConstraint):
            self._unique_constraint(table, node, name)
        elif isinstance(node, exp.CheckColumnConstraint):
            table.checks.append(CheckDraft(name, node.this))
        elif isinstance(node, exp.ExcludeColumnConstraint):
            self._exclusion(table, node, name)
        elif strict:
            raise self.error(f"unsupported table constraint {node.key.upper()} on {table.name}")
        else:
            return False
        return True

    def _exclusion(self, table: TableDraft, node: exp.ExcludeColumnConstraint, name: str | None) -> None:
        """``EXCLUDE USING gist (k WITH =, ..., xrange(lower, upper[, bounds]) WITH &&)``: non-overlapping ranges
        per key, which the generator honours; any other form is reported as not honoured."""
        params = node.this
        items = params.args.get("columns") or [] if isinstance(params, exp.IndexParameters) else []
        equal: list[str] = []
        ranges: list[tuple[str, str, str, str]] = []
        for item in items:
            operator = str(item.args.get("op") or "").strip() if isinstance(item, exp.WithOperator) else ""
            target = item.this.this if isinstance(item, exp.WithOperator) and isinstance(item.this, exp.Ordered) \
                else (item.this if isinstance(item, exp.WithOperator) else None)
            if operator == "=" and isinstance(target, exp.Column):
                equal.append(self.names.ident(target))
            elif operator == "&&" and (found := _range_of(target)) is not None:
                lower, upper, function, bounds = found
                ranges.append((self.names.ident(lower), self.names.ident(upper), function, bounds))
            else:
                ranges.append(("", "", "", ""))
        where = node.args.get("where") if isinstance(node, exp.ExcludeColumnConstraint) else None
        if len(ranges) != 1 or not ranges[0][0] or where is not None:
            self.draft.notes.append(f"line {self._line}: EXCLUDE constraint {name or ''} on {table.name} is not "
                                    "honoured (only 'key WITH =, ..., range(lower, upper) WITH &&' is); the database "
                                    "may refuse overlapping rows")
            return
        table.exclusions.append((name, tuple(equal), *ranges[0]))

    def _unique_constraint(self, table: TableDraft, node: exp.UniqueColumnConstraint, name: str | None) -> None:
        spec = node.this
        if not isinstance(spec, exp.Schema) or not spec.expressions:
            raise self.error(f"UNIQUE constraint without columns on {table.name}")
        if spec.this is not None and name is None:
            name = self.names.ident(spec.this)  # MySQL UNIQUE KEY name (cols)
        plain = [e for e in spec.expressions if not isinstance(e, exp.ColumnPrefix)]
        # MySQL UNIQUE (name(10)) makes the first 10 characters unique: a stronger rule than a unique column.
        prefixes = tuple(
            exp.Left(this=exp.column(self.names.ident(e.this)), expression=e.expression)
            for e in spec.expressions if isinstance(e, exp.ColumnPrefix)
        )
        if node.args.get("nulls"):
            self.draft.notes.append(f"line {self._line}: unique constraint {name or ''} on {table.name} treats NULLs "
                                    "as equal (NULLS NOT DISTINCT); the model records it as a plain unique constraint")
        table.uniques.append(UniqueDraft(columns=self._column_list(plain), name=name, expressions=prefixes))

    def _set_primary_key(self, table: TableDraft, columns: tuple[str, ...], name: str | None) -> None:
        if table.primary_key is not None and table.primary_key != columns:
            raise self.error(f"table {table.name} has two primary keys")
        table.primary_key, table.primary_key_name = columns, name or table.primary_key_name

    def _column_list(self, nodes: list[exp.Expression]) -> tuple[str, ...]:
        names = []
        for node in nodes:
            inner = node.this if isinstance(node, (exp.Ordered, exp.ColumnPrefix)) else node
            if isinstance(inner, (exp.Identifier, exp.Column)):
                names.append(self.names.ident(inner))
            else:
                raise self.error(f"expected a column name, found {inner.sql(self.dialect)}")
        return tuple(names)

    def _foreign_key(self, columns: tuple[str, ...], reference: exp.Expression | None,
                     name: str | None) -> ForeignKeyDraft:
        if not isinstance(reference, exp.Reference):
            raise self.error("FOREIGN KEY without REFERENCES")
        target = reference.this
        ref_columns: tuple[str, ...] | None = None
        if isinstance(target, exp.Schema):
            ref_columns = self._column_list(target.expressions) or None
            target = target.this
        fk = ForeignKeyDraft(columns=columns, ref_table=self.names.table(target), ref_columns=ref_columns, name=name)
        _apply_fk_options(fk, [str(o) for o in reference.args.get("options") or []])
        return fk

    def _part(self, part: NamePart) -> str:
        return part.text if part.quoted else self.names.ident(part.text)

    def _part_table(self, parts: tuple[NamePart, ...]) -> TableName:
        return TableName(self._part(parts[0]) if len(parts) > 1 else None, self._part(parts[-1]))

    def _simple_constraint(self, simple: SimpleConstraint) -> None:
        table = self._require_table(self._part_table(simple.table))
        name = self._part(simple.name)
        columns = tuple(self._part(p) for p in simple.columns)
        if simple.kind == "primary key":
            self._set_primary_key(table, columns, name)
        elif simple.kind == "unique":
            table.uniques.append(UniqueDraft(columns=columns, name=name))
        else:
            ref_columns = tuple(self._part(p) for p in simple.ref_columns) if simple.ref_columns else None
            fk = ForeignKeyDraft(columns=columns, ref_table=self._part_table(simple.ref_table),
                                 ref_columns=ref_columns, name=name)
            _apply_fk_options(fk, list(simple.options))
            table.foreign_keys.append(fk)

    def _add_column(self, table: TableDraft, definition: exp.ColumnDef, replace: bool = False) -> None:
        name = self.names.ident(definition.this)
        existing = self.draft.find_column(table, name)
        if existing is not None and not replace:
            raise self.error(f"column {name} of table {table.name} is declared twice")
        data_type = definition.args.get("kind")
        column = ColumnDraft(name=name, data_type=data_type if isinstance(data_type, exp.DataType) else None)
        if column.data_type is not None and is_serial(column.data_type):
            column.autoincrement = True
            column.nullable = False  # serial implies NOT NULL (PostgreSQL "Serial Types")
        if column.data_type is not None and column.data_type.this == exp.DataType.Type.ROWVERSION:
            column.generated = True  # T-SQL rowversion/timestamp: the server sets it, an INSERT may not
        for constraint in definition.constraints:
            self._column_constraint(table, column, constraint)
        if existing is not None:
            table.columns[table.columns.index(existing)] = column
        else:
            table.columns.append(column)

    def _column_constraint(self, table: TableDraft, column: ColumnDraft, constraint: exp.ColumnConstraint) -> None:
        kind = constraint.args.get("kind")
        name = self.names.ident(constraint.this) if constraint.this else None
        if isinstance(kind, exp.NotNullColumnConstraint):
            column.nullable = bool(kind.args.get("allow_null"))
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            self._set_primary_key(table, (column.name,), name)
        elif isinstance(kind, exp.UniqueColumnConstraint):
            table.uniques.append(UniqueDraft(columns=(column.name,), name=name))
        elif isinstance(kind, exp.DefaultColumnConstraint):
            self._set_default(column, kind.this)
        elif isinstance(kind, exp.AutoIncrementColumnConstraint):
            column.autoincrement = True
        elif isinstance(kind, exp.GeneratedAsIdentityColumnConstraint):
            if kind.args.get("expression") is not None:
                column.generated = True  # GENERATED ALWAYS AS (expr) in dialects that parse it this way
                column.generated_expression = kind.args["expression"]
            elif self.entry.read.identity_is_autoincrement:
                column.autoincrement = True  # T-SQL IDENTITY(seed, step)
                column.nullable = False  # identity columns are implicitly NOT NULL (T-SQL and PostgreSQL alike)
            else:
                column.identity = "always" if kind.this else "by_default"
                column.nullable = False
        elif isinstance(kind, exp.ComputedColumnConstraint):
            column.generated = True
            column.generated_expression = kind.this if isinstance(kind.this, exp.Expression) else None
        elif isinstance(kind, exp.CheckColumnConstraint):
            column.checks.append(CheckDraft(name, kind.this))
        elif isinstance(kind, exp.Reference):
            table.foreign_keys.append(self._foreign_key((column.name,), kind, name))
        elif isinstance(kind, exp.CommentColumnConstraint):
            column.comment = kind.this.name

    def _set_default(self, column: ColumnDraft, value: exp.Expression | None) -> None:
        if value is None or isinstance(_uncast(value), exp.Null):
            column.default = None  # DEFAULT NULL (or PostgreSQL's NULL::character varying) is no default
            return
        column.default = value.sql(self.dialect)
        if isinstance(value, exp.Anonymous) and value.name.lower() == "nextval" and value.expressions:
            # nextval('seq'::regclass), and the catalog's nextval(('seq'::text)::regclass)
            argument = _uncast(value.expressions[0])
            column.autoincrement = True
            column.sequence = argument.name if isinstance(argument, exp.Literal) else argument.sql(self.dialect)

    # ------------------------------------------------------------------------------------------ ALTER TABLE

    def _alter_table(self, text: str) -> None:
        if (simple := match_add_constraint(text)) is not None:
            self._simple_constraint(simple)
            return
        t = self.fix.tokens(text)
        command = self.fix.alter_command(t) if t is not None else None
        if isinstance(command, AttachPartition):
            self._attach_partition(command)
            return
        if isinstance(command, AddIdentity):
            self._add_identity(command)
            return
        if isinstance(command, DefaultFor):
            self._default_for(command)
            return
        adds_constraint = _ADDS_CONSTRAINT.search(text) is not None
        tokens = self.fix.identity_options(t) if t is not None else None
        tree, problem = self._parse(text, tokens=tokens)
        if not isinstance(tree, exp.Alter) or (tree.args.get("kind") or "").upper() != "TABLE":
            if adds_constraint:
                raise self.error(f"cannot parse ALTER TABLE ... ADD CONSTRAINT ({problem or 'unsupported form'})")
            head = self.fix.alter_table_name(t) if t is not None else None
            if head is not None and self.draft.find_table(self._table_node_name(head)) is None:
                return  # e.g. ALTER TABLE view ALTER COLUMN ... SET DEFAULT
            if head is not None and self._alter_command_form(self._require_table(self._table_node_name(head)), text):
                return
            # a statement that changes a table the model holds must be understood, never skipped
            raise self.error(f"cannot understand this ALTER TABLE ({problem or 'sqlglot does not read this form'})")
        table = self.draft.find_table(self.names.table(tree.this))
        if table is None:
            if adds_constraint:
                raise self.error(f"table {self.names.table(tree.this)} is not created before this statement")
            return  # e.g. ALTER TABLE view ALTER COLUMN ... SET DEFAULT
        for action in tree.args.get("actions") or []:
            self._alter_action(table, action)

    def _alter_action(self, table: TableDraft, action: exp.Expression) -> None:
        if isinstance(action, (exp.AddConstraint, exp.Schema)):  # Schema: Oracle's ADD (constraint, column, ...)
            for element in action.expressions:
                if not self._table_element(table, element, strict=False):
                    raise self.error(f"unsupported constraint {element.key.upper()} added to {table.name}")
        elif isinstance(action, exp.ColumnDef):
            exists = self.draft.find_column(table, self.names.ident(action.this)) is not None
            if not (exists and action.args.get("exists")):  # ADD COLUMN IF NOT EXISTS of an existing column
                self._add_column(table, action)
        elif isinstance(action, exp.ModifyColumn) and isinstance(action.this, exp.ColumnDef):
            self._add_column(table, action.this, replace=True)
        elif isinstance(action, exp.AlterColumn):
            column = self.draft.find_column(table, self.names.ident(action.this))
            if column is None:
                raise self.error(f"table {table.name} has no column {self.names.ident(action.this)}")
            if action.args.get("default") is not None:
                self._set_default(column, action.args["default"])
            elif action.args.get("drop") and action.args.get("allow_null") is None:
                column.default = None
            if action.args.get("allow_null") is not None:
                column.nullable = bool(action.args["allow_null"])
            if isinstance(action.args.get("dtype"), exp.DataType):
                column.data_type = action.args["dtype"]
                if is_serial(column.data_type):
                    column.autoincrement = True
        elif isinstance(action, exp.AlterRename) and isinstance(action.this, exp.Table):
            rename_table(self.draft, table, self.names.ident(action.this.this))
        elif isinstance(action, exp.RenameColumn):
            old, new = self.names.ident(action.this), self.names.ident(action.args.get("to"))
            if not rename_column(self.draft, table, old, new) and not action.args.get("exists"):
                raise self.error(f"table {table.name} has no column {old}")
        elif isinstance(action, exp.DropPrimaryKey):
            table.primary_key, table.primary_key_name = None, None
        elif isinstance(action, exp.RenameIndex):
            old_name, new_name = self.names.ident(action.this), self.names.ident(action.args.get("to"))
            for unique in table.uniques:
                if self.names.key(unique.name) == self.names.key(old_name):
                    unique.name = new_name
        elif isinstance(action, exp.Drop) and (action.args.get("kind") or "").upper() in (
                "COLUMN", "CONSTRAINT", "INDEX", "KEY", "FOREIGN KEY", "CHECK"):
            kind = action.args["kind"].upper()
            for target in action.args.get("tables") or []:
                name = self.names.ident(target)
                if kind == "COLUMN":
                    if not drop_column(self.draft, table, name) and not action.args.get("exists"):
                        raise self.error(f"table {table.name} has no column {name}")
                elif kind in ("INDEX", "KEY"):  # MySQL: a unique index by that name goes; a plain one is no fact
                    table.uniques = [u for u in table.uniques if self.names.key(u.name) != self.names.key(name)]
                elif not drop_constraint(self.draft, table, name) and not action.args.get("exists"):
                    # an EXCLUDE or NOT NULL constraint the model does not hold: nothing to drop, but say so
                    self.draft.notes.append(f"line {self._line}: DROP CONSTRAINT {name} on {table.name}: no such "
                                            "constraint in the model, nothing dropped")
        elif not self._alter_command_form(table, self._text):
            raise self.error(f"cannot understand this ALTER TABLE action on {table.name}: "
                             f"{action.sql(self.dialect)[:80]}")

    def _insert(self, text: str) -> None:
        """Keep the literal rows of an ``INSERT ... VALUES`` into a table of the script (bootstrap rows)."""
        tree, problem = self._parse(text)
        if not isinstance(tree, exp.Insert):
            raise self.error(f"cannot parse INSERT ({problem or 'unsupported form'})")
        target = tree.this
        table_node = target.this if isinstance(target, exp.Schema) else target
        if not isinstance(table_node, exp.Table):
            return
        table = self.draft.find_table(self.names.table(table_node))
        if table is None:
            return  # a virtual table, a view, a table of another script
        rows = values_rows(tree)
        if rows is None:
            self.draft.notes.append(f"line {self._line}: the rows INSERT ... SELECT puts into {table.name} are not "
                                    "known to seeder (it does not run queries); new keys may collide with them")
            return
        columns = (tuple(self.names.ident(c) for c in target.expressions) if isinstance(target, exp.Schema)
                   else tuple(c.name for c in table.columns if not c.generated))
        if any(len(row) != len(columns) for row in rows):
            raise self.error(f"INSERT into {table.name}: a row has not one value per column")
        self.draft.inserted.append((table, columns, rows, self._line))

    def _alter_command_form(self, table: TableDraft, text: str) -> bool:
        """ALTER TABLE forms sqlglot returns as a command that seeder understands from their words: PostgreSQL
        ``ALTER COLUMN c DROP IDENTITY / DROP EXPRESSION``, ``DETACH PARTITION p``, ``[NO] INHERIT p``, Oracle ``DROP
        (c, ...)``. True when the statement was one of them."""
        rest = _ALTER_TARGET.sub("", text, count=1)
        if (m := _DROP_IDENTITY.match(rest)) is not None:
            column = self.draft.find_column(table, self.names.ident(_unquoted(m["column"])))
            if column is None:
                raise self.error(f"table {table.name} has no column {m['column']}")
            if m["what"].upper() == "IDENTITY":
                column.identity = None
            else:
                column.generated, column.generated_expression = False, None
            return True
        if (m := _DETACH.match(rest)) is not None:
            child = self._require_table(self._table_node_name(m["name"]))
            child.partition_of, child.partition_bound = None, None
            child.columns = child.columns or [c.copy() for c in table.columns]
            return True
        if (m := _NO_INHERIT.match(rest)) is not None:
            parent = self._require_table(self._table_node_name(m["name"]))
            table.inherits = [p for p in table.inherits if self.draft.find_table(p, table.name.schema) is not parent]
            return True
        if (m := _INHERIT.match(rest)) is not None:
            table.inherits.append(self._require_table(self._table_node_name(m["name"])).name)
            return True
        if (m := _DROP_LIST.match(rest)) is not None:
            for name in re.split(r"\s*,\s*", m["columns"].strip()):
                if not drop_column(self.draft, table, self.names.ident(_unquoted(name))):
                    raise self.error(f"table {table.name} has no column {name}")
            return True
        return False

    def _drop_table(self, text: str) -> None:
        tree, problem = self._parse(text)
        if not isinstance(tree, exp.Drop) or (tree.args.get("kind") or "").upper() != "TABLE":
            raise self.error(f"cannot parse DROP TABLE ({problem or 'unsupported form'})")
        targets = tree.args.get("tables") or ([tree.this] if tree.this is not None else [])
        for target in targets:
            if isinstance(target, exp.Table) and (table := self.draft.find_table(self.names.table(target))):
                drop_table(self.draft, table)

    def _rename_tables(self, pairs: str) -> None:
        """``RENAME TABLE a TO b, c TO d`` (MySQL), applied left to right; a table not in the script is an error."""
        matches = list(_RENAME_PAIR.finditer(pairs))
        if not matches or "".join(m.group(0) for m in matches).strip() != pairs.strip():
            raise self.error("cannot parse RENAME TABLE")
        for m in matches:
            table = self._require_table(self._table_node_name(m["old"]))
            rename_table(self.draft, table, self._table_node_name(m["new"]).name)

    def _drop_types(self, what: str, names: str) -> None:
        """``DROP TYPE`` / ``DROP DOMAIN``: forget the enums, composites or domains named (missing ones: no-ops)."""
        for part in re.split(r"\s*,\s*", names.strip()):
            if not part:
                continue
            name = self._table_node_name(part)
            key = self.names.key(name.name)

            def gone(item: EnumType | CompositeDraft | DomainDraft, key: str | None = key,
                     schema: str | None = name.schema) -> bool:
                return self.names.key(item.name) == key and (schema is None or self.names.key(item.schema) ==
                                                              self.names.key(schema))
            if what == "DOMAIN":
                self.draft.domains = [d for d in self.draft.domains if not gone(d)]
            else:
                self.draft.enums = [e for e in self.draft.enums if not gone(e)]
                self.draft.composites = [c for c in self.draft.composites if not gone(c)]

    def _alter_type(self, text: str) -> None:
        """``ALTER TYPE enum ADD VALUE [IF NOT EXISTS] 'x' [BEFORE|AFTER 'y']`` / ``RENAME VALUE 'a' TO 'b'``; any
        other change to an enum is an error; changes to types the model does not hold (composites) are noted."""
        t = self.fix.tokens(text)
        change = self.fix.alter_type(t) if t is not None else None
        if change is None:
            raise self.error("cannot parse ALTER TYPE")
        name = self._table_node_name(change.name)
        key = self.names.key(name.name)
        enums = [e for e in self.draft.enums if self.names.key(e.name) == key]
        enum = resolve_by_schema(enums, lambda e: e.schema, name.schema, self.draft.current_schema,
                                 self.draft.rules, self.names)
        if enum is None:
            composites = [c for c in self.draft.composites if self.names.key(c.name) == key]
            composite = resolve_by_schema(composites, lambda c: c.schema, name.schema, self.draft.current_schema,
                                          self.draft.rules, self.names)
            if composite is not None:
                self._alter_composite(composite, change.rest)
                return
            self.draft.notes.append(f"line {self._line}: ALTER TYPE {name} skipped: not a type of this script")
            return
        if change.add is None and change.rename is None:
            if re.match(r"OWNER\s+TO\b", change.rest, _I):
                return
            raise self.error(f"cannot understand this ALTER TYPE of enum {enum.name}")
        problem = alter_enum(self.draft, enum, add=change.add, before=change.before, after=change.after,
                             rename=change.rename)
        if problem is not None:
            raise self.error(problem)

    def _search_path(self, items: str) -> None:
        """The first schema of a ``search_path`` (skipping ``"$user"`` and ``pg_catalog``) receives unqualified
        CREATEs; the dialect's default schema, or an empty path, means unqualified names stay unqualified."""
        first: str | None = None
        for m in _PATH_ITEM.finditer(items):
            quoted, plain, literal = m.groups()
            if literal is not None:  # SET search_path = 'a, b' is also accepted by PostgreSQL
                self._search_path(literal)
                return
            name = quoted.replace('""', '"') if quoted is not None else self.names.ident(plain)
            if name in ("$user", "pg_catalog") or (plain is not None and plain.upper() == "DEFAULT"):
                continue
            if name not in self.draft.search_path:
                self.draft.search_path.append(name)
            first = name if first is None else first
        default = self.draft.rules.default_schema
        at_default = first is None or (default is not None and self.names.key(first) == self.names.key(default))
        self.draft.current_schema = None if at_default else first

    def _default_for(self, default_for: DefaultFor) -> None:
        table = self._require_table(self._table_node_name(default_for.table))
        column_name = self.names.ident(exp.to_column(default_for.column, dialect=self.read_dialect))
        column = self.draft.find_column(table, column_name)
        if column is None:
            raise self.error(f"table {table.name} has no column {column_name}")
        tree, problem = self._parse(f"SELECT {default_for.value}", source_text=False)
        if not isinstance(tree, exp.Select) or len(tree.expressions) != 1:
            raise self.error(f"cannot parse the DEFAULT value ({problem or 'unsupported form'})")
        value = tree.expressions[0]
        while isinstance(value, exp.Paren):  # DEFAULT (getdate()): the parentheses are T-SQL's habit, not meaning
            value = value.this
        self._set_default(column, value)

    def _attach_partition(self, command: AttachPartition) -> None:
        child_text, parent_text = command.child, command.table
        tree, problem = self._parse(f"CREATE TABLE {child_text} PARTITION OF {parent_text} {command.bound}",
                                    source_text=False)
        prop = tree.find(exp.PartitionedOfProperty) if tree is not None else None
        if prop is None:
            raise self.error(f"cannot parse ATTACH PARTITION ({problem or 'unsupported bound'})")
        parent = self._require_table(self.names.table(prop.this))
        child = self._require_table(self._table_node_name(child_text))
        child.partition_of = parent.name
        child.partition_bound = self._partition_bound(child.name, prop.expression)

    def _add_identity(self, command: AddIdentity) -> None:
        table = self.draft.find_table(self._table_node_name(command.table))
        if table is None:
            return
        column_name = self.names.ident(exp.to_column(command.column, dialect=self.read_dialect))
        column = self.draft.find_column(table, column_name)
        if column is None:
            raise self.error(f"table {table.name} has no column {column_name}")
        column.identity = "always" if command.always else "by_default"
        column.nullable = False
        if command.sequence:
            column.sequence = command.sequence

    # --------------------------------------------------------------------------------- other statements

    def _unique_index(self, text: str) -> None:
        t = self.fix.tokens(text)
        tokens, nulls_not_distinct = self.fix.unique_index(t) if t is not None else (None, False)
        tree = self._expect(*self._parse(text, tokens=tokens), "CREATE UNIQUE INDEX", exp.Create)
        index = tree.this
        if not isinstance(index, exp.Index) or not isinstance(index.args.get("table"), exp.Table):
            raise self.error("cannot parse CREATE UNIQUE INDEX (no table)")
        table = self.draft.find_table(self.names.table(index.args["table"]))
        if table is None:
            return  # an index on a materialized view or another non-table
        if nulls_not_distinct:
            self.draft.notes.append(f"line {self._line}: unique index {self.names.ident(index.this)} on {table.name} "
                                    "treats NULLs as equal (NULLS NOT DISTINCT); the model records it as a plain "
                                    "unique index")
        params = index.args.get("params")
        columns: list[str] = []
        expressions: list[exp.Expression] = []
        for item in (params.args.get("columns") or []) if params else []:
            node = item.this if isinstance(item, exp.Ordered) else item
            while isinstance(node, (exp.Opclass, exp.Collate)):  # operator class / collation: same values
                node = node.this
            if isinstance(node, exp.Paren) and isinstance(node.this, exp.Column):
                node = node.this
            if isinstance(node, exp.Column):
                columns.append(self.names.ident(node))
            else:
                expressions.append(node)
        where = params.args.get("where") if params else None
        table.uniques.append(UniqueDraft(
            columns=tuple(columns), name=self.names.ident(index.this) if index.this else None,
            expressions=tuple(expressions), where=where.this if isinstance(where, exp.Where) else None,
        ))

    def _enum(self, text: str) -> None:
        tree, problem = self._parse(text)
        data_type = tree.expression if isinstance(tree, exp.Create) else None
        if not isinstance(data_type, exp.DataType) or data_type.this != exp.DataType.Type.ENUM:
            raise self.error(f"cannot parse CREATE TYPE ... AS ENUM ({problem or 'unsupported form'})")
        name = self._created(self.names.table(tree.this))
        labels = tuple(e.name for e in data_type.expressions if isinstance(e, exp.Literal))
        self.draft.enums.append(EnumType(name=name.name, values=labels, schema=name.schema))

    def _attribute_type(self, definition: str) -> exp.DataType:
        """The type of one ``name type`` attribute definition (parsed as a column definition)."""
        tree, problem = self._parse(f"CREATE TABLE seeder_type ({definition})", source_text=False)
        column = tree.this.expressions[0] if isinstance(tree, exp.Create) and isinstance(
            tree.this, exp.Schema) and tree.this.expressions else None
        if not isinstance(column, exp.ColumnDef) or not isinstance(column.args.get("kind"), exp.DataType):
            raise self.error(f"cannot parse the attribute {definition!r} ({problem or 'unsupported form'})")
        return column.args["kind"]

    def _composite(self, text: str) -> None:
        """``CREATE TYPE name AS (attribute type, ...)``: a composite type, read like a table's columns."""
        t = self.fix.tokens(text)
        i = t.match(0, "CREATE TYPE") if t is not None else None
        j = t.name(i) if t is not None and i is not None else None
        k = t.match(j, "AS") if t is not None and j is not None else None
        end = t.close_paren(k) if t is not None and k is not None else None
        if t is None or j is None or end is None:
            raise self.error("cannot parse CREATE TYPE ... AS (...)")
        tree, problem = self._parse(f"CREATE TABLE seeder_type {t.source(k, end + 1)}", source_text=False)
        if not isinstance(tree, exp.Create) or not isinstance(tree.this, exp.Schema):
            raise self.error(f"cannot parse CREATE TYPE ... AS (...) ({problem or 'unsupported form'})")
        name = self._created(self._table_node_name(t.source(i, j)))
        attributes = [(self.names.ident(c.this), c.args["kind"]) for c in tree.this.expressions
                      if isinstance(c, exp.ColumnDef) and isinstance(c.args.get("kind"), exp.DataType)]
        self.draft.composites.append(CompositeDraft(name=name.name, schema=name.schema, attributes=attributes))

    def _alter_composite(self, composite: CompositeDraft, rest: str) -> None:
        """``ADD`` / ``DROP`` / ``RENAME`` / ``ALTER ATTRIBUTE`` of a composite type (comma lists one by one)."""
        if re.match(r"OWNER\s+TO\b", rest, _I):
            return
        m = _ATTRIBUTE_CHANGE.match(rest)
        if m is None:
            raise self.error(f"cannot understand this ALTER TYPE of composite type {composite.name}")
        name = self.names.ident(m["name"][1:-1].replace('""', '"') if m["name"].startswith('"') else m["name"])
        keys = [self.names.key(a) for a, _ in composite.attributes]
        at = keys.index(self.names.key(name)) if self.names.key(name) in keys else None
        verb = m["verb"].upper()
        if verb == "ADD":
            composite.attributes.append((name, self._attribute_type(f"seeder_value {m['type']}")))
        elif at is None:
            if "IF" not in rest.upper().split()[:4]:
                raise self.error(f"composite type {composite.name} has no attribute {name}")
        elif verb == "DROP":
            del composite.attributes[at]
        elif verb == "RENAME" and m["to"]:
            to = m["to"]
            composite.attributes[at] = (self.names.ident(to[1:-1].replace('""', '"') if to.startswith('"') else to),
                                        composite.attributes[at][1])
        elif verb == "ALTER" and m["type"]:
            composite.attributes[at] = (composite.attributes[at][0],
                                        self._attribute_type(f"seeder_value {m['type']}"))
        else:
            raise self.error(f"cannot understand this ALTER TYPE of composite type {composite.name}")

    def _alter_domain(self, name_text: str, rest: str) -> None:
        """``ALTER DOMAIN d SET|DROP NOT NULL``, ``SET|DROP DEFAULT``, ``ADD [CONSTRAINT n] CHECK (...)``, ``DROP
        CONSTRAINT n``; ownership, validation and renames of constraints change nothing the model holds."""
        name = self._table_node_name(name_text)
        key = self.names.key(name.name)
        domains = [d for d in self.draft.domains if self.names.key(d.name) == key]
        domain = resolve_by_schema(domains, lambda d: d.schema, name.schema, self.draft.current_schema,
                                   self.draft.rules, self.names)
        if domain is None:
            self.draft.notes.append(f"line {self._line}: ALTER DOMAIN {name} skipped: not a domain of this script")
            return
        words = rest.upper().split()
        if words[:3] == ["SET", "NOT", "NULL"] or words[:3] == ["DROP", "NOT", "NULL"]:
            domain.nullable = words[0] == "DROP"
        elif words[:2] == ["DROP", "DEFAULT"]:
            domain.default = None
        elif words[:2] == ["SET", "DEFAULT"]:
            column = ColumnDraft(name="VALUE", data_type=domain.data_type)
            tree, problem = self._parse(f"SELECT {rest.split(None, 2)[2]}", source_text=False)
            if not isinstance(tree, exp.Select) or len(tree.expressions) != 1:
                raise self.error(f"cannot parse the domain's DEFAULT ({problem or 'unsupported form'})")
            self._set_default(column, tree.expressions[0])
            domain.default = column.default
        elif words[:1] == ["ADD"]:
            tree, problem = self._parse(f"CREATE TABLE seeder_domain (seeder_value int {rest.split(None, 1)[1]})",
                                        source_text=False)
            definition = tree.find(exp.ColumnDef) if tree is not None else None
            checks = [c for c in definition.constraints if isinstance(c.args.get("kind"), exp.CheckColumnConstraint)] \
                if definition is not None else []
            if not checks:
                raise self.error(f"cannot understand this ALTER DOMAIN ({problem or 'only CHECK can be added'})")
            for c in checks:
                domain.checks.append(CheckDraft(self.names.ident(c.this) if c.this else None, c.args["kind"].this))
        elif words[:2] == ["DROP", "CONSTRAINT"]:
            parts = rest.split()
            target = parts[4] if words[2:4] == ["IF", "EXISTS"] else parts[2]
            target = self.names.ident(target[1:-1] if target.startswith('"') else target)
            kept = [c for c in domain.checks if self.names.key(c.name) != self.names.key(target)]
            if len(kept) == len(domain.checks) and words[2:4] != ["IF", "EXISTS"]:
                raise self.error(f"domain {domain.name} has no constraint {target}")
            domain.checks = kept
        elif not (words[:2] == ["OWNER", "TO"] or words[:2] == ["VALIDATE", "CONSTRAINT"]
                  or words[:2] == ["RENAME", "CONSTRAINT"]):
            raise self.error(f"cannot understand this ALTER DOMAIN of {domain.name}")

    def _domain(self, text: str) -> None:
        t = self.fix.tokens(text)
        command = self.fix.domain(t) if t is not None else None
        if command is None:
            raise self.error("cannot parse CREATE DOMAIN")
        # A domain's type and constraints are written exactly like a column definition: parse them as one.
        tree, problem = self._parse(f"CREATE TABLE seeder_domain (seeder_value {command.rest})",
                                    source_text=False)
        definition = tree.this.expressions[0] if isinstance(tree, exp.Create) and isinstance(
            tree.this, exp.Schema) and tree.this.expressions else None
        if not isinstance(definition, exp.ColumnDef) or not isinstance(definition.args.get("kind"), exp.DataType):
            raise self.error(f"cannot parse CREATE DOMAIN ({problem or 'unsupported form'})")
        name = self._created(self._table_node_name(command.name))
        column = ColumnDraft(name="VALUE", data_type=definition.args["kind"])
        scratch = TableDraft(name=name, line=self._line)
        for constraint in definition.constraints:
            self._column_constraint(scratch, column, constraint)
        self.draft.domains.append(DomainDraft(
            name=name.name, schema=name.schema, data_type=definition.args["kind"], nullable=column.nullable,
            default=column.default, checks=column.checks,
        ))

    def _comment(self, text: str) -> None:
        tree, _ = self._parse(text)
        if not isinstance(tree, exp.Comment) or not isinstance(tree.expression, exp.Literal):
            return
        kind = (tree.args.get("kind") or "").upper()
        target = tree.this
        if kind == "TABLE" and isinstance(target, exp.Table):
            table = self.draft.find_table(self.names.table(target))
            if table is not None:
                table.comment = tree.expression.name
        elif kind == "COLUMN" and isinstance(target, exp.Column) and target.args.get("table") is not None:
            schema = target.args.get("db")
            ref = TableName(self.names.ident(schema) if schema is not None else None,
                            self.names.ident(target.args["table"]))
            table = self.draft.find_table(ref)
            column = self.draft.find_column(table, self.names.ident(target)) if table else None
            if column is not None:
                column.comment = tree.expression.name


_TOKEN_REPR = re.compile(r"<Token token_type: [^,]*, text: ([^,]*),[^>]*>")


def _range_of(node: exp.Expression | None) -> tuple[exp.Column, exp.Column, str, str] | None:
    """``xrange(lower, upper[, 'bounds'])`` over two columns (each maybe cast, the upper maybe ``COALESCE(col,
    constant)`` for an open end): ``(lower column, upper column, function, bounds)``, else ``None``."""
    if not isinstance(node, exp.Anonymous) or not str(node.this).lower().endswith("range"):
        return None
    args = node.expressions
    if len(args) not in (2, 3):
        return None

    def column(arg: exp.Expression) -> exp.Column | None:
        arg = _uncast(arg)
        if isinstance(arg, exp.Coalesce):
            arg = _uncast(arg.this)
        return arg if isinstance(arg, exp.Column) else None

    lower, upper = column(args[0]), column(args[1])
    bounds = _uncast(args[2]) if len(args) == 3 else exp.Literal.string("[)")
    if lower is None or upper is None or not (isinstance(bounds, exp.Literal) and bounds.is_string):
        return None
    return lower, upper, str(node.this).lower(), bounds.this


def _unquoted(name: str) -> str:
    """A name as written without its double quotes (the folding of the unquoted ones is the caller's)."""
    return name[1:-1].replace('""', '"') if name.startswith('"') and name.endswith('"') else name


def _uncast(node: exp.Expression) -> exp.Expression:
    """``node`` without the casts and parentheses around it (``(('seq'::text))::regclass`` -> ``'seq'``)."""
    while isinstance(node, (exp.Cast, exp.Paren)):
        node = node.this
    return node


def _token_text(m: re.Match[str]) -> str:
    """sqlglot names tokens by their repr in messages; show the token's text (or "end of statement") instead."""
    return "end of statement" if m.group(1) == "SENTINEL" else repr(m.group(1))


def _apply_fk_options(fk: ForeignKeyDraft, options: list[str]) -> None:
    """Set actions and deferrability from option texts like ``ON DELETE SET NULL`` or ``INITIALLY DEFERRED``."""
    for option in options:
        words = " ".join(option.upper().split())
        if words.startswith("ON DELETE "):
            fk.on_delete = words[len("ON DELETE "):]
        elif words.startswith("ON UPDATE "):
            fk.on_update = words[len("ON UPDATE "):]
        elif words == "DEFERRABLE":
            fk.deferrable = True
        elif words == "NOT DEFERRABLE":
            fk.deferrable = False
        elif words == "INITIALLY DEFERRED":
            fk.initially_deferred = fk.deferrable = True  # INITIALLY DEFERRED implies DEFERRABLE


def silence_sqlglot() -> Callable[[], None]:
    """Raise the ``sqlglot`` logger's level to ERROR (its "unsupported syntax, falling back to Command" warnings are
    expected for the statements the work-arounds read); returns a function restoring the previous level."""
    import logging

    logger = logging.getLogger("sqlglot")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    return lambda: logger.setLevel(previous)
