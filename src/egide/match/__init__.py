"""Matching hashed files against banks: exact cryptographic lookup and PDQ range search."""

from egide.match.hits import Hit
from egide.match.matcher import DEFAULT_MIN_QUALITY, Matcher, MatchOptions, low_quality_note

__all__ = [
    "DEFAULT_MIN_QUALITY",
    "Hit",
    "MatchOptions",
    "Matcher",
    "low_quality_note",
]
