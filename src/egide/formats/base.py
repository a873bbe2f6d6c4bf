"""The list-format seam: each hash-list format is a plug-in that reads (and maybe writes) entries.

Readers stream: they yield entries and errors one at a time, so a list of millions of entries is
read in constant memory, and a bad record never stops the good ones.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO, Protocol, TextIO

from egide.formats.records import ListEntry, RecordError


class FormatError(ValueError):
    """A whole list cannot be read or written in a format (unknown format, missing header...)."""


class ListFormat(Protocol):
    name: str
    description: str
    can_write: bool

    def read(self, source: BinaryIO) -> Iterator[ListEntry | RecordError]: ...

    def write(self, entries: Iterable[ListEntry], target: TextIO) -> int: ...


_FORMATS: dict[str, ListFormat] = {}


def register_format(fmt: ListFormat) -> None:
    _FORMATS[fmt.name] = fmt


def get_format(name: str) -> ListFormat:
    try:
        return _FORMATS[name]
    except KeyError:
        raise FormatError(
            f"unknown list format {name!r}; known: {', '.join(sorted(_FORMATS))}"
        ) from None


def all_formats() -> list[ListFormat]:
    return list(_FORMATS.values())


def text_lines(source: BinaryIO) -> Iterator[tuple[int, str]]:
    """Numbered lines of a UTF-8 text stream (a BOM is dropped; bad bytes become U+FFFD)."""
    text = io.TextIOWrapper(source, encoding="utf-8-sig", errors="replace", newline="")
    for number, line in enumerate(text, start=1):
        yield number, line.rstrip("\r\n")
    text.detach()


def csv_records(
    source: BinaryIO, required: Sequence[str], label: str, delimiter: str = ","
) -> Iterator[tuple[int, dict[str, str | None]] | RecordError]:
    """(line, row) of a CSV list with a header, or errors naming the line: a header that lacks
    a required column stops the list; a row with more fields than the header is skipped."""
    text = io.TextIOWrapper(source, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.DictReader(text, delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        yield RecordError("line 1", f"{label} header lacks column(s) {', '.join(missing)}")
        return
    reader.fieldnames = header
    for row in reader:
        if row.get(None):  # type: ignore[call-overload]
            yield RecordError(f"line {reader.line_num}", "more fields than header columns")
            continue
        yield reader.line_num, row
    text.detach()


def write_not_supported(name: str) -> FormatError:
    return FormatError(f"list format {name!r} can be read but not written")
