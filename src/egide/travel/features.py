"""Birth date, document and nationality comparisons, each returning (value, outcome, detail)."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from egide.travel.rules import Rules

# Characters OCR and typists confuse in document numbers, folded to one form.
OCR_FOLD = str.maketrans(
    {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8", "G": "6"}
)


@lru_cache(maxsize=1_048_576)
def clean_document(number: str) -> str:
    """Document number upper-cased, separators dropped."""
    return "".join(c for c in number.upper() if c.isalnum())


@lru_cache(maxsize=1_048_576)
def fold_document(number: str) -> str:
    """Document number with separators dropped and OCR-confusable characters folded."""
    return clean_document(number).translate(OCR_FOLD)


Outcome = tuple[float, str, str]


def compare_birth(p: str | None, e: str | None, rules: Rules) -> Outcome:
    """Passenger birth date (full ISO) against a listed one that may be partial."""
    r = rules.birth_date
    if not p or not e:
        return r["unknown"], "unknown", "birth date missing on one side"
    if p == e:
        return r["exact"], "exact", f"{p} = {e}"
    py, pm, pd = ([*p.split("-"), "", ""])[:3]
    ey, em, ed = ([*e.split("-"), "", ""])[:3]
    year_off = py.isdigit() and ey.isdigit() and abs(int(py) - int(ey)) == 1
    if not em or not pm:
        if py == ey:
            return r["partial_year_agrees"], "partial_agrees", f"year {py} agrees with {e}"
        if year_off:
            return r["partial_year_off"], "partial_year_off", f"{p} vs {e}: year one off"
    elif not ed or not pd:
        if (py, pm) == (ey, em):
            return r["partial_agrees"], "partial_agrees", f"{py}-{pm} agrees with {e}"
        if py == ey and pd and pd == em:
            return r["partial_swapped"], "partial_swapped", f"{p} vs {e}: day/month swapped"
        if year_off and pm == em:
            return r["partial_year_off"], "partial_year_off", f"{p} vs {e}: year one off"
    else:
        if py == ey and pm == ed and pd == em:
            return r["day_month_swapped"], "day_month_swapped", f"{p} vs {e}: day/month swapped"
        if py == ey and pm == em:
            return r["same_year_month"], "same_year_month", f"{p} vs {e}: day differs"
        if (pm, pd) == (em, ed) and year_off:
            return r["year_off_by_one"], "year_off_by_one", f"{p} vs {e}: year one off"
        if py == ey:
            return r["same_year"], "same_year", f"{p} vs {e}: only the year agrees"
    return r["differs"], "differs", f"{p} vs {e}"


def compare_documents(p: tuple[str, ...], e: tuple[str, ...], rules: Rules) -> Outcome:
    """Best agreement between any passenger document and any listed one."""
    r = rules.document
    if not p or not e:
        return r["unknown"], "unknown", "no document number on one side"
    best: Outcome = (r["differs"], "differs", f"{', '.join(p)} vs {', '.join(e)}")
    for a in p:
        for b in e:
            if clean_document(a) == clean_document(b):
                return r["exact"], "exact", f"{a} = {b}"
            fa, fb = fold_document(a), fold_document(b)
            if fa == fb and best[0] < r["ocr_confusion"]:
                best = (r["ocr_confusion"], "ocr_confusion", f"{a} ~ {b} (OCR confusion)")
            elif (
                len(fa) >= 6 and Levenshtein.distance(fa, fb) == 1 and best[0] < r["one_character"]
            ):
                best = (r["one_character"], "one_character", f"{a} ~ {b} (one character)")
    return best


def compare_nationality(p: str | None, e: str | None, rules: Rules) -> Outcome:
    r = rules.nationality
    if not p or not e:
        return r["unknown"], "unknown", "nationality missing on one side"
    if p == e:
        return r["same"], "same", p
    return r["differs"], "differs", f"{p} vs {e}"
