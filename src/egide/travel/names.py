"""Name normalisation shared by indexing and scoring: one transliteration, one tokenisation.

Names are transliterated to ASCII (unidecode: Cyrillic, Greek, CJK, Vietnamese diacritics;
Arabic and Thai through egide.travel.scripts: ICU consonantal reading, pythainlp RTGS),
upper-cased, split on anything that is not a letter, stripped of titles; each token gets a
phonetic key (jellyfish metaphone) for blocking and for spelling variants that sound alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from unidecode import unidecode

from egide.travel.scripts import romanise, script_of

TITLES = frozenset({"MR", "MRS", "MS", "MSTR", "MISS", "DR", "PROF", "SIR", "MX"})
_NON_LETTER = re.compile(r"[^A-Z]+")
_SCRIPT_SPLIT = re.compile(r"[\s\-\u2010.,()/]+")
_VOWELS = re.compile(r"[AEIOUYW]")
_DOUBLE = re.compile(r"(.)\1+")


@dataclass(frozen=True)
class NormName:
    """A name ready to compare: tokens in written order, and whether it was not in Latin script.

    For Arabic and Thai names, `script` names the script and `words` holds the written word
    of each token (the script side of the comparison needs it); otherwise `words` is empty.
    """

    raw: str
    tokens: tuple[str, ...]
    non_latin: bool
    script: str | None = None
    words: tuple[str, ...] = ()

    @property
    def joined(self) -> str:
        return " ".join(self.tokens)


@lru_cache(maxsize=262144)
def normalise_name(raw: str) -> NormName:
    """Transliterate, upper-case, tokenise; titles dropped, empty tokens removed."""
    script = script_of(raw)
    if script is not None:
        words = [w for w in _SCRIPT_SPLIT.split(raw) if w]
        pairs = [(t, w) for w in words for t in romanise(w, script)[:1]]
        return NormName(raw, tuple(t for t, _ in pairs), True, script, tuple(w for _, w in pairs))
    ascii_text = unidecode(raw)
    non_latin = any(ord(c) > 0x24F for c in raw)
    tokens = tuple(t for t in _NON_LETTER.split(ascii_text.upper()) if t and t not in TITLES)
    return NormName(raw, tokens, non_latin)


@lru_cache(maxsize=262144)
def phonetic(token: str) -> str:
    """Metaphone key, a leading vowel written 'A' (OMAR/UMAR, ELENA/ALENA romanise apart)."""
    key = (jellyfish.metaphone(token) if len(token) > 1 else token) or token[:3]
    return "A" + key[1:] if key[0] in "AEIOUY" else key


# Soundex classes of first letters: romanisations often differ inside a class (ZHANG/CHANG,
# CARIM/KARIM, SAID/ZAID, VICHAI/WICHAI is not covered: V and W are in different classes).
_INITIAL_CLASS = str.maketrans("BFPVCGJKQSXZDTLMNRAEIOUYHW", "BBBBCCCCCCCCDDLMMRAAAAAAAA")


def initial(token: str) -> str:
    """Class of the first letter for blocking keys (Soundex classes, vowels/H/W/Y together)."""
    return token[0].translate(_INITIAL_CLASS)


@lru_cache(maxsize=262144)
def skeleton(token: str) -> str:
    """Consonant skeleton: vowels differ most between romanisations of Arabic names."""
    if token.startswith(("AL", "EL")) and len(token) > 4:
        token = token[2:]
    if not token:
        return ""
    return _DOUBLE.sub(r"\1", token[0] + _VOWELS.sub("", token[1:]))
