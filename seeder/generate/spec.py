"""ValueSpec: what values one column may take, derived from its type and its CHECK constraints.

The CHECK analysis (:mod:`seeder.generate.checks`) builds specs; the value generators
(:mod:`seeder.generate.values`) draw values that satisfy them; the engine (:mod:`seeder.generate.engine`) decides
keys, uniqueness and foreign keys around them; the LLM validator (:mod:`seeder.llm.validate`) judges a model's
values by them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from seeder.schema import Column, TableName
from seeder.types import length_limit


@dataclass(frozen=True)
class ValueSpec:
    """Constraints on one column's values, beyond its type.

    Bounds are in the column's Python value type (see :mod:`seeder.dataset`): ``int``/``Decimal``/``float`` for
    numbers, ``date``/``datetime``/``time`` for temporal kinds. ``None`` means unbounded: the type's own range
    still applies (:mod:`seeder.types`, for ``dialect``: integer widths, decimal precision/scale, MySQL TIMESTAMP).

    Attributes:
        column: the column (its type, name and nullability drive realistic values).
        table: the table it belongs to (for messages and for name-based realism, e.g. ``film.title``).
        lower, upper: bounds; ``lower_exclusive``/``upper_exclusive`` make them strict.
        choices: when set, every non-NULL value must be one of these (CHECK ``IN`` lists, enum labels).
        excluded: values that are not allowed (``<>``, ``NOT IN``).
        min_length, max_length: character-length bounds for string values (from the type and ``length()``-style
            CHECKs); a derived spec's ``max_length`` includes the declared ``varchar(n)``/``char(n)`` length already,
            :attr:`length_limit` includes it for any spec.
        like: SQL LIKE patterns every non-NULL string value must match (``%`` any run, ``_`` one character).
        not_like: SQL LIKE patterns no value may match.
        null_fraction: probability that a value is NULL (0.0 for NOT NULL columns).
        fixed: when not ``None``, every value must equal this (``CHECK (col = 1)``).
        dialect: the sqlglot dialect the column's type was read in, for the type facts that depend on it
            (:data:`seeder.types.DIALECT_RANGES`); ``""`` when unknown (the facts every dialect shares).
        semantic: what the column holds when the plan says so (a :class:`~seeder.plan.rules.Vocabulary` domain such
            as ``film_title``), overriding the kind judged from its name; ``None``: judged from the name.
        magnitude: ``(low, high, distribution)`` where random numbers should lie (a
            :class:`~seeder.plan.rules.Magnitude`), within the bounds; ``None``: the semantic kind's hint.
        rank_salt: chooses which value each rank of a unique column gets where values are numbered rather than
            drawn (plain words, short codes): the engine sets it from ``(seed, table, column)``, so another seed
            gives other unique values while equal ranks still give equal values for one salt; ``0``: the canonical
            order.
        case: ``"lower"`` / ``"upper"`` when every string must be its own case fold (``CHECK (name =
            lower(name))``, PowerDNS), else ``None``.
    """

    column: Column
    table: TableName
    lower: Any = None
    upper: Any = None
    lower_exclusive: bool = False
    upper_exclusive: bool = False
    choices: tuple[Any, ...] | None = None
    excluded: tuple[Any, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    like: tuple[str, ...] = ()
    not_like: tuple[str, ...] = ()
    null_fraction: float = 0.0
    fixed: Any = None
    dialect: str = ""
    semantic: str | None = None
    magnitude: tuple[float, float, str] | None = None
    rank_salt: int = 0
    case: str | None = None

    def bound_problem(self, value: Any) -> str | None:
        """Why a non-NULL ``value`` lies outside ``lower``/``upper`` (``too small: must be >= 5``), or ``None``
        when it is inside them (or of a type the bounds cannot be compared with)."""
        try:
            if self.lower is not None and (value < self.lower or (self.lower_exclusive and value == self.lower)):
                return f"too small: must be {'>' if self.lower_exclusive else '>='} {_show(self.lower)}"
            if self.upper is not None and (value > self.upper or (self.upper_exclusive and value == self.upper)):
                return f"too large: must be {'<' if self.upper_exclusive else '<='} {_show(self.upper)}"
        except TypeError:  # bounds of another type (e.g. a date bound on a string column): nothing to compare
            return None
        return None

    @property
    def length_limit(self) -> int | None:
        """The most characters a value may have: the declared length and ``max_length``, whichever is lower."""
        return length_limit(self.column.type, self.max_length)


def _show(value: Any) -> str:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime, dt.time)) else str(value)
