"""Regular-expression CHECKs on text columns: read them, and make values that match.

``CHECK (code ~ '^[a-z0-9_]{1,100}$')`` (PostgreSQL POSIX regex), ``~*`` (case-insensitive), ``SIMILAR TO`` and MySQL
``REGEXP`` are not value specs the local generators understand, and random text almost never matches them. The
engine asks :func:`column_patterns` for each column's patterns and :func:`fit_patterns` replaces the values that do
not match with strings sampled from the pattern (:func:`seeder.generate.checks.regex.sample_matching`), keeping
realistic values that happen to match (``name ~ '^.{1,100}$'``).

PostgreSQL matches a ``char(n)`` value with its blank padding (``'ab'::char(4) ~ '^ab$'`` is false, as is
``LIKE 'ab'``), so patterns on ``char(n)`` columns are tested on the padded value and values are made exactly ``n``
characters long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlglot import exp

from seeder.errors import GenerationError
from seeder.generate.checks.forms import plain_column, strip
from seeder.generate.checks.regex import RegexUnsupported, posix_regex, sample_matching, similar_regex
from seeder.generate.checks.single_column import single_column_conjuncts
from seeder.generate.checks.sql_values import UnsupportedExpression
from seeder.generate.spec import ValueSpec
from seeder.schema import Column, Table
from seeder.types import CHARACTER_KINDS


@dataclass(frozen=True)
class TextPattern:
    """A compiled pattern values must match: with ``search`` (``~``, REGEXP) or in full (``SIMILAR TO``).

    ``pad`` is the width of a ``char(n)`` column: the value is matched blank-padded to it.
    """

    regex: re.Pattern[str]
    full: bool = False
    pad: int | None = None

    def matches(self, value: str) -> bool:
        if self.pad is not None:
            value = value.ljust(self.pad)
        return (self.regex.fullmatch(value) if self.full else self.regex.search(value)) is not None


def _pad(column: Column) -> int | None:
    return column.type.length if column.type.kind == "char" and column.type.length else None


def atom_pattern(table: Table, column: Column, atom: exp.Expression) -> TextPattern | None:
    """The pattern of a predicate ``column ~ 'p'`` / ``~* 'p'`` / ``SIMILAR TO 'p'`` (through transparent casts and
    a cast of the pattern literal), else ``None``."""
    node = strip(atom)
    if not isinstance(node, (exp.RegexpLike, exp.RegexpILike, exp.SimilarTo)) or node.args.get("flag") is not None:
        return None
    col = plain_column(table, node.this)
    if col is None or col.name != column.name:
        return None
    pattern = strip(node.expression)
    while isinstance(pattern, exp.Cast):
        pattern = strip(pattern.this)
    if not (isinstance(pattern, exp.RawString) or (isinstance(pattern, exp.Literal) and pattern.is_string)):
        return None
    try:
        if isinstance(node, exp.SimilarTo):
            return TextPattern(similar_regex(pattern.this), full=True, pad=_pad(column))
        return TextPattern(posix_regex(pattern.this, isinstance(node, exp.RegexpILike)), pad=_pad(column))
    except UnsupportedExpression:
        return None


def column_patterns(table: Table, column: Column) -> tuple[TextPattern, ...]:
    """Patterns every non-NULL value of ``column`` must match: the regex conjuncts of its single-column CHECKs."""
    if column.type.kind not in CHARACTER_KINDS | {"other"}:
        return ()
    out = []
    for conj, _check in single_column_conjuncts(table, column):
        pattern = atom_pattern(table, column, conj)
        if pattern is not None and pattern not in out:
            out.append(pattern)
    return tuple(out)


def matching_value(spec: ValueSpec, patterns: tuple[TextPattern, ...], rng: np.random.Generator) -> str | None:
    """One string matching every pattern within the spec's length bounds, or ``None`` if none was found."""
    lo, hi = spec.min_length or 0, spec.length_limit
    first = patterns[0]
    if first.pad is not None:
        lo = hi = first.pad  # a shorter value would be matched with trailing blanks
    for _ in range(8):
        try:
            value = sample_matching(first.regex, rng, min_length=lo, max_length=hi, fullmatch=first.full)
        except RegexUnsupported:
            return None
        if value is None:
            return None
        if all(p.matches(value) for p in patterns) and value not in spec.excluded:
            return value
    return None


def fit_patterns(spec: ValueSpec, patterns: tuple[TextPattern, ...], values: list[Any], rng: np.random.Generator, *,
                 unique: bool = False) -> None:
    """Replace (in place) the non-NULL values that miss a pattern with matching ones; distinct ones if ``unique``.

    Raises:
        GenerationError: no matching value (or not enough distinct ones) could be found, naming the column.
    """
    if not patterns:
        return
    taken = {v for v in values if isinstance(v, str) and all(p.matches(v) for p in patterns)} if unique else set()
    where = f"{spec.table}.{spec.column.name}"
    for i, value in enumerate(values):
        if value is None or (isinstance(value, str) and all(p.matches(value) for p in patterns)):
            continue
        for _ in range(50):
            candidate = matching_value(spec, patterns, rng)
            if candidate is None:
                raise GenerationError(f"{where}: cannot make a value matching its regular-expression CHECK "
                                      f"{patterns[0].regex.pattern!r} within its length limits")
            if not unique or candidate not in taken:
                break
        else:
            raise GenerationError(f"{where}: not enough distinct values match {patterns[0].regex.pattern!r}; "
                                  f"lower the row count")
        taken.add(candidate)
        values[i] = candidate
