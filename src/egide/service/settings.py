"""Service settings, read from the environment so every uvicorn worker builds the same app."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from egide.store import data_home, default_database_url

DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


@dataclass(frozen=True)
class ServiceSettings:
    """What a worker needs: the database, the upload limit, how often to look for bank changes.

    ``cache_dir`` holds the per-revision index files (shared by all workers of a machine);
    ``auth_cache_seconds`` bounds how long a revoked key may still be accepted by a worker.
    ``scan_roots`` are the only server folders ``POST /v1/scans`` may read (none: scans off);
    ``scan_dir`` keeps each scan's status and report, where every worker of the machine sees it.
    ``fast_lookup`` lets ``fastpath`` answer plain ``POST /v1/lookup`` calls outside FastAPI
    (``EGIDE_FAST_LOOKUP=0`` turns it off, to compare).
    """

    database_url: str = field(default_factory=default_database_url)
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD
    refresh_seconds: float = 1.0
    auth_cache_seconds: float = 2.0
    flush_seconds: float = 0.2
    max_batch: int = 1000
    cache_dir: Path | None = field(default_factory=lambda: data_home() / "index-cache")
    scan_roots: tuple[Path, ...] = ()
    scan_dir: Path = field(default_factory=lambda: data_home() / "service-scans")
    fast_lookup: bool = True

    @classmethod
    def from_env(cls) -> ServiceSettings:
        """``EGIDE_DATABASE_URL``, ``EGIDE_MAX_UPLOAD_BYTES``, ``EGIDE_REFRESH_SECONDS``,
        ``EGIDE_SCAN_ROOTS`` (folders separated by ``os.pathsep``), ``EGIDE_FAST_LOOKUP``."""
        roots = os.environ.get("EGIDE_SCAN_ROOTS", "")
        return cls(
            max_upload_bytes=int(_env_float("EGIDE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD)),
            refresh_seconds=_env_float("EGIDE_REFRESH_SECONDS", 1.0),
            scan_roots=tuple(Path(r) for r in roots.split(os.pathsep) if r),
            fast_lookup=os.environ.get("EGIDE_FAST_LOOKUP", "1") != "0",
        )
