"""List entries as staged database rows: plain tuples with values already in database form.

``extra`` is serialised the way SQLAlchemy's JSON type does it (``json.dumps``, ``None`` as the
JSON ``null``), so rows written here compare equal to rows the ORM wrote and a re-import sees
them unchanged. The hashes of one record share one ``extra`` object, serialised once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from egide.banks.staging import StagedRow
from egide.formats import ListEntry

_dumps = json.dumps


def staged_rows(entries: Iterable[ListEntry]) -> list[StagedRow]:
    """One row per entry, numbered in order (the insert keeps that order)."""
    rows: list[StagedRow] = []
    append = rows.append
    last_extra: object = None
    last_text = "null"
    for n, entry in enumerate(entries):
        extra = entry.extra
        if extra is not last_extra:
            last_extra = extra
            last_text = _dumps(extra)
        category = entry.category
        append(
            (
                n,
                entry.signal_type,
                entry.value,
                category.scheme if category else None,
                category.code if category else None,
                entry.series,
                entry.victim_identified,
                entry.baseline,
                entry.media_id,
                entry.offender_identified,
                entry.is_distributed,
                last_text,
            )
        )
    return rows
