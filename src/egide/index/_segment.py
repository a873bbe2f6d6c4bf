"""One immutable run of entries: codes, ids, a tombstone mask and (if large) MIH tables.

Segments are the unit of the LSM-style index: built once, never edited except for tombstones,
merged into bigger segments by :class:`egide.index.hamming.HammingIndex`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

from egide.index import _plan
from egide.index._aligned import aligned_copy, aligned_empty
from egide.index._build import build_tables
from egide.index._search import flat_search, mih_search
from egide.index._storage import is_mapped

Hits = tuple[np.ndarray, np.ndarray, np.ndarray]
"""(query index int64, distance int32, id int64), unsorted."""

INITIAL_CAP = 8


@functools.lru_cache(maxsize=32)
def _flip_arrays(chunk_bits: int, t_max: int) -> tuple[np.ndarray, np.ndarray]:
    masks, counts = _plan.flip_masks(chunk_bits, max(t_max, 0))
    return np.asarray(masks, np.int64), np.asarray(counts, np.int64)


@dataclass
class Segment:
    words: np.ndarray  # (n, W) uint64, 64-byte aligned
    ids: np.ndarray  # (n,) int64
    alive: np.ndarray  # (n,) uint8
    layout: _plan.Layout | None
    offsets: np.ndarray | None  # (m * (2^b + 1),) uint32
    positions: np.ndarray | None  # (m, n) uint32
    n_alive: int
    _plans: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None] = field(
        default_factory=dict, repr=False, compare=False
    )
    """Per radius: the probe plan (starts, thresholds, flips, nprobe), None for a linear scan.
    Worked out once: planning in Python costs more than a single-query search."""

    def _plan(self, radius: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
        if radius in self._plans:
            return self._plans[radius]
        plan = None
        layout = self.layout
        if (
            layout is not None
            and self.offsets is not None
            and _plan.use_tables(layout, self.words.shape[0], radius)
        ):
            t = _plan.thresholds(layout.n_chunks, radius)
            flips, nprobe = _flip_arrays(layout.chunk_bits, max(t))
            plan = (np.asarray(layout.starts(), np.int64), np.asarray(t, np.int64), flips, nprobe)
        if len(self._plans) > 64:
            self._plans.clear()
        self._plans[radius] = plan
        return plan

    @classmethod
    def build(cls, words: np.ndarray, ids: np.ndarray, bits: int) -> Segment:
        """Index ``words`` (taken over, must be aligned) with the layout its size calls for."""
        n = words.shape[0]
        if n >= np.iinfo(np.uint32).max:
            raise ValueError(f"a segment holds at most {np.iinfo(np.uint32).max - 1} entries")
        layout = _plan.choose_layout(n, bits)
        offsets = positions = None
        if layout is not None:
            m, b = layout.n_chunks, layout.chunk_bits
            offsets = aligned_empty((m * ((1 << b) + 1),), np.uint32)
            offsets.fill(0)
            positions = aligned_empty((m, n), np.uint32)
            starts = np.asarray(layout.starts(), np.int64)
            build_tables(words, starts, b, offsets, positions)
        alive = np.ones(n, np.uint8)
        return cls(words, ids, alive, layout, offsets, positions, n)

    def __len__(self) -> int:
        return self.n_alive

    def live(self) -> tuple[np.ndarray, np.ndarray]:
        """Words and ids of the entries not removed (copies)."""
        keep = self.alive.view(bool)
        return self.words[keep], self.ids[keep]

    def remove(self, ids: np.ndarray) -> int:
        """Tombstone every live entry whose id is in ``ids``; return how many."""
        hit = np.isin(self.ids, ids) & self.alive.view(bool)
        count = int(np.count_nonzero(hit))
        if count:
            self.alive[hit] = 0
            self.n_alive -= count
        return count

    def mapped_bytes(self) -> int:
        """Bytes of the arrays that are views of a file mapping (shared between processes)."""
        arrays = (self.words, self.ids, self.offsets, self.positions)
        return sum(a.nbytes for a in arrays if a is not None and is_mapped(a))

    def search(self, queries: np.ndarray, radius: int) -> Hits:
        """Every live entry within ``radius`` of each query (uint64 words)."""
        nq = queries.shape[0]
        empty: Hits = (np.empty(0, np.int64), np.empty(0, np.int32), np.empty(0, np.int64))
        if nq == 0 or self.n_alive == 0:
            return empty
        qidx, rows, dist = self._run(queries, np.arange(nq), radius, INITIAL_CAP)
        return qidx, dist, self.ids[rows]

    def _run(
        self, queries: np.ndarray, qidx: np.ndarray, radius: int, cap: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        nq = queries.shape[0]
        count = np.zeros(nq, np.int64)
        rows = np.empty((nq, cap), np.int64)
        dist = np.empty((nq, cap), np.int32)
        self._kernel(queries, radius, cap, count, rows, dist)
        kept = np.minimum(count, cap)
        valid = np.arange(cap)[None, :] < kept[:, None]
        out = (np.repeat(qidx, kept), rows[valid], dist[valid])
        over = np.flatnonzero(count > cap)
        if over.size == 0:
            return out
        # Rare: a query with more hits than the buffer. Rerun just those, with room for all.
        ok = count <= cap
        keep_rows = np.repeat(ok, kept)
        again = self._run(queries[over], qidx[over], radius, int(count[over].max()))
        return (
            np.concatenate([out[0][keep_rows], again[0]]),
            np.concatenate([out[1][keep_rows], again[1]]),
            np.concatenate([out[2][keep_rows], again[2]]),
        )

    def any_within(self, queries: np.ndarray, radius: int) -> bool:
        """Whether any live entry lies within ``radius`` of any query (uint64 words): the
        service's miss check, which needs no hit assembled."""
        nq = queries.shape[0]
        if nq == 0 or self.n_alive == 0:
            return False
        count = np.zeros(nq, np.int64)
        self._kernel(
            queries, radius, 1, count, np.empty((nq, 1), np.int64), np.empty((nq, 1), np.int32)
        )
        return bool(count.any())

    def _kernel(
        self,
        queries: np.ndarray,
        radius: int,
        cap: int,
        count: np.ndarray,
        rows: np.ndarray,
        dist: np.ndarray,
    ) -> None:
        """Run the search kernel: per query, up to ``cap`` (row, distance) pairs and the count."""
        plan = self._plan(radius)
        if (
            plan is not None
            and self.layout is not None
            and self.offsets is not None
            and self.positions is not None
        ):
            starts, thresh, flips, nprobe = plan
            mih_search(
                queries,
                self.words,
                self.alive,
                starts,
                self.layout.chunk_bits,
                thresh,
                flips,
                nprobe,
                self.offsets,
                self.positions,
                radius,
                cap,
                count,
                rows,
                dist,
            )
        else:
            flat_search(queries, self.words, self.alive, radius, cap, count, rows, dist)

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        arrays = {f"{prefix}words": self.words, f"{prefix}ids": self.ids}
        arrays[f"{prefix}alive"] = self.alive
        if self.offsets is not None and self.positions is not None:
            arrays[f"{prefix}offsets"] = self.offsets
            arrays[f"{prefix}positions"] = self.positions
        return arrays

    def meta(self) -> dict[str, int]:
        layout = self.layout
        if layout is None:
            return {"n": self.words.shape[0]}
        return {
            "n": self.words.shape[0],
            "chunk_bits": layout.chunk_bits,
            "n_chunks": layout.n_chunks,
        }

    @classmethod
    def from_arrays(
        cls, meta: dict[str, int], arrays: dict[str, np.ndarray], prefix: str
    ) -> Segment:
        words = arrays[f"{prefix}words"]
        ids = arrays[f"{prefix}ids"]
        alive = arrays[f"{prefix}alive"]
        layout = None
        offsets = positions = None
        if "chunk_bits" in meta:
            layout = _plan.Layout(int(meta["chunk_bits"]), int(meta["n_chunks"]))
            offsets = arrays[f"{prefix}offsets"]
            positions = arrays[f"{prefix}positions"]
        if words.ctypes.data % 64:
            words = aligned_copy(words)
        return cls(words, ids, alive, layout, offsets, positions, int(np.count_nonzero(alive)))
