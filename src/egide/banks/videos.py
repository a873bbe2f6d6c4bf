"""Known videos in banks: a ``vpdq`` entry per video, its frame hashes beside it.

The entry's value is the SHA-256 of the frames in the vPDQ text format, so adding the same
signature twice is one entry (with one more source). Frames are stored as that text, read back
whole when a bank is loaded for matching.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from egide.banks.errors import BankError
from egide.banks.provenance import record_sources
from egide.categories import Category
from egide.store import Bank, BankEntry, VideoSignature
from egide.video import FrameHash, frames_text
from egide.video.frames import iter_frames

VPDQ_SIGNAL = "vpdq"


@dataclass(frozen=True, slots=True)
class KnownVideo:
    """What a bank says about one known video."""

    entry_id: int
    bank_id: int
    frames: tuple[FrameHash, ...]
    media_id: str | None


def signature_digest(frames: Sequence[FrameHash]) -> str:
    return hashlib.sha256(frames_text(frames).encode()).hexdigest()


def add_video(
    session: Session,
    bank: Bank,
    frames: Sequence[FrameHash],
    *,
    source: str,
    media_id: str | None = None,
    category: Category | None = None,
    series: str | None = None,
    duration: float | None = None,
) -> tuple[int, bool]:
    """Add a known video's frame hashes to ``bank``: (entry id, whether it is new)."""
    if not frames:
        raise BankError("a video entry needs at least one frame hash")
    digest = signature_digest(frames)
    entry = session.scalar(
        select(BankEntry).where(
            BankEntry.bank_id == bank.id,
            BankEntry.signal_type == VPDQ_SIGNAL,
            BankEntry.value == digest,
        )
    )
    created = entry is None
    if entry is None:
        entry = BankEntry(
            bank_id=bank.id,
            signal_type=VPDQ_SIGNAL,
            value=digest,
            media_id=media_id,
            category_scheme=category.scheme if category else None,
            category_code=category.code if category else None,
            series=series,
        )
        session.add(entry)
        session.flush()
        session.add(
            VideoSignature(
                entry_id=entry.id,
                frame_count=len(frames),
                duration=duration,
                frames=frames_text(frames),
            )
        )
        bank.revision += 1
    record_sources(session, bank, [(VPDQ_SIGNAL, digest)], source)
    session.flush()
    return entry.id, created


def known_videos(session: Session, bank_ids: Sequence[int]) -> Iterator[KnownVideo]:
    """Every enabled, unquarantined video entry of these banks with its frames."""
    if not bank_ids:
        return
    rows = session.execute(
        select(BankEntry.id, BankEntry.bank_id, BankEntry.media_id, VideoSignature.frames)
        .join(VideoSignature, VideoSignature.entry_id == BankEntry.id)
        .where(
            BankEntry.bank_id.in_(list(bank_ids)),
            BankEntry.signal_type == VPDQ_SIGNAL,
            BankEntry.enabled.is_(True),
            BankEntry.quarantined_at.is_(None),
        )
        .order_by(BankEntry.id)
    )
    for row in rows:
        frames = tuple(iter_frames(row.frames.splitlines(), f"video entry {row.id}"))
        yield KnownVideo(row.id, row.bank_id, frames, row.media_id)
