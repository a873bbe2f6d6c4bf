"""Exchanges: subscriptions that pull a remote list into a local bank, checkpointed.

A sync is idempotent and safe to interrupt: entries are upserted in batches with the
exchange as their source, entries the remote list no longer holds lose that source (and go
when no other source keeps them), and the checkpoint moves only at the end.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from threatexchange.exchanges.clients.ncmec.hash_api import NCMECEnvironment

from egide.banks import BankError, get_bank, import_entries, withdraw_source
from egide.exchange.feed import FeedError, read_feed_entries, verify_feed
from egide.exchange.fetch import DEFAULT_RETRY, FetchError, RetryPolicy, fetch_to_file
from egide.exchange.keys import fingerprint, parse_public_key
from egide.exchange.ncmec import NcmecError, sync_ncmec
from egide.exchange.paging import ExchangeError, PageSource, sync_pages
from egide.exchange.stopncii import DEFAULT_KEY_ENV, StopNCIIPages
from egide.exchange.threatexchange import DEFAULT_TOKEN_ENV, ThreatExchangePages
from egide.formats import ListEntry, RecordError
from egide.store import Bank, Exchange

KINDS = ("egide-feed", "ncmec", "stopncii", "threatexchange")


@dataclass(frozen=True)
class SyncResult:
    exchange: str
    sequence: int
    added: int
    updated: int
    unchanged: int
    withdrawn: int
    rejected: int
    up_to_date: bool = False
    skipped_pages: int = 0
    # signal types the exchange sent that egide does not hold, with how many records of each
    skipped_signals: dict[str, int] = field(default_factory=dict)


def source_name(exchange: Exchange) -> str:
    return f"exchange:{exchange.name}"


def add_exchange(
    session: Session, name: str, bank_name: str, location: str, public_key_pem: bytes
) -> Exchange:
    """Subscribe ``bank_name`` to the egide feed at ``location``, trusting that key only."""
    if session.scalar(select(Exchange.id).where(Exchange.name == name)) is not None:
        raise BankError(f"an exchange named {name!r} already exists")
    bank = get_bank(session, bank_name)
    key = parse_public_key(public_key_pem, "given for the exchange")
    exchange = Exchange(
        name=name,
        kind="egide-feed",
        bank_id=bank.id,
        config={
            "location": location,
            "public_key": public_key_pem.decode(),
            "key_fingerprint": fingerprint(key),
        },
    )
    session.add(exchange)
    session.flush()
    return exchange


def add_ncmec_exchange(
    session: Session,
    name: str,
    bank_name: str,
    username: str,
    password_env: str,
    *,
    environment: str = "Industry",
    base_url: str | None = None,
    start: int = 0,
) -> Exchange:
    """Subscribe ``bank_name`` to NCMEC's hash-sharing API. The password is never stored:
    ``password_env`` names the environment variable that holds it at sync time."""
    if session.scalar(select(Exchange.id).where(Exchange.name == name)) is not None:
        raise BankError(f"an exchange named {name!r} already exists")
    if environment not in NCMECEnvironment.__members__:
        known = ", ".join(NCMECEnvironment.__members__)
        raise BankError(f"unknown NCMEC environment {environment!r}; known: {known}")
    bank = get_bank(session, bank_name)
    config: dict[str, object] = {
        "username": username,
        "password_env": password_env,
        "environment": environment,
        "start": start,
    }
    if base_url:
        config["base_url"] = base_url
    exchange = Exchange(name=name, kind="ncmec", bank_id=bank.id, config=config)
    session.add(exchange)
    session.flush()
    return exchange


def _new_exchange(
    session: Session, name: str, bank_name: str, kind: str, config: dict[str, object]
) -> Exchange:
    if session.scalar(select(Exchange.id).where(Exchange.name == name)) is not None:
        raise BankError(f"an exchange named {name!r} already exists")
    bank = get_bank(session, bank_name)
    exchange = Exchange(name=name, kind=kind, bank_id=bank.id, config=config)
    session.add(exchange)
    session.flush()
    return exchange


def _paging_config(base_url: str | None, page_size: int | None, start: int) -> dict[str, object]:
    if page_size is not None and page_size < 1:
        raise BankError(f"page size must be at least 1, not {page_size}")
    config: dict[str, object] = {"start": start}
    if base_url:
        config["base_url"] = base_url
    if page_size:
        config["page_size"] = page_size
    return config


def add_stopncii_exchange(
    session: Session,
    name: str,
    bank_name: str,
    *,
    key_env: str = DEFAULT_KEY_ENV,
    base_url: str | None = None,
    page_size: int | None = None,
    start: int = 0,
) -> Exchange:
    """Subscribe ``bank_name`` to StopNCII.org's FetchHashes. The keys are never stored:
    ``key_env`` names the variable holding ``FETCH_FUNCTION_KEY,SUBSCRIPTION_KEY``."""
    config = {"key_env": key_env, **_paging_config(base_url, page_size, start)}
    return _new_exchange(session, name, bank_name, "stopncii", config)


def add_threatexchange_exchange(
    session: Session,
    name: str,
    bank_name: str,
    privacy_group: int,
    *,
    token_env: str = DEFAULT_TOKEN_ENV,
    base_url: str | None = None,
    page_size: int | None = None,
    start: int = 0,
) -> Exchange:
    """Subscribe ``bank_name`` to a ThreatExchange privacy group's updates. The token is never
    stored: ``token_env`` names the variable that holds it at sync time."""
    config = {
        "privacy_group": privacy_group,
        "token_env": token_env,
        **_paging_config(base_url, page_size, start),
    }
    return _new_exchange(session, name, bank_name, "threatexchange", config)


def get_exchange(session: Session, name: str) -> Exchange:
    exchange = session.scalar(select(Exchange).where(Exchange.name == name))
    if exchange is None:
        known = ", ".join(session.scalars(select(Exchange.name).order_by(Exchange.name))) or "none"
        raise BankError(f"no exchange named {name!r}; exchanges: {known}")
    return exchange


def list_exchanges(session: Session) -> list[Exchange]:
    return list(session.scalars(select(Exchange).order_by(Exchange.name)))


def remove_exchange(session: Session, name: str) -> None:
    session.delete(get_exchange(session, name))
    session.flush()


def sync_exchange(session: Session, name: str, policy: RetryPolicy = DEFAULT_RETRY) -> SyncResult:
    """Fetch, verify and apply the exchange's feed; FeedError/FetchError leave the bank as is."""
    exchange = get_exchange(session, name)
    try:
        if exchange.kind == "ncmec":
            return _sync_ncmec(session, exchange)
        if exchange.kind in PAGED:
            return _sync_paged(
                session, exchange, PAGED[exchange.kind](exchange.config, policy), policy
            )
        return _sync(session, exchange, policy)
    except (FeedError, FetchError, NcmecError, ExchangeError) as exc:
        session.rollback()
        exchange = get_exchange(session, name)
        exchange.last_error = str(exc)
        session.commit()
        raise


def _sync_ncmec(session: Session, exchange: Exchange) -> SyncResult:
    bank = session.get(Bank, exchange.bank_id)
    assert bank is not None
    result = sync_ncmec(session, exchange, bank, source_name(exchange))
    sequence = int(str((exchange.checkpoint or {}).get("from", 0)))
    return SyncResult(
        exchange.name,
        sequence,
        result.added,
        result.updated,
        0,
        result.withdrawn,
        result.rejected,
        skipped_pages=len(result.skipped_pages),
    )


PAGED: dict[str, type[StopNCIIPages] | type[ThreatExchangePages]] = {
    "stopncii": StopNCIIPages,
    "threatexchange": ThreatExchangePages,
}


def _sync_paged(
    session: Session, exchange: Exchange, pages: PageSource, policy: RetryPolicy
) -> SyncResult:
    bank = session.get(Bank, exchange.bank_id)
    assert bank is not None
    result = sync_pages(session, exchange, bank, source_name(exchange), pages, policy)
    return SyncResult(
        exchange.name,
        result.high,
        result.added,
        result.updated,
        0,
        result.withdrawn,
        result.rejected,
        skipped_pages=len(result.skipped_spans),
        skipped_signals=dict(sorted(result.skipped_signals.items())),
    )


def _sync(session: Session, exchange: Exchange, policy: RetryPolicy) -> SyncResult:
    config = exchange.config
    key = parse_public_key(str(config["public_key"]).encode(), f"of exchange {exchange.name}")
    bank = session.get(Bank, exchange.bank_id)
    assert bank is not None
    last = int(str((exchange.checkpoint or {}).get("sequence", 0)))
    with tempfile.TemporaryDirectory(prefix="egide-feed-") as tmp:
        local = Path(tmp) / "feed.jsonl"
        fetch_to_file(str(config["location"]), local, policy)
        manifest = verify_feed(local, key)
        if manifest.sequence < last:
            raise FeedError(
                f"feed sequence {manifest.sequence} is older than the one already applied "
                f"({last}): a replayed or stale feed; refusing it"
            )
        if manifest.sequence == last:
            return SyncResult(exchange.name, last, 0, 0, 0, 0, 0, up_to_date=True)
        keep: set[tuple[str, str]] = set()

        def remember() -> Iterator[ListEntry | RecordError]:
            for item in read_feed_entries(local):
                if isinstance(item, ListEntry):
                    keep.add((item.signal_type, item.value))
                yield item

        result = import_entries(session, bank, remember(), source=source_name(exchange))
    withdrawn = withdraw_source(session, bank, source_name(exchange), keep)
    exchange.checkpoint = {"sequence": manifest.sequence, "entries_sha256": manifest.entries_sha256}
    exchange.last_sync_at = datetime.now(UTC)
    exchange.last_error = None
    session.commit()
    return SyncResult(
        exchange.name,
        manifest.sequence,
        result.added,
        result.updated,
        result.unchanged,
        withdrawn,
        result.error_count,
    )
