"""Candidate retrieval (blocking): which listed people are worth scoring for a passenger.

Keys combine a token's phonetic key with the first letter of another token of the same name
(so order, missing middle names, initials and compounds keep a key in common) and the birth
year; passengers query their year +-1 and the listed people with no known year. Passengers with
no birth date use the same keys without the year. Document numbers (OCR-folded) are keys too.
Names listed in Arabic or Thai script are also indexed by consonant skeleton in a namespace of
their own ('A:' / 'T:'), which every passenger queries with the skeletons of its Latin tokens.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable

from egide.travel.features import fold_document
from egide.travel.names import NormName, initial, phonetic
from egide.travel.scoring import EntryProfile, PassengerProfile
from egide.travel.scripts import (
    ARABIC,
    THAI,
    arabic_skeleton,
    arabic_skeletons,
    thai_latin_skeleton,
    thai_script_skeleton,
)

NO_YEAR = "?"


def name_keys(name: NormName, with_merges: bool = False) -> set[str]:
    """Blocking keys of one name, without the year; listed names add their merged compounds."""
    keys: set[str] = set()
    variants = [list(name.tokens)]
    if with_merges:
        variants += [
            [*name.tokens[:i], name.tokens[i] + name.tokens[i + 1], *name.tokens[i + 2 :]]
            for i in range(len(name.tokens) - 1)
        ]
    for tokens in variants:
        if len(tokens) == 1:
            keys.add(f"{phonetic(tokens[0])}/-")
        for i, a in enumerate(tokens):
            if len(a) < 2:
                continue
            ph = phonetic(a)
            for j, b in enumerate(tokens):
                if i != j:
                    keys.add(f"{ph}/{initial(b)}")
    return keys


def _pair_keys(prefix: str, skeletons: list[set[str]], tokens: tuple[str, ...]) -> set[str]:
    keys: set[str] = set()
    for i, sks in enumerate(skeletons):
        for sk in sks:
            if len(sk) < 2:
                continue
            if len(tokens) == 1:
                keys.add(f"{prefix}{sk}/-")
            keys.update(f"{prefix}{sk}/{initial(b)}" for j, b in enumerate(tokens) if j != i)
    return keys


def script_keys(name: NormName) -> set[str]:
    """Skeleton keys of a name listed in Arabic or Thai script."""
    if name.script == ARABIC:
        return _pair_keys("A:", [set(arabic_skeletons(w)) for w in name.words], name.tokens)
    if name.script == THAI:
        return _pair_keys("T:", [{thai_script_skeleton(w)} for w in name.words], name.tokens)
    return set()


def latin_script_keys(name: NormName) -> set[str]:
    """The same keys from a Latin (passport) name, to find names listed in those scripts."""
    if not name.tokens or name.script is not None:
        return set()
    keys = _pair_keys("A:", [{arabic_skeleton(t)} for t in name.tokens], name.tokens)
    return keys | _pair_keys("T:", [{thai_latin_skeleton(t)} for t in name.tokens], name.tokens)


def _year(date: str | None) -> str:
    return date[:4] if date else NO_YEAR


class WatchlistIndex:
    """Postings from blocking key to entry numbers; built once per set of lists."""

    def __init__(self, profiles: Iterable[EntryProfile]) -> None:
        self.profiles: list[EntryProfile] = []
        self._by_year: dict[str, list[int]] = defaultdict(list)
        self._any_year: dict[str, list[int]] = defaultdict(list)
        self._docs: dict[str, list[int]] = defaultdict(list)
        collecting = gc.isenabled()
        gc.disable()  # millions of small lists: cyclic GC passes would dominate the build
        try:
            self._build(profiles)
        finally:
            if collecting:
                gc.enable()

    def _build(self, profiles: Iterable[EntryProfile]) -> None:
        for n, profile in enumerate(profiles):
            self.profiles.append(profile)
            keys: set[str] = set()
            for name in profile.names:
                keys |= name_keys(name, with_merges=True) | script_keys(name)
            year = _year(profile.birth_date)
            for key in keys:
                self._by_year[f"{key}|{year}"].append(n)
                self._any_year[key].append(n)
            for doc in profile.documents:
                folded = fold_document(doc)
                if len(folded) >= 5:
                    self._docs[folded].append(n)

    def __len__(self) -> int:
        return len(self.profiles)

    def candidates(self, p: PassengerProfile) -> set[int]:
        """Entry numbers sharing a key with the passenger."""
        out: set[int] = set()
        keys = name_keys(p.name) | latin_script_keys(p.name)
        if p.birth_date and p.birth_date[:4].isdigit():
            y = int(p.birth_date[:4])
            years = [str(y - 1), str(y), str(y + 1), NO_YEAR]
            for key in keys:
                for year in years:
                    out.update(self._by_year.get(f"{key}|{year}", ()))
        else:
            for key in keys:
                out.update(self._any_year.get(key, ()))
        for doc in p.documents:
            out.update(self._docs.get(fold_document(doc), ()))
        return out
