"""Read a DDL script (a ``pg_dump --schema-only`` file, a MySQL/SQLite schema script) into the schema model.

Pipeline: :func:`split_statements` cuts the text into statements (dialect-aware quoting, comments, client
commands); each statement that can affect tables is parsed with sqlglot and folded into mutable drafts
(:mod:`seeder.readers.ddl_statements`); once the whole script is read, names, types and references are resolved
into the frozen :class:`~seeder.schema.Schema` (:mod:`seeder.readers.ddl_finish`).

Dialects read: PostgreSQL, MySQL/MariaDB, SQLite, T-SQL, Oracle (SQL*Plus scripts) and DB2 (with sqlglot's default
dialect); each dialect's reading rules, aliases and file hints are its entry in :mod:`seeder.dialects`, and the
constructs sqlglot cannot read are handled by :mod:`seeder.readers.ddl_workarounds`.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from seeder.dialects import guess_dialect, read_dialect
from seeder.errors import SchemaReadError
from seeder.readers.ddl_drafts import DraftSchema
from seeder.readers.ddl_finish import finish
from seeder.readers.ddl_split import split_statements
from seeder.readers.ddl_statements import StatementReader, silence_sqlglot
from seeder.readers.ddl_triggers import trigger_equalities, trigger_fills
from seeder.schema import Schema

__all__ = ["infer_dialect", "read_ddl", "read_ddl_file", "split_statements"]


def infer_dialect(text: str, path: str | None = None) -> tuple[str, bool]:
    """Guess the dialect of DDL ``text`` (optionally read from ``path``) with :func:`seeder.dialects.guess_dialect`.

    Returns:
        ``(sqlglot dialect name, was_guessed)`` (``""`` for DB2); ``was_guessed`` is True only when nothing pointed
        at a dialect and the default ``postgres`` was returned.
    """
    entry, guessed = guess_dialect(text, path)
    return entry.sqlglot_dialect, guessed


def read_ddl(text: str, dialect: str | None = None, *, path: str | None = None) -> Schema:
    """Read DDL ``text`` into a :class:`Schema`.

    Args:
        text: the script.
        dialect: a dialect name or alias (``postgres``/``postgresql``/``pg``, ``mysql``/``mariadb``,
            ``sqlite``/``sqlite3``, ``tsql``/``mssql``/``sqlserver``, ``oracle``, ``db2``); ``None`` infers it with
            :func:`infer_dialect` (from ``path``, then content).
        path: where the text came from, used in error messages and as ``Schema.source``.

    Returns:
        The schema: tables in source order, named enums and domains, ``dialect`` set to the sqlglot dialect name.
        Statements that do not define tables (views, functions, triggers, grants, sequences, plain indexes, ...) are
        skipped.

    Raises:
        ConfigError: unknown dialect name (the message names the closest known one).
        SchemaReadError: a CREATE TABLE, ALTER TABLE ... ADD CONSTRAINT, CREATE UNIQUE INDEX, CREATE DOMAIN or
            CREATE TYPE ... AS ENUM that cannot be parsed or understood; the message gives ``path:line`` and the
            start of the statement.
        SchemaError: a foreign key (or primary key, unique constraint, INHERITS, PARTITION OF) names a table or
            column that does not exist.
    """
    notes: list[str] = []
    if dialect is None:
        entry, guessed = guess_dialect(text, path)
        if guessed:
            notes.append(f"no dialect given and none recognisable in the text: read as {entry.name}")
    else:
        entry = read_dialect(dialect)
    draft = DraftSchema(entry)
    draft.notes.extend(notes)
    reader = StatementReader(draft, path)
    restore = silence_sqlglot()
    statements = split_statements(text, entry)
    try:
        for line, statement in statements:
            reader.read(line, statement)
    finally:
        restore()
    schema = finish(draft, source=path)
    fills = trigger_fills(statements, schema)
    equalities = trigger_equalities(statements, schema)
    return replace(schema, trigger_fills=fills, trigger_equalities=equalities) if fills or equalities else schema


def read_ddl_file(path: str | os.PathLike[str], dialect: str | None = None) -> Schema:
    """Read the DDL file at ``path`` (UTF-8, a leading BOM is ignored); see :func:`read_ddl` for ``dialect``,
    the result and the errors. An unreadable file raises ``SchemaReadError``."""
    name = os.fspath(path)
    try:
        text = Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise SchemaReadError(f"cannot read DDL file: {e}", path=name) from e
    return read_ddl(text, dialect, path=name)
