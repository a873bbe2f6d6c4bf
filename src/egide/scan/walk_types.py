"""Value types shared by the source walker: limits, disk files and hashable items.

Kept apart from the walking code so that the archive readers and the disk walker can both use
them without importing each other.
"""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO


@dataclass(frozen=True)
class WalkLimits:
    """Caps that keep a hostile archive (bomb, quine, million empty members) from stalling a scan.

    ``min_ratio_bytes`` is an addition to the brief: the compression ratio of a member is only
    judged once it has produced that many bytes, because small, very compressible files (blank
    bitmaps, padding) are ordinary and a 2 KiB "bomb" is harmless.
    """

    max_depth: int = 8
    """Nesting of archives inside archives: members deeper than this are not walked."""
    max_member_bytes: int = 1 << 30
    """Uncompressed size of one archive member read into memory."""
    max_ratio: float = 200.0
    """Uncompressed/compressed bytes of one member (zip bomb)."""
    max_archive_bytes: int = 4 << 30
    """Total uncompressed bytes read from one top-level disk file, nested archives included."""
    max_members: int = 1_000_000
    """Archive entries (directories included) per top-level disk file, nested ones included."""
    min_ratio_bytes: int = 1 << 20
    """Output size under which ``max_ratio`` is not applied."""


@dataclass(frozen=True)
class DiskFile:
    """One top-level unit of work (and of checkpointing): a file on disk, or why it is not one.

    ``display`` is the root exactly as given on the command line, joined with ``/`` and the names
    below it (``case/dir/x.jpg`` for root ``case``; ``/mnt/ev/x.jpg`` for root ``/mnt/ev``), so
    the report reads like the command that produced it and resuming by path is stable.
    ``path`` is always set (the offending entry when ``error`` is set) but is only meant to be
    opened when ``error`` is None.
    """

    path: Path
    display: str
    error: str | None = None


class UnreadableItemError(OSError):
    """Raised by :meth:`Item.open` for an item whose content could not (or must not) be read."""


def open_regular(path: Path) -> tuple[BinaryIO, int]:
    """Open ``path`` for reading only if it is a regular file; returns the file and its size.

    ``O_NONBLOCK`` makes opening a fifo return at once instead of blocking the worker forever,
    and the ``fstat`` on the opened descriptor (not on the name) closes the race with a file
    swapped between listing and opening.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableItemError(f"not a regular file ({file_kind(st.st_mode)})")
        return os.fdopen(fd, "rb"), st.st_size
    except BaseException:
        os.close(fd)
        raise


def file_kind(mode: int) -> str:
    """Human name of a file type, for error messages."""
    kinds = (
        (stat.S_ISDIR, "directory"),
        (stat.S_ISFIFO, "fifo"),
        (stat.S_ISSOCK, "socket"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISLNK, "symlink"),
        (stat.S_ISREG, "regular file"),
    )
    for test, name in kinds:
        if test(mode):
            return name
    return "unknown type"


@dataclass
class Item:
    """Something to hash: a disk file (depth 0) or an archive member (depth >= 1).

    ``path`` is the report path; members are joined to their archive with ``!``
    (``case/outer.zip!inner/dir/x.jpg``, nested ``a.zip!b.tar!c.jpg``). A path that ends in
    ``!`` is an error about an archive's member list as a whole (corrupt, too deep, too many
    members), not about one member. When ``error`` is set the content is unavailable and
    :meth:`open` raises; ``warnings`` never prevent reading.

    Member bytes live in the item (at most ``max_member_bytes``), so consumers should hash and
    drop items rather than collect them.
    """

    path: str
    size: int | None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    depth: int = 0
    _data: bytes | None = field(default=None, repr=False, compare=False)
    _disk_path: Path | None = field(default=None, repr=False, compare=False)

    def open(self) -> BinaryIO:
        """A fresh binary stream over the content: the disk file, or the member's bytes."""
        if self.error is not None:
            raise UnreadableItemError(f"{self.path}: {self.error}")
        if self._data is not None:
            return io.BytesIO(self._data)
        if self._disk_path is not None:
            fobj, _ = open_regular(self._disk_path)
            return fobj
        raise UnreadableItemError(f"{self.path}: no content attached")
