"""Interpol ICSE CSV: ``;``-separated, one row per media item with its MD5, SHA1 and PhotoDNA.

Each hash of a row becomes an entry with media_id = Image ID. The Baseline column sets the
baseline flag and the ``interpol-baseline`` category (1 baseline, 0 not); ICSE has no other
category. Number of submissions, File Available and Media Type are kept in ``extra["icse"]``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from egide.categories import Category, map_category
from egide.formats.base import csv_records
from egide.formats.egide_csv import parse_flag
from egide.formats.grouping import group_by_media
from egide.formats.records import ListEntry, RecordError
from egide.signals import get

HEADER = (
    "MD5",
    "SHA1",
    "PhotoDNA",
    "Image ID",
    "Is distributed",
    "Victim identified",
    "Offender identified",
    "Series name",
    "Number of submissions",
    "File Available",
    "Media Type",
    "Baseline",
)
HASH_COLUMNS = {"MD5": "md5", "SHA1": "sha1", "PhotoDNA": "photodna"}
KEPT = ("Number of submissions", "File Available", "Media Type")
EXTRA_KEY = "icse"
SCHEME = "interpol-baseline"


def _row_entries(row: dict[str, str | None]) -> list[ListEntry]:
    hashes = []
    for column, signal in HASH_COLUMNS.items():
        raw = (row.get(column) or "").strip()
        if raw:
            try:
                hashes.append((signal, get(signal).normalise(raw)))
            except ValueError as exc:
                raise ValueError(f"{column}: {exc}") from None
    if not hashes:
        raise ValueError("no MD5, SHA1 or PhotoDNA")
    baseline = parse_flag(row.get("Baseline"), "Baseline")
    category = None if baseline is None else Category(SCHEME, "1" if baseline else "0")
    kept = {c: row[c] for c in KEPT if (row.get(c) or "").strip()}
    extra: dict[str, object] | None = {EXTRA_KEY: kept} if kept else None
    return [
        ListEntry(
            signal,
            value,
            category,
            (row.get("Series name") or "").strip() or None,
            parse_flag(row.get("Victim identified"), "Victim identified"),
            baseline,
            (row.get("Image ID") or "").strip() or None,
            parse_flag(row.get("Offender identified"), "Offender identified"),
            parse_flag(row.get("Is distributed"), "Is distributed"),
            extra,
        )
        for signal, value in hashes
    ]


def _flag(value: object) -> str:
    return "" if value is None else str(value).lower()


def _first(group: list[ListEntry], attr: str) -> object:
    return next((getattr(e, attr) for e in group if getattr(e, attr) is not None), None)


def icse_rows(group: list[ListEntry]) -> Iterator[list[str]]:
    """The rows of one media item: the first hash of each kind shares a row, others follow."""
    slots: list[dict[str, str]] = []
    others = 0
    for entry in group:
        column = next((c for c, s in HASH_COLUMNS.items() if s == entry.signal_type), None)
        if column is None:
            others += 1  # sha256, pdq: ICSE has no column for them
            continue
        value = entry.value.upper() if column != "PhotoDNA" else entry.value
        slot = next((s for s in slots if column not in s), None)
        if slot is None:
            slot = {}
            slots.append(slot)
        slot[column] = value
    baseline = _first(group, "baseline")
    category = _first(group, "category")
    if baseline is None and isinstance(category, Category):
        mapped = map_category(category, SCHEME)
        baseline = None if mapped is None else mapped.code == "1"
    extra = _first(group, "extra")
    kept = extra.get(EXTRA_KEY, {}) if isinstance(extra, dict) else {}
    kept = kept if isinstance(kept, dict) else {}
    media_id = group[0].media_id or ""
    series = _first(group, "series")
    for slot in slots:
        yield [
            slot.get("MD5", ""),
            slot.get("SHA1", ""),
            slot.get("PhotoDNA", ""),
            media_id,
            _flag(_first(group, "is_distributed")),
            _flag(_first(group, "victim_identified")),
            _flag(_first(group, "offender_identified")),
            str(series) if series is not None else "",
            str(kept.get("Number of submissions", "")),
            str(kept.get("File Available", "")),
            str(kept.get("Media Type", "")),
            _flag(baseline),
        ]


class IcseFormat:
    name = "icse"
    description = "Interpol ICSE CSV (';'-separated, MD5;SHA1;PhotoDNA;Image ID;...;Baseline)"
    can_write = True

    def read(self, source: BinaryIO) -> Iterator[ListEntry | RecordError]:
        for item in csv_records(source, HEADER, "ICSE", delimiter=";"):
            if isinstance(item, RecordError):
                yield item
                continue
            line, row = item
            try:
                yield from _row_entries(row)
            except ValueError as exc:
                yield RecordError(f"line {line}", str(exc))

    def write(self, entries: Iterable[ListEntry], target: TextIO) -> int:
        """Write ICSE rows; sha256 and PDQ entries have no ICSE column and are not counted."""
        writer = csv.writer(target, delimiter=";", lineterminator="\n")
        writer.writerow(HEADER)
        count = 0
        for group in group_by_media(entries):
            for row in icse_rows(group):
                writer.writerow(row)
                count += sum(1 for value in row[:3] if value)
        return count
