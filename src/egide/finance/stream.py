"""Streaming: one transaction at a time, a decision at payment time, rolling per-account state.

For a payment firm that screens when the payment is made. State per account is the window of
corridor payments (``window_days`` in the rules) plus purchase counts; each call costs time in
proportion to the two accounts' windows, not to the history.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from egide.finance.alerts import Alert, IndicatorHit
from egide.finance.config import Indicator, Rules
from egide.finance.rates import RateTable
from egide.finance.stream_features import (
    RECEIVER,
    SENDER,
    Condition,
    Features,
    receiver_features,
    sender_features,
)
from egide.finance.stream_row import Flagged, RowFlagger


@dataclass
class Decision:
    """``decision`` is ``alert``, ``pass`` or ``error`` (then ``reason`` says why)."""

    txn_id: str
    decision: str
    alerts: list[Alert] = field(default_factory=list)
    reason: str = ""


@dataclass
class _Account:
    corr_out: deque[Flagged] = field(default_factory=deque)
    corr_in: deque[Flagged] = field(default_factory=deque)
    purchases: deque[Flagged] = field(default_factory=deque)


class StreamScorer:
    """Keeps state between calls; not thread-safe (one scorer per partition of accounts)."""

    def __init__(self, rules: Rules, rates: RateTable, list_hits: Mapping[str, str] | None = None):
        self.rules = rules
        self.flagger = RowFlagger(rules, rates)
        self.window = timedelta(days=rules.window_days)
        self.accounts: dict[str, _Account] = {}
        self.hits = dict(list_hits or {})
        self.buyers: set[str] = set()
        self.facilitators: set[str] = set(self.hits)
        self.seen: set[str] = set()
        self._last_sender: dict[str, Alert | None] = {}
        self._last_receiver: dict[str, Alert | None] = {}
        self._sender = [i for i in rules.indicators if i.enabled and i.side in ("sender", "both")]
        self._receiver = [
            i for i in rules.indicators if i.enabled and i.side in ("receiver", "both")
        ]

    def process(self, row: Mapping[str, object]) -> Decision:
        """Check, flag, update state and decide for one canonical transaction row."""
        cells, amount, base, reasons = self.flagger.check(row)
        txn_id = cells.get("txn_id", "")
        if txn_id and txn_id in self.seen:
            reasons.append(f"duplicate txn_id: {txn_id}")
        if reasons:
            return Decision(txn_id, "error", reason="; ".join(reasons))
        try:
            t = self.flagger.flag(cells, amount, base)
        except ValueError as exc:
            return Decision(txn_id, "error", reason=f"timestamp: {exc}")
        self.seen.add(txn_id)
        sender = self.accounts.setdefault(t.sender_id, _Account())
        receiver = self.accounts.setdefault(t.receiver_id, _Account())
        if t.corr:
            sender.corr_out.append(t)
            receiver.corr_in.append(t)
        if t.merch or t.travel:
            sender.purchases.append(t)
        expired = [self._expire(acc, t) for acc in (sender, receiver)]
        # An account whose window did not change keeps its last decision: most payments
        # (shopping, domestic transfers) touch no indicator and cost only the check above.
        if t.corr or t.merch or t.travel or expired[0]:
            self._last_sender[t.sender_id] = self.sender_alert(t.sender_id)
        if t.corr or expired[1]:
            self._last_receiver[t.receiver_id] = self.receiver_alert(t.receiver_id)
        alerts = [
            a
            for a in (self._last_sender.get(t.sender_id), self._last_receiver.get(t.receiver_id))
            if a is not None
        ]
        return Decision(txn_id, "alert" if alerts else "pass", alerts)

    def _expire(self, acc: _Account, now: Flagged) -> bool:
        """Drop what fell out of the window; True when anything did."""
        limit = now.ts - self.window
        dropped = False
        for q in (acc.corr_out, acc.corr_in, acc.purchases):
            while q and q[0].ts < limit:
                q.popleft()
                dropped = True
        return dropped

    def sender_alert(self, account_id: str) -> Alert | None:
        """The buyer-side alert for an account in its current window, if it meets the policy."""
        acc = self.accounts.get(account_id)
        if acc is None:
            return None
        corr = sorted(acc.corr_out, key=lambda x: x.ts)
        f = sender_features(
            corr,
            sum(p.merch for p in acc.purchases),
            sum(p.travel for p in acc.purchases),
            self.rules,
        )
        fac_paid = {t.receiver_id for t in corr if not t.related} & self.facilitators
        ext = {
            "list_hit": account_id in self.hits,
            "pays_flagged_facilitator": len(fac_paid)
            >= self._min("pays_flagged_facilitator", "min_facilitators", 1),
        }
        evidence = {
            "corridor": corr,
            "micro_value": [t for t in corr if t.core],
            "round_amount": [t for t in corr if t.round],
            "velocity_escalation": corr,
            "fan_out": [t for t in corr if not t.related],
            "no_relationship": [t for t in corr if not t.related],
            "reference_keywords": [t for t in corr if t.kw],
            "late_night": [t for t in corr if t.night],
            "payment_channel": [t for t in corr if t.chan],
            "merchant_category": [p for p in acc.purchases if p.merch],
            "travel": [p for p in acc.purchases if p.travel],
            "pays_flagged_facilitator": [t for t in corr if t.receiver_id in fac_paid],
        }
        alert = self._decide(account_id, "buyer", self._sender, SENDER, f, ext, evidence)
        if alert is not None:
            self.buyers.add(account_id)
        return alert

    def receiver_alert(self, account_id: str) -> Alert | None:
        """The facilitator-side alert for an account in its current window, if any."""
        acc = self.accounts.get(account_id)
        if acc is None:
            return None
        inc = sorted(acc.corr_in, key=lambda x: x.ts)
        f = receiver_features(inc)
        by_buyers = {t.sender_id for t in inc if not t.related} & self.buyers
        ext = {
            "list_hit": account_id in self.hits,
            "paid_by_flagged_buyers": len(by_buyers)
            >= self._min("paid_by_flagged_buyers", "min_buyers", 2),
        }
        evidence = {
            "corridor_in": inc,
            "fan_in": [t for t in inc if not t.related],
            "micro_value_in": [t for t in inc if t.core],
            "round_amount_in": [t for t in inc if t.round],
            "no_relationship_in": [t for t in inc if not t.related],
            "reference_keywords_in": [t for t in inc if t.kw],
            "late_night_in": [t for t in inc if t.night],
            "payment_channel_in": [t for t in inc if t.chan],
            "paid_by_flagged_buyers": [t for t in inc if t.sender_id in by_buyers],
        }
        alert = self._decide(account_id, "facilitator", self._receiver, RECEIVER, f, ext, evidence)
        if alert is not None:
            self.facilitators.add(account_id)
        return alert

    def _min(self, name: str, key: str, default: float) -> float:
        ind = self.rules.get(name)
        return ind.param(key, default) if ind else float("inf")

    def _decide(
        self,
        account_id: str,
        role: str,
        inds: list[Indicator],
        conditions: Mapping[str, Condition],
        f: Features,
        ext: Mapping[str, bool],
        evidence: Mapping[str, list[Flagged]],
    ) -> Alert | None:
        fired: list[IndicatorHit] = []
        for ind in inds:
            cond = conditions.get(ind.name)
            ok = ext.get(ind.name, False) if cond is None else cond(f, ind)
            if ok:
                ev = tuple(t.txn_id for t in evidence.get(ind.name, []))[:50]
                detail = self.hits.get(account_id, "") if ind.name == "list_hit" else ""
                fired.append(IndicatorHit(ind.name, ind.family, ind.weight, ind.source, ev, detail))
        score = sum(h.weight for h in fired)
        if len({h.family for h in fired}) < self.rules.min_families or score < self.rules.min_score:
            return None
        return Alert(account_id, role, score, fired, facts=dict(f))
