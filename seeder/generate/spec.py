"""ValueSpec: what values one column may take, derived from its type and its CHECK constraints.

The CHECK analysis (:mod:`seeder.generate.checks`) builds specs; the value generators
(:mod:`seeder.generate.values`) draw values that satisfy them; the engine (:mod:`seeder.generate.engine`) decides
keys, uniqueness and foreign keys around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from seeder.schema import Column, TableName


@dataclass(frozen=True)
class ValueSpec:
    """Constraints on one column's values, beyond its type.

    Bounds are in the column's Python value type (see :mod:`seeder.dataset`): ``int``/``Decimal``/``float`` for
    numbers, ``date``/``datetime``/``time`` for temporal kinds. ``None`` means unbounded (the type's own range still
    applies: the value generators know integer widths, decimal precision/scale and varchar lengths).

    Attributes:
        column: the column (its type, name and nullability drive realistic values).
        table: the table it belongs to (for messages and for name-based realism, e.g. ``film.title``).
        lower, upper: bounds; ``lower_exclusive``/``upper_exclusive`` make them strict.
        choices: when set, every non-NULL value must be one of these (CHECK ``IN`` lists, enum labels).
        excluded: values that are not allowed (``<>``, ``NOT IN``).
        min_length, max_length: character-length bounds for string values (from the type and ``length()``-style
            CHECKs); ``max_length`` already includes the declared ``varchar(n)``/``char(n)`` length.
        like: SQL LIKE patterns every non-NULL string value must match (``%`` any run, ``_`` one character).
        not_like: SQL LIKE patterns no value may match.
        null_fraction: probability that a value is NULL (0.0 for NOT NULL columns).
        fixed: when not ``None``, every value must equal this (``CHECK (col = 1)``).
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
