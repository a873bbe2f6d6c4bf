"""Flood quarantine: an entry that suddenly matches too many distinct files is set aside.

One bad hash (a flat image, a logo, a wrong value in a shared list) can otherwise flood a
platform with false matches; the entry stops matching until a person reviews and releases it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FloodPolicy:
    """Quarantine an entry matching more than ``max_files`` distinct files in ``window_seconds``."""

    max_files: int
    window_seconds: float

    def __post_init__(self) -> None:
        if self.max_files < 1 or self.window_seconds <= 0:
            raise ValueError("flood policy needs max_files >= 1 and window_seconds > 0")


@dataclass(frozen=True)
class QuarantineEvent:
    entry_id: int
    bank: str
    files: int
    reason: str


@dataclass
class FloodGuard:
    policy: FloodPolicy
    clock: Callable[[], float] = time.monotonic
    _seen: dict[int, deque[tuple[float, str]]] = field(default_factory=dict)

    def observe(self, entry_id: int, file_key: str) -> int | None:
        """Record a match; the number of distinct files when the entry crosses the limit."""
        now = self.clock()
        window = self._seen.setdefault(entry_id, deque())
        window.append((now, file_key))
        while window and window[0][0] < now - self.policy.window_seconds:
            window.popleft()
        distinct = len({key for _, key in window})
        if distinct > self.policy.max_files:
            del self._seen[entry_id]
            return distinct
        return None
