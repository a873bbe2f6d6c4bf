"""Writing a batch of entries on SQLite and PostgreSQL: staged rows, then three set statements.

The batch is loaded into a temporary table through the driver (``egide.banks.staging``); then
one ``INSERT ... SELECT ... ON CONFLICT DO UPDATE`` inserts new keys and replaces the metadata of
existing keys only where it changed, and one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``
records the source of every key. Inserted rows are told from updated ones by ``added_at``: an
insert writes this batch's own timestamp, an update leaves the old one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from egide.banks import staging
from egide.banks.staging import COLUMNS, METADATA, TABLE, StagedRow
from egide.store import Bank, BankEntry

_DIALECTS = ("sqlite", "postgresql")
_last_stamp = datetime.min.replace(tzinfo=UTC)
_ENTRY_COLUMNS = ", ".join(COLUMNS[1:])


def supported(session: Session) -> bool:
    return session.get_bind().dialect.name in _DIALECTS


def _stamp() -> datetime:
    """A timestamp later than any earlier batch's, so this batch's inserts are recognisable."""
    global _last_stamp
    now = datetime.now(UTC)
    if now <= _last_stamp:
        now = _last_stamp + timedelta(microseconds=1)
    _last_stamp = now
    return now


def _upsert_sql(dialect: str, mark: str) -> str:
    """Insert the staged rows in batch order; update a key only when its metadata differs."""
    if dialect == "sqlite":
        differs = " OR ".join(f"bank_entries.{c} IS NOT excluded.{c}" for c in METADATA)
        selected = ", ".join(f"t.{c}" for c in COLUMNS[1:])
    else:
        differs = " OR ".join(
            f"bank_entries.{c}::text IS DISTINCT FROM excluded.{c}::text"
            if c == "extra"
            else f"bank_entries.{c} IS DISTINCT FROM excluded.{c}"
            for c in METADATA
        )
        selected = ", ".join("t.extra::json" if c == "extra" else f"t.{c}" for c in COLUMNS[1:])
    updates = ", ".join(f"{c} = excluded.{c}" for c in METADATA)
    return (
        f"INSERT INTO bank_entries (bank_id, {_ENTRY_COLUMNS}, added_at, enabled) "
        f"SELECT {mark}, {selected}, {mark}, {mark} FROM {TABLE} AS t WHERE true ORDER BY t.n "
        f"ON CONFLICT (bank_id, signal_type, value) DO UPDATE SET {updates} WHERE {differs} "
        "RETURNING added_at"
    )


def _sources_sql(dialect: str, mark: str) -> str:
    """Record the source of every staged key; the staged table drives the join (SQLite's
    CROSS JOIN fixes that order), so each key costs one probe of the unique index."""
    join = "CROSS JOIN" if dialect == "sqlite" else "JOIN"
    return (
        "INSERT INTO entry_sources (entry_id, source, first_seen) "
        f"SELECT e.id, {mark}, {mark} FROM {TABLE} AS t {join} bank_entries AS e "
        f"ON e.bank_id = {mark} AND e.signal_type = t.signal_type AND e.value = t.value "
        "WHERE true ON CONFLICT (entry_id, source) DO NOTHING"
    )


_SQL = {
    dialect: (_upsert_sql(dialect, mark), _sources_sql(dialect, mark))
    for dialect, mark in (("sqlite", "?"), ("postgresql", "%s"))
}


def upsert_entries(
    session: Session, bank: Bank, rows: Sequence[StagedRow], source: str
) -> tuple[int, int]:
    """Insert or update ``rows`` (one per distinct key, see ``staging.StagedRow``) and record
    ``source`` on each; returns (inserted, updated)."""
    session.flush()  # the bank row, and any pending ORM change, before the driver writes
    connection = session.connection()
    dialect = connection.dialect.name
    now = _stamp()
    added_at: Any = now
    if dialect == "sqlite":  # the text SQLAlchemy itself stores, so the ORM reads it back
        column_type = BankEntry.__table__.c.added_at.type.dialect_impl(connection.dialect)
        process = column_type.bind_processor(connection.dialect)
        added_at = process(now) if process else now
    upsert, sources = _SQL[dialect]
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        staging.stage(dialect, cursor, rows)
        cursor.execute(upsert, (bank.id, added_at, True))
        written = [stamp for (stamp,) in cursor.fetchall()]
        cursor.execute(sources, (source, added_at, bank.id))
        staging.clear(cursor)
    finally:
        cursor.close()
    inserted = sum(1 for stamp in written if stamp == added_at)
    return inserted, len(written) - inserted
