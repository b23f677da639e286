"""The schema model: plain frozen dataclasses describing tables, columns and constraints.

This module does no I/O and knows nothing about where a schema came from (DDL text, a live database, SQLAlchemy
metadata). Readers build it; the planner, the generators and the sinks consume it.

Conventions every reader must follow, so that later stages can compare names with ``==``:

* Identifiers are stored as the database sees them: an unquoted PostgreSQL identifier is folded to lower case,
  quoted identifiers keep their case, MySQL/SQLite names keep the case they were written with.
* Every :class:`ForeignKey` has ``ref_table`` equal to the :attr:`Table.name` of a table in the same schema and
  ``ref_columns`` filled in (an FK written without a column list targets the referenced table's primary key).
* Domain types are resolved: a column of a domain has the domain's base type in ``type``, the domain's name in
  ``domain``, and the domain's CHECKs (rewritten from ``VALUE`` to the column) in ``checks``.
* CHECK expressions are sqlglot expressions in which columns appear as unqualified ``exp.Column`` nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlglot import exp

#: The normalised column type kinds the generators and sinks understand. ``other`` covers anything else (extension
#: types, unknown names); values for it are only written when the column has a default or is nullable.
TypeKind = Literal[
    "smallint", "integer", "bigint", "decimal", "float", "double",
    "char", "varchar", "text", "boolean",
    "date", "time", "timestamp", "timestamptz", "interval",
    "uuid", "json", "jsonb", "bytes", "inet", "cidr", "macaddr",
    "enum", "set", "array", "money", "xml", "bit", "tsvector", "other",
]


@dataclass(frozen=True, order=True)
class TableName:
    """A possibly schema-qualified table name. ``str()`` gives ``schema.name`` (unquoted, for messages)."""

    schema: str | None
    name: str

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


@dataclass(frozen=True)
class ColumnType:
    """A column's type.

    Attributes:
        kind: normalised kind, see :data:`TypeKind`.
        sql: the type as written in the source, rendered in the source dialect (e.g. ``varchar(40)``), used in
            messages and when the type must be named again (casts, DDL for the same dialect).
        length: maximum length for char/varchar/bit/bytes types, ``None`` when unbounded.
        precision, scale: for ``decimal`` (digits in total, digits after the point); ``None`` when unspecified.
        unsigned: MySQL ``UNSIGNED`` integers/decimals.
        values: the labels of an ``enum`` or ``set`` type, in declaration order.
        name: the user-defined type's name for enums (PostgreSQL ``CREATE TYPE``), ``None`` for inline MySQL enums.
        element: the element type of an ``array``.
        attributes: the ``(name, type)`` fields of a composite type (PostgreSQL ``CREATE TYPE t AS (...)``, kind
            ``other``); values are its row literal text, ``(1,"text")``.
        checks: CHECKs every value of this type must pass, written over a column named ``VALUE``: the domain
            CHECKs of an array's element type (``custom_domain[]``).
    """

    kind: TypeKind
    sql: str
    length: int | None = None
    precision: int | None = None
    scale: int | None = None
    unsigned: bool = False
    values: tuple[str, ...] = ()
    name: str | None = None
    element: ColumnType | None = None
    attributes: tuple[tuple[str, ColumnType], ...] = ()
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class Check:
    """A CHECK constraint. ``expression`` is the sqlglot expression; ``sql`` its text in the source dialect."""

    name: str | None
    expression: exp.Expression
    sql: str


@dataclass(frozen=True)
class Column:
    """A table column.

    Attributes:
        name: the column name.
        type: its :class:`ColumnType` (a domain's base type for domain columns).
        nullable: False for NOT NULL columns, primary-key columns and NOT NULL domains.
        default: the DEFAULT expression as SQL text in the source dialect, or ``None``.
        identity: ``"always"`` / ``"by_default"`` for SQL-standard identity columns, else ``None``.
        autoincrement: True for serial/bigserial, ``nextval()`` defaults, MySQL AUTO_INCREMENT, T-SQL IDENTITY and
            SQLite rowid-alias (``INTEGER PRIMARY KEY``) columns: the database can number them itself.
        sequence: the sequence behind a ``nextval('...')`` default, as written, if any.
        generated: True for computed (``GENERATED ALWAYS AS (...)``) columns, which are never written.
        domain: the name of the domain type the column was declared with, if any.
        checks: CHECKs that involve only this column (from the column definition or its domain).
        comment: the column comment, if the source has one.
    """

    name: str
    type: ColumnType
    nullable: bool = True
    default: str | None = None
    identity: Literal["always", "by_default"] | None = None
    autoincrement: bool = False
    sequence: str | None = None
    generated: bool = False
    domain: str | None = None
    checks: tuple[Check, ...] = ()
    comment: str | None = None


@dataclass(frozen=True)
class PrimaryKey:
    """A primary key over ``columns`` (in key order)."""

    columns: tuple[str, ...]
    name: str | None = None


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key ``columns`` -> ``ref_table(ref_columns)``, column lists of equal length and matching order.

    ``deferrable``/``initially_deferred`` follow the SQL standard clauses; ``on_delete``/``on_update`` hold the
    action text (``CASCADE``, ``SET NULL``, ...) or ``None``.
    """

    columns: tuple[str, ...]
    ref_table: TableName
    ref_columns: tuple[str, ...]
    name: str | None = None
    deferrable: bool = False
    initially_deferred: bool = False
    on_delete: str | None = None
    on_update: str | None = None


@dataclass(frozen=True)
class UniqueConstraint:
    """A UNIQUE constraint or unique index.

    ``columns`` are plain column names. ``expressions`` holds index expressions that are not plain columns
    (``lower(email)``), as sqlglot expressions; ``where`` the predicate of a partial unique index.
    """

    columns: tuple[str, ...]
    name: str | None = None
    expressions: tuple[exp.Expression, ...] = ()
    where: exp.Expression | None = None


@dataclass(frozen=True)
class PartitionBound:
    """One partition of a partitioned table: ``FROM (lower) TO (upper)`` or ``IN (values)``, as SQL literal text.

    ``is_default`` marks a DEFAULT partition (which accepts any value).
    """

    name: TableName
    lower: tuple[str, ...] = ()
    upper: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    is_default: bool = False


@dataclass(frozen=True)
class Partitioning:
    """How a table is partitioned: ``method`` (``range``/``list``/``hash``), key columns, and its partitions."""

    method: str
    columns: tuple[str, ...]
    partitions: tuple[PartitionBound, ...] = ()


@dataclass(frozen=True)
class Exclusion:
    """A PostgreSQL exclusion constraint seeder honours: ``EXCLUDE USING gist (k1 WITH =, ..., <range>(lower,
    upper[, 'bounds']) WITH &&)``: rows equal on ``columns`` must have non-overlapping ranges.

    Attributes:
        name: the constraint's name, if declared.
        columns: the ``WITH =`` columns (rows with a NULL there never conflict).
        lower, upper: the columns the range is built from (an open end, ``COALESCE(upper, 'infinity')``, is NULL).
        function: the range constructor (``daterange``, ``tsrange``, ``int4range``, ...), lower-case; ``daterange``
            compares whole days.
        bounds: the bounds argument (``'[)'`` when not given).
    """

    name: str | None
    columns: tuple[str, ...]
    lower: str
    upper: str
    function: str
    bounds: str = "[)"


@dataclass(frozen=True)
class Table:
    """A base table.

    ``partition_of`` names the parent when this table is a partition (its rows go in through the parent);
    ``inherits`` lists PostgreSQL ``INHERITS`` parents (a child is seeded as a table of its own);
    ``exclusions`` the ``EXCLUDE`` constraints seeder honours (non-overlapping ranges per key).
    """

    name: TableName
    columns: tuple[Column, ...]
    primary_key: PrimaryKey | None = None
    foreign_keys: tuple[ForeignKey, ...] = ()
    uniques: tuple[UniqueConstraint, ...] = ()
    checks: tuple[Check, ...] = ()
    partitioning: Partitioning | None = None
    partition_of: TableName | None = None
    inherits: tuple[TableName, ...] = ()
    comment: str | None = None
    exclusions: tuple[Exclusion, ...] = ()

    def column(self, name: str) -> Column:
        """Return the column called ``name``; raises ``KeyError`` if there is none."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True)
class EnumType:
    """A named enum type (PostgreSQL ``CREATE TYPE ... AS ENUM``)."""

    name: str
    values: tuple[str, ...]
    schema: str | None = None


@dataclass(frozen=True)
class Domain:
    """A domain (``CREATE DOMAIN``): a base type with optional NOT NULL, default and CHECKs over ``VALUE``."""

    name: str
    type: ColumnType
    nullable: bool = True
    default: str | None = None
    checks: tuple[Check, ...] = ()
    schema: str | None = None


@dataclass(frozen=True)
class TriggerFill:
    """An INSERT trigger on ``table`` whose body inserts rows into ``target`` (so ``target`` is filled by it)."""

    trigger: str
    table: TableName
    target: TableName


class _Unknown:
    """The value of an inserted cell the reader cannot evaluate (``now()``, an expression): it never equals a
    generated value and is never used as a key."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


#: See :class:`_Unknown`.
UNKNOWN: Any = _Unknown()


@dataclass(frozen=True)
class TriggerEquality:
    """An INSERT trigger of ``table`` that refuses a row unless ``column`` equals ``ref_column`` of the ``ref_table``
    row whose ``ref_key`` equals the row's ``via`` (Synapse: ``partial_state_events.room_id`` must be the room of
    the event ``event_id`` names)."""

    trigger: str
    table: TableName
    column: str
    via: str
    ref_table: TableName
    ref_key: str
    ref_column: str


@dataclass(frozen=True)
class InsertedRows:
    """Rows one ``INSERT ... VALUES`` of the DDL file itself puts into ``table`` (bootstrap rows: a schema version,
    a singleton lock row, settings).

    Attributes:
        table: the table.
        columns: the columns the statement names (all of the table's, in order, when it names none).
        rows: per row, one value per column: ``str``, ``int``, ``float``, ``decimal.Decimal``, ``bool``, ``None``,
            or :data:`UNKNOWN` for an expression the reader does not evaluate.
        line: where the statement starts in the file.
    """

    table: TableName
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    line: int = 0


@dataclass(frozen=True)
class Schema:
    """A whole schema: tables (in source order), named enums and domains, and the dialect it was read in.

    ``dialect`` is a sqlglot dialect name (``postgres``, ``mysql``, ``sqlite``, ``tsql``, ``oracle``) or ``""`` for
    sqlglot's default dialect.
    """

    tables: tuple[Table, ...]
    dialect: str
    enums: tuple[EnumType, ...] = ()
    domains: tuple[Domain, ...] = ()
    source: str | None = None
    notes: tuple[str, ...] = field(default=())
    trigger_fills: tuple[TriggerFill, ...] = ()
    #: Rows the DDL file itself inserts (``seeder.plan.inserted`` treats them as rows already in the tables).
    inserted: tuple[InsertedRows, ...] = ()
    #: Schemas the DDL file's own ``SET search_path`` statements named, in order (PostgreSQL); seeder's script and
    #: load put them on the path, so trigger functions written for that session find their tables and sequences.
    search_path: tuple[str, ...] = ()
    #: Trigger guards tying a column to a parent row's column (read from trigger bodies; see the planner).
    trigger_equalities: tuple[TriggerEquality, ...] = ()

    def table(self, name: TableName) -> Table:
        """Return the table called ``name``; raises ``KeyError`` if there is none."""
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(str(name))
