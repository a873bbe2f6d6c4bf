"""The relational schema: banks and their entries, and the checkpoint state of scans.

One metadata for every table so Alembic sees the whole schema; the same models run on SQLite
(the embedded default) and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Bank(Base):
    """A named hash list with its provenance and matching settings."""

    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    pdq_threshold: Mapped[int] = mapped_column(Integer, default=31)
    # "match" banks raise hits; "allow" banks hold reviewed false positives that suppress them.
    kind: Mapped[str] = mapped_column(String(16), default="match", server_default="match")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped on every change of entries, so cached indexes know when they are stale.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # The organisation that owns the bank (None: the deployment, managed from the CLI) and who
    # may use it: "private" (owner only), "shared" (owner and BankShare rows), "public" (all).
    owner_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), nullable=True, index=True
    )
    visibility: Mapped[str] = mapped_column(String(16), default="private", server_default="private")

    entries: Mapped[list[BankEntry]] = relationship(
        back_populates="bank", cascade="all, delete-orphan", passive_deletes=True
    )


class BankEntry(Base):
    """One hash of a bank. Categories are always a scheme plus a code, never a bare number."""

    __tablename__ = "bank_entries"
    __table_args__ = (
        # The only index in hash order: lookups name their banks, so it serves them too, and an
        # import of millions pays for one random-order B-tree, not two (migration 0006).
        UniqueConstraint("bank_id", "signal_type", "value", name="uq_bank_signal_value"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    signal_type: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(400))
    category_scheme: Mapped[str | None] = mapped_column(String(64), nullable=True)
    category_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    series: Mapped[str | None] = mapped_column(String(300), nullable=True)
    victim_identified: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    baseline: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    media_id: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    offender_identified: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    is_distributed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    extra: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when an entry floods matches; it stops matching until someone reviews and releases it.
    quarantined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    quarantine_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    bank: Mapped[Bank] = relationship(back_populates="entries")
    sources: Mapped[list[EntrySource]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )


class EntrySource(Base):
    """Who supplied an entry: the same hash from ICSE and from NCMEC is one entry, two sources."""

    __tablename__ = "entry_sources"
    __table_args__ = (UniqueConstraint("entry_id", "source", name="uq_entry_source"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("bank_entries.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(300), index=True)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Exchange(Base):
    """A subscription that pulls a remote list into a local bank, with its checkpoint."""

    __tablename__ = "exchanges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"))
    config: Mapped[dict[str, object]] = mapped_column(JSON)
    checkpoint: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class Scan(Base):
    """A scan and its options; the key for ``--resume`` is the report path."""

    __tablename__ = "scans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_path: Mapped[str] = mapped_column(String(4000), index=True)
    roots: Mapped[list[str]] = mapped_column(JSON)
    banks: Mapped[list[str]] = mapped_column(JSON)
    options: Mapped[dict[str, object]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Seconds spent scanning over all runs of this scan (a resumed scan adds up its runs).
    elapsed_seconds: Mapped[float] = mapped_column(default=0.0)


class ScanUnit(Base):
    """A top-level disk file whose records are all stored: the checkpoint of a scan."""

    __tablename__ = "scan_units"
    __table_args__ = (UniqueConstraint("scan_id", "unit_path", name="uq_scan_unit"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"), index=True)
    unit_path: Mapped[str] = mapped_column(Text)
    ordinal: Mapped[int] = mapped_column(BigInteger)


class ScanRecord(Base):
    """The report entry of one file (disk file or archive member) as JSON, in walk order."""

    __tablename__ = "scan_records"
    __table_args__ = (Index("ix_scan_records_order", "scan_id", "ordinal", "item_index"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(BigInteger)
    item_index: Mapped[int] = mapped_column(Integer)
    record: Mapped[dict[str, object]] = mapped_column(JSON)


class Organisation(Base):
    """An agency, platform or hotline of the deployment: it owns banks and API keys."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApiKey(Base):
    """An API key of an organisation: only its SHA-256 is stored, never the secret."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    # Public part of the key, shown in listings and audit records to tell keys apart.
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class BankShare(Base):
    """A bank of visibility "shared" is usable by each organisation listed here."""

    __tablename__ = "bank_shares"
    __table_args__ = (UniqueConstraint("bank_id", "org_id", name="uq_bank_share"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )


class AuditRecord(Base):
    """One append-only audit record; ``hash`` covers the record and the previous record's hash.

    Who is kept as plain values (no foreign keys) so records outlive the keys and organisations
    they name; ``at`` is fixed-format UTC text so the hashed bytes survive any database.
    """

    __tablename__ = "audit_records"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    at: Mapped[str] = mapped_column(String(32), index=True)
    org_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    key_prefix: Mapped[str | None] = mapped_column(String(32), nullable=True)
    actor: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(500), default="")
    detail: Mapped[str] = mapped_column(Text, default="{}")
    remote: Mapped[str] = mapped_column(String(200), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))  # unique by construction (covers seq)


class MatchRecord(Base):
    """A hit returned to an organisation by a lookup: its match history."""

    __tablename__ = "match_records"
    __table_args__ = (Index("ix_match_records_org", "org_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    key_prefix: Mapped[str] = mapped_column(String(32))
    query_signal: Mapped[str] = mapped_column(String(32))
    query_value: Mapped[str] = mapped_column(String(400))
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(BigInteger)
    distance: Mapped[int] = mapped_column(Integer)


class VideoSignature(Base):
    """The frame hashes of a known video (a ``vpdq`` bank entry), in the vPDQ reference's text
    format; frames are indexed when the bank is loaded for matching, keyed to the entry."""

    __tablename__ = "video_signatures"

    entry_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("bank_entries.id", ondelete="CASCADE"),
        primary_key=True,
    )
    frame_count: Mapped[int] = mapped_column(Integer)
    duration: Mapped[float | None] = mapped_column(nullable=True)
    frames: Mapped[str] = mapped_column(Text)


class StreamAlert(Base):
    """A frame of a watched live stream that matched a bank entry. Never the frame itself."""

    __tablename__ = "stream_alerts"
    __table_args__ = (Index("ix_stream_alerts_stream", "stream", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    stream: Mapped[str] = mapped_column(String(500))
    stream_time: Mapped[float] = mapped_column()
    wall_time: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    bank: Mapped[str] = mapped_column(String(200))
    entry_id: Mapped[int] = mapped_column(BigInteger)
    signal_type: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(400))
    distance: Mapped[int] = mapped_column(Integer)
    frame_pdq: Mapped[str] = mapped_column(String(64))
    frame_quality: Mapped[int] = mapped_column(Integer)
    latency_ms: Mapped[float] = mapped_column()
    detail: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
