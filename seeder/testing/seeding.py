"""Seeded databases for test suites: seed one database once (:func:`seed_database`), and insert the exact rows one
test needs with their parent rows (:class:`Maker`). The pytest plugin (:mod:`seeder.pytest_plugin`) is a thin
layer over this module; both work with any SQLAlchemy connection.
"""

from __future__ import annotations

import glob
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from seeder.errors import ConfigError, SeederError


@dataclass
class SeededDatabase:
    """A database seeded for a test session: its ``url``, the ``source`` read (schema model and how to create it),
    the loaded ``dataset``, and whether the schema was created here (``created``)."""

    url: str
    source: Any
    dataset: Any
    created: bool


def url_dialect(url: str) -> str:
    """The sqlglot dialect of a SQLAlchemy URL; :class:`ConfigError` for databases seeder does not load."""
    from seeder import api

    dialect = api.database_dialect(url)
    if dialect is None:
        raise ConfigError(f"seeder seeds PostgreSQL, MySQL/MariaDB and SQLite; cannot tell what {url.split(':')[0]}"
                          " is")
    return dialect


def seed_database(url: str, source: str, *, rows: int = 10, seed: int = 0) -> SeededDatabase:
    """Read SOURCE for the database at ``url``, create its schema when none of its tables exist yet, and load
    ``rows`` rows per table (one transaction).

    Args:
        url: SQLAlchemy URL (``sqlite:///...``, ``postgresql+psycopg://...``, ``mysql+pymysql://...``).
        source: any SOURCE seeder reads (DDL file, ``package.module:attr``, Alembic project).

    Raises:
        ConfigError: some but not all of the schema's tables exist, or the source cannot create the schema.
        SeederError: reading, generation or load failures.
    """
    from sqlalchemy import create_engine, inspect

    from seeder import api

    dialect = url_dialect(url)
    src = api.read_source(source, target=dialect)
    engine = create_engine(_driver_url(url))
    try:
        inspector = inspect(engine)
        wanted = [t.name for t in src.schema.tables]
        present = [n for n in wanted if inspector.has_table(n.name, schema=n.schema)]
    finally:
        engine.dispose()
    if present and len(present) != len(wanted):
        missing = ", ".join(str(n) for n in wanted if n not in present)
        raise ConfigError(f"the database has some of the schema's tables but not {missing}: migrate it first")
    ddl = None if present else api.creation_ddl(src, url)
    data = api.generate(src.schema, api.build_plan(src.schema, rows), seed=seed)
    api.load(data, url, create_schema=ddl)
    return SeededDatabase(url=url, source=src, dataset=data, created=ddl is not None)


def _driver_url(url: str) -> str:
    # The drivers seeder installs (psycopg 3, PyMySQL), as the loader picks them for a URL without "+driver".
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    defaults = {"postgresql": "postgresql+psycopg", "mysql": "mysql+pymysql", "mariadb": "mariadb+pymysql"}
    if "+" not in parsed.drivername and parsed.drivername in defaults:
        parsed = parsed.set(drivername=defaults[parsed.drivername])
    return parsed.render_as_string(hide_password=False)


class Maker:
    """``make(table, n=1, **pins)``: insert ``n`` rows of ``table`` through ``connection`` (in its transaction), with
    the pinned values, every constraint valid; returns the inserted rows of ``table`` as dicts.

    The engine generates around the rows already there (:class:`~seeder.readers.database.rows.ConnectionRows`,
    asked inside the test's transaction): new keys start past the existing ones, unique values never repeat existing
    ones, and foreign keys point at existing parent rows. A parent table with no rows gets ``n`` new rows (and so
    on up the chain of its own empty parents). Pins (:mod:`seeder.testing.pins`): ``quantity=2`` on a plain column;
    ``customer_id=7``, ``customer=<a row make() returned>`` or every column of a composite FK on a foreign key (that
    existing parent for every row); ``None`` on a nullable FK leaves it NULL.

    Args:
        connection: a SQLAlchemy ``Connection`` (its transaction is the caller's).
        schema: the database's schema model.
        seed: base seed; each call varies it by the call count, so two calls make different rows.
    """

    def __init__(self, connection: Any, schema: Any, *, seed: int = 0) -> None:
        self.connection = connection
        self.schema = schema
        self.seed = seed
        self.calls = 0
        self._metadata: Any = None

    def __call__(self, table: str, n: int = 1, **pinned: Any) -> list[dict[str, Any]]:
        """Insert and return ``n`` rows of ``table`` (a table name, optionally ``schema.table``).

        Raises:
            ConfigError: unknown table or column, ``n < 1``, or a pin make() cannot keep (a parent row that does
                not exist, a NOT NULL FK pinned to ``None``; see :func:`seeder.testing.pins.sort_pins`).
            GenerationError / SeederError: the pinned values break a constraint (e.g. a unique column pinned for
                ``n > 1``).
        """
        from seeder import api
        from seeder.readers.database.rows import ConnectionRows
        from seeder.testing.pins import pin_parents, pinned_schema, sort_pins

        if n < 1:
            raise ConfigError("make() needs n >= 1")
        target = self._table(table)
        pins = sort_pins(target, pinned)
        sub = replace(self.schema, tables=tuple(t for t in self.schema.tables
                                                if t.name in self._with_parents(target)))
        rows = ConnectionRows(self.connection, sub)
        existing = pin_parents(rows, target, pins)
        sub = pinned_schema(sub, target, pins, self._checks(sub, target, pins.values))
        made_here = self._to_generate(sub, sub.table(target.name), existing)
        self.calls += 1
        run_seed = self.seed + 7919 * self.calls
        # exactly n rows of the target (its role would scale n: order lines are 3 x --rows); empty parents as planned
        plan = api.build_plan(sub, n, {str(target.name): n}, existing=existing,
                              only=[glob.escape(str(name)) for name in made_here])
        data = api.generate(sub, plan, seed=run_seed, existing=existing)
        made = data.table_data(target.name).row_count
        if made < n:
            why = "; ".join(note for note in data.notes if str(target.name) in note) or "its constraints"
            raise SeederError(f"make({table!r}, {n}): only {made} row(s) possible ({why})")
        self._insert(data, rows.dialect)
        td = data.table_data(target.name)
        out = [dict(zip(td.columns, row, strict=True)) for row in td.rows()]
        for column, value in pins.expected().items():
            if any(r.get(column) != value for r in out):
                raise SeederError(f"make({table!r}): {column} could not be kept at {value!r}")
        return out

    # ---------------------------------------------------------------------------------------------------- helpers

    def _table(self, name: str) -> Any:
        for t in self.schema.tables:
            if name in (str(t.name), t.name.name):
                return t
        for t in self.schema.tables:
            if name.lower() in (str(t.name).lower(), t.name.name.lower()):
                return t
        import difflib

        names = [str(t.name) for t in self.schema.tables]
        close = difflib.get_close_matches(name, names, n=1)
        raise ConfigError(f"no table {name!r}" + (f"; did you mean {close[0]!r}?" if close else ""))

    def _with_parents(self, target: Any) -> set[Any]:
        needed = {target.name}
        stack = [target]
        while stack:
            for fk in stack.pop().foreign_keys:
                if fk.ref_table not in needed:
                    needed.add(fk.ref_table)
                    stack.append(self.schema.table(fk.ref_table))
        return needed

    @staticmethod
    def _to_generate(schema: Any, target: Any, existing: Mapping[Any, Any]) -> list[Any]:
        """The target and, up each FK chain, the parent tables that hold no rows (the others serve as parents)."""
        chosen = [target.name]
        stack = [target]
        while stack:
            for fk in stack.pop().foreign_keys:
                parent = fk.ref_table
                rows = existing.get(parent)
                if parent in chosen or (rows is not None and rows.row_count):
                    continue
                chosen.append(parent)
                stack.append(schema.table(parent))
        return chosen

    @staticmethod
    def _checks(schema: Any, target: Any, values: Mapping[str, Any]) -> dict[str, Any]:
        """One CHECK per pinned plain column: ``col = value`` (``col IS NULL`` for ``None``)."""
        from sqlglot import exp

        from seeder.readers.model_drafts import sql_literal
        from seeder.schema import Check

        checks: dict[str, Check] = {}
        for column, value in values.items():
            col = exp.column(exp.to_identifier(column, quoted=True))
            literal = sql_literal(value)
            if value is not None and literal is None:
                raise ConfigError(f"make(): cannot pin {column} to a value of type {type(value).__name__}")
            condition = exp.Is(this=col, expression=exp.Null()) if value is None else \
                exp.EQ(this=col, expression=literal)
            checks[column] = Check(f"make_{column}", condition, condition.sql(schema.dialect))
        return checks

    def _insert(self, data: Any, dialect: Any) -> None:
        from sqlalchemy import MetaData, Table, text

        from seeder.sinks.sql import sequence_targets

        if self._metadata is None:  # reflected once per Maker: tables do not change inside a test
            self._metadata = MetaData()
        metadata = self._metadata
        later: list[tuple[Any, Any, list[dict[str, Any]]]] = []
        broken = {(b.table, b.foreign_key) for b in data.plan.cycle_breaks}
        for td in data.tables:
            name = td.table.name
            key = f"{name.schema}.{name.name}" if name.schema else name.name
            table = metadata.tables.get(key)
            if table is None:
                table = Table(name.name, metadata, schema=name.schema, autoload_with=self.connection)
            rows = [dict(zip(td.columns, row, strict=True)) for row in td.rows()]
            if not rows:
                continue
            deferred = [fk for (t, fk) in broken if t == name]
            for fk in deferred:
                if not all(td.table.column(c).nullable for c in fk.columns):
                    raise ConfigError(f"make(): {name} is on a NOT NULL foreign-key cycle, which make() cannot "
                                      "insert yet")
                later.append((table, fk, [dict(r) for r in rows]))
                for r in rows:
                    r.update(dict.fromkeys(fk.columns))
            self.connection.execute(table.insert(), rows)
        for table, fk, rows in later:
            key = td_key(table)
            for r in rows:
                stmt = table.update().where(*[table.c[k] == r[k] for k in key]).values({c: r[c] for c in fk.columns})
                self.connection.execute(stmt)
        # explicit keys leave serial/identity sequences behind: moved past them as a script does (the registry's
        # sequence_reset_sql; dialects whose numbering follows the keys by itself have none)
        for target in sequence_targets(data, dialect):
            assert dialect.sequence_reset_sql is not None  # sequence_targets is empty otherwise
            self.connection.execute(text(dialect.sequence_reset_sql.format(sequence=target.sequence,
                                                                           value=target.value)))


def td_key(table: Any) -> list[str]:
    """The primary-key column names of a reflected SQLAlchemy table (all columns when it has none)."""
    return [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
