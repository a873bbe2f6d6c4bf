"""Time ranges of a video in which frames matched, for reports and alerts."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Segment:
    start: float
    end: float
    frames: int

    def to_json_dict(self) -> dict[str, object]:
        return {"start": round(self.start, 3), "end": round(self.end, 3), "frames": self.frames}


def sampling_step(timestamps: Sequence[float]) -> float:
    """The usual spacing of the hashed frames (the median gap), 0 when there are fewer than 2."""
    gaps = sorted(b - a for a, b in itertools.pairwise(timestamps) if b > a)
    return gaps[len(gaps) // 2] if gaps else 0.0


def segments(matched: Sequence[float], step: float) -> list[Segment]:
    """Merge matched frame timestamps into ranges; a gap of more than two sampling steps (and
    at least one second) starts a new range, so one missed frame does not split a clip."""
    if not matched:
        return []
    tolerance = max(2.0 * step, 1.0) + 1e-6
    ordered = sorted(matched)
    out: list[Segment] = []
    start = previous = ordered[0]
    count = 1
    for t in ordered[1:]:
        if t - previous > tolerance:
            out.append(Segment(start, previous, count))
            start, count = t, 0
        previous = t
        count += 1
    out.append(Segment(start, previous, count))
    return out
