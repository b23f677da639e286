"""How close generated values are to the sample they were meant to look like: one distance per column, 0 (same
distribution) to 1 (nothing in common).

* categories: the total variation distance, half the sum of absolute differences of value frequencies (NULL counts
  as a value): the share of rows that would have to change value to match the sample;
* ordered values: the Kolmogorov-Smirnov statistic, the largest gap between the two cumulative distributions (the
  sample's is read from its quantiles);
* text: the Kolmogorov-Smirnov statistic of the string lengths.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from seeder.dataset import Dataset
from seeder.profiles.model import PERCENTS, ColumnProfile, Profiles
from seeder.profiles.scalar import to_number


@dataclass(frozen=True)
class ColumnFidelity:
    """One column's distance: ``measure`` is ``TVD`` (categories) or ``KS`` (ordered values, string lengths)."""

    table: str
    column: str
    measure: str
    distance: float
    what: str

    def line(self) -> str:
        return f"{self.table}.{self.column}: {self.measure} {self.distance:.3f} ({self.what})"


def total_variation(profile: ColumnProfile, values: Sequence[Any]) -> float:
    """Half the L1 distance between the sample's and ``values``' frequencies (NULL included as a value)."""
    sample_total = profile.count + profile.nulls
    if not values or not sample_total:
        return 1.0
    expected = {v: c / sample_total for v, c in profile.categories}
    expected[None] = profile.nulls / sample_total
    got = {v: c / len(values) for v, c in Counter(values).items()}
    keys = set(expected) | set(got)
    return 0.5 * sum(abs(expected.get(k, 0.0) - got.get(k, 0.0)) for k in keys)


def ks_against_quantiles(quantiles: Sequence[float], images: Sequence[float]) -> float:
    """The Kolmogorov-Smirnov statistic between a distribution given by its percentiles and a set of values."""
    if not len(images):
        return 1.0
    xs = np.sort(np.asarray(images, dtype=float))
    q = np.asarray(quantiles, dtype=float)
    grid = np.unique(np.concatenate([xs, q]))
    sample_cdf = np.interp(grid, q, np.asarray(PERCENTS) / 100.0, left=0.0, right=1.0)
    got_cdf = np.searchsorted(xs, grid, side="right") / len(xs)
    return float(np.max(np.abs(sample_cdf - got_cdf)))


def column_fidelity(table: str, profile: ColumnProfile, values: Sequence[Any]) -> ColumnFidelity:
    """The distance between ``profile`` and generated ``values`` of one column."""
    if profile.kind == "category":
        return ColumnFidelity(table, profile.name, "TVD", total_variation(profile, list(values)),
                              f"{len(profile.categories)} categories")
    present = [v for v in values if v is not None]
    if profile.kind == "ordered":
        images = [to_number(v, profile.value_type) for v in present]
        return ColumnFidelity(table, profile.name, "KS", ks_against_quantiles(profile.quantiles, images),
                              f"{profile.value_type} distribution")
    lengths = [float(len(str(v))) for v in present]
    return ColumnFidelity(table, profile.name, "KS", ks_against_quantiles(profile.lengths, lengths),
                          "string lengths")


def fidelity(dataset: Dataset, profiles: Profiles) -> list[ColumnFidelity]:
    """A distance for every profiled column the dataset generated, tables in insert order. Primary-key and
    foreign-key columns are left out: their values are numbered and drawn from parents, not from the sample."""
    out = []
    for td in dataset.tables:
        profile = profiles.get(td.table.name)
        if profile is None or not td.row_count:
            continue
        keys = set(td.table.primary_key.columns) if td.table.primary_key else set()
        keys |= {c for fk in td.table.foreign_keys for c in fk.columns}
        for name in td.columns:
            cp = profile.columns.get(name)
            if cp is not None and name not in keys:
                out.append(column_fidelity(str(td.table.name), cp, td.column_values(name)))
    return out
