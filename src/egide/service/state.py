"""What one worker holds: the engine, the index registry, the recorder and the auth cache."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from egide.service.indexes import IndexRegistry
from egide.service.keys import Principal, authenticate, hash_token
from egide.service.recorder import Recorder
from egide.service.scans import ScanRunner, ScanStore
from egide.service.settings import ServiceSettings


@dataclass
class ServiceState:
    settings: ServiceSettings
    engine: Engine
    sessions: sessionmaker[Session]
    registry: IndexRegistry
    recorder: Recorder
    scans: ScanRunner
    scan_store: ScanStore
    _auth: dict[str, tuple[Principal, float]] = field(default_factory=dict)
    _auth_locks: dict[str, threading.Lock] = field(default_factory=dict)
    _auth_guard: threading.Lock = field(default_factory=threading.Lock)
    _refreshing: set[str] = field(default_factory=set)

    REFRESH_AHEAD = 0.25
    """In the last quarter of a cached key's life, one request re-checks it in the background,
    so a busy key never expires under load (every request in flight then waited for the check);
    the cache still never outlives ``auth_cache_seconds``, and a revoked key is dropped early."""

    def cached_principal(self, token: str) -> Principal | None:
        """A principal seen within ``auth_cache_seconds`` (so revocation takes that long)."""
        hashed = hash_token(token)
        found = self._auth.get(hashed)
        now = time.monotonic()
        if found is None or found[1] < now:
            return None
        ahead = self.settings.auth_cache_seconds * self.REFRESH_AHEAD
        if found[1] - now < ahead and hashed not in self._refreshing:
            self._refreshing.add(hashed)
            threading.Thread(target=self._refresh, args=(token, hashed), daemon=True).start()
        return found[0]

    def _refresh(self, token: str, hashed: str) -> None:
        try:
            self._check(token)
        except Exception:  # revoked, expired or unreadable: the next request checks it anew
            self._auth.pop(hashed, None)
        finally:
            self._refreshing.discard(hashed)

    def authenticate(self, token: str) -> Principal:
        """Check the key in the database, one thread per key at a time.

        When a busy key's cache entry expires, every request in flight misses at once; the
        first checks the database and the others wait for its answer instead of all querying.
        """
        hashed = hash_token(token)
        with self._auth_guard:
            lock = self._auth_locks.setdefault(hashed, threading.Lock())
        try:
            with lock:
                principal = self.cached_principal(token)
                if principal is None:
                    principal = self._check(token)
        finally:
            with self._auth_guard:
                if not lock.locked():
                    self._auth_locks.pop(hashed, None)
        return principal

    def _check(self, token: str) -> Principal:
        with self.sessions() as session:
            principal = authenticate(session, token)
        if len(self._auth) > 10_000:
            self._auth.clear()
        self._auth[hash_token(token)] = (
            principal,
            time.monotonic() + self.settings.auth_cache_seconds,
        )
        return principal
