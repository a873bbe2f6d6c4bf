"""Live sources on 127.0.0.1 for the stream tests: the sample videos (benign) re-encoded in
real time with PyAV's libx264 and sent as MPEG-TS over UDP, or written as live HLS (the HLS
muxer writes segments and the playlist while the test runs) served by a local HTTP server
that can be dropped and brought back; garbage over UDP; a webhook receiver that fails first.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import av

from tests.support import local_http

SAMPLES = (
    Path(__file__).resolve().parents[2].parent / "shared/testdata/threatexchange/tmk/sample-videos"
)


def free_port(kind: int = socket.SOCK_DGRAM) -> int:
    """A free port, UDP unless told otherwise (streams here are MPEG-TS over UDP)."""
    return local_http.free_port(kind)


@dataclass(frozen=True)
class Piece:
    """``seconds`` of ``video`` from its start, in the programme."""

    video: Path
    seconds: float


def programme_frames(
    pieces: Sequence[Piece], fps: int, width: int, height: int
) -> Iterator[av.VideoFrame]:
    """The pieces one after the other at ``fps``, resized, numbered from 0 (pts in 1/fps)."""
    index = 0
    for piece in pieces:
        wanted = round(piece.seconds * fps)
        taken = 0
        with av.open(str(piece.video)) as source:
            stream = source.streams.video[0]
            for frame in source.decode(stream):
                if frame.time is None or frame.time * fps < taken - 1e-6:
                    continue
                out = frame.reformat(width=width, height=height, format="yuv420p")
                out.pts = index
                out.time_base = Fraction(1, fps)
                yield out
                index += 1
                taken += 1
                if taken >= wanted:
                    break


@dataclass
class LiveSender:
    """Encodes a programme in real time into ``target`` (UDP MPEG-TS URL or HLS playlist path).

    ``pause_after``/``pause_for``: stop sending for a while after that many seconds of stream
    (the encoder goes on, so stream time jumps over the pause, as a camera's would).
    """

    target: str
    pieces: Sequence[Piece]
    fps: int = 15
    width: int = 640
    height: int = 360
    pause_after: float | None = None
    pause_for: float = 0.0
    hls_time: float = 1.0
    frames_sent: int = 0
    started: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    _thread: threading.Thread | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> LiveSender:
        self._thread = threading.Thread(target=self._run, name="live-sender", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    def _open(self) -> Any:
        if self.target.startswith("udp://"):
            return av.open(self.target + "?pkt_size=1316", "w", format="mpegts")
        options = {
            "hls_time": str(self.hls_time),
            "hls_list_size": "6",
            "hls_flags": "delete_segments+omit_endlist",
        }
        return av.open(self.target, "w", format="hls", options=options)

    def _off_air(self, at: float) -> bool:
        start = self.pause_after
        return start is not None and start <= at < start + self.pause_for

    def _run(self) -> None:
        try:
            self._send()
        except BaseException as exc:  # reported to the test through .error
            self.error = exc
        finally:
            self.done.set()

    def _send(self) -> None:
        output = self._open()
        encoder = output.add_stream(
            "libx264",
            rate=self.fps,
            options={
                "preset": "ultrafast",
                "tune": "zerolatency",
                "g": str(self.fps),
                "keyint_min": str(self.fps),
                "sc_threshold": "0",
            },
        )
        encoder.width, encoder.height, encoder.pix_fmt = self.width, self.height, "yuv420p"
        self.started = time.monotonic()
        try:
            for frame in programme_frames(self.pieces, self.fps, self.width, self.height):
                if self._stop.is_set():
                    break
                at = (frame.pts or 0) / self.fps
                delay = self.started + at - time.monotonic()
                if delay > 0:
                    self._stop.wait(delay)
                packets = encoder.encode(frame)
                if self._off_air(at):
                    continue  # encoded, not sent: stream time runs on over the pause
                for packet in packets:
                    output.mux(packet)
                self.frames_sent += 1
            for packet in encoder.encode(None):
                output.mux(packet)
        finally:
            output.close()


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


class HlsServer:
    """Serves a folder over HTTP on 127.0.0.1; ``drop()`` closes the port, ``restore()``
    opens it again on the same port."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port(socket.SOCK_STREAM)
        self._server: ThreadingHTTPServer | None = None
        self.restore()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def restore(self) -> None:
        handler = functools.partial(_QuietFiles, directory=str(self.folder))
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def drop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def close(self) -> None:
        self.drop()


class GarbageSender:
    """Random bytes to a UDP port, about ``rate`` bytes per second, until stopped."""

    def __init__(self, port: int, rate: int = 200_000) -> None:
        self.port = port
        self.rate = rate
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> GarbageSender:
        self._thread.start()
        return self

    def _run(self) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            while not self._stop.is_set():
                for _ in range(10):
                    sock.sendto(os.urandom(1316), ("127.0.0.1", self.port))
                self._stop.wait(13160 / self.rate)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


@dataclass
class WebhookReceiver:
    """An HTTP endpoint recording the JSON bodies POSTed to it; the first ``fail_first``
    requests are answered ``fail_status`` (503: an overloaded receiver)."""

    fail_first: int = 0
    fail_status: int = 503
    received: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                status = (
                    receiver.fail_status if len(receiver.statuses) < receiver.fail_first else 204
                )
                receiver.statuses.append(status)
                if status == 204:
                    receiver.received.append(json.loads(body))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/alerts"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
