"""The database source kind: a SOURCE that is a database URL (``sqlite:///app.db``, ``postgresql://...``, ...).

The schema of the live database becomes DDL text of its own dialect, which the DDL reader turns into the same
:class:`~seeder.schema.Schema` a DDL file gives (one model, one set of rules): how each dialect is read is its
registry entry's :attr:`~seeder.dialects.rules.LiveRules.introspection`:

* ``stored_ddl`` (:mod:`.sqlite`): the ``CREATE`` statements SQLite keeps as written;
* ``show_create`` (:mod:`.mysql`): ``SHOW CREATE TABLE`` of each base table, and the triggers;
* ``catalog`` (:mod:`.postgres`): DDL assembled from ``pg_catalog`` with the server's deparsing functions.

:mod:`.rows` answers the questions a run asks about the rows the tables already hold
(:class:`~seeder.plan.existing.ExistingTable`). URLs are shown with the password masked in every message.

Source-kind protocol (:mod:`seeder.readers.sources`): :func:`claims` and :func:`read`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from dataclasses import replace

from seeder.dialects import DatabaseUrl, database_url
from seeder.errors import ConfigError, DatabaseError, SchemaReadError
from seeder.readers.database.model import Introspected
from seeder.readers.sources import SchemaSource, SourceOptions

#: ``scheme://`` or ``scheme+driver://`` at the start of a SOURCE: a database URL, not a file path.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:\+[A-Za-z0-9_]+)?://")

#: The introspector module of each :data:`~seeder.dialects.rules.Introspection` method.
_INTROSPECTORS = {
    "stored_ddl": "seeder.readers.database.sqlite",
    "show_create": "seeder.readers.database.mysql",
    "catalog": "seeder.readers.database.postgres",
}


#: Tables migration tools keep their own bookkeeping in (which migrations ran): never seeded, and left out of a
#: live database's schema so that ``--truncate`` never empties them. Sources: Alembic's ``version_table`` default
#: (``alembic/runtime/migration.py``), Django's ``MigrationRecorder`` (``django/db/migrations/recorder.py``).
MIGRATION_TABLES = {"alembic_version": "Alembic", "django_migrations": "Django"}


def claims(source: str) -> bool:
    """A SOURCE that starts with ``scheme://`` is a database URL (an unsupported scheme is then an error that lists
    the supported ones, not a "file not found")."""
    return bool(_URL.match(source.strip()))


def schemas_option(options: SourceOptions) -> tuple[str, ...]:
    """The ``schemas`` option (``--schema``, repeatable) as a tuple of names."""
    value = options.extra.get("schemas") or ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def read(source: str, options: SourceOptions) -> SchemaSource:
    """Introspect the database at URL ``source`` into the schema model.

    Args:
        source: a SQLAlchemy URL (see :func:`seeder.dialects.database_url`).
        options: ``extra["schemas"]``: the PostgreSQL schemas to read (default: every schema holding tables of its
            own); ``dialect`` must be unset or name the database's own dialect.

    Returns:
        A :class:`SchemaSource` of kind ``database`` whose ``text`` is the DDL the schema was read from (so ``load
        --create-schema --db OTHER`` can copy the schema), ``origin`` the masked URL, ``notes`` what is not seeded
        (views, materialized views, foreign tables).

    Raises:
        ConfigError: unsupported scheme; ``--schema`` on a database without schemas; a schema that does not exist;
            ``--dialect`` naming another dialect.
        DatabaseError: the database cannot be reached (the message masks the password) or read.
        SchemaReadError: the database has no tables (in the schemas asked for).
    """
    target = database_url(source.strip())
    dialect = target.dialect
    if options.dialect and options.dialect.strip().lower() not in (dialect.name, *dialect.aliases):
        raise ConfigError(f"--dialect {options.dialect} does not match the database, which is {dialect.title}")
    schemas = schemas_option(options)
    if schemas and not dialect.live.has_schemas:
        raise ConfigError(f"--schema chooses PostgreSQL schemas; a {dialect.title} URL names its one database")
    introspected = introspect(target, schemas)
    from seeder.readers.ddl import read_ddl

    schema = read_ddl(introspected.ddl, dialect.sqlglot_dialect, path=target.safe)
    if not schema.tables:
        where = f" in schema{'s' if len(schemas) > 1 else ''} {', '.join(schemas)}" if schemas else ""
        raise SchemaReadError(f"the database has no tables{where}: create the schema first (e.g. seeder load "
                              "schema.sql --db URL --create-schema)", path=target.safe)
    bookkeeping = [t.name for t in schema.tables if t.name.name in MIGRATION_TABLES]
    notes = (*introspected.notes, *(f"{name}: {MIGRATION_TABLES[name.name]}'s record of applied migrations, never "
                                    "seeded" for name in bookkeeping))
    if bookkeeping:
        schema = replace(schema, tables=tuple(t for t in schema.tables if t.name not in bookkeeping))
    schema = replace(schema, source=target.safe, notes=(*schema.notes, *notes))
    return SchemaSource(schema=schema, text=introspected.ddl, kind="database", origin=target.safe, notes=notes)


def introspect(target: DatabaseUrl, schemas: Iterable[str] = ()) -> Introspected:
    """The schema of the database at ``target`` as DDL text of its dialect (see the module docstring).

    Raises:
        ConfigError: the dialect cannot be introspected; a schema of ``schemas`` does not exist.
        DatabaseError: connecting or reading failed (password masked).
    """
    from sqlalchemy import exc as sa_exc

    from seeder.connections import connect, driver_message

    method = target.dialect.live.introspection
    if method is None:
        raise ConfigError(f"seeder cannot read the schema of a {target.dialect.title} database")
    _require_database_file(target)
    module = importlib.import_module(_INTROSPECTORS[method])
    engine, conn = connect(target, DatabaseError)
    try:
        with conn.begin():
            return module.introspect(conn, target.dialect, tuple(schemas))
    except sa_exc.DBAPIError as exc:
        raise DatabaseError(f"cannot read the schema of {target.safe}: {target.scrub(driver_message(exc))}"
                            ) from None
    finally:
        conn.close()
        engine.dispose()


def _require_database_file(target: DatabaseUrl) -> None:
    """A file database must exist: connecting would create an empty one."""
    path = target.database_file
    if path is not None and not path.is_file():
        raise DatabaseError(f"{target.safe}: database file {path} not found")
