"""An alert: a sampled frame of a live stream matched a bank entry. Hash and metadata only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from egide.match import Hit
from egide.store import StreamAlert

from .messages import FrameSample, iso


@dataclass(frozen=True)
class Alert:
    stream: str
    stream_time: float
    wall_time: float  # epoch seconds, when the alert was raised
    hit: Hit
    frame_pdq: str
    frame_quality: int
    latency_ms: float  # from the frame's packet being read to the alert
    detail: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, sample: FrameSample, hit: Hit, now: float, detail: dict[str, object]) -> Alert:
        return cls(
            stream=sample.stream,
            stream_time=sample.stream_time,
            wall_time=now,
            hit=hit,
            frame_pdq=sample.pdq,
            frame_quality=sample.quality,
            latency_ms=max(0.0, (now - sample.arrival) * 1000.0),
            detail=detail,
        )

    def to_json_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "type": "alert",
            "stream": self.stream,
            "stream_time": round(self.stream_time, 3),
            "wall_time": iso(self.wall_time),
        }
        out.update(self.hit.to_json_dict())
        out.update(
            {
                "frame_pdq": self.frame_pdq,
                "frame_quality": self.frame_quality,
                "latency_ms": round(self.latency_ms, 1),
            }
        )
        return out

    def to_row(self) -> StreamAlert:
        return StreamAlert(
            stream=self.stream,
            stream_time=self.stream_time,
            wall_time=datetime.fromtimestamp(self.wall_time, UTC),
            bank=self.hit.bank,
            entry_id=self.hit.entry_id,
            signal_type=self.hit.signal_type,
            value=self.hit.value,
            distance=self.hit.distance,
            frame_pdq=self.frame_pdq,
            frame_quality=self.frame_quality,
            latency_ms=self.latency_ms,
            detail=self.detail,
        )
