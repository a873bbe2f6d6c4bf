"""Video hashing (vPDQ) and comparison: PyAV decoding, PDQ per sampled frame, the reference's
text format and its video-level comparison rule. Matching against banks is in
:mod:`egide.video.matching`."""

from .compare import VpdqComparison, VpdqThresholds, compare_frames, kept_frames
from .decode import VideoInfo, VideoRejected, open_video
from .frames import FrameFormatError, FrameHash, frames_text, read_frames, write_frames
from .hasher import DEFAULT_FRAMES_PER_SECOND, VideoHashes, VideoOptions, hash_frames, hash_video
from .luma import frame_pdq, frame_pdq_exact

__all__ = [
    "DEFAULT_FRAMES_PER_SECOND",
    "FrameFormatError",
    "FrameHash",
    "VideoHashes",
    "VideoInfo",
    "VideoOptions",
    "VideoRejected",
    "VpdqComparison",
    "VpdqThresholds",
    "compare_frames",
    "frame_pdq",
    "frame_pdq_exact",
    "frames_text",
    "hash_frames",
    "hash_video",
    "kept_frames",
    "open_video",
    "read_frames",
    "write_frames",
]
