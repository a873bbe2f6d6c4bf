"""Errors shared by the reader and its adapters."""

from __future__ import annotations

from dataclasses import dataclass


class ReaderError(ValueError):
    """The whole file cannot be read (missing file, missing columns, unknown format)."""


@dataclass(frozen=True)
class RowError:
    """A row that was not scored: its line (or row number) and why."""

    line: int
    reason: str
