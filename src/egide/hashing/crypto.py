"""Cryptographic digests computed in one streaming pass, so file size never bounds memory."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

#: Bytes read per call; 1 MiB keeps syscall overhead low and memory constant.
CHUNK_SIZE = 1 << 20


@dataclass(slots=True)
class Digests:
    """MD5, SHA-1 and SHA-256 fed together: hash lists from hotlines use all three."""

    size: int = 0
    _md5: Any = field(default_factory=hashlib.md5)
    _sha1: Any = field(default_factory=hashlib.sha1)
    _sha256: Any = field(default_factory=hashlib.sha256)

    def update(self, data: bytes | bytearray | memoryview) -> None:
        """Feed the next piece of the content."""
        self.size += len(data)
        self._md5.update(data)
        self._sha1.update(data)
        self._sha256.update(data)

    def hexdigests(self) -> tuple[str, str, str]:
        """(md5, sha1, sha256) as lowercase hex."""
        return self._md5.hexdigest(), self._sha1.hexdigest(), self._sha256.hexdigest()
