"""md5sum / sha1sum / sha256sum output, GNU (``hash  name``) and BSD (``MD5 (name) = hash``) styles.

The hash length tells the signal type: 32 hex characters md5, 40 sha1, 64 sha256.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from egide.formats.base import text_lines, write_not_supported
from egide.formats.records import ListEntry, RecordError
from egide.signals import CRYPTOGRAPHIC_BY_LENGTH

_GNU = re.compile(r"^\\?([0-9a-fA-F]+) [ *](.*)$")
_BSD = re.compile(r"^(MD5|SHA1|SHA256) ?\((.*)\) ?= ?([0-9a-fA-F]+)$", re.IGNORECASE)


def parse_hash_line(line: str) -> str:
    """The hash of one md5sum-style line; ValueError when it is not one."""
    gnu = _GNU.match(line)
    value = gnu.group(1) if gnu else None
    if value is None:
        bsd = _BSD.match(line)
        value = bsd.group(3) if bsd else None
    if value is None:
        raise ValueError(f"not a checksum line: {line[:80]!r}")
    if len(value) not in CRYPTOGRAPHIC_BY_LENGTH:
        raise ValueError(f"hash of {len(value)} characters is neither md5, sha1 nor sha256")
    return value


class Md5sumFormat:
    name = "md5sum"
    description = "md5sum/sha1sum/sha256sum text (GNU or BSD style); type from the hash length"
    can_write = False

    def read(self, source: BinaryIO) -> Iterator[ListEntry | RecordError]:
        for number, line in text_lines(source):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                value = parse_hash_line(line.strip())
            except ValueError as exc:
                yield RecordError(f"line {number}", str(exc))
                continue
            signal = CRYPTOGRAPHIC_BY_LENGTH[len(value)]
            yield ListEntry(signal.name, signal.normalise(value))

    def write(self, entries: Iterable[ListEntry], target: TextIO) -> int:
        raise write_not_supported(self.name)
