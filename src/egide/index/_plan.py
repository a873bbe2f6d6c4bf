"""Choice of the multi-index-hashing layout and of the per-table probe radii.

Pure Python cost model: the kernels pay roughly one cache miss per probed bucket and one per
candidate, so a layout is scored by ``probes + candidates`` under a memory cap on the bucket
offsets. By the generalised pigeonhole principle a code within ``radius`` of the query has some
chunk ``i`` within ``t_i`` of the query's chunk whenever ``sum(t_i + 1) >= radius + 1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

DESIGN_RADIUS = 31
"""PDQ's confident-match threshold: layouts are tuned for this radius."""

FLAT_MAX = 4096
"""Segments up to this size are scanned linearly; tables would cost more than they save."""

MIN_CHUNK_BITS = 8
MAX_CHUNK_BITS = 24
OFFSET_BYTES_PER_ENTRY = 48
"""Memory cap for the CSR offsets (4 bytes x 2^b per table) relative to the entry count: at
10M entries it allows 11 x 23-bit tables (369 MB) and keeps the whole index under 1.3 GB."""
SMALL_OFFSET_BYTES_PER_ENTRY = 128
SMALL_SEGMENT = 1 << 22
"""Below this many entries the cap is looser but at most 128 MB (1M: 12 x 21 bits, 100 MB)."""

MISS_PER_SCAN = 12.0
"""How many sequentially scanned codes cost as much as one probe or candidate (measured)."""


@dataclass(frozen=True)
class Layout:
    """``n_chunks`` tables, each keyed by ``chunk_bits`` consecutive bits; leftover bits unused."""

    chunk_bits: int
    n_chunks: int

    def starts(self) -> list[int]:
        return [i * self.chunk_bits for i in range(self.n_chunks)]


def thresholds(n_chunks: int, radius: int) -> list[int]:
    """Per-table radii ``t_i`` (``-1`` = skip table) with ``sum(t_i + 1) == radius + 1``.

    Spread evenly: the number of probes grows steeply with ``t``, so equal radii minimise it.
    """
    base, extra = divmod(radius + 1, n_chunks)
    return [base + (1 if i < extra else 0) - 1 for i in range(n_chunks)]


def probes_per_table(chunk_bits: int, t: int) -> int:
    """Number of keys within Hamming distance ``t`` of a ``chunk_bits``-bit key."""
    return sum(comb(chunk_bits, k) for k in range(min(t, chunk_bits) + 1))


def mih_cost(layout: Layout, n: int, radius: int) -> float:
    """Estimated probes plus candidates for one query on ``n`` entries."""
    t_all = thresholds(layout.n_chunks, radius)
    probes = sum(probes_per_table(layout.chunk_bits, t) for t in t_all)
    return probes * (1.0 + n / float(1 << layout.chunk_bits))


def flat_cost(n: int) -> float:
    """A linear scan, in the same units as :func:`mih_cost`."""
    return n / MISS_PER_SCAN


def choose_layout(n: int, bits: int, radius: int = DESIGN_RADIUS) -> Layout | None:
    """Cheapest layout for ``n`` entries, or ``None`` when a linear scan is cheaper."""
    if n <= FLAT_MAX:
        return None
    per_entry = SMALL_OFFSET_BYTES_PER_ENTRY if n < SMALL_SEGMENT else OFFSET_BYTES_PER_ENTRY
    budget = per_entry * n if n >= SMALL_SEGMENT else min(per_entry * n, 1 << 27)
    best: Layout | None = None
    best_cost = flat_cost(n)
    for b in range(MIN_CHUNK_BITS, MAX_CHUNK_BITS + 1):
        m = bits // b
        if m < 1:
            break
        if 4 * m * (1 << b) > budget:
            continue
        layout = Layout(b, m)
        cost = mih_cost(layout, n, radius)
        if cost < best_cost:
            best, best_cost = layout, cost
    return best


def use_tables(layout: Layout, n: int, radius: int) -> bool:
    """Whether probing the tables beats scanning the segment at this query radius."""
    return mih_cost(layout, n, radius) < flat_cost(n)


def flip_masks(chunk_bits: int, t_max: int) -> tuple[list[int], list[int]]:
    """All ``chunk_bits``-bit masks of weight <= ``t_max`` by increasing weight, and the count
    of those of weight <= t for each t in 0..t_max (the probe lists of the kernels)."""
    from itertools import combinations

    masks: list[int] = []
    counts: list[int] = []
    for k in range(min(t_max, chunk_bits) + 1):
        for combo in combinations(range(chunk_bits), k):
            masks.append(sum(1 << i for i in combo))
        counts.append(len(masks))
    counts.extend([len(masks)] * (t_max + 1 - len(counts)))
    return masks, counts
