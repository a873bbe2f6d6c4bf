"""Matching hashed files against banks: exact cryptographic lookup and PDQ range search, allow
banks that suppress reviewed false positives, and flood quarantine."""

from egide.match.flood import FloodGuard, FloodPolicy, QuarantineEvent
from egide.match.hits import Hit
from egide.match.matcher import (
    DEFAULT_MIN_QUALITY,
    FileMatch,
    Matcher,
    MatchOptions,
    low_quality_note,
)
from egide.match.quarantine import quarantine_entry, quarantined_entries, release_entry

__all__ = [
    "DEFAULT_MIN_QUALITY",
    "FileMatch",
    "FloodGuard",
    "FloodPolicy",
    "Hit",
    "MatchOptions",
    "Matcher",
    "QuarantineEvent",
    "low_quality_note",
    "quarantine_entry",
    "quarantined_entries",
    "release_entry",
]
