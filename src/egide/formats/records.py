"""What a list format reads and writes: entries, and errors that name where they are."""

from __future__ import annotations

from dataclasses import dataclass, field

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
    # The media item a hash belongs to (VICS MediaID, ICSE Image ID): one picture often comes
    # with several hashes (MD5, SHA1, PhotoDNA), and exports group them back by this key.
    media_id: str | None = None
    offender_identified: bool | None = None
    is_distributed: bool | None = None
    # Format-specific metadata kept for a faithful export (e.g. VICS Exifs, MediaFiles).
    extra: dict[str, object] | None = field(default=None, hash=False)


@dataclass(frozen=True)
class RecordError:
    """A record that could not be read: ``position`` says where (e.g. ``line 12``)."""

    position: str
    message: str

    def __str__(self) -> str:
        return f"{self.position}: {self.message}"
