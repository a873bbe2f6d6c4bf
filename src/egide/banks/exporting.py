"""Reading a bank's entries back out, in a stable order, for export and for matching."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from egide.categories import Category
from egide.formats import ListEntry
from egide.store import Bank, BankEntry


def iter_entries(session: Session, bank: Bank, *, chunk: int = 10_000) -> Iterator[ListEntry]:
    """Every entry of ``bank`` in id order, streamed in chunks."""
    last_id = 0
    while True:
        rows = session.scalars(
            select(BankEntry)
            .where(BankEntry.bank_id == bank.id, BankEntry.id > last_id)
            .order_by(BankEntry.id)
            .limit(chunk)
        ).all()
        if not rows:
            return
        for row in rows:
            category = (
                Category(row.category_scheme, row.category_code)
                if row.category_scheme and row.category_code
                else None
            )
            yield ListEntry(
                row.signal_type,
                row.value,
                category,
                row.series,
                row.victim_identified,
                row.baseline,
                row.media_id,
                row.offender_identified,
                row.is_distributed,
                row.extra,
            )
        last_id = rows[-1].id
        session.expunge_all()
