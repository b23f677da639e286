"""Seeded databases for test suites: seed one database once (:func:`seed_database`), and insert the exact rows one
test needs with their parent rows (:class:`Maker`). The pytest plugin (:mod:`seeder.pytest_plugin`) is a thin
layer over this module; both work with any SQLAlchemy connection.
"""

from __future__ import annotations

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
    """``make(table, n=1, **pinned)``: insert ``n`` rows of ``table`` through ``connection`` (in its transaction),
    with the ``pinned`` column values, plus one set of parent rows per FK they need (``n`` rows per ancestor table),
    every constraint valid; returns the inserted rows of ``table`` as dicts.

    New keys start after the existing ones and unique values avoid existing values (:mod:`seeder.existing`).
    Pinned values are CHECKs (``col = value``) the generator honours; pinning a foreign-key column is not supported
    yet (the engine cannot take a parent from outside the generated rows: issue #9).
    """

    def __init__(self, connection: Any, schema: Any, *, seed: int = 0) -> None:
        self.connection = connection
        self.schema = schema
        self.seed = seed
        self.calls = 0

    def __call__(self, table: str, n: int = 1, **pinned: Any) -> list[dict[str, Any]]:
        """Insert and return ``n`` rows of ``table`` (a table name, optionally ``schema.table``).

        Raises:
            ConfigError: unknown table or column, a pinned FK column, or ``n < 1``.
            GenerationError: the pinned values break a constraint (e.g. a unique column pinned for ``n > 1``).
        """
        from seeder import api
        from seeder.existing import exclude_existing_values, read_existing, shift_keys

        if n < 1:
            raise ConfigError("make() needs n >= 1")
        target = self._table(table)
        needed = self._with_parents(target)
        sub = replace(self.schema, tables=tuple(t for t in self.schema.tables if t.name in needed))
        sub = self._pin(sub, target, pinned)
        fetch = self._fetch
        existing = read_existing(sub, fetch)
        sub = exclude_existing_values(sub, fetch, existing)
        self.calls += 1
        run_seed = self.seed + 7919 * self.calls + sum(e.count for e in existing.values())
        # exactly n rows of the target (its role would scale n: order lines are 3 x --rows); parents as planned
        data = api.generate(sub, api.build_plan(sub, n, {str(target.name): n}), seed=run_seed)
        made = data.table_data(target.name).row_count
        if made < n:
            why = "; ".join(note for note in data.notes if str(target.name) in note) or "its constraints"
            raise SeederError(f"make({table!r}, {n}): only {made} row(s) possible ({why})")
        shift_keys(data, existing)
        self._insert(data)
        td = data.table_data(target.name)
        out = [dict(zip(td.columns, row, strict=True)) for row in td.rows()]
        for column, value in pinned.items():
            if any(r.get(column) != value for r in out):
                raise SeederError(f"make({table!r}): {column} could not be kept at {value!r}")
        return out

    # ---------------------------------------------------------------------------------------------------- helpers

    def _fetch(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.connection.exec_driver_sql(sql).fetchall()]

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
    def _pin(schema: Any, target: Any, pinned: Mapping[str, Any]) -> Any:
        from sqlglot import exp

        from seeder.readers.model_drafts import sql_literal
        from seeder.schema import Check

        names = {c.name for c in target.columns}
        references = {c for fk in target.foreign_keys for c in fk.columns}
        checks: dict[str, Check] = {}
        for column, value in pinned.items():
            if column not in names:
                raise ConfigError(f"table {target.name} has no column {column!r} (columns: {', '.join(sorted(names))})")
            if column in references:
                raise ConfigError(f"make(): pinning the foreign-key column {target.name}.{column} is not supported "
                                  "yet; pin the parent's columns with a make() of the parent instead")
            col = exp.column(exp.to_identifier(column, quoted=True))
            literal = sql_literal(value)
            if value is not None and literal is None:
                raise ConfigError(f"make(): cannot pin {column} to a value of type {type(value).__name__}")
            condition = exp.Is(this=col, expression=exp.Null()) if value is None else \
                exp.EQ(this=col, expression=literal)
            checks[column] = Check(f"make_{column}", condition, condition.sql(schema.dialect))
        if not checks:
            return schema
        pinned_table = replace(target, columns=tuple(
            replace(c, checks=(*c.checks, checks[c.name]), nullable=c.nullable or pinned.get(c.name, 0) is None)
            if c.name in checks else c for c in target.columns))
        return replace(schema, tables=tuple(pinned_table if t.name == target.name else t for t in schema.tables))

    def _insert(self, data: Any) -> None:
        from sqlalchemy import MetaData, Table, func, select

        metadata = MetaData()
        later: list[tuple[Any, Any, list[dict[str, Any]]]] = []
        broken = {(b.table, b.foreign_key) for b in data.plan.cycle_breaks}
        for td in data.tables:
            name = td.table.name
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
        if self.connection.dialect.name == "postgresql":  # explicit keys leave serial/identity sequences behind
            for td in data.tables:
                for column in td.table.columns:
                    if (column.autoincrement or column.identity) and column.name in td.columns:
                        table = metadata.tables[str(td.table.name)]
                        seq = func.pg_get_serial_sequence(
                            f'"{td.table.name.name}"' if not td.table.name.schema else
                            f'"{td.table.name.schema}"."{td.table.name.name}"', column.name)
                        self.connection.execute(select(func.setval(seq, select(func.max(table.c[column.name]))
                                                                   .scalar_subquery())))


def td_key(table: Any) -> list[str]:
    """The primary-key column names of a reflected SQLAlchemy table (all columns when it has none)."""
    return [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
