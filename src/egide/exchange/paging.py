"""Sync engine for exchanges that page through records in time order (StopNCII, ThreatExchange).

Each page's entries, withdrawals and the paging position are committed in one transaction, so
a sync killed at any moment resumes where it was and ends with the same bank. A page that keeps
coming back malformed is skipped by moving the time position forward (first re-anchoring at the
highest time read, then 1, 2, 4... seconds further) and the skipped time span is recorded, so one
bad page never stalls the sync (the StopNCII stall of the reference matcher). A service that
keeps failing (5xx, timeouts) stops the sync with an error and the next sync resumes at the same
page; after ``unavailable_limit`` such syncs in a row the page is skipped like a malformed one.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from egide.banks import stage_entries, withdraw_media
from egide.exchange.fetch import RetryPolicy
from egide.formats import ListEntry, RecordError
from egide.store import Bank, Exchange

MAX_SPANS_KEPT = 100


class ExchangeError(RuntimeError):
    """The sync cannot go on (no or refused credentials, service unavailable, bad config)."""


class PageMalformed(Exception):
    """The page's payload cannot be read (bad JSON, missing envelope fields)."""


class PageUnavailable(Exception):
    """The service did not answer the page (5xx after the client's retries, timeouts)."""


class PageRefused(Exception):
    """The service refused the request for this position (4xx other than credentials)."""


@dataclass(frozen=True)
class Item:
    """One remote record: ``entries`` None means withdrawn (deleted, or no longer vouched for);
    ``key`` None means the record cannot even be identified (its entries are only errors)."""

    key: str | None
    timestamp: int
    entries: list[ListEntry | RecordError] | None


@dataclass
class Page:
    items: list[Item]
    next_cursor: str  # "" once the stream is read to its end
    high: int  # the time position this page vouches for
    skipped_signals: Counter[str] = field(default_factory=Counter)
    dropped: list[RecordError] = field(default_factory=list)  # records the client threw away


class PageSource(Protocol):
    label: str

    def fetch(self, since: int, cursor: str) -> Page: ...


@dataclass
class Counts:
    """What applying pages did to a bank."""

    added: int = 0
    updated: int = 0
    withdrawn: int = 0
    rejected: int = 0


@dataclass
class PagedResult(Counts):
    high: int = 0
    skipped_spans: list[list[Any]] = field(default_factory=list)
    skipped_signals: Counter[str] = field(default_factory=Counter)


def apply_items(
    session: Session, bank: Bank, source: str, items: list[Item], result: Counts
) -> None:
    """Stage a page (committed by the caller with the position). Within a page the record with
    the latest time wins, whatever order the page lists them in."""
    latest: dict[str, Item] = {}
    entries: list[ListEntry | RecordError] = []
    for item in sorted(items, key=lambda i: i.timestamp):
        if item.key is None:
            entries.extend(item.entries or [])
        else:
            latest[item.key] = item
    keep: dict[str, set[tuple[str, str]]] = {}
    for key, item in latest.items():
        new = item.entries or []
        keep[key] = {(e.signal_type, e.value) for e in new if isinstance(e, ListEntry)}
        entries.extend(new)
    result.withdrawn += withdraw_media(session, bank, source, keep)
    staged = stage_entries(session, bank, entries, source)
    result.added += staged.added
    result.updated += staged.updated
    result.rejected += staged.error_count


def _fetch(
    pages: PageSource, since: int, cursor: str, policy: RetryPolicy, sleep: Callable[[float], None]
) -> Page:
    """One page, retried with backoff when malformed or unavailable; refusals are not retried."""
    delay = policy.first_delay
    for attempt in range(1, policy.attempts + 1):
        try:
            return pages.fetch(since, cursor)
        except (PageMalformed, PageUnavailable):
            if attempt == policy.attempts:
                raise
        sleep(delay)
        delay *= policy.factor
    raise AssertionError("unreachable")


@dataclass
class _Position:
    """The checkpoint as stored in ``Exchange.checkpoint`` (JSON)."""

    since: int
    cursor: str = ""
    high: int = 0
    strikes: int = 0
    strike_base: int = 0
    bad: int = 0  # the latest time position whose first page failed
    reason: str = ""
    unavailable: int = 0
    spans: list[list[Any]] = field(default_factory=list)

    @classmethod
    def load(cls, checkpoint: dict[str, Any], start: int) -> _Position:
        since = int(checkpoint.get("since", start))
        return cls(
            since=since,
            cursor=str(checkpoint.get("cursor", "")),
            high=int(checkpoint.get("high", since)),
            strikes=int(checkpoint.get("strikes", 0)),
            strike_base=int(checkpoint.get("strike_base", since)),
            bad=int(checkpoint.get("bad", since)),
            reason=str(checkpoint.get("reason", "")),
            unavailable=int(checkpoint.get("unavailable", 0)),
            spans=list(checkpoint.get("skipped_spans", [])),
        )

    def dump(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "cursor": self.cursor,
            "high": self.high,
            "strikes": self.strikes,
            "strike_base": self.strike_base,
            "bad": self.bad,
            "reason": self.reason,
            "unavailable": self.unavailable,
            "skipped_spans": self.spans[-MAX_SPANS_KEPT:],
        }


def _strike(pos: _Position, reason: str, now: float) -> None:
    """Move past a page that keeps failing: re-anchor at the highest time read (nothing lost),
    then widen the gap 1, 2, 4... seconds until a page reads again."""
    if pos.strikes == 0:
        pos.strike_base = max(pos.high, pos.since)
        pos.strikes = 1 if pos.cursor else 2
    else:
        pos.strikes += 1
    if pos.strikes >= 2:
        pos.bad = pos.since
    pos.since = pos.strike_base + (0 if pos.strikes == 1 else 2 ** (pos.strikes - 2))
    pos.cursor = ""
    pos.reason = reason
    if pos.since > now + 86_400:
        raise ExchangeError(
            f"every page from time {pos.strike_base} on is malformed ({reason}); giving up"
        )


def _narrow(
    pages: PageSource,
    pos: _Position,
    page: Page,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
) -> Page:
    """After a widened skip reads again, bisect between the last failing and the first reading
    time position, so the skip loses as few seconds as the service allows."""
    bad, good = pos.bad, pos.since
    while good - bad > 1:
        mid = (bad + good) // 2
        try:
            probe = _fetch(pages, mid, "", policy, sleep)
        except (PageMalformed, PageUnavailable, PageRefused):
            bad = mid
        else:
            good, page = mid, probe
    pos.since = good
    return page


def _save(session: Session, exchange: Exchange, pos: _Position) -> None:
    exchange.checkpoint = pos.dump()
    session.commit()


def sync_pages(
    session: Session,
    exchange: Exchange,
    bank: Bank,
    source: str,
    pages: PageSource,
    policy: RetryPolicy,
    *,
    unavailable_limit: int = 3,
    sleep: Callable[[float], None] = time.sleep,
) -> PagedResult:
    """Read pages from the checkpoint to the end of the stream, committing page by page."""
    pos = _Position.load(dict(exchange.checkpoint or {}), int(str(exchange.config.get("start", 0))))
    result = PagedResult()
    first_span = len(pos.spans)
    while True:
        try:
            page = _fetch(pages, pos.since, pos.cursor, policy, sleep)
        except PageUnavailable as exc:
            pos.unavailable += 1
            if pos.unavailable < unavailable_limit:
                _save(session, exchange, pos)
                raise ExchangeError(
                    f"{pages.label} did not answer (since={pos.since}): {exc}; the next sync "
                    f"resumes here (failure {pos.unavailable} of {unavailable_limit} before "
                    "this page is skipped)"
                ) from None
            _strike(pos, f"unavailable: {exc}", time.time())
            pos.unavailable = 0
            _save(session, exchange, pos)
            continue
        except PageRefused as exc:
            if not pos.cursor:
                raise ExchangeError(f"{pages.label} refused the request: {exc}") from None
            _strike(pos, f"refused: {exc}", time.time())
            _save(session, exchange, pos)
            continue
        except PageMalformed as exc:
            _strike(pos, f"malformed: {exc}", time.time())
            _save(session, exchange, pos)
            continue
        if pos.strikes >= 2:
            page = _narrow(pages, pos, page, policy, sleep)
        apply_items(session, bank, source, page.items, result)
        result.rejected += len(page.dropped)
        result.skipped_signals.update(page.skipped_signals)
        pos.high = max(pos.high, page.high)
        pos.unavailable = 0
        if pos.strikes >= 2:
            pos.spans.append([pos.strike_base, pos.since, pos.reason])
            pos.strikes = 0
        elif pos.strikes == 1 and pos.high > pos.strike_base:
            pos.strikes = 0
        pos.cursor = page.next_cursor
        if not pos.cursor:
            break
        _save(session, exchange, pos)  # the page's entries and the position, together
    pos.since = max(pos.high, pos.since)  # inclusive: the next sync re-reads the last second
    pos.strikes = 0
    pos.reason = ""
    result.high = pos.high
    result.skipped_spans = pos.spans[first_span:]
    exchange.last_sync_at = datetime.now(UTC)
    exchange.last_error = (
        "skipped records updated in "
        + "; ".join(f"[{a}, {b}) ({why})" for a, b, why in result.skipped_spans)
        if result.skipped_spans
        else None
    )
    _save(session, exchange, pos)
    return result
