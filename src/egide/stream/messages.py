"""What stream readers send to the process that matches: hashes and events, never frames.

Plain picklable records: they cross from worker processes to the matching process through a
bounded queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


def iso(epoch: float) -> str:
    """Wall-clock time as ISO 8601 UTC with milliseconds."""
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True, slots=True)
class FrameSample:
    """The PDQ hash of one sampled frame; ``arrival`` is when its packet was read (epoch s)."""

    stream: str
    stream_time: float
    pdq: str
    quality: int
    arrival: float
    decode: str  # the decoding shortcut in force: "nonkey", "nonref" or "none"


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """Something that happened to a stream: connected, stalled, disconnected, reconnected,
    error, gave-up, ended, finished. ``detail`` holds the event's own fields."""

    stream: str
    event: str
    time: float
    detail: dict[str, object] = field(default_factory=dict)

    def to_json_dict(self) -> dict[str, object]:
        return {
            "type": "event",
            "event": self.event,
            "stream": self.stream,
            "wall_time": iso(self.time),
            **self.detail,
        }


@dataclass(slots=True)
class StreamStats:
    """Counters of one stream, sent with its ``finished`` event and kept per stream."""

    packets: int = 0
    frames_decoded: int = 0
    frames_sampled: int = 0
    frames_late: int = 0  # dropped because they were more than max_lag behind
    frames_dropped: int = 0  # dropped because the matching queue was full
    decode_errors: int = 0
    connections: int = 0
    reconnects: int = 0
    gap_seconds: float = 0.0

    def to_json_dict(self) -> dict[str, object]:
        return {
            "packets": self.packets,
            "frames_decoded": self.frames_decoded,
            "frames_sampled": self.frames_sampled,
            "frames_late": self.frames_late,
            "frames_dropped": self.frames_dropped,
            "decode_errors": self.decode_errors,
            "connections": self.connections,
            "reconnects": self.reconnects,
            "gap_seconds": round(self.gap_seconds, 3),
        }
