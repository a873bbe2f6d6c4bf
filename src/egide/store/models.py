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

    entries: Mapped[list[BankEntry]] = relationship(
        back_populates="bank", cascade="all, delete-orphan", passive_deletes=True
    )


class BankEntry(Base):
    """One hash of a bank. Categories are always a scheme plus a code, never a bare number."""

    __tablename__ = "bank_entries"
    __table_args__ = (
        UniqueConstraint("bank_id", "signal_type", "value", name="uq_bank_signal_value"),
        Index("ix_entries_signal_value", "signal_type", "value"),
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
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("bank_entries.id", ondelete="CASCADE"), index=True
    )
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
