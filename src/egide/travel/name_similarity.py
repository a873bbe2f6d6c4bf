"""Name similarity robust to order, missing middle names, initials, compounds and typos.

Tokens are aligned one-to-one (best pairs first), so 'PETROV IVAN' equals 'IVAN PETROV'; the
score mixes the mean and the worst aligned pair, so one disagreeing given name is not averaged
away by an agreeing surname (the look-alike case). Compound names are tried merged
('GARCIA LOPEZ' / 'GARCIALOPEZ', 'XIU YING' / 'XIUYING').
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler

from egide.travel.names import NormName, phonetic, skeleton
from egide.travel.rules import Rules


@dataclass(frozen=True)
class NameMatch:
    score: float
    entry_name: str
    pairs: tuple[tuple[str, str, float, str], ...]  # passenger token, entry token, sim, how
    unmatched: tuple[str, ...]


def token_sim(a: str, b: str, rules: Rules, cross_script: bool) -> tuple[float, str]:
    """Similarity of two tokens and the reason (exact, initial, phonetic, skeleton, typo)."""
    if a == b:
        return 1.0, "exact"
    if len(a) == 1 or len(b) == 1:
        return (rules.name["initial"], "initial") if a[0] == b[0] else (0.0, "differs")
    s = JaroWinkler.similarity(a, b)
    how = "similar" if s >= 0.85 else "differs"
    if s < rules.name["phonetic_floor"] and phonetic(a) == phonetic(b):
        s, how = rules.name["phonetic_floor"], "phonetic"
    if cross_script and s < rules.name["skeleton_floor"] and skeleton(a) == skeleton(b):
        s, how = rules.name["skeleton_floor"], "transliteration"
    return s, how


def _align(
    pa: tuple[str, ...], ea: tuple[str, ...], rules: Rules, cross: bool
) -> tuple[float, list[tuple[str, str, float, str]], list[str]]:
    scored = sorted(
        (
            (*token_sim(a, b, rules, cross), i, j)
            for i, a in enumerate(pa)
            for j, b in enumerate(ea)
        ),
        key=lambda x: -x[0],
    )
    used_p: set[int] = set()
    used_e: set[int] = set()
    pairs: list[tuple[str, str, float, str]] = []
    for sim, how, i, j in scored:
        if i in used_p or j in used_e:
            continue
        used_p.add(i)
        used_e.add(j)
        pairs.append((pa[i], ea[j], sim, how))
    unmatched = [pa[i] for i in range(len(pa)) if i not in used_p]
    unmatched += [ea[j] for j in range(len(ea)) if j not in used_e]
    sims = [p[2] for p in pairs]
    if not sims:
        return 0.0, pairs, unmatched
    worst = rules.name["worst_pair_weight"]
    score = (1 - worst) * sum(sims) / len(sims) + worst * min(sims)
    score -= rules.name["unmatched_token_penalty"] * len(unmatched)
    if len(sims) == 1:
        score = min(score, rules.name["single_token_cap"])
    return max(score, 0.0), pairs, unmatched


def _merges(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [
        (*tokens[:i], tokens[i] + tokens[i + 1], *tokens[i + 2 :])
        for i in range(len(tokens) - 1)
        if len(tokens[i]) > 1 and len(tokens[i + 1]) > 1
    ]


def name_similarity(passenger: NormName, names: tuple[NormName, ...], rules: Rules) -> NameMatch:
    """Best match of the passenger's name against a listed name or any alias."""
    best = NameMatch(0.0, "", (), ())
    pa = passenger.tokens
    if not pa:
        return best
    for name in names:
        ea = name.tokens
        if not ea:
            continue
        cross = name.non_latin or passenger.non_latin
        options = [(pa, ea)]
        options += [(m, ea) for m in _merges(pa)] + [(pa, m) for m in _merges(ea)]
        for a, b in options:
            score, pairs, unmatched = _align(a, b, rules, cross)
            if score > best.score:
                best = NameMatch(score, name.raw, tuple(pairs), tuple(unmatched))
        if best.score >= 1.0:
            break
    return best
