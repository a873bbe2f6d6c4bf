"""What a list format reads and writes: entries, and errors that name where they are."""

from __future__ import annotations

from dataclasses import dataclass

from egide.categories import Category


@dataclass(frozen=True)
class ListEntry:
    """One hash of a list, already validated and normalised for its signal type."""

    signal_type: str
    value: str
    category: Category | None = None
    series: str | None = None
    victim_identified: bool | None = None
    baseline: bool | None = None


@dataclass(frozen=True)
class RecordError:
    """A record that could not be read: ``position`` says where (e.g. ``line 12``)."""

    position: str
    message: str

    def __str__(self) -> str:
        return f"{self.position}: {self.message}"
