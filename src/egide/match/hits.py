"""A match of a file against a bank entry, as reports show it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from egide.categories import Category

if TYPE_CHECKING:
    from egide.store import BankEntry


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

    @classmethod
    def of_entry(cls, row: BankEntry, bank: str, distance: int, variant: str | None = None) -> Hit:
        """The hit on bank entry ``row`` (of the bank named ``bank``) at ``distance``."""
        category = (
            Category(row.category_scheme, row.category_code)
            if row.category_scheme and row.category_code
            else None
        )
        return cls(
            bank=bank,
            entry_id=row.id,
            signal_type=row.signal_type,
            value=row.value,
            distance=distance,
            category=category,
            series=row.series,
            victim_identified=row.victim_identified,
            baseline=row.baseline,
            variant=variant,
        )

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
