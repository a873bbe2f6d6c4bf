"""Scan state in the database: which units are done and their records.

A unit's records and its "done" row are written in the same transaction, so a scan killed at any
moment (even kill -9) loses at most uncommitted units, which ``--resume`` does again: no file is
lost or counted twice.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from egide.scan.options import ScanOptions
from egide.store import Scan, ScanRecord, ScanUnit


class ScanStateError(ValueError):
    """A scan that cannot be resumed as asked."""


def open_scan(session: Session, options: ScanOptions) -> tuple[Scan, bool]:
    """The scan to run: the unfinished one for this report when resuming, else a new one."""
    report = str(options.report_path.resolve())
    identity = options.identity()
    if options.resume:
        previous = session.scalars(
            select(Scan)
            .where(Scan.report_path == report, Scan.finished_at.is_(None))
            .order_by(Scan.id.desc())
        ).first()
        if previous is not None:
            if previous.options != identity:
                raise ScanStateError(
                    f"cannot resume scan {previous.id} for {report}: its settings differ "
                    f"(was {previous.options}, now {identity})"
                )
            return previous, True
    scan = Scan(
        report_path=report, roots=list(options.roots), banks=list(options.banks), options=identity
    )
    session.add(scan)
    session.commit()
    return scan, False


def done_units(session: Session, scan: Scan) -> set[str]:
    return set(session.scalars(select(ScanUnit.unit_path).where(ScanUnit.scan_id == scan.id)))


def store_units(
    session: Session, scan: Scan, units: list[tuple[int, str, list[dict[str, object]]]]
) -> None:
    """Queue units' records and done-markers (committed by the caller, together).

    ``units`` holds (ordinal, unit path, report entries) per top-level file.
    """
    session.execute(
        insert(ScanUnit),
        [{"scan_id": scan.id, "unit_path": path, "ordinal": ordinal} for ordinal, path, _ in units],
    )
    records = [
        {"scan_id": scan.id, "ordinal": ordinal, "item_index": i, "record": entry}
        for ordinal, _, entries in units
        for i, entry in enumerate(entries)
    ]
    if records:
        session.execute(insert(ScanRecord), records)


def report_path_of(scan: Scan) -> Path:
    return Path(scan.report_path)
