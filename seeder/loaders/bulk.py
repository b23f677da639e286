"""``--bulk``: load with the planned tables' secondary indexes and FK/UNIQUE/CHECK constraints dropped, and re-create
them before COMMIT, so the database still validates every row, once, at the end (the way ``pg_restore`` loads a
dump: data first, then indexes and constraints).

Inside the load's one transaction (:mod:`seeder.loaders.sqlalchemy`):

1. :func:`capture` reads the definitions from the catalog with the dialect's ``LoaderHooks.bulk_constraints`` and
   ``bulk_indexes`` queries (PostgreSQL: ``pg_get_constraintdef`` / ``pg_get_indexdef``): the foreign keys *of* the
   planned tables and those of other tables *to* them (a UNIQUE constraint cannot be dropped while a foreign key
   needs it), their UNIQUE, CHECK and EXCLUDE constraints, and their indexes that back no constraint. Primary keys
   stay: the cycle-break UPDATEs find rows by them.
2. :func:`drop_statements` drops them (foreign keys first) right before the first row is sent, after the load's
   setup (``SET CONSTRAINTS ... DEFERRED`` names constraints that must still exist then).
3. the rows go in (COPY by default), then :func:`create_statements` re-creates everything (constraints and indexes,
   then foreign keys). ``ADD CONSTRAINT`` checks every row of the table, so a violation fails the load, and the
   rollback restores the dropped definitions too (PostgreSQL DDL is transactional).

A constraint that fails when re-created is reported by name with the database's message (which names the key);
rows are not bisected as in a normal load.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from seeder.dialects import TargetDialect
from seeder.errors import ConfigError
from seeder.schema import TableName
from seeder.sinks.literals import quote_text


@dataclass(frozen=True)
class Constraint:
    """A table constraint dropped for the load: ``table`` and ``name`` as SQL (quoted where needed), its
    ``definition`` (``FOREIGN KEY (...) REFERENCES ...``, ``UNIQUE (...)``, ``CHECK (...)``), ``kind``: ``f``
    (foreign key), ``u``, ``c`` or ``x`` (exclusion)."""

    table: str
    name: str
    definition: str
    kind: str


@dataclass(frozen=True)
class Index:
    """A secondary index dropped for the load: ``name`` as SQL, ``definition`` the ``CREATE INDEX`` statement."""

    name: str
    definition: str


@dataclass(frozen=True)
class Rebuild:
    """What a bulk load dropped and re-creates."""

    constraints: tuple[Constraint, ...]
    indexes: tuple[Index, ...]

    @property
    def count(self) -> int:
        return len(self.constraints) + len(self.indexes)


def check_bulk(dialect: TargetDialect) -> None:
    """Raise :class:`~seeder.errors.ConfigError` when ``dialect`` has no bulk load (only PostgreSQL has)."""
    hooks = dialect.loader
    if not (hooks.bulk_tables and hooks.bulk_constraints and hooks.bulk_indexes):
        raise ConfigError(f"--bulk (drop and re-create indexes and constraints around the load) is PostgreSQL only, "
                          f"not {dialect.title}: load without it")


def capture(cur: Any, dialect: TargetDialect, tables: Iterable[TableName]) -> Rebuild:
    """Read the definitions of what :func:`drop_statements` will drop for ``tables`` through the DB-API ``cur``
    (inside the load's transaction).

    Raises:
        ConfigError: the dialect has no bulk load. The driver's error when a query fails (the caller reports it).
    """
    check_bulk(dialect)
    hooks = dialect.loader
    assert hooks.bulk_tables and hooks.bulk_constraints and hooks.bulk_indexes  # check_bulk
    names = [quote_text(dialect.qualify(t), dialect) for t in tables]
    if not names:
        return Rebuild((), ())
    expression = hooks.bulk_tables.format(names=", ".join(names))
    cur.execute(hooks.bulk_constraints.format(tables=expression))
    constraints = tuple(Constraint(str(t), str(n), str(d), str(k)) for t, n, d, k in cur.fetchall())
    cur.execute(hooks.bulk_indexes.format(tables=expression))
    indexes = tuple(Index(str(n), str(d)) for n, d in cur.fetchall())
    return Rebuild(constraints, indexes)


def drop_statements(rebuild: Rebuild) -> list[tuple[str, str]]:
    """``(statement, what it does)`` pairs dropping ``rebuild``: foreign keys, other constraints, then indexes."""
    out = [(f"ALTER TABLE {c.table} DROP CONSTRAINT {c.name}", f"dropping constraint {c.name} of {c.table}")
           for c in sorted(rebuild.constraints, key=lambda c: c.kind != "f")]
    out += [(f"DROP INDEX {i.name}", f"dropping index {i.name}") for i in rebuild.indexes]
    return out


def create_statements(rebuild: Rebuild) -> list[tuple[str, str]]:
    """``(statement, what it does)`` pairs re-creating ``rebuild``: indexes, UNIQUE/CHECK/EXCLUDE constraints,
    then foreign keys (which need the unique keys they reference)."""
    out = [(i.definition, f"re-creating index {i.name}") for i in rebuild.indexes]
    out += [(f"ALTER TABLE {c.table} ADD CONSTRAINT {c.name} {c.definition}",
             f"re-creating constraint {c.name} of {c.table} (it checks every row)")
            for c in sorted(rebuild.constraints, key=lambda c: c.kind == "f")]
    return out


__all__ = ["Constraint", "Index", "Rebuild", "capture", "check_bulk", "create_statements", "drop_statements"]
