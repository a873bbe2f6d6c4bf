"""Shared paths and helpers for the egide.hashing tests (test data is read-only)."""

from __future__ import annotations

from pathlib import Path

PDQ_DIR = Path("/work/shared/testdata/threatexchange/pdq")
DATA = PDQ_DIR / "data"


def hamming(a: str, b: str) -> int:
    """Bits that differ between two 64-hex-digit PDQ hashes."""
    return bin(int(a, 16) ^ int(b, 16)).count("1")
