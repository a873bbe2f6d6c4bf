"""The append-only, hash-chained audit log: who did what, when, from where.

Each record's hash covers its own fields and the previous record's hash, so changing, removing
or reordering any record breaks the chain from that point on (``verify_chain``). Appends are
serialised: on PostgreSQL by a transaction-scoped advisory lock, on SQLite by its single writer
(and the unique ``seq`` as a last guard: a forked chain cannot be committed).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from egide.store import AuditRecord

GENESIS = "0" * 64
_LOCK_KEY = 0x65676964  # "egid": the advisory lock that serialises audit appends
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


@dataclass(frozen=True)
class AuditEvent:
    """What to record; ``remote`` is the client address as the server saw it."""

    actor: str
    action: str
    target: str = ""
    detail: dict[str, object] | None = None
    remote: str = ""
    org_id: int | None = None
    key_prefix: str | None = None
    at: datetime | None = None


def now_text(moment: datetime | None = None) -> str:
    """``TIME_FORMAT`` text of the moment in UTC (isoformat writes it several times faster)."""
    utc = (moment or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


# The canonical JSON of hashed fields and details; built once (json.dumps with options builds an
# encoder per call, a third of a lookup record's cost). Never change: old hashes depend on it.
_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode


def record_hash(prev_hash: str, fields: dict[str, object]) -> str:
    payload = _canonical(fields)
    return hashlib.sha256((prev_hash + "\n" + payload).encode()).hexdigest()


HASHED = ("seq", "at", "org_id", "key_prefix", "actor", "action", "target", "detail", "remote")
"""The columns a record's hash covers (with the previous record's hash)."""


def _fields(record: AuditRecord) -> dict[str, object]:
    return {name: getattr(record, name) for name in HASHED}


def _lock(session: Session) -> None:
    """Hold the database's append lock until commit, before reading the chain's head."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    elif dialect == "sqlite":
        # A write statement (matching nothing) takes SQLite's single write lock now, so no other
        # process can append between our read of the head and our insert.
        session.execute(text("UPDATE audit_records SET seq = seq WHERE seq < 0"))


def _chain_rows(session: Session, events: list[AuditEvent]) -> list[dict[str, object]]:
    """Take the append lock, read the head, and chain ``events`` after it as column values."""
    session.flush()
    _lock(session)
    last = session.execute(
        select(AuditRecord.seq, AuditRecord.hash).order_by(AuditRecord.seq.desc()).limit(1)
    ).first()
    seq, prev = (int(last.seq), str(last.hash)) if last else (0, GENESIS)
    rows: list[dict[str, object]] = []
    for event in events:
        seq += 1
        row: dict[str, object] = {
            "seq": seq,
            "at": now_text(event.at),
            "org_id": event.org_id,
            "key_prefix": event.key_prefix,
            "actor": event.actor[:300],
            "action": event.action[:64],
            "target": event.target[:500],
            "detail": _canonical(event.detail or {}),
            "remote": event.remote[:200],
        }
        row["prev_hash"] = prev
        row["hash"] = prev = record_hash(prev, {k: row[k] for k in HASHED})
        rows.append(row)
    return rows


def append_events(session: Session, events: list[AuditEvent]) -> list[AuditRecord]:
    """Chain ``events`` after the newest record, in the caller's transaction (not committed)."""
    if not events:
        return []
    records = [AuditRecord(**row) for row in _chain_rows(session, events)]
    session.add_all(records)
    session.flush()
    return records


_STORED = (*HASHED, "prev_hash", "hash")
_INSERT = {
    mark: f"INSERT INTO audit_records ({', '.join(_STORED)}) "
    f"VALUES ({', '.join(mark for _ in _STORED)})"
    for mark in ("?", "%s")
}


def insert_events(session: Session, events: list[AuditEvent]) -> int:
    """As :func:`append_events`, through the driver's own executemany: the recorder's batches
    of lookups, thousands a second, where ORM objects and even SQLAlchemy's per-value parameter
    processing cost more than the database (every column here is already plain text or int)."""
    if not events:
        return 0
    rows = _chain_rows(session, events)
    connection = session.connection()
    mark = "?" if connection.dialect.name == "sqlite" else "%s"
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(_INSERT[mark], [tuple(row[c] for c in _STORED) for row in rows])
    finally:
        cursor.close()
    return len(events)


def append(session: Session, event: AuditEvent) -> AuditRecord:
    return append_events(session, [event])[0]


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    records: int
    first_bad_seq: int | None = None
    problem: str | None = None


def _iter_records(session: Session, chunk: int = 5000) -> Iterator[AuditRecord]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditRecord).where(AuditRecord.seq > last).order_by(AuditRecord.seq).limit(chunk)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()


def verify_chain(session: Session) -> ChainReport:
    """Recompute every hash in order; the first record that does not fit is reported."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for record in _iter_records(session):
        if record.seq != expected_seq:
            return ChainReport(False, count, expected_seq, f"record {expected_seq} is missing")
        if record.prev_hash != prev:
            return ChainReport(False, count, record.seq, "previous-hash link broken")
        if record_hash(prev, _fields(record)) != record.hash:
            return ChainReport(False, count, record.seq, "record content does not match its hash")
        prev = record.hash
        expected_seq += 1
        count += 1
    return ChainReport(True, count)


def query(
    session: Session,
    *,
    org_id: int | None,
    action: str | None = None,
    after_seq: int = 0,
    limit: int = 100,
) -> list[AuditRecord]:
    """Records in order; ``org_id`` None means every organisation (the deployment's view)."""
    stmt = select(AuditRecord).where(AuditRecord.seq > after_seq)
    if org_id is not None:
        stmt = stmt.where(AuditRecord.org_id == org_id)
    if action:
        stmt = stmt.where(AuditRecord.action == action)
    return list(session.scalars(stmt.order_by(AuditRecord.seq).limit(limit)))
