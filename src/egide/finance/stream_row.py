"""One transaction checked and flagged in plain Python, for the streaming scorer.

The flags mean exactly what ``features.transaction_flags`` computes column-wise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from egide.finance.config import Rules
from egide.finance.rates import RateTable
from egide.finance.reader import COUNTRY_RE, TIMESTAMP_RE
from egide.finance.schema import CHANNELS, PARTY_TYPES, REQUIRED_NON_EMPTY


@dataclass(frozen=True)
class Flagged:
    txn_id: str
    ts: datetime
    sender_id: str
    receiver_id: str
    amount_base: float
    corr: bool
    core: bool
    round: bool
    night: bool
    kw: bool
    chan: bool
    merch: bool
    travel: bool
    related: bool
    receiver_family: str
    sx: bool = False  # possibly extorted (sextortion corridor), never a family payment
    sx_kw: bool = False
    sx_chan: bool = False


def surname(name: str) -> str:
    last = name.lower().split(" ")[-1] if name else ""
    return "".join(ch for ch in last if ch.isalpha() or ch in "'-")


class RowFlagger:
    """Compiled patterns and sets from the rules, reused for every transaction."""

    def __init__(self, rules: Rules, rates: RateTable) -> None:
        self.rules = rules
        self.rates = rates
        self.kw = re.compile(rules.keyword_regex())
        self.merch_words = re.compile(rules.word_regex(rules.merchant_words))
        self.travel_words = re.compile(rules.word_regex(rules.travel_words))
        self.ts_re = re.compile(TIMESTAMP_RE)
        self.country_re = re.compile(COUNTRY_RE)
        self.sx_kw = re.compile(rules.sextortion.keyword_regex())

    def check(self, row: Mapping[str, object]) -> tuple[dict[str, str], float, float, list[str]]:
        """Strings, amount, amount in base currency, and the reasons the row is unusable."""
        cells = {k: str(v if v is not None else "").strip() for k, v in row.items()}
        for key in ("currency",):
            cells[key] = cells.get(key, "").upper()
        for key in ("channel", "sender_type", "receiver_type"):
            cells[key] = cells.get(key, "").lower()
        reasons = [f"empty {c}" for c in REQUIRED_NON_EMPTY if not cells.get(c)]
        amount = base = math.nan
        try:
            amount = float(cells.get("amount", ""))
            if not math.isfinite(amount) or amount <= 0:
                reasons.append(f"amount must be a positive number: {cells['amount']}")
        except ValueError:
            if cells.get("amount"):
                reasons.append(f"amount is not a number: {cells['amount']}")
        rate = self.rates.rates.get(cells.get("currency", ""))
        if rate is None and cells.get("currency"):
            reasons.append(f"currency not in the rate table: {cells['currency']}")
        elif rate is not None:
            base = amount * rate
        ts = cells.get("timestamp", "")
        if ts and not self.ts_re.match(ts):
            reasons.append(f"timestamp is not ISO 8601 with a UTC offset: {ts}")
        if cells.get("channel") and cells["channel"] not in CHANNELS:
            reasons.append(f"unknown channel: {cells['channel']}")
        for c in ("sender_type", "receiver_type"):
            if cells.get(c) not in PARTY_TYPES:
                reasons.append(f"{c} must be person or business: {cells.get(c, '')}")
        for c in ("sender_country", "receiver_country"):
            if not self.country_re.match(cells.get(c, "")):
                reasons.append(f"{c} is not an ISO 3166 alpha-2 code: {cells.get(c, '')}")
        return cells, amount, base, reasons

    def flag(self, cells: Mapping[str, str], amount: float, base: float) -> Flagged:
        r = self.rules
        when = datetime.fromisoformat(cells["timestamp"].replace("Z", "+00:00"))
        is_card = cells["channel"] == "card"
        corr = (
            not is_card
            and cells["receiver_country"] in r.risk_countries
            and cells["sender_country"] != cells["receiver_country"]
            and cells["receiver_type"] == "person"
            and cells["sender_type"] == "person"
            and (not r.demand_countries or cells["sender_country"] in r.demand_countries)
        )
        sx = (
            not is_card
            and cells["receiver_country"] in r.sextortion.countries
            and cells["sender_country"] != cells["receiver_country"]
            and cells["receiver_type"] == "person"
            and cells["sender_type"] == "person"
            and (not r.demand_countries or cells["sender_country"] in r.demand_countries)
        )
        unit = r.round_units.get(cells["currency"], r.round_units.get("DEFAULT", 10.0))
        text = cells.get("merchant_name", "") + " " + cells.get("reference", "")
        mcc = cells.get("mcc", "")
        s_name, r_name = (
            surname(cells.get("sender_name", "")),
            surname(cells.get("receiver_name", "")),
        )
        return Flagged(
            txn_id=cells["txn_id"],
            ts=when,
            sender_id=cells["sender_id"],
            receiver_id=cells["receiver_id"],
            amount_base=base,
            corr=corr,
            core=r.core[0] <= base <= r.core[1],
            round=abs(amount % unit) < 1e-9,
            night=int(cells["timestamp"][11:13]) in r.night_hours,
            kw=bool(self.kw.search(cells.get("reference", ""))),
            chan=cells["channel"] in r.transfer_channels,
            merch=is_card and (mcc in r.merchant_mccs or bool(self.merch_words.search(text))),
            travel=mcc in r.travel_mccs
            and (
                cells["receiver_country"] in r.risk_countries
                or bool(self.travel_words.search(text))
            ),
            related=bool(s_name) and s_name == r_name,
            receiver_family=r_name or cells["receiver_id"],
            sx=sx and not (bool(s_name) and s_name == r_name),
            sx_kw=sx and bool(self.sx_kw.search(cells.get("reference", ""))),
            sx_chan=cells["channel"] in r.sextortion.channels,
        )
