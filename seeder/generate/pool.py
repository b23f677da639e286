"""``--jobs N``: a table's chunks generated in worker processes, with the same rows as one process.

Blocks are independent by design (:mod:`seeder.generate.blocks`): a block needs only its table's
:class:`~seeder.generate.skeleton.TableSetup` and what the run kept of the tables before it. So, once per table, the
main process pickles both into a file in a private temporary folder; each worker (started with ``spawn``, so it
works wherever Python runs) loads the file on its first chunk of that table and generates the chunks it is given.
Chunks are submitted in order with a bounded window (two per worker) and their pieces handed on in order, so memory
stays flat and output equals ``--jobs 1`` byte for byte.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import tempfile
import uuid
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from seeder.dataset import TableData, join_pieces
from seeder.generate.blocks import paused_gc
from seeder.generate.checks.known_functions import functions_for
from seeder.generate.content import LocalContent
from seeder.generate.context import GenerationContext
from seeder.generate.values.fixed_formats import uuid_of
from seeder.plan.model import Plan
from seeder.schema import Schema

if TYPE_CHECKING:
    from seeder.generate.engine import Run
    from seeder.generate.skeleton import TableSetup

#: Chunks in flight per worker: enough to keep every worker busy, few enough to keep memory flat.
WINDOW_PER_JOB = 2

_STATE: dict[str, Any] = {}


def _init_worker(schema: Schema, plan: Plan, seed: int) -> None:
    """Worker initialiser: the run's context, without generated tables yet."""
    _STATE["ctx"] = GenerationContext(schema=schema, plan=plan, seed=seed, content=LocalContent(),
                                      functions=functions_for(schema))
    _STATE["path"] = None


Wire = tuple[Any, tuple[str, ...], list[tuple[str, list[Any]]]]


def encode_piece(piece: TableData) -> Wire:
    """``piece`` in a form that pickles fast: UUIDs as their 128-bit ints, decimals as their exact text (pickling
    those objects one by one cost as much as generating them)."""
    columns = []
    for values in piece.values:
        sample = next((v for v in values if v is not None), None)
        if type(sample) is uuid.UUID and all(v is None or type(v) is uuid.UUID for v in values):
            columns.append(("uuid", [None if v is None else v.int for v in values]))
        elif type(sample) is Decimal and all(v is None or type(v) is Decimal for v in values):
            columns.append(("decimal", [None if v is None else str(v) for v in values]))
        else:
            columns.append(("", list(values)))
    return piece.table, piece.columns, columns


def decode_piece(wire: Wire) -> TableData:
    """The :class:`TableData` :func:`encode_piece` encoded (equal values of the same types)."""
    table, names, columns = wire
    with paused_gc():  # decoding makes many objects and no cycles, as a block does
        values = []
        for kind, column in columns:
            if kind == "uuid":
                values.append([None if v is None else uuid_of(v) for v in column])
            elif kind == "decimal":
                values.append([None if v is None else Decimal(v) for v in column])
            else:
                values.append(column)
    return TableData(table=table, columns=names, values=tuple(values))


def _run_chunk(path: str, blocks: Sequence[int]) -> tuple[Wire, list[str], dict[str, int]]:
    """Generate the blocks of one chunk of the table whose setup is in ``path``: the piece (encoded), notes,
    stats."""
    from seeder.generate.engine import generate_block  # the engine imports this module

    ctx: GenerationContext = _STATE["ctx"]
    if _STATE["path"] != path:
        with open(path, "rb") as f:
            _STATE["setup"], ctx.data = pickle.load(f)
        ctx.memo.clear()  # table-wide facts of the previous table
        _STATE["path"] = path
    ctx.notes = []
    source = ctx.content
    before = dict(source.stats)
    piece = join_pieces(generate_block(ctx, _STATE["setup"], b, source) for b in blocks)[0]
    stats = {k: v - before.get(k, 0) for k, v in source.stats.items()}
    return encode_piece(piece), ctx.notes, stats


class ChunkPool:
    """The worker processes of one run (``jobs`` of them); :meth:`close` ends them and removes the files."""

    writes = False

    def __init__(self, run: Run) -> None:
        self.jobs = run.jobs
        self.executor = ProcessPoolExecutor(max_workers=run.jobs, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_init_worker, initargs=(run.schema, run.plan, run.seed))
        self.folder = tempfile.mkdtemp(prefix="seeder-jobs-")
        self.tables = 0
        self.stats: dict[str, int] = {}

    def run(self, ctx: GenerationContext, setup: TableSetup, chunks: Sequence[Sequence[int]]) -> Iterator[TableData]:
        """The pieces of ``chunks`` (block numbers of one table), in order; their notes go to ``ctx.notes``."""
        self.tables += 1
        path = os.path.join(self.folder, f"table-{self.tables}.pickle")
        with open(path, "wb") as f:
            pickle.dump((setup, ctx.data), f, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            waiting: deque[Future[tuple[Wire, list[str], dict[str, int]]]] = deque()
            todo = iter(chunks)
            for blocks in todo:
                waiting.append(self.executor.submit(_run_chunk, path, list(blocks)))
                if len(waiting) >= self.jobs * WINDOW_PER_JOB:
                    break
            while waiting:
                piece, notes, stats = waiting.popleft().result()
                following = next(todo, None)
                if following is not None:
                    waiting.append(self.executor.submit(_run_chunk, path, list(following)))
                ctx.notes.extend(notes)
                for key, value in stats.items():
                    self.stats[key] = self.stats.get(key, 0) + value
                yield decode_piece(piece)
        finally:
            os.unlink(path)

    def close(self) -> None:
        """Stop the workers (pending chunks are cancelled) and remove the temporary folder."""
        self.executor.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)
