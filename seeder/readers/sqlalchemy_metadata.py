"""The SQLAlchemy source kind: ``package.module:attr`` naming a ``MetaData``, a declarative base, or models/tables.

The ``Table`` objects are read directly into the DDL reader's drafts (see :mod:`seeder.readers.model_drafts`), with
every fragment rendered by SQLAlchemy for the target dialect, exactly as ``metadata.create_all`` would emit it:

* types: ``column.type.compile(dialect=...)`` parsed by the DDL reader's type parser (one type mapping); a native
  ``Enum`` (PostgreSQL ``CREATE TYPE``) becomes a named enum; a non-native one keeps its ``VARCHAR(n)`` and gains its
  labels, so values stay within what the application can read back;
* defaults: the DDL compiler's ``get_column_default_string``; ``Identity`` (where the dialect has identity columns),
  ``Computed``, and the column SQLAlchemy numbers itself (``Table.autoincrement_column``: ``SERIAL`` on PostgreSQL,
  ``AUTO_INCREMENT`` on MySQL, the rowid alias on SQLite);
* constraints: PK, FKs (composite, deferrable; ``use_alter`` only changes when they are created), UNIQUE constraints,
  unique indexes with expressions and the target dialect's ``<dialect>_where`` predicate, CHECKs rendered with
  literal values and parsed by sqlglot (type-bound CHECKs of ``Boolean``/``Enum`` only where SQLAlchemy creates them);
* column ``comment`` and ``info["hint"]`` (an LLM hint, joined to the comment) reach the prompt as data.

``SchemaSource.create_ddl(dialect)`` is the DDL ``metadata.create_all`` emits for that dialect (captured with
SQLAlchemy's mock engine, "How can I get the CREATE TABLE/ DROP TABLE output as a string?" in its FAQ), which
``load --create-schema`` runs inside the load transaction.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from seeder.errors import SchemaReadError
from seeder.readers.sources import SchemaSource, SourceOptions
from seeder.schema import Schema, Table

_OBJECT_PATH = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")

DEFAULT_DIALECT = "postgres"


def claims(source: str) -> bool:
    """``module.path:attribute`` (Python identifiers) that is not an existing file."""
    return _OBJECT_PATH.match(source) is not None and not Path(source).exists()


def read(source: str, options: SourceOptions) -> SchemaSource:
    """Import ``module:attr`` (the current directory first on ``sys.path``, as uvicorn and alembic do) and read it
    with :func:`read_object`.

    Raises:
        SchemaReadError: the module cannot be imported, the attribute is missing or holds no tables, or a type or
            CHECK cannot be read.
        ConfigError: unknown dialect.
    """
    return read_object(import_object(source), options, source)


def read_object(obj: Any, options: SourceOptions, origin: str = "SQLAlchemy metadata") -> SchemaSource:
    """Read a SQLAlchemy object (see :func:`resolve_tables`; an ``Engine``/``Connection`` is reflected) for a dialect:
    ``options.dialect``, else ``options.extra["target"]`` (the database or ``--to`` dialect the CLI knows), else the
    engine's own, else PostgreSQL (``dialect_guessed``).

    Raises:
        SchemaReadError: no tables, or a type or CHECK that cannot be read. ConfigError: unknown dialect.
    """
    from seeder.readers.sqlalchemy_tables import create_all_ddl, schema_from_tables

    tables = resolve_tables(obj, origin)
    dialect, guessed = _choose_dialect(options, obj)
    schema = schema_from_tables(tables, dialect, source=origin)
    return SchemaSource(schema=schema, text=None, dialect_guessed=guessed, kind="sqlalchemy", origin=origin,
                        create_ddl=lambda target: create_all_ddl(tables, target))


def _choose_dialect(options: SourceOptions, obj: Any = None) -> tuple[str, bool]:
    from seeder.dialects import read_dialect, url_dialect

    chosen = options.dialect or options.extra.get("target")
    if chosen:
        return read_dialect(chosen).sqlglot_dialect, False
    engine_dialect = getattr(obj, "dialect", None)  # an Engine or Connection: its own database's dialect
    own = url_dialect(f"{engine_dialect.name}://") if engine_dialect is not None else None
    if own is not None:
        return own.sqlglot_dialect, False
    return DEFAULT_DIALECT, True


def import_object(source: str) -> Any:
    """The object ``module:attr`` names (``attr`` may be dotted).

    Raises:
        SchemaReadError: import failure (with the exception's first line) or a missing attribute.
    """
    module_name, _, attr = source.partition(":")
    cwd = str(Path.cwd())
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        obj: Any = importlib.import_module(module_name)
    except Exception as err:  # user code: any error of theirs is a reading error here
        raise SchemaReadError(f"cannot import module {module_name}: {type(err).__name__}: "
                              f"{str(err).splitlines()[0] if str(err) else ''}".rstrip(": "), path=source) from None
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise SchemaReadError(f"module {module_name} has no attribute {attr}", path=source)
        obj = getattr(obj, part)
    return obj


def resolve_tables(obj: Any, source: str = "") -> list[Any]:
    """The ``Table`` objects ``obj`` stands for, in dependency-friendly metadata order.

    ``obj`` may be a ``MetaData``, a declarative base (anything with a ``metadata`` attribute holding a
    ``MetaData``), a ``Table``, a mapped class, a list/tuple of tables and mapped classes (the tables their foreign
    keys reference are added too: a row needs its parents), or an ``Engine``/``Connection`` (its tables reflected).

    Raises:
        SchemaReadError: ``obj`` is none of these, or it holds no tables.
    """
    from sqlalchemy import MetaData, Table
    from sqlalchemy.engine import Connection, Engine

    if isinstance(obj, (Engine, Connection)):
        reflected = MetaData()
        reflected.reflect(obj)
        obj = reflected
    if isinstance(obj, MetaData):
        tables = list(obj.sorted_tables)
    elif isinstance(getattr(obj, "metadata", None), MetaData) and not hasattr(obj, "__table__"):
        tables = list(obj.metadata.sorted_tables)
    elif isinstance(obj, (list, tuple, set, frozenset, Table)) or hasattr(obj, "__table__"):
        items = [obj] if isinstance(obj, Table) or hasattr(obj, "__table__") else list(obj)
        picked: list[Any] = []
        for item in items:
            table = item if isinstance(item, Table) else getattr(item, "__table__", None)
            if not isinstance(table, Table):
                raise SchemaReadError(f"{item!r} is neither a Table nor a mapped class", path=source or None)
            picked.append(table)
        tables = _with_parents(picked)
    else:
        raise SchemaReadError(f"{type(obj).__name__} is not a MetaData, a declarative base or a list of "
                              "models/tables", path=source or None)
    if not tables:
        raise SchemaReadError("the metadata holds no tables", path=source or None)
    return tables


def _with_parents(tables: list[Any]) -> list[Any]:
    seen: dict[Any, None] = {}
    stack = list(tables)
    while stack:
        table = stack.pop(0)
        if table in seen:
            continue
        seen[table] = None
        stack.extend(fk.column.table for fk in table.foreign_keys)
    order = {t: i for i, t in enumerate(next(iter(seen)).metadata.sorted_tables)}
    return sorted(seen, key=lambda t: order.get(t, len(order)))


def strip_tables(schema: Schema, names: Iterable[str]) -> Schema:
    """``schema`` without the tables called ``names`` (unqualified), e.g. Alembic's version table."""
    drop = set(names)
    kept: tuple[Table, ...] = tuple(t for t in schema.tables if t.name.name not in drop)
    return replace(schema, tables=kept)
