"""The vPDQ reference's comparison of two videos' frame hashes, vectorised.

Rule (ThreatExchange ``vpdq``): keep each video's unique frame hashes with quality >= F; a
frame of one video is matched when some kept frame of the other is within Hamming distance D.
``query_pct`` is the share of the query's kept frames matched, ``compared_pct`` that of the
compared (known) video's. The reference decides ``query_pct >= P_q and compared_pct >= P_c``.
Defaults are Meta's Python library's: F=50, D=31, P_q=80 (query side), P_c=0 (compared side):
a query that is a clip of a known video matches. egide adds an explicit containment rule
(``compared_pct >= contained_pct``, default 80) so a long video that contains a known clip is
reported too, and says which rule fired.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from egide.index import hex_to_codes

from .frames import FrameHash

_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


@dataclass(frozen=True, slots=True)
class VpdqThresholds:
    quality: int = 50
    distance: int = 31
    query_pct: float = 80.0
    compared_pct: float = 0.0
    contained_pct: float | None = 80.0


@dataclass(frozen=True, slots=True)
class VpdqComparison:
    query_pct: float
    compared_pct: float
    query_frames: int
    compared_frames: int
    #: query frame positions (into the kept query frames) that matched
    matched_query: tuple[int, ...]
    relation: str | None  # "clip-of-known" (reference rule), "contains-known", or None

    @property
    def matched(self) -> bool:
        return self.relation is not None


def kept_frames(frames: Sequence[FrameHash], quality: int) -> list[FrameHash]:
    """The reference's ``dedupe`` then ``quality_filter``: first of each hash, quality >= F."""
    seen: set[str] = set()
    kept: list[FrameHash] = []
    for frame in frames:
        if frame.pdq in seen:
            continue
        seen.add(frame.pdq)
        if frame.quality >= quality:
            kept.append(frame)
    return kept


def _codes(frames: Sequence[FrameHash]) -> npt.NDArray[np.uint8]:
    codes: npt.NDArray[np.uint8] = hex_to_codes([f.pdq for f in frames])
    return codes


def close_pairs(
    a: Sequence[FrameHash], b: Sequence[FrameHash], distance: int, chunk: int = 256
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(a frame has a b frame within ``distance``, and the same for b), in row chunks so that
    hour-long videos compare in bounded memory."""
    codes_a, codes_b = _codes(a), _codes(b)
    a_hits = np.zeros(len(a), dtype=bool)
    b_hits = np.zeros(len(b), dtype=bool)
    for start in range(0, len(a), chunk):
        xor = codes_a[start : start + chunk, None, :] ^ codes_b[None, :, :]
        close = _POPCOUNT[xor].sum(axis=2, dtype=np.int32) <= distance
        a_hits[start : start + chunk] = close.any(axis=1)
        b_hits |= close.any(axis=0)
    return a_hits, b_hits


def compare_frames(
    query: Sequence[FrameHash],
    compared: Sequence[FrameHash],
    thresholds: VpdqThresholds = VpdqThresholds(),
) -> VpdqComparison:
    """Compare two videos' frame hashes by the reference rule (plus containment)."""
    q = kept_frames(query, thresholds.quality)
    c = kept_frames(compared, thresholds.quality)
    if not q or not c:
        return VpdqComparison(0.0, 0.0, len(q), len(c), (), None)
    q_hits, c_hits = close_pairs(q, c, thresholds.distance)
    query_pct = float(q_hits.sum()) * 100 / len(q)
    compared_pct = float(c_hits.sum()) * 100 / len(c)
    relation: str | None = None
    if query_pct >= thresholds.query_pct and compared_pct >= thresholds.compared_pct:
        relation = "clip-of-known"
    elif thresholds.contained_pct is not None and compared_pct >= thresholds.contained_pct:
        relation = "contains-known"
    matched = tuple(int(i) for i in np.flatnonzero(q_hits))
    return VpdqComparison(query_pct, compared_pct, len(q), len(c), matched, relation)
