"""Hash one file, stream or byte string into a :class:`FileHashes`; bad input is data, not raised.

The content is read once in :data:`~.crypto.CHUNK_SIZE` pieces for the digests (memory stays
constant whatever the size). Only when its first bytes sniff as an image is it decoded: from
the same (seekable) file object after rewinding, or from the buffered bytes otherwise.
"""

from __future__ import annotations

import io
import os
from typing import BinaryIO

from . import crypto
from .decode import ImageRejected, decode_for_pdq, open_image
from .pdq import pdq_dihedral_with_quality, pdq_hash
from .records import FileHashes, HashOptions, Kind
from .sniff import SNIFF_BYTES, sniff_kind

#: File name endings that promise an image; content that then is no image gets an ``error``.
IMAGE_SUFFIXES = frozenset(
    {
        ".jpg",
        ".jpeg",
        ".jpe",
        ".jfif",
        ".png",
        ".gif",
        ".webp",
        ".bmp",
        ".tif",
        ".tiff",
        ".heic",
        ".heif",
        ".avif",
    }
)

_DEFAULT = HashOptions()


def hash_file(path: str | os.PathLike[str], options: HashOptions = _DEFAULT) -> FileHashes:
    """Hash a file on disk. A zero-byte file is kind "other" with the empty digests, no error.

    A file that cannot be opened or read (missing, a directory, permission, I/O error) gives
    ``size`` 0, no digests and ``error`` "cannot read file: ...".
    """
    name = os.fspath(path)
    try:
        handle = open(name, "rb")  # noqa: SIM115 - closed below, open errors are data
    except OSError as exc:
        return FileHashes(path=name, size=0, error=f"cannot read file: {_reason(exc)}")
    with handle:
        return hash_stream(handle, name, options)


def hash_bytes(data: bytes, path: str, options: HashOptions = _DEFAULT) -> FileHashes:
    """Hash content already in memory (e.g. an archive member); ``path`` is only a label."""
    return hash_stream(io.BytesIO(data), path, options)


def hash_stream(fileobj: BinaryIO, path: str, options: HashOptions = _DEFAULT) -> FileHashes:
    """Hash a binary file object from its current position to its end."""
    digests = crypto.Digests()
    try:
        start = fileobj.tell() if _seekable(fileobj) else None
        head = _read_head(fileobj)
        kind: Kind = sniff_kind(head)
        keep: list[bytes] | None = [head] if kind == "image" and start is None else None
        digests.update(head)
        while chunk := fileobj.read(crypto.CHUNK_SIZE):
            digests.update(chunk)
            if keep is not None:
                keep.append(chunk)
    except OSError as exc:
        return FileHashes(path=path, size=digests.size, error=f"cannot read file: {_reason(exc)}")
    md5, sha1, sha256 = digests.hexdigests()
    base = FileHashes(path=path, size=digests.size, md5=md5, sha1=sha1, sha256=sha256, kind=kind)
    if kind == "video" and options.video_frames and digests.size:
        return _with_frames(base, fileobj, start, options)
    if kind != "image":
        suffix = os.path.splitext(path)[1].lower()
        if digests.size and suffix in IMAGE_SUFFIXES:
            return _replace(
                base,
                error=f"content is not a recognised image format "
                f"although the name ends in {suffix}",
            )
        return base
    if keep is not None:
        source: BinaryIO = io.BytesIO(b"".join(keep))
    else:
        fileobj.seek(start or 0)
        source = fileobj
    return _with_pdq(base, source, options)


def _with_pdq(base: FileHashes, source: BinaryIO, options: HashOptions) -> FileHashes:
    """Add PDQ and geometry to ``base``, or the reason they could not be computed."""
    try:
        image = open_image(source, options.max_image_pixels)
        with image:
            decoded = decode_for_pdq(image, options.fast)
    except ImageRejected as exc:
        return _replace(base, error=str(exc))
    except OSError as exc:  # reading the file again failed
        return _replace(base, error=f"cannot read file: {_reason(exc)}")
    except Exception as exc:  # a decoder bug must not stop a scan of millions of files
        return _replace(base, error=f"image could not be decoded: {type(exc).__name__}: {exc}")
    dihedral: tuple[str, ...] | None = None
    if options.dihedral:
        dihedral, quality = pdq_dihedral_with_quality(decoded.pixels)
        pdq = dihedral[0]
    else:
        pdq, quality = pdq_hash(decoded.pixels)
    return _replace(
        base,
        pdq=pdq,
        pdq_quality=quality,
        width=decoded.width,
        height=decoded.height,
        format=decoded.format,
        pdq_dihedral=dihedral,
    )


def _with_frames(
    base: FileHashes, fileobj: BinaryIO, start: int | None, options: HashOptions
) -> FileHashes:
    """Add the vPDQ frame hashes of a video; a stream that cannot be re-read keeps only its
    cryptographic hashes, with a note of why."""
    from egide.video import VideoOptions, VideoRejected, hash_video

    if start is None:
        return _replace(base, error="video frames not hashed: the input cannot be read twice")
    fileobj.seek(start)
    try:
        video = hash_video(fileobj, VideoOptions(frames_per_second=options.video_frames_per_second))
    except VideoRejected as exc:
        return _replace(base, error=str(exc))
    except Exception as exc:  # a decoder bug must not stop a scan of millions of files
        return _replace(base, error=f"video could not be decoded: {type(exc).__name__}: {exc}")
    info = video.info
    return _replace(
        base,
        width=info.width,
        height=info.height,
        format=info.container,
        codec=info.codec,
        duration=round(info.duration, 3) if info.duration is not None else None,
        frame_rate=round(info.frame_rate, 3),
        sampling=video.sampling,
        frames=video.frames,
    )


def _read_head(fileobj: BinaryIO) -> bytes:
    """First SNIFF_BYTES bytes even from streams that return short reads."""
    parts: list[bytes] = []
    wanted = SNIFF_BYTES
    while wanted > 0 and (part := fileobj.read(wanted)):
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def _seekable(fileobj: BinaryIO) -> bool:
    try:
        return bool(fileobj.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _reason(exc: OSError) -> str:
    """``[Errno 2] No such file or directory`` without the path the record already has."""
    if exc.strerror:
        return f"{exc.strerror} (errno {exc.errno})" if exc.errno else exc.strerror
    return str(exc) or type(exc).__name__


def _replace(record: FileHashes, **changes: object) -> FileHashes:
    from dataclasses import replace

    return replace(record, **changes)  # type: ignore[arg-type]
