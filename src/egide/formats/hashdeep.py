"""hashdeep / md5deep audit files: ``%%%% HASHDEEP-1.0``, then a ``%%%% size,md5,...`` header.

Every hash column egide knows (md5, sha1, sha256) becomes an entry; tiger and whirlpool are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from egide.formats.base import text_lines, write_not_supported
from egide.formats.records import ListEntry, RecordError
from egide.signals import get

_KNOWN = {"md5", "sha1", "sha256"}


class HashdeepFormat:
    name = "hashdeep"
    description = "hashdeep audit file (HASHDEEP-1.0 with its column header)"
    can_write = False

    def read(self, source: BinaryIO) -> Iterator[ListEntry | RecordError]:
        columns: list[str] | None = None
        for number, line in text_lines(source):
            stripped = line.strip()
            if not stripped or stripped.startswith("##"):
                continue
            if stripped.startswith("%%%%"):
                body = stripped[4:].strip()
                if body.upper().startswith("HASHDEEP"):
                    continue
                columns = [c.strip().lower() for c in body.split(",")]
                if columns[-1] != "filename" or not _KNOWN.intersection(columns):
                    yield RecordError(f"line {number}", f"unusable hashdeep header {body!r}")
                    columns = None
                continue
            if columns is None:
                yield RecordError(f"line {number}", "data line before the %%%% column header")
                continue
            fields = stripped.split(",", len(columns) - 1)
            if len(fields) != len(columns):
                yield RecordError(
                    f"line {number}", f"expected {len(columns)} fields, found {len(fields)}"
                )
                continue
            for column, field in zip(columns, fields, strict=True):
                if column not in _KNOWN:
                    continue
                try:
                    yield ListEntry(column, get(column).normalise(field))
                except ValueError as exc:
                    yield RecordError(f"line {number}, column {column}", str(exc))

    def write(self, entries: Iterable[ListEntry], target: TextIO) -> int:
        raise write_not_supported(self.name)
