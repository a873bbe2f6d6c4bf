"""Provenance of entries: which sources supplied each hash, and withdrawing a source's claims.

An entry stays in a bank while at least one source vouches for it; when the last source
withdraws it (a deletion in a remote list), it goes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import Row, Table, delete, exists, insert, select
from sqlalchemy.orm import Session

from egide.store import Bank, BankEntry, EntrySource
from egide.store.models import utcnow

_CHUNK = 500


def rows_for_keys(
    session: Session, bank: Bank, keys: list[tuple[str, str]], columns: tuple[Any, ...]
) -> list[Row[Any]]:
    """``columns`` of the bank's entries with these (signal_type, value) keys.

    One ``value IN (...)`` per signal type, so the (bank, signal, value) index serves it: a
    tuple IN over pairs is not indexed by SQLite and turns every batch into a table scan.
    """
    by_signal: dict[str, list[str]] = {}
    for signal, value in keys:
        by_signal.setdefault(signal, []).append(value)
    rows: list[Row[Any]] = []
    for signal, values in by_signal.items():
        for start in range(0, len(values), _CHUNK):
            rows += session.execute(
                select(*columns).where(
                    BankEntry.bank_id == bank.id,
                    BankEntry.signal_type == signal,
                    BankEntry.value.in_(values[start : start + _CHUNK]),
                )
            ).all()
    return rows


def record_sources(
    session: Session, bank: Bank, keys: Iterable[tuple[str, str]], source: str
) -> None:
    """Note that ``source`` supplied the entries ``keys`` ((signal_type, value) pairs)."""
    all_ids = [row.id for row in rows_for_keys(session, bank, list(keys), (BankEntry.id,))]
    for start in range(0, len(all_ids), _CHUNK):
        ids = all_ids[start : start + _CHUNK]
        known = set(
            session.scalars(
                select(EntrySource.entry_id).where(
                    EntrySource.entry_id.in_(ids), EntrySource.source == source
                )
            )
        )
        now = utcnow()
        rows = [{"entry_id": i, "source": source, "first_seen": now} for i in ids if i not in known]
        if rows:
            session.connection().execute(insert(cast(Table, EntrySource.__table__)), rows)


def sources_of(session: Session, entry_id: int) -> list[str]:
    return list(
        session.scalars(
            select(EntrySource.source)
            .where(EntrySource.entry_id == entry_id)
            .order_by(EntrySource.source)
        )
    )


def withdraw_source(session: Session, bank: Bank, source: str, keep: set[tuple[str, str]]) -> int:
    """Withdraw ``source``'s claim on every entry of ``bank`` not in ``keep``; entries left
    with no source at all are deleted. Returns how many entries were deleted."""
    claimed = session.execute(
        select(BankEntry.id, BankEntry.signal_type, BankEntry.value)
        .join(EntrySource, EntrySource.entry_id == BankEntry.id)
        .where(BankEntry.bank_id == bank.id, EntrySource.source == source)
    ).all()
    gone = [row.id for row in claimed if (row.signal_type, row.value) not in keep]
    return _withdraw_ids(session, bank, source, gone)


def withdraw_media(
    session: Session, bank: Bank, source: str, keep: dict[str, set[tuple[str, str]]]
) -> int:
    """Withdraw ``source``'s claim on the hashes of media items that are not in their ``keep``
    set (a deleted item: an empty set; an updated one: its new hashes). One query per chunk of
    items, however many items a page of a remote list holds."""
    media = list(keep)
    gone: list[int] = []
    for start in range(0, len(media), _CHUNK):
        rows = session.execute(
            select(BankEntry.id, BankEntry.signal_type, BankEntry.value, BankEntry.media_id)
            .join(EntrySource, EntrySource.entry_id == BankEntry.id)
            .where(
                BankEntry.bank_id == bank.id,
                BankEntry.media_id.in_(media[start : start + _CHUNK]),
                EntrySource.source == source,
            )
        ).all()
        gone += [
            row.id for row in rows if (row.signal_type, row.value) not in keep[str(row.media_id)]
        ]
    return _withdraw_ids(session, bank, source, gone)


def _withdraw_ids(session: Session, bank: Bank, source: str, gone: list[int]) -> int:
    """Drop ``source`` from entries ``gone``; delete those no source keeps any more."""
    deleted = 0
    for start in range(0, len(gone), _CHUNK):
        chunk = gone[start : start + _CHUNK]
        session.execute(
            delete(EntrySource).where(EntrySource.entry_id.in_(chunk), EntrySource.source == source)
        )
        orphaned = session.scalars(
            select(BankEntry.id).where(
                BankEntry.id.in_(chunk), ~exists().where(EntrySource.entry_id == BankEntry.id)
            )
        ).all()
        if orphaned:
            session.execute(delete(BankEntry).where(BankEntry.id.in_(orphaned)))
            deleted += len(orphaned)
    if gone:
        bank.revision += 1
    return deleted
