"""NIST NSRL RDSv3 (a SQLite database): a known-file bank to skip OS and application files.

An NSRL hit means "known software", not "innocent": entries get the category ``nsrl:KNOWN`` and
keep one file name, size and package id of the file in ``extra["nsrl"]``. The FILE table (or
view) is read grouped by its (sha256, sha1, md5) key, which is the head of its primary key, so
SQLite streams it in index order without sorting. SQLite needs a file: a stream that is not a
named file on disk (standard input) is first copied to a temporary file.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from egide.categories import Category
from egide.formats.base import write_not_supported
from egide.formats.records import ListEntry, RecordError
from egide.signals import get

CATEGORY = Category("nsrl", "KNOWN")
SIGNALS = ("sha256", "sha1", "md5")
EXTRA_KEY = "nsrl"
_QUERY = (
    "SELECT sha256, sha1, md5, MIN(file_name), MIN(file_size), MIN(package_id), COUNT(*) "
    "FROM FILE GROUP BY sha256, sha1, md5"
)


@contextmanager
def sqlite_path(source: BinaryIO) -> Iterator[Path]:
    """A path to the database: the open file's own path, or a temporary copy of the stream."""
    name = getattr(source, "name", None)
    if isinstance(name, str) and os.path.isfile(name):
        yield Path(name)
        return
    with tempfile.TemporaryDirectory(prefix="egide-nsrl-") as folder:
        path = Path(folder) / "rds.db"
        with path.open("wb") as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
        yield path


def _version(con: sqlite3.Connection) -> str | None:
    try:
        row = con.execute("SELECT version FROM VERSION LIMIT 1").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


class NsrlFormat:
    name = "nsrl"
    description = "NIST NSRL RDSv3 SQLite (FILE sha256/sha1/md5): known software, not innocent"
    can_write = False

    def __init__(self, signals: tuple[str, ...] = SIGNALS) -> None:
        self.signals = signals  # egide hashes files with all three; one is enough to match

    def read(self, source: BinaryIO) -> Iterator[ListEntry | RecordError]:
        with sqlite_path(source) as path:
            try:
                con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
                rows = con.execute(_QUERY)
            except sqlite3.Error as exc:
                yield RecordError("file", f"not an NSRL RDSv3 database: {exc}")
                return
            try:
                version = _version(con)
                yield from self._entries(rows, version)
            except sqlite3.Error as exc:
                yield RecordError("file", f"NSRL database read failed: {exc}")
            finally:
                con.close()

    def _entries(
        self, rows: Iterable[tuple[object, ...]], version: str | None
    ) -> Iterator[ListEntry | RecordError]:
        columns = {"sha256": 0, "sha1": 1, "md5": 2}
        for number, row in enumerate(rows, start=1):
            kept: dict[str, object] = {
                "file_name": row[3],
                "file_size": row[4],
                "package_id": row[5],
                "files": row[6],
            }
            if version:
                kept["rds_version"] = version
            extra: dict[str, object] = {EXTRA_KEY: kept}
            try:
                values = [(s, get(s).normalise(str(row[columns[s]]))) for s in self.signals]
            except ValueError as exc:
                yield RecordError(f"row {number}", str(exc))
                continue
            for signal, value in values:
                yield ListEntry(signal, value, CATEGORY, extra=extra)

    def write(self, entries: Iterable[ListEntry], target: TextIO) -> int:
        raise write_not_supported(self.name)
