"""The rows a Django database holds already, asked through Django's own connection (``manage.py seed``, and
``seed()`` inside a pytest-django test database).

:class:`DjangoRows` is the engine's :data:`~seeder.plan.existing.Existing` mapping
(:class:`~seeder.readers.database.rows.TableRows`) with queries that go through ``connection.cursor()`` rather
than a SQLAlchemy engine: the command must see exactly what Django sees (an in-memory SQLite test database, rows a
test inserted inside its still open transaction, the ``OPTIONS`` of ``DATABASES``), and no second connection is
opened. Each SQLAlchemy Core query is compiled for the database with positional ``%s`` parameters (Django's
placeholder on every backend: ``django/db/backends/utils.py``, ``CursorWrapper.execute``), ``IN`` lists expanded
(``render_postcompile``).
"""

from __future__ import annotations

from typing import Any

from seeder.errors import DatabaseError
from seeder.readers.database.rows import TableRows
from seeder.schema import Schema


class DjangoRows(TableRows):
    """:class:`~seeder.readers.database.rows.TableRows` of ``schema``'s tables through a Django connection.

    Args:
        connection: ``django.db.connections[alias]`` (PostgreSQL, MySQL/MariaDB or SQLite backend).
        schema: the schema read from the models for that connection (:func:`~.models.read_models`).

    Raises:
        UnsupportedModel: another database vendor. DatabaseError: a table cannot be read (not migrated).
    """

    def __init__(self, connection: Any, schema: Schema) -> None:
        from sqlalchemy.engine import make_url

        from seeder.contrib.django.models import dialect_for
        from seeder.dialects import get_dialect

        entry = get_dialect(dialect_for(connection))
        super().__init__(entry)
        self.connection = connection
        # The SQLAlchemy dialect of the registry's default driver, only to compile (no DB-API module is loaded).
        dialect_class = make_url(f"{entry.url_schemes[0][1]}://").get_dialect()
        self.compiler_dialect = dialect_class(paramstyle="format")
        self._read_counts(schema)

    def sql(self, query: Any) -> tuple[str, list[Any]]:
        """``query`` (SQLAlchemy Core or ``text()``) as SQL with ``%s`` placeholders and its parameters."""
        compiled = query.compile(dialect=self.compiler_dialect, compile_kwargs={"render_postcompile": True})
        names = compiled.positiontup or []
        return str(compiled), [compiled.params[name] for name in names]

    def run(self, query: Any, what: str) -> list[Any]:
        """Run ``query`` on Django's connection; a database error becomes a :class:`DatabaseError` naming ``what``
        and the ``DATABASES`` alias."""
        sql, params = self.sql(query)
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(sql, params)
                return [tuple(row) for row in cursor.fetchall()]
        except Exception as err:  # Django's DatabaseError subclasses wrap every driver's errors
            first = " ".join(str(err).split("\n")[0].split())
            raise DatabaseError(f"{what} in database {self.connection.alias!r}: {type(err).__name__}: {first}") \
                from None

    def run_tolerated(self, query: Any, what: str) -> list[Any]:
        """:meth:`run` inside ``transaction.atomic`` (a savepoint within an open transaction, e.g. a pytest-django
        test's), so that a failure does not break the caller's transaction."""
        from django.db import transaction

        with transaction.atomic(using=self.connection.alias):
            return self.run(query, what)
