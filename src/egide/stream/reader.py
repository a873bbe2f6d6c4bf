"""Reading one connection to a live source: packets in, hashes of sampled frames out.

Nothing waits in a queue here: a frame that cannot be hashed in time is dropped and counted.
The reader knows it is behind when packets keep coming without any wait for the network
while stream time falls behind wall time; it then stops decoding until the next key frame
(those frames are counted late) instead of catching up on stale video.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

import av

from egide.video import frame_pdq

from .config import StreamSpec
from .messages import FrameSample, StreamStats
from .sampling import KeyframeGate, TimeSampler

#: a read that blocked this long was waiting for the source, so the reader is not behind
_IDLE_WAIT = 0.05
#: consecutive undecodable packets before the connection is given up as garbage
MAX_DECODE_ERRORS = 100
_ARRIVALS_KEPT = 64
#: after a reconnection, frames up to this far before the last one hashed are a replay
#: (HLS restarts a few segments back); further back, the source has restarted its clock
REPLAY_WINDOW = 120.0


class GarbageStream(Exception):
    """The connection delivers packets that do not decode."""


class LagMeter:
    """How far behind real time the reader is: wall time elapsed minus stream time read, since
    the last moment it was idle (waiting for data) or ahead."""

    def __init__(self) -> None:
        self._anchor: tuple[float, float] | None = None

    def reset(self) -> None:
        self._anchor = None

    def update(self, now: float, stream_time: float, waited: float) -> float:
        anchor = self._anchor
        if anchor is None or waited >= _IDLE_WAIT:
            self._anchor = (now, stream_time)
            return 0.0
        behind = (now - anchor[0]) - (stream_time - anchor[1])
        if behind < 0:
            self._anchor = (now, stream_time)
            return 0.0
        return behind


class Pacer:
    """FFmpeg's ``-re``: release each packet when its timestamp is due on the wall clock."""

    def __init__(self, stop: threading.Event) -> None:
        self._stop = stop
        self._anchor: tuple[float, float] | None = None

    def wait(self, stream_time: float) -> None:
        now = time.monotonic()
        anchor = self._anchor
        if anchor is None or stream_time < anchor[1]:
            self._anchor = (now, stream_time)
            return
        due = anchor[0] + (stream_time - anchor[1])
        if due > now:
            self._stop.wait(due - now)


class ConnectionReader:
    """Reads one open container until it ends, stalls (exception) or ``stop`` is set."""

    def __init__(
        self,
        spec: StreamSpec,
        container: Any,
        stats: StreamStats,
        emit: Callable[[FrameSample], bool],
        stop: threading.Event,
        watched_until: float | None = None,
    ) -> None:
        """``watched_until``: stream time of the last frame hashed on an earlier connection."""
        self.spec = spec
        self.watched_until = watched_until
        self.container = container
        self.stats = stats
        self.emit = emit
        self.stop = stop
        self.sampler = TimeSampler(spec.fps)
        self.gate = KeyframeGate(self.sampler.interval, spec.skip_frame)
        self.lag = LagMeter()
        self.pacer = Pacer(stop) if spec.paced else None
        self.last_packet = time.time()
        self.last_sampled = watched_until
        if watched_until is not None:
            self.sampler.take(watched_until)
        self._arrivals: OrderedDict[int, float] = OrderedDict()
        self._errors = 0

    def _replayed(self, stream_time: float) -> bool:
        """Already watched on an earlier connection (a source that restarts a little back)."""
        until = self.watched_until
        if until is None:
            return False
        if until - REPLAY_WINDOW < stream_time <= until + 1e-6:
            return True
        self.watched_until = None  # past it, or another clock: watch on
        return False

    def _packets(self, stream: Any) -> Iterator[tuple[Any, float]]:
        """Packets of the video stream with how long the read waited for each."""
        demux = self.container.demux(stream)
        while True:
            started = time.monotonic()
            packet = next(demux, None)
            if packet is None:
                return
            yield packet, time.monotonic() - started

    def run(self) -> str:
        """``"eof"`` when the source ended, ``"stopped"`` when asked to stop."""
        stream = self.container.streams.video[0]
        codec = stream.codec_context
        codec.thread_type = "NONE"
        codec.thread_count = 1
        time_base = stream.time_base
        started = False  # decoding starts at a key frame
        skipping = False  # behind real time: nothing decoded until the next key frame
        for packet, waited in self._packets(stream):
            if self.stop.is_set():
                return "stopped"
            if packet.size == 0:
                self._frames(codec, None, time.time())
                continue
            stamp = packet.pts if packet.pts is not None else packet.dts
            if stamp is None or time_base is None:
                continue
            stream_time = float(stamp * time_base)
            if self.pacer is not None:
                self.pacer.wait(
                    float((packet.dts if packet.dts is not None else stamp) * time_base)
                )
            now = time.time()
            self.last_packet = now
            self.stats.packets += 1
            key = bool(packet.is_keyframe)
            if key:
                self.gate.observe(stream_time)
                skipping = False
                started = True
            elif not started:
                continue
            if not skipping and self.lag.update(now, stream_time, waited) > self.spec.max_lag:
                skipping = True
                codec.flush_buffers()
            if skipping:
                if self.sampler.take(stream_time):
                    self.stats.frames_late += 1
                self.lag.reset()
                continue
            self._decode(codec, packet, key, stream_time, now)
        self._frames(codec, None, time.time())
        return "eof"

    def _decode(self, codec: Any, packet: Any, key: bool, stream_time: float, now: float) -> None:
        if self.gate.keyframes_only:
            if not key or not self.sampler.wants(stream_time) or self._replayed(stream_time):
                return
            codec.skip_frame = "NONKEY"
            self._remember(packet, now)
            self._frames(codec, packet, now)
            self._frames(codec, None, now)  # drain: the key frame comes out now, not later
            codec.flush_buffers()
            return
        codec.skip_frame = "DEFAULT" if self.spec.skip_frame == "none" else "NONREF"
        self._remember(packet, now)
        self._frames(codec, packet, now)

    def _remember(self, packet: Any, now: float) -> None:
        if packet.pts is not None:
            self._arrivals[int(packet.pts)] = now
            while len(self._arrivals) > _ARRIVALS_KEPT:
                self._arrivals.popitem(last=False)

    def _frames(self, codec: Any, packet: Any, now: float) -> None:
        try:
            frames = codec.decode(packet)
        except av.EOFError:
            return
        except av.FFmpegError:
            self.stats.decode_errors += 1
            self._errors += 1
            if self._errors >= MAX_DECODE_ERRORS:
                raise GarbageStream(f"{self._errors} packets in a row did not decode") from None
            return
        self._errors = 0
        for frame in frames:
            self._frame(frame, now)

    def _frame(self, frame: Any, now: float) -> None:
        self.stats.frames_decoded += 1
        if frame.pts is None or frame.time_base is None:
            return
        arrival = self._arrivals.pop(int(frame.pts), now)
        stream_time = float(frame.pts * frame.time_base)
        if self._replayed(stream_time) or not self.sampler.take(stream_time):
            return
        if time.time() - arrival > self.spec.max_lag:
            self.stats.frames_late += 1
            return
        pdq, quality = frame_pdq(frame)
        self.stats.frames_sampled += 1
        self.last_sampled = stream_time
        decode = "nonkey" if self.gate.keyframes_only else str(codec_mode(self.spec))
        sample = FrameSample(self.spec.name, stream_time, pdq, quality, arrival, decode)
        if not self.emit(sample):
            self.stats.frames_dropped += 1


def codec_mode(spec: StreamSpec) -> str:
    return "none" if spec.skip_frame == "none" else "nonref"
