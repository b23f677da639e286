"""Children per parent (:class:`~seeder.plan.rules.FanOut`): which parent row each child row points at.

The allocation is decided for the child table as a whole, once, as a pure function of the random stream, the rule,
the parent's row count and the child's planned row count (engine design, section 3): per-parent counts are drawn,
their cumulative sums laid out, and child row ``r`` belongs to the parent whose cumulative range holds ``r`` (a
``numpy.searchsorted``), so any range of child rows can be generated alone. Counts:

* every parent gets ``min`` children first, as far as the rows allow (every order has a line);
* where children outnumber parents :data:`COVER_RATIO` to 1, every parent gets at least one (few childless
  parents, as in real data);
* the rest are spread by weights: ``zipf`` gives rank ``k`` (parents in a random order) the weight
  ``k ** -skew`` (a few customers with many orders), ``lognormal`` weights ``exp(N(0, skew))``, ``uniform`` equal;
  ``max`` caps a parent's count (the excess goes to parents below the cap).

Detail rows (lines of an order) stay next to their parent's other rows; events (orders of a customer) are spread
over the table by a fixed permutation of row numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from seeder.plan.rules import FanOut

#: Children per parent from which every parent gets at least one child whatever the rule's ``min`` says.
COVER_RATIO = 3


@dataclass(frozen=True)
class Allocation:
    """Parent rows of the rows of one child table.

    Attributes:
        counts: children per parent row (``counts[p]``), summing to the child's row count.
        starts: cumulative counts: parent ``p`` holds child slots ``starts[p] .. starts[p+1]-1``.
        order: child row -> slot (a permutation; identity when children stay grouped by parent).
    """

    counts: np.ndarray
    starts: np.ndarray
    order: np.ndarray

    def parents(self, start: int, stop: int) -> np.ndarray:
        """Parent row index of child rows ``start .. stop-1``."""
        slots = self.order[start:stop]
        return np.searchsorted(self.starts, slots, side="right") - 1

    def rank(self, start: int, stop: int) -> np.ndarray:
        """Position of each child row among its parent's children (0, 1, ...), for rows ``start .. stop-1``."""
        slots = self.order[start:stop]
        return slots - self.starts[self.parents(start, stop)]


def allocate(rule: FanOut, parents: int, children: int, rng: np.random.Generator, *,
             cap: int | None = None) -> Allocation:
    """Decide how many of ``children`` rows point at each of ``parents`` rows under ``rule``.

    Args:
        rule: the fan-out rule (``min``, ``max``, ``distribution``, ``skew``).
        parents: parent rows (> 0).
        children: child rows (>= 0).
        rng: the child table's stream for this FK (the same stream gives the same allocation).
        cap: most children a parent may have besides ``rule.max`` (distinct partners in a joint key); ``None``:
            no such limit. The caller guarantees ``parents * cap >= children``.

    Returns:
        The :class:`Allocation`; its counts sum to ``children``.
    """
    high = min(x for x in (rule.max, cap, children) if x is not None) if children else 0
    # more children than the rule's max allows over all parents: the max gives way (every row needs a parent)
    high = max(high, 1, -(-children // parents))
    floor = rule.min if rule.min > 0 else (1 if children >= COVER_RATIO * parents else 0)
    floor = min(floor, high)
    counts = np.zeros(parents, dtype=np.int64)
    rest = children
    if floor and rest:
        if rest >= floor * parents:
            counts += floor
            rest -= floor * parents
        else:  # fewer children than the minimum needs: as many parents as possible get one each
            chosen = rng.permutation(parents)[:rest]
            counts[chosen] = 1
            rest = 0
    weights = _weights(rule, parents, rng)
    if rest:
        counts += rng.multinomial(rest, weights)
    counts = _cap(counts, high, weights)
    starts = np.zeros(parents + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    grouped = rule.min > 0 or rule.distribution != "zipf"
    order = np.arange(children, dtype=np.int64) if grouped else rng.permutation(children).astype(np.int64)
    return Allocation(counts=counts, starts=starts, order=order)


def _weights(rule: FanOut, parents: int, rng: np.random.Generator) -> np.ndarray:
    if rule.distribution == "zipf" and rule.skew > 0:
        ranks = np.empty(parents, dtype=np.float64)
        ranks[rng.permutation(parents)] = np.arange(1, parents + 1, dtype=np.float64)
        w = ranks ** -rule.skew
    elif rule.distribution in ("lognormal", "loguniform") and rule.skew > 0:
        w = np.exp(rng.normal(0.0, rule.skew, parents))
    else:
        w = np.ones(parents, dtype=np.float64)
    return w / w.sum()


def _cap(counts: np.ndarray, high: int, weights: np.ndarray) -> np.ndarray:
    """Move children above ``high`` per parent to the parents below it, heaviest weights first."""
    excess = int(np.clip(counts - high, 0, None).sum())
    if not excess:
        return counts
    counts = np.minimum(counts, high)
    for p in np.argsort(-weights, kind="stable"):
        room = high - int(counts[p])
        if room <= 0:
            continue
        take = min(room, excess)
        counts[p] += take
        excess -= take
        if not excess:
            break
    return counts


def spread_partners(alloc: Allocation, partners: int, rng: np.random.Generator, start: int, stop: int) -> np.ndarray:
    """For a joint key of two FKs (``order_item(order_id, product_id)``): a partner row index (``0 ..
    partners-1``) for each child row ``start .. stop-1``, distinct among the children of one parent.

    Partners are a fixed random permutation read from a random offset per parent: the ``j``-th child of parent
    ``p`` takes ``perm[(offset[p] + j) % partners]``, distinct as long as a parent has at most ``partners`` children
    (:func:`allocate`'s ``cap``).
    """
    perm = rng.permutation(partners)
    offsets = rng.integers(0, partners, len(alloc.counts))
    parents = alloc.parents(start, stop)
    return perm[(offsets[parents] + alloc.rank(start, stop)) % partners]
