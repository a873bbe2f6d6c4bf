"""Passport romanisation of Cyrillic and Greek (ICAO 9303, ELOT 743) for synthetic data.

Matching uses unidecode; generating the passenger side with the passport standards instead keeps
the evaluation honest (the two romanisations differ: Й -> I vs Y, Η -> I vs E, Υ -> Y vs U).
"""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

TABLES = Path(__file__).with_name("translit_tables.json")


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, str]]:
    data = json.loads(TABLES.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def passport_latin(text: str) -> str:
    """Upper-case Latin as printed in the MRZ; other scripts are returned upper-cased."""
    t = _tables()
    decomposed = unicodedata.normalize("NFD", text.upper())
    upper = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    for digraph, latin in t["greek_digraphs"].items():
        upper = upper.replace(digraph, latin)
    out = []
    for ch in upper:
        out.append(t["cyrillic"].get(ch, t["greek"].get(ch, ch)))
    return "".join(out)
