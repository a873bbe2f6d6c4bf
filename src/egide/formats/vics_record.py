"""One VICS Media record to list entries: one entry per hash, sharing the record's metadata.

A record is all or nothing: if any of its values is bad (a hash, the category, a flag) none of its
hashes go in, so a media item is never half imported. Fields egide has no column for (MediaSize,
Exifs, MediaFiles, Comments...) are kept verbatim in ``extra`` for a faithful export.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from egide.categories import Category, parse_category
from egide.formats.records import ListEntry
from egide.signals import SignalType, get

TOP_LEVEL_HASHES = {"MD5": "md5", "SHA1": "sha1", "PhotoDNA": "photodna"}
FLAGS = {
    "VictimIdentified": "victim_identified",
    "OffenderIdentified": "offender_identified",
    "IsDistributed": "is_distributed",
}
_TOP_LEVEL_SIGNALS: list[tuple[str, SignalType]] = [
    (field, get(name)) for field, name in TOP_LEVEL_HASHES.items()
]
# OData annotations egide writes for what VICS has no field for (see vics_write).
CATEGORY_ANNOTATION = "Category@egide.category"
BASELINE_ANNOTATION = "@egide.baseline"
CASE_ANNOTATION = "@egide.case"
HANDLED = frozenset(
    {
        "MediaID",
        "Category",
        "Series",
        "AlternativeHashes",
        CATEGORY_ANNOTATION,
        BASELINE_ANNOTATION,
        CASE_ANNOTATION,
        *TOP_LEVEL_HASHES,
        *FLAGS,
    }
)
# Keys of ListEntry.extra: other formats keep theirs under their own names.
FIELDS_KEY = "vics"  # the record's other fields, verbatim (MediaSize, Exifs, MediaFiles...)
ALTERNATIVE_KEY = "vics_alternative"  # the AlternativeHashes item an entry came from
CASE_KEY = "vics_case"  # the scalar fields of the #Cases record a media item came from


_BOOL_TEXT = {"true": True, "false": False}


def parse_bool(value: object, field: str) -> bool | None:
    """VICS booleans arrive as JSON booleans or as the strings "true"/"false"."""
    if value is None or value is True or value is False:
        return value  # type: ignore[return-value]
    if isinstance(value, str):
        parsed = _BOOL_TEXT.get(value.strip().lower())
        if parsed is not None:
            return parsed
    raise ValueError(f"{field} must be true or false, got {value!r}")


@lru_cache(maxsize=4096)
def _parse_category(scheme: str, code: str) -> Category:
    """Cached: a list of millions of records uses a handful of categories."""
    return parse_category(scheme, code)


def _category(value: object, scheme: str, annotation: object) -> Category | None:
    if type(value) is int:  # the usual case: a JSON number (never a bool: its type is bool)
        return _parse_category(scheme, str(value))
    if (value is None or value == "") and isinstance(annotation, str):
        annotated_scheme, _, code = annotation.partition(":")
        return parse_category(annotated_scheme, code)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str | float):
        raise ValueError(f"Category must be a number, got {value!r}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"Category must be a whole number, got {value!r}")
        value = int(value)
    return _parse_category(scheme, str(value).strip())


def _text(value: object, field: str) -> str | None:
    if value is None:
        return None
    if type(value) is int:
        return str(value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{field} must be text or a number, got {type(value).__name__}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def _hex_checker(signal: SignalType) -> Callable[[str], object] | None:
    """A precompiled whole-value check for a plain hex signal, None for any other."""
    if signal.hex_length is None or type(signal).normalise is not SignalType.normalise:
        return None
    return re.compile(f"[0-9a-f]{{{signal.hex_length}}}").fullmatch


# (field, signal name, hex check, signal) for MD5, SHA1, PhotoDNA
_TOP_LEVEL: list[tuple[str, str, Callable[[str], object] | None, SignalType]] = [
    (field, signal.name, _hex_checker(signal), signal) for field, signal in _TOP_LEVEL_SIGNALS
]


def _top_level(record: dict[str, Any]) -> list[tuple[str, str, object]]:
    """The MD5, SHA1 and PhotoDNA fields: the same values ``SignalType.normalise`` gives, with
    the usual well-formed hex checked by one precompiled match (normalise names a bad one)."""
    found: list[tuple[str, str, object]] = []
    get = record.get
    for field, name, check, signal in _TOP_LEVEL:
        raw = get(field)
        if raw is None or raw == "":
            continue
        if not isinstance(raw, str):
            raise ValueError(f"{field} must be a string")
        value = raw.strip().lower()
        if check is None or check(value) is None:
            value = signal.normalise(raw)
        found.append((name, value, None))
    return found


def _alternatives(record: dict[str, Any], found: list[tuple[str, str, object]]) -> list[object]:
    """Known AlternativeHashes appended to ``found``; the others returned, kept verbatim."""
    seen = {(name, value) for name, value, _ in found}
    top_level = {name for name, _, _ in found}
    kept: list[object] = []
    alternatives = record.get("AlternativeHashes") or []
    if not isinstance(alternatives, list):
        raise ValueError("AlternativeHashes must be a list")
    for item in alternatives:
        name = item.get("HashName") if isinstance(item, dict) else None
        try:
            kind = get(name) if isinstance(name, str) else None
        except ValueError:
            kind = None
        raw = item.get("HashValue") if isinstance(item, dict) else None
        if kind is None or not isinstance(raw, str) or not raw.strip():
            kept.append(item)  # a hash kind egide does not know (F1, NetClean...): kept verbatim
            continue
        try:
            value = kind.normalise(raw)
        except ValueError as exc:
            raise ValueError(f"AlternativeHashes {name}: {exc}") from None
        if (kind.name, value) in seen:
            kept.append(item)
            continue
        seen.add((kind.name, value))
        # Remember the item when the export could not rebuild it: it carries more than a name and
        # a value, or its kind has a top-level field that this record left empty.
        plain = set(item) <= {"HashName", "HashValue"}
        top_free = kind.name in TOP_LEVEL_HASHES.values() and kind.name not in top_level
        found.append((kind.name, value, None if plain and not top_free else item))
    return kept


def _flag(record: dict[str, Any], field: str) -> bool | None:
    value = record.get(field)
    if value is None or value is True or value is False:
        return value  # type: ignore[return-value]
    return parse_bool(value, field)


def record_entries(
    record: object, scheme: str, case: dict[str, object] | None = None
) -> list[ListEntry]:
    """The entries of one Media record; ValueError naming the first bad value."""
    if not isinstance(record, dict):
        raise ValueError(f"a Media record must be an object, got {type(record).__name__}")
    hashes = _top_level(record)
    unknown_alternatives = _alternatives(record, hashes) if "AlternativeHashes" in record else []
    if not hashes:
        raise ValueError("no MD5, SHA1, PhotoDNA or known alternative hash")
    category = _category(record.get("Category"), scheme, record.get(CATEGORY_ANNOTATION))
    victim = _flag(record, "VictimIdentified")
    offender = _flag(record, "OffenderIdentified")
    distributed = _flag(record, "IsDistributed")
    baseline = _flag(record, BASELINE_ANNOTATION)
    series = _text(record.get("Series"), "Series")
    media_id = _text(record.get("MediaID"), "MediaID")
    fields: dict[str, object] = {k: v for k, v in record.items() if k not in HANDLED}
    if unknown_alternatives:
        fields["AlternativeHashes"] = unknown_alternatives
    base: dict[str, object] = {FIELDS_KEY: fields} if fields else {}
    case = case or record.get(CASE_ANNOTATION)
    if isinstance(case, dict) and case:
        base[CASE_KEY] = case
    extra = base or None
    return [
        ListEntry(
            signal,
            value,
            category,
            series,
            victim,
            baseline,
            media_id,
            offender,
            distributed,
            extra if alternative is None else dict(base, **{ALTERNATIVE_KEY: alternative}),
        )
        for signal, value, alternative in hashes
    ]
