"""Audit records and match history of lookups, written in batches off the request path.

A lookup must answer in a millisecond; taking the audit lock and inserting rows per request
would serialise every worker on the database. Lookups queue their records here and a thread
writes what has gathered every ``flush_seconds`` in one transaction. Records still queued are
written when the worker stops; a worker killed with SIGKILL loses at most one interval.

The lookups one key made within one interval become one audit record (``action`` "lookup")
that lists each lookup with its own time, address, hashes and hits: every lookup is in the
chain, and a platform calling thousands of times a second does not pay a chained record each
(they cost a sixth of a lookup's time).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from egide.service.audit import AuditEvent, insert_events, now_text
from egide.store import MatchRecord

log = logging.getLogger(__name__)
MAX_PENDING = 200_000
LOOKUPS_PER_RECORD = 1000
LOOKUP = "lookup"


def _grouped(events: list[AuditEvent]) -> list[AuditEvent]:
    """Each key's lookups as records of up to ``LOOKUPS_PER_RECORD``, placed at the first of them;
    other events as they are."""
    slots: list[AuditEvent | list[AuditEvent]] = []
    open_groups: dict[tuple[int | None, str | None, str], list[AuditEvent]] = {}
    for event in events:
        if event.action != LOOKUP:
            slots.append(event)
            continue
        key = (event.org_id, event.key_prefix, event.actor)
        group = open_groups.get(key)
        if group is None or len(group) >= LOOKUPS_PER_RECORD:
            group = open_groups[key] = []
            slots.append(group)
        group.append(event)
    return [slot if isinstance(slot, AuditEvent) else _lookups_record(slot) for slot in slots]


def _lookups_record(lookups: list[AuditEvent]) -> AuditEvent:
    first = lookups[0]
    remotes = {e.remote for e in lookups}
    return AuditEvent(
        actor=first.actor,
        action=LOOKUP,
        target=f"{len(lookups)} lookup(s)",
        detail={
            "count": len(lookups),
            "lookups": [
                {"at": now_text(e.at), "remote": e.remote, "what": e.target, **(e.detail or {})}
                for e in lookups
            ],
        },
        remote=first.remote if len(remotes) == 1 else "several (see detail)",
        org_id=first.org_id,
        key_prefix=first.key_prefix,
        at=first.at,
    )


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
                insert_events(session, _grouped(batch.events))
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
