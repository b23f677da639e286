"""A table's skeleton: keys, unique columns, partition keys and foreign keys, decided by construction.

Before any content exists, :func:`skeleton` decides every column a PRIMARY KEY, UNIQUE constraint, partition or
foreign key governs (see :mod:`seeder.generate.keys` for how each unique constraint is met), lowers the row count to
what the constraints allow (saying why in the run's notes), and describes the content columns still to fill as a
:class:`~seeder.generate.content.ContentRequest`. Foreign keys take whole key tuples of parent rows; a
self-reference points at earlier rows (trees); a cycle-broken FK whose parent comes later is left for
:func:`fill_pending` to fill once the parent exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from seeder.dataset import TableData
from seeder.errors import GenerationError
from seeder.generate.blocks import BLOCK_ROWS, permute
from seeder.generate.checks import derive_spec
from seeder.generate.content import ContentRequest
from seeder.generate.context import GenerationContext, PendingForeignKey, stable_hash
from seeder.generate.existing_rows import (
    FkTargets,
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
from seeder.generate.keys import JointGroup, KeyLayout, key_layout, unique_constraints, unique_sets
from seeder.generate.partitions import partition_ranges
from seeder.generate.row_rules import shape_spec
from seeder.generate.spec import ValueSpec
from seeder.generate.store import take
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
    """A block of a table (rows ``start .. start+n-1``) between its skeleton and its content."""

    table: Table
    n: int
    names: list[str]
    values: dict[str, list[Any]]
    specs: dict[str, ValueSpec]
    fixed: set[str]
    request: ContentRequest | None
    unique_columns: list[str] = field(default_factory=list)
    start: int = 0


@dataclass
class GroupDraw:
    """A joint group's table-wide facts: component sizes, their product, and the small-domain columns' values."""

    group: JointGroup
    sizes: list[int]
    total: int
    refs: list[list[Sequence[Any]]]
    domains: list[list[Any]]


@dataclass
class TableSetup:
    """What is decided once per table, before its first block: the row count, keys, specs, FK targets.

    Blocks of the table (:func:`block_skeleton`) read it and never change it, so worker processes given the same
    setup generate the same blocks.
    """

    table: Table
    n: int
    names: list[str]
    written: list[Column]
    fks: list[ForeignKey]
    fk_cols: set[str]
    deferred: frozenset[ForeignKey]
    layout: KeyLayout
    specs: dict[str, ValueSpec]
    groups: list[GroupDraw]
    #: FKs waiting for a parent generated later (cycle breaks): NULL until :func:`fill_pending`.
    pending: list[ForeignKey]
    block_rows: int = BLOCK_ROWS
    targets: dict[ForeignKey, FkTargets] = field(default_factory=dict)
    free: dict[ForeignKey, list[int]] = field(default_factory=dict)
    parent_keys: dict[ForeignKey, list[tuple[Any, ...]]] = field(default_factory=dict)
    parent_index: dict[ForeignKey, dict[tuple[Any, ...], int]] = field(default_factory=dict)

    @property
    def single_block(self) -> bool:
        """Whether the table fits in one block (then it is generated exactly as a whole-table run did)."""
        return self.n <= self.block_rows

    def fk_targets(self, ctx: GenerationContext, fk: ForeignKey) -> FkTargets:
        """The candidates of ``fk`` (asked once per table)."""
        if fk not in self.targets:
            self.targets[fk] = fk_targets(ctx, fk)
        return self.targets[fk]


def setup_table(ctx: GenerationContext, table: Table, n: int, broken: set[tuple[TableName, ForeignKey]],
                block_rows: int = BLOCK_ROWS) -> TableSetup:
    """Decide what holds for every block of ``table``: keys, the row count the constraints allow (saying why in the
    run's notes), specs, joint groups' domains; register its FKs that wait for a later parent."""
    block = ctx.block
    ctx.block = 0  # table-wide draws are keyed as block 0
    try:
        written = written_columns(table)
        names = [c.name for c in written]
        name_set = set(names)
        fks = [fk for fk in table.foreign_keys if set(fk.columns) <= name_set]
        fk_cols = {c for fk in fks for c in fk.columns}
        deferred = frozenset(fk for fk in fks if (table.name, fk) in broken and fk.ref_table != table.name)
        layout = key_layout(table, fk_cols, name_set, deferred,
                            parent_unique=lambda fk, cols: _parent_unique(ctx, fk, cols))
        n = _limit_by_groups(ctx, table, layout, n)
        rules = ctx.plan.rules.for_table(table.name)
        specs = {c.name: shape_spec(_spec(ctx, table, c, layout), rules) for c in written if c.name not in fk_cols}
        shift_past_existing(ctx, table, specs, layout.unique_columns)
        shift_past_family(ctx, table, specs, layout.unique_columns)
        n = _limit_by_unique_capacity(ctx, table, layout, specs, n)
        setup = TableSetup(table=table, n=n, names=names, written=written, fks=fks, fk_cols=fk_cols,
                           deferred=deferred, layout=layout, specs=specs, groups=[], pending=[],
                           block_rows=block_rows)
        for group in layout.groups:
            sizes = _group_sizes(ctx, table, group, specs, n, setup)
            total = 1
            for size in sizes:
                total *= size
            refs = [setup.fk_targets(ctx, fk).columns for fk in group.fks]
            domains = [generate_values(specs[col], sizes[len(group.fks) + j], ctx.rng(table.name, col, "#domain"),
                                       unique=True) for j, col in enumerate(group.columns)]
            setup.groups.append(GroupDraw(group, sizes, total, refs, domains))
        for fk in sorted(fks, key=lambda f: -len(f.columns)):
            if layout.group_of_fk(fk) is None and fk in deferred and fk.ref_table not in ctx.data:
                setup.pending.append(fk)
                ctx.pending.append(PendingForeignKey(table.name, fk, _fk_is_unique(table, fk)))
        return setup
    finally:
        ctx.block = block


def skeleton(ctx: GenerationContext, table: Table, n: int, broken: set[tuple[TableName, ForeignKey]]) -> TableWork:
    """Decide keys, unique columns, partition keys and FKs of ``table`` (all ``n`` rows as one block)."""
    setup = setup_table(ctx, table, n, broken, block_rows=max(n, 1))
    return block_skeleton(ctx, setup, 0, setup.n)


def block_skeleton(ctx: GenerationContext, setup: TableSetup, start: int, stop: int) -> TableWork:
    """Decide keys, unique columns, partition keys and FKs of rows ``start .. stop-1`` of a table (one block,
    ``ctx.block`` set to its number); describe the content still to fill."""
    table, layout, specs, fks = setup.table, setup.layout, setup.specs, setup.fks
    n = stop - start
    values: dict[str, list[Any]] = {}

    # joint groups (distinct tuples), unique columns, partition keys
    for draw in setup.groups:
        group = draw.group
        fresh = not existing_count(ctx, table.name) and not _any_existing_parent(ctx, group.fks)
        fanned = fanout_group(ctx, table, group.fks, setup.n, fresh=fresh, start=start, stop=stop) \
            if not group.columns else None
        values.update(fanned if fanned is not None else _sample_group(ctx, setup, draw, start, n))
    for col in layout.unique_columns:
        if col not in values:
            values[col] = unique_column_values(ctx, table, col, specs[col], n, first_row=start, table_rows=setup.n)
    partition_keys = _partition_key_values(ctx, table, specs, n, values)
    values.update(partition_keys)

    # foreign keys (composite first, so shared columns are decided by the wider key)
    for fk in sorted(fks, key=lambda f: -len(f.columns)):
        if layout.group_of_fk(fk) is not None:
            continue
        if fk in setup.pending:
            for c in fk.columns:
                values.setdefault(c, [None] * n)
            continue
        _assign_fk(ctx, table, fk, n, values, _fk_is_unique(table, fk), setup, start)
    _apply_cross_table_rules(ctx, setup, values, start, n)
    _repick_for_key_checks(ctx, setup, values, n)

    fixed = (set(layout.unique_columns) | setup.fk_cols | {c for g in layout.groups for c in g.columns}
             | set(partition_keys))
    content_cols = [c for c in setup.written if c.name not in values]
    request = None
    if content_cols and n:
        parents: dict[ForeignKey, Any] = {
            fk: (None if fk.ref_table == table.name else ctx.data.get(fk.ref_table)) for fk in fks}
        block = ctx.block
        request = ContentRequest(table=table, columns=content_cols, specs=specs, skeleton=values, n=n,
                                 parents=parents,
                                 rng_for=lambda col, t=table.name, b=block: ctx.block_rng(t, col, "", b))
    return TableWork(table=table, n=n, names=setup.names, values=values, specs=specs, fixed=fixed, request=request,
                     unique_columns=list(layout.unique_columns), start=start)


def _any_existing_parent(ctx: GenerationContext, fks: list[ForeignKey]) -> bool:
    return any(existing_count(ctx, fk.ref_table) for fk in fks)


def _apply_cross_table_rules(ctx: GenerationContext, setup: TableSetup, values: dict[str, list[Any]], start: int,
                             n: int) -> None:
    """Existence and agreement rules re-draw FKs the loop above decided (see :mod:`seeder.generate.fk_strategies`):
    existence on any FKs (distinct witness tuples no existing row holds where the members form a unique key),
    agreement only on FKs that are free to move (no joint key, not one-to-one, not a cycle break or self-reference).
    Rows ``start .. start+n-1`` of a table of ``setup.n`` rows; per-row draws come from the block's streams."""
    if not n:
        return
    table, layout = setup.table, setup.layout
    uniques = [set(cols) for cols in unique_sets(table)]
    for rule in ctx.plan.rules.of(Existence, table.name):
        apply_existence(ctx, table, values, n, set(rule.members) in uniques, start=start,
                        total=None if setup.single_block else setup.n)
    free = [fk for fk in setup.fks if fk.ref_table != table.name and fk not in setup.deferred
            and layout.group_of_fk(fk) is None and not _fk_is_unique(table, fk)]
    apply_agreements(ctx, table, values, n, free)


def _repick_for_key_checks(ctx: GenerationContext, setup: TableSetup, values: dict[str, list[Any]],
                           n: int) -> None:
    """Re-draw parent rows where a CHECK names only decided columns and fails (``tag1 < tag2``)."""
    table, fks = setup.table, setup.fks
    repickable = [fk for fk in fks if fk.ref_table != table.name and fk not in setup.deferred
                  and fk.ref_table in ctx.data
                  and not any(set(fk.columns) & set(o.columns) for o in fks if o is not fk)]
    if not repickable or not n:
        return
    sets = [cols for cols, partial in unique_constraints(table) if not partial]
    sets += [g.constraint for g in setup.layout.groups if g.constraint not in sets]

    def parent_keys(fk: ForeignKey) -> list[tuple[Any, ...]]:
        if fk not in setup.parent_keys:
            setup.parent_keys[fk] = list(zip(*(ctx.parent_column(fk.ref_table, rc) for rc in fk.ref_columns),
                                             strict=True))
        return setup.parent_keys[fk]

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
                 specs: dict[str, ValueSpec] | None, n: int, setup: TableSetup | None = None) -> list[int]:
    sizes = [(setup.fk_targets(ctx, fk) if setup else fk_targets(ctx, fk)).size for fk in group.fks]
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


def _sample_group(ctx: GenerationContext, setup: TableSetup, draw: GroupDraw, start: int,
                  n: int) -> dict[str, list[Any]]:
    """Distinct tuples for a joint group: distinct indices into the product of its domains, decoded mixed-radix.

    A table of one block draws them without replacement; a bigger one maps its row numbers through a keyed
    bijection of the product (:func:`~seeder.generate.blocks.permute`), so blocks never repeat each other's tuples.
    """
    table, group, sizes, total = setup.table, draw.group, draw.sizes, draw.total
    label = "|".join(group.constraint)
    rng = ctx.rng(table.name, label, "#group")
    if n == 0:
        picks: list[int] = []
    elif total < 2**62:
        if setup.single_block:
            picks = [int(i) for i in rng.choice(total, size=n, replace=False)]
        else:
            key = stable_hash(f"{ctx.seed}|{table.name}|{label}")
            picks = permute(np.arange(start, start + n), total, key).tolist()
    else:  # astronomically large product: random digits, duplicates practically impossible, verified later
        picks = []

    def decode(chosen: list[int]) -> dict[str, list[Any]]:
        rest = list(chosen)
        digits: list[list[int]] = []
        for s in reversed(sizes):
            digits.append([r % s for r in rest])
            rest = [r // s for r in rest]
        digits.reverse()
        return _group_values(group, draw.refs, draw.domains, digits)

    if not picks:
        digits = [[int(x) for x in rng.integers(0, s, n)] if n else [] for s in sizes]
        return _group_values(group, draw.refs, draw.domains, digits)
    picks = avoid_taken_tuples(ctx, table, group.constraint, picks, total,
                               lambda chosen: list(zip(*(decode(chosen)[c] for c in group.constraint), strict=True)),
                               ctx.rng(table.name, label, "#group-existing"))
    return decode(picks)


def _group_values(group: Any, refs: list[list[Sequence[Any]]], domains: list[list[Any]],
                  digits: list[list[int]]) -> dict[str, list[Any]]:
    """The columns of a joint group from per-component indices (``digits``) into its parents' keys and domains."""
    out: dict[str, list[Any]] = {}
    for k, fk in enumerate(group.fks):
        for col, ref in zip(fk.columns, refs[k], strict=False):
            out[col] = take(ref, digits[k])
    for j, col in enumerate(group.columns):
        out[col] = [domains[j][i] for i in digits[len(group.fks) + j]]
    return out


def _fk_is_unique(table: Table, fk: ForeignKey) -> bool:
    return any(set(cols) == set(fk.columns) for cols in unique_sets(table))


def _assign_fk(ctx: GenerationContext, table: Table, fk: ForeignKey, n: int, values: dict[str, list[Any]],
               unique: bool, setup: TableSetup | None = None, start: int = 0) -> None:
    """Fill the columns of ``fk`` for ``n`` rows (from row ``start``) with whole key tuples of its parent (or of
    earlier rows of the same block, for self-references)."""
    rng = ctx.rng(table.name, "|".join(fk.columns), "#fk")
    nullable = all(table.column(c).nullable for c in fk.columns)
    parent_cols: list[Sequence[Any]]
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
        parent_cols = [r for r in refs if r is not None]
    else:
        targets = setup.fk_targets(ctx, fk) if setup is not None else fk_targets(ctx, fk)
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
            idx = _one_to_one(ctx, table, fk, targets, setup, start, n, rng)
        else:
            rule = fanout_rule(ctx, table, fk)
            if rule is not None and targets.sampled and rule.min < 1:
                rule = None  # events spread over old and new parents alike (lines and history go to new ones)
            if rule is not None:
                total = setup.n if setup is not None else n
                idx = list(fanout_indices(ctx, table, fk, rule, total, start, start + n))
            else:
                idx = list(draw_parents(targets, rng, n))
            if nullable:
                nulls = rng.random(n) < NULL_FRACTION
                idx = [None if z else i for i, z in zip(idx, nulls, strict=False)]
    decided = set(values) if fk.ref_table != table.name else set()
    for col, ref in zip(fk.columns, parent_cols, strict=False):
        if col not in decided:
            values[col] = take(ref, idx)


def _one_to_one(ctx: GenerationContext, table: Table, fk: ForeignKey, targets: FkTargets,
                setup: TableSetup | None, start: int, n: int, rng: np.random.Generator) -> list[int | None]:
    """Distinct parent rows for a one-to-one FK: drawn without replacement in a one-block table, else the row
    numbers mapped through a keyed bijection of the free parents (distinct across blocks)."""
    if setup is None:
        free, total = free_one_to_one(ctx, table, fk, targets), n
    else:
        if fk not in setup.free:
            setup.free[fk] = free_one_to_one(ctx, table, fk, targets)
        free, total = setup.free[fk], setup.n
    if len(free) < total:
        raise GenerationError(f"{table.name}: one-to-one foreign key to {fk.ref_table} needs {total} parent rows, "
                              f"there are {len(free)} free")
    if setup is None or setup.single_block:
        return [free[int(i)] for i in rng.choice(len(free), size=n, replace=False)]
    key = stable_hash(f"{ctx.seed}|{table.name}|{'|'.join(fk.columns)}#one-to-one")
    return [free[i] for i in permute(np.arange(start, start + n), len(free), key).tolist()]


def _constrained_indices(table: Table, fk: ForeignKey, values: dict[str, list[Any]], parent_cols: list[Sequence[Any]],
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
    """Fill cycle-broken FKs whose parent table now exists (their values are final; sinks decide how to load).

    The waiting table is held whole (a :class:`TableData` in ``ctx.data``) until then; its FK is drawn for all its
    rows at once, keyed as block 0.
    """
    still: list[PendingForeignKey] = []
    block, ctx.block = ctx.block, 0
    try:
        for p in ctx.pending:
            if p.fk.ref_table not in ctx.data:
                still.append(p)
                continue
            td = ctx.data[p.table]
            assert isinstance(td, TableData), "a table waiting for a cycle-broken FK is held whole"
            values = {c: v for c, v in zip(td.columns, td.values, strict=False) if c not in p.fk.columns}
            _assign_fk(ctx, td.table, p.fk, td.row_count, values, p.unique)
            apply_own_row(ctx, td.table, p.fk, values, td.row_count)
            for c in p.fk.columns:
                td.values[td.columns.index(c)][:] = values[c]
    finally:
        ctx.block = block
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
