"""Scans of server folders started through the API: run in the background, status on disk.

Each scan gets a random id and a folder under ``scan_dir`` holding ``status.json`` (replaced
atomically at every change) and the scan's JSON report. Any worker of the machine can then
answer ``GET /v1/scans/{id}``, whichever worker runs the scan. Each worker runs its scans one
at a time in one thread, hashing in that thread (no process pool inside a server worker).
"""

from __future__ import annotations

import json
import logging
import os
import queue
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from egide.scan import ScanOptions, run_scan
from egide.service.audit import AuditEvent, append
from egide.service.errors import NotFound
from egide.service.scan_paths import ScanTarget

log = logging.getLogger(__name__)
ID_BYTES = 12


@dataclass(frozen=True)
class ScanJob:
    scan_id: str
    org_id: int
    actor: str
    key_prefix: str
    remote: str
    target: ScanTarget
    banks: tuple[str, ...]
    dihedral: bool


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ScanStore:
    """Status files of the scans; the one place that knows the folder layout."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def folder(self, scan_id: str) -> Path:
        if not (scan_id.isalnum() and len(scan_id) == 2 * ID_BYTES):
            raise NotFound(f"no scan {scan_id!r}")
        return self.root / scan_id

    def write(self, scan_id: str, status: dict[str, Any]) -> None:
        folder = self.folder(scan_id)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"status.{os.getpid()}.{threading.get_ident()}.tmp"
        tmp.write_text(json.dumps(status), encoding="utf-8")
        tmp.replace(folder / "status.json")

    def read(self, scan_id: str, org_id: int) -> dict[str, Any]:
        """The scan's status (and report once done); another organisation's scan is unknown."""
        folder = self.folder(scan_id)
        try:
            status: dict[str, Any] = json.loads((folder / "status.json").read_text("utf-8"))
        except (OSError, ValueError):
            raise NotFound(f"no scan {scan_id!r}") from None
        if status.get("org_id") != org_id:
            raise NotFound(f"no scan {scan_id!r}")
        if status.get("state") == "done":
            try:
                status["report"] = json.loads((folder / "report.json").read_text("utf-8"))
            except (OSError, ValueError) as exc:
                status["state"], status["error"] = "failed", f"report unreadable: {exc}"
        return status


class ScanRunner:
    """One background thread per worker running queued scans in order."""

    def __init__(self, engine: Engine, store: ScanStore, index_cache: Path | None) -> None:
        self._engine = engine
        self._store = store
        self._index_cache = index_cache
        self._queue: queue.Queue[ScanJob | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    @staticmethod
    def new_id() -> str:
        return secrets.token_hex(ID_BYTES)

    def submit(self, job: ScanJob) -> dict[str, Any]:
        status = {
            "id": job.scan_id,
            "org_id": job.org_id,
            "state": "queued",
            "path": str(job.target.path),
            "banks": list(job.banks),
            "files": len(job.target.files),
            "refused": [{"path": p, "reason": r} for p, r in job.target.refused],
            "created_at": _now(),
            "finished_at": None,
            "error": None,
        }
        self._store.write(job.scan_id, status)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="egide-scans", daemon=True)
            self._thread.start()
        self._queue.put(job)
        return status

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            self._execute(job)

    def _execute(self, job: ScanJob) -> None:
        folder = self._store.folder(job.scan_id)
        status = json.loads((folder / "status.json").read_text("utf-8"))
        status["state"] = "running"
        self._store.write(job.scan_id, status)
        options = ScanOptions(
            roots=job.target.files,
            banks=job.banks,
            report_path=folder / "report.json",
            dihedral=job.dihedral,
            index_cache=self._index_cache,
        )
        try:
            outcome = run_scan(self._engine, options)
            status["state"] = "done"
            status["summary"] = outcome.report.summary
        except Exception as exc:  # a failed scan is reported, the worker goes on
            log.exception("scan %s failed", job.scan_id)
            status["state"] = "failed"
            status["error"] = f"{type(exc).__name__}: {exc}"
        status["finished_at"] = _now()
        self._audit(job, status)  # before the end is published: "done" means audited too
        self._store.write(job.scan_id, status)

    def _audit(self, job: ScanJob, status: dict[str, Any]) -> None:
        detail: dict[str, object] = {"state": status["state"], "files": len(job.target.files)}
        if status.get("error"):
            detail["error"] = status["error"]
        summary = status.get("summary") or {}
        if isinstance(summary, dict) and "classes" in summary:
            detail["classes"] = summary["classes"]
        try:
            with Session(self._engine) as session:
                append(
                    session,
                    AuditEvent(
                        actor=job.actor,
                        action="scan.finish",
                        target=f"scan:{job.scan_id}",
                        detail=detail,
                        remote=job.remote,
                        org_id=job.org_id,
                        key_prefix=job.key_prefix,
                    ),
                )
                session.commit()
        except Exception:
            log.exception("audit of scan %s failed", job.scan_id)

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=5)
