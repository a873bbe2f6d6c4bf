"""Alert records: which indicators fired for an account, with evidence and score."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class IndicatorHit:
    name: str
    family: str
    weight: float
    source: str
    evidence: tuple[str, ...]
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "family": self.family,
            "weight": self.weight,
            "source": self.source,
            "detail": self.detail,
            "evidence": list(self.evidence),
        }


@dataclass
class Alert:
    """One alert per account: the explanation an analyst reads before filing."""

    account_id: str
    role: str
    score: float
    indicators: list[IndicatorHit]
    name: str = ""
    country: str = ""
    community: int | None = None
    facts: dict[str, float] = field(default_factory=dict)
    linked_accounts: list[str] = field(default_factory=list)  # same person (entity resolution)
    typology: str = "livestream"  # livestream, sextortion, or both joined by '+'

    @property
    def families(self) -> list[str]:
        return sorted({i.family for i in self.indicators})

    def to_json(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "name": self.name,
            "country": self.country,
            "role": self.role,
            "typology": self.typology,
            "score": round(self.score, 3),
            "families": self.families,
            "community": self.community,
            "linked_accounts": self.linked_accounts,
            "facts": self.facts,
            "indicators": [i.to_json() for i in self.indicators],
        }
