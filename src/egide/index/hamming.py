"""``HammingIndex``: exact Hamming range search over fixed-width binary codes (PDQ: 256 bits).

Entries live in a few immutable segments of geometrically decreasing size (LSM style): ``add``
builds a segment for the new batch only and merges it with its neighbour while the two are of
similar size, so each entry is rebuilt O(log n) times overall and a small add never rebuilds a
big index. Removal tombstones entries; a segment that is mostly tombstones is rebuilt.

``load(path, mmap=True)`` maps a saved index read-only instead of reading it: processes mapping
the same file share its pages. Only the tombstone masks are copied into private memory (one byte
per entry), so removals and additions stay private to the process and never touch the file.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from egide.index._aligned import aligned_empty
from egide.index._segment import Segment
from egide.index._storage import map_arrays, read_arrays, write_arrays
from egide.index._validate import check_codes, check_ids, check_radius

FORMAT = "egide-hamming-index"
VERSION = 1
MERGE_RATIO = 2
"""Merge the newest segment into the previous one while that one is at most this much bigger."""
QUERY_BATCH = 1 << 16
"""Queries searched per kernel call: bounds the per-query hit buffers."""


class HammingIndex:
    """Exact range search: every entry within a Hamming radius, inclusive, FAISS-style output.

    Not thread-safe: serialise calls (the kernels already use every core through numba).
    """

    def __init__(self, bits: int = 256) -> None:
        if isinstance(bits, bool) or not isinstance(bits, int) or bits <= 0 or bits % 8:
            raise ValueError(f"bits must be a positive multiple of 8, got {bits!r}")
        self.bits = bits
        self._nbytes = bits // 8
        self._nwords = -(-bits // 64)
        self._segments: list[Segment] = []

    def __len__(self) -> int:
        return sum(len(s) for s in self._segments)

    def ids(self) -> np.ndarray:
        """Ids of the live entries (int64, one per entry, in no particular order)."""
        parts = [s.ids[s.alive.view(bool)] for s in self._segments]
        return np.concatenate(parts) if parts else np.empty(0, np.int64)

    def entries(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """Live entries with ids in ``[lo, hi]``: (ids int64, codes uint8 (n, bits // 8))."""
        ids: list[np.ndarray] = []
        codes: list[np.ndarray] = []
        for s in self._segments:
            keep = (s.ids >= lo) & (s.ids <= hi) & s.alive.view(bool)
            ids.append(s.ids[keep])
            codes.append(s.words[keep].view(np.uint8)[:, : self._nbytes])
        if not ids:
            return np.empty(0, np.int64), np.empty((0, self._nbytes), np.uint8)
        return np.concatenate(ids), np.concatenate(codes)

    @property
    def mapped_bytes(self) -> int:
        """Bytes of this index held in a file mapping (shared between processes), not copied."""
        return sum(s.mapped_bytes() for s in self._segments)

    @property
    def ntotal(self) -> int:
        """Number of live entries (as FAISS names it)."""
        return len(self)

    def _words(self, codes: np.ndarray) -> np.ndarray:
        """Packed bytes -> aligned (n, W) uint64, zero-padded (padding adds no distance)."""
        n = codes.shape[0]
        out = aligned_empty((n, self._nwords), np.uint64)
        as_bytes = out.view(np.uint8).reshape(n, self._nwords * 8)
        as_bytes[:, : self._nbytes] = codes
        as_bytes[:, self._nbytes :] = 0
        return out

    def add(self, codes: np.ndarray, ids: np.ndarray) -> None:
        """Add ``codes`` (n, bits // 8) uint8 under the caller's ``ids`` (n,) int64.

        Ids need not be unique: a repeated id is simply another entry.
        """
        check_codes(codes, self._nbytes)
        check_ids(ids)
        if codes.shape[0] != ids.shape[0]:
            raise ValueError(
                f"codes and ids differ in length: {codes.shape[0]} codes, {ids.shape[0]} ids"
            )
        if codes.shape[0] == 0:
            return
        self._segments.append(Segment.build(self._words(codes), ids.copy(), self.bits))
        self._settle()

    def remove(self, ids: np.ndarray) -> int:
        """Remove every entry carrying one of ``ids``; return how many entries went."""
        check_ids(ids)
        if ids.size == 0:
            return 0
        removed = sum(s.remove(ids) for s in self._segments)
        if removed:
            self._settle()
        return removed

    def _settle(self) -> None:
        """Drop empty segments, compact mostly-dead ones, merge neighbours of similar size."""
        segs: list[Segment] = []
        for s in self._segments:
            if len(s) == 0:
                continue
            if 2 * len(s) < s.words.shape[0]:
                s = Segment.build(*s.live(), self.bits)
            segs.append(s)
        while len(segs) >= 2 and len(segs[-2]) <= MERGE_RATIO * len(segs[-1]):
            b = segs.pop()
            a = segs.pop()
            wa, ia = a.live()
            wb, ib = b.live()
            words = aligned_empty((wa.shape[0] + wb.shape[0], self._nwords), np.uint64)
            words[: wa.shape[0]] = wa
            words[wa.shape[0] :] = wb
            segs.append(Segment.build(words, np.concatenate([ia, ib]), self.bits))
        self._segments = segs

    def range_search(
        self, queries: np.ndarray, radius: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All entries at Hamming distance <= ``radius`` (inclusive, unlike FAISS) of each query.

        Returns ``(lims, distances, ids)`` laid out like FAISS ``range_search``: the hits of query
        ``i`` are ``distances[lims[i]:lims[i+1]]`` / ``ids[...]``, sorted by (distance, id).
        """
        check_codes(queries, self._nbytes, "queries")
        radius = min(check_radius(radius), self.bits)
        nq = queries.shape[0]
        parts_q: list[np.ndarray] = []
        parts_d: list[np.ndarray] = []
        parts_i: list[np.ndarray] = []
        for lo in range(0, nq, QUERY_BATCH):
            words = self._words(queries[lo : lo + QUERY_BATCH])
            for seg in self._segments:
                q, d, i = seg.search(words, radius)
                parts_q.append(q + lo)
                parts_d.append(d)
                parts_i.append(i)
        if parts_q:
            qidx = np.concatenate(parts_q)
            dist = np.concatenate(parts_d).astype(np.int32, copy=False)
            ids = np.concatenate(parts_i).astype(np.int64, copy=False)
            order = np.lexsort((ids, dist, qidx))
            qidx, dist, ids = qidx[order], dist[order], ids[order]
        else:
            qidx = np.empty(0, np.int64)
            dist = np.empty(0, np.int32)
            ids = np.empty(0, np.int64)
        lims = np.zeros(nq + 1, np.int64)
        np.cumsum(np.bincount(qidx, minlength=nq), out=lims[1:])
        return lims, dist, ids

    def any_within(self, queries: np.ndarray, radius: int) -> bool:
        """Whether ``range_search(queries, radius)`` would find anything, without building it."""
        check_codes(queries, self._nbytes, "queries")
        radius = min(check_radius(radius), self.bits)
        if queries.shape[0] == 0:
            return False
        words = self._words(queries)
        return any(seg.any_within(words, radius) for seg in self._segments)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the index, tables included, to one file (atomically replaced)."""
        meta: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "bits": self.bits,
            "segments": [],
        }
        arrays: dict[str, np.ndarray] = {}
        for k, seg in enumerate(self._segments):
            meta["segments"].append(seg.meta())
            arrays.update(seg.to_arrays(f"s{k}_"))
        write_arrays(path, meta, arrays)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, mmap: bool = False) -> HammingIndex:
        """Read an index written by :meth:`save`; no table is rebuilt.

        With ``mmap`` the codes, ids and tables stay in the (shared, read-only) file mapping;
        the tombstone masks are private copies. Same answers either way.
        """
        meta, arrays = map_arrays(path) if mmap else read_arrays(path)
        if mmap:
            arrays = {name: a.copy() if name.endswith("alive") else a for name, a in arrays.items()}
        if meta.get("format") != FORMAT or meta.get("version") != VERSION:
            raise ValueError(
                f"{os.fspath(path)!r}: unsupported index format "
                f"{meta.get('format')!r} version {meta.get('version')!r}"
            )
        index = cls(int(meta["bits"]))
        index._segments = [
            Segment.from_arrays(m, arrays, f"s{k}_") for k, m in enumerate(meta["segments"])
        ]
        return index
