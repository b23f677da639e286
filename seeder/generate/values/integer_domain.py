"""Integer domains: the common ground of every ordered value type.

Integers, decimals (in units of their scale), floats (on a decimal grid), dates (ordinals), timestamps (epoch
seconds), times (seconds of the day) and intervals (seconds) are all generated as integers in an inclusive range and
converted at the end. This module holds the range arithmetic shared by all of them:

* :class:`IntRange` and :func:`preferred_window` (a plausible sub-range inside the allowed one),
* :func:`draw` (random values, optionally log-uniform, excluding listed values),
* :class:`UniqueSequence` (an injective numbering of the allowed integers, so that the values for ranks
  ``start .. start+n-1`` never repeat those of any other rank, whatever random state produced them).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

#: Generation never leaves the signed 64-bit range; wider types (numeric(38)) just get values inside it.
INT64_MIN = -(2**63) + 1
INT64_MAX = 2**63 - 1
#: Spans up to this size are drawn directly; larger ones are narrowed (numpy draws int64 spans only).
_MAX_DRAW_SPAN = 2**62
#: Windows larger than this are numbered sequentially instead of scattered (the scatter multiplies in int64).
_MAX_SCATTER = 3_000_000_000


@dataclass(frozen=True)
class IntRange:
    """An inclusive integer range ``lo .. hi`` (Python ints; empty when ``lo > hi``)."""

    lo: int
    hi: int

    @property
    def size(self) -> int:
        return max(0, self.hi - self.lo + 1)

    @property
    def empty(self) -> bool:
        return self.lo > self.hi

    def intersect(self, other: IntRange) -> IntRange:
        return IntRange(max(self.lo, other.lo), min(self.hi, other.hi))

    def contains(self, value: int) -> bool:
        return self.lo <= value <= self.hi

    def clamp64(self) -> IntRange:
        """The part of the range inside the signed 64-bit integers."""
        return self.intersect(IntRange(INT64_MIN, INT64_MAX))


def preferred_window(allowed: IntRange, preferred: IntRange | None, span: int) -> IntRange:
    """Where random values are drawn: ``preferred`` cut to ``allowed``, or a ``span``-wide part of ``allowed``
    next to ``preferred`` when the two do not meet (e.g. CHECK bounds far from the plausible range).

    ``allowed`` must not be empty.
    """
    if preferred is None:
        preferred = IntRange(0, span)
    inside = preferred.intersect(allowed)
    if not inside.empty:
        return inside
    if allowed.hi < preferred.lo:
        return IntRange(max(allowed.lo, allowed.hi - span), allowed.hi)
    return IntRange(allowed.lo, min(allowed.hi, allowed.lo + span))


def _narrow(window: IntRange) -> IntRange:
    window = window.clamp64()
    if window.size > _MAX_DRAW_SPAN:
        mid = window.lo // 2 + window.hi // 2
        window = IntRange(max(window.lo, mid - _MAX_DRAW_SPAN // 2), min(window.hi, mid + _MAX_DRAW_SPAN // 2 - 1))
    return window


def draw(rng: np.random.Generator, window: IntRange, n: int, *, log_scale: bool = False,
         excluded: Iterable[int] = ()) -> np.ndarray:
    """``n`` random int64 values in ``window`` (must not be empty), none of them in ``excluded``.

    ``log_scale`` draws log-uniformly over the positive part of the window (plausible for prices and sizes).
    Raises ``ValueError`` when every value of the window is excluded (callers turn it into a GenerationError).
    """
    window = _narrow(window)
    if log_scale and window.hi > 0 and window.hi > window.lo:
        low = max(window.lo, 1)
        logs = rng.uniform(math.log(low), math.log(window.hi + 1), n)
        values = np.minimum(np.floor(np.exp(logs)).astype(np.int64), window.hi)
        values = np.maximum(values, window.lo)
    else:
        values = rng.integers(window.lo, window.hi, n, endpoint=True, dtype=np.int64)
    banned = sorted({int(v) for v in excluded if window.contains(int(v))})
    if banned:
        if len(banned) >= window.size:
            raise ValueError("every value in the range is excluded")
        banned_arr = np.asarray(banned, dtype=np.int64)
        for _ in range(32):
            bad = np.isin(values, banned_arr)
            if not bad.any():
                break
            values[bad] = rng.integers(window.lo, window.hi, int(bad.sum()), endpoint=True, dtype=np.int64)
        else:
            allowed = np.setdiff1d(np.arange(window.lo, window.hi + 1, dtype=np.int64), banned_arr) \
                if window.size <= 1_000_000 else None
            bad = np.isin(values, banned_arr)
            if allowed is None:
                raise ValueError("could not avoid the excluded values")
            values[bad] = allowed[rng.integers(0, len(allowed), int(bad.sum()))]
    return values


def coprime_multiplier(size: int, start: int | None = None) -> int:
    """An odd multiplier coprime to ``size``, from ``start`` (default about ``size`` / golden ratio, so that
    consecutive ranks land far apart) upwards: ``rank * multiplier mod size`` is then a bijection of
    ``0 .. size-1``. 1 for sizes up to 2."""
    if size <= 2:
        return 1
    mult = ((size * 618033988749894848) // 10**18 if start is None else start) | 1  # exact for any size
    while math.gcd(mult, size) != 1:
        mult += 2
    return mult


class UniqueSequence:
    """An injective numbering of the integers of ``allowed``, skipping ``excluded``.

    Rank 0, 1, 2, ... first walk ``first`` (a sub-range of ``allowed``; scattered over it by an affine bijection
    when ``scatter`` is set, else ascending), then the integers above ``first`` ascending, then those below it
    descending. The numbering depends only on the constructor arguments, so ranks from different calls (different
    random states) never give the same value twice.
    """

    def __init__(self, allowed: IntRange, first: IntRange, *, scatter: bool = False,
                 excluded: Iterable[int] = ()) -> None:
        allowed = allowed.clamp64()
        first = first.intersect(allowed)
        if first.empty:
            first = IntRange(allowed.lo, allowed.lo - 1) if allowed.empty else IntRange(allowed.lo, allowed.lo)
        self.allowed = allowed
        self.first = first
        self._w = first.size
        self._above = max(0, allowed.hi - first.hi)
        self._below = max(0, first.lo - allowed.lo)
        self._scatter = scatter and 2 < self._w <= _MAX_SCATTER
        self._mult = coprime_multiplier(self._w) if self._scatter else 1
        self._offset = self._w // 3 if self._scatter else 0
        ranks = sorted({r for v in excluded if (r := self.rank_of(int(v))) is not None and r <= INT64_MAX})
        self._skip = np.asarray(ranks, dtype=np.int64) - np.arange(len(ranks), dtype=np.int64)
        self.capacity = self._w + self._above + self._below - len(ranks)

    def rank_of(self, value: int) -> int | None:
        """The rank of ``value`` in the numbering (ignoring exclusions), ``None`` if it is not in ``allowed``."""
        if not self.allowed.contains(value):
            return None
        if self.first.contains(value):
            pos = value - self.first.lo
            if self._scatter:
                return ((pos - self._offset) * pow(self._mult, -1, self._w)) % self._w
            return pos
        if value > self.first.hi:
            return self._w + (value - self.first.hi - 1)
        return self._w + self._above + (self.first.lo - 1 - value)

    def values(self, ranks: np.ndarray) -> np.ndarray:
        """Values (int64) for ``ranks`` (int64, each ``< capacity``) counted over the allowed, non-excluded integers."""
        ranks = np.asarray(ranks, dtype=np.int64)
        if len(self._skip):
            ranks = ranks + np.searchsorted(self._skip, ranks, side="right")
        out = np.empty(len(ranks), dtype=np.int64)
        w = min(self._w, INT64_MAX)
        in_first = ranks < w
        r = ranks[in_first]
        if self._scatter:
            r = (r * self._mult + self._offset) % self._w
        out[in_first] = self.first.lo + r
        rest = ~in_first
        if rest.any():
            beyond = ranks[rest] - w
            above = min(self._above, INT64_MAX)
            is_above = beyond < above
            vals = np.empty_like(beyond)
            if is_above.any():  # first.hi + 1 is inside allowed here, so it fits int64
                vals[is_above] = (self.first.hi + 1) + beyond[is_above]
            if not is_above.all():
                vals[~is_above] = (self.first.lo - 1) - (beyond[~is_above] - above)
            out[rest] = vals
        return out


def scramble(ranks: list[int], size: int) -> list[int]:
    """An affine bijection of ``0 .. size-1`` applied to ``ranks`` (Python ints, any size): distinct ranks stay
    distinct, and consecutive ranks land far apart so unique codes do not look sequential."""
    if size <= 2:
        return list(ranks)
    mult = coprime_multiplier(size)
    offset = (size * 718281828459045235) // 10**18  # not a round number, so no early rank stands out
    return [(r * mult + offset) % size for r in ranks]


def unscramble(values: list[int], size: int) -> list[int]:
    """The ranks :func:`scramble` maps to ``values`` (its inverse on ``0 .. size-1``)."""
    if size <= 2:
        return list(values)
    mult = coprime_multiplier(size)
    offset = (size * 718281828459045235) // 10**18
    inverse = pow(mult, -1, size)
    return [((v - offset) * inverse) % size for v in values]


def ceil_div(a: int, b: int) -> int:
    """``ceil(a / b)`` for integers (``b > 0``)."""
    return -((-a) // b)
