"""Streaming: one transaction at a time, a decision at payment time, rolling per-account state.

For a payment firm that screens when the payment is made. State per account is the window of
corridor payments (``window_days`` in the rules) plus purchase counts; each call costs time in
proportion to the two accounts' windows, not to the history.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from egide.finance.alerts import Alert, IndicatorHit
from egide.finance.config import Indicator, Rules
from egide.finance.rates import RateTable
from egide.finance.stream_entities import StreamEntities
from egide.finance.stream_features import (
    RECEIVER_LIVE,
    SENDER_LIVE,
    Condition,
    Features,
    receiver_features,
    sender_features,
)
from egide.finance.stream_row import Flagged, RowFlagger
from egide.finance.stream_sx import (
    RECEIVER_SX,
    SENDER_SX,
    sextortion_receiver_features,
    sextortion_sender_features,
)

Evidence = Callable[[], list[Flagged]]  # the payments behind an indicator, gathered on demand
NETWORK_TYPOLOGY = "livestream"
SENDER_ROLES = {"livestream": "buyer", "sextortion": "victim"}
RECEIVER_ROLES = {"livestream": "facilitator", "sextortion": "extortioner"}


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
    sx_out: deque[Flagged] = field(default_factory=deque)
    sx_in: deque[Flagged] = field(default_factory=deque)


SENDER: dict[str, Condition] = {**SENDER_LIVE, **SENDER_SX}
RECEIVER: dict[str, Condition] = {**RECEIVER_LIVE, **RECEIVER_SX}


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
        self.entities = (
            StreamEntities(rules.entity_min_score) if rules.entity_min_score is not None else None
        )
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
        payer = self._resolve(t, cells)
        sender = self.accounts.setdefault(payer, _Account())
        receiver = self.accounts.setdefault(t.receiver_id, _Account())
        if t.corr:
            sender.corr_out.append(t)
            receiver.corr_in.append(t)
        if t.merch or t.travel:
            sender.purchases.append(t)
        if t.sx:
            sender.sx_out.append(t)
            receiver.sx_in.append(t)
        expired = [self._expire(acc, t) for acc in (sender, receiver)]
        # An account whose window did not change keeps its last decision: most payments
        # (shopping, domestic transfers) touch no indicator and cost only the check above.
        if t.corr or t.merch or t.travel or t.sx or expired[0]:
            self._last_sender[payer] = self.sender_alert(payer)
        if t.corr or t.sx or expired[1]:
            self._last_receiver[t.receiver_id] = self.receiver_alert(t.receiver_id)
        alerts = [
            a
            for a in (self._last_sender.get(payer), self._last_receiver.get(t.receiver_id))
            if a is not None
        ]
        return Decision(txn_id, "alert" if alerts else "pass", alerts)

    def entity(self, account_id: str) -> str:
        """The account standing for the entity this sender account belongs to."""
        return self.entities.entity(account_id) if self.entities else account_id

    def _resolve(self, t: Flagged, cells: Mapping[str, str]) -> str:
        """The sender's entity after this payment, merging state when it joins another."""
        if self.entities is None:
            return t.sender_id
        if t.corr:
            name, country = cells.get("sender_name", ""), cells.get("sender_country", "")
            for gone in self.entities.observe(t.sender_id, name, country, t.receiver_id):
                self._absorb(gone, self.entities.entity(gone))
        return self.entities.entity(t.sender_id)

    def _absorb(self, gone: str, root: str) -> None:
        """Outgoing payments of an account now known to be ``root``'s move to ``root``."""
        old = self.accounts.get(gone)
        self._last_sender.pop(gone, None)
        if old is None:
            return
        new = self.accounts.setdefault(root, _Account())
        for src, dst in (
            (old.corr_out, new.corr_out),
            (old.purchases, new.purchases),
            (old.sx_out, new.sx_out),
        ):
            merged = sorted([*dst, *src], key=lambda x: x.ts)
            dst.clear()
            dst.extend(merged)
            src.clear()

    def _expire(self, acc: _Account, now: Flagged) -> bool:
        """Drop what fell out of the window; True when anything did."""
        limit = now.ts - self.window
        dropped = False
        for q in (acc.corr_out, acc.corr_in, acc.purchases, acc.sx_out, acc.sx_in):
            while q and q[0].ts < limit:
                q.popleft()
                dropped = True
        return dropped

    def sender_alert(self, account_id: str) -> Alert | None:
        """The buyer-side alert for an account (its entity) in its current window, if any."""
        account_id = self.entity(account_id)
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
        paid = sorted(acc.sx_out, key=lambda x: x.ts)
        f.update(sextortion_sender_features(paid, self.rules))
        fac_paid = {t.receiver_id for t in corr if not t.related} & self.facilitators
        ext = {
            "list_hit": account_id in self.hits,
            "pays_flagged_facilitator": len(fac_paid)
            >= self._min("pays_flagged_facilitator", "min_facilitators", 1),
        }
        evidence: dict[str, Evidence] = {
            "corridor": lambda: corr,
            "micro_value": lambda: [t for t in corr if t.core],
            "round_amount": lambda: [t for t in corr if t.round],
            "velocity_escalation": lambda: corr,
            "fan_out": lambda: [t for t in corr if not t.related],
            "no_relationship": lambda: [t for t in corr if not t.related],
            "reference_keywords": lambda: [t for t in corr if t.kw],
            "late_night": lambda: [t for t in corr if t.night],
            "payment_channel": lambda: [t for t in corr if t.chan],
            "merchant_category": lambda: [p for p in acc.purchases if p.merch],
            "travel": lambda: [p for p in acc.purchases if p.travel],
            "pays_flagged_facilitator": lambda: [t for t in corr if t.receiver_id in fac_paid],
            **_sx_evidence(paid, "sx_corridor", "sx_episode", "sx_series", "sx_amount"),
            "sx_channel": lambda: [t for t in paid if t.sx_chan],
            "sx_reference": lambda: [t for t in paid if t.sx_kw],
        }
        alert = self._decide(account_id, SENDER_ROLES, self._sender, SENDER, f, ext, evidence)
        if alert is not None and self.entities is not None:
            alert.linked_accounts = self.entities.members(account_id)[1:]
        if alert is not None and NETWORK_TYPOLOGY in alert.typology.split("+"):
            self.buyers.add(account_id)
        return alert

    def receiver_alert(self, account_id: str) -> Alert | None:
        """The facilitator-side alert for an account in its current window, if any."""
        acc = self.accounts.get(account_id)
        if acc is None:
            return None
        inc = sorted(acc.corr_in, key=lambda x: x.ts)
        f = receiver_features(inc, self.entity)
        paid = sorted(acc.sx_in, key=lambda x: x.ts)
        f.update(sextortion_receiver_features(paid, self.rules, self.entity))
        by_buyers = {self.entity(t.sender_id) for t in inc if not t.related} & self.buyers
        ext = {
            "list_hit": account_id in self.hits,
            "paid_by_flagged_buyers": len(by_buyers)
            >= self._min("paid_by_flagged_buyers", "min_buyers", 2),
        }
        evidence: dict[str, Evidence] = {
            "corridor_in": lambda: inc,
            "fan_in": lambda: [t for t in inc if not t.related],
            "micro_value_in": lambda: [t for t in inc if t.core],
            "round_amount_in": lambda: [t for t in inc if t.round],
            "no_relationship_in": lambda: [t for t in inc if not t.related],
            "reference_keywords_in": lambda: [t for t in inc if t.kw],
            "late_night_in": lambda: [t for t in inc if t.night],
            "payment_channel_in": lambda: [t for t in inc if t.chan],
            "paid_by_flagged_buyers": lambda: [
                t for t in inc if self.entity(t.sender_id) in by_buyers
            ],
            **_sx_evidence(paid, "sx_corridor_in", "sx_fan_in", "sx_episodes_in", "sx_amount_in"),
            "sx_channel_in": lambda: [t for t in paid if t.sx_chan],
            "sx_reference_in": lambda: [t for t in paid if t.sx_kw],
        }
        alert = self._decide(account_id, RECEIVER_ROLES, self._receiver, RECEIVER, f, ext, evidence)
        if alert is not None and NETWORK_TYPOLOGY in alert.typology.split("+"):
            self.facilitators.add(account_id)
        return alert

    def _min(self, name: str, key: str, default: float) -> float:
        ind = self.rules.get(name)
        return ind.param(key, default) if ind else float("inf")

    def _decide(
        self,
        account_id: str,
        roles: Mapping[str, str],
        inds: list[Indicator],
        conditions: Mapping[str, Condition],
        f: Features,
        ext: Mapping[str, bool],
        evidence: Mapping[str, Evidence],
    ) -> Alert | None:
        """Each typology judged by its own policy; evidence is gathered only for an alert."""
        by_typology: dict[str, list[Indicator]] = {}
        for ind in inds:
            cond = conditions.get(ind.name)
            ok = ext.get(ind.name, False) if cond is None else cond(f, ind)
            fired_here = by_typology.setdefault(ind.typology, [])
            if ok:
                fired_here.append(ind)
        alerted: dict[str, list[Indicator]] = {}
        for typology, fired_here in by_typology.items():
            policy = self.rules.policy(typology)
            names = {i.name for i in fired_here}
            required = [
                i.name for i in inds if i.typology == typology and i.name in policy.required
            ]
            if (
                len({i.family for i in fired_here}) >= policy.min_families
                and sum(i.weight for i in fired_here) >= policy.min_score
                and all(r in names for r in required)
            ):
                alerted[typology] = fired_here
        if not alerted:
            return None
        hits = []
        for ind in (i for fired_here in alerted.values() for i in fired_here):
            ev = tuple(t.txn_id for t in evidence[ind.name]())[:50] if ind.name in evidence else ()
            detail = self.hits.get(account_id, "") if ind.name == "list_hit" else ""
            hits.append(IndicatorHit(ind.name, ind.family, ind.weight, ind.source, ev, detail))
        first = next(iter(alerted))
        return Alert(
            account_id,
            roles.get(first, "other"),
            sum(h.weight for h in hits),
            hits,
            facts=dict(f),
            typology="+".join(alerted),
        )


def _sx_evidence(paid: list[Flagged], *names: str) -> dict[str, Evidence]:
    return dict.fromkeys(names, lambda: paid)
