"""Building small VICS files for the tests (synthetic hashes only)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence

from egide.formats import ListEntry, RecordError, get_format

V2 = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/{}/$metadata#{}"
V1 = "http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#{}"
MD5 = "192DB5CECD7AC2A2FD02F903A27A5FCD"
SHA1 = "1407C5674DC7DA55419C64C5375907991EC6011F"
SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
PDQ = "f" * 64
PHOTODNA_BYTES = bytes(range(144))


def vics(records: Sequence[object], profile: str = "US", kind: str = "Media") -> bytes:
    return json.dumps({"@odata.context": V2.format(profile, kind), "value": list(records)}).encode()


def vics_v1(records: Sequence[object], kind: str = "Media") -> bytes:
    return json.dumps({"odata.metadata": V1.format(kind), "value": list(records)}).encode()


def read(data: bytes, name: str = "vics") -> list[ListEntry | RecordError]:
    return list(get_format(name).read(io.BytesIO(data)))


def entries(items: list[ListEntry | RecordError]) -> list[ListEntry]:
    return [i for i in items if isinstance(i, ListEntry)]


def errors(items: list[ListEntry | RecordError]) -> list[RecordError]:
    return [i for i in items if isinstance(i, RecordError)]
