"""Romanisation of Arabic and Thai names for matching against Latin passport spellings.

Passports (MRZ, PAXLST, PNRGOV) carry Latin names; watchlists may carry the script. Two scripts
need more than a character table:

- Arabic is written without short vowels, so محمد is MOHAMMED, MUHAMMAD or MOHAMED alike. ICU's
  Arabic-Latin transliterator gives the consonants and long vowels (mhmd, khald); comparison
  is then made on a consonant skeleton with the classes romanisations disagree on folded
  (Q/K, J/G, CH/SH, TH/T, vowels), and the explanation says the reading was ambiguous.
- Thai passports use the Royal Thai General System (RTGS) or an older letter-based spelling
  (SUPHAPHON / SUPAPORN). pythainlp's RTGS engine ("royin") romanises; a fold of the known
  RTGS/informal alternations (PH/P, TH/T, CH/J, final R/L/N, EE/I, OO/U) compares the two.
"""

from __future__ import annotations

import re
from functools import lru_cache

import icu  # type: ignore[import-untyped]
from pythainlp.transliterate import romanize

ARABIC = "arabic"
THAI = "thai"

_ARABIC_CHARS = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_THAI_CHARS = re.compile("[\u0e00-\u0e7f]")
# Ta marbuta and alif maqsura end names as a vowel (FATIMA, MUSTAFA, LAYLA): read them as alif.
_ARABIC_PRE = str.maketrans({"\u0629": "\u0627", "\u0649": "\u0627"})
_AIN_HAMZA = re.compile("[\u02bf\u02be'`]")
_NON_LETTER = re.compile(r"[^A-Z]+")
_THAI_O_ANG = "\u0e2d"
_THAI_VOWEL_SIGNS = frozenset("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47")


def script_of(text: str) -> str | None:
    """'arabic' or 'thai' when the text is written in that script, else None."""
    if _ARABIC_CHARS.search(text):
        return ARABIC
    if _THAI_CHARS.search(text):
        return THAI
    return None


@lru_cache(maxsize=1)
def _arabic_latin() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Arabic-Latin; Latin-ASCII")


@lru_cache(maxsize=65536)
def arabic_reading(word: str) -> str:
    """Upper-case consonantal reading of one Arabic word: محمد -> MHMD, عمر -> AMR.

    Ain and hamza carry a vowel in Latin spellings (OMAR, SAEED): initially they read as A,
    inside a word they are dropped.
    """
    latin = _arabic_latin().transliterate(word.translate(_ARABIC_PRE))
    if latin[:1] and _AIN_HAMZA.match(latin):
        latin = "a" + latin[1:]
    latin = _AIN_HAMZA.sub("", latin)
    return _NON_LETTER.sub("", latin.upper())


@lru_cache(maxsize=65536)
def thai_reading(word: str) -> str:
    """RTGS romanisation of one Thai word, upper-case: สมชาย -> SOMCHAI.

    pythainlp's rule engine drops a leading อ (the silent vowel carrier) when no vowel sign
    follows it (อนันต์ -> nan); it is read as A there, as RTGS does (ANAN, ARUNI).
    """
    latin = romanize(word, engine="royin")
    if (
        len(word) > 1
        and word[0] == _THAI_O_ANG
        and word[1] not in _THAI_VOWEL_SIGNS
        and not latin.startswith(("a", "o"))
    ):
        latin = "a" + latin
    return _NON_LETTER.sub("", latin.upper())


def romanise(text: str, script: str) -> list[str]:
    """Latin tokens of a name in the given script, one per written word."""
    read = arabic_reading if script == ARABIC else thai_reading
    return [r for w in text.split() if (r := read(w))]


# Arabic letters by the Latin consonant class their romanisations use; "" for letters that are
# vowels in Latin spellings (alif, hamza, ain, ta marbuta), several classes where spellings
# disagree (ث OTHMAN/OSMAN, ذ and ظ DH/Z, ق QASIM/GASSIM).
_ARABIC_CLASSES: dict[str, str] = {
    **dict.fromkeys("اأإآٱءئؤعةى", ""),
    **dict.fromkeys("بپ", "B"),
    **dict.fromkeys("تط", "T"),
    "ث": "TS",
    "ج": "G",
    **dict.fromkeys("حه", "H"),
    "خ": "X",
    **dict.fromkeys("دض", "D"),
    "ذ": "DZ",
    "ظ": "ZD",
    "ر": "R",
    "ز": "Z",
    **dict.fromkeys("سص", "S"),
    "ش": "$",
    "غ": "G",
    "ف": "F",
    "ق": "KG",
    **dict.fromkeys("كک", "K"),
    "گ": "G",
    "ل": "L",
    "م": "M",
    "ن": "N",
    "و": "W",
    **dict.fromkeys("يی", "Y"),
}
_LATIN_ARABIC_DIGRAPHS = (("KH", "X"), ("GH", "G"), ("SH", "$"), ("CH", "$"), ("TH", "T"))
_LATIN_ARABIC_FOLD = str.maketrans({"Q": "K", "J": "G", "P": "B", "V": "F", "C": "K"})
_VOWELS = re.compile("[AEIOUYW]")
_PLAIN_VOWELS = re.compile("[AEIOU]")
_DOUBLE = re.compile(r"(.)\1+")
_MAX_READINGS = 8


def _skeleton(head_vowel: bool, consonants: str) -> str:
    """Leading vowel as A, W/Y after the first letter dropped (long vowels), doubles merged."""
    if not consonants:
        return "A" if head_vowel else ""
    body = consonants if head_vowel else consonants[1:]
    head = "A" if head_vowel else consonants[0]
    return _DOUBLE.sub(r"\1", head + _VOWELS.sub("", body))


@lru_cache(maxsize=65536)
def arabic_skeletons(word: str) -> frozenset[str]:
    """Consonant skeletons an Arabic word can have in Latin: عثمان -> {ATMN, ASMN}.

    The article (ال) is dropped, as Latin spellings write it apart, joined or not at all.
    """
    letters = [c for c in word if c in _ARABIC_CLASSES]
    if len(letters) > 3 and letters[:2] == ["ا", "ل"]:
        letters = letters[2:]
    if not letters:
        return frozenset()
    head_vowel = _ARABIC_CLASSES[letters[0]] == ""
    readings = [""]
    for c in letters:
        classes = _ARABIC_CLASSES[c] or "-"
        readings = [r + k for r in readings for k in classes][:_MAX_READINGS]
    return frozenset(_skeleton(head_vowel, r.replace("-", "")) for r in readings)


@lru_cache(maxsize=262144)
def arabic_skeleton(token: str) -> str:
    """Consonant skeleton of a Latin spelling of an Arabic name: MOHAMMED -> MHMD.

    Same classes as arabic_skeletons: the article (AL, EL) dropped, a leading vowel is A
    (OMAR/UMAR, IBRAHIM/EBRAHIM), later vowels and W/Y dropped.
    """
    if token.startswith(("AL", "EL")) and len(token) > 4:
        token = token[2:]
    for digraph, one in _LATIN_ARABIC_DIGRAPHS:
        token = token.replace(digraph, one)
    token = token.translate(_LATIN_ARABIC_FOLD)
    if not token:
        return ""
    head_vowel = token[0] in "AEIOU"
    return _skeleton(head_vowel, _PLAIN_VOWELS.sub("", token) if head_vowel else token)


_THAI_FOLDS = (
    ("PH", "P"),
    ("TH", "T"),
    ("KH", "K"),
    ("CH", "J"),
    ("V", "W"),
    ("EE", "I"),
    ("OO", "U"),
    ("OU", "U"),
    ("OE", "E"),
)
_THAI_CODA_R = re.compile(r"(?<=[AEIOU])R(?=N)")  # SUPAPORN, THANAKORN: R written, not said
_THAI_FINAL_N = re.compile(r"[LR]$")
_THAI_FINAL_STOP = re.compile(r"[DS]$")


@lru_cache(maxsize=262144)
def thai_key(token: str) -> str:
    """Token with RTGS/informal alternations folded: SUPAPORN and SUPHAPHON -> SUPAPON."""
    for a, b in _THAI_FOLDS:
        token = token.replace(a, b)
    token = _THAI_CODA_R.sub("", token)
    token = _THAI_FINAL_STOP.sub("T", _THAI_FINAL_N.sub("N", token)).rstrip("H")
    token = token[:-1] + "I" if token.endswith("AY") else token
    return _DOUBLE.sub(r"\1", token.replace("NN", "N"))


# Thai consonant letters by the Latin consonant RTGS and passport spellings give them; vowels,
# tone marks and อ are not consonants of the spelling and are dropped.
_THAI_CONSONANTS = str.maketrans(
    {
        **dict.fromkeys("กขฃคฅฆ", "K"),
        "ง": "G",
        **dict.fromkeys("จฉชฌ", "J"),
        **dict.fromkeys("ซศษส", "S"),
        "ญ": "N",
        **dict.fromkeys("ฎด", "D"),
        **dict.fromkeys("ฏตฐฑฒถทธ", "T"),
        **dict.fromkeys("ณน", "N"),
        "บ": "B",
        "ป": "P",
        **dict.fromkeys("ผพภ", "P"),
        **dict.fromkeys("ฝฟ", "F"),
        "ม": "M",
        "ย": "Y",
        "ร": "R",
        **dict.fromkeys("ลฬ", "L"),
        "ว": "W",
        **dict.fromkeys("หฮ", "H"),
    }
)
_THAI_SILENT = re.compile("[\u0e01-\u0e2e][\u0e34\u0e38]?\u0e4c")  # letter under thanthakhat
_THAI_LEADING_HO = re.compile("\u0e2b(?=[\u0e07\u0e0d\u0e19\u0e21\u0e22\u0e23\u0e25\u0e27])")
_NOT_THAI_CONSONANT = re.compile("[^A-Z]")
_LATIN_DIGRAPHS = (("NG", "G"), ("PH", "P"), ("TH", "T"), ("KH", "K"), ("CH", "J"), ("V", "W"))


def _consonants(text: str) -> str:
    """Drop W/Y/H after the first letter (vowel parts or silent), fold finals, merge doubles."""
    if not text:
        return ""
    body = re.sub("[WYH]", "", text[1:])
    out = text[0] + body
    out = re.sub("[DSJ]$", "T", re.sub("[LR]$", "N", out))
    return _DOUBLE.sub(r"\1", out)


@lru_cache(maxsize=65536)
def thai_script_skeleton(word: str) -> str:
    """Consonants of a Thai word as Latin classes: นิรมล -> NRMN, พรหมมา -> PRM."""
    word = _THAI_SILENT.sub("", word).replace("รร", "น")
    word = _THAI_LEADING_HO.sub("", word)
    return _consonants(_NOT_THAI_CONSONANT.sub("", word.translate(_THAI_CONSONANTS)))


@lru_cache(maxsize=262144)
def thai_latin_skeleton(token: str) -> str:
    """Consonants of a Latin spelling of a Thai name, same classes: NIRAMOL -> NRMN."""
    token = _THAI_CODA_R.sub("", token)
    for a, b in _LATIN_DIGRAPHS:
        token = token.replace(a, b)
    return _consonants(_PLAIN_VOWELS.sub("", token))
