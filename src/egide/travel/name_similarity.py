"""Name similarity robust to order, missing middle names, initials, compounds and typos.

Tokens are aligned one-to-one (best pairs first), so 'PETROV IVAN' equals 'IVAN PETROV'; the
score mixes the mean and the worst aligned pair, so one disagreeing given name is not averaged
away by an agreeing surname (the look-alike case). Compound names are tried merged
('GARCIA LOPEZ' / 'GARCIALOPEZ', 'XIU YING' / 'XIUYING').

Across scripts, an Arabic token agrees when its consonant skeleton does (the script has no
short vowels: the reason says so, with the skeleton), a Thai token when the RTGS reading and
the passport spelling agree once their known alternations are folded, or when both have the
same consonants (the RTGS engine misreads implicit vowels in some names).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler

from egide.travel.names import NormName, phonetic, skeleton
from egide.travel.rules import Rules
from egide.travel.scripts import (
    ARABIC,
    THAI,
    arabic_skeleton,
    arabic_skeletons,
    thai_key,
    thai_latin_skeleton,
    thai_script_skeleton,
)


@dataclass(frozen=True)
class NameMatch:
    score: float
    entry_name: str
    pairs: tuple[tuple[str, str, float, str], ...]  # passenger token, entry token, sim, how
    unmatched: tuple[str, ...]


def token_sim(
    a: str, b: str, rules: Rules, cross_script: bool, script: str | None = None, word: str = ""
) -> tuple[float, str]:
    """Similarity of two tokens and the reason (exact, initial, phonetic, skeleton, typo).

    `script` and `word` describe the entry side when it was written in Arabic or Thai: `b` is
    then its romanisation and `word` the written word.
    """
    if a == b:
        return 1.0, "exact"
    if len(a) == 1 or len(b) == 1:
        return (rules.name["initial"], "initial") if a[0] == b[0] else (0.0, "differs")
    s = JaroWinkler.similarity(a, b)
    how = "similar" if s >= 0.85 else "differs"
    if s < rules.name["phonetic_floor"] and phonetic(a) == phonetic(b):
        s, how = rules.name["phonetic_floor"], "phonetic"
    if script == ARABIC:
        return _arabic(a, b, s, how, rules, word)
    if script == THAI:
        return _thai(a, b, s, how, rules, word)
    if cross_script and s < rules.name["skeleton_floor"] and skeleton(a) == skeleton(b):
        s, how = rules.name["skeleton_floor"], "transliteration"
    return s, how


def _arabic(a: str, b: str, s: float, how: str, rules: Rules, word: str) -> tuple[float, str]:
    floor = rules.name["arabic_skeleton_floor"]
    sk = arabic_skeleton(a)
    if s < floor and len(sk) >= 2 and sk in arabic_skeletons(word):
        return floor, f"unvowelled Arabic {word} (read {b}) = {sk}: {a} is one of its spellings"
    return s, how


def _thai(a: str, b: str, s: float, how: str, rules: Rules, word: str) -> tuple[float, str]:
    folded = JaroWinkler.similarity(thai_key(a), thai_key(b))
    if folded > s:
        s, how = folded, (f"RTGS {b} ~ {a}" if folded >= 0.85 else "differs")
    floor = rules.name["thai_skeleton_floor"]
    sk = thai_script_skeleton(word)
    if s < floor and len(sk) >= 2 and thai_latin_skeleton(a) == sk:
        return floor, f"Thai {word} consonants {sk} = {a} (RTGS read {b})"
    return s, how


def _align(
    pa: tuple[str, ...],
    ea: tuple[str, ...],
    rules: Rules,
    cross: bool,
    script: str | None = None,
    words: tuple[str, ...] = (),
) -> tuple[float, list[tuple[str, str, float, str]], list[str]]:
    scored = sorted(
        (
            (*token_sim(a, b, rules, cross, script, words[j] if words else ""), i, j)
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


def _options(
    pa: tuple[str, ...], name: NormName
) -> list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """(passenger tokens, entry tokens, entry words) with compounds merged on either side."""
    ea, words = name.tokens, name.words
    out = [(pa, ea, words)] + [(m, ea, words) for m in _merges(pa)]
    for i in range(len(ea) - 1):
        if len(ea[i]) > 1 and len(ea[i + 1]) > 1:
            merged = (*ea[:i], ea[i] + ea[i + 1], *ea[i + 2 :])
            mw = (*words[:i], words[i] + words[i + 1], *words[i + 2 :]) if words else ()
            out.append((pa, merged, mw))
    return out


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
        script = name.script if passenger.script is None else None
        for a, b, words in _options(pa, name):
            score, pairs, unmatched = _align(a, b, rules, cross, script, words)
            if score > best.score:
                best = NameMatch(score, name.raw, tuple(pairs), tuple(unmatched))
        if best.score >= 1.0:
            break
    return best
