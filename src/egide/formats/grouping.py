"""Grouping a stream of entries back into media items (VICS MediaID, ICSE Image ID) for export.

Entries of one item are usually adjacent (a record's hashes are imported together), but a bank can
interleave them; groups stay open for a bounded window of items, so memory stays bounded too. An
item whose hashes are further apart than the window is written as two records with the same id.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator

from egide.formats.records import ListEntry

WINDOW = 10_000


def group_by_media(entries: Iterable[ListEntry], window: int = WINDOW) -> Iterator[list[ListEntry]]:
    """Lists of entries sharing a media_id, in order of first appearance; no id: one per entry."""
    pending: OrderedDict[object, list[ListEntry]] = OrderedDict()
    for number, entry in enumerate(entries):
        key: object = entry.media_id if entry.media_id is not None else ("", number)
        group = pending.get(key)
        if group is not None:
            group.append(entry)
            continue
        pending[key] = [entry]
        if len(pending) > window:
            yield pending.popitem(last=False)[1]
    while pending:
        yield pending.popitem(last=False)[1]
