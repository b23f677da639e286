"""The generation engine: every table of a plan, in topological order, column by column.

For each table the engine first builds the *skeleton* (keys, unique columns, foreign keys), decided by construction,
then fills the *content* columns from a value source (the local generator by default), then repairs column-to-column
CHECK relations and verifies every CHECK and unique constraint on every row before the table is handed on.

Randomness: each (table, column) pair draws from its own ``numpy`` generator seeded from ``(seed, table, column)``
with a stable hash, so adding a column or a table does not change the values of the others, and two runs with the
same seed are identical.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from sqlglot import exp

from seeder.dataset import Dataset, TableData
from seeder.errors import GenerationError
from seeder.generate.checks import column_relations, derive_spec, evaluate, failing_checks
from seeder.generate.keys import KeyLayout, key_layout, unique_sets
from seeder.generate.partitions import partition_ranges
from seeder.generate.relations import repair_relations
from seeder.generate.spec import ValueSpec
from seeder.generate.values import generate_values, unique_capacity
from seeder.plan.graph import effective_table
from seeder.plan.model import Plan
from seeder.schema import Column, ForeignKey, Schema, Table, TableName

#: Share of NULLs in nullable content columns and nullable foreign keys.
NULL_FRACTION = 0.1
#: Share of rows of a nullable self-reference that are roots (NULL parent).
ROOT_FRACTION = 0.2
#: Rounds of regeneration for rows that fail a CHECK before giving up with an error naming it.
CHECK_REPAIR_ROUNDS = 25

#: A content source fills content columns for rows whose skeleton is decided:
#: ``(table, columns, specs, skeleton, n, rng_for) -> {column: values}``. The local generator is the default.
ContentSource = Callable[[Table, list[Column], dict[str, ValueSpec], dict[str, list[Any]], int,
                          Callable[[str], np.random.Generator]], dict[str, list[Any]]]


def stable_hash(text: str) -> int:
    """A hash of ``text`` that is the same in every process (unlike ``hash()``, which is salted)."""
    return zlib.crc32(text.encode("utf-8"))


def local_content(table: Table, columns: list[Column], specs: dict[str, ValueSpec],
                  skeleton: dict[str, list[Any]], n: int,
                  rng_for: Callable[[str], np.random.Generator]) -> dict[str, list[Any]]:
    """The offline content source: realistic values from the local vocabulary, one column at a time."""
    return {c.name: generate_values(specs[c.name], n, rng_for(c.name)) for c in columns}


@dataclass
class _Pending:
    """A cycle-broken FK whose parent is generated after its table: filled in once the parent exists."""

    table: TableName
    fk: ForeignKey
    unique: bool


@dataclass
class GenerationContext:
    """State shared across the tables of one run."""

    schema: Schema
    plan: Plan
    seed: int
    content: ContentSource
    data: dict[TableName, TableData] = field(default_factory=dict)
    pending: list[_Pending] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    def rng(self, table: TableName, column: str, salt: str = "") -> np.random.Generator:
        return np.random.default_rng([self.seed & 0xFFFFFFFF, stable_hash(str(table)), stable_hash(column + salt)])


def generate(schema: Schema, plan: Plan, *, seed: int = 0, content: ContentSource | None = None) -> Dataset:
    """Generate every table of ``plan`` in topological order.

    Args:
        schema: the schema model the plan was built from.
        plan: the plan (order, row counts, cycle breaks).
        seed: the random seed; the same seed, schema and plan always give the same data.
        content: the source of content values (default :func:`local_content`).

    Returns:
        A :class:`~seeder.dataset.Dataset` with tables in insert order and final (consistent) FK values.

    Raises:
        GenerationError: a constraint cannot be satisfied (the message names it).
    """
    ctx = GenerationContext(schema=schema, plan=plan, seed=seed, content=content or local_content)
    broken = {(b.table, b.foreign_key) for b in plan.cycle_breaks}
    tables = {t.name: t for t in schema.tables}
    for name in plan.order:
        table = effective_table(schema, tables[name])
        td = _generate_table(ctx, table, plan.rows(name), broken)
        ctx.data[name] = td
        _fill_pending(ctx)
    if ctx.pending:  # pragma: no cover - the plan always generates every parent
        missing = ", ".join(f"{p.table}->{p.fk.ref_table}" for p in ctx.pending)
        raise GenerationError(f"internal: foreign keys left unfilled: {missing}")
    ordered = [ctx.data[n] for n in plan.order]
    ctx.stats["rows"] = sum(td.row_count for td in ordered)
    ctx.stats["cells_local"] = ctx.stats.get("cells_local", 0)
    return Dataset(schema=schema, plan=plan, tables=ordered, stats=ctx.stats, notes=ctx.notes)


# --------------------------------------------------------------------------------------------------------- tables


def _written_columns(table: Table) -> list[Column]:
    cols = []
    for c in table.columns:
        if c.generated:
            continue
        if c.type.kind == "other" and c.default is not None:
            continue  # a type we cannot write but the database can fill: let the DEFAULT do it
        cols.append(c)
    return cols


def _generate_table(ctx: GenerationContext, table: Table, n: int,
                    broken: set[tuple[TableName, ForeignKey]]) -> TableData:
    written = _written_columns(table)
    names = [c.name for c in written]
    name_set = set(names)
    fks = [fk for fk in table.foreign_keys if set(fk.columns) <= name_set]
    fk_cols = {c for fk in fks for c in fk.columns}
    deferred = frozenset(fk for fk in fks if (table.name, fk) in broken and fk.ref_table != table.name)
    layout = key_layout(table, fk_cols, name_set, deferred)
    values: dict[str, list[Any]] = {}

    n = _limit_by_groups(ctx, table, layout, n)
    specs = {c.name: _spec(ctx, table, c, layout) for c in written if c.name not in fk_cols}
    n = _limit_by_unique_capacity(ctx, table, layout, specs, n)

    # 1. skeleton: joint groups (distinct tuples), unique columns, partition keys
    for group in layout.groups:
        values.update(_sample_group(ctx, table, group, specs, n))
    for col in layout.unique_columns:
        if col not in values:
            values[col] = generate_values(specs[col], n, ctx.rng(table.name, col), unique=True)
    values.update(_partition_key_values(ctx, table, specs, n, values))

    # 2. foreign keys (composite first, so shared columns are decided by the wider key)
    for fk in sorted(fks, key=lambda f: -len(f.columns)):
        if layout.group_of_fk(fk) is not None:
            continue
        unique = _fk_is_unique(table, fk)
        if (table.name, fk) in broken and fk.ref_table not in ctx.data and fk.ref_table != table.name:
            for c in fk.columns:
                values.setdefault(c, [None] * n)
            ctx.pending.append(_Pending(table.name, fk, unique))
            continue
        _assign_fk(ctx, table, fk, n, values, unique)

    # 3. content
    content_cols = [c for c in written if c.name not in values]
    if content_cols and n:
        filled = ctx.content(table, content_cols, specs, values, n, lambda col: ctx.rng(table.name, col))
        values.update(filled)
        ctx.stats["cells_local"] = ctx.stats.get("cells_local", 0) + n * len(content_cols)
    for c in content_cols:
        values.setdefault(c.name, [None] * n)

    # 4. CHECK relations and verification
    fixed = set(layout.unique_columns) | fk_cols | {c for g in layout.groups for c in g.columns}
    relations = column_relations(table)
    if n:
        repair_relations(table, relations, values, range(n), fixed)
        _enforce_checks(ctx, table, values, specs, fixed, relations, n)
        n = _enforce_uniques(ctx, table, values, n)
    td = TableData(table=table, columns=tuple(names), values=tuple(values[c][:n] for c in names))
    return td


def _spec(ctx: GenerationContext, table: Table, column: Column, layout: KeyLayout) -> ValueSpec:
    keyish = column.name in layout.unique_columns or layout.group_of_column(column.name) is not None
    in_pk = bool(table.primary_key and column.name in table.primary_key.columns)
    nf = NULL_FRACTION if column.nullable and not keyish and not in_pk else 0.0
    return derive_spec(table, column, null_fraction=nf)


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
            n = _limit(ctx, table, n, cap, f"unique column {col} has only {cap} possible values")
    return n


def _group_sizes(ctx: GenerationContext, table: Table, group: Any,
                 specs: dict[str, ValueSpec] | None) -> list[int]:
    sizes = [ctx.data[fk.ref_table].row_count if fk.ref_table in ctx.data else 0 for fk in group.fks]
    for col in group.columns:
        spec = specs[col] if specs else derive_spec(table, table.column(col))
        sizes.append(unique_capacity(spec) or 0)
    return sizes


def _limit_by_groups(ctx: GenerationContext, table: Table, layout: KeyLayout, n: int) -> int:
    for group in layout.groups:
        cap = 1
        for size in _group_sizes(ctx, table, group, None):
            cap *= size
        n = _limit(ctx, table, n, cap, f"unique ({', '.join(group.constraint)}) allows only {cap} combinations")
    return n


def _sample_group(ctx: GenerationContext, table: Table, group: Any, specs: dict[str, ValueSpec],
                  n: int) -> dict[str, list[Any]]:
    """Distinct tuples for a joint group: distinct indices into the product of its domains, decoded mixed-radix."""
    sizes = _group_sizes(ctx, table, group, specs)
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
    digits: list[list[int]] = []
    if picks:
        rest = list(picks)
        for s in reversed(sizes):
            digits.append([r % s for r in rest])
            rest = [r // s for r in rest]
        digits.reverse()
    else:
        digits = [[int(x) for x in rng.integers(0, s, n)] if n else [] for s in sizes]
    out: dict[str, list[Any]] = {}
    for k, fk in enumerate(group.fks):
        parent = ctx.data[fk.ref_table]
        refs = [parent.column_values(rc) for rc in fk.ref_columns]
        for col, ref in zip(fk.columns, refs):
            out[col] = [ref[i] for i in digits[k]]
    for j, col in enumerate(group.columns):
        domain = generate_values(specs[col], sizes[len(group.fks) + j], ctx.rng(table.name, col, "#domain"),
                                 unique=True)
        out[col] = [domain[i] for i in digits[len(group.fks) + j]]
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
        parent = ctx.data.get(fk.ref_table)
        m = parent.row_count if parent else 0
        parent_cols = [parent.column_values(rc) for rc in fk.ref_columns] if parent else []
        shared = [c for c in fk.columns if c in values]  # decided earlier by a wider FK or a unique group
        if m == 0:
            if not nullable and n:
                raise GenerationError(f"{table.name}: NOT NULL foreign key {fk.name or ', '.join(fk.columns)} "
                                      f"references {fk.ref_table}, which has no rows")
            idx = [None] * n
        elif shared:
            idx = _constrained_indices(table, fk, values, parent_cols, shared, rng, n)
        elif unique:
            if m < n:
                raise GenerationError(f"{table.name}: one-to-one foreign key to {fk.ref_table} needs {n} parent rows, "
                                      f"there are {m}")
            idx = [int(i) for i in rng.choice(m, size=n, replace=False)]
        else:
            idx = [int(i) for i in rng.integers(0, m, n)]
            if nullable:
                nulls = rng.random(n) < NULL_FRACTION
                idx = [None if z else i for i, z in zip(idx, nulls)]
    decided = set(values) if fk.ref_table != table.name else set()
    for col, ref in zip(fk.columns, parent_cols):
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


def _fill_pending(ctx: GenerationContext) -> None:
    """Fill cycle-broken FKs whose parent table now exists (their values are final; sinks decide how to load)."""
    still: list[_Pending] = []
    for p in ctx.pending:
        if p.fk.ref_table not in ctx.data:
            still.append(p)
            continue
        td = ctx.data[p.table]
        values = {c: v for c, v in zip(td.columns, td.values) if c not in p.fk.columns}
        _assign_fk(ctx, td.table, p.fk, td.row_count, values, p.unique)
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
        for i, v in zip(rows, vals):
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


# ---------------------------------------------------------------------------------------------- verification


def _row(values: dict[str, list[Any]], i: int) -> dict[str, Any]:
    return {c: v[i] for c, v in values.items()}


def _enforce_checks(ctx: GenerationContext, table: Table, values: dict[str, list[Any]],
                    specs: dict[str, ValueSpec], fixed: set[str], relations: Sequence[Any], n: int) -> None:
    """Check every row against every CHECK; regenerate the free columns of failing rows, or raise naming the CHECK."""
    has_checks = bool(table.checks) or any(c.checks for c in table.columns)
    if not has_checks:
        return
    failing = [i for i in range(n) if failing_checks(table, _row(values, i))]
    for round_no in range(CHECK_REPAIR_ROUNDS):
        if not failing:
            return
        still = []
        for i in failing:
            checks = failing_checks(table, _row(values, i))
            if not checks:
                continue
            cols = sorted({c.name for ch in checks for c in ch.expression.find_all(exp.Column)} & set(specs))
            cols = [c for c in cols if c not in fixed and c in values]
            if not cols:
                still.append(i)
                continue
            for c in cols:
                rng = ctx.rng(table.name, c, f"#repair{round_no}:{i}")
                values[c][i] = generate_values(specs[c], 1, rng)[0]
            repair_relations(table, relations, values, [i], fixed)
            if failing_checks(table, _row(values, i)):
                still.append(i)
        if all(not [c for c in _check_cols(table, values, i) if c not in fixed] for i in still):
            failing = still
            break
        failing = still
    if failing:
        i = failing[0]
        checks = failing_checks(table, _row(values, i))
        names = ", ".join(ch.name or ch.sql for ch in checks)
        raise GenerationError(f"{table.name}: cannot generate rows satisfying CHECK {names} "
                              f"(tried {CHECK_REPAIR_ROUNDS} times); relax the constraint or set values in the config")


def _check_cols(table: Table, values: dict[str, list[Any]], i: int) -> list[str]:
    checks = failing_checks(table, _row(values, i))
    return sorted({c.name for ch in checks for c in ch.expression.find_all(exp.Column)})


def _enforce_uniques(ctx: GenerationContext, table: Table, values: dict[str, list[Any]], n: int) -> int:
    """Drop rows that repeat a unique key (only possible where constraints overlap); return the new row count."""
    keep = [True] * n
    for uq_cols, exprs, where in _unique_checks(table):
        if not all(c in values for c in uq_cols):
            continue
        seen: set[tuple[Any, ...]] = set()
        for i in range(n):
            if not keep[i]:
                continue
            row = None
            if where is not None:
                row = _row(values, i)
                if evaluate(where, row) is not True:
                    continue
            key = tuple(values[c][i] for c in uq_cols)
            if exprs:
                row = row or _row(values, i)
                key = key + tuple(evaluate(e, row) for e in exprs)  # type: ignore[misc]
            if any(k is None for k in key):
                continue
            hk = tuple(_hashable(k) for k in key)
            if hk in seen:
                keep[i] = False
            else:
                seen.add(hk)
    dropped = keep.count(False)
    if not dropped:
        return n
    ctx.notes.append(f"{table.name}: dropped {dropped} rows that repeated a unique key")
    for c in values:
        values[c] = [v for v, k in zip(values[c], keep) if k]
    return n - dropped


def _unique_checks(table: Table) -> list[tuple[tuple[str, ...], tuple[Any, ...], Any]]:
    out: list[tuple[tuple[str, ...], tuple[Any, ...], Any]] = []
    if table.primary_key:
        out.append((table.primary_key.columns, (), None))
    for uq in table.uniques:
        out.append((uq.columns, uq.expressions, uq.where))
    return out


def _hashable(v: Any) -> Any:
    if isinstance(v, (list, dict)):
        return repr(v)
    return v
