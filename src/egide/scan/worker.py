"""The work of one unit: a top-level disk file and, for an archive, every member in it.

Runs in a worker process; returns plain records so nothing but hashes and metadata cross back.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadpoolctl import threadpool_limits

from egide.hashing import FileHashes, HashOptions, hash_stream
from egide.scan.walk import DiskFile, WalkLimits, iter_items


def init_worker() -> None:
    """One thread per worker process: the processes already fill the cores, and BLAS threads
    on top of them only fight over the same cores."""
    threadpool_limits(1)


@dataclass(frozen=True)
class ItemResult:
    """One file of a unit: its hashes (None when unreadable), error and warnings, in walk order."""

    path: str
    size: int | None
    hashes: FileHashes | None
    error: str | None
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class UnitResult:
    ordinal: int
    unit_path: str
    bytes: int
    items: list[ItemResult]


def process_unit(
    ordinal: int, disk_file: DiskFile, options: HashOptions, limits: WalkLimits
) -> UnitResult:
    """Hash a disk file and its archive members; every failure becomes a per-file error."""
    if disk_file.error is not None:
        failed = ItemResult(disk_file.display, None, None, disk_file.error, ())
        return UnitResult(ordinal, disk_file.display, 0, [failed])
    items: list[ItemResult] = []
    unit_bytes = 0
    try:
        for item in iter_items(disk_file, limits):
            if item.error is not None:
                items.append(ItemResult(item.path, item.size, None, item.error, item.warnings))
                continue
            try:
                with item.open() as stream:
                    hashes = hash_stream(stream, item.path, options)
            except OSError as exc:
                items.append(
                    ItemResult(item.path, item.size, None, f"cannot read: {exc}", item.warnings)
                )
                continue
            if item.depth == 0:
                unit_bytes = hashes.size
            items.append(ItemResult(item.path, hashes.size, hashes, hashes.error, item.warnings))
    except Exception as exc:
        message = f"internal error while reading: {type(exc).__name__}: {exc}"
        items.append(ItemResult(disk_file.display, None, None, message, ()))
    return UnitResult(ordinal, disk_file.display, unit_bytes, items)
