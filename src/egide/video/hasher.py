"""vPDQ of a whole video: decode (PyAV), sample, PDQ per frame, in the reference's terms."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .decode import (
    DecodedFrame,
    VideoInfo,
    VideoSource,
    can_read_twice,
    every_frame,
    keyframe_numbers,
    open_video,
    sampled_frames,
)
from .decode import video_info as read_info
from .frames import FrameHash
from .luma import frame_pdq, frame_pdq_exact

#: Default sampling, as Meta's Python library: one frame per second of video.
DEFAULT_FRAMES_PER_SECOND = 1.0


@dataclass(frozen=True, slots=True)
class VideoOptions:
    """How to hash a video.

    ``frames_per_second``: ``None`` hashes every frame (the reference tool's default); otherwise
    about that many frames per second. ``exact`` converts each frame to RGB as the reference
    does instead of reading its luma plane (slower, a bit closer to the reference's bits).
    ``prune_distance``: drop a frame within that Hamming distance of the last frame kept
    (the reference's optional pruning; ``None`` keeps every sampled frame).
    """

    frames_per_second: float | None = DEFAULT_FRAMES_PER_SECOND
    exact: bool = False
    prune_distance: int | None = None
    threads: int = 1

    def __post_init__(self) -> None:
        if self.frames_per_second is not None and not self.frames_per_second > 0:
            raise ValueError("frames_per_second must be > 0 (or None for every frame)")
        if self.prune_distance is not None and not 0 <= self.prune_distance <= 256:
            raise ValueError("prune_distance must be within 0..256")

    @property
    def sampling(self) -> str:
        return "every-frame" if self.frames_per_second is None else f"{self.frames_per_second:g}/s"


@dataclass(frozen=True, slots=True)
class VideoHashes:
    info: VideoInfo
    frames: tuple[FrameHash, ...]
    sampling: str


def hash_video(source: VideoSource, options: VideoOptions = VideoOptions()) -> VideoHashes:
    """Frame hashes of a video file or file object; :class:`VideoRejected` when undecodable.

    Sampled hashing reads the input twice (key frames first, then only the groups of pictures
    that hold a wanted frame), so the input is opened twice when it can be.
    """
    start = None if isinstance(source, str | os.PathLike) else source.tell()

    def reopen() -> Any:
        if start is not None:
            source.seek(start)  # type: ignore[union-attr]
        return open_video(source)

    fps = options.frames_per_second
    with reopen() as container:
        info = read_info(container)
        if fps is None or not can_read_twice(source):
            decoded = (
                every_frame(container, options.threads)
                if fps is None
                else sampled_frames(container, fps, None, options.threads)
            )
            return VideoHashes(info, tuple(hash_frames(decoded, options)), options.sampling)
        keyframes = keyframe_numbers(container)
    with reopen() as container:
        decoded = sampled_frames(container, fps, keyframes, options.threads)
        return VideoHashes(info, tuple(hash_frames(decoded, options)), options.sampling)


def hash_frames(decoded: Iterator[DecodedFrame], options: VideoOptions) -> Iterator[FrameHash]:
    """PDQ of each decoded frame, pruned as asked; shared by files and live streams."""
    hasher: Callable[[object], tuple[str, int]] = frame_pdq_exact if options.exact else frame_pdq
    last: int | None = None
    for item in decoded:
        pdq, quality = hasher(item.frame)
        if options.prune_distance is not None:
            code = int(pdq, 16)
            if last is not None and (code ^ last).bit_count() <= options.prune_distance:
                continue
            last = code
        yield FrameHash(item.frame_number, quality, pdq, item.timestamp)
