"""Watchlist records: one shape for every list format, shared by travel and finance screening."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class WatchlistEntry:
    """One listed person. Dates may be partial because registries often only know the year."""

    id: str
    name: str
    aliases: tuple[str, ...]
    birth_date: str | None  # 'YYYY-MM-DD', 'YYYY-MM' or 'YYYY'
    nationality: str | None  # ISO 3166 alpha-2
    document_numbers: tuple[str, ...]
    source: str
    notes: str
    list_name: str


@dataclass(frozen=True)
class WatchlistError:
    """A record that could not be loaded, with where it is so the list owner can fix it."""

    position: str
    message: str


@dataclass
class Watchlist:
    """A loaded list: the good entries, and the bad records reported instead of dropped."""

    name: str
    entries: list[WatchlistEntry] = field(default_factory=list)
    errors: list[WatchlistError] = field(default_factory=list)
