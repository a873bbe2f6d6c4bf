"""One watched stream from start to finish: connect, read, and on a drop or stall reconnect
with doubling delays, recording the gap. Every failure becomes an event; nothing escapes the
runner, so one bad stream never takes others down."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from .config import StreamSpec
from .messages import FrameSample, StreamEvent, StreamStats, iso
from .reader import ConnectionReader
from .source import describe_error, is_stall, open_source

log = logging.getLogger("egide.stream")

Emit = Callable[[FrameSample | StreamEvent, bool], bool]
"""Send a message to the matcher; ``droppable`` messages are dropped when the queue is full
(returns ``False``), others wait."""


class StreamRunner:
    def __init__(self, spec: StreamSpec, emit: Emit, stop: threading.Event) -> None:
        self.spec = spec
        self._emit = emit
        self.stop = stop
        self.stats = StreamStats()
        self.watched_until: float | None = None  # stream time of the last frame hashed

    def event(self, name: str, **detail: object) -> None:
        self._emit(StreamEvent(self.spec.name, name, time.time(), dict(detail)), False)

    def _sample(self, sample: FrameSample) -> bool:
        return self._emit(sample, True)

    def run(self) -> None:
        """Watch until the source ends (files, stdin), the runner gives up, or ``stop``."""
        try:
            self._loop()
        except Exception as exc:  # a bug must not kill the other streams of this process
            log.exception("stream %s failed", self.spec.name)
            self.event("error", phase="runner", reason=describe_error(exc))
        self.event("finished", **self.stats.to_json_dict())

    def _loop(self) -> None:
        spec = self.spec
        lost_at: float | None = None  # when the last connection stopped delivering
        attempt = 0
        while not self.stop.is_set():
            outcome, last_packet, delivered = self._connect_once(lost_at)
            if outcome == "stopped":
                return
            if outcome == "ended":
                self.event("ended", reason="end of stream")
                return
            if delivered:
                attempt = 0
                lost_at = last_packet
            elif lost_at is None:
                lost_at = time.time()
            if not spec.reconnects:
                self.event("gave_up", reason="not a network source: not reopened")
                return
            down = time.time() - lost_at
            if spec.give_up_after is not None and down >= spec.give_up_after:
                self.event("gave_up", reason=f"no working connection for {down:.1f} s")
                return
            delay = min(spec.backoff_max, spec.backoff_initial * 2**attempt)
            attempt += 1
            self.event("reconnecting", attempt=attempt, delay_seconds=round(delay, 3))
            self.stop.wait(delay)

    def _connect_once(self, lost_at: float | None) -> tuple[str, float, bool]:
        """(outcome, time of the last packet, whether packets came) of one connection.

        outcome: ``stopped``, ``ended`` (source finished and is not reopened), ``dropped``.
        """
        spec = self.spec
        try:
            container = open_source(spec)
        except Exception as exc:
            name = "stalled" if is_stall(exc) else "error"
            self.event(name, phase="open", reason=describe_error(exc))
            return "dropped", time.time(), False
        self.stats.connections += 1
        if lost_at is not None:
            gap = time.time() - lost_at
            self.stats.reconnects += 1
            self.stats.gap_seconds += gap
            self.event(
                "reconnected",
                gap_seconds=round(gap, 3),
                gap_start=iso(lost_at),
                gap_end=iso(time.time()),
            )
        self.event("connected", url=spec.public_url, **_describe(container))
        reader = ConnectionReader(
            spec, container, self.stats, self._sample, self.stop, self.watched_until
        )
        packets_before = self.stats.packets
        try:
            outcome = reader.run()
        except Exception as exc:
            if is_stall(exc):
                self.event("stalled", phase="read", after_seconds=spec.stall_timeout)
            else:
                self.event("error", phase="read", reason=describe_error(exc))
            outcome = "dropped"
        finally:
            try:
                container.close()
            except Exception as exc:  # closing a broken connection can fail too
                log.debug("closing %s: %s", spec.name, describe_error(exc))
        self.watched_until = reader.last_sampled
        delivered = self.stats.packets > packets_before
        if outcome == "eof":
            if spec.reconnects:
                self.event("disconnected", reason="end of stream")
                outcome = "dropped"
            else:
                outcome = "ended"
        return outcome, reader.last_packet, delivered


def _describe(container: Any) -> dict[str, object]:
    stream = container.streams.video[0]
    codec = stream.codec_context
    return {
        "format": container.format.name,
        "codec": codec.name,
        "width": codec.width,
        "height": codec.height,
    }
