"""Exchanging hash lists between organisations: signed egide feeds, subscriptions, syncs."""

from egide.exchange.feed import FeedError, Manifest, publish_feed, verify_feed
from egide.exchange.fetch import FetchError, RetryPolicy
from egide.exchange.keys import KeyError_ as KeyFileError
from egide.exchange.keys import fingerprint, generate_keypair, load_private_key
from egide.exchange.ncmec import NcmecError
from egide.exchange.paging import ExchangeError
from egide.exchange.subscriptions import (
    SyncResult,
    add_exchange,
    add_ncmec_exchange,
    add_stopncii_exchange,
    add_threatexchange_exchange,
    get_exchange,
    list_exchanges,
    remove_exchange,
    sync_exchange,
)

__all__ = [
    "ExchangeError",
    "FeedError",
    "FetchError",
    "KeyFileError",
    "Manifest",
    "NcmecError",
    "RetryPolicy",
    "SyncResult",
    "add_exchange",
    "add_ncmec_exchange",
    "add_stopncii_exchange",
    "add_threatexchange_exchange",
    "fingerprint",
    "generate_keypair",
    "get_exchange",
    "list_exchanges",
    "load_private_key",
    "publish_feed",
    "remove_exchange",
    "sync_exchange",
    "verify_feed",
]
