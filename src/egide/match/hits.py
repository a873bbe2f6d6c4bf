"""A match of a file against a bank entry, as reports show it."""

from __future__ import annotations

from dataclasses import dataclass

from egide.categories import Category


@dataclass(frozen=True)
class Hit:
    bank: str
    entry_id: int
    signal_type: str
    value: str
    distance: int
    category: Category | None
    series: str | None
    victim_identified: bool | None
    baseline: bool | None
    variant: str | None = None  # the dihedral variant of the query that matched, for PDQ

    def to_json_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "bank": self.bank,
            "entry_id": self.entry_id,
            "signal_type": self.signal_type,
            "value": self.value,
            "distance": self.distance,
        }
        if self.category is not None:
            out["category"] = {
                "scheme": self.category.scheme,
                "code": self.category.code,
                "label": self.category.label,
            }
        for name in ("series", "victim_identified", "baseline", "variant"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out
