"""The rows a live database's tables already hold, asked through bounded queries (engine design, section 5).

:class:`DatabaseRows` answers :class:`~seeder.plan.existing.ExistingTable`'s questions for one table through the
live connection, never reading a table whole:

* ``row_count``: ``SELECT count(*)`` (all tables at once, in ``UNION ALL`` batches);
* ``key_sample(columns, k)``: ``SELECT DISTINCT columns ... WHERE columns IS NOT NULL ORDER BY columns LIMIT k``;
* ``max_value(column)``: ``SELECT max(column)``;
* ``taken(columns, candidates)``: ``SELECT columns ... WHERE (columns) IN (...)`` per batch of candidates.

Queries are built with SQLAlchemy Core (``table()``, ``tuple_().in_()``), which quotes names for the dialect and
sends values as bound parameters (a row-value ``IN`` list is written the way each database accepts it), and run in
autocommit mode, so no transaction stays open (and no lock is held) while the run generates its rows.

:class:`TableRows` holds one :class:`DatabaseRows` per table and runs their queries; its kinds differ only in how a
query reaches the database: :class:`ExistingRows` opens its own connection from a URL, :class:`ConnectionRows` asks
through a connection the caller holds (inside the caller's transaction, so rows it inserted count: the pytest
plugin's ``make()``), and the Django command's ``DjangoRows`` (:mod:`seeder.contrib.django.existing`) through Django's
connection.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import and_, bindparam, cast, func, literal_column, select, table, text, tuple_, union_all
from sqlalchemy import column as sa_column
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.expression import TableClause
from sqlalchemy.types import UserDefinedType

from seeder.dialects import DatabaseUrl, TargetDialect, database_url
from seeder.errors import DatabaseError
from seeder.schema import Schema, Table, TableName

#: Candidate tuples per ``IN`` list of :meth:`DatabaseRows.taken` (with two columns 4,000 parameters: well below
#: PostgreSQL's 65,535 and SQLite's 32,766).
TAKEN_BATCH = 2000
#: Column kinds other than character strings whose values are Python ``str`` (see :mod:`seeder.dataset`): compared
#: with a text parameter they need a cast on PostgreSQL.
_TEXT_VALUED = frozenset({"xml", "enum", "set", "inet", "cidr", "macaddr", "tsvector", "bit", "other"})
#: Tables counted per ``UNION ALL`` query.
COUNT_BATCH = 100
_Rows = TypeVar("_Rows", bound="TableRows")


class DatabaseRows:
    """:class:`~seeder.plan.existing.ExistingTable` of one table of a live database.

    Args:
        owner: the :class:`TableRows` that runs the queries.
        name: the table.
        row_count: its number of rows (counted by the owner).
    """

    def __init__(self, owner: TableRows, name: TableName, row_count: int, table: Table | None = None) -> None:
        self.owner = owner
        self.name = name
        self.row_count = row_count
        self.table = table

    def _table(self, columns: Iterable[str]) -> TableClause:
        schema = self.name.schema if self.owner.dialect.schema_qualified else None
        return table(self.name.name, *(sa_column(c) for c in columns), schema=schema)

    def key_sample(self, columns: tuple[str, ...], limit: int) -> list[tuple[Any, ...]]:
        """Up to ``limit`` distinct non-NULL tuples of ``columns``, the smallest first (``ORDER BY`` the columns)."""
        if not self.row_count or limit <= 0:
            return []
        t = self._table(columns)
        cols = [t.c[c] for c in columns]
        query = (select(*cols).distinct().where(and_(*(c.is_not(None) for c in cols))).order_by(*cols)
                 .limit(limit))
        return [tuple(row) for row in self.owner.run(query, f"sampling keys of {self.name}")]

    def max_value(self, column: str) -> Any | None:
        """``max(column)`` over the table, ``None`` when it is empty or the column is all NULL; for a column a
        sequence numbers (serial, identity), the sequence's last number when that is larger (rows deleted since, or
        numbers the application took), so new keys start past both."""
        top = None
        if self.row_count:
            t = self._table((column,))
            rows = self.owner.run(select(func.max(t.c[column])), f"reading the largest {column} of {self.name}")
            top = rows[0][0] if rows else None
        handed_out = self._sequence_position(column)
        if handed_out is not None and (top is None or handed_out > top):
            return handed_out
        return top

    def _sequence_position(self, column: str) -> int | None:
        dialect = self.owner.dialect
        template = dialect.live.sequence_position
        if template is None or self.table is None:
            return None
        col = next((c for c in self.table.columns if c.name == column), None)
        if col is None or not (col.autoincrement or col.identity):
            return None
        if col.sequence:
            sequence = dialect.quote_string(col.sequence)
        elif dialect.serial_sequence_sql:
            sequence = dialect.serial_sequence_sql.format(table=dialect.quote_string(dialect.qualify(self.name)),
                                                          column=dialect.quote_string(column))
        else:
            return None
        try:
            rows = self.owner.run_tolerated(text(template.format(sequence=sequence)),
                                            f"reading the sequence of {self.name}")
        except DatabaseError:
            return None  # no rights on the sequence: the largest key alone decides
        value = rows[0][0] if rows else None
        return int(value) if value is not None else None

    def count_where(self, values: dict[str, Any]) -> int:
        """How many rows hold every ``column = value`` of ``values`` (``SELECT count(*) ... WHERE ...``)."""
        if not self.row_count or not values:
            return self.row_count
        t = self._table(values)
        condition = and_(*(t.c[c] == _bound(v, self._cast_type(c)) for c, v in values.items()))
        rows = self.owner.run(select(func.count()).select_from(t).where(condition), f"counting rows of {self.name}")
        return int(rows[0][0]) if rows else 0

    def taken(self, columns: tuple[str, ...], candidates: Sequence[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
        """The tuples of ``candidates`` some row already holds (tuples with a NULL are never taken)."""
        if not self.row_count:
            return set()
        wanted = list(dict.fromkeys(c for c in candidates if not any(v is None for v in c)))
        if not wanted:
            return set()
        t = self._table(columns)
        cols = [t.c[c] for c in columns]
        casts = [self._cast_type(c) for c in columns]
        found: set[tuple[Any, ...]] = set()
        for start in range(0, len(wanted), TAKEN_BATCH):
            batch = wanted[start:start + TAKEN_BATCH]
            if any(casts):  # text compared with an inet or enum column: each value cast to the column's type
                batch = [tuple(_bound(v, cast_type) for v, cast_type in zip(row, casts, strict=True)) for row in batch]
                condition = (cols[0].in_([b[0] for b in batch]) if len(cols) == 1
                             else tuple_(*cols).in_([tuple_(*b) for b in batch]))
            else:  # one expanding parameter list
                condition = cols[0].in_([b[0] for b in batch]) if len(cols) == 1 else tuple_(*cols).in_(batch)
            for row in self.owner.run(select(*cols).where(condition), f"checking keys of {self.name}"):
                found.add(tuple(row))
        # Values come back in the database's Python types; equal values of other types compare equal (Decimal and
        # int, aware date-times in any zone), else their text does. Report the candidates themselves.
        texts = {_plain(v) for v in found}
        # A database may find equal what Python does not: a case-insensitive collation (MySQL's default
        # utf8mb4_general_ci: 'Ada' = 'ada'), PAD SPACE ('ada ' = 'ada'). Folded text catches those; reporting a
        # candidate taken that is not only costs it a re-rank.
        folded = {_folded(v) for v in found}
        return {c for c in wanted if c in found or _plain(c) in texts or _folded(c) in folded}


    def _cast_type(self, column: str) -> _NamedType | None:
        """The type text values compared with ``column`` must be cast to, where the dialect needs it
        (``typed_parameters``: an ``inet`` or enum column), else ``None``."""
        if not self.owner.dialect.live.typed_parameters or self.table is None:
            return None
        col = next((c for c in self.table.columns if c.name == column), None)
        if col is None or col.type.kind not in _TEXT_VALUED:
            return None
        return _NamedType(col.type.sql)


def _bound(value: Any, cast_type: _NamedType | None) -> Any:
    """``value`` as a bound parameter, text cast to ``cast_type`` when given."""
    bound = bindparam(None, value)
    return cast(bound, cast_type) if cast_type is not None and isinstance(value, str) else bound


class _NamedType(UserDefinedType[Any]):
    """A SQL type known only by its name (``inet``, ``public.mpaa_rating``), for casts."""

    cache_ok = True

    def __init__(self, name: str) -> None:
        self.name = name

    def get_col_spec(self, **_kw: Any) -> str:
        return self.name


def _plain(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(str(v) for v in values)


def _folded(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(str(v).casefold().rstrip(" ") if isinstance(v, str) else str(v) for v in values)


def _require_file(target: DatabaseUrl) -> None:
    """A file database must exist before its rows are read (connecting would create an empty file)."""
    path = target.database_file
    if path is None or path.exists():
        return
    if not path.parent.is_dir():
        raise DatabaseError(f"{target.safe}: directory {path.parent} does not exist; create it or fix the path")
    raise DatabaseError(f"{target.safe}: {target.dialect.title} database file {path} does not exist; create it with "
                        "the schema first or use --create-schema (create_schema= in the API)")


class TableRows(dict[TableName, DatabaseRows]):
    """Every table's :class:`DatabaseRows` (an :data:`~seeder.plan.existing.Existing` mapping), over whatever runs
    the queries: subclasses give :meth:`run`. A context manager whose exit calls :meth:`close`.

    Args:
        dialect: the registry entry of the database (quoting, sequences, casts). Subclasses then call
            :meth:`_read_counts` with the schema whose tables are counted (at once, in ``UNION ALL`` batches).
    """

    def __init__(self, dialect: TargetDialect) -> None:
        super().__init__()
        self.dialect = dialect

    def _read_counts(self, schema: Schema) -> None:
        tables = {t.name: t for t in schema.tables}
        for name, count in self._count(tables):
            self[name] = DatabaseRows(self, name, count, tables[name])

    def _count(self, names: Iterable[TableName]) -> Iterator[tuple[TableName, int]]:
        pending = list(names)
        probe = DatabaseRows(self, TableName(None, "_"), 0)
        for start in range(0, len(pending), COUNT_BATCH):
            batch = pending[start:start + COUNT_BATCH]
            parts = []
            for i, name in enumerate(batch):
                probe.name = name
                parts.append(select(literal_column(str(i)).label("i"), func.count().label("n"))
                             .select_from(probe._table(())))
            query = union_all(*parts) if len(parts) > 1 else parts[0]
            counts = {int(i): int(n) for i, n in self.run(query, "counting rows")}
            yield from ((name, counts.get(i, 0)) for i, name in enumerate(batch))

    def run(self, query: Any, what: str) -> list[Any]:
        """Execute ``query`` (SQLAlchemy Core) and return its rows; a database error becomes a
        :class:`DatabaseError` naming ``what``."""
        raise NotImplementedError

    def run_tolerated(self, query: Any, what: str) -> list[Any]:
        """:meth:`run` for a query that may fail where the caller copes (no rights on a sequence): a failure must
        leave the connection usable. Here :meth:`run` itself (an autocommit connection); a caller's transaction
        needs a savepoint (:class:`ConnectionRows`)."""
        return self.run(query, what)

    @property
    def total(self) -> int:
        """Rows in all tables together."""
        return sum(t.row_count for t in self.values())

    def close(self) -> None:
        """Release what the queries ran on (nothing here); the row counts stay readable."""

    def __enter__(self: _Rows) -> _Rows:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __hash__(self) -> int:  # a dict subclass used as a mapping; identity is what matters
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


class ExistingRows(TableRows):
    """:class:`TableRows` over its own autocommit connection to ``url``; :meth:`close` closes it.

    Args:
        url: the database (a URL string or a resolved :class:`~seeder.dialects.DatabaseUrl`).
        schema: the schema read from it (or meant for it); its tables are counted.

    Raises:
        DatabaseError: the database cannot be reached, or a table of ``schema`` cannot be read (it does not exist
            there: the message says so).
    """

    def __init__(self, url: str | DatabaseUrl, schema: Schema) -> None:
        from seeder.connections import connect

        self.target = url if isinstance(url, DatabaseUrl) else database_url(url)
        super().__init__(self.target.dialect)
        _require_file(self.target)
        self.engine: Engine | None
        self.engine, conn = connect(self.target, DatabaseError)
        self.conn: Connection | None = conn.execution_options(isolation_level="AUTOCOMMIT")
        try:
            self._read_counts(schema)
        except BaseException:
            self.close()
            raise

    def run(self, query: Any, what: str) -> list[Any]:
        """Execute ``query``; a database error becomes a :class:`DatabaseError` naming ``what`` (password masked)."""
        if self.conn is None:
            raise DatabaseError(f"{what}: the connection to {self.target.safe} is closed")
        return _execute(self.conn, self.target, query, what)

    def close(self) -> None:
        """Close the connection (safe to call twice); the row counts stay readable."""
        conn, self.conn = self.conn, None
        engine, self.engine = self.engine, None
        if conn is not None:
            conn.close()
        if engine is not None:
            engine.dispose()


class ConnectionRows(TableRows):
    """:class:`TableRows` asked through ``connection``, a SQLAlchemy ``Connection`` the caller holds, inside its
    transaction (rows the caller inserted in it count); the connection is left open and its transaction untouched.

    Args:
        connection: an open SQLAlchemy connection to PostgreSQL, MySQL/MariaDB or SQLite.
        schema: the tables to count.

    Raises:
        ConfigError: the connection's database is not one seeder writes. DatabaseError: a table cannot be read.
    """

    def __init__(self, connection: Connection, schema: Schema) -> None:
        self.target = database_url(connection.engine.url.render_as_string(hide_password=False))
        super().__init__(self.target.dialect)
        self.conn = connection
        self._read_counts(schema)

    def run(self, query: Any, what: str) -> list[Any]:
        """Execute ``query`` on the caller's connection; a database error becomes a :class:`DatabaseError`."""
        return _execute(self.conn, self.target, query, what)

    def run_tolerated(self, query: Any, what: str) -> list[Any]:
        """:meth:`run` inside a savepoint when the caller's transaction is open, so that a failure (PostgreSQL
        aborts the whole transaction on any error) is rolled back alone."""
        if not self.conn.in_transaction():
            return self.run(query, what)
        with self.conn.begin_nested():
            return self.run(query, what)


def _execute(conn: Connection, target: DatabaseUrl, query: Any, what: str) -> list[Any]:
    from seeder.connections import driver_message, problem_hint

    try:
        return list(conn.execute(query).all())
    except sa_exc.DBAPIError as exc:
        message = target.scrub(driver_message(exc))
        raise DatabaseError(f"{what} in {target.safe}: {message}{problem_hint(exc, message)}") from None
