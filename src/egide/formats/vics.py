"""Project VIC VICS JSON: v1.x (``odata.metadata``), v2.0 (``@odata.context``), #Media, #Cases.

Records are streamed with ijson (yajl2 C backend), so a file of millions of records is read in
constant memory. A bad record is reported as ``record N`` (``case N, media M`` in #Cases) and the
others go on; broken JSON ends the read with an error saying after which record it broke.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, TextIO

import ijson  # type: ignore[import-untyped]

from egide.formats.records import ListEntry, RecordError
from egide.formats.vics_context import PROFILE_SCHEMES, V1_SCHEME, VicsContext, read_head
from egide.formats.vics_record import record_entries
from egide.formats.vics_write import write_vics

_MEDIA = "value.item.Media.item"
_SCALARS = {"string", "number", "boolean", "null"}


class _Prepended:
    """A stream that first returns the bytes already read to find the context."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson probes with read(0) to tell bytes from text
            return b""
        if self._head:
            out, self._head = self._head, b""
            return out
        return self._rest.read(size)


def category_scheme(context: VicsContext, v1_scheme: str = V1_SCHEME) -> str:
    """The category scheme of a file: by its v2.0 profile, or ``v1_scheme`` for v1.x files."""
    if context.profile is None:
        return v1_scheme
    return PROFILE_SCHEMES[context.profile.upper()]


def _position(record: dict[str, Any] | object, where: str) -> str:
    media_id = record.get("MediaID") if isinstance(record, dict) else None
    return f"{where} (MediaID {media_id})" if media_id is not None else where


class VicsFormat:
    name = "vics"
    description = "Project VIC VICS JSON (v1.x, v2.0 Media/Cases); writes v2.0 or v1.x Media"
    can_write = True

    def __init__(
        self, v1_scheme: str = V1_SCHEME, profile: str | None = None, version: str = "2.0"
    ) -> None:
        self.v1_scheme = v1_scheme
        self.profile = profile  # profile written on export; None: from the entries' categories
        self.version = version  # written on export: "2.0", or "1.x" (e.g. "1.3")

    def read(self, source: BinaryIO) -> Iterator[ListEntry | RecordError]:
        try:
            head, context = read_head(source)
        except ValueError as exc:
            yield RecordError("file", str(exc))
            return
        scheme = category_scheme(context, self.v1_scheme)
        stream = _Prepended(head, source)
        counter = [0]
        try:
            if context.kind == "Media":
                yield from _read_media(stream, scheme, counter)
            else:
                yield from _read_cases(stream, scheme, counter)
        except ijson.JSONError as exc:
            yield RecordError(f"after record {counter[0]}", f"malformed JSON: {exc}")

    def write(self, entries: Iterable[ListEntry], target: TextIO) -> int:
        return write_vics(entries, target, self.profile, self.version)


def _entries_or_error(
    record: object, scheme: str, where: str, case: dict[str, object] | None = None
) -> Iterator[ListEntry | RecordError]:
    try:
        entries = record_entries(record, scheme, case)
    except ValueError as exc:
        yield RecordError(_position(record, where), str(exc))
        return
    yield from entries


def _read_media(
    stream: _Prepended, scheme: str, counter: list[int]
) -> Iterator[ListEntry | RecordError]:
    """One flat loop (no generator per record): millions of records go through here."""
    number = 0
    try:
        for record in ijson.items(stream, "value.item", use_float=True):
            number += 1
            try:
                entries = record_entries(record, scheme)
            except ValueError as exc:
                yield RecordError(_position(record, f"record {number}"), str(exc))
                continue
            yield from entries
    finally:
        counter[0] = number


def _read_cases(
    stream: _Prepended, scheme: str, counter: list[int]
) -> Iterator[ListEntry | RecordError]:
    """Cases are walked event by event so that a case of a million media is never built whole.

    The case's scalar fields seen before its Media list are kept with each media item.
    """
    case_number = media_number = 0
    case: dict[str, object] = {}
    builder: Any = None
    for prefix, event, value in ijson.parse(stream, use_float=True):
        if builder is not None:
            builder.event(event, value)
            if prefix == _MEDIA and event == "end_map":
                media_number += 1
                counter[0] += 1
                where = f"case {case_number}, media {media_number}"
                yield from _entries_or_error(builder.value, scheme, where, dict(case) or None)
                builder = None
            continue
        if prefix == _MEDIA:
            if event == "start_map":
                builder = ijson.ObjectBuilder()
                builder.event(event, value)
            elif event in _SCALARS or event == "start_array":
                media_number += 1
                counter[0] += 1
                yield RecordError(
                    f"case {case_number}, media {media_number}", "a Media record must be an object"
                )
        elif prefix == "value.item" and event == "start_map":
            case_number += 1
            media_number = 0
            case = {}
        elif prefix.startswith("value.item.") and event in _SCALARS:
            key = prefix[len("value.item.") :]
            if "." not in key:
                case[key] = value
