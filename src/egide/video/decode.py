"""Decoding video with PyAV (FFmpeg in its wheels) and choosing which frames to hash.

Two samplings:

* every frame, numbered in decode-output order as the vPDQ reference numbers them, with the
  reference's timestamp ``frame_number / frame_rate``;
* N frames per second: the reference decodes every frame and keeps every
  ``int(frame_rate / N)``-th. egide reads the packets once without decoding to learn where the
  key frames are, decodes only the groups of pictures that hold a wanted frame, and inside them
  skips the frames no other frame refers to (FFmpeg's ``skip_frame=NONREF``) except the wanted
  ones, so the frames hashed are the reference's own. Streams read in one pass skip
  non-reference frames throughout and take the next decoded frame when a wanted one is skipped.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import IO, Any

import av

#: What the open failed on, as FFmpeg says it, is kept in the message.
VideoSource = str | os.PathLike[str] | IO[bytes]


#: Frames skipped outside the wanted ones. Not "BIDIR": skipping B-frames that other frames
#: refer to corrupts later frames (measured: up to 50 bits off the reference).
SKIP_UNWANTED = "NONREF"


class VideoRejected(Exception):
    """The input could not be opened or decoded as a video; the message says why."""


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """What the container says about its first video stream."""

    container: str
    codec: str
    width: int
    height: int
    frame_rate: float
    duration: float | None


@dataclass(frozen=True, slots=True)
class DecodedFrame:
    frame_number: int
    timestamp: float
    frame: Any  # av.VideoFrame


def open_video(source: VideoSource) -> Any:
    """An open PyAV input container; :class:`VideoRejected` with FFmpeg's reason otherwise."""
    try:
        target: Any = os.fspath(source) if isinstance(source, str | os.PathLike) else source
        container = av.open(target, mode="r")
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
        raise VideoRejected(f"cannot open as a video: {_reason(exc)}") from None
    if not container.streams.video:
        container.close()
        raise VideoRejected("no video stream in the container")
    return container


def video_info(container: Any) -> VideoInfo:
    stream = container.streams.video[0]
    rate = frame_rate(stream)
    duration: float | None = None
    if stream.duration is not None and stream.time_base is not None:
        duration = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        duration = container.duration / 1_000_000
    return VideoInfo(
        container=container.format.name,
        codec=stream.codec_context.name,
        width=stream.codec_context.width,
        height=stream.codec_context.height,
        frame_rate=float(rate),
        duration=duration,
    )


def frame_rate(stream: Any) -> Fraction:
    """The reference's frame rate: ``avg_frame_rate``, else ``r_frame_rate``; never zero."""
    for rate in (stream.average_rate, stream.guessed_rate, stream.base_rate):
        if rate:
            return Fraction(rate)
    raise VideoRejected("the video stream declares no frame rate")


def _prepare(stream: Any, threads: int) -> None:
    stream.thread_type = "NONE" if threads == 1 else "AUTO"
    stream.codec_context.thread_count = threads


def every_frame(container: Any, threads: int = 1) -> Iterator[DecodedFrame]:
    """Every decoded frame, numbered and timed as the reference does."""
    stream = container.streams.video[0]
    _prepare(stream, threads)
    rate = float(frame_rate(stream))
    try:
        for number, frame in enumerate(container.decode(stream)):
            yield DecodedFrame(number, number / rate, frame)
    except av.FFmpegError as exc:
        raise VideoRejected(f"decoding failed: {_reason(exc)}") from None


def sampled_frames(
    container: Any, per_second: float, keyframes: list[int] | None, threads: int = 1
) -> Iterator[DecodedFrame]:
    """About ``per_second`` frames per second of video, decoding as little as possible.

    ``keyframes`` (from :func:`keyframe_numbers` on an earlier opening of the same input) lets
    whole groups of pictures be skipped; without it the stream is decoded in one pass.
    """
    stream = container.streams.video[0]
    rate = frame_rate(stream)
    step = max(1, int(float(rate) / per_second))
    if keyframes is None or stream.time_base is None:
        yield from _sequential(container, step, threads)
        return
    yield from _gop_sampled(container, stream, rate, step, keyframes, threads)


def can_read_twice(source: VideoSource) -> bool:
    """Paths can; file objects only when they seek (a pipe cannot)."""
    if isinstance(source, str | os.PathLike):
        return True
    try:
        return bool(source.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _first_pts(stream: Any) -> int:
    start: int = stream.start_time or 0
    return start


def _number(pts: int, stream: Any, rate: Fraction) -> int:
    seconds = Fraction(pts - _first_pts(stream)) * Fraction(stream.time_base)
    return max(0, round(seconds * rate))


def keyframe_numbers(container: Any) -> list[int] | None:
    """Frame numbers of the key frames, from one pass over the packets (no decoding); ``None``
    when packets carry no timestamps (raw streams), which then decode in one pass."""
    stream = container.streams.video[0]
    if stream.time_base is None:
        return None
    rate = frame_rate(stream)
    numbers: list[int] = []
    for packet in container.demux(stream):
        if packet.size == 0:
            continue
        if packet.pts is None:
            return None
        if packet.is_keyframe:
            numbers.append(_number(packet.pts, stream, rate))
    numbers.sort()
    return numbers or None


def _gop_sampled(
    container: Any, stream: Any, rate: Fraction, step: int, keyframes: list[int], threads: int
) -> Iterator[DecodedFrame]:
    _prepare(stream, threads)
    codec = stream.codec_context
    codec.skip_frame = "NONREF"
    target = 0
    decoding = False
    gop_end = 0  # first frame number of the next group of pictures
    try:
        for packet in container.demux(stream):
            if packet.size and packet.is_keyframe and packet.pts is not None:
                start = _number(packet.pts, stream, rate)
                index = bisect.bisect_right(keyframes, start)
                gop_end = keyframes[index] if index < len(keyframes) else 1 << 62
                if gop_end <= target:
                    decoding = False
                    continue
                if not decoding:
                    codec.flush_buffers()
                    decoding = True
            if not decoding:
                continue
            if packet.pts is not None:
                # the wanted frame itself is always decoded, so the hashed frames are the
                # reference's; frames nothing refers to are skipped everywhere else
                wanted = target <= _number(packet.pts, stream, rate) < target + step
                codec.skip_frame = "DEFAULT" if wanted else SKIP_UNWANTED
            # the demuxer's last, empty packet drains the decoder
            for frame in codec.decode(packet if packet.size else None):
                if frame.pts is None:
                    continue
                number = _number(frame.pts, stream, rate)
                if number >= target:
                    yield DecodedFrame(number, number / float(rate), frame)
                    target = (number // step + 1) * step
                    if target >= gop_end:
                        decoding = False
                        break
    except av.FFmpegError as exc:
        raise VideoRejected(f"decoding failed: {_reason(exc)}") from None


def _sequential(container: Any, step: int, threads: int) -> Iterator[DecodedFrame]:
    """Streams that cannot be read twice: decode on, skip non-reference frames, keep by number."""
    stream = container.streams.video[0]
    _prepare(stream, threads)
    stream.codec_context.skip_frame = "NONREF"
    rate = float(frame_rate(stream))
    target = 0
    try:
        for count, frame in enumerate(container.decode(stream)):
            number = _number(frame.pts, stream, Fraction(rate)) if frame.pts is not None else count
            if number >= target:
                yield DecodedFrame(number, number / rate, frame)
                target = (number // step + 1) * step
    except av.FFmpegError as exc:
        raise VideoRejected(f"decoding failed: {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__
