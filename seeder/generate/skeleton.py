"""A table's skeleton: keys, unique columns, partition keys and foreign keys, decided by construction.

Before any content exists, :func:`skeleton` decides every column a PRIMARY KEY, UNIQUE constraint, partition or
foreign key governs (see :mod:`seeder.generate.keys` for how each unique constraint is met), lowers the row count to
what the constraints allow (saying why in the run's notes), and describes the content columns still to fill as a
:class:`~seeder.generate.content.ContentRequest`. Foreign keys take whole key tuples of parent rows; a
self-reference points at earlier rows (trees); a cycle-broken FK whose parent comes later is left for
:func:`fill_pending` to fill once the parent exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from seeder.dataset import TableData
from seeder.errors import GenerationError
from seeder.generate.checks import derive_spec
from seeder.generate.content import ContentRequest
from seeder.generate.context import GenerationContext, PendingForeignKey
from seeder.generate.existing_rows import (
    avoid_taken_tuples,
    draw_parents,
    existing_count,
    fk_targets,
    free_one_to_one,
    shift_past_existing,
    unique_column_values,
    unique_rank_offset,
)
from seeder.generate.fk_strategies import (
    apply_agreements,
    apply_existence,
    apply_own_row,
    fanout_group,
    fanout_indices,
    fanout_rule,
)
from seeder.generate.inheritance import shift_past_family
from seeder.generate.key_checks import repick_foreign_keys
from seeder.generate.keys import KeyLayout, key_layout, unique_constraints, unique_sets
from seeder.generate.partitions import partition_ranges
from seeder.generate.row_rules import shape_spec
from seeder.generate.spec import ValueSpec
from seeder.generate.values import generate_values, unique_capacity
from seeder.plan.rules import Existence
from seeder.schema import Column, ForeignKey, Table, TableName

#: Share of NULLs in nullable content columns and nullable foreign keys.
NULL_FRACTION = 0.1
#: Share of rows of a nullable self-reference that are roots (NULL parent).
ROOT_FRACTION = 0.2


def written_columns(table: Table) -> list[Column]:
    """The columns seeder writes: not generated (computed) ones, nor ``other``-typed ones the DEFAULT fills."""
    cols = []
    for c in table.columns:
        if c.generated:
            continue
        if c.type.kind == "other" and c.default is not None:
            continue  # a type we cannot write but the database can fill: let the DEFAULT do it
        cols.append(c)
    return cols


@dataclass
class TableWork:
    """A table between its skeleton and its content."""

    table: Table
    n: int
    names: list[str]
    values: dict[str, list[Any]]
    specs: dict[str, ValueSpec]
    fixed: set[str]
    request: ContentRequest | None
    unique_columns: list[str] = field(default_factory=list)


def skeleton(ctx: GenerationContext, table: Table, n: int, broken: set[tuple[TableName, ForeignKey]]) -> TableWork:
    """Decide keys, unique columns, partition keys and FKs of ``table``; describe the content still to fill."""
    written = written_columns(table)
    names = [c.name for c in written]
    name_set = set(names)
    fks = [fk for fk in table.foreign_keys if set(fk.columns) <= name_set]
    fk_cols = {c for fk in fks for c in fk.columns}
    deferred = frozenset(fk for fk in fks if (table.name, fk) in broken and fk.ref_table != table.name)
    layout = key_layout(table, fk_cols, name_set, deferred,
                        parent_unique=lambda fk, cols: _parent_unique(ctx, fk, cols))
    values: dict[str, list[Any]] = {}

    n = _limit_by_groups(ctx, table, layout, n)
    rules = ctx.plan.rules.for_table(table.name)
    specs = {c.name: shape_spec(_spec(ctx, table, c, layout), rules) for c in written if c.name not in fk_cols}
    shift_past_existing(ctx, table, specs, layout.unique_columns)
    shift_past_family(ctx, table, specs, layout.unique_columns)
    n = _limit_by_unique_capacity(ctx, table, layout, specs, n)

    # joint groups (distinct tuples), unique columns, partition keys
    for group in layout.groups:
        fresh = not existing_count(ctx, table.name) and not _any_existing_parent(ctx, group.fks)
        fanned = fanout_group(ctx, table, group.fks, n, fresh=fresh) if not group.columns else None
        values.update(fanned if fanned is not None else _sample_group(ctx, table, group, specs, n))
    for col in layout.unique_columns:
        if col not in values:
            values[col] = unique_column_values(ctx, table, col, specs[col], n)
    partition_keys = _partition_key_values(ctx, table, specs, n, values)
    values.update(partition_keys)

    # foreign keys (composite first, so shared columns are decided by the wider key)
    for fk in sorted(fks, key=lambda f: -len(f.columns)):
        if layout.group_of_fk(fk) is not None:
            continue
        unique = _fk_is_unique(table, fk)
        if fk in deferred and fk.ref_table not in ctx.data:
            for c in fk.columns:
                values.setdefault(c, [None] * n)
            ctx.pending.append(PendingForeignKey(table.name, fk, unique))
            continue
        _assign_fk(ctx, table, fk, n, values, unique)
    _apply_cross_table_rules(ctx, table, layout, fks, deferred, values, n)
    _repick_for_key_checks(ctx, table, layout, fks, deferred, values, n)

    fixed = set(layout.unique_columns) | fk_cols | {c for g in layout.groups for c in g.columns} | set(partition_keys)
    content_cols = [c for c in written if c.name not in values]
    request = None
    if content_cols and n:
        parents: dict[ForeignKey, TableData | None] = {
            fk: (None if fk.ref_table == table.name else ctx.data.get(fk.ref_table)) for fk in fks}
        request = ContentRequest(table=table, columns=content_cols, specs=specs, skeleton=values, n=n,
                                 parents=parents, rng_for=lambda col, t=table.name: ctx.rng(t, col))
    return TableWork(table=table, n=n, names=names, values=values, specs=specs, fixed=fixed, request=request,
                      unique_columns=list(layout.unique_columns))


def _any_existing_parent(ctx: GenerationContext, fks: list[ForeignKey]) -> bool:
    return any(existing_count(ctx, fk.ref_table) for fk in fks)


def _apply_cross_table_rules(ctx: GenerationContext, table: Table, layout: KeyLayout, fks: list[ForeignKey],
                             deferred: frozenset[ForeignKey], values: dict[str, list[Any]], n: int) -> None:
    """Existence and agreement rules re-draw FKs the loop above decided (see :mod:`seeder.generate.fk_strategies`):
    existence on any FKs (distinct witness tuples no existing row holds where the members form a unique key),
    agreement only on FKs that are free to move (no joint key, not one-to-one, not a cycle break or self-reference)."""
    if not n:
        return
    uniques = [set(cols) for cols in unique_sets(table)]
    for rule in ctx.plan.rules.of(Existence, table.name):
        apply_existence(ctx, table, values, n, set(rule.members) in uniques)
    free = [fk for fk in fks if fk.ref_table != table.name and fk not in deferred and layout.group_of_fk(fk) is None
            and not _fk_is_unique(table, fk)]
    apply_agreements(ctx, table, values, n, free)


def _repick_for_key_checks(ctx: GenerationContext, table: Table, layout: KeyLayout, fks: list[ForeignKey],
                           deferred: frozenset[ForeignKey], values: dict[str, list[Any]], n: int) -> None:
    """Re-draw parent rows where a CHECK names only decided columns and fails (``tag1 < tag2``)."""
    repickable = [fk for fk in fks if fk.ref_table != table.name and fk not in deferred and fk.ref_table in ctx.data
                  and not any(set(fk.columns) & set(o.columns) for o in fks if o is not fk)]
    if not repickable or not n:
        return
    sets = [cols for cols, partial in unique_constraints(table) if not partial]
    sets += [g.constraint for g in layout.groups if g.constraint not in sets]
    cache: dict[ForeignKey, list[tuple[Any, ...]]] = {}

    def parent_keys(fk: ForeignKey) -> list[tuple[Any, ...]]:
        if fk not in cache:
            parent = ctx.data[fk.ref_table]
            cache[fk] = list(zip(*(parent.column_values(rc) for rc in fk.ref_columns), strict=True))
        return cache[fk]

    repick_foreign_keys(table, values, n, repickable, sets, parent_keys, ctx.rng(table.name, "", "#repick"),
                        functions=ctx.functions)


def _spec(ctx: GenerationContext, table: Table, column: Column, layout: KeyLayout) -> ValueSpec:
    keyish = column.name in layout.unique_columns or layout.group_of_column(column.name) is not None
    in_pk = bool(table.primary_key and column.name in table.primary_key.columns)
    nf = NULL_FRACTION if column.nullable and not keyish and not in_pk else 0.0
    spec = derive_spec(table, column, null_fraction=nf, dialect=ctx.schema.dialect)
    return replace(spec, rank_salt=ctx.rank_salt(table.name, column.name))


def _limit(ctx: GenerationContext, table: Table, n: int, cap: int, why: str) -> int:
    if cap < n:
        ctx.notes.append(f"{table.name}: {why}; generating {cap} rows instead of {n}")
        return cap
    return n


def _limit_by_unique_capacity(ctx: GenerationContext, table: Table, layout: KeyLayout,
                              specs: dict[str, ValueSpec], n: int) -> int:
    for col in layout.unique_columns:
        cap = unique_capacity(specs[col])
        if cap is not None:
            used = unique_rank_offset(ctx, table, specs[col])
            why = f"unique column {col} has only {cap} possible values"
            n = _limit(ctx, table, n, max(cap - used, 0), f"{why}, {used} of them taken by existing rows" if used
                       else why)
    return n


def _group_sizes(ctx: GenerationContext, table: Table, group: Any,
                 specs: dict[str, ValueSpec] | None, n: int) -> list[int]:
    sizes = [fk_targets(ctx, fk).size for fk in group.fks]
    for col in group.columns:
        spec = specs[col] if specs else derive_spec(table, table.column(col), dialect=ctx.schema.dialect)
        cap = unique_capacity(spec)
        sizes.append(cap if cap is not None else max(n, 1))  # unbounded: n distinct values are plenty
    return sizes


def _limit_by_groups(ctx: GenerationContext, table: Table, layout: KeyLayout, n: int) -> int:
    """Lower ``n`` to what the joint groups allow; a partial unique index's group is dropped instead (rows that
    repeat its key get its predicate made false, see :func:`_enforce_uniques`)."""
    for group in list(layout.groups):
        cap = 1
        for size in _group_sizes(ctx, table, group, None, n):
            cap *= size
        used = existing_count(ctx, table.name)
        if group.partial and cap - used < n:
            layout.groups.remove(group)
            continue
        why = f"unique ({', '.join(group.constraint)}) allows only {cap} combinations"
        n = _limit(ctx, table, n, max(cap - used, 0), f"{why}, {used} of them taken by existing rows" if used
                   else why)
    return n


def _parent_unique(ctx: GenerationContext, fk: ForeignKey, ref_columns: tuple[str, ...]) -> bool:
    """Whether the parent of ``fk`` is unique on ``ref_columns`` (its PK or a total UNIQUE within them)."""
    parent = ctx.data.get(fk.ref_table)
    if parent is None and existing_count(ctx, fk.ref_table) == 0:
        return False
    parent_table = parent.table if parent is not None else ctx.schema.table(fk.ref_table)
    return any(not partial and set(cols) <= set(ref_columns) for cols, partial in unique_constraints(parent_table))


def _sample_group(ctx: GenerationContext, table: Table, group: Any, specs: dict[str, ValueSpec],
                  n: int) -> dict[str, list[Any]]:
    """Distinct tuples for a joint group: distinct indices into the product of its domains, decoded mixed-radix."""
    sizes = _group_sizes(ctx, table, group, specs, n)
    rng = ctx.rng(table.name, "|".join(group.constraint), "#group")
    total = 1
    for s in sizes:
        total *= s
    if n == 0:
        picks: list[int] = []
    elif total < 2**62:
        picks = [int(i) for i in rng.choice(total, size=n, replace=False)]
    else:  # astronomically large product: random digits, duplicates practically impossible, verified later
        picks = []
    refs = [fk_targets(ctx, fk).columns for fk in group.fks]
    domains = [generate_values(specs[col], sizes[len(group.fks) + j], ctx.rng(table.name, col, "#domain"),
                               unique=True) for j, col in enumerate(group.columns)]

    def decode(chosen: list[int]) -> dict[str, list[Any]]:
        rest = list(chosen)
        digits: list[list[int]] = []
        for s in reversed(sizes):
            digits.append([r % s for r in rest])
            rest = [r // s for r in rest]
        digits.reverse()
        return _group_values(group, refs, domains, digits)

    if not picks:
        digits = [[int(x) for x in rng.integers(0, s, n)] if n else [] for s in sizes]
        return _group_values(group, refs, domains, digits)
    picks = avoid_taken_tuples(ctx, table, group.constraint, picks, total,
                               lambda chosen: list(zip(*(decode(chosen)[c] for c in group.constraint), strict=True)),
                               ctx.rng(table.name, "|".join(group.constraint), "#group-existing"))
    return decode(picks)


def _group_values(group: Any, refs: list[list[list[Any]]], domains: list[list[Any]],
                  digits: list[list[int]]) -> dict[str, list[Any]]:
    """The columns of a joint group from per-component indices (``digits``) into its parents' keys and domains."""
    out: dict[str, list[Any]] = {}
    for k, fk in enumerate(group.fks):
        for col, ref in zip(fk.columns, refs[k], strict=False):
            out[col] = [ref[i] for i in digits[k]]
    for j, col in enumerate(group.columns):
        out[col] = [domains[j][i] for i in digits[len(group.fks) + j]]
    return out


def _fk_is_unique(table: Table, fk: ForeignKey) -> bool:
    return any(set(cols) == set(fk.columns) for cols in unique_sets(table))


def _assign_fk(ctx: GenerationContext, table: Table, fk: ForeignKey, n: int, values: dict[str, list[Any]],
               unique: bool) -> None:
    """Fill the columns of ``fk`` with whole key tuples of its parent (or of earlier rows, for self-references)."""
    rng = ctx.rng(table.name, "|".join(fk.columns), "#fk")
    nullable = all(table.column(c).nullable for c in fk.columns)
    if fk.ref_table == table.name:
        refs = [values.get(rc) for rc in fk.ref_columns]
        if any(r is None for r in refs):
            raise GenerationError(f"{table.name}: self-referencing foreign key {fk.name or fk.columns} points at "
                                  f"columns that are not generated first")
        idx: list[int | None] = []
        u = rng.random(n)
        for i in range(n):
            if nullable and (i == 0 or u[i] < ROOT_FRACTION):
                idx.append(None)
            else:
                idx.append(int(u[i] * i) if i else 0)  # an earlier row (or itself, for the first NOT NULL row)
        parent_cols = refs
    else:
        targets = fk_targets(ctx, fk)
        m = targets.size
        parent_cols = targets.columns if m else []
        shared = [c for c in fk.columns if c in values]  # decided earlier by a wider FK or a unique group
        if m == 0:
            if not nullable and n:
                raise GenerationError(f"{table.name}: NOT NULL foreign key {fk.name or ', '.join(fk.columns)} "
                                      f"references {fk.ref_table}, which has no rows")
            idx = [None] * n
        elif shared:
            idx = _constrained_indices(table, fk, values, parent_cols, shared, rng, n)
        elif unique:
            free = free_one_to_one(ctx, table, fk, targets)
            if len(free) < n:
                raise GenerationError(f"{table.name}: one-to-one foreign key to {fk.ref_table} needs {n} parent rows, "
                                      f"there are {len(free)} free")
            idx = [free[int(i)] for i in rng.choice(len(free), size=n, replace=False)]
        else:
            rule = fanout_rule(ctx, table, fk)
            if rule is not None and targets.sampled and rule.min < 1:
                rule = None  # events spread over old and new parents alike (lines and history go to new ones)
            idx = fanout_indices(ctx, table, fk, rule, n) if rule is not None else draw_parents(targets, rng, n)
            if nullable:
                nulls = rng.random(n) < NULL_FRACTION
                idx = [None if z else i for i, z in zip(idx, nulls, strict=False)]
    decided = set(values) if fk.ref_table != table.name else set()
    for col, ref in zip(fk.columns, parent_cols, strict=False):
        if col not in decided:
            values[col] = [None if i is None else ref[i] for i in idx]


def _constrained_indices(table: Table, fk: ForeignKey, values: dict[str, list[Any]], parent_cols: list[list[Any]],
                         shared: list[str], rng: np.random.Generator, n: int) -> list[int | None]:
    """Parent rows that agree with columns another FK already decided (overlapping composite FKs)."""
    positions = [fk.columns.index(c) for c in shared]
    index: dict[tuple[Any, ...], list[int]] = {}
    for i in range(len(parent_cols[0])):
        index.setdefault(tuple(parent_cols[p][i] for p in positions), []).append(i)
    nullable_rest = all(table.column(c).nullable for c in fk.columns if c not in shared)
    out: list[int | None] = []
    picks = rng.random(n)
    for r in range(n):
        key = tuple(values[c][r] for c in shared)
        if any(k is None for k in key):
            out.append(None)
            continue
        options = index.get(key)
        if options:
            out.append(options[int(picks[r] * len(options))])
        elif nullable_rest:
            out.append(None)
        else:
            raise GenerationError(f"{table.name}: foreign keys overlapping on ({', '.join(shared)}) cannot agree: "
                                  f"no row of {fk.ref_table} matches")
    return out


def fill_pending(ctx: GenerationContext) -> None:
    """Fill cycle-broken FKs whose parent table now exists (their values are final; sinks decide how to load)."""
    still: list[PendingForeignKey] = []
    for p in ctx.pending:
        if p.fk.ref_table not in ctx.data:
            still.append(p)
            continue
        td = ctx.data[p.table]
        values = {c: v for c, v in zip(td.columns, td.values, strict=False) if c not in p.fk.columns}
        _assign_fk(ctx, td.table, p.fk, td.row_count, values, p.unique)
        apply_own_row(ctx, td.table, p.fk, values, td.row_count)
        for c in p.fk.columns:
            td.values[td.columns.index(c)][:] = values[c]
    ctx.pending = still


def _partition_key_values(ctx: GenerationContext, table: Table, specs: dict[str, ValueSpec], n: int,
                          decided: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Values for a range/list partition key that fall into an existing partition (no DEFAULT partition)."""
    ranges = partition_ranges(table)
    if not ranges or not n:
        return {}
    col, bounds = ranges
    if col in decided or col not in specs:
        return {}
    rng = ctx.rng(table.name, col, "#partition")
    which = rng.integers(0, len(bounds), n)
    out: list[Any] = [None] * n
    for b, spec in enumerate(bounds):
        rows = [i for i in range(n) if which[i] == b]
        if not rows:
            continue
        merged = _narrow(specs[col], spec)
        vals = generate_values(merged, len(rows), ctx.rng(table.name, col, f"#partition{b}"))
        for i, v in zip(rows, vals, strict=False):
            out[i] = v
    return {col: out}


def _narrow(spec: ValueSpec, bound: dict[str, Any]) -> ValueSpec:
    changes: dict[str, Any] = {"null_fraction": 0.0}
    if "choices" in bound:
        changes["choices"] = tuple(bound["choices"])
    if bound.get("lower") is not None and (spec.lower is None or bound["lower"] > spec.lower):
        changes["lower"], changes["lower_exclusive"] = bound["lower"], False
    if bound.get("upper") is not None and (spec.upper is None or bound["upper"] <= spec.upper):
        changes["upper"], changes["upper_exclusive"] = bound["upper"], True
    return replace(spec, **changes)
