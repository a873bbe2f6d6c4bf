"""egide's own CSV: ``signal_type,value,category_scheme,category,series`` (+ optional flags).

Optional columns ``victim_identified`` and ``baseline`` take true/false/yes/no/1/0 or empty.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from egide.categories import Category, parse_category
from egide.formats.base import csv_records
from egide.formats.records import ListEntry, RecordError
from egide.signals import get

REQUIRED = ("signal_type", "value", "category_scheme", "category", "series")
OPTIONAL = ("victim_identified", "baseline")
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}


def parse_flag(text: str | None, column: str) -> bool | None:
    cleaned = (text or "").strip().lower()
    if not cleaned:
        return None
    if cleaned in _TRUE:
        return True
    if cleaned in _FALSE:
        return False
    raise ValueError(f"{column} must be true or false, got {text!r}")


def _entry(row: dict[str, str | None]) -> ListEntry:
    signal = get(row.get("signal_type") or "")
    value = signal.normalise(row.get("value") or "")
    scheme = (row.get("category_scheme") or "").strip()
    code = (row.get("category") or "").strip()
    category: Category | None = None
    if scheme or code:
        if not (scheme and code):
            raise ValueError("category_scheme and category must be given together")
        category = parse_category(scheme, code)
    return ListEntry(
        signal.name,
        value,
        category,
        (row.get("series") or "").strip() or None,
        parse_flag(row.get("victim_identified"), "victim_identified"),
        parse_flag(row.get("baseline"), "baseline"),
    )


class EgideCsvFormat:
    name = "csv"
    description = "egide CSV: signal_type,value,category_scheme,category,series[,flags]"
    can_write = True

    def read(self, source: BinaryIO) -> Iterator[ListEntry | RecordError]:
        for item in csv_records(source, REQUIRED, "CSV"):
            if isinstance(item, RecordError):
                yield item
                continue
            line, row = item
            try:
                yield _entry(row)
            except ValueError as exc:
                yield RecordError(f"line {line}", str(exc))

    def write(self, entries: Iterable[ListEntry], target: TextIO) -> int:
        writer = csv.writer(target, lineterminator="\n")
        writer.writerow(REQUIRED + OPTIONAL)
        count = 0
        for e in entries:
            writer.writerow(
                [
                    e.signal_type,
                    e.value,
                    e.category.scheme if e.category else "",
                    e.category.code if e.category else "",
                    e.series or "",
                    "" if e.victim_identified is None else str(e.victim_identified).lower(),
                    "" if e.baseline is None else str(e.baseline).lower(),
                ]
            )
            count += 1
        return count
