"""Putting list entries into a bank: batched, idempotent, and never losing the good records.

Re-importing a list changes nothing; an entry seen again with new metadata is updated. With
``strict`` a single bad record keeps the whole list out. On SQLite and PostgreSQL a batch goes
to the database as plain rows through the driver and is written with ``INSERT ... SELECT ... ON
CONFLICT`` (``egide.banks.upsert``); other databases take the select-then-write path below.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import cast

from sqlalchemy import Table, insert, update
from sqlalchemy.orm import Session

from egide.banks import upsert
from egide.banks.provenance import record_sources, rows_for_keys
from egide.banks.rows import staged_rows
from egide.banks.sqlite_bulk import bulk_settings
from egide.formats import ListEntry, RecordError
from egide.store import Bank, BankEntry
from egide.store.models import utcnow

BATCH = 2000
# A non-strict import commits about this often: each commit of SQLite's WAL checkpoints and
# syncs the file, writing every index page the interval touched, and on a list of millions the
# unique index's pages are touched again and again (250 k against 50 k: a fifth less time at
# 7.5 million entries, with the larger cache of ``sqlite_bulk``). A crash loses at most this
# much work, and importing the list again finishes it (imports are idempotent).
COMMIT_EVERY = 250_000
MAX_ERRORS_KEPT = 1000


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[RecordError] = field(default_factory=list)
    committed: bool = True

    @property
    def read(self) -> int:
        return self.added + self.updated + self.unchanged


def _metadata(entry: ListEntry) -> dict[str, object]:
    return {
        "category_scheme": entry.category.scheme if entry.category else None,
        "category_code": entry.category.code if entry.category else None,
        "series": entry.series,
        "victim_identified": entry.victim_identified,
        "baseline": entry.baseline,
        "media_id": entry.media_id,
        "offender_identified": entry.offender_identified,
        "is_distributed": entry.is_distributed,
        "extra": entry.extra,
    }


def _chunks(items: Iterable[ListEntry | RecordError]) -> Iterator[list[ListEntry | RecordError]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, BATCH)):
        yield chunk


def _batches(
    chunks: Iterable[list[ListEntry | RecordError]], result: ImportResult
) -> Iterator[list[ListEntry]]:
    for chunk in chunks:
        entries: list[ListEntry] = []
        for item in chunk:
            if isinstance(item, RecordError):
                result.error_count += 1
                if len(result.errors) < MAX_ERRORS_KEPT:
                    result.errors.append(item)
            else:
                entries.append(item)
        yield entries


def _store_batch(
    session: Session, bank: Bank, entries: list[ListEntry], result: ImportResult, source: str
) -> None:
    latest: dict[tuple[str, str], ListEntry] = {}
    for entry in entries:  # within a batch the last occurrence wins
        key = (entry.signal_type, entry.value)
        if key in latest:
            result.unchanged += 1
        latest[key] = entry
    if not latest:
        return
    if upsert.supported(session):
        rows = staged_rows(latest.values())
        inserted, updated = upsert.upsert_entries(session, bank, rows, source)
        result.added += inserted
        result.updated += updated
        result.unchanged += len(rows) - inserted - updated
        return
    existing = {
        (row.signal_type, row.value): row
        for row in rows_for_keys(
            session,
            bank,
            list(latest),
            (
                BankEntry.id,
                BankEntry.signal_type,
                BankEntry.value,
                BankEntry.category_scheme,
                BankEntry.category_code,
                BankEntry.series,
                BankEntry.victim_identified,
                BankEntry.baseline,
                BankEntry.media_id,
                BankEntry.offender_identified,
                BankEntry.is_distributed,
                BankEntry.extra,
            ),
        )
    }
    new_rows: list[dict[str, object]] = []
    now = utcnow()
    for key, entry in latest.items():
        metadata = _metadata(entry)
        row = existing.get(key)
        if row is None:
            new_rows.append(
                {
                    "bank_id": bank.id,
                    "signal_type": key[0],
                    "value": key[1],
                    "added_at": now,
                    "enabled": True,
                    **metadata,
                }
            )
        elif all(getattr(row, name) == value for name, value in metadata.items()):
            result.unchanged += 1
        else:
            session.execute(update(BankEntry).where(BankEntry.id == row.id).values(**metadata))
            result.updated += 1
    if new_rows:
        # Core executemany: the ORM's bulk path costs more than the database itself here.
        session.connection().execute(insert(cast(Table, BankEntry.__table__)), new_rows)
        result.added += len(new_rows)
    record_sources(session, bank, latest, source)


def import_entries(
    session: Session,
    bank: Bank,
    items: Iterable[ListEntry | RecordError],
    *,
    strict: bool = False,
    source: str | None = None,
) -> ImportResult:
    """Import entries, committing every ``COMMIT_EVERY`` entries or so (or once, at the end,
    when ``strict``).

    ``source`` names who supplied the list (default: the bank's source, else its name); it is
    kept per entry, so one hash supplied by two lists is one entry with two sources.
    """
    result = ImportResult()
    supplier = source or bank.source or bank.name
    pending = 0
    with bulk_settings() as bulk:
        for entries in _batches(_chunks(items), result):
            bulk.apply(session)
            _store_batch(session, bank, entries, result, supplier)
            pending += len(entries)
            if not strict and pending >= COMMIT_EVERY:
                bank.revision += 1
                session.commit()
                pending = 0
        if strict and result.error_count:
            session.rollback()
            result.committed = False
            result.added = result.updated = result.unchanged = 0
            return result
        bank.revision += 1
        session.commit()
    return result


def stage_entries(
    session: Session, bank: Bank, items: Iterable[ListEntry | RecordError], source: str
) -> ImportResult:
    """Upsert entries without committing: for callers that commit them together with their own
    state (an exchange's checkpoint), so a crash never separates the two."""
    result = ImportResult(committed=False)
    with bulk_settings() as bulk:
        for entries in _batches(_chunks(items), result):
            bulk.apply(session)
            _store_batch(session, bank, entries, result, source)
    bank.revision += 1
    return result
