"""Signal types: the kinds of hash egide stores and matches, as small plug-ins.

Each type knows how to normalise and validate its values, so a bank never holds a malformed hash.
PhotoDNA is proprietary: egide stores and exchanges its values but cannot compute them.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

_HEX = re.compile(r"^[0-9a-f]+$")


@dataclass(frozen=True)
class SignalType:
    """A hash kind; ``hex_length`` is the length of a hex value, None for other encodings."""

    name: str
    description: str
    hex_length: int | None
    computed_by_egide: bool
    perceptual: bool = False

    def normalise(self, value: str) -> str:
        """The canonical form of ``value``; ValueError naming the problem when it is not valid."""
        cleaned = value.strip().lower()
        if self.hex_length is None:
            return value.strip()
        if len(cleaned) != self.hex_length or not _HEX.match(cleaned):
            raise ValueError(
                f"not a valid {self.name} value: expected {self.hex_length} hex characters, "
                f"got {value.strip()[:80]!r}"
            )
        return cleaned


@dataclass(frozen=True)
class PhotoDnaSignal(SignalType):
    """PhotoDNA: 144 bytes, exchanged as 288 hex or 192 base64 characters; kept as given hex."""

    def normalise(self, value: str) -> str:
        cleaned = value.strip()
        if len(cleaned) == 288 and _HEX.match(cleaned.lower()):
            return cleaned.lower()
        try:
            raw = base64.b64decode(cleaned, validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) != 144:
            raise ValueError(
                "not a valid photodna value: expected 144 bytes as 288 hex or 192 base64 characters"
            )
        return raw.hex()


MD5 = SignalType("md5", "MD5 of the file bytes", 32, True)
SHA1 = SignalType("sha1", "SHA-1 of the file bytes", 40, True)
SHA256 = SignalType("sha256", "SHA-256 of the file bytes", 64, True)
PDQ = SignalType("pdq", "Meta PDQ perceptual image hash (256 bits)", 64, True, perceptual=True)
#: A known video: the value is the SHA-256 of its frame hashes in the vPDQ text format (so the
#: same signature is one entry); the frames themselves live in ``video_signatures``.
VPDQ = SignalType("vpdq", "Meta vPDQ video signature (PDQ per frame)", 64, True, perceptual=True)
PHOTODNA = PhotoDnaSignal(
    "photodna", "Microsoft PhotoDNA (stored for interchange only)", None, False, perceptual=True
)

_REGISTRY: dict[str, SignalType] = {s.name: s for s in (MD5, SHA1, SHA256, PDQ, VPDQ, PHOTODNA)}


def register(signal_type: SignalType) -> None:
    """Add a signal type (a plug-in for a hash kind egide does not ship)."""
    _REGISTRY[signal_type.name] = signal_type


def get(name: str) -> SignalType:
    """The signal type called ``name`` (case-insensitive); ValueError listing the known ones."""
    key = name.strip().lower().replace("-", "")
    if key == "photodna" or key in _REGISTRY:
        return _REGISTRY[key]
    raise ValueError(f"unknown signal type {name!r}; known: {', '.join(sorted(_REGISTRY))}")


def all_types() -> list[SignalType]:
    return list(_REGISTRY.values())


CRYPTOGRAPHIC_BY_LENGTH = {MD5.hex_length: MD5, SHA1.hex_length: SHA1, SHA256.hex_length: SHA256}
