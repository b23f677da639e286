"""The generation engine: every table of a plan, in topological order, block by block.

Each table is decided once (:func:`~seeder.generate.skeleton.setup_table`: row count, keys, specs, FK targets), then
generated in blocks of :data:`~seeder.generate.blocks.BLOCK_ROWS` rows: per block the *skeleton* (keys, unique
columns, partition keys, foreign keys) by construction (:mod:`seeder.generate.skeleton`), the remaining *content*
columns from the content source (:mod:`seeder.generate.content`; the first blocks of a topological generation's
tables are asked together), then related columns made to agree (:mod:`seeder.generate.coherence`, regex CHECKs,
column relations), rows that fail a CHECK repaired (:mod:`seeder.generate.check_repair`) and every unique constraint
verified within the block (:mod:`seeder.generate.uniques`). Before the row rules, the plan's cross-table rules that
follow a parent apply (copies, times after the parent, history periods: :mod:`seeder.generate.derived`); the
skeleton draws foreign keys under the fan-out, existence and agreement rules (:mod:`seeder.generate.fk_strategies`,
decided once per table and indexed by row number); aggregates over child rows (``invoice.total``) are accumulated
piece by piece and handed on as ``Dataset.updates`` at the end (:mod:`seeder.generate.aggregates`). Blocks are
keyed by their number, so a table's rows do not depend on how they are chunked (:mod:`seeder.generate.blocks`).
:class:`Run` hands the blocks on in chunks and keeps of each finished table only the columns later tables read
(:mod:`seeder.generate.store`); chunks may be made by worker processes (:mod:`seeder.generate.pool`) or a Dask
cluster (:mod:`seeder.generate.dask_backend`). CHECKs seeder cannot evaluate are named in the run's notes
(:func:`unverified_checks`).

The public surface: :func:`generate`, :class:`ContentSource`, :class:`ContentRequest`, :class:`LocalContent`
(defined in :mod:`seeder.generate.content`), :func:`stable_hash` and :func:`unverified_checks`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from seeder.dataset import Dataset, LazyTables, TableData, TableOutline, join_pieces
from seeder.errors import ConfigError, GenerationError
from seeder.generate.aggregates import AggregateAccumulator
from seeder.generate.blocks import BLOCK_ROWS, block_range, chunk_blocks, paused_gc
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
from seeder.generate.pool import ChunkPool
from seeder.generate.retained import retained_columns
from seeder.generate.row_rules import apply_row_rules
from seeder.generate.skeleton import TableSetup, TableWork, block_skeleton, fill_pending, setup_table, written_columns
from seeder.generate.store import Retainer
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
             existing: Existing | None = None, chunk_rows: int | None = None, jobs: int = 1,
             block_rows: int = BLOCK_ROWS, progress: ProgressCallback | None = None) -> Dataset:
    r"""Generate every table of ``plan`` in topological order.

    Args:
        schema: the schema model the plan was built from.
        plan: the plan (order, row counts, cycle breaks).
        seed: the random seed; the same seed, schema, plan and existing rows always give the same data.
        content: the source of content values (default :class:`LocalContent`).
        existing: rows the tables hold already, by table (absent: empty): new keys do not collide with them and
            foreign keys may point at them (see :mod:`seeder.generate.existing_rows`).
        chunk_rows: ``None`` (default): generate now and hold every table whole in ``tables``. A number: a
            streamed run: nothing is generated until :meth:`Dataset.stream` is read, which yields pieces of
            about ``chunk_rows`` rows (rounded up to whole blocks) and keeps of each finished table only the
            columns later tables read (:mod:`seeder.generate.store`). Rows are the same at every chunk size.
        jobs: worker processes generating a table's chunks (``1``: none); the rows are the same for every value.
            Used for streamed runs with the local content source and no existing rows, else ignored.
        block_rows: rows per block (:mod:`seeder.generate.blocks`); a different value gives different rows for
            tables above it (tests use small blocks to exercise many of them).
        progress: receives ``generate`` :class:`~seeder.progress.ProgressEvent`\ s as each piece of a table is done
            (``finished`` with its last one).

    Returns:
        A :class:`~seeder.dataset.Dataset` with tables in insert order and final (consistent) FK values.

    Raises:
        GenerationError: a constraint cannot be satisfied (the message names it).
        ConfigError: ``chunk_rows``, ``jobs`` or ``block_rows`` below 1.
    """
    for label, value in (("chunk rows", chunk_rows), ("jobs", jobs), ("block rows", block_rows)):
        if value is not None and value < 1:
            raise ConfigError(f"{label} must be at least 1, not {value}")
    source = content or LocalContent()
    dataset = Dataset(schema=schema, plan=plan, tables=[], seed=seed)
    run = Run(schema=schema, plan=plan, seed=seed, content=source, existing=existing, chunk_rows=chunk_rows,
              jobs=jobs if chunk_rows is not None and existing is None and type(source) is LocalContent else 1,
              block_rows=block_rows, progress=progress)
    if chunk_rows is None:
        dataset.tables = join_pieces(run.pieces(dataset))
    else:
        dataset.tables = LazyTables(lambda: run.pieces(dataset), outline=run.outline,
                                    updates_later=bool(run.aggregates()))
    return dataset


class Pool(Protocol):
    """Generates a table's chunks elsewhere (:class:`ChunkPool`: worker processes; the Dask backend: a cluster).

    ``run`` yields one piece per chunk, in order (``writes``: the pool wrote the rows itself and the pieces hold only
    the table's retained columns); ``stats`` counts what the workers' content source did.
    """

    writes: bool
    stats: dict[str, int]

    def run(self, ctx: GenerationContext, setup: TableSetup,
            chunks: Sequence[Sequence[int]]) -> Iterator[TableData]: ...


@dataclass
class Run:
    """One generation run's settings; :meth:`pieces` generates it (again, identically, at every call)."""

    schema: Schema
    plan: Plan
    seed: int
    content: ContentSource
    existing: Existing | None
    chunk_rows: int | None
    jobs: int
    block_rows: int
    progress: ProgressCallback | None = None

    def table(self, name: TableName) -> Table:
        """The table ``name`` as generated: its effective form (partitions' FKs, an inherited key)."""
        return with_parent_key(self.schema, effective_table(self.schema, self.schema.table(name)))

    def outline(self) -> list[TableOutline]:
        """Every table of the run with the columns it writes and its planned row count, before any row exists."""
        out = []
        for name in self.plan.order:
            table = self.table(name)
            out.append(TableOutline(table, tuple(c.name for c in written_columns(table)), self.plan.rows(name)))
        return out

    def aggregates(self) -> list[Aggregate]:
        """The plan's aggregates over child rows this run generates (parent and child both in it)."""
        generated = set(self.plan.order)
        return [r for r in self.plan.rules.of(Aggregate)
                if r.table in generated and r.child in generated and r.table != r.child]

    def pieces(self, dataset: Dataset, pool: Pool | None = None) -> Iterator[TableData]:
        """Every table's pieces in ``plan.order``; sets ``dataset.notes`` and ``dataset.stats`` at the end.

        ``pool`` generates the chunks after a table's first (default: a :class:`ChunkPool` of ``jobs`` processes
        when ``jobs > 1``, else none: this process).
        """
        schema, plan, source = self.schema, self.plan, self.content
        ctx = GenerationContext(schema=schema, plan=plan, seed=self.seed, content=source,
                                functions=functions_for(schema), existing=self.existing)
        ctx.notes.extend(u.note for u in unverified_checks(schema, plan))
        # the run says why a table gets fewer rows than asked, as the plan does (a singleton table already full)
        ctx.notes.extend(f"{name}: {tp.rows} rows instead of {tp.requested}: {tp.limit}" for name in plan.order
                         if (tp := plan.tables.get(name)) is not None and tp.limit and tp.rows < tp.requested)
        broken = {(b.table, b.foreign_key) for b in plan.cycle_breaks}
        sums = [AggregateAccumulator(ctx, r) for r in self.aggregates()]
        tables = {t.name: t for t in schema.tables}
        # An LLM shows the model whole parent rows: keep every column then; the local source reads only keys.
        keep_all = type(source) is not LocalContent
        started: dict[TableName, tuple[TableSetup, TableData]] = {}
        held: list[TableData] = []  # pieces waiting while a cycle-broken FK is unfilled (their table is whole)
        whole: set[TableName] = set()
        rows = 0
        own_pool = pool is None and self.jobs > 1
        if own_pool:
            pool = ChunkPool(self)
        try:
            for name in plan.order:
                if name not in started:
                    self._start(ctx, name, started, tables, broken)
                setup, first = started.pop(name)
                table = setup.table
                keep = (set(setup.names) if keep_all
                        else retained_columns(schema, plan, name))
                retainer = Retainer(table, keep)
                parts: list[TableData] | None = [] if setup.pending else None
                adding = [acc for acc in sums if acc.rule.child == name]
                done = 0
                for piece in self._table_pieces(ctx, setup, first, pool):
                    rows += piece.row_count
                    done += piece.row_count
                    for acc in adding:  # an aggregate adds up its children piece by piece
                        acc.add(piece.table, dict(zip(piece.columns, piece.values, strict=True)))
                    emit(self.progress, "generate", name, done, plan.rows(name))
                    if parts is not None:
                        parts.append(piece)
                        continue
                    retainer.add(piece)
                    if ctx.pending:
                        held.append(piece)
                    else:
                        yield piece
                if parts is not None:  # held whole until its parent fills the FK
                    full = join_pieces(parts)[0]
                    ctx.data[name] = full
                    held.append(full)
                    whole.add(name)
                else:
                    ctx.data[name] = retainer.finish()
                emit(self.progress, "generate", name, done, plan.rows(name), finished=True)
                ctx.memo.clear()  # table-wide facts may read the new table now
                fill_pending(ctx)
                if not ctx.pending and held:
                    for done in whole:
                        keeper = Retainer(ctx.data[done].table,
                                          set(ctx.data[done].columns) if keep_all
                                          else retained_columns(schema, plan, done))
                        keeper.add(ctx.data[done])  # type: ignore[arg-type]
                        ctx.data[done] = keeper.finish()
                    whole.clear()
                    ctx.memo.clear()
                    yield from held
                    held = []
        finally:
            if own_pool and pool is not None:
                pool.close()
            gc.unfreeze()  # see paused_gc
        if ctx.pending:  # pragma: no cover - the plan always generates every parent
            missing = ", ".join(f"{p.table}->{p.fk.ref_table}" for p in ctx.pending)
            raise GenerationError(f"internal: foreign keys left unfilled: {missing}")
        yield from held
        stats = dict(source.stats)
        if pool is not None:
            for key, value in pool.stats.items():
                stats[key] = stats.get(key, 0) + value
        stats["rows"] = rows
        dataset.updates[:] = [u for u in (acc.update() for acc in sums) if u is not None]
        dataset.stats.clear()
        dataset.stats.update(stats)
        dataset.notes[:] = ctx.notes

    def _start(self, ctx: GenerationContext, name: TableName, started: dict[TableName, tuple[TableSetup, TableData]],
               tables: dict[TableName, Table], broken: set[tuple[TableName, ForeignKey]]) -> None:
        """Set up ``name`` and the other tables of its generation whose parents exist, and generate their first
        blocks together (a content source sees them at once, as independent requests)."""
        index = next(i for i, g in enumerate(self.plan.generations) if name in g)
        # the others join only when every earlier generation is done (all they can depend on, rules included)
        earlier_done = all(t in ctx.data for g in self.plan.generations[:index] for t in g)
        batch = [t for t in self.plan.generations[index]
                 if t == name or (earlier_done and t not in started and t not in ctx.data)]
        setups = [setup_table(ctx, self.table(t), self.plan.rows(t), broken, self.block_rows) for t in batch]
        with paused_gc():
            works = [block_skeleton(ctx, s, *block_range(0, s.n, self.block_rows)) for s in setups]
        requests = [w.request for w in works if w.request is not None]
        filled = iter(self.content.fill(requests) if requests else [])
        for setup, work in zip(setups, works, strict=True):
            with paused_gc():
                started[setup.table.name] = (setup, _finish(ctx, setup, work,
                                                            next(filled) if work.request is not None else {}))

    def _table_pieces(self, ctx: GenerationContext, setup: TableSetup, first: TableData,
                      pool: Pool | None) -> Iterator[TableData]:
        """The pieces of one table: block 0 is ``first``; chunks after the first go to the pool when there is one
        (not to a pool that writes them, when a cycle-broken FK will still change the table)."""
        chunks = list(chunk_blocks(setup.n, self.chunk_rows, self.block_rows))
        head = [first] + [generate_block(ctx, setup, b, self.content) for b in chunks[0] if b > 0]
        yield join_pieces(head)[0] if len(head) > 1 else first
        rest = chunks[1:]
        if pool is not None and rest and not (pool.writes and setup.pending):
            yield from pool.run(ctx, setup, rest)
            return
        for blocks in rest:
            yield join_pieces(generate_block(ctx, setup, b, self.content) for b in blocks)[0]


def generate_block(ctx: GenerationContext, setup: TableSetup, b: int, source: ContentSource) -> TableData:
    """Block ``b`` of a table, finished (its draws keyed by ``b``)."""
    ctx.block = b
    try:
        with paused_gc():
            work = block_skeleton(ctx, setup, *block_range(b, setup.n, setup.block_rows))
            filled = source.fill([work.request])[0] if work.request is not None else {}
            return _finish(ctx, setup, work, filled)
    finally:
        ctx.block = 0


def _finish(ctx: GenerationContext, setup: TableSetup, work: TableWork, filled: dict[str, list[Any]]) -> TableData:
    """Take the content, repair column relations, verify every CHECK and unique constraint (within the block)."""
    table, n, values = work.table, work.n, work.values
    block, ctx.block = ctx.block, work.start // setup.block_rows
    try:
        for name in work.names:
            if name not in values:
                got = filled.get(name)
                values[name] = list(got[:n]) if got is not None and len(got) >= n else [None] * n
        relations = column_relations(table)
        if n:
            rules = ctx.plan.rules.for_table(table.name)
            # the block's streams are its own: per-row draws start at the block's first row (offset 0)
            derived = apply_derived(ctx, table, values, work.fixed, rules)
            ctx.notes.extend(apply_row_rules(table, values, rules,
                                             lambda salt: ctx.rng(table.name, "", salt), start=work.start,
                                             keep=work.fixed | derived,
                                             parent_values=lambda ref, col: _parent_values(ctx, setup, values, ref,
                                                                                           col)))
            apply_copies(ctx, table, values, work.fixed, rules)
            harmonise_emails(table, values, work.fixed, _single_unique_columns(table))
            for name in work.names:
                if name in work.specs and name not in work.fixed:
                    fit_patterns(work.specs[name], column_patterns(table, table.column(name)), values[name],
                                 ctx.rng(table.name, name, "#pattern"))
            repair_relations(table, relations, values, range(n), work.fixed, dialect=ctx.schema.dialect)
            repair = _table_repair(ctx, work, relations)
            enforce_checks(repair)
            base = None if setup.single_block else setup.n + 8 * work.start
            n = enforce_uniques(ctx, table, values, n, repair, work.unique_columns, rank_base=base)
            separate_ranges(table, values, n, lambda salt: ctx.rng(table.name, "", salt))
    finally:
        ctx.block = block
    return TableData(table=table, columns=tuple(work.names), values=tuple(values[c][:n] for c in work.names))


def _parent_values(ctx: GenerationContext, setup: TableSetup, values: dict[str, list[Any]], ref: str,
                   column: str) -> list[Any] | None:
    """``ref.column`` of the parent row each row points at through its FK to the table named ``ref`` (``None``:
    no such FK or column; NULL where the FK is NULL). The parent's key index is built once per table."""
    table = setup.table
    for fk in table.foreign_keys:
        if ref.lower() not in (fk.ref_table.name.lower(), str(fk.ref_table).lower()):
            continue
        if not ctx.has_rows_of(fk.ref_table) or not all(c in values for c in fk.columns):
            return None
        try:
            source = ctx.parent_column(fk.ref_table, column)
            index = setup.parent_index.get(fk)
            if index is None:
                index = setup.parent_index[fk] = {key: i for i, key in enumerate(zip(
                    *(ctx.parent_column(fk.ref_table, rc) for rc in fk.ref_columns), strict=True))}
        except KeyError:
            return None
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
        if fk.ref_table == table.name or ctx.parent_row_count(fk.ref_table) == 0:
            return None
        i = int(rng.integers(0, ctx.parent_row_count(fk.ref_table)))
        return {c: ctx.parent_column(fk.ref_table, rc)[i] for c, rc in zip(fk.columns, fk.ref_columns, strict=True)}

    return TableRepair(table=table, values=work.values, specs=work.specs, freedom=Freedom(free, nullable),
                       relations=relations, rng=lambda col, salt: ctx.rng(table.name, col, salt),
                       functions=ctx.functions, schema=ctx.schema, fill_fk=fill_fk, rows=work.n)
