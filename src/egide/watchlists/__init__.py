"""Offender watchlists (CSV and FollowTheMoney), loaded once for travel and financial screening."""

from __future__ import annotations

import csv
from pathlib import Path

from egide.watchlists.csv_loader import COLUMNS, load_csv
from egide.watchlists.ftm_loader import load_ftm
from egide.watchlists.model import Watchlist, WatchlistEntry, WatchlistError
from egide.watchlists.values import normalise_country, normalise_document

__all__ = [
    "COLUMNS",
    "Watchlist",
    "WatchlistEntry",
    "WatchlistError",
    "WatchlistFormatError",
    "load_watchlist",
    "normalise_country",
    "normalise_document",
    "write_csv",
]

FTM_SUFFIXES = (".jsonl", ".ftm.json", ".ndjson")


class WatchlistFormatError(ValueError):
    """The file as a whole cannot be read as a watchlist (missing, unknown format)."""


def load_watchlist(path: Path) -> Watchlist:
    """Load a CSV or FollowTheMoney JSON-lines list, named after the file; bad rows are listed."""
    path = Path(path)
    if not path.is_file():
        raise WatchlistFormatError(f"watchlist {path}: no such file")
    name = path.name
    for suffix in (*FTM_SUFFIXES, ".csv"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    lower = path.name.lower()
    try:
        if lower.endswith(FTM_SUFFIXES):
            return load_ftm(path, name)
        if lower.endswith(".csv"):
            return load_csv(path, name)
    except UnicodeDecodeError as exc:
        raise WatchlistFormatError(f"watchlist {path}: not UTF-8 ({exc.reason})") from None
    raise WatchlistFormatError(f"watchlist {path}: unknown format (use .csv, .jsonl or .ftm.json)")


def write_csv(entries: list[WatchlistEntry], path: Path) -> None:
    """Write entries in the CSV format load_watchlist reads (used by the synthetic generator)."""
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for e in entries:
            writer.writerow(
                [
                    e.id,
                    e.name,
                    "|".join(e.aliases),
                    e.birth_date or "",
                    e.nationality or "",
                    "|".join(e.document_numbers),
                    e.source,
                    e.notes,
                ]
            )
