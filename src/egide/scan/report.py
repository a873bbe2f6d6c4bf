"""The scan report: a versioned JSON document (schema in report.schema.json) and an HTML view.

Both are built from the checkpointed records, in walk order, so a resumed scan writes exactly the
report an uninterrupted one would (only timings and the scan's id and dates differ).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import egide
from egide.scan.html import render_html
from egide.scan.records import CLASSES
from egide.store import Scan, ScanRecord

SCHEMA_VERSION = "1.1"
SCHEMA_ID = "https://egide.dev/schemas/scan-report-1.1.json"


@dataclass(frozen=True)
class ScanReport:
    path: Path
    html_path: Path | None
    summary: dict[str, Any]


def iter_records(session: Session, scan: Scan, chunk: int = 5000) -> Iterator[dict[str, Any]]:
    """The scan's file entries in walk order, streamed."""
    last = (-1, -1)
    while True:
        rows = session.execute(
            select(ScanRecord.ordinal, ScanRecord.item_index, ScanRecord.record)
            .where(
                ScanRecord.scan_id == scan.id,
                (ScanRecord.ordinal > last[0])
                | ((ScanRecord.ordinal == last[0]) & (ScanRecord.item_index > last[1])),
            )
            .order_by(ScanRecord.ordinal, ScanRecord.item_index)
            .limit(chunk)
        ).all()
        if not rows:
            return
        for row in rows:
            yield dict(row.record)
        last = (int(rows[-1].ordinal), int(rows[-1].item_index))


def summarise(
    records: Iterator[dict[str, Any]], elapsed: float, quarantined: list[dict[str, Any]]
) -> dict[str, Any]:
    classes: Counter[str] = Counter({name: 0 for name in CLASSES})
    categories: Counter[str] = Counter()
    banks: Counter[str] = Counter()
    files = disk_bytes = errors = warnings = allowed = 0
    for record in records:
        files += 1
        classes[record["class"]] += 1
        if "!" not in record["path"]:
            disk_bytes += record.get("size") or 0
        errors += "error" in record
        allowed += "allowed_by" in record
        warnings += len(record.get("warnings", []))
        hits = record.get("hits", [])
        for label in sorted({h["category"]["label"] for h in hits if "category" in h}):
            categories[label] += 1
        for bank in sorted({h["bank"] for h in hits}):
            banks[bank] += 1
    return {
        "files": files,
        "bytes": disk_bytes,
        "classes": dict(classes),
        "categories": dict(sorted(categories.items())),
        "banks": dict(sorted(banks.items())),
        "errors": errors,
        "warnings": warnings,
        "allowed": allowed,
        "quarantined": quarantined,
        "duration_seconds": round(elapsed, 3),
        "files_per_second": round(files / elapsed, 2) if elapsed > 0 else None,
    }


def _header(scan: Scan, summary: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generator": f"egide {egide.__version__}",
        "scan": {
            "id": scan.id,
            "roots": scan.roots,
            "banks": scan.banks,
            "options": scan.options,
            "started_at": scan.started_at.isoformat(),
            "finished_at": scan.finished_at.isoformat() if scan.finished_at else None,
        },
        "summary": summary,
    }


def write_reports(
    session: Session,
    scan: Scan,
    report_path: Path,
    html_path: Path | None,
    quarantined: list[dict[str, Any]] | None = None,
) -> ScanReport:
    """Write the JSON report (streamed, entry by entry) and, if asked, the HTML one."""
    summary = summarise(iter_records(session, scan), scan.elapsed_seconds, quarantined or [])
    header = _header(scan, summary)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = report_path.with_name(report_path.name + ".part")
    with tmp.open("w", encoding="utf-8") as out:
        head = json.dumps(header, indent=1, ensure_ascii=False)
        out.write(head[: head.rstrip().rfind("}")].rstrip() + ',\n "files": [')
        for n, record in enumerate(iter_records(session, scan)):
            out.write(("\n  " if n == 0 else ",\n  ") + json.dumps(record, ensure_ascii=False))
        out.write("\n ]\n}\n")
    tmp.replace(report_path)
    if html_path is not None:
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(render_html(header, iter_records(session, scan)), encoding="utf-8")
    return ScanReport(report_path, html_path, summary)


def schema() -> dict[str, Any]:
    """The JSON Schema of the report."""
    from importlib import resources

    text = resources.files("egide.scan").joinpath("report.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded
