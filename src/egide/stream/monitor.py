"""``watch``: run the streams, match every sampled frame, raise alerts at once.

The matching process holds the banks (one index in memory however many streams) and writes
every alert three ways: a JSON line on the output (first, so its latency is what a reader of
the output sees), a ``stream_alerts`` row, and the webhook queue. Events (connections, stalls,
reconnections with their gap, errors) are JSON lines too; each alert's row records the
stream's recent gaps in its ``detail``.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine

from egide.match import DEFAULT_MIN_QUALITY, MatchOptions
from egide.store import session_maker
from egide.video.matching import VideoMatcher

from .alerts import Alert
from .config import StreamSpec
from .messages import FrameSample, StreamEvent, iso
from .pool import StreamPool
from .webhook import WebhookSender, WebhookStats

log = logging.getLogger("egide.stream")
#: gaps of a stream kept for the detail of its alerts
_GAPS_KEPT = 5
_LATENCIES_KEPT = 100_000


@dataclass(frozen=True)
class WatchOptions:
    """``workers``: processes reading streams (0: threads of this process; ``None``: one per
    core, at most one per stream, and threads for a single stream). ``duration``: stop after
    this many seconds (``None``: when every stream has finished)."""

    banks: Sequence[str]
    workers: int | None = None
    duration: float | None = None
    webhook: str | None = None
    min_quality: int = DEFAULT_MIN_QUALITY
    index_cache: Path | None = None
    stop_grace: float = 5.0


@dataclass
class WatchSummary:
    alerts: int = 0
    samples: int = 0
    streams: dict[str, dict[str, object]] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    latencies_ms: deque[float] = field(default_factory=lambda: deque(maxlen=_LATENCIES_KEPT))
    webhook: WebhookStats | None = None
    worker_pids: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def latency_percentile(self, pct: float) -> float | None:
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def default_workers(specs: Sequence[StreamSpec]) -> int:
    if len(specs) <= 1:
        return 0
    return min(len(specs), os.cpu_count() or 1)


class _Watcher:
    def __init__(self, engine: Engine, options: WatchOptions, out: TextIO) -> None:
        self.options = options
        self.out = out
        self.sessions = session_maker(engine)
        self.match_session = self.sessions()
        self.alert_session = self.sessions()
        self.matcher = VideoMatcher.load(
            self.match_session,
            list(options.banks),
            MatchOptions(min_quality=options.min_quality),
            cache_dir=options.index_cache,
        )
        # the first search compiles the index's kernels: not on a live frame's time
        self.matcher.match_frame("0" * 64, 100, file_key="warm-up")
        self.webhook = WebhookSender(options.webhook) if options.webhook else None
        self.summary = WatchSummary()
        self.gaps: dict[str, deque[dict[str, object]]] = {}
        self.reconnects: dict[str, int] = {}

    def write(self, record: dict[str, object]) -> None:
        self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.out.flush()

    def on_sample(self, sample: FrameSample) -> None:
        self.summary.samples += 1
        key = f"{sample.stream}@{sample.stream_time:.3f}"
        hits = self.matcher.match_frame(sample.pdq, sample.quality, file_key=key)
        if not hits:
            return
        detail: dict[str, object] = {
            "decode": sample.decode,
            "arrival": iso(sample.arrival),
            "reconnects": self.reconnects.get(sample.stream, 0),
            "gaps": list(self.gaps.get(sample.stream, ())),
        }
        for hit in hits:
            alert = Alert.of(sample, hit, time.time(), detail)
            record = alert.to_json_dict()
            self.write(record)
            self.summary.alerts += 1
            self.summary.latencies_ms.append(alert.latency_ms)
            self.alert_session.add(alert.to_row())
            if self.webhook is not None:
                self.webhook.send(record)
        self.alert_session.commit()

    def on_event(self, event: StreamEvent) -> None:
        self.summary.events[event.event] = self.summary.events.get(event.event, 0) + 1
        if event.event == "reconnected":
            self.reconnects[event.stream] = self.reconnects.get(event.stream, 0) + 1
            gap = {k: event.detail[k] for k in ("gap_start", "gap_end", "gap_seconds")}
            self.gaps.setdefault(event.stream, deque(maxlen=_GAPS_KEPT)).append(gap)
        if event.event == "finished":
            self.summary.streams[event.stream] = dict(event.detail)
        level = logging.WARNING if event.event in ("error", "stalled", "gave_up") else logging.INFO
        log.log(level, "%s: %s %s", event.stream, event.event, event.detail)
        self.write(event.to_json_dict())

    def close(self) -> None:
        if self.webhook is not None:
            self.webhook.close()
            self.summary.webhook = self.webhook.stats
        self.alert_session.close()
        self.match_session.close()


def watch(
    engine: Engine,
    specs: Sequence[StreamSpec],
    options: WatchOptions,
    out: TextIO,
    stop: threading.Event | None = None,
) -> WatchSummary:
    """Watch ``specs`` until they all finish, ``options.duration`` passes or ``stop`` is set."""
    names = [spec.name for spec in specs]
    if len(set(names)) != len(names):
        raise ValueError("stream names must be unique")
    watcher = _Watcher(engine, options, out)  # banks load before any stream opens
    workers = default_workers(specs) if options.workers is None else options.workers
    pool = StreamPool(specs, workers)
    started = time.monotonic()
    finished: set[str] = set()
    try:
        pool.start()
        watcher.summary.worker_pids = pool.pids
        deadline = None if options.duration is None else started + options.duration
        try:
            while len(finished) < len(specs):
                if (stop is not None and stop.is_set()) or (
                    deadline is not None and time.monotonic() >= deadline
                ):
                    break
                _dispatch(watcher, pool.get(0.2), finished)
                _check_workers(watcher, pool, finished)
        except KeyboardInterrupt:
            log.info("interrupted: stopping the streams")
        pool.request_stop()
        grace_end = time.monotonic() + options.stop_grace
        while len(finished) < len(specs) and time.monotonic() < grace_end:
            _dispatch(watcher, pool.get(0.1), finished)
            if not pool.alive():
                while (message := pool.get(0.05)) is not None:
                    _dispatch(watcher, message, finished)
                break
        pool.shutdown(0.5)
    finally:
        pool.close()
        watcher.close()
    watcher.summary.seconds = time.monotonic() - started
    return watcher.summary


def _dispatch(watcher: _Watcher, message: FrameSample | StreamEvent | None, done: set[str]) -> None:
    if isinstance(message, FrameSample):
        watcher.on_sample(message)
    elif isinstance(message, StreamEvent):
        watcher.on_event(message)
        if message.event == "finished":
            done.add(message.stream)


def _check_workers(watcher: _Watcher, pool: StreamPool, finished: set[str]) -> None:
    for specs, code, restarting in pool.dead_workers(finished):
        for spec in specs:
            watcher.on_event(
                StreamEvent(
                    spec.name,
                    "error",
                    time.time(),
                    {
                        "phase": "worker",
                        "reason": f"worker process exited with code {code}",
                        "restarting": restarting,
                    },
                )
            )
            if not restarting:
                watcher.on_event(StreamEvent(spec.name, "finished", time.time(), {}))
                finished.add(spec.name)
