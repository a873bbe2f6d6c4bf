"""Setting entries aside and bringing them back, always with a reason a reviewer can read."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from egide.store import Bank, BankEntry


def _bump(session: Session, entry: BankEntry) -> None:
    bank = session.get(Bank, entry.bank_id)
    if bank is not None:
        bank.revision += 1  # cached indexes of the bank are stale now


def quarantine_entry(session: Session, entry_id: int, reason: str) -> None:
    entry = session.get(BankEntry, entry_id)
    if entry is None or entry.quarantined_at is not None:
        return
    entry.quarantined_at = datetime.now(UTC)
    entry.quarantine_reason = reason
    _bump(session, entry)


def release_entry(session: Session, bank: Bank, entry_id: int) -> None:
    """Let a reviewed entry match again; ValueError when it is not quarantined in ``bank``."""
    entry = session.get(BankEntry, entry_id)
    if entry is None or entry.bank_id != bank.id:
        raise ValueError(f"bank {bank.name} has no entry {entry_id}")
    if entry.quarantined_at is None:
        raise ValueError(f"entry {entry_id} of bank {bank.name} is not quarantined")
    entry.quarantined_at = None
    entry.quarantine_reason = None
    _bump(session, entry)


def quarantined_entries(session: Session, bank: Bank) -> list[BankEntry]:
    return list(
        session.scalars(
            select(BankEntry)
            .where(BankEntry.bank_id == bank.id, BankEntry.quarantined_at.is_not(None))
            .order_by(BankEntry.id)
        )
    )
