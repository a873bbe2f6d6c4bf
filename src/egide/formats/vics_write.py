"""Writing entries as a VICS #Media file: the hashes of one media item become one record.

v2.0 (``@odata.context``, by default) or v1.x (``odata.metadata``, version ``1.0`` to ``1.9``:
no profiles, categories in the older DHS numbering). For v2.0 the profile (and so the category
scheme) comes from the writer, or from the first categorised entry. A category of another
scheme is converted only through the mapping table; when no row holds, it is kept as the OData
annotation ``Category@egide.category`` ("scheme:code"), never guessed. egide's baseline flag,
which VICS lacks, travels as ``@egide.baseline``.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from typing import TextIO

from egide.categories import Category, map_category
from egide.formats.grouping import group_by_media
from egide.formats.records import ListEntry
from egide.formats.vics_context import PROFILE_SCHEMES, V1_SCHEME
from egide.formats.vics_record import (
    ALTERNATIVE_KEY,
    BASELINE_ANNOTATION,
    CASE_ANNOTATION,
    CASE_KEY,
    CATEGORY_ANNOTATION,
    FIELDS_KEY,
    FLAGS,
    TOP_LEVEL_HASHES,
)

CONTEXT = "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/{}/$metadata#Media"
V1_CONTEXT = "http://github.com/ICMEC/ProjectVic/DataModels/{}.xml#Media"
_V1_VERSION = re.compile(r"^1\.[0-9]$")
PROFILE_NAMES = {"US": "US", "DEFAULT": "Default", "UK": "UK", "CUSTOM": "CUSTOM"}
HASH_NAMES = {
    "md5": "MD5",
    "sha1": "SHA1",
    "sha256": "SHA256",
    "pdq": "PDQ",
    "photodna": "PhotoDNA",
}
_FIELD_OF_SIGNAL = {signal: field for field, signal in TOP_LEVEL_HASHES.items()}
LOOKAHEAD = 10_000
_CANONICAL_INT = re.compile(r"^(0|[1-9][0-9]{0,17})$")


def vics_value(signal: str, value: str) -> str:
    """A normalised egide value as VICS files write it: upper-case hex, PhotoDNA in base64."""
    if signal in ("md5", "sha1"):
        return value.upper()
    if signal == "photodna":
        return base64.b64encode(bytes.fromhex(value)).decode("ascii")
    return value


def _profile_of(category: Category) -> str:
    for profile, scheme in PROFILE_SCHEMES.items():
        if category.scheme == scheme:
            return PROFILE_NAMES[profile]
    return "US"


def choose_profile(entries: Iterable[ListEntry]) -> tuple[str, Iterator[ListEntry]]:
    """The profile of the first categorised entry among the first few (Default when none)."""
    iterator = iter(entries)
    head = list(islice(iterator, LOOKAHEAD))
    first = next((e.category for e in head if e.category is not None), None)
    return (_profile_of(first) if first else "Default"), chain(head, iterator)


def _number_or_text(text: str) -> int | str:
    """VICS writes ids and codes as JSON numbers: a canonical decimal goes back out as one."""
    return int(text) if _CANONICAL_INT.match(text) else text


def _alternative(entry: ListEntry) -> dict[str, object]:
    item = (entry.extra or {}).get(ALTERNATIVE_KEY)
    fresh: dict[str, object] = {"HashName": HASH_NAMES.get(entry.signal_type, entry.signal_type)}
    if isinstance(item, dict):
        fresh = dict(item)
    fresh["HashValue"] = vics_value(entry.signal_type, entry.value)
    return fresh


def media_record(group: list[ListEntry], scheme: str) -> dict[str, object]:
    """One Media record from the entries of one media item."""
    first = group[0]
    record: dict[str, object] = {}
    if first.media_id is not None:
        record["MediaID"] = _number_or_text(first.media_id)
    category = next((e.category for e in group if e.category is not None), None)
    if category is not None:
        mapped = map_category(category, scheme)
        if mapped is not None:
            record["Category"] = _number_or_text(mapped.code)
        else:
            record[CATEGORY_ANNOTATION] = f"{category.scheme}:{category.code}"
    alternatives: list[object] = []
    for entry in group:
        field = _FIELD_OF_SIGNAL.get(entry.signal_type)
        from_alternatives = entry.extra is not None and ALTERNATIVE_KEY in entry.extra
        if field is not None and field not in record and not from_alternatives:
            record[field] = vics_value(entry.signal_type, entry.value)
        else:
            alternatives.append(_alternative(entry))
    series = next((e.series for e in group if e.series is not None), None)
    if series is not None:
        record["Series"] = series
    for field, attr in FLAGS.items():
        flag = next((getattr(e, attr) for e in group if getattr(e, attr) is not None), None)
        if flag is not None:
            record[field] = flag
    baseline = next((e.baseline for e in group if e.baseline is not None), None)
    if baseline is not None:
        record[BASELINE_ANNOTATION] = baseline
    extra = first.extra or {}
    fields = extra.get(FIELDS_KEY)
    for key, value in (fields if isinstance(fields, dict) else {}).items():
        if key == "AlternativeHashes" and isinstance(value, list):
            alternatives = list(value) + alternatives
        elif key not in record:
            record[key] = value
    if isinstance(extra.get(CASE_KEY), dict):
        record[CASE_ANNOTATION] = extra[CASE_KEY]
    if alternatives:
        record["AlternativeHashes"] = alternatives
    return record


def _header(profile: str | None, version: str) -> tuple[str, str]:
    """(first bytes of the file, category scheme) for a version and profile."""
    if _V1_VERSION.match(version):
        if profile is not None:
            raise ValueError("VICS v1.x has no profiles; --profile applies to v2.0")
        return '{"odata.metadata":' + json.dumps(V1_CONTEXT.format(version)), V1_SCHEME
    if version != "2.0":
        raise ValueError(f"unknown VICS version {version!r} (2.0, or 1.0 to 1.9)")
    assert profile is not None
    key = profile.upper()
    if key not in PROFILE_SCHEMES:
        raise ValueError(f"unknown VICS profile {profile!r} (Default, US, UK, CUSTOM)")
    context = json.dumps(CONTEXT.format(PROFILE_NAMES[key]))
    return '{"@odata.context":' + context, PROFILE_SCHEMES[key]


def check_options(profile: str | None, version: str) -> None:
    """ValueError naming the problem when a version/profile pair cannot be written."""
    _header(profile if profile is not None or version != "2.0" else "US", version)


def write_vics(
    entries: Iterable[ListEntry],
    target: TextIO,
    profile: str | None = None,
    version: str = "2.0",
) -> int:
    """Stream a VICS #Media file; returns the number of entries written."""
    if profile is None and version == "2.0":
        profile, entries = choose_profile(entries)
    head, scheme = _header(profile, version)
    target.write(head + ',"value":[')
    count = 0
    for number, group in enumerate(group_by_media(entries)):
        target.write(",\n" if number else "\n")
        target.write(json.dumps(media_record(group, scheme), ensure_ascii=False))
        count += len(group)
    target.write("\n]}\n")
    return count
