"""CHECKs over NOT NULL key and foreign-key columns only (``CHECK (tag1 < tag2)`` on a pair of FKs to one table).

Content repairs cannot help such a CHECK: every column it names is decided by the skeleton and cannot be NULL
(CHECKs that name a nullable foreign key are left to :mod:`seeder.generate.check_repair`, which may clear it). After
the skeleton's foreign keys are assigned, :func:`repick_foreign_keys` re-draws the parent row of one of the CHECK's
foreign keys on each failing row until the row passes, keeping every unique key (primary key, UNIQUE constraints,
joint groups) that contains the foreign key's columns distinct.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from seeder.generate.checks import Functions, all_checks, check_passes
from seeder.generate.checks.forms import referenced_columns
from seeder.schema import ForeignKey, Table

#: Parent rows tried per failing row before the row is left to the CHECK repair (which then names the CHECK).
ATTEMPTS = 60

#: The key tuples of an FK's parent rows: ``fk -> [(value of ref column 1, ...), ...]``.
ParentKeys = Callable[[ForeignKey], Sequence[tuple[Any, ...]]]


def _key(values: dict[str, list[Any]], cols: tuple[str, ...], i: int) -> tuple[Any, ...] | None:
    key = tuple(values[c][i] for c in cols)
    return None if any(k is None for k in key) else key


def repick_foreign_keys(table: Table, values: dict[str, list[Any]], n: int, fks: Sequence[ForeignKey],
                        unique_sets: Sequence[tuple[str, ...]], parent_keys: ParentKeys, rng: np.random.Generator, *,
                        functions: Functions | None = None) -> int:
    """Re-draw foreign keys on rows failing a CHECK that only names decided columns; return the rows fixed.

    Args:
        table: the (effective) table.
        values: decided columns (keys, FKs), name -> ``n`` values, modified in place.
        n: row count.
        fks: the foreign keys that may be re-drawn (not self-references, not cycle-broken, not sharing columns with
            another FK).
        unique_sets: column sets whose tuples must stay distinct (PK, total UNIQUEs, joint groups).
        parent_keys: the parent key tuples of each FK.
        rng: random source.
        functions: known SQL functions for the evaluator.
    """
    decided = set(values)
    fk_cols = {c for fk in fks for c in fk.columns}
    checks = []
    for check in all_checks(table):
        cols = referenced_columns(table, check.expression)
        if cols and {c.name for c in cols} <= decided and {c.name for c in cols} & fk_cols \
                and not any(c.nullable for c in cols):
            checks.append((check, {c.name for c in cols}))
    if not checks or not n:
        return 0
    names = sorted({c for _check, cols in checks for c in cols})
    bad = [i for i in range(n)
           if not all(check_passes(ch, {c: values[c][i] for c in cols}, functions=functions) for ch, cols in checks)]
    if not bad:
        return 0
    sets = [s for s in unique_sets if all(c in values for c in s)]
    counts = [Counter(k for i in range(n) if (k := _key(values, s, i)) is not None) for s in sets]
    fixed = 0
    for i in bad:
        row = {c: values[c][i] for c in names}
        failing = [(ch, cols) for ch, cols in checks if not check_passes(ch, row, functions=functions)]
        if not failing:
            continue
        options = [fk for fk in fks if any(set(fk.columns) & cols for _ch, cols in failing)]
        if not options:
            continue
        if any(not parent_keys(fk) for fk in options):
            continue
        for attempt in range(ATTEMPTS):
            # one FK at a time first (the smallest change), every FK of the CHECK together on odd attempts
            chosen = options if attempt % 2 else [options[int(rng.integers(0, len(options)))]]
            columns = {c for fk in chosen for c in fk.columns}
            touched = [k for k, s in enumerate(sets) if set(s) & columns]
            old_keys = {k: _key(values, sets[k], i) for k in touched}
            old = {c: values[c][i] for c in columns}
            for fk in chosen:
                parents = parent_keys(fk)
                pick = parents[int(rng.integers(0, len(parents)))]
                for c, v in zip(fk.columns, pick, strict=True):
                    values[c][i] = v
            new_keys = {k: _key(values, sets[k], i) for k in touched}
            clash = any(new_keys[k] is not None and new_keys[k] != old_keys[k] and counts[k][new_keys[k]] > 0
                        for k in touched)
            row = {c: values[c][i] for c in names}
            if not clash and all(check_passes(ch, row, functions=functions) for ch, _cols in checks):
                for k in touched:
                    if old_keys[k] is not None:
                        counts[k][old_keys[k]] -= 1
                    if new_keys[k] is not None:
                        counts[k][new_keys[k]] += 1
                fixed += 1
                break
            for c, v in old.items():
                values[c][i] = v
    return fixed
