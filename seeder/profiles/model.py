"""The profile of a column and of a table, learnt from existing rows (see :mod:`seeder.profiles.learn`).

Profiles are plain frozen data, like the schema model: readers attach them to a
:class:`~seeder.readers.sources.SchemaSource`, the profile content source draws from them, and the fidelity report
compares generated values with them. They keep distributions, not rows: value frequencies of categorical columns,
101 quantiles of ordered columns, quantiles of string lengths and the most common string shapes. Only
:attr:`TableProfile.examples` (a few whole rows, for LLM prompts) and :attr:`TableProfile.fingerprints` (hashes, to
recognise a copied row) refer to individual rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from seeder.schema import TableName

#: How a column is profiled: ``category`` (few distinct values: frequencies), ``ordered`` (numbers, dates, times:
#: quantiles), ``text`` (strings with many distinct values: lengths and shapes).
ProfileKind = Literal["category", "ordered", "text"]

#: Percentiles at which ordered values and string lengths are kept (0, 1, ..., 100).
PERCENTS: tuple[float, ...] = tuple(float(p) for p in range(101))


@dataclass(frozen=True)
class ColumnProfile:
    """What the sampled values of one column look like.

    Attributes:
        name: the column name.
        kind: see :data:`ProfileKind`.
        value_type: the Python type of the values (see :mod:`seeder.profiles.scalar`).
        count: non-NULL values sampled; ``nulls``: NULLs sampled; ``distinct``: distinct non-NULL values.
        categories: ``category``: (value, count) pairs, most frequent first.
        quantiles: ``ordered``: the value images (:func:`~seeder.profiles.scalar.to_number`) at :data:`PERCENTS`.
        scale: ``ordered`` decimals: digits after the point.
        lengths: ``text``: string lengths at :data:`PERCENTS`.
        shapes: ``text``: (template, count) pairs of the most common shapes, most frequent first. A shape writes each
            letter as ``A``/``a``, each digit as ``9`` and keeps other characters (``"AB-1234"`` -> ``"AA-9999"``);
            a template also keeps, behind a backslash, the characters that every value of that shape shares
            (``"\\O\\R\\-9999"`` for order codes ``OR-1234``, ``OR-0042``, ...).
    """

    name: str
    kind: ProfileKind
    value_type: str
    count: int
    nulls: int
    distinct: int
    categories: tuple[tuple[Any, int], ...] = ()
    quantiles: tuple[float, ...] = ()
    scale: int = 0
    lengths: tuple[float, ...] = ()
    shapes: tuple[tuple[str, int], ...] = ()

    @property
    def null_fraction(self) -> float:
        """Share of NULLs in the sample (0.0 for an empty sample)."""
        total = self.count + self.nulls
        return self.nulls / total if total else 0.0

    def describe(self) -> str:
        """One line for people: ``category, 4 values`` / ``ordered 1.0 .. 99.0`` / ``text, length 5 .. 12``."""
        if self.kind == "category":
            return f"category, {len(self.categories)} values"
        if self.kind == "ordered":
            return f"{self.value_type} range"
        return f"text, length {int(self.lengths[0])}..{int(self.lengths[-1])}" if self.lengths else "text"


@dataclass(frozen=True)
class TableProfile:
    """The profiles of one table's columns, learnt from ``rows`` sampled rows.

    Attributes:
        table: the table's name in the schema.
        rows: rows sampled.
        columns: column name -> profile (columns that were not sampled or not profilable are absent).
        examples: a few sampled rows (column -> value), shown to a language model as examples of style.
        fingerprints: hashes of every sampled row (see :func:`seeder.profiles.learn.row_fingerprint`), so that a
            generated row equal to a sampled one can be recognised without keeping the rows.
    """

    table: TableName
    rows: int
    columns: Mapping[str, ColumnProfile] = field(default_factory=dict)
    examples: tuple[Mapping[str, Any], ...] = ()
    fingerprints: frozenset[int] = frozenset()
    fingerprint_columns: tuple[str, ...] = ()


#: Profiles of a whole schema, by table name.
Profiles = Mapping[TableName, TableProfile]
