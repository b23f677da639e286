"""How the skeleton draws foreign keys under the plan's cross-table rules (see :mod:`seeder.plan.rules`).

* :func:`fanout_indices`: a plain FK with a :class:`~seeder.plan.rules.FanOut` rule takes its parent rows from the
  table-wide allocation of :mod:`seeder.generate.fanout`;
* :func:`fanout_group`: a joint key of two FKs (``order_item(order_id, product_id)``) whose first FK has a fan-out:
  parents from the allocation, partners distinct within each parent;
* :func:`apply_existence`: the columns of an :class:`~seeder.plan.rules.Existence` rule are taken together from a
  witness row (a review's product and customer from an order line and its order);
* :func:`apply_agreements`: the second FK of an :class:`~seeder.plan.rules.Agreement` is re-drawn among the parent
  rows that reach the same ancestor as the first path (an order's address among its customer's addresses).

Each rule that cannot find an agreeing parent or a witness for a row keeps the row's own draw and says how many in
the run's notes. Rows that already exist in the database are not followed (their paths end at ``None``) and keep
their draws too.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from seeder.generate.blocks import permute
from seeder.generate.context import stable_hash
from seeder.generate.existing_rows import existing_table
from seeder.generate.fanout import allocate, spread_partners
from seeder.generate.fk_paths import (
    Key,
    ancestor_keys,
    can_follow,
    end_columns,
    follow,
    key_tuples,
    resolved,
    row_index,
)
from seeder.plan.existing import KEY_SAMPLE_LIMIT
from seeder.plan.rules import Agreement, Existence, FanOut, FkPath
from seeder.schema import ForeignKey, Table, TableName

if TYPE_CHECKING:
    from seeder.generate.context import GenerationContext


def fanout_rule(ctx: GenerationContext, table: Table, fk: ForeignKey) -> FanOut | None:
    """The active fan-out rule of ``fk`` (``None``: none, or its parent is not generated in this run)."""
    if fk.ref_table == table.name or not ctx.has_rows_of(fk.ref_table) or not ctx.parent_row_count(fk.ref_table):
        return None
    return next((r for r in ctx.plan.rules.of(FanOut, table.name) if r.fk == fk.columns), None)


def fanout_indices(ctx: GenerationContext, table: Table, fk: ForeignKey, rule: FanOut, n: int, start: int = 0,
                   stop: int | None = None) -> list[int]:
    """Parent row index of rows ``start .. stop-1`` (default: all ``n``) of ``table`` under ``rule``; the
    allocation is decided for all ``n`` rows of the table at once, so any range gives the same parents."""
    parents = ctx.parent_row_count(fk.ref_table)
    alloc = ctx.remember(("fanout", table.name, fk.columns, parents, n), partial(
        allocate, rule, parents, n, ctx.table_rng(table.name, "|".join(fk.columns), "#fanout")))
    return alloc.parents(start, n if stop is None else stop).tolist()


def fanout_group(ctx: GenerationContext, table: Table, fks: Sequence[ForeignKey], n: int, *,
                 fresh: bool = True, start: int = 0, stop: int | None = None) -> dict[str, list[Any]] | None:
    """Values of a joint key made of exactly two FKs, one of them with a fan-out rule: the fanned-out FK from the
    allocation (a parent gets at most as many children as the other FK has parents), the other FK distinct within
    each parent, for rows ``start .. stop-1`` (default: all ``n`` rows of the table; the allocation is decided for
    all of them at once). ``None`` when the group does not qualify (the caller samples it as before).

    ``fresh``: neither the table nor the FKs' parents hold rows already. Otherwise only a fan-out of at least one
    child per parent (order lines) applies: its children go to the new parents, whose keys no existing row holds, so
    the tuples cannot repeat existing ones."""
    stop = n if stop is None else stop
    if len(fks) != 2:
        return None
    for lead, other in (fks, tuple(reversed(fks))):
        rule = fanout_rule(ctx, table, lead)
        if rule is None or other.ref_table == table.name or not ctx.parent_row_count(other.ref_table):
            continue
        if not fresh and rule.min < 1:
            continue
        if set(lead.columns) & set(other.columns):
            return None
        partners = ctx.parent_row_count(other.ref_table)
        parents = ctx.parent_row_count(lead.ref_table)
        if parents * partners < n:
            return None
        salt = "|".join(lead.columns)
        alloc = ctx.remember(("fanout-group", table.name, salt, parents, partners, n), partial(
            allocate, rule, parents, n, ctx.table_rng(table.name, salt, "#fanout"), cap=partners))
        lead_rows = alloc.parents(start, stop)
        other_rows = spread_partners(alloc, partners, ctx.table_rng(table.name, salt, "#partners"), start, stop)
        out: dict[str, list[Any]] = {}
        for fk, rows in ((lead, lead_rows), (other, other_rows)):
            for col, ref in zip(fk.columns, fk.ref_columns, strict=True):
                source = ctx.parent_column(fk.ref_table, ref)
                out[col] = [source[i] for i in rows.tolist()]
        return out
    return None


# ------------------------------------------------------------------------------------------------------ existence


def witness_tuples(ctx: GenerationContext, rule: Existence) -> list[tuple[Any, ...]] | None:
    """The member tuples the witness rows hold (one per witness row with no NULL among them), or ``None`` when
    the witness (or a table its sources pass through) was not generated in this run (made once per table)."""
    return ctx.remember(("witness", rule.id, rule.table), partial(_witness_tuples, ctx, rule))


def _witness_tuples(ctx: GenerationContext, rule: Existence) -> list[tuple[Any, ...]] | None:
    if not ctx.has_rows_of(rule.witness):
        return None
    columns: list[list[Key]] = []
    for source in rule.sources:
        if not source.path:
            columns.append(key_tuples([ctx.parent_column(rule.witness, source.column)]))
            continue
        path = resolved(ctx, source.path)
        if not can_follow(ctx, path) or not ctx.has_rows_of(path[-1].ref_table):
            return None
        keys = key_tuples([ctx.parent_column(rule.witness, c) for c in path[0].columns])
        keys = follow(ctx, keys, path[1:], path[0].ref_columns)
        index_cols = end_columns(path)
        ends = follow_to_column(ctx, keys, path[-1].ref_table, index_cols, source.column)
        columns.append(ends)
    out = []
    for parts in zip(*columns, strict=True):
        if all(p is not None for p in parts):
            out.append(tuple(p[0] for p in parts))  # type: ignore[index]
    return out


def follow_to_column(ctx: GenerationContext, keys: list[Key], table: TableName, via: tuple[str, ...],
                     column: str) -> list[Key]:
    """``column`` of the ``table`` row each key (of ``via`` columns) finds, as 1-tuples (``None``: no row)."""
    index = row_index(ctx, table, via)
    values = ctx.parent_column(table, column)
    return [None if k is None or (i := index.get(k)) is None or values[i] is None else (values[i],) for k in keys]


def apply_existence(ctx: GenerationContext, table: Table, values: dict[str, list[Any]], n: int,
                    unique: bool, *, start: int = 0, total: int | None = None) -> None:
    """Take the members of every :class:`Existence` rule of ``table`` together from witness rows, in place.

    ``unique``: the members form a unique key (a customer reviews a product once): distinct witness tuples are
    used, and rows beyond the distinct tuples the witness holds keep their own (distinct) draws (the rule's
    ``diverge`` share applies to non-unique members only). ``total``: the table's row count when the ``n`` rows
    (from row ``start``) are one block of a bigger table: a unique key then takes the distinct tuples through a
    keyed bijection of the row numbers, so blocks never repeat each other's tuples.
    """
    for rule in ctx.plan.rules.of(Existence, table.name):
        if not n or not all(m in values for m in rule.members):
            continue
        found = witness_tuples(ctx, rule)
        if found is None:
            ctx.notes.append(f"{table.name}: existence rule {rule.id} needs {rule.witness}, which this run does not "
                             f"generate first; its columns are drawn independently")
            continue
        rng = ctx.rng(table.name, "+".join(rule.members), "#exists")
        keep = rng.random(n) < rule.diverge  # a unique key takes distinct witness tuples first, whatever diverge says
        if unique:
            distinct = list(dict.fromkeys(found))
            held = existing_table(ctx, table.name)
            if held is not None and distinct:  # a customer who reviewed a product before does not review it again
                repeated = held.taken(rule.members, distinct)
                distinct = [t for t in distinct if t not in repeated]
            if total is not None:
                new, short = _distinct_by_row(ctx, table, rule, distinct, values, start, n)
                for j, member in enumerate(rule.members):
                    values[member] = [t[j] for t in new]
                if short > 0 and start == 0:
                    ctx.notes.append(f"{table.name}: rows past the first {len(distinct)} found no distinct "
                                     f"{rule.witness} row for ({', '.join(rule.members)}) ({rule.id}); they keep "
                                     f"independent values")
                continue
            own = list(zip(*(values[m] for m in rule.members), strict=True))
            taken = set(distinct)
            spare = [t for t in own if t not in taken]
            picks = rng.permutation(len(distinct))[:n].tolist() if distinct else []
            chosen = [distinct[i] for i in picks]
            short = n - len(chosen)
            rows = [*chosen, *spare[:short]]
            if len(rows) < n:  # pragma: no cover - the sampled tuples are distinct, so enough spare ones exist
                continue
            new = [rows[i] for i in rng.permutation(n).tolist()]
        else:
            if not found:
                short = n
                new = list(zip(*(values[m] for m in rule.members), strict=True))
            else:
                short = 0
                picks = rng.integers(0, len(found), n).tolist()
                own = list(zip(*(values[m] for m in rule.members), strict=True))
                new = [own[r] if keep[r] else found[i] for r, i in enumerate(picks)]
        for j, member in enumerate(rule.members):
            values[member] = [t[j] for t in new]
        if short > 0:
            ctx.notes.append(f"{table.name}: {short} of {n} rows found no {rule.witness} row for "
                             f"({', '.join(rule.members)}) ({rule.id}); they keep independent values")


def _distinct_by_row(ctx: GenerationContext, table: Table, rule: Existence, distinct: list[tuple[Any, ...]],
                     values: dict[str, list[Any]], start: int, n: int) -> tuple[list[tuple[Any, ...]], int]:
    """Member tuples of rows ``start .. start+n-1`` of a table generated in blocks: row ``r`` below the number of
    distinct witness tuples takes tuple ``permute(r)``; later rows keep their own tuples unless a witness tuple
    repeats them (then the block's spare own tuples stand in). Also the number of rows without a witness tuple."""
    own = list(zip(*(values[m] for m in rule.members), strict=True))
    rows = np.arange(start, start + n)
    inside = rows[rows < len(distinct)]
    key = stable_hash(f"{ctx.seed}|{table.name}|{rule.id}#exists")
    chosen = [distinct[i] for i in permute(inside, len(distinct), key).tolist()] if len(inside) else []
    taken = set(distinct)
    spare = iter(t for t in own if t not in taken)
    new = chosen + [t if t not in taken else next(spare, t) for t in own[len(chosen):]]
    return new, n - len(chosen)


# ------------------------------------------------------------------------------------------------------ agreement


def _agreement_order(rules: list[Agreement]) -> list[Agreement]:
    """Rules whose second FK another rule's first path starts with come first (a payment's customer is re-drawn
    from its rental before its staff member is drawn from the customer's store)."""
    out: list[Agreement] = []
    pending = [r for r in rules if r.first]  # an empty first path (the row itself) is applied by apply_own_row
    while pending:
        ready = [r for r in pending
                 if not any(o is not r and o.second[0].columns == r.first[0].columns for o in pending)]
        ready = ready or pending[:1]
        for r in ready:
            pending.remove(r)
            out.append(r)
    return out


def _anchor_keys(ctx: GenerationContext, values: dict[str, list[Any]], rule: Agreement,
                 rules: list[Agreement]) -> list[Key]:
    """The ancestor key each row's second FK must reach: through the rule's first path, or, where that path ends at
    NULL (an order without a salesperson), through another path of the row to the same ancestor (the order's
    customer's territory)."""
    paths = [rule.first]
    for other in rules:
        if other is not rule and other.ancestor == rule.ancestor:
            paths += [p for p in (other.second, other.first) if p and p[0].columns != rule.second[0].columns]
    keys: list[Key] = []
    for path in dict.fromkeys(resolved(ctx, p) for p in paths):
        if not all(c in values for c in path[0].columns) or not can_follow(ctx, path[1:]) or \
                end_columns(path) != end_columns(resolved(ctx, rule.first)):
            continue
        found = ancestor_keys(ctx, values, path)
        keys = found if not keys else [k if k is not None else f for k, f in zip(keys, found, strict=True)]
    return keys or [None] * len(next(iter(values.values()), []))


def _agreeing_parents(ctx: GenerationContext, fk: ForeignKey,
                      second: FkPath) -> dict[tuple[Any, ...], list[tuple[Any, ...]]]:
    """Ancestor key -> the key tuples (of ``fk.ref_columns``) of the parent rows whose path ``second`` reaches it:
    the rows this run generated, then, for a two-hop path (an order's address -> the address's customer), a sample
    of the rows the parent held already (so a new order of an old customer takes one of its old addresses)."""
    parent = fk.ref_table
    own = key_tuples([ctx.parent_column(parent, c) for c in fk.ref_columns])
    reach = follow(ctx, list(own), second[1:], second[0].ref_columns) if len(second) > 1 else own
    groups: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for key, target in zip(reach, own, strict=True):
        if key is not None and target is not None:
            groups.setdefault(key, []).append(target)
    found = existing_table(ctx, parent)
    if found is not None and len(second) == 2 and second[0].ref_columns == fk.ref_columns:
        width = len(fk.ref_columns)
        for row in found.key_sample((*fk.ref_columns, *second[1].columns), KEY_SAMPLE_LIMIT):
            groups.setdefault(tuple(row[width:]), []).append(tuple(row[:width]))
    elif found is not None and len(second) == 1:
        for row in found.key_sample(fk.ref_columns, KEY_SAMPLE_LIMIT):
            groups.setdefault(tuple(row), []).append(tuple(row))
    return groups


def apply_agreements(ctx: GenerationContext, table: Table, values: dict[str, list[Any]], n: int,
                     free: Sequence[ForeignKey], start: int = 0) -> None:
    """Re-draw the second FK of every :class:`Agreement` rule of ``table`` among the parent rows that reach the
    first path's ancestor row, in place.

    Args:
        free: the FKs of ``table`` that may be re-drawn (not part of a joint key, not one-to-one, not left for a
            cycle break, not a self-reference).
        start: global index of the first of the ``n`` rows (draws are per row number).
    """
    by_cols = {fk.columns: fk for fk in free}
    rules = _agreement_order(ctx.plan.rules.of(Agreement, table.name))
    for rule in rules:
        fk = by_cols.get(rule.second[0].columns)
        first, second = resolved(ctx, rule.first), resolved(ctx, rule.second)
        if fk is None or not n or not all(c in values for c in first[0].columns):
            continue
        if not can_follow(ctx, first[1:]) or not can_follow(ctx, second[1:]) or \
                not ctx.has_rows_of(fk.ref_table) or end_columns(first) != end_columns(second):
            ctx.notes.append(f"{table.name}: agreement {rule.id} cannot follow its paths in this run; "
                             f"{'+'.join(fk.columns)} is drawn independently")
            continue
        wanted = _anchor_keys(ctx, values, rule, rules)
        parent = fk.ref_table
        groups = ctx.remember(("agree", table.name, rule.id), partial(_agreeing_parents, ctx, fk, second))
        rng = ctx.rng(table.name, "|".join(fk.columns), "#agree")
        u, d = rng.random((start + n, 2))[start:].T
        columns = [list(values[c]) for c in fk.columns]
        missed = 0
        for r in range(n):
            key = wanted[r]
            if key is None or d[r] < rule.diverge or any(col[r] is None for col in columns):
                continue
            options = groups.get(key)
            if not options:
                missed += 1
                continue
            pick = options[int(u[r] * len(options))]
            for col, v in zip(columns, pick, strict=True):
                col[r] = v
        for c, col in zip(fk.columns, columns, strict=True):
            values[c] = col
        if missed:
            ctx.notes.append(f"{table.name}: {missed} of {n} rows found no {parent.name} row that agrees "
                             f"({rule.id}); they keep a random one")


def apply_own_row(ctx: GenerationContext, table: Table, fk: ForeignKey, values: dict[str, list[Any]],
                  n: int) -> None:
    """Re-draw a cycle-broken FK whose :class:`Agreement` comes back to the row itself (a customer's default
    address among the customer's own addresses), in place, once its parent rows exist; a row that owns no such
    parent gets NULL (the FK is nullable: the inference asks for it). Owned rows belong to one owner each, so a
    one-to-one FK stays one-to-one."""
    for rule in ctx.plan.rules.of(Agreement, table.name):
        if rule.first or rule.second[0].columns != fk.columns or rule.ancestor != table.name or not n:
            continue
        second = resolved(ctx, rule.second)
        own_cols = end_columns(second)
        if not can_follow(ctx, second[1:]) or not all(c in values for c in own_cols) or \
                not ctx.has_rows_of(fk.ref_table):
            continue
        own = key_tuples([values[c] for c in own_cols])
        keys = key_tuples([ctx.parent_column(fk.ref_table, c) for c in fk.ref_columns])
        reach = follow(ctx, keys, second[1:], second[0].ref_columns)
        groups: dict[tuple[Any, ...], list[int]] = {}
        for i, key in enumerate(reach):
            if key is not None:
                groups.setdefault(key, []).append(i)
        u = ctx.rng(table.name, "|".join(fk.columns), "#own").random(n)
        nullable = all(table.column(c).nullable for c in fk.columns)
        refs = [ctx.parent_column(fk.ref_table, rc) for rc in fk.ref_columns]
        columns = [list(values[c]) for c in fk.columns]
        for r in range(n):
            options = groups.get(own[r]) if own[r] is not None else None
            if options:
                pick = options[int(u[r] * len(options))]
                for col, ref in zip(columns, refs, strict=True):
                    col[r] = ref[pick]
            elif nullable:
                for col in columns:
                    col[r] = None
        for c, col in zip(fk.columns, columns, strict=True):
            values[c] = col
