"""Loading a batch of entry rows into a per-connection temporary table, through the driver.

SQLAlchemy's per-value parameter processing costs more than the database itself on a bulk
import, so rows arrive here as plain tuples with their values already in database form and go in
with the driver's own bulk call: ``executemany`` on SQLite, ``COPY`` on PostgreSQL. The table is
temporary and emptied after each batch, so it never outlives the import's transaction state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

TABLE = "_egide_entry_batch"
# Columns of a staged row, in order: its position in the batch, then the bank_entries columns.
COLUMNS = (
    "n",
    "signal_type",
    "value",
    "category_scheme",
    "category_code",
    "series",
    "victim_identified",
    "baseline",
    "media_id",
    "offender_identified",
    "is_distributed",
    "extra",
)
METADATA = COLUMNS[3:]  # what an update may change
_FLAGS = {"victim_identified", "baseline", "offender_identified", "is_distributed"}

# A staged row: (n, signal_type, value, scheme, code, series, victim_identified, baseline,
# media_id, offender_identified, is_distributed, extra as JSON text).
StagedRow = tuple[Any, ...]


def _ddl(flag_type: str, key: str) -> str:
    columns = ", ".join(
        f"{name} {key if name == 'n' else flag_type if name in _FLAGS else 'TEXT'}"
        for name in COLUMNS
    )
    return f"CREATE TEMP TABLE IF NOT EXISTS {TABLE} ({columns})"


_SQLITE_DDL = _ddl("INTEGER", "INTEGER PRIMARY KEY")
_POSTGRES_DDL = _ddl("BOOLEAN", "INTEGER")
_SQLITE_INSERT = f"INSERT INTO {TABLE} VALUES ({', '.join('?' for _ in COLUMNS)})"
_POSTGRES_COPY = f"COPY {TABLE} ({', '.join(COLUMNS)}) FROM STDIN"


def stage(dialect: str, cursor: Any, rows: Sequence[StagedRow]) -> None:
    """Put ``rows`` into the (emptied) batch table of the cursor's connection."""
    if dialect == "sqlite":
        cursor.execute(_SQLITE_DDL)
        cursor.executemany(_SQLITE_INSERT, rows)
        return
    cursor.execute(_POSTGRES_DDL)
    with cursor.copy(_POSTGRES_COPY) as copy:
        for row in rows:
            copy.write_row(row)


def clear(cursor: Any) -> None:
    cursor.execute(f"DELETE FROM {TABLE}")
