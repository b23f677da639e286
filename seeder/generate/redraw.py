"""Regenerate one row the database rejected, keeping everything other rows depend on.

Some rules live where seeder cannot read them: a trigger that RAISEs, a CHECK that calls a user function, an
exclusion constraint. When the database rejects a row during a load (:mod:`seeder.loaders.judge` finds which one),
:class:`RowRedraw` draws new values for that row with a new salt, and the load tries it again.

What a redraw changes and what it keeps:

* kept: the columns other rows reference (referenced keys: children already point at them), sequence-numbered
  keys, cycle-broken foreign keys (an UPDATE sets them later), partition keys, self-references and foreign keys
  that overlap another foreign key; a primary key nothing references is redrawn like any unique constraint;
* redrawn: content columns (a fresh value within the column's spec), other unique columns (a fresh rank far past
  the run's own), and the remaining foreign keys (another parent row among the ones this run generated, or the
  existing keys the run sampled). A redrawn value in a unique constraint may repeat another row's: the database
  refuses it too, and the next attempt draws again.

The redrawn row is checked against the CHECKs seeder can evaluate (a few local tries); the database has the last
word. Parents that rows of the same table were accepted with are tried first half of the time (a trigger that wants
a parent with some property is usually satisfied by the same parents again). Deterministic: the salt is the row's
index and the attempt number, and the loads it serves run in a fixed order.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from seeder.dataset import Dataset, TableData
from seeder.errors import GenerationError
from seeder.generate.checks import derive_spec, failing_checks
from seeder.generate.checks.known_functions import functions_for
from seeder.generate.checks.regex_checks import column_patterns, fit_patterns
from seeder.generate.context import stable_hash
from seeder.generate.keys import unique_sets
from seeder.generate.partitions import partition_ranges
from seeder.generate.skeleton import NULL_FRACTION
from seeder.generate.values import generate_values
from seeder.schema import ForeignKey, Table, TableName

#: Local tries per redraw to find values that pass the CHECKs seeder can evaluate.
LOCAL_TRIES = 12
#: Ranks of redrawn unique values start this far past the row count, clear of the run's own ranks.
RANK_GAP = 1_000_000


class RowRedraw:
    """Redraws rows of ``dataset`` in place; call an instance as ``redraw(table_data, index, attempt) -> bool``.

    Args:
        dataset: the generated data (its schema and plan say what each column is).
        seed: the run's seed.
        key_samples: existing keys sampled during generation, by (parent table, referenced columns), used as
            foreign-key targets too (``GenerationContext.key_samples``); default none.
    """

    def __init__(self, dataset: Dataset, seed: int,
                 key_samples: dict[tuple[TableName, tuple[str, ...]], list[tuple[Any, ...]]] | None = None) -> None:
        self.dataset = dataset
        self.seed = seed
        self.key_samples = key_samples or {}
        self.functions = functions_for(dataset.schema)
        self.redrawn: list[tuple[TableName, int]] = []
        self._frozen: dict[TableName, frozenset[str]] = {}
        #: Parent keys of rows the database accepted after a redraw, per (table, FK): what worked is tried first.
        self._worked: dict[tuple[TableName, ForeignKey], list[tuple[Any, ...]]] = {}

    def __call__(self, td: TableData, index: int, attempt: int) -> bool:
        """Give row ``index`` of ``td`` new values (attempt ``attempt`` >= 1); False when nothing can change."""
        table = td.table
        frozen = self._frozen_columns(table)
        fks = [fk for fk in self._free_fks(table, frozen) if all(c in td.columns for c in fk.columns)]
        fk_cols = {c for fk in fks for c in fk.columns}
        content = [c for c in td.columns if c not in frozen and c not in fk_cols]
        if not content and not fks:
            return False
        best: dict[str, Any] | None = None
        for local in range(LOCAL_TRIES):
            rng = self._rng(table.name, f"#redraw{attempt}:{local}:{index}")
            row = {c: td.column_values(c)[index] for c in td.columns}
            for fk in fks:
                row.update(self._parent(fk, rng, table))
            for c in content:
                row[c] = self._value(table, c, rng, attempt, index, td.row_count)
            best = row
            if not failing_checks(table, row, functions=self.functions):
                break
        assert best is not None
        for c, v in best.items():
            td.column_values(c)[index] = v
        self.redrawn.append((table.name, index))
        return True

    def accepted(self, td: TableData, index: int) -> None:
        """Remember the parents of a row the database accepted after a redraw (tried first for the next rows)."""
        for fk in self._free_fks(td.table, self._frozen_columns(td.table)):
            if all(c in td.columns for c in fk.columns):
                key = tuple(td.column_values(c)[index] for c in fk.columns)
                if None not in key:
                    worked = self._worked.setdefault((td.table.name, fk), [])
                    if key not in worked:
                        worked.append(key)

    def _rng(self, table: TableName, salt: str) -> np.random.Generator:
        return np.random.default_rng([self.seed & 0xFFFFFFFF, stable_hash(str(table)), stable_hash(salt)])

    def _frozen_columns(self, table: Table) -> frozenset[str]:
        if table.name in self._frozen:
            return self._frozen[table.name]
        frozen: set[str] = set()
        for other in self.dataset.schema.tables:
            for fk in other.foreign_keys:
                if fk.ref_table == table.name:
                    frozen.update(fk.ref_columns)
        frozen.update(c for cb in self.dataset.plan.cycle_breaks if cb.table == table.name
                      for c in cb.foreign_key.columns)
        ranges = partition_ranges(table)
        if ranges:
            frozen.add(ranges[0])
        for fk in table.foreign_keys:
            overlapping = any(set(fk.columns) & set(o.columns) for o in table.foreign_keys if o is not fk)
            if fk.ref_table == table.name or overlapping:
                frozen.update(fk.columns)
        frozen.update(c.name for c in table.columns if c.generated or c.identity or c.autoincrement)
        self._frozen[table.name] = frozenset(frozen)
        return self._frozen[table.name]

    def _free_fks(self, table: Table, frozen: frozenset[str]) -> list[ForeignKey]:
        return [fk for fk in table.foreign_keys if not set(fk.columns) & frozen]

    def _parent(self, fk: ForeignKey, rng: np.random.Generator, table: Table) -> dict[str, Any]:
        """Another parent for ``fk``: a generated row of the parent table or a sampled existing key (or NULL)."""
        try:
            parent = self.dataset.table_data(fk.ref_table)
            keys = list(zip(*(parent.column_values(rc) for rc in fk.ref_columns), strict=True))
        except KeyError:
            keys = []
        keys += self.key_samples.get((fk.ref_table, fk.ref_columns), [])
        nullable = all(table.column(c).nullable for c in fk.columns)
        worked = self._worked.get((table.name, fk))
        if worked and rng.random() < 0.5:
            return dict(zip(fk.columns, worked[int(rng.integers(0, len(worked)))], strict=True))
        if not keys:
            return {c: None for c in fk.columns} if nullable else {}
        if nullable and rng.random() < NULL_FRACTION:
            return {c: None for c in fk.columns}
        chosen = keys[int(rng.integers(0, len(keys)))]
        return dict(zip(fk.columns, chosen, strict=True))

    def _value(self, table: Table, column: str, rng: np.random.Generator, attempt: int, index: int,
               rows: int) -> Any:
        col = table.column(column)
        spec = derive_spec(table, col, null_fraction=NULL_FRACTION if col.nullable else 0.0,
                           dialect=self.dataset.schema.dialect)
        unique = any(column in cols for cols in unique_sets(table))
        try:
            start = RANK_GAP + rows * attempt + index if unique else 0
            values = generate_values(spec, 1, rng, unique=unique, start=start)
        except GenerationError:
            values = generate_values(spec, 1, rng)
        fit_patterns(spec, column_patterns(table, col), values, rng)  # regex CHECKs (lower-case codes, ...)
        return values[0]
