"""The VICS context line: which data-model version, profile and record kind a file holds.

OData puts the context first in the object, so reading the head of the stream is enough and the
records can then be streamed. The profile decides the category scheme: codes collide between
profiles, so an unknown profile is refused rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import BinaryIO

HEAD_BYTES = 1 << 20
_KEY = re.compile(rb'"(@odata\.context|odata\.metadata)"\s*:\s*"((?:[^"\\]|\\.)*)"')
_V2 = re.compile(r"/DataModels/2\.0\.xml/([^/]+)/\$metadata#(\w+)", re.IGNORECASE)
_V1 = re.compile(r"/DataModels/(1\.\d+)\.xml#(\w+)", re.IGNORECASE)

# v1.x files carry the older numbering (REFERENCE.md: DHS 0 uncategorised ... 5 non-pertinent);
# of the v2.0 profiles only US has a code table egide holds; the others keep their codes as given.
PROFILE_SCHEMES = {
    "US": "projectvic-us",
    "DEFAULT": "vics-default",
    "UK": "vics-uk",
    "CUSTOM": "vics-custom",
}
V1_SCHEME = "dhs"


@dataclass(frozen=True)
class VicsContext:
    version: str  # "1.2", "1.3", "2.0"
    profile: str | None  # "Default", "US", "UK", "CUSTOM" (v2.0 only)
    kind: str  # "Media" or "Cases"
    url: str


def parse_context(url: str) -> VicsContext:
    """The context of a context URL; ValueError when it is not a VICS Media or Cases context."""
    v2 = _V2.search(url)
    if v2:
        profile, kind = v2.group(1), v2.group(2)
        if profile.upper() not in PROFILE_SCHEMES:
            raise ValueError(f"unknown VICS 2.0 profile {profile!r} (Default, US, UK, CUSTOM)")
        version = "2.0"
    else:
        v1 = _V1.search(url)
        if not v1:
            raise ValueError(f"not a VICS context URL: {url[:200]!r}")
        version, kind, profile = v1.group(1), v1.group(2), None
    canonical = {"media": "Media", "cases": "Cases"}.get(kind.lower())
    if canonical is None:
        raise ValueError(f"VICS context names {kind!r}; egide reads #Media and #Cases")
    return VicsContext(version, profile, canonical, url)


def read_head(source: BinaryIO) -> tuple[bytes, VicsContext]:
    """The bytes read so far and the context found in them; ValueError when there is none."""
    head = b""
    while len(head) < HEAD_BYTES:
        chunk = source.read(65536)
        if not chunk:
            break
        head += chunk
        match = _KEY.search(head)
        if match:
            url = match.group(2).decode("utf-8", "replace").replace("\\/", "/")
            return head.removeprefix(b"\xef\xbb\xbf"), parse_context(url)
    raise ValueError("no VICS context (@odata.context or odata.metadata) at the start of the file")
