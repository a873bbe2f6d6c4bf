"""Opening a live source with PyAV: any input FFmpeg reads (HLS, RTSP, RTMP, SRT, UDP/RTP
MPEG-TS, files, standard input), with an open timeout and a read (stall) timeout."""

from __future__ import annotations

from typing import Any

import av

from .config import STDIN, StreamSpec

#: Start quickly: two seconds of probing find the video stream of a live feed.
_DEFAULT_OPTIONS = {"analyzeduration": "2000000"}
#: UDP: keep reading past a receive-buffer overrun (packets are lost, not the stream).
_UDP_OPTIONS = {"overrun_nonfatal": "1"}


class SourceError(Exception):
    """A source that opened but cannot be watched (no video stream)."""


def ffmpeg_options(spec: StreamSpec) -> dict[str, str]:
    options = dict(_DEFAULT_OPTIONS)
    if spec.url.startswith("udp:"):
        options.update(_UDP_OPTIONS)
    options.update(spec.options)
    return options


def open_source(spec: StreamSpec) -> Any:
    """An open PyAV input container with a video stream; raises FFmpeg's error otherwise.

    ``timeout=(open, read)``: PyAV's interrupt callback aborts a connect that takes longer than
    ``open_timeout`` and a read that waits longer than ``stall_timeout`` (``av.ExitError``).
    """
    target = "pipe:0" if spec.url == STDIN else spec.url
    container = av.open(
        target,
        mode="r",
        options=ffmpeg_options(spec),
        timeout=(spec.open_timeout, spec.stall_timeout),
    )
    if not container.streams.video:
        container.close()
        raise SourceError("no video stream in the source")
    return container


def describe_error(exc: BaseException) -> str:
    """One line saying what went wrong, as FFmpeg or Python says it."""
    if isinstance(exc, av.FFmpegError):
        text = exc.strerror or str(exc)
        return f"{type(exc).__name__}: {text}"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def is_stall(exc: BaseException) -> bool:
    """A read or connect that timed out (nothing came within the timeout)."""
    return isinstance(exc, av.ExitError | av.TimeoutError | TimeoutError)
