"""Which tables a run seeds: ``--only`` / ``--exclude`` (and ``only`` / ``exclude`` in the config file).

Patterns are table names or shell-style globs (:mod:`fnmatch`: ``*``, ``?``, ``[abc]``), matched case-insensitively
against both ``schema.table`` and the bare table name, so ``film``, ``public.film``, ``film_*`` and ``sales.*`` all
work. A pattern that matches no table is an error that suggests the closest names (a typo should not silently seed
nothing).
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable, Sequence

from seeder.errors import ConfigError
from seeder.schema import Schema, TableName


def _matches(pattern: str, name: TableName) -> bool:
    pattern = pattern.strip().lower()
    return any(fnmatch.fnmatchcase(candidate.lower(), pattern) for candidate in (str(name), name.name))


def _matching(schema: Schema, patterns: Iterable[str], option: str) -> set[TableName]:
    found: set[TableName] = set()
    names = [t.name for t in schema.tables]
    for pattern in patterns:
        hits = {n for n in names if _matches(pattern, n)}
        if not hits:
            close = difflib.get_close_matches(pattern, [str(n) for n in names], n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ConfigError(f"{option} {pattern!r} matches no table{hint}")
        found |= hits
    return found


def unselected_tables(schema: Schema, only: Sequence[str] = (), exclude: Sequence[str] = ()) -> dict[TableName, str]:
    """The tables ``only`` (default: all) minus ``exclude`` leave out, each with the reason the plan shows.

    Raises:
        ConfigError: a pattern matches no table (the message suggests the closest names).
    """
    if not only and not exclude:
        return {}
    chosen = _matching(schema, only, "--only") if only else {t.name for t in schema.tables}
    excluded = _matching(schema, exclude, "--exclude") if exclude else set()
    out: dict[TableName, str] = {}
    for t in schema.tables:
        if t.name in excluded:
            out[t.name] = "excluded (--exclude): existing rows only"
        elif t.name not in chosen:
            out[t.name] = "not selected (--only): existing rows only"
    return out
