"""CSV watchlists (issue 6 §2): one row per person, multi-valued cells separated by '|'."""

from __future__ import annotations

import csv
from pathlib import Path

from egide.watchlists.model import Watchlist, WatchlistEntry, WatchlistError
from egide.watchlists.values import (
    ValueError_,
    normalise_birth_date,
    normalise_country,
    normalise_document,
    split_multi,
)

COLUMNS = (
    "id",
    "name",
    "aliases",
    "birth_date",
    "nationality",
    "document_numbers",
    "source",
    "notes",
)
REQUIRED = ("id", "name")


def load_csv(path: Path, list_name: str) -> Watchlist:
    """Load every good row; each bad row becomes a WatchlistError naming its line."""
    wl = Watchlist(name=list_name)
    seen: set[str] = set()
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            wl.errors.append(WatchlistError("line 1", f"missing column(s): {', '.join(missing)}"))
            return wl
        reader.fieldnames = header
        unknown = [h for h in header if h not in COLUMNS]
        if unknown:
            wl.errors.append(
                WatchlistError("line 1", f"unknown column(s) ignored: {', '.join(unknown)}")
            )
        for row in reader:
            position = f"line {reader.line_num}"
            if None in row:
                wl.errors.append(WatchlistError(position, "more cells than header columns"))
                continue
            try:
                entry = _entry(row, list_name)
            except ValueError_ as exc:
                wl.errors.append(WatchlistError(position, str(exc)))
                continue
            if entry.id in seen:
                wl.errors.append(WatchlistError(position, f"duplicate id {entry.id!r}"))
                continue
            seen.add(entry.id)
            wl.entries.append(entry)
    return wl


def _entry(row: dict[str, str], list_name: str) -> WatchlistEntry:
    def cell(key: str) -> str:
        return (row.get(key) or "").strip()

    if not cell("id"):
        raise ValueError_("empty id")
    if not cell("name"):
        raise ValueError_("empty name")
    return WatchlistEntry(
        id=cell("id"),
        name=cell("name"),
        aliases=split_multi(cell("aliases")),
        birth_date=normalise_birth_date(cell("birth_date")),
        nationality=normalise_country(cell("nationality")),
        document_numbers=tuple(
            normalise_document(d) for d in split_multi(cell("document_numbers"))
        ),
        source=cell("source"),
        notes=cell("notes"),
        list_name=list_name,
    )
