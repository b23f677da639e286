"""The registry: one entry per dialect, looked up by name or alias, and recognised in a DDL file.

Entries, in the order their content clues are tried: PostgreSQL, MySQL/MariaDB, T-SQL, Oracle, SQLite (their clues
are the weakest: ``INTEGER PRIMARY KEY`` is standard SQL), DB2 (no clue). PostgreSQL, MySQL and SQLite are targets
(:class:`~seeder.dialects.model.TargetDialect`); the others are read only.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from pathlib import PurePath

from seeder.dialects.db2 import DB2
from seeder.dialects.model import Dialect, TargetDialect
from seeder.dialects.mysql import MySQL
from seeder.dialects.oracle import Oracle
from seeder.dialects.postgres import Postgres
from seeder.dialects.sqlite import SQLite
from seeder.dialects.tsql import TSQL
from seeder.errors import ConfigError

_ENTRIES: tuple[Dialect, ...] = (Postgres(), MySQL(), TSQL(), Oracle(), SQLite(), DB2())
#: The dialect of a DDL text nothing points at.
_FALLBACK = _ENTRIES[0]


def _keys(entry: Dialect) -> tuple[str, ...]:
    # The sqlglot name is a key too, so that Schema.dialect ("" for DB2) finds its entry again.
    return (entry.name, *entry.aliases, entry.sqlglot_dialect)


_BY_KEY: dict[str, Dialect] = {key: entry for entry in _ENTRIES for key in _keys(entry)}
_TARGETS: tuple[TargetDialect, ...] = tuple(e for e in _ENTRIES if isinstance(e, TargetDialect))
_TARGET_KEYS: dict[str, TargetDialect] = {key: entry for entry in _TARGETS for key in _keys(entry)}


def all_dialects() -> tuple[Dialect, ...]:
    """Every entry, in registry order (the order content clues are tried)."""
    return _ENTRIES


def target_dialects() -> tuple[TargetDialect, ...]:
    """The entries seeder writes for, in registry order: PostgreSQL, MySQL, SQLite."""
    return _TARGETS


def dialect_names() -> tuple[str, ...]:
    """The canonical target dialect names, sorted: ``('mysql', 'postgres', 'sqlite')``."""
    return tuple(sorted(e.name for e in _TARGETS))


def get_dialect(name: str | TargetDialect) -> TargetDialect:
    """Return the entry of target dialect ``name`` (scripts, DDL and loads are written for it).

    Args:
        name: ``postgres``/``postgresql``/``pg``, ``mysql``/``mariadb`` or ``sqlite``/``sqlite3`` (any case,
            surrounding blanks ignored); a :class:`TargetDialect` is returned unchanged.

    Raises:
        ConfigError: for any other name, read-only dialects included; the message suggests the closest valid name.
    """
    if isinstance(name, TargetDialect):
        return name
    key = str(name).strip().lower()
    entry = _TARGET_KEYS.get(key)
    if entry is not None:
        return entry
    valid = ", ".join(dialect_names())
    readable = _BY_KEY.get(key)
    if readable is not None and key:
        raise ConfigError(f"unknown target dialect '{name}': seeder reads {readable.title} DDL but does not write "
                          f"it; valid dialects are {valid}")
    close = difflib.get_close_matches(key, sorted(k for k in _TARGET_KEYS if k), n=1, cutoff=0.0)
    hint = f"did you mean '{_TARGET_KEYS[close[0]].name}'? " if close else ""
    raise ConfigError(f"unknown target dialect '{name}': {hint}valid dialects are {valid}")


def read_dialect(name: str | Dialect) -> Dialect:
    """Return the entry of a dialect the DDL reader reads, by name or alias (case-insensitive: ``"PostgreSQL"``,
    ``"mariadb"``, ``"mssql"``; ``"db2"`` and ``""`` name DB2); a :class:`Dialect` is returned unchanged.

    Raises:
        ConfigError: the name is unknown; the message suggests the closest known name (found with ``difflib``).
    """
    if isinstance(name, Dialect):
        return name
    key = name.strip().lower()
    entry = _BY_KEY.get(key)
    if entry is None:
        known = sorted(k for k in _BY_KEY if k)
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.0)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError(f"unknown SQL dialect {name!r}{hint} (known: {', '.join(known)})")
    return entry


@cache
def _clue(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE | re.MULTILINE)


def guess_dialect(text: str, path: str | None = None) -> tuple[Dialect, bool]:
    """Recognise the dialect of DDL ``text`` (optionally read from ``path``).

    Order: the file's base name (an entry's ``file_prefixes``: ``postgres*.sql`` / ``pg_*``, ``mysql*`` /
    ``mariadb*``, ``sqlite*``, ``tsql*`` / ``mssql*`` / ``sqlserver*``, ``oracle*``, ``db2*``), then a dotted part
    of it (``schema.sqlite.sql``, ``initial.postgres.sql``: the way projects name one schema per engine), then the
    entries'
    content clues in registry order (``::regclass``, ``CREATE TYPE .. AS ENUM``, ``SET search_path``, ``OWNER TO``
    -> postgres; ``AUTO_INCREMENT``/``ENGINE=`` -> mysql; ``GO`` lines -> tsql; ``VARCHAR2`` -> oracle;
    ``AUTOINCREMENT`` or ``INTEGER PRIMARY KEY`` -> sqlite).

    Returns:
        ``(entry, was_guessed)``; ``was_guessed`` is True only when nothing pointed at a dialect and PostgreSQL was
        returned as the default.
    """
    if path:
        base = PurePath(path).name.lower()
        for entry in _ENTRIES:
            if base.startswith(entry.file_prefixes):
                return entry, False
        for part in base.split(".")[1:-1]:
            for entry in _ENTRIES:
                if part.startswith(entry.file_prefixes):
                    return entry, False
    for entry in _ENTRIES:
        if entry.content_clue and _clue(entry.content_clue).search(text):
            return entry, False
    return _FALLBACK, True
