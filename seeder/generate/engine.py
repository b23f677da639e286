"""The generation engine: every table of a plan, in topological order.

For each topological generation of tables the engine decides each table's *skeleton* (keys, unique columns,
partition keys, foreign keys) by construction (:mod:`seeder.generate.skeleton`), asks the content source for the
remaining *content* columns of all of them at once (:mod:`seeder.generate.content`), then, table by table, applies
the plan's cross-table rules that follow a parent (copies, times after the parent, history periods:
:mod:`seeder.generate.derived`) and its row rules, makes related columns agree (:mod:`seeder.generate.coherence`,
regex CHECKs, column relations), repairs the rows that fail a CHECK (:mod:`seeder.generate.check_repair`) and
verifies every unique constraint (:mod:`seeder.generate.uniques`) before the table is handed on. The skeleton draws
foreign keys under the fan-out, existence and agreement rules (:mod:`seeder.generate.fk_strategies`). Aggregates
over child rows (``invoice.total``) are accumulated as the children are finished and handed on as
``Dataset.updates`` (:mod:`seeder.generate.aggregates`). CHECKs seeder cannot evaluate are named in the run's notes
(:func:`unverified_checks`).

The public surface: :func:`generate`, :class:`ContentSource`, :class:`ContentRequest`, :class:`LocalContent`
(defined in :mod:`seeder.generate.content`), :func:`stable_hash` and :func:`unverified_checks`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from seeder.dataset import Dataset, TableData
from seeder.errors import GenerationError
from seeder.generate.aggregates import AggregateAccumulator
from seeder.generate.check_repair import CHECK_REPAIR_ROUNDS, TableRepair, enforce_checks
from seeder.generate.checks import ColumnRelation, column_relations, describe_check
from seeder.generate.checks import unverified_checks as table_unverified
from seeder.generate.checks.branches import Freedom
from seeder.generate.checks.known_functions import functions_for
from seeder.generate.checks.regex_checks import column_patterns, fit_patterns
from seeder.generate.checks.relations import repair_relations
from seeder.generate.coherence import harmonise_emails
from seeder.generate.content import ContentRequest, ContentSource, LocalContent
from seeder.generate.context import GenerationContext, stable_hash
from seeder.generate.derived import apply_copies, apply_derived
from seeder.generate.exclusions import separate_ranges
from seeder.generate.inheritance import with_parent_key
from seeder.generate.keys import unique_sets
from seeder.generate.partitions import partition_ranges
from seeder.generate.row_rules import apply_row_rules
from seeder.generate.skeleton import TableWork, fill_pending, skeleton
from seeder.generate.uniques import enforce_uniques
from seeder.plan.existing import Existing
from seeder.plan.graph import effective_table
from seeder.plan.model import Plan
from seeder.plan.rules import Aggregate
from seeder.progress import ProgressCallback, emit
from seeder.schema import Check, ForeignKey, Schema, Table, TableName

__all__ = ["CHECK_REPAIR_ROUNDS", "ContentRequest", "ContentSource", "LocalContent", "UnverifiedCheck", "generate",
           "stable_hash", "unverified_checks"]


@dataclass(frozen=True)
class UnverifiedCheck:
    """A CHECK of a generated table that seeder cannot evaluate, so rows are not verified against it."""

    table: TableName
    check: Check

    @property
    def note(self) -> str:
        """One line for the plan and the run's notes, naming the table and the constraint."""
        return (f"{self.table}: {describe_check(self.check)} is not verified by seeder (it cannot evaluate it); "
                f"the database may reject rows that break it")


def unverified_checks(schema: Schema, plan: Plan) -> list[UnverifiedCheck]:
    """The CHECKs of the tables ``plan`` generates that seeder cannot verify rows against: a function it does not
    know (``CHECK (my_valid_name(name))``), a subquery, a column the table does not have. Partitions' CHECKs count
    for their parent table (the rows go in through it); known functions are those of
    :func:`~seeder.generate.checks.known_functions.functions_for`."""
    functions = functions_for(schema)
    tables = {t.name: t for t in schema.tables}
    return [UnverifiedCheck(name, check) for name in plan.order
            for check in table_unverified(effective_table(schema, tables[name]), functions=functions)]


def generate(schema: Schema, plan: Plan, *, seed: int = 0, content: ContentSource | None = None,
             existing: Existing | None = None, progress: ProgressCallback | None = None) -> Dataset:
    """Generate every table of ``plan`` in topological order.

    Args:
        schema: the schema model the plan was built from.
        plan: the plan (order, row counts, cycle breaks).
        seed: the random seed; the same seed, schema, plan and existing rows always give the same data.
        content: the source of content values (default :class:`LocalContent`).
        existing: rows the tables hold already, by table (absent: empty): new keys do not collide with them and
            foreign keys may point at them (see :mod:`seeder.generate.existing_rows`).
        progress: receives a ``generate`` :class:`~seeder.progress.ProgressEvent` as each table is done.

    Returns:
        A :class:`~seeder.dataset.Dataset` with tables in insert order and final (consistent) FK values.

    Raises:
        GenerationError: a constraint cannot be satisfied (the message names it).
    """
    source = content or LocalContent()
    ctx = GenerationContext(schema=schema, plan=plan, seed=seed, content=source, functions=functions_for(schema),
                            existing=existing)
    ctx.notes.extend(u.note for u in unverified_checks(schema, plan))
    # the run says why a table gets fewer rows than asked, as the plan does (a singleton table already full)
    ctx.notes.extend(f"{name}: {tp.rows} rows instead of {tp.requested}: {tp.limit}" for name in plan.order
                     if (tp := plan.tables.get(name)) is not None and tp.limit and tp.rows < tp.requested)
    broken = {(b.table, b.foreign_key) for b in plan.cycle_breaks}
    tables = {t.name: t for t in schema.tables}
    generated = set(plan.order)
    sums = [AggregateAccumulator(ctx, r) for r in plan.rules.of(Aggregate)
            if r.table in generated and r.child in generated and r.table != r.child]
    for generation in plan.generations:
        works = [skeleton(ctx, with_parent_key(schema, effective_table(schema, tables[name])), plan.rows(name),
                          broken)
                 for name in generation]
        requests = [w.request for w in works if w.request is not None]
        filled = iter(source.fill(requests) if requests else [])
        for work in works:
            done = _finish(ctx, work, next(filled) if work.request is not None else {})
            ctx.data[work.table.name] = done
            for acc in sums:
                if acc.rule.child == done.table.name:
                    acc.add(done.table, dict(zip(done.columns, done.values, strict=True)))
            emit(progress, "generate", work.table.name, done.row_count, plan.rows(work.table.name), finished=True)
            fill_pending(ctx)
    if ctx.pending:  # pragma: no cover - the plan always generates every parent
        missing = ", ".join(f"{p.table}->{p.fk.ref_table}" for p in ctx.pending)
        raise GenerationError(f"internal: foreign keys left unfilled: {missing}")
    ordered = [ctx.data[n] for n in plan.order]
    stats = dict(source.stats)
    stats["rows"] = sum(td.row_count for td in ordered)
    updates = [u for u in (acc.update() for acc in sums) if u is not None]
    return Dataset(schema=schema, plan=plan, tables=ordered, stats=stats, notes=ctx.notes, seed=seed,
                   updates=updates)


def _finish(ctx: GenerationContext, work: TableWork, filled: dict[str, list[Any]]) -> TableData:
    """Take the content, repair column relations, verify every CHECK and unique constraint."""
    table, n, values = work.table, work.n, work.values
    for name in work.names:
        if name not in values:
            got = filled.get(name)
            values[name] = list(got[:n]) if got is not None and len(got) >= n else [None] * n
    relations = column_relations(table)
    if n:
        rules = ctx.plan.rules.for_table(table.name)
        derived = apply_derived(ctx, table, values, work.fixed, rules)
        ctx.notes.extend(apply_row_rules(table, values, rules,
                                         lambda salt: ctx.rng(table.name, "", salt), start=0,
                                         keep=work.fixed | derived,
                                         parent_values=lambda ref, col: _parent_values(ctx, table, values, ref, col)))
        apply_copies(ctx, table, values, work.fixed, rules)
        harmonise_emails(table, values, work.fixed, _single_unique_columns(table))
        for name in work.names:
            if name in work.specs and name not in work.fixed:
                fit_patterns(work.specs[name], column_patterns(table, table.column(name)), values[name],
                             ctx.rng(table.name, name, "#pattern"))
        repair_relations(table, relations, values, range(n), work.fixed, dialect=ctx.schema.dialect)
        repair = _table_repair(ctx, work, relations)
        enforce_checks(repair)
        n = enforce_uniques(ctx, table, values, n, repair, work.unique_columns)
        separate_ranges(table, values, n, lambda salt: ctx.rng(table.name, "", salt))
    return TableData(table=table, columns=tuple(work.names), values=tuple(values[c][:n] for c in work.names))


def _parent_values(ctx: GenerationContext, table: Table, values: dict[str, list[Any]], ref: str,
                   column: str) -> list[Any] | None:
    """``ref.column`` of the parent row each row points at through its FK to the table named ``ref`` (``None``:
    no such FK or column; NULL where the FK is NULL)."""
    for fk in table.foreign_keys:
        if ref.lower() not in (fk.ref_table.name.lower(), str(fk.ref_table).lower()):
            continue
        parent = ctx.data.get(fk.ref_table)
        if parent is None or column not in parent.columns or not all(c in values for c in fk.columns):
            return None
        index = {key: i for i, key in enumerate(zip(*(parent.column_values(rc) for rc in fk.ref_columns),
                                                    strict=True))}
        source = parent.column_values(column)
        keys = zip(*(values[c] for c in fk.columns), strict=True)
        return [None if (i := index.get(key)) is None else source[i] for key in keys]
    return None


def _single_unique_columns(table: Table) -> set[str]:
    return {cols[0] for cols in unique_sets(table) if len(cols) == 1}


def _table_repair(ctx: GenerationContext, work: TableWork, relations: Sequence[ColumnRelation]) -> TableRepair:
    """What the CHECK repair of ``work`` may change: content columns freely; nullable FK and unique columns only to
    NULL (or, for FKs, to a parent's key), except columns a self-reference points at and partition keys."""
    table = work.table
    free = frozenset(c for c in work.names if c in work.specs and c not in work.fixed)
    pinned = {c for fk in table.foreign_keys if fk.ref_table == table.name for c in fk.ref_columns}
    ranges = partition_ranges(table)
    if ranges:
        pinned.add(ranges[0])
    nullable = frozenset(c for c in work.names if c in work.fixed and c not in pinned and table.column(c).nullable)

    def fill_fk(fk: ForeignKey, rng: np.random.Generator) -> dict[str, Any] | None:
        parent = ctx.data.get(fk.ref_table) if fk.ref_table != table.name else None
        if parent is None or parent.row_count == 0:
            return None
        i = int(rng.integers(0, parent.row_count))
        return {c: parent.column_values(rc)[i] for c, rc in zip(fk.columns, fk.ref_columns, strict=True)}

    return TableRepair(table=table, values=work.values, specs=work.specs, freedom=Freedom(free, nullable),
                       relations=relations, rng=lambda col, salt: ctx.rng(table.name, col, salt),
                       functions=ctx.functions, schema=ctx.schema, fill_fk=fill_fk, rows=work.n)
