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
    """

    database_url: str = field(default_factory=default_database_url)
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD
    refresh_seconds: float = 1.0
    auth_cache_seconds: float = 2.0
    flush_seconds: float = 0.2
    max_batch: int = 1000
    cache_dir: Path | None = field(default_factory=lambda: data_home() / "index-cache")

    @classmethod
    def from_env(cls) -> ServiceSettings:
        """``EGIDE_DATABASE_URL``, ``EGIDE_MAX_UPLOAD_BYTES``, ``EGIDE_REFRESH_SECONDS``."""
        return cls(
            max_upload_bytes=int(_env_float("EGIDE_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD)),
            refresh_seconds=_env_float("EGIDE_REFRESH_SECONDS", 1.0),
        )
