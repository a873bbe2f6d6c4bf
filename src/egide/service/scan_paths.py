"""Which server files a scan asked for through the API may read: only those under a configured
root, after every symlink is resolved.

The scan library follows symlinks (right for seized media on an examiner's machine, wrong for a
service: a link inside a root could point at /etc). So the service walks the folder itself
without following links, keeps a symlinked file only when its target is inside a root, never
enters a symlinked directory, and hands the scan the resulting list of files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from egide.service.errors import Forbidden, NotFound, Unprocessable

MAX_FILES = 1_000_000
"""A scan listing more files than this is refused (ask for a sub-folder)."""


@dataclass(frozen=True)
class ScanTarget:
    """The files to scan, and the links left out with why."""

    path: Path
    files: tuple[str, ...]
    refused: tuple[tuple[str, str], ...]


def _inside(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def resolve(path: str, roots: tuple[Path, ...]) -> Path:
    """The real path asked for, refused unless it lies under a root (symlinks resolved).

    A path outside every root is refused the same way whether or not it exists, so the answer
    says nothing about the server's other folders.
    """
    if not roots:
        raise NotFound("server-side scans are not enabled (start the service with --scan-root)")
    if "\x00" in path:
        raise Unprocessable("path: contains a NUL byte")
    if not os.path.isabs(path):
        raise Unprocessable(f"path: {path!r} is not absolute; give a path under a scan root")
    real_roots = tuple(os.path.realpath(r) for r in roots)
    real = os.path.realpath(path)
    if not _inside(real, real_roots):
        raise Forbidden(f"path {path!r} is outside the configured scan roots")
    if not os.path.exists(real):
        raise NotFound(f"no file or folder {path!r} under the scan roots")
    return Path(real)


def collect(target: Path, roots: tuple[Path, ...]) -> ScanTarget:
    """Every file under ``target`` (itself, if a file) that may be read, without following
    links out of the roots; the others are listed in ``refused`` with the reason."""
    real_roots = tuple(os.path.realpath(r) for r in roots)
    if not target.is_dir():
        return ScanTarget(target, (str(target),), ())
    files: list[str] = []
    refused: list[tuple[str, str]] = []

    def keep(path: str) -> None:
        if not os.path.islink(path):
            files.append(path)
            return
        real = os.path.realpath(path)
        if not _inside(real, real_roots):
            refused.append((path, "symlink leads outside the scan roots"))
        elif os.path.isdir(real):
            refused.append((path, "symlinked folder not followed"))
        else:
            files.append(path)

    for folder, dirs, names in os.walk(target, followlinks=False):
        dirs.sort()
        for name in dirs:
            if os.path.islink(os.path.join(folder, name)):
                keep(os.path.join(folder, name))
        for name in sorted(names):
            keep(os.path.join(folder, name))
        if len(files) > MAX_FILES:
            raise Unprocessable(
                f"path: more than {MAX_FILES} files under {str(target)!r}; scan a sub-folder"
            )
    return ScanTarget(target, tuple(files), tuple(refused))
