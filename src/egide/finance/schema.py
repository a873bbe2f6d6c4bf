"""The canonical transaction table: one row per transaction, the columns every adapter produces."""

from __future__ import annotations

COLUMNS: tuple[str, ...] = (
    "txn_id",
    "timestamp",
    "sender_id",
    "sender_name",
    "sender_country",
    "sender_type",
    "receiver_id",
    "receiver_name",
    "receiver_country",
    "receiver_type",
    "amount",
    "currency",
    "channel",
    "reference",
    "mcc",
    "merchant_name",
)
LABEL_COLUMNS: tuple[str, ...] = ("is_suspicious", "scenario")
REQUIRED_NON_EMPTY: tuple[str, ...] = (
    "txn_id",
    "timestamp",
    "sender_id",
    "receiver_id",
    "amount",
    "currency",
    "channel",
)
PARTY_TYPES: frozenset[str] = frozenset({"person", "business"})
CHANNELS: frozenset[str] = frozenset(
    {"bank_transfer", "remittance", "p2p", "card", "crypto", "cash"}
)
