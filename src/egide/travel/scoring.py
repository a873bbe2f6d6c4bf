"""Score one passenger against one listed person, with the explanation of every feature."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from egide.travel.features import compare_birth, compare_documents, compare_nationality
from egide.travel.model import Traveller
from egide.travel.name_similarity import name_similarity
from egide.travel.names import NormName, normalise_name
from egide.travel.rules import Rules
from egide.travel.scripts import ARABIC
from egide.watchlists import WatchlistEntry


@dataclass(frozen=True)
class PassengerProfile:
    name: NormName
    birth_date: str | None
    documents: tuple[str, ...]
    nationality: str | None

    @classmethod
    def of(cls, t: Traveller) -> PassengerProfile:
        return cls(
            normalise_name(t.name),
            t.birth_date,
            tuple(d.number for d in t.documents),
            t.nationality,
        )


@dataclass(frozen=True)
class EntryProfile:
    names: tuple[NormName, ...]
    birth_date: str | None
    documents: tuple[str, ...]
    nationality: str | None

    @classmethod
    def of(cls, e: WatchlistEntry) -> EntryProfile:
        names = tuple(normalise_name(n) for n in (e.name, *e.aliases))
        return cls(names, e.birth_date, e.document_numbers, e.nationality)


@dataclass(frozen=True)
class Score:
    value: float
    explanation: list[dict[str, Any]]


def _verdict(value: float) -> str:
    return "agrees" if value >= 0.75 else ("neutral" if value >= 0.45 else "disagrees")


def _script_note(name: NormName) -> dict[str, Any]:
    """Why a cross-script name agreement is weaker evidence than the same spelling."""
    reading = " ".join(name.tokens)
    if name.script == ARABIC:
        why = (
            "Arabic script is written without short vowels, so several Latin spellings fit "
            "(e.g. MOHAMMED, MUHAMMAD, MOHAMED): compared on consonant skeletons"
        )
    else:
        why = (
            "Thai passports use RTGS or an older letter-based spelling (SUPHAPHON / SUPAPORN): "
            "compared with their alternations folded and on consonants"
        )
    return {
        "feature": "transliteration",
        "verdict": "neutral",
        "detail": f"listed name {name.raw!r} in {name.script} script, read as {reading}; {why}",
    }


def upper_bound(p: PassengerProfile, e: EntryProfile, rules: Rules) -> float:
    """Best score the pair could reach if the names agreed fully: cheap features only.

    Screening skips pairs whose bound is below the threshold, which loses nothing (the bound
    is never below the real score) and spares the costly name comparison for most candidates.
    """
    birth = compare_birth(p.birth_date, e.birth_date, rules)
    doc = compare_documents(p.documents, e.documents, rules)
    nat = compare_nationality(p.nationality, e.nationality, rules)
    w = rules.weights
    bound = w["name"] + w["birth_date"] * birth[0] + w["document"] * doc[0]
    bound += w["nationality"] * nat[0]
    if doc[1] in ("exact", "ocr_confusion"):
        override = rules.document_override
        bound = max(bound, override["base"] + override["slope"])
    return bound


def score_pair(p: PassengerProfile, e: EntryProfile, rules: Rules) -> Score:
    """Weighted agreement of name, birth date, document and nationality, in [0, 1]."""
    nm = name_similarity(p.name, e.names, rules)
    birth = compare_birth(p.birth_date, e.birth_date, rules)
    doc = compare_documents(p.documents, e.documents, rules)
    nat = compare_nationality(p.nationality, e.nationality, rules)
    w = rules.weights
    value = (
        w["name"] * nm.score
        + w["birth_date"] * birth[0]
        + w["document"] * doc[0]
        + w["nationality"] * nat[0]
    )
    override = rules.document_override
    overridden = doc[1] in ("exact", "ocr_confusion") and nm.score >= override["min_name"]
    if overridden:
        value = max(value, override["base"] + override["slope"] * nm.score)
    if nm.score < rules.name_gate:
        value *= 0.5
    tokens = "; ".join(f"{a}~{b} {s:.2f} {how}" for a, b, s, how in nm.pairs)
    if nm.unmatched:
        tokens += f"; unmatched: {' '.join(nm.unmatched)}"
    explanation: list[dict[str, Any]] = [
        {
            "feature": "name",
            "value": round(nm.score, 3),
            "verdict": _verdict(nm.score),
            "detail": f"{p.name.raw!r} vs {nm.entry_name!r}: {tokens}",
        }
    ]
    for feature, (v, outcome, detail) in (
        ("birth_date", birth),
        ("document", doc),
        ("nationality", nat),
    ):
        explanation.append(
            {
                "feature": feature,
                "value": round(v, 3),
                "verdict": "unknown" if outcome == "unknown" else _verdict(v),
                "outcome": outcome,
                "detail": detail,
            }
        )
    listed = next((n for n in e.names if n.raw == nm.entry_name), None)
    if listed is not None and listed.script is not None and p.name.script is None:
        explanation.append(_script_note(listed))
    if overridden:
        explanation.append(
            {
                "feature": "document_override",
                "value": round(value, 3),
                "verdict": "agrees",
                "detail": "same document number and close name: dates are not held against it",
            }
        )
    if nm.score < rules.name_gate:
        explanation.append(
            {
                "feature": "name_gate",
                "value": rules.name_gate,
                "verdict": "disagrees",
                "detail": "name similarity below the gate: score halved",
            }
        )
    return Score(round(min(value, 1.0), 4), explanation)
