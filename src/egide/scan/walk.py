"""Source walker of ``egide scan``: folders, then zip/tar archives inside files, safely.

Two levels because work is parallelised and checkpointed per top-level disk file:
:func:`iter_disk_files` lists the files under the roots in a deterministic order (so a scan
can resume by position or path), and :func:`iter_items` turns one of them into the items to
hash: the file itself first (an archive is evidence too), then its archive members,
recursively, read into memory under :class:`WalkLimits`. Nothing is ever extracted to disk,
and every problem (loop, special file, bomb, corrupt archive) is an item with an error rather
than an exception, so one bad file never stops a scan.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from egide.scan.walk_archives import WalkState, walk_archive
from egide.scan.walk_names import sanitise_member_name
from egide.scan.walk_types import (
    DiskFile,
    Item,
    UnreadableItemError,
    WalkLimits,
    file_kind,
    open_regular,
)

__all__ = [
    "DEFAULT_LIMITS",
    "DiskFile",
    "Item",
    "UnreadableItemError",
    "WalkLimits",
    "iter_disk_files",
    "iter_items",
    "sanitise_member_name",
]

DEFAULT_LIMITS = WalkLimits()
"""Shared default: ``WalkLimits`` is frozen, so one instance serves every call."""


def _sort_key(entry: os.DirEntry[str]) -> bytes:
    """Byte order of the on-disk name: stable across locales and for undecodable names."""
    return os.fsencode(entry.name)


def _readlink(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _join(display: str, name: str) -> str:
    return f"{display}{name}" if display.endswith("/") else f"{display}/{name}"


@dataclass
class _Frame:
    path: Path
    display: str
    chain: frozenset[tuple[int, int]]
    entries: list[os.DirEntry[str]]
    index: int = field(default=0)


def _list_dir(path: Path, display: str) -> list[os.DirEntry[str]] | DiskFile:
    """Sorted entries of a directory, or the error entry that replaces it in the walk."""
    try:
        with os.scandir(path) as it:
            return sorted(it, key=_sort_key)
    except PermissionError:
        return DiskFile(path, display, "permission denied reading directory")
    except OSError as exc:
        return DiskFile(path, display, f"cannot read directory: {exc.strerror or exc}")


def _stat_error(path: Path, display: str, is_link: bool, exc: OSError) -> DiskFile:
    if exc.errno == errno.ELOOP:
        return DiskFile(path, display, f"symlink loop: {display} -> {_readlink(path)}")
    if isinstance(exc, FileNotFoundError):
        if is_link:
            return DiskFile(path, display, f"broken symlink -> {_readlink(path)}")
        return DiskFile(path, display, "no such file or directory (removed during the walk?)")
    if isinstance(exc, PermissionError):
        return DiskFile(path, display, "permission denied")
    return DiskFile(path, display, f"cannot stat: {exc.strerror or exc}")


def _classify(
    path: Path,
    display: str,
    is_link: bool,
    st: os.stat_result,
    chain: frozenset[tuple[int, int]],
) -> DiskFile | _Frame:
    """A file to yield, a directory to enter, or a loop/special-file error entry."""
    if stat.S_ISREG(st.st_mode):
        return DiskFile(path, display)
    if not stat.S_ISDIR(st.st_mode):
        return DiskFile(path, display, f"not a regular file ({file_kind(st.st_mode)})")
    key = (st.st_dev, st.st_ino)
    if key in chain:
        what = (
            f"symlink loop: {display} -> {_readlink(path)}"
            if is_link
            else (f"directory loop: {display} is its own ancestor (bind mount?)")
        )
        return DiskFile(path, display, f"{what}; not followed again")
    listing = _list_dir(path, display)
    if isinstance(listing, DiskFile):
        return listing
    return _Frame(path, display, chain | {key}, listing)


def _walk_root(root: Path) -> Iterator[DiskFile]:
    display = os.fspath(root)
    is_link = root.is_symlink()
    try:
        st = root.stat()
    except OSError as exc:
        yield _stat_error(root, display, is_link, exc)
        return
    first = _classify(root, display, is_link, st, frozenset())
    if isinstance(first, DiskFile):
        yield first
        return
    stack = [first]
    while stack:
        frame = stack[-1]
        if frame.index >= len(frame.entries):
            stack.pop()
            continue
        entry = frame.entries[frame.index]
        frame.index += 1
        path = frame.path / entry.name
        display = _join(frame.display, entry.name)
        try:
            is_link = entry.is_symlink()
            st = entry.stat(follow_symlinks=True)
        except OSError as exc:
            yield _stat_error(path, display, entry.is_symlink(), exc)
            continue
        step = _classify(path, display, is_link, st, frame.chain)
        if isinstance(step, DiskFile):
            yield step
        else:
            stack.append(step)


def iter_disk_files(roots: Sequence[Path]) -> Iterator[DiskFile]:
    """Every file under ``roots``, depth-first in byte order of names, roots in the given order.

    Symlinked files and directories are followed (the report keeps the link's path); a
    directory already on the current chain (same ``st_dev, st_ino``) is a loop, reported once
    where it is met. Broken links, unreadable directories and special files (never opened: a
    fifo blocks) are yielded with ``error`` set, and the walk goes on.
    """
    for root in roots:
        yield from _walk_root(Path(root))


def _open_error(exc: OSError) -> str:
    if isinstance(exc, UnreadableItemError):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return "no such file (removed or renamed since it was listed)"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    return f"cannot open: {exc.strerror or exc}"


def iter_items(disk_file: DiskFile, limits: WalkLimits = DEFAULT_LIMITS) -> Iterator[Item]:
    """The disk file itself (depth 0), then its archive members in archive order, recursively.

    Archives are recognised by content (zip local header or end-of-central-directory, tar
    header checksum, also under gzip/bzip2/xz), not by extension. Members are read one at a
    time; a member that is an archive is walked from its in-memory bytes while ``limits``
    hold. Problems become items with ``error`` set; the function itself does not raise.
    """
    if disk_file.error is not None:
        yield Item(path=disk_file.display, size=None, error=disk_file.error)
        return
    try:
        fobj, size = open_regular(disk_file.path)
    except OSError as exc:
        yield Item(path=disk_file.display, size=None, error=_open_error(exc))
        return
    with fobj:
        yield Item(path=disk_file.display, size=size, _disk_path=disk_file.path)
        try:
            yield from walk_archive(fobj, disk_file.display, 0, WalkState(limits))
        except OSError as exc:  # the disk itself failed (EIO) outside any archive parser
            yield Item(
                path=f"{disk_file.display}!",
                size=None,
                depth=1,
                error=f"read error while walking the archive: {exc}",
            )
