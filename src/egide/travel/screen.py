"""Screening: read manifests, retrieve candidates, score them, keep hits above the threshold."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

from egide.travel.index import WatchlistIndex
from egide.travel.model import Manifest, Traveller
from egide.travel.rules import Rules
from egide.travel.scoring import EntryProfile, PassengerProfile, score_pair, upper_bound
from egide.watchlists import Watchlist, WatchlistEntry

SCHEMA_VERSION = "1.0"


@dataclass
class Hit:
    traveller: Traveller
    entry: WatchlistEntry
    score: float
    explanation: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        t = self.traveller
        doc = t.documents[0] if t.documents else None
        return {
            "passenger": {
                "name": t.name,
                "surname": t.surname,
                "given_names": t.given_names,
                "birth_date": t.birth_date,
                "gender": t.gender,
                "nationality": t.nationality,
                "document": asdict(doc) if doc else None,
                "other_documents": [asdict(d) for d in t.documents[1:]],
                "role": t.role,
                "flight": t.flight,
                "departure_airport": t.origin,
                "arrival_airport": t.destination,
                "departure": t.departure,
                "arrival": t.arrival,
                "read_from": t.ref,
            },
            "watchlist_id": self.entry.id,
            "watchlist": self.entry.list_name,
            "source": self.entry.source,
            "listed": {
                "name": self.entry.name,
                "aliases": list(self.entry.aliases),
                "birth_date": self.entry.birth_date,
                "nationality": self.entry.nationality,
                "document_numbers": list(self.entry.document_numbers),
                "notes": self.entry.notes,
            },
            "score": self.score,
            "explanation": self.explanation,
        }


@dataclass
class Screening:
    """Screens travellers against an index of listed people."""

    entries: list[WatchlistEntry]
    index: WatchlistIndex
    rules: Rules

    @classmethod
    def build(cls, watchlists: list[Watchlist], rules: Rules) -> Screening:
        entries = [e for wl in watchlists for e in wl.entries]
        return cls(entries, WatchlistIndex(EntryProfile.of(e) for e in entries), rules)

    def screen_traveller(self, t: Traveller, threshold: float) -> list[Hit]:
        """Hits for one traveller, best first."""
        profile = PassengerProfile.of(t)
        hits: list[Hit] = []
        for n in self.index.candidates(profile):
            entry = self.index.profiles[n]
            if upper_bound(profile, entry, self.rules) < threshold:
                continue
            s = score_pair(profile, entry, self.rules)
            if s.value >= threshold:
                hits.append(Hit(t, self.entries[n], s.value, s.explanation))
        hits.sort(key=lambda h: (-h.score, h.entry.id))
        return hits


@dataclass
class ScreenResult:
    hits: list[Hit] = field(default_factory=list)
    manifests: list[Manifest] = field(default_factory=list)
    watchlists: list[Watchlist] = field(default_factory=list)
    threshold: float = 0.0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        errors = [
            {"file": m.source, "segment": i.segment, "position": i.position, "message": i.message}
            for m in self.manifests
            for i in m.issues
        ]
        list_errors = [
            {"watchlist": w.name, "position": e.position, "message": e.message}
            for w in self.watchlists
            for e in w.errors
        ]
        read = sum(len(m.travellers) for m in self.manifests)
        return {
            "schema_version": SCHEMA_VERSION,
            "summary": {
                "travellers_read": read,
                "travellers_screened": read,
                "travellers_with_hits": len({id(h.traveller) for h in self.hits}),
                "hits": len(self.hits),
                "errors": len(errors),
                "watchlist_entries": sum(len(w.entries) for w in self.watchlists),
                "watchlist_errors": len(list_errors),
                "threshold": self.threshold,
                "seconds": round(self.seconds, 3),
                "manifests": [
                    {
                        "file": m.source,
                        "kind": m.kind,
                        "travellers": len(m.travellers),
                        "errors": len(m.issues),
                    }
                    for m in self.manifests
                ],
            },
            "hits": [h.to_json() for h in self.hits],
            "errors": errors,
            "watchlist_errors": list_errors,
        }


def screen(
    manifests: list[Manifest], watchlists: list[Watchlist], rules: Rules, threshold: float
) -> ScreenResult:
    """Screen every traveller read from the manifests against every list."""
    start = time.perf_counter()
    screening = Screening.build(watchlists, rules)
    result = ScreenResult(manifests=manifests, watchlists=watchlists, threshold=threshold)
    for m in manifests:
        for t in m.travellers:
            result.hits.extend(screening.screen_traveller(t, threshold))
    result.seconds = time.perf_counter() - start
    return result
