"""Scoring and candidate retrieval on the variations of issue 6 §3, and on look-alikes."""

from __future__ import annotations

import pytest

from egide.travel import Document, Traveller, load_rules
from egide.travel.features import compare_birth, compare_documents, fold_document
from egide.travel.index import WatchlistIndex
from egide.travel.names import normalise_name, phonetic
from egide.travel.scoring import EntryProfile, PassengerProfile, score_pair
from egide.watchlists import WatchlistEntry

RULES = load_rules()


def entry(
    name: str,
    birth: str | None,
    nat: str | None = None,
    docs: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
) -> WatchlistEntry:
    return WatchlistEntry("W1", name, aliases, birth, nat, docs, "green-notice", "", "t")


def pax(
    surname: str, given: str, birth: str | None, nat: str | None = None, doc: str | None = None
) -> Traveller:
    docs = (Document("P", doc),) if doc else ()
    return Traveller("r", surname, given, birth, None, nat, docs)


# (passenger, listed person): the same person written differently; each must be a hit.
SAME_PERSON = {
    "cyrillic": (
        pax("PETROV", "IVAN", "1970-03-02", "RU"),
        entry("Иван Петров", "1970-03-02", "RU"),
    ),
    "greek_elot": (
        pax("PAPADOPOULOS", "EVANGELOS", "1965-07-01", "GR"),
        entry("Ευάγγελος Παπαδόπουλος", "1965-07-01", "GR"),
    ),
    "chinese": (pax("WANG", "XIUYING", "1980-02-03", "CN"), entry("王秀英", "1980-02-03", "CN")),
    "vietnamese": (
        pax("NGUYEN", "VAN AN", "1975-05-06", "VN"),
        entry("Nguyễn Văn An", "1975-05-06", "VN"),
    ),
    "arabic_spelling": (
        pax("ALHASSAN", "MUHAMMAD", "1968-01-09", "EG"),
        entry("Mohammed Al-Hassan", "1968-01-09", "EG"),
    ),
    "swapped_order": (
        pax("JOHN", "SMITH", "1960-04-05", "GB"),
        entry("John Smith", "1960-04-05", "GB"),
    ),
    "missing_middle": (
        pax("MILLER", "ANNA", "1955-01-02", "US"),
        entry("Anna Louise Miller", "1955-01-02", "US"),
    ),
    "initial": (
        pax("MILLER", "A LOUISE", "1955-01-02", "US"),
        entry("Anna Louise Miller", "1955-01-02", "US"),
    ),
    "compound": (
        pax("GARCIALOPEZ", "MARIA", "1981-09-10", "ES"),
        entry("María García López", "1981-09-10", "ES"),
    ),
    "typo": (
        pax("WILKINSNO", "JESUS", "1957-01-16", "US"),
        entry("Jesus Wilkinson", "1957-01-16", "US"),
    ),
    "day_month_swapped": (
        pax("DUNN", "DEVIN", "1961-04-11", "US"),
        entry("Devin Dunn", "1961-11-04", "US"),
    ),
    "partial_date": (
        pax("DUNN", "DEVIN", "1961-04-11", "US"),
        entry("Devin Dunn", "1961-04", "US"),
    ),
    "passport_ocr": (
        pax("PARKS", "STEVEN", "1994-04-10", "US", "S7958O652"),
        entry("Steven Parks", "1995-04", "US", ("S79580652",)),
    ),
}

# Innocent look-alikes: must not be hits.
LOOK_ALIKES = {
    "same_surname_same_year": (
        pax("SMITH", "JAMES", "1960-08-21", "GB"),
        entry("John Smith", "1960-04-05", "GB"),
    ),
    "same_name_other_year": (
        pax("SMITH", "JOHN", "1972-04-05", "GB"),
        entry("John Smith", "1960-04-05", "GB"),
    ),
    "same_name_same_year_other_day": (
        pax("WANG", "WEI", "1980-10-30", "CN"),
        entry("王伟", "1980-02-03", "CN"),
    ),
    "other_person": (
        pax("DUPONT", "MARIE", "1960-04-05", "FR"),
        entry("John Smith", "1960-04-05", "GB"),
    ),
}


def _score(t: Traveller, e: WatchlistEntry) -> float:
    return score_pair(PassengerProfile.of(t), EntryProfile.of(e), RULES).value


@pytest.mark.parametrize("case", sorted(SAME_PERSON))
def test_same_person_is_a_hit_and_a_candidate(case: str) -> None:
    t, e = SAME_PERSON[case]
    assert _score(t, e) >= RULES.threshold
    index = WatchlistIndex([EntryProfile.of(e)])
    assert index.candidates(PassengerProfile.of(t)) == {0}


@pytest.mark.parametrize("case", sorted(LOOK_ALIKES))
def test_look_alike_is_not_a_hit(case: str) -> None:
    t, e = LOOK_ALIKES[case]
    assert _score(t, e) < RULES.threshold


def test_explanation_names_every_feature() -> None:
    t, e = SAME_PERSON["passport_ocr"]
    s = score_pair(PassengerProfile.of(t), EntryProfile.of(e), RULES)
    features = [x["feature"] for x in s.explanation]
    assert features[:4] == ["name", "birth_date", "document", "nationality"]
    doc = s.explanation[2]
    assert doc["outcome"] == "ocr_confusion" and doc["verdict"] == "agrees"
    assert s.explanation[1]["outcome"] == "partial_year_off"


def test_birth_date_outcomes() -> None:
    def outcome(p: str | None, e: str | None) -> str:
        return compare_birth(p, e, RULES)[1]

    assert outcome("1970-03-02", "1970-03-02") == "exact"
    assert outcome("1970-02-03", "1970-03-02") == "day_month_swapped"
    assert outcome("1970-03-02", "1970") == "partial_agrees"
    assert outcome("1970-03-02", "1970-03") == "partial_agrees"
    assert outcome("1970-03-02", "1971-03-02") == "year_off_by_one"
    assert outcome("1970-03-09", "1970-03-02") == "same_year_month"
    assert outcome("1970-05-09", "1970-03-02") == "same_year"
    assert outcome("1980-03-02", "1970-03-02") == "differs"
    assert outcome(None, "1970") == "unknown"


def test_documents_and_ocr_folding() -> None:
    assert fold_document("AB-1O5 S") == fold_document("A8105S".replace("S", "5"))
    assert compare_documents(("X123456",), ("X123456",), RULES)[1] == "exact"
    assert compare_documents(("XI23456",), ("X123456",), RULES)[1] == "ocr_confusion"
    assert compare_documents(("X123457",), ("X123456",), RULES)[1] == "one_character"
    assert compare_documents(("Y999999",), ("X123456",), RULES)[1] == "differs"
    assert compare_documents((), ("X123456",), RULES)[1] == "unknown"


def test_names_normalise_and_phonetics() -> None:
    assert normalise_name("Mr. Иван Петров-Водкин").tokens == ("IVAN", "PETROV", "VODKIN")
    assert phonetic("OMAR") == phonetic("UMAR")
    assert phonetic("PETROV") == phonetic("PETROFF")


def test_document_number_alone_retrieves_a_candidate() -> None:
    e = entry("Completely Different", None, docs=("K1234567",))
    index = WatchlistIndex([EntryProfile.of(e)])
    t = pax("OTHER", "NAME", None, doc="K1234567")
    assert index.candidates(PassengerProfile.of(t)) == {0}
