"""Live-stream monitoring: open live sources with PyAV (FFmpeg), sample frames by stream time,
hash them (PDQ), match them against banks and alert while the stream is still running.
No frame is stored, only hashes and alert metadata.

The matching side (banks, database) is imported on first use only, so that reader worker
processes, which only decode and hash, start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .config import StreamConfigError, StreamSpec, load_streams, redact
from .messages import FrameSample, StreamEvent, StreamStats
from .sampling import KeyframeGate, TimeSampler
from .webhook import WebhookSender, WebhookStats

if TYPE_CHECKING:
    from .alerts import Alert
    from .monitor import WatchOptions, WatchSummary, watch

_LAZY = {
    "Alert": ".alerts",
    "WatchOptions": ".monitor",
    "WatchSummary": ".monitor",
    "watch": ".monitor",
}

__all__ = [
    "Alert",
    "FrameSample",
    "KeyframeGate",
    "StreamConfigError",
    "StreamEvent",
    "StreamSpec",
    "StreamStats",
    "TimeSampler",
    "WatchOptions",
    "WatchSummary",
    "WebhookSender",
    "WebhookStats",
    "load_streams",
    "redact",
    "watch",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
