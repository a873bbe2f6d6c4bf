"""NCMEC hash-sharing API (v2, XML) as an exchange, through python-threatexchange's client.

Sync is checkpointed per page: a page's entries and the paging position are committed in one
transaction, so a sync killed at any moment resumes where it was and ends with the same bank.
NCMEC does not return entries in time order, so the time window only moves forward once the
whole window has been read. A page that keeps failing (malformed XML, 5xx after retries) is
skipped by its paging position and recorded, so one bad page never stalls the sync (the stuck
fetch of the reference matcher).
"""

from __future__ import annotations

import html
import os
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session
from threatexchange.exchanges.clients.ncmec.hash_api import (
    GetEntriesResponse,
    NCMECEntryUpdate,
    NCMECEnvironment,
    NCMECHashAPI,
)

from egide.exchange.paging import Counts, Item, apply_items
from egide.formats import ListEntry, RecordError
from egide.signals import get as signal_type
from egide.store import Bank, Exchange

# NCMEC fingerprint tags -> egide signal types; others (NetClean, Videntifier, TMK) are kept out.
FINGERPRINTS = {"md5": "md5", "sha1": "sha1", "pdq": "pdq", "pdna": "photodna"}


class NcmecError(RuntimeError):
    """The NCMEC sync cannot go on (bad credentials, unreachable service)."""


@dataclass
class PageResult(Counts):
    skipped_pages: list[str] = field(default_factory=list)


def client_for(config: dict[str, Any]) -> NCMECHashAPI:
    """The threatexchange client, pointed at the configured base URL (a proxy, or a test
    server) when one is given instead of NCMEC's own host for the environment."""
    password = os.environ.get(str(config["password_env"]), "")
    if not password:
        raise NcmecError(f"environment variable {config['password_env']} holds no password")
    environment = NCMECEnvironment[str(config.get("environment", "Industry"))]
    api = NCMECHashAPI(str(config["username"]), password, environment)
    if config.get("base_url"):
        api._base_url = str(config["base_url"]).rstrip("/")
    return api


def media_id(update: NCMECEntryUpdate) -> str:
    return f"ncmec:{update.member_id}:{update.id}"


def entries_of(update: NCMECEntryUpdate) -> Iterator[ListEntry | RecordError]:
    extra: dict[str, object] = {"ncmec_entry_type": update.entry_type.value}
    if update.classification:
        extra["ncmec_classification"] = update.classification
    for tag, value in update.fingerprints.items():
        name = FINGERPRINTS.get(tag.lower())
        if name is None:
            continue
        try:
            normalised = signal_type(name).normalise(value)
        except ValueError as exc:
            yield RecordError(f"NCMEC entry {update.id} {tag}", str(exc))
            continue
        yield ListEntry(name, normalised, media_id=media_id(update), extra=extra)


def _skip_position(next_: str) -> str:
    """The paging link after ``next_``: NCMEC pages are id ranges (start, size, max)."""
    parsed = urllib.parse.urlsplit(html.unescape(next_))
    params = urllib.parse.parse_qs(parsed.query)
    start, size, top = (int(params[k][0]) for k in ("start", "size", "max"))
    if start + size > top:
        return ""
    params["start"] = [str(start + size)]
    query = urllib.parse.urlencode({k: v[0] for k, v in params.items()})
    return urllib.parse.urlunsplit(("", "", parsed.path, query, ""))


def fetch_page(
    api: NCMECHashAPI,
    window: tuple[int, int],
    next_: str,
    attempts: int = 3,
    sleep: Callable[[float], None] = time.sleep,
) -> GetEntriesResponse | None:
    """One page, retried; None when it keeps failing (the caller skips it)."""
    last: Exception | None = None
    for attempt in range(attempts):
        try:
            return api.get_entries(start_timestamp=window[0], end_timestamp=window[1], next_=next_)
        except Exception as exc:
            last = exc
            if "401" in str(exc) or "403" in str(exc):
                raise NcmecError(f"NCMEC refused the credentials: {exc}") from None
            sleep(0.2 * 2**attempt)
    if not next_:
        raise NcmecError(f"NCMEC first page of the window failed: {last}")
    return None


def apply_page(
    session: Session, bank: Bank, source: str, page: GetEntriesResponse, result: PageResult
) -> None:
    """Stage a page's updates and deletions (committed by the caller with the checkpoint).
    The same entry twice in a page: the last one wins (its position stands in for a time)."""
    items = [
        Item(media_id(update), position, None if update.deleted else list(entries_of(update)))
        for position, update in enumerate(page.updates)
    ]
    apply_items(session, bank, source, items, result)


def sync_ncmec(
    session: Session,
    exchange: Exchange,
    bank: Bank,
    source: str,
    sleep: Callable[[float], None] = time.sleep,
) -> PageResult:
    """Read every page of the open time window, then move the window forward."""
    api = client_for(exchange.config)
    checkpoint: dict[str, Any] = dict(exchange.checkpoint or {})
    if not checkpoint.get("to"):
        checkpoint = {
            "from": int(checkpoint.get("from", exchange.config.get("start", 0))),
            "to": int(time.time()),
            "next": "",
            "skipped": [],
        }
        exchange.checkpoint = checkpoint
        session.commit()
    window = (int(checkpoint["from"]), int(checkpoint["to"]))
    result = PageResult()
    next_ = str(checkpoint.get("next", ""))
    while True:
        page = fetch_page(api, window, next_, sleep=sleep)
        if page is None:
            result.skipped_pages.append(next_)
            checkpoint["skipped"] = [*checkpoint.get("skipped", []), next_]
            next_ = _skip_position(next_)
        else:
            apply_page(session, bank, source, page, result)
            next_ = page.next
        checkpoint["next"] = next_
        exchange.checkpoint = dict(checkpoint)
        session.commit()  # the page's entries and the paging position, together
        if not next_:
            break
    exchange.checkpoint = {"from": window[1], "to": None, "next": "", "skipped": []}
    exchange.last_sync_at = datetime.now(UTC)
    exchange.last_error = (
        f"skipped {len(result.skipped_pages)} page(s) that kept failing: "
        + ", ".join(result.skipped_pages)
        if result.skipped_pages
        else None
    )
    session.commit()
    return result
