"""Blocks: the fixed row ranges a table is generated in, so its rows do not depend on how they are chunked.

A table of ``n`` rows is generated as blocks of :data:`BLOCK_ROWS` rows (the last one shorter). Every random draw
of a block comes from generators keyed by the block number (:meth:`GenerationContext.rng`; block 0 is keyed exactly
as a whole-table run was, so tables of at most one block are unchanged), and whatever must hold across blocks is a
pure function of the row number: unique values by rank, distinct joint-key tuples and one-to-one parents by
:func:`permute` (a keyed bijection of ``0 .. total-1``). A chunk (what sinks receive) is a run of whole blocks, and
worker processes generate chunks independently: output is byte-identical at every chunk size and ``--jobs``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

#: Rows per block (engine design section 3). Fixed: changing it changes the rows of tables above it.
BLOCK_ROWS = 10_000

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def block_count(n: int, block_rows: int = BLOCK_ROWS) -> int:
    """How many blocks ``n`` rows take (0 for no rows)."""
    return -(-n // block_rows) if n > 0 else 0


def block_range(b: int, n: int, block_rows: int = BLOCK_ROWS) -> tuple[int, int]:
    """Rows ``start, stop`` of block ``b`` of a table of ``n`` rows."""
    start = b * block_rows
    return start, min(start + block_rows, n)


def chunk_blocks(n: int, chunk_rows: int | None, block_rows: int = BLOCK_ROWS) -> Iterator[range]:
    """The block numbers of each chunk of a table of ``n`` rows: ``chunk_rows`` rounded up to whole blocks
    (``None``: the whole table is one chunk). A table without rows still gives one (empty) chunk."""
    blocks = block_count(n, block_rows)
    if blocks == 0:
        yield range(0)
        return
    per = blocks if chunk_rows is None else max(1, -(-chunk_rows // block_rows))
    for first in range(0, blocks, per):
        yield range(first, min(first + per, blocks))


def _mix(x: np.ndarray, key: int) -> np.ndarray:
    """splitmix64's finaliser of ``x ^ key`` (uint64, wrapping): a fast keyed hash for the Feistel rounds."""
    z = x ^ np.uint64(key & 0xFFFFFFFFFFFFFFFF)
    z = (z + np.uint64(0x9E3779B97F4A7C15)) & _MASK64
    z = ((z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & _MASK64
    z = ((z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & _MASK64
    return z ^ (z >> np.uint64(31))


def permute(indices: np.ndarray, total: int, key: int, rounds: int = 4) -> np.ndarray:
    """A keyed bijection of ``0 .. total-1`` applied to ``indices`` (an int array of values below ``total``).

    Distinct indices give distinct results, and the result for an index depends only on ``(index, total, key)``,
    so any range of rows can be mapped alone. A balanced Feistel network over the smallest even power of two at
    least ``total``, with cycle walking back into range (fewer than four steps on average). ``total`` up to 2**62.
    """
    idx = np.asarray(indices, dtype=np.uint64)
    if total <= 1 or idx.size == 0:
        return idx.astype(np.int64)
    half = max(1, ((total - 1).bit_length() + 1) // 2)
    low_mask = np.uint64((1 << half) - 1)
    shift = np.uint64(half)
    keys = [(key * 0x2545F4914F6CDD1D + r * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF for r in range(rounds)]

    def once(x: np.ndarray) -> np.ndarray:
        left, right = x >> shift, x & low_mask
        for k in keys:
            left, right = right, left ^ (_mix(right, k) & low_mask)
        return (left << shift) | right

    out = once(idx)
    limit = np.uint64(total)
    outside = out >= limit
    while outside.any():
        out[outside] = once(out[outside])
        outside = out >= limit
    return out.astype(np.int64)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a block is made, then move what exists out of its view.

    A block creates hundreds of thousands of objects and no reference cycles, yet each allocation burst triggered
    collections that walked every object the run holds: generation ran about 1.7x slower with them (measured on the
    issue #12 table). After the block, ``gc.freeze()`` puts the objects that exist into the collector's permanent
    generation, so they are never walked (reference counting still frees them as usual); the run calls
    ``gc.unfreeze()`` when it ends (:meth:`seeder.generate.engine.Run.pieces`), so cycles made meanwhile are
    collected then.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
