"""Frame hashes of a video and the vPDQ reference's text format.

The reference tool (ThreatExchange ``vpdq``) writes one line per hashed frame:
``frame_number,quality,pdq_hex,timestamp_seconds`` (timestamp with 3 decimals). egide reads and
writes exactly that, so its hashes can be compared with the reference's and exchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO

_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True, slots=True)
class FrameHash:
    """The PDQ hash of one decoded frame, where it sits in the video, and its PDQ quality."""

    frame_number: int
    quality: int
    pdq: str
    timestamp: float

    def to_line(self) -> str:
        """The reference's text line (no newline)."""
        return f"{self.frame_number},{self.quality},{self.pdq},{self.timestamp:.3f}"

    def to_json_dict(self) -> dict[str, object]:
        return {
            "frame_number": self.frame_number,
            "quality": self.quality,
            "pdq": self.pdq,
            "timestamp": round(self.timestamp, 3),
        }


class FrameFormatError(ValueError):
    """A line of a vPDQ text file that is not ``frame_number,quality,pdq_hex,timestamp``."""

    def __init__(self, where: str, line_number: int, reason: str) -> None:
        super().__init__(f"{where}:{line_number}: {reason}")
        self.where = where
        self.line_number = line_number
        self.reason = reason


def parse_line(line: str, where: str = "<vpdq>", line_number: int = 1) -> FrameHash:
    """One reference line to a :class:`FrameHash`; a bad line raises :class:`FrameFormatError`."""
    parts = line.strip().split(",")
    if len(parts) != 4:
        raise FrameFormatError(
            where, line_number, f"expected 4 comma-separated fields, got {len(parts)}"
        )
    number_text, quality_text, pdq, time_text = (p.strip() for p in parts)
    pdq = pdq.lower()
    try:
        frame_number = int(number_text)
        quality = int(quality_text)
        timestamp = float(time_text)
    except ValueError:
        reason = f"frame number, quality and timestamp must be numbers: {line.strip()!r}"
        raise FrameFormatError(where, line_number, reason) from None
    if not _HEX64.fullmatch(pdq):
        raise FrameFormatError(where, line_number, f"not a 64-digit hex PDQ hash: {pdq!r}")
    if frame_number < 0 or not 0 <= quality <= 100 or not timestamp >= 0:
        raise FrameFormatError(
            where, line_number, "frame number and timestamp must be >= 0 and quality 0..100"
        )
    return FrameHash(frame_number, quality, pdq, timestamp)


def read_frames(handle: TextIO, where: str = "<vpdq>") -> list[FrameHash]:
    """Every frame of a reference-format file; blank lines are skipped, a bad line raises."""
    return list(iter_frames(handle, where))


def iter_frames(handle: Iterable[str], where: str = "<vpdq>") -> Iterator[FrameHash]:
    for number, line in enumerate(handle, start=1):
        if line.strip():
            yield parse_line(line, where, number)


def write_frames(frames: Iterable[FrameHash], handle: TextIO) -> None:
    """The reference's text format, one line per frame."""
    for frame in frames:
        handle.write(frame.to_line() + "\n")


def frames_text(frames: Iterable[FrameHash]) -> str:
    return "".join(frame.to_line() + "\n" for frame in frames)
