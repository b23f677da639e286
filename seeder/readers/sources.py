"""Every way into seeder: turn a SOURCE (a DDL file, a database URL, a framework project, ...) into the schema model.

A SOURCE is a string as a user types it. Source kinds are tried in the order of :data:`SOURCE_KINDS`; the first whose
``claims(source)`` answers True reads it. Each kind lives in its own reader module that exposes two functions::

    def claims(source: str) -> bool: ...            # cheap: no I/O beyond a stat, no heavy imports
    def read(source: str, options: SourceOptions) -> SchemaSource: ...

Reader modules are imported only when their kind is tried, so adding one costs nothing at start-up. Whatever the
kind, the result is the same :class:`~seeder.schema.Schema`, so everything downstream is shared.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from seeder.schema import Schema, TableName

if TYPE_CHECKING:
    from seeder.design.model import Rule
    from seeder.profiles.model import TableProfile

#: Reader modules in the order their ``claims`` is asked. The DDL file reader comes last: it claims any path.
SOURCE_KINDS: tuple[str, ...] = (
    "seeder.readers.sqlalchemy_metadata",  # package.module:attr (MetaData, declarative base, models)
    "seeder.readers.alembic_project",  # alembic.ini or the folder holding it
    "seeder.readers.csv_source",
    "seeder.readers.description_source",
    "seeder.readers.ddl_source",
)


@dataclass(frozen=True)
class SourceOptions:
    """What a user may say about how to read a SOURCE.

    Attributes:
        dialect: the dialect of a DDL source (a name or alias), ``None`` to infer it.
        extra: options only some kinds understand (e.g. ``schemas`` for a database, ``rev`` for Alembic), by name.
    """

    dialect: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SchemaSource:
    """A schema read from a SOURCE.

    Attributes:
        schema: the model.
        text: the DDL text when the source is (or produced) DDL in ``schema.dialect``, else ``None``; ``load
            --create-schema`` runs it.
        dialect_guessed: whether the dialect was a guess (the CLI says so).
        kind: which reader read it (``ddl``, ...), for messages.
        origin: how to name the source in messages and headers (a file name; a URL with its password masked).
        notes: remarks for the user about how the source was read.
        create_ddl: for sources that are not DDL text in one dialect (framework models): a function giving the DDL
            that creates the schema in an empty database of the dialect it is given (``load --create-schema``).
        profiles: what existing rows look like, per table (CSV sources; ``--like-existing``), for generation to
            follow (see :mod:`seeder.profiles`).
        rules: constraints a description stated in words, each a CHECK or prompt context (description sources).
    """

    schema: Schema
    text: str | None
    dialect_guessed: bool = False
    kind: str = "ddl"
    origin: str = ""
    notes: tuple[str, ...] = ()
    create_ddl: Callable[[str], str] | None = None
    profiles: Mapping[TableName, TableProfile] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()


def read_source(source: str, options: SourceOptions | None = None) -> SchemaSource:
    """Read ``source`` with the first reader of :data:`SOURCE_KINDS` that claims it.

    Raises:
        SchemaReadError: no reader claims the source, or the claiming reader cannot read it.
    """
    from seeder.errors import SchemaReadError

    opts = options or SourceOptions()
    for module_name in SOURCE_KINDS:
        module = importlib.import_module(module_name)
        if module.claims(source):
            return module.read(source, opts)
    raise SchemaReadError("not a schema source seeder can read", path=source)
