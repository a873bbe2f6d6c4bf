"""Matching hashed files against banks: exact lookup for cryptographic hashes, Hamming range
search for PDQ (per-bank threshold, low-quality hashes skipped, optional dihedral variants)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from egide.banks import get_bank
from egide.hashing import DIHEDRAL_ORDER, FileHashes
from egide.index import HammingIndex, hex_to_codes
from egide.match.cache import load_bank_index
from egide.match.flood import FloodGuard, FloodPolicy, QuarantineEvent
from egide.match.hits import Hit
from egide.match.quarantine import quarantine_entry
from egide.store import Bank, BankEntry

CRYPTO_SIGNALS = ("md5", "sha1", "sha256")
DEFAULT_MIN_QUALITY = 50


EntryRows = Callable[[Session, Sequence[int]], dict[int, BankEntry]]
"""Live (enabled, not quarantined) entries by id: how a matcher reads the rows behind PDQ hits."""


def live_entry_rows(session: Session, entry_ids: Sequence[int]) -> dict[int, BankEntry]:
    """The entries among ``entry_ids`` that may match, read from the database."""
    return {
        row.id: row
        for row in session.scalars(
            select(BankEntry).where(
                BankEntry.id.in_(entry_ids),
                BankEntry.enabled.is_(True),
                BankEntry.quarantined_at.is_(None),
            )
        ).all()
    }


@dataclass(frozen=True)
class MatchOptions:
    dihedral: bool = False
    min_quality: int = DEFAULT_MIN_QUALITY
    flood: FloodPolicy | None = None


@dataclass(frozen=True)
class FileMatch:
    """The hits of one file; ``allowed`` holds allow-bank hits, which suppress all others."""

    hits: list[Hit]
    allowed: list[Hit]


class Matcher:
    """Matches batches of FileHashes against a fixed set of banks."""

    def __init__(
        self,
        session: Session,
        banks: Sequence[Bank],
        indexes: dict[int, HammingIndex],
        options: MatchOptions,
        entry_rows: EntryRows = live_entry_rows,
    ) -> None:
        """``entry_rows`` reads the entries behind PDQ hits (the service passes a per-snapshot
        cache, so a repeated hit costs no query)."""
        self._session = session
        self._entry_rows = entry_rows
        self._banks = {bank.id: bank for bank in banks}
        self._banks_by_name = {bank.name: bank for bank in banks}
        self._indexes = indexes
        self.options = options
        self._guard = FloodGuard(options.flood) if options.flood else None
        self._quarantined: set[int] = set()
        self.quarantine_events: list[QuarantineEvent] = []

    @property
    def banks(self) -> list[Bank]:
        return list(self._banks.values())

    @classmethod
    def load(
        cls,
        session: Session,
        bank_names: Sequence[str],
        options: MatchOptions = MatchOptions(),
        cache_dir: Path | None = None,
    ) -> Matcher:
        banks = [get_bank(session, name) for name in bank_names]
        url = session.get_bind().engine.url.render_as_string(hide_password=True)
        database_id = hashlib.sha256(url.encode()).hexdigest()[:12]
        indexes = {
            bank.id: load_bank_index(session, bank, cache_dir, database_id)
            for bank in banks
            if bank.enabled
        }
        return cls(session, banks, indexes, options)

    def _hit(self, row: BankEntry, distance: int, variant: str | None) -> Hit:
        return Hit.of_entry(row, self._banks[row.bank_id].name, distance, variant)

    def _exact(self, records: Sequence[FileHashes]) -> list[list[Hit]]:
        values = sorted({getattr(r, signal) for r in records for signal in CRYPTO_SIGNALS} - {None})
        found: dict[tuple[str, str], list[BankEntry]] = {}
        if values and self._indexes:
            rows = self._session.scalars(
                select(BankEntry).where(
                    BankEntry.bank_id.in_(list(self._indexes)),
                    BankEntry.enabled.is_(True),
                    BankEntry.quarantined_at.is_(None),
                    BankEntry.signal_type.in_(CRYPTO_SIGNALS),
                    BankEntry.value.in_(values),
                )
            ).all()
            for row in rows:
                found.setdefault((row.signal_type, row.value), []).append(row)
        return [
            [
                self._hit(row, 0, None)
                for signal in CRYPTO_SIGNALS
                for row in found.get((signal, getattr(r, signal) or ""), [])
            ]
            for r in records
        ]

    def _queries(self, records: Sequence[FileHashes]) -> tuple[list[int], list[str], list[str]]:
        """(record position, variant name, pdq hex) of every PDQ query to run."""
        owners: list[int] = []
        variants: list[str] = []
        hexes: list[str] = []
        for position, r in enumerate(records):
            if r.pdq is None or (r.pdq_quality or 0) < self.options.min_quality:
                continue
            pairs = [("original", r.pdq)]
            if self.options.dihedral and r.pdq_dihedral:
                pairs = list(zip(DIHEDRAL_ORDER, r.pdq_dihedral, strict=True))
            for variant, value in pairs:
                owners.append(position)
                variants.append(variant)
                hexes.append(value)
        return owners, variants, hexes

    def _perceptual(self, records: Sequence[FileHashes]) -> list[list[Hit]]:
        results: list[list[Hit]] = [[] for _ in records]
        owners, variants, hexes = self._queries(records)
        if not hexes:
            return results
        queries = hex_to_codes(hexes)
        best: dict[tuple[int, int], tuple[int, str]] = {}  # (record, entry) -> (distance, variant)
        for bank_id, index in self._indexes.items():
            if len(index) == 0:
                continue
            lims, distances, ids = index.range_search(queries, self._banks[bank_id].pdq_threshold)
            for q in range(len(hexes)):
                for k in range(int(lims[q]), int(lims[q + 1])):
                    key = (owners[q], int(ids[k]))
                    distance = int(distances[k])
                    if key not in best or distance < best[key][0]:
                        best[key] = (distance, variants[q])
        if not best:
            return results
        rows = self._entry_rows(self._session, sorted({entry for _, entry in best}))
        for (position, entry_id), (distance, variant) in sorted(best.items()):
            if entry_id in rows:
                results[position].append(self._hit(rows[entry_id], distance, variant))
        for hits in results:
            hits.sort(key=lambda h: (h.distance, h.bank, h.entry_id))
        return results

    def match(self, records: Sequence[FileHashes]) -> list[FileMatch]:
        """Per record: hits (exact ones first, then PDQ by distance), unless an allow bank
        holds the file, in which case its allow-bank hits suppress the others."""
        exact = self._exact(records)
        perceptual = self._perceptual(records)
        results = []
        for record, found in zip(
            records, (e + p for e, p in zip(exact, perceptual, strict=True)), strict=True
        ):
            found = [h for h in found if h.entry_id not in self._quarantined]
            allowed = [h for h in found if self._banks_by_name[h.bank].kind == "allow"]
            hits = [] if allowed else found
            self._watch_floods(record, hits)
            results.append(FileMatch(hits, allowed))
        return results

    def _watch_floods(self, record: FileHashes, hits: list[Hit]) -> None:
        if self._guard is None or self.options.flood is None:
            return
        file_key = record.sha256 or record.path
        for hit in hits:
            files = self._guard.observe(hit.entry_id, file_key)
            if files is None or hit.entry_id in self._quarantined:
                continue
            reason = (
                f"matched {files} distinct files within {self.options.flood.window_seconds:g} s "
                f"(limit {self.options.flood.max_files})"
            )
            quarantine_entry(self._session, hit.entry_id, reason)
            self._quarantined.add(hit.entry_id)
            self.quarantine_events.append(QuarantineEvent(hit.entry_id, hit.bank, files, reason))


def low_quality_note(record: FileHashes, options: MatchOptions) -> str | None:
    """Why a PDQ hash was not searched, for the report."""
    if record.pdq is not None and (record.pdq_quality or 0) < options.min_quality:
        return (
            f"PDQ quality {record.pdq_quality} below {options.min_quality}: "
            "not searched (flat image)"
        )
    return None
