"""Learn :class:`~seeder.profiles.model.ColumnProfile` s from sampled values.

A column is a *category* when it has few distinct values compared with the sample (booleans always; at most
:data:`CATEGORY_LIMIT` values, each seen :data:`CATEGORY_MIN_REPEAT` times on average); otherwise ordered values
(numbers, dates, times) keep 101 quantiles and strings keep length quantiles and their most common shapes.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from seeder.profiles.model import PERCENTS, ColumnProfile, TableProfile
from seeder.profiles.scalar import ORDERED, decimal_scale, to_number, value_type
from seeder.schema import Table

#: Most distinct values a categorical column may have.
CATEGORY_LIMIT = 20
#: A categorical column's values repeat at least this often on average (so ids and names are not categories).
CATEGORY_MIN_REPEAT = 2.0
#: Shapes kept per text column.
SHAPES_KEPT = 20
#: Sampled rows kept as examples for prompts.
EXAMPLE_ROWS = 3


def is_categorical(values: Sequence[Any], vtype: str) -> bool:
    """Whether non-NULL ``values`` of type ``vtype`` look like a category (few values, each repeated)."""
    if not values:
        return False
    if vtype == "bool":
        return True
    distinct = len(set(values))
    return distinct <= CATEGORY_LIMIT and len(values) >= CATEGORY_MIN_REPEAT * distinct


def shape(text: str) -> str:
    """The shape of a string: letters as ``A``/``a``, digits as ``9``, the rest kept (``"AB-12"`` -> ``"AA-99"``)."""
    out = []
    for ch in text:
        if ch.isdigit():
            out.append("9")
        elif ch.isalpha():
            out.append("A" if ch.isupper() else "a")
        else:
            out.append(ch)
    return "".join(out)


def template(values: Sequence[str]) -> str:
    """The template of strings that share one shape: letters as ``A``/``a`` and digits as ``9``, except those that
    are the same in every value, which are kept behind a backslash like any other character
    (``["OR-12", "OR-97"]`` -> ``"\\O\\R\\-99"``). A single value gives its bare shape, so a template never
    spells out a whole sampled value."""
    first = values[0]
    varying = len(set(values)) >= 2
    out = []
    for i, ch in enumerate(first):
        placeholder = "9" if ch.isdigit() else ("A" if ch.isupper() else "a") if ch.isalpha() else None
        if placeholder is None or (varying and all(v[i] == ch for v in values)):
            out.append("\\" + ch)
        else:
            out.append(placeholder)
    return "".join(out)


def _templates(values: Sequence[str]) -> tuple[tuple[str, int], ...]:
    groups: dict[str, list[str]] = {}
    for v in values:
        groups.setdefault(shape(v), []).append(v)
    common = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:SHAPES_KEPT]
    return tuple((template(vs), len(vs)) for _, vs in common)


def profile_column(name: str, values: Sequence[Any], vtype: str) -> ColumnProfile | None:
    """The profile of one column from its sampled ``values`` (``None`` entries are NULLs), or ``None`` when the
    value type is not profiled (``other``) or nothing but NULLs was sampled."""
    present = [v for v in values if v is not None]
    nulls = len(values) - len(present)
    if vtype == "other" or not present:
        return None
    distinct = len(set(present))
    common = {"name": name, "value_type": vtype, "count": len(present), "nulls": nulls, "distinct": distinct}
    if is_categorical(present, vtype):
        counts = Counter(present).most_common()
        return ColumnProfile(kind="category", categories=tuple(counts), **common)
    if vtype in ORDERED:
        images = np.array([to_number(v, vtype) for v in present], dtype=float)
        quantiles = tuple(float(q) for q in np.percentile(images, PERCENTS))
        scale = decimal_scale(present) if vtype == "decimal" else 0
        return ColumnProfile(kind="ordered", quantiles=quantiles, scale=scale, **common)
    if vtype == "str":
        lengths = np.array([len(v) for v in present], dtype=float)
        return ColumnProfile(kind="text", lengths=tuple(float(q) for q in np.percentile(lengths, PERCENTS)),
                             shapes=_templates(present), **common)
    return None


def row_fingerprint(row: Mapping[str, Any], columns: Sequence[str]) -> int:
    """A hash of ``row``'s values in ``columns``, the same for equal values however they were read (``1`` and
    ``Decimal('1')`` differ, as they differ in the database)."""
    text = json.dumps([str(row.get(c)) if row.get(c) is not None else None for c in columns], ensure_ascii=False)
    return zlib.crc32(text.encode("utf-8"))


def profile_table(table: Table, rows: Sequence[Mapping[str, Any]]) -> TableProfile:
    """The profile of ``table`` from sampled ``rows`` (column name -> Python value of the column's type).

    Columns missing from the rows are not profiled. Examples are the first :data:`EXAMPLE_ROWS` rows.
    """
    sampled = [c for c in table.columns if any(c.name in r for r in rows[:1])]
    columns = {}
    for col in sampled:
        profile = profile_column(col.name, [r.get(col.name) for r in rows], value_type(col.type))
        if profile is not None:
            columns[col.name] = profile
    names = tuple(c.name for c in sampled)
    fingerprints = frozenset(row_fingerprint(r, names) for r in rows)
    examples = tuple({c: r.get(c) for c in names} for r in rows[:EXAMPLE_ROWS])
    return TableProfile(table=table.name, rows=len(rows), columns=columns, examples=examples,
                        fingerprints=fingerprints, fingerprint_columns=names)
