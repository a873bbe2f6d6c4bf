"""Each worker's view of the banks and their PDQ indexes, kept current by polling revisions.

Several workers (and machines) share one database. Every ``refresh_seconds`` a worker reads the
banks' revisions; for a bank whose revision moved it applies the change to its index as a delta
(``index_delta``: new entries added; deleted, disabled, re-enabled and quarantined ones found by
bucket fingerprints). A bank's index is loaded whole only when the worker first sees the bank,
as a memory mapping of the per-revision cache file, so all workers of a machine share one copy;
deltas live in each worker's private memory and never touch the file. Lookups read a published
snapshot and never wait for a refresh; the single refresh thread is the only writer.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from egide.index import HammingIndex
from egide.match.cache import load_bank_index
from egide.match.matcher import live_entry_rows
from egide.service.index_delta import add_new, live_pdq, reconcile
from egide.store import Bank, BankEntry, BankShare

log = logging.getLogger(__name__)


ENTRY_CACHE_MAX = 100_000


@dataclass
class BankIndex:
    """A bank's index and what it reflects: the revision and the highest entry id added."""

    revision: int
    max_id: int
    index: HammingIndex


@dataclass(frozen=True)
class Snapshot:
    """Immutable once published: banks (detached rows), who they are shared with, indexes."""

    version: int = 0
    banks: dict[int, Bank] = field(default_factory=dict)
    shares: dict[int, frozenset[int]] = field(default_factory=dict)
    indexes: dict[int, HammingIndex] = field(default_factory=dict)

    usable_cache: dict[int, list[Bank]] = field(default_factory=dict, compare=False)
    # Rows behind PDQ hits, detached, None for an entry that may not match. Any change to an entry
    # moves its bank's revision and so publishes a new snapshot with an empty cache.
    entry_cache: dict[int, BankEntry | None] = field(default_factory=dict, compare=False)

    def entry_rows(self, session: Session, entry_ids: Sequence[int]) -> dict[int, BankEntry]:
        """``live_entry_rows`` through this snapshot's cache: a hit seen before costs no query."""
        cache = self.entry_cache
        missing = [i for i in entry_ids if i not in cache]
        if missing:
            found = live_entry_rows(session, missing)
            for live in found.values():
                session.expunge(live)  # read after the session has gone
            if len(cache) + len(missing) > ENTRY_CACHE_MAX:
                cache.clear()
            for entry_id in missing:
                cache[entry_id] = found.get(entry_id)
        return {i: row for i in entry_ids if (row := cache.get(i)) is not None}

    def usable(self, org_id: int) -> list[Bank]:
        """Enabled banks the organisation may match against (worked out once per snapshot)."""
        found = self.usable_cache.get(org_id)
        if found is None:
            found = self._usable(org_id)
            if len(self.usable_cache) > 10_000:
                self.usable_cache.clear()
            self.usable_cache[org_id] = found
        return found

    def _usable(self, org_id: int) -> list[Bank]:
        return [
            bank
            for bank in self.banks.values()
            if bank.enabled
            and bank.id in self.indexes
            and (
                bank.owner_org_id == org_id
                or bank.visibility == "public"
                or (bank.visibility == "shared" and org_id in self.shares.get(bank.id, ()))
            )
        ]


class IndexRegistry:
    """Per-worker bank indexes, refreshed in a background thread."""

    def __init__(self, engine: Engine, cache_dir: Path | None, refresh_seconds: float) -> None:
        self._engine = engine
        self._cache_dir = cache_dir
        self._refresh_seconds = refresh_seconds
        self._states: dict[int, BankIndex] = {}
        self._snapshot = Snapshot()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        url = engine.url.render_as_string(hide_password=True)
        self._database_id = hashlib.sha256(url.encode()).hexdigest()[:12]
        self.rebuilds = 0
        self.deltas = 0

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def refresh(self) -> None:
        """One pass: bring every enabled bank's index to its current revision."""
        with self._lock, Session(self._engine, expire_on_commit=False) as session:
            banks = {bank.id: bank for bank in session.scalars(select(Bank))}
            shares: dict[int, set[int]] = {}
            for bank_id, org_id in session.execute(select(BankShare.bank_id, BankShare.org_id)):
                shares.setdefault(bank_id, set()).add(org_id)
            changed = False
            for bank in banks.values():
                if not bank.enabled:
                    continue
                state = self._states.get(bank.id)
                if state is None or state.revision != bank.revision:
                    self._states[bank.id] = self._update(session, bank, state)
                    changed = True
            for gone in set(self._states) - {b.id for b in banks.values() if b.enabled}:
                del self._states[gone]
                changed = True
            session.expunge_all()
        old = self._snapshot
        if changed or _bank_rows_differ(old.banks, banks) or old.shares != shares:
            self._snapshot = Snapshot(
                old.version + 1,
                banks,
                {k: frozenset(v) for k, v in shares.items()},
                {bank_id: state.index for bank_id, state in self._states.items()},
            )

    def _update(self, session: Session, bank: Bank, state: BankIndex | None) -> BankIndex:
        if state is not None and self._apply_delta(session, bank, state):
            self.deltas += 1
            state.revision = bank.revision
            return state
        self.rebuilds += 1
        # The highest id first: an entry committed while the index loads is then a delta.
        max_id = session.scalar(select(func.max(BankEntry.id)).where(*live_pdq(bank.id)))
        index = self._load(session, bank)
        return BankIndex(bank.revision, int(max_id or 0), index)

    def _load(self, session: Session, bank: Bank) -> HammingIndex:
        """The bank's index from the shared file cache, built by one worker at a time.

        Workers starting together would otherwise all build the same index and race on the
        cache's temporary file; behind the lock, the others load the file the first one wrote.
        """
        if self._cache_dir is None:
            return load_bank_index(session, bank, None, self._database_id)
        self._cache_dir.mkdir(parents=True, exist_ok=True)
        lock_path = self._cache_dir / f"{self._database_id}-bank{bank.id}.lock"
        with open(lock_path, "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                return load_bank_index(session, bank, self._cache_dir, self._database_id, mmap=True)
            except OSError:
                log.exception("index cache unusable for bank %s; building in memory", bank.name)
                return load_bank_index(session, bank, None, self._database_id)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _apply_delta(self, session: Session, bank: Bank, state: BankIndex) -> bool:
        """New entries, then whatever else changed; False (rebuild) only if still off."""
        state.max_id = add_new(session, bank.id, state.index, state.max_id)
        reconcile(session, bank.id, state.index)
        live = session.scalar(select(func.count()).where(*live_pdq(bank.id)))
        return int(live or 0) == len(state.index)

    def start(self) -> None:
        self.refresh()
        self._thread = threading.Thread(target=self._run, name="egide-index-refresh", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._refresh_seconds):
            try:
                self.refresh()
            except Exception:  # keep serving the last good snapshot; try again next tick
                log.exception("index refresh failed")

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


def _bank_rows_differ(old: dict[int, Bank], new: dict[int, Bank]) -> bool:
    if old.keys() != new.keys():
        return True
    fields = ("name", "enabled", "kind", "pdq_threshold", "owner_org_id", "visibility")
    return any(getattr(old[k], f) != getattr(new[k], f) for k in new for f in fields)
