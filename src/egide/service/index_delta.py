"""Bring a bank's in-memory index to what the database says, as a delta: never a rebuild.

New entries (ids above the highest one indexed) are read directly. Everything else (deletions,
disabled, re-enabled, quarantined, released entries, rows committed out of id order) is found
by comparing fingerprints of the live ids per id bucket (one grouped query that sends a few
hundred sums, no rows): only the buckets that differ are read back and diffed. A bucket's
fingerprint is its count, the sum of its ids and the sum of ``(id mod P)^2 mod P``: two
different id sets of a bucket agreeing on all three is not a realistic accident.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from egide.index import HammingIndex, hex_to_codes
from egide.store import BankEntry

BUCKET = 4096
"""Ids per bucket: a bank of a million entries has about 250 buckets."""
P = 1_000_003
"""Modulus of the squared-id term (a prime; the squares of residues fit an int64 sum)."""


def live_pdq(bank_id: int) -> tuple[ColumnElement[bool], ...]:
    """SQL conditions of the entries a bank's PDQ index holds."""
    return (
        BankEntry.bank_id == bank_id,
        BankEntry.signal_type == "pdq",
        BankEntry.enabled.is_(True),
        BankEntry.quarantined_at.is_(None),
    )


@dataclass(frozen=True)
class DeltaResult:
    net_added: int
    ranges_read: int


def _fingerprints(ids: np.ndarray) -> dict[int, tuple[int, int, int]]:
    """Per bucket: (count, sum of ids, sum of squared residues mod P), computed exactly."""
    if ids.size == 0:
        return {}
    buckets, inverse = np.unique(ids // BUCKET, return_inverse=True)
    counts = np.bincount(inverse, minlength=buckets.size)
    sums = np.zeros(buckets.size, np.int64)
    squares = np.zeros(buckets.size, np.int64)
    residue = ids % P
    np.add.at(sums, inverse, ids)
    np.add.at(squares, inverse, residue * residue % P)
    return {
        int(b): (int(c), int(s), int(q))
        for b, c, s, q in zip(buckets, counts, sums, squares, strict=True)
    }


def _db_fingerprints(session: Session, bank_id: int) -> dict[int, tuple[int, int, int]]:
    residue = BankEntry.id % P
    bucket = BankEntry.id // BUCKET
    rows = session.execute(
        select(bucket, func.count(), func.sum(BankEntry.id), func.sum(residue * residue % P))
        .where(*live_pdq(bank_id))
        .group_by(bucket)
    ).all()
    return {int(b): (int(c), int(s), int(q)) for b, c, s, q in rows}


def _ranges(buckets: list[int]) -> list[tuple[int, int]]:
    """Sorted bucket numbers -> inclusive id ranges, adjacent buckets joined."""
    out: list[tuple[int, int]] = []
    for b in buckets:
        lo, hi = b * BUCKET, (b + 1) * BUCKET - 1
        if out and out[-1][1] + 1 == lo:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def add_new(session: Session, bank_id: int, index: HammingIndex, after_id: int) -> int:
    """Add the live entries with ids above ``after_id``; return the new highest id."""
    rows = session.execute(
        select(BankEntry.id, BankEntry.value)
        .where(*live_pdq(bank_id), BankEntry.id > after_id)
        .order_by(BankEntry.id)
    ).all()
    if not rows:
        return after_id
    ids = np.fromiter((r.id for r in rows), dtype=np.int64, count=len(rows))
    index.add(hex_to_codes([r.value for r in rows]), ids)
    return int(ids[-1])


def _sync_range(session: Session, bank_id: int, index: HammingIndex, lo: int, hi: int) -> bool:
    """Make ids ``[lo, hi]`` of the index hold exactly the database's; True if anything moved.

    Values are compared too, not only ids: SQLite hands a deleted highest id to the next row
    inserted, so the same id may now carry another hash.
    """
    rows = session.execute(
        select(BankEntry.id, BankEntry.value).where(
            *live_pdq(bank_id), BankEntry.id.between(lo, hi)
        )
    ).all()
    want = {int(r.id): str(r.value) for r in rows}
    have_ids, have_codes = index.entries(lo, hi)
    have = {int(i): c.tobytes().hex() for i, c in zip(have_ids, have_codes, strict=True)}
    stale = [i for i, value in have.items() if want.get(i) != value]
    if stale:
        index.remove(np.asarray(stale, np.int64))
    new = sorted(i for i, value in want.items() if have.get(i) != value)
    if new:
        index.add(hex_to_codes([want[i] for i in new]), np.asarray(new, np.int64))
    return bool(stale or new)


def reconcile(session: Session, bank_id: int, index: HammingIndex) -> DeltaResult:
    """Make the index hold exactly the bank's live PDQ entries, reading only what differs.

    Buckets whose fingerprints differ are synced; so is the highest bucket of the index, and the
    next one down while a bucket had changed values (ids reused from the top, see _sync_range).
    """
    before = len(index)
    mine = _fingerprints(index.ids())
    theirs = _db_fingerprints(session, bank_id)
    differ = {b for b in set(mine) | set(theirs) if mine.get(b) != theirs.get(b)}
    below = sorted(mine, reverse=True)
    read = 0
    for top in below:  # from the top down, while values were found reused
        read += 1
        moved = _sync_range(session, bank_id, index, top * BUCKET, (top + 1) * BUCKET - 1)
        differ.discard(top)
        if not moved:
            break
    for lo, hi in _ranges(sorted(differ)):
        read += 1
        _sync_range(session, bank_id, index, lo, hi)
    return DeltaResult(len(index) - before, read)
