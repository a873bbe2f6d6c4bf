"""The typed records that :mod:`egide.hashing` hands out and takes in."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from egide.video.frames import FrameHash

Kind = Literal["image", "video", "other"]

#: Pillow's own default decompression-bomb threshold, kept as ours so both agree by default.
DEFAULT_MAX_IMAGE_PIXELS = 178_956_970


@dataclass(frozen=True, slots=True)
class HashOptions:
    """How to hash: bomb limit, whether to add the 8 dihedral PDQ variants, fast or naive decode."""

    max_image_pixels: int = DEFAULT_MAX_IMAGE_PIXELS
    dihedral: bool = False
    fast: bool = True
    #: Videos: frames hashed per second of video (``None``: every frame, as the vPDQ reference);
    #: ``video_frames`` False leaves videos with their cryptographic hashes only.
    video_frames_per_second: float | None = 1.0
    video_frames: bool = True


@dataclass(frozen=True, slots=True)
class FileHashes:
    """Everything egide knows about one file's content; never raised, errors are data.

    ``md5``/``sha1``/``sha256`` are ``None`` only when the bytes could not be read to the end.
    ``width``/``height`` are those of the image after its EXIF orientation is applied, or of
    the video's frames. A video's ``frames`` are its vPDQ frame hashes (sampled as
    ``sampling`` says); ``format`` is then the container and ``codec`` the video codec.
    """

    path: str
    size: int
    md5: str | None = None
    sha1: str | None = None
    sha256: str | None = None
    kind: Kind = "other"
    pdq: str | None = None
    pdq_quality: int | None = None
    width: int | None = None
    height: int | None = None
    format: str | None = None
    pdq_dihedral: tuple[str, ...] | None = None
    codec: str | None = None
    duration: float | None = None
    frame_rate: float | None = None
    sampling: str | None = None
    frames: tuple[FrameHash, ...] | None = None
    error: str | None = None

    def to_json_dict(self) -> dict[str, object]:
        """The record as ``egide hash`` prints it: one JSON object per file, ``None`` left out."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if f.name == "frames":
                out[f.name] = [frame.to_json_dict() for frame in value]
            else:
                out[f.name] = list(value) if isinstance(value, tuple) else value
        return out
