"""The local PDQ index of a bank, built from the database once and kept on disk per revision.

A bank's revision changes with every import or removal, so a cached index is never stale.
Loaded with ``mmap=True``, the index stays in the cache file's mapping: every process that maps
the same revision (the service's workers) shares one copy of it in memory.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from egide.index import HammingIndex, hex_to_codes
from egide.store import Bank, BankEntry

CHUNK = 200_000


def _cache_file(cache_dir: Path, bank: Bank, database_id: str) -> Path:
    return cache_dir / f"{database_id}-bank{bank.id}-rev{bank.revision}.egidx"


def build_bank_index(session: Session, bank: Bank) -> HammingIndex:
    """A HammingIndex of the bank's enabled PDQ entries, ids = entry ids."""
    index = HammingIndex(bits=256)
    last_id = 0
    while True:
        rows = session.execute(
            select(BankEntry.id, BankEntry.value)
            .where(
                BankEntry.bank_id == bank.id,
                BankEntry.signal_type == "pdq",
                BankEntry.enabled.is_(True),
                BankEntry.quarantined_at.is_(None),
                BankEntry.id > last_id,
            )
            .order_by(BankEntry.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return index
        ids = np.fromiter((r.id for r in rows), dtype=np.int64, count=len(rows))
        index.add(hex_to_codes([r.value for r in rows]), ids)
        last_id = int(ids[-1])


def load_bank_index(
    session: Session,
    bank: Bank,
    cache_dir: Path | None,
    database_id: str,
    *,
    mmap: bool = False,
) -> HammingIndex:
    """The bank's index from the on-disk cache when current, else built (and cached).

    With ``mmap`` the index returned is a mapping of the cache file (also right after building
    it), so processes loading the same revision share its memory.
    """
    if cache_dir is None:
        return build_bank_index(session, bank)
    path = _cache_file(cache_dir, bank, database_id)
    if path.exists():
        try:
            return HammingIndex.load(path, mmap=mmap)
        except (OSError, ValueError):
            path.unlink(missing_ok=True)  # a damaged cache is rebuilt, never trusted
    index = build_bank_index(session, bank)
    cache_dir.mkdir(parents=True, exist_ok=True)
    for stale in cache_dir.glob(f"{database_id}-bank{bank.id}-rev*.egidx"):
        stale.unlink(missing_ok=True)
    # A name of its own per process: several service workers may build the same bank at once.
    tmp = path.with_name(f"{path.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part")
    index.save(tmp)
    tmp.replace(path)
    if mmap:
        del index  # the private copy goes; the mapping of the file takes its place
        return HammingIndex.load(path, mmap=True)
    return index
