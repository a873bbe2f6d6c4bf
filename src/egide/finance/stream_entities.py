"""Entity resolution while streaming: one person behind several sender accounts, incrementally.

The same rule as batch (``entities.py``): two senders are one entity when they pay a common
beneficiary in the corridor, live in the same country, and their names score at least
``min_score`` (rapidfuzz token-sort ratio on the normalised names). Here the comparison runs
once, when a sender first pays a beneficiary, against that beneficiary's recent distinct
senders. Memory is bounded: each beneficiary remembers at most ``per_beneficiary`` senders and
at most ``beneficiaries`` beneficiaries are remembered (least recently paid forgotten first);
only merged accounts stay in the union-find table.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from egide.finance.entities import MAX_SENDERS_PER_BENEFICIARY
from egide.finance.listhits import normalise


@dataclass(frozen=True)
class Payer:
    account_id: str
    name: str  # normalised
    country: str


class StreamEntities:
    """Union-find over sender accounts; the lowest account id stands for its entity."""

    def __init__(
        self,
        min_score: float,
        per_beneficiary: int = MAX_SENDERS_PER_BENEFICIARY,
        beneficiaries: int = 100_000,
    ) -> None:
        self.min_score = min_score
        self.per_beneficiary = per_beneficiary
        self.beneficiaries = beneficiaries
        self._parent: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}
        self._payers: OrderedDict[str, OrderedDict[str, Payer]] = OrderedDict()

    def entity(self, account_id: str) -> str:
        """The account standing for this account's entity (itself when alone)."""
        root = account_id
        while (up := self._parent.get(root, root)) != root:
            root = up
        return root

    def members(self, root: str) -> list[str]:
        """Every account of the entity, the root first."""
        return self._members.get(root, [root])

    def observe(self, sender_id: str, name: str, country: str, receiver_id: str) -> list[str]:
        """Record a corridor payment; returns the entity roots absorbed into another by it."""
        payers = self._payers.get(receiver_id)
        if payers is None:
            payers = self._payers[receiver_id] = OrderedDict()
            if len(self._payers) > self.beneficiaries:
                self._payers.popitem(last=False)
        else:
            self._payers.move_to_end(receiver_id)
        if sender_id in payers:
            payers.move_to_end(sender_id)
            return []
        me = Payer(sender_id, normalise(name), country)
        others = [p for p in payers.values() if p.country == country]
        payers[sender_id] = me
        if len(payers) > self.per_beneficiary:
            payers.popitem(last=False)
        if not others:
            return []
        scores = process.cdist(
            [me.name], [p.name for p in others], scorer=fuzz.token_sort_ratio, workers=1
        )[0]
        absorbed = []
        for other, score in zip(others, scores, strict=True):
            if score >= self.min_score:
                gone = self._union(sender_id, other.account_id)
                if gone is not None:
                    absorbed.append(gone)
        return absorbed

    def _union(self, a: str, b: str) -> str | None:
        ra, rb = self.entity(a), self.entity(b)
        if ra == rb:
            return None
        root, gone = min(ra, rb), max(ra, rb)
        self._parent[gone] = root
        self._parent.setdefault(root, root)
        self._members[root] = sorted({*self.members(root), *self.members(gone)})
        self._members.pop(gone, None)
        return gone
