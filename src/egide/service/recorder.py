"""Audit records and match history of lookups, written in batches off the request path.

A lookup must answer in a millisecond; taking the audit lock and inserting rows per request
would serialise every worker on the database. Lookups queue their records here and a thread
writes what has gathered every ``flush_seconds`` in one transaction. Records still queued are
written when the worker stops; a worker killed with SIGKILL loses at most one interval.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from egide.service.audit import AuditEvent, insert_events
from egide.store import MatchRecord

log = logging.getLogger(__name__)
MAX_PENDING = 200_000


@dataclass
class Pending:
    events: list[AuditEvent]
    matches: list[dict[str, object]]


class Recorder:
    """Queue of lookup audit events and match rows, flushed by a background thread."""

    def __init__(self, engine: Engine, flush_seconds: float) -> None:
        self._engine = engine
        self._flush_seconds = flush_seconds
        self._lock = threading.Lock()
        self._pending = Pending([], [])
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, event: AuditEvent, matches: list[dict[str, object]]) -> None:
        with self._lock:
            self._pending.events.append(event)
            self._pending.matches.extend(matches)

    def flush(self) -> int:
        """Write everything queued; on failure keep it (bounded) for the next try."""
        with self._lock:
            batch, self._pending = self._pending, Pending([], [])
        if not batch.events and not batch.matches:
            return 0
        try:
            with Session(self._engine) as session:
                if batch.matches:
                    session.execute(insert(MatchRecord), batch.matches)
                insert_events(session, batch.events)
                session.commit()
        except Exception:
            log.exception("writing %d audit records failed; kept for retry", len(batch.events))
            with self._lock:
                self._pending.events[:0] = batch.events[-MAX_PENDING:]
                self._pending.matches[:0] = batch.matches[-MAX_PENDING:]
            return 0
        return len(batch.events)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="egide-recorder", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._flush_seconds):
            self.flush()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.flush()
