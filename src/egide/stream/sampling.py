"""Which frames of a live stream to hash, by stream time, and how little to decode for them.

Sampling cuts stream time into cells of ``1 / fps`` seconds and hashes the first frame of
each cell (the first frame after a jump back in time starts again). Decoding is the cost of
watching, so the reader decodes only key frames (FFmpeg ``skip_frame=NONKEY``) while they come
at least once per cell, and otherwise decodes reference frames only (``NONREF``).
"""

from __future__ import annotations

import math
from collections import deque

#: slack on cell boundaries: timestamps converted from time bases are not exact
_EPSILON = 1e-6


class TimeSampler:
    """Accepts the first frame of each ``interval``-long cell of stream time."""

    def __init__(self, fps: float) -> None:
        self.interval = 1.0 / fps
        self._cell: int | None = None

    def cell(self, stream_time: float) -> int:
        return math.floor(stream_time / self.interval + _EPSILON)

    def wants(self, stream_time: float) -> bool:
        """Would a frame at ``stream_time`` be hashed (without taking it)?"""
        return self._cell is None or self.cell(stream_time) != self._cell

    def take(self, stream_time: float) -> bool:
        """Hash this frame? Remembers its cell when it is taken."""
        if not self.wants(stream_time):
            return False
        self._cell = self.cell(stream_time)
        return True

    def reset(self) -> None:
        self._cell = None


class KeyframeGate:
    """Decides, in ``auto`` mode, whether key frames alone are enough for the sampling rate.

    Key frames suffice when the last few gaps between them are all at most one sampling
    interval: then every cell of stream time holds a key frame.
    """

    def __init__(self, interval: float, mode: str, window: int = 4) -> None:
        self.interval = interval
        self.mode = mode
        self._last: float | None = None
        self._gaps: deque[float] = deque(maxlen=window)

    def observe(self, stream_time: float) -> None:
        """Record a key frame's time."""
        if self._last is not None:
            gap = stream_time - self._last
            if gap <= 0:  # time went back (new connection, wrap): start over
                self._gaps.clear()
            else:
                self._gaps.append(gap)
        self._last = stream_time

    def reset(self) -> None:
        self._last = None
        self._gaps.clear()

    @property
    def keyframes_only(self) -> bool:
        if self.mode == "nonkey":
            return True
        if self.mode != "auto":
            return False
        return len(self._gaps) >= 2 and max(self._gaps) <= self.interval + 1e-3
