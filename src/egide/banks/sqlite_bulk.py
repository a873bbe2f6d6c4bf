"""A larger SQLite page cache for the length of a bulk import, then the connection's own again.

A bank's unique index takes keys in hash order, so a big import touches index pages all over
the file; with SQLite's default 2 MB cache those pages are read and spilled again and again.
Only the cache grows: durability settings (journal, ``synchronous``) are never touched.
The cache is per connection and the session may take another pooled connection after a commit,
so each batch makes sure of its own connection and every connection changed is put back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy.orm import Session

# 256 MiB: a 7.5-million-entry import stays near 365 MB in all, inside the 500 MB it may use;
# against 64 MiB it cut that import by a fifth (the unique index outgrows any smaller cache).
BULK_CACHE_KIB = 262_144


class BulkSettings:
    """Connections given the bulk cache, with the cache_size each had before."""

    def __init__(self) -> None:
        self._changed: dict[int, tuple[Any, int]] = {}

    def apply(self, session: Session) -> None:
        """Give the session's current connection the bulk cache (SQLite only; once each)."""
        connection = session.connection()
        if connection.dialect.name != "sqlite":
            return
        raw = connection.connection.driver_connection
        if raw is None or id(raw) in self._changed:
            return
        (before,) = raw.execute("PRAGMA cache_size").fetchone()
        self._changed[id(raw)] = (raw, int(before))
        page_size = int(raw.execute("PRAGMA page_size").fetchone()[0])
        kib = -before if before < 0 else before * page_size // 1024
        if kib < BULK_CACHE_KIB:
            raw.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")

    def restore(self) -> None:
        for raw, before in self._changed.values():
            with suppress(sqlite3.ProgrammingError):  # closed meanwhile: nothing to restore
                raw.execute(f"PRAGMA cache_size={before}")
        self._changed.clear()


@contextmanager
def bulk_settings() -> Iterator[BulkSettings]:
    settings = BulkSettings()
    try:
        yield settings
    finally:
        settings.restore()
