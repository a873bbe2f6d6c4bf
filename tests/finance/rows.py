"""Builders for canonical transaction rows in tests."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import polars as pl

from egide.finance.rates import load_rates
from egide.finance.reader import ReadResult, validate
from egide.finance.schema import COLUMNS

_ids = itertools.count(1)


def row(
    sender: str = "s1",
    receiver: str = "r1",
    *,
    ts: str = "2026-03-04T14:00:00+10:00",
    amount: str = "50",
    currency: str = "AUD",
    channel: str = "remittance",
    reference: str = "",
    sender_name: str = "John Smith",
    receiver_name: str = "Maria Santos",
    sender_country: str = "AU",
    receiver_country: str = "PH",
    sender_type: str = "person",
    receiver_type: str = "person",
    mcc: str = "",
    merchant_name: str = "",
    txn_id: str | None = None,
) -> dict[str, str]:
    return {
        "txn_id": txn_id or f"t{next(_ids)}",
        "timestamp": ts,
        "sender_id": sender,
        "sender_name": sender_name,
        "sender_country": sender_country,
        "sender_type": sender_type,
        "receiver_id": receiver,
        "receiver_name": receiver_name,
        "receiver_country": receiver_country,
        "receiver_type": receiver_type,
        "amount": amount,
        "currency": currency,
        "channel": channel,
        "reference": reference,
        "mcc": mcc,
        "merchant_name": merchant_name,
    }


def day(n: int, hour: int = 14, offset: str = "+10:00") -> str:
    """A timestamp ``n`` days after 2026-01-01 at the given sender-local hour."""
    month_days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    m = 0
    while n >= month_days[m]:
        n -= month_days[m]
        m += 1
    return f"2026-{m + 1:02d}-{n + 1:02d}T{hour:02d}:00:00{offset}"


def write_csv(rows: list[dict[str, str]], path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


def frame(rows: list[dict[str, str]]) -> ReadResult:
    """Validate rows in memory, as the reader does after parsing."""
    raw = pl.DataFrame(rows, schema=dict.fromkeys(COLUMNS, pl.String))
    import numpy as np

    return validate(raw, np.arange(2, len(rows) + 2), [], load_rates())
