"""Generating next to rows the tables already hold (engine design, section 5), in a few named steps.

The engine asks :class:`~seeder.plan.existing.ExistingTable` (through ``GenerationContext.existing``) and applies:

* :func:`shift_past_existing`: an integer column made unique starts past the largest existing value (its spec's
  lower bound is raised, so the capacity the planner and the skeleton see shrinks with it);
* :func:`unique_column_values`: any other unique column takes ranks offset by the table's row count (the same
  seed twice in a row does not replay ranks), then asks ``taken()`` once and re-ranks the collisions (a bounded number
  of rounds, deterministic given the database state);
* :func:`fk_targets` / :func:`draw_parents`: foreign-key targets are the parent's new rows plus a bounded sample of
  its existing keys, drawn with weights proportional to the row counts (a new order may belong to an old customer);
  a one-to-one FK leaves out existing parents that an existing child row already points at;
* :func:`avoid_taken_tuples`: a joint unique group (``playlist_track(playlist_id, track_id)``) re-draws the tuples
  existing rows already hold.

With no existing rows every function gives exactly what the engine gave before (same random draws).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from seeder.generate.checks.regex_checks import column_patterns, fit_patterns
from seeder.generate.spec import ValueSpec
from seeder.generate.values import generate_values
from seeder.plan.existing import KEY_SAMPLE_LIMIT, ExistingTable
from seeder.schema import ForeignKey, Table, TableName
from seeder.types import INTEGER_KINDS

if TYPE_CHECKING:
    from seeder.generate.context import GenerationContext

#: Rounds of re-ranking (each asks ``taken()`` once) before a collision is left to the final verification.
RERANK_ROUNDS = 8
#: Joint unique groups over at most this many tuples are checked against existing rows whole, in one ``taken()``.
ENUMERATE_LIMIT = 65_536


def existing_table(ctx: GenerationContext, name: TableName) -> ExistingTable | None:
    """The existing rows of ``name``, or ``None`` when the table is empty (or nothing is known about it)."""
    found = ctx.existing.get(name) if ctx.existing else None
    return found if found is not None and found.row_count > 0 else None


def existing_count(ctx: GenerationContext, name: TableName) -> int:
    """How many rows ``name`` holds already."""
    found = existing_table(ctx, name)
    return found.row_count if found is not None else 0


def shift_past_existing(ctx: GenerationContext, table: Table, specs: dict[str, ValueSpec],
                        unique_columns: list[str]) -> None:
    """Raise the lower bound of each integer column of ``unique_columns`` past its largest existing value (for a
    sequence-numbered column also past the sequence's last number, which ``max_value`` reports then)."""
    known = ctx.existing.get(table.name) if ctx.existing else None
    if known is None:
        return
    for col in unique_columns:
        spec = specs.get(col)
        if spec is None or not _counts_up(spec):
            continue
        numbered = spec.column.autoincrement or spec.column.identity is not None
        if not known.row_count and not numbered:
            continue
        top = known.max_value(col)
        if not isinstance(top, (int, np.integer)) or isinstance(top, bool):
            continue
        floor = int(top) + 1
        if spec.lower is None or spec.lower < floor or (spec.lower == floor - 1 and spec.lower_exclusive):
            specs[col] = replace(spec, lower=floor, lower_exclusive=False)


def _counts_up(spec: ValueSpec) -> bool:
    """An integer column over a range (not a list of allowed values): its unique values count up, so new ones can
    start past the existing ones."""
    return spec.column.type.kind in INTEGER_KINDS and spec.fixed is None and spec.choices is None


def unique_rank_offset(ctx: GenerationContext, table: Table, spec: ValueSpec) -> int:
    """The first rank of a unique column's new values: the table's row count, except for integer columns over a
    range (which start past the largest existing value instead, see :func:`shift_past_existing`)."""
    if _counts_up(spec):
        return 0
    return existing_count(ctx, table.name)


def unique_column_values(ctx: GenerationContext, table: Table, col: str, spec: ValueSpec, n: int, *,
                         first_row: int = 0, table_rows: int | None = None) -> list[Any]:
    """``n`` distinct values for unique column ``col`` that no existing row holds (re-ranked when one does).

    ``first_row``: the table row of the first value (a block's start); its rank is the rank offset plus
    ``first_row``, so blocks never share a rank. ``table_rows`` (default ``n``): the table's row count; re-ranked
    values take ranks past all rows (block ``first_row`` its own run of them).
    """
    patterns = column_patterns(table, table.column(col))
    offset = unique_rank_offset(ctx, table, spec)
    start = offset + first_row
    values = generate_values(spec, n, ctx.rng(table.name, col), unique=True, start=start)
    fit_patterns(spec, patterns, values, ctx.rng(table.name, col, "#pattern"), unique=True)
    found = existing_table(ctx, table.name)
    if found is None or not n:
        return values
    next_rank = offset + (n if table_rows is None else table_rows) + first_row * RERANK_ROUNDS
    for round_ in range(RERANK_ROUNDS):
        taken = found.taken((col,), [(v,) for v in values])
        bad = [i for i, v in enumerate(values) if (v,) in taken]
        if not bad:
            break
        fresh = generate_values(spec, len(bad), ctx.rng(table.name, col, f"#rerank{round_}"), unique=True,
                                start=next_rank)
        fit_patterns(spec, patterns, fresh, ctx.rng(table.name, col, f"#rerank-pattern{round_}"), unique=True)
        next_rank += len(bad)
        for i, v in zip(bad, fresh, strict=True):
            values[i] = v
    return values


@dataclass(frozen=True)
class FkTargets:
    """The rows a foreign key may point at: the parent's new rows first, then a sample of its existing keys.

    Attributes:
        columns: one list per referenced column: ``new`` values of new rows, then the sampled existing ones.
        new: how many of them are new rows.
        existing: how many rows the parent holds already (the sample stands for all of them).
    """

    columns: list[Sequence[Any]]
    new: int
    existing: int

    @property
    def size(self) -> int:
        """Candidates in ``columns``."""
        return len(self.columns[0]) if self.columns else 0

    @property
    def sampled(self) -> int:
        """Existing keys in ``columns``."""
        return self.size - self.new


def fk_targets(ctx: GenerationContext, fk: ForeignKey) -> FkTargets:
    """The candidates of ``fk``: the parent's generated rows (if it is generated in this run) and a sample of up to
    :data:`~seeder.plan.existing.KEY_SAMPLE_LIMIT` existing keys (cached per parent and columns)."""
    generated = ctx.has_rows_of(fk.ref_table)
    kept: list[Sequence[Any]] = ([ctx.parent_column(fk.ref_table, rc) for rc in fk.ref_columns] if generated
                                 else [[] for _ in fk.ref_columns])
    new = ctx.parent_row_count(fk.ref_table)
    found = existing_table(ctx, fk.ref_table)
    if found is None:
        return FkTargets(kept, new, 0)
    columns = [list(c) for c in kept]
    key = (fk.ref_table, fk.ref_columns)
    if key not in ctx.key_samples:
        ctx.key_samples[key] = found.key_sample(fk.ref_columns, KEY_SAMPLE_LIMIT)
    for row in ctx.key_samples[key]:
        for values, v in zip(columns, row, strict=True):
            values.append(v)
    return FkTargets(columns, new, found.row_count)


def draw_parents(targets: FkTargets, rng: np.random.Generator, n: int) -> list[int]:
    """``n`` candidate indices: a new row with probability new / (new + existing), else a sampled existing key."""
    m = targets.new
    if not targets.sampled:
        return [int(i) for i in rng.integers(0, m, n)]
    share_old = targets.existing / (targets.existing + m)
    old = rng.random(n) < share_old
    picks = np.where(old, m + rng.integers(0, targets.sampled, n), rng.integers(0, max(m, 1), n))
    return [int(i) for i in picks]


def free_one_to_one(ctx: GenerationContext, table: Table, fk: ForeignKey, targets: FkTargets) -> list[int]:
    """Candidate indices of a one-to-one FK: every new parent row, and the sampled existing parents that no existing
    row of ``table`` points at yet."""
    free = list(range(targets.new))
    found = existing_table(ctx, table.name)
    sampled = list(range(targets.new, targets.size))
    if found is None or not sampled:
        return free + sampled
    keys = [tuple(c[i] for c in targets.columns) for i in sampled]
    taken = found.taken(fk.columns, keys)
    return free + [i for i, k in zip(sampled, keys, strict=True) if k not in taken]


def avoid_taken_tuples(ctx: GenerationContext, table: Table, columns: tuple[str, ...], picks: list[int], total: int,
                       decode: Callable[[list[int]], list[tuple[Any, ...]]], rng: np.random.Generator) -> list[int]:
    """Replace the picks (indices into a product of domains, decoded by ``decode`` into tuples of ``columns``)
    whose tuple an existing row of ``table`` holds by unused indices whose tuple no row holds.

    A product of at most :data:`ENUMERATE_LIMIT` tuples is checked whole with one ``taken()`` call (tight domains:
    a one-to-one key whose free parents are exactly as many as the rows); a larger one is re-drawn in a bounded
    number of rounds, never twice on an index found taken.
    """
    found = existing_table(ctx, table.name)
    if found is None or not picks:
        return picks
    if total <= ENUMERATE_LIMIT:
        everything = list(range(total))
        tuples = decode(everything)
        held = found.taken(columns, tuples)
        free = [i for i in everything if tuples[i] not in held]
        free_set = set(free)
        kept = {p for p in picks if p in free_set}
        spare = [i for i in rng.permutation(free).tolist() if i not in kept]
        return [p if p in kept else spare.pop() for p in picks] if len(spare) >= len(picks) - len(kept) else picks
    used, bad_indices = set(picks), set()
    for _ in range(RERANK_ROUNDS):
        tuples = decode(picks)
        taken = found.taken(columns, tuples)
        bad = [i for i, t in enumerate(tuples) if t in taken]
        bad_indices.update(picks[i] for i in bad)
        if not bad or len(used) >= total:
            break
        for i in bad:
            for _attempt in range(64):
                candidate = int(rng.integers(0, total))
                if candidate not in used and candidate not in bad_indices:
                    used.add(candidate)
                    picks[i] = candidate
                    break
    return picks
