"""What the paged-exchange tests share: a quick retry policy, a sync, the bank it leaves."""

from __future__ import annotations

from sqlalchemy import Engine

from egide.banks import get_bank, iter_entries
from egide.exchange import RetryPolicy, sync_exchange
from egide.exchange.subscriptions import SyncResult
from egide.store import session_maker

FAST = RetryPolicy(attempts=2, first_delay=0.01, factor=2.0, timeout=0.5)


def sync(engine: Engine, exchange: str) -> SyncResult:
    with session_maker(engine)() as session:
        return sync_exchange(session, exchange, FAST)


def bank_entries(engine: Engine, bank: str) -> set[tuple[str, str, str | None]]:
    """(signal type, value, media id) of every entry of ``bank``."""
    with session_maker(engine)() as session:
        return {
            (e.signal_type, e.value, e.media_id)
            for e in iter_entries(session, get_bank(session, bank))
        }
