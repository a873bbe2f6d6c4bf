"""Arabic and Thai script watchlist names against Latin passport spellings (synthetic people)."""

from __future__ import annotations

import pytest

from egide.travel import Traveller, load_rules
from egide.travel.index import WatchlistIndex
from egide.travel.names import normalise_name
from egide.travel.scoring import EntryProfile, PassengerProfile, score_pair
from egide.travel.scripts import (
    arabic_reading,
    arabic_skeleton,
    arabic_skeletons,
    script_of,
    thai_key,
    thai_latin_skeleton,
    thai_reading,
    thai_script_skeleton,
)
from egide.travel.synth import generate
from egide.watchlists import WatchlistEntry

RULES = load_rules()


def entry(name: str, birth: str = "1971-05-14", eid: str = "W1") -> WatchlistEntry:
    return WatchlistEntry(eid, name, (), birth, None, (), "green-notice", "", "t")


def pax(surname: str, given: str, birth: str = "1971-05-14") -> Traveller:
    return Traveller("r", surname, given, birth, None, None, ())


# Listed in the script, travelling on a passport in Latin: each must be a hit.
ARABIC_PAIRS = [
    ("محمد الحسن", "AL HASSAN", "MOHAMED"),
    ("محمد الحسن", "ALHASAN", "MUHAMMAD"),
    ("عمر عبدالله", "ABDULLAH", "UMAR"),
    ("خالد عثمان", "OSMAN", "KHALID"),
    ("خالد عثمان", "OTHMAN", "KHALED"),
    ("عائشة السيد", "EL SAYED", "AICHA"),
    ("يوسف قاسم", "KASSEM", "YOUSSEF"),
    ("جمال شريف", "CHERIF", "GAMAL"),
    ("فاطمة درويش", "DARWISH", "FATMA"),
    ("إبراهيم خليل", "KHALEEL", "EBRAHIM"),
]
THAI_PAIRS = [
    ("สมชาย ใจดี", "JAIDEE", "SOMCHAI"),
    ("สุภาพร รัตนกุล", "RATTANAKUL", "SUPAPORN"),
    ("นิรมล เจริญสุข", "CHAROENSUK", "NIRAMOL"),
    ("ธนากร วงศ์สวัสดิ์", "VONGSAWAT", "THANAKORN"),
    ("อรุณี พรหมมา", "PROMMA", "ARUNEE"),
    ("วิชัย ศรีสุข", "SRISOOK", "VICHAI"),
    ("ณัฐพงศ์ ทองดี", "THONGDEE", "NATTHAPHONG"),
    ("อนันต์ บุญมา", "BOONMA", "ANAN"),
]


@pytest.mark.parametrize(("listed", "surname", "given"), ARABIC_PAIRS + THAI_PAIRS)
def test_script_listing_meets_passport_spelling(listed: str, surname: str, given: str) -> None:
    score = score_pair(
        PassengerProfile.of(pax(surname, given)), EntryProfile.of(entry(listed)), RULES
    )
    assert score.value >= RULES.threshold, score.explanation
    notes = [e for e in score.explanation if e["feature"] == "transliteration"]
    assert len(notes) == 1 and script_of(listed) in notes[0]["detail"]


def test_arabic_ambiguity_is_explained() -> None:
    score = score_pair(
        PassengerProfile.of(pax("OSMAN", "KHALID")), EntryProfile.of(entry("خالد عثمان")), RULES
    )
    name = score.explanation[0]["detail"]
    assert "unvowelled Arabic عثمان" in name and "OSMAN is one of its spellings" in name
    note = next(e for e in score.explanation if e["feature"] == "transliteration")
    assert "without short vowels" in note["detail"] and note["verdict"] == "neutral"


# Other people: same surname, another given name and birth date; must stay below the threshold.
@pytest.mark.parametrize(
    ("listed", "surname", "given"),
    [
        ("محمد الحسن", "AL HASSAN", "KHALED"),
        ("فاطمة درويش", "DARWISH", "MARYAM"),
        ("سعيد حداد", "HADDAD", "HASSAN"),
        ("สมชาย ใจดี", "JAIDEE", "SUPAPORN"),
        ("นิรมล เจริญสุข", "CHAROENSUK", "PRASERT"),
    ],
)
def test_lookalikes_stay_below_threshold(listed: str, surname: str, given: str) -> None:
    score = score_pair(
        PassengerProfile.of(pax(surname, given, "1980-02-03")),
        EntryProfile.of(entry(listed)),
        RULES,
    )
    assert score.value < RULES.threshold, score.explanation


def test_retrieval_finds_script_listings_from_latin_names() -> None:
    listed = [entry(n, eid=f"W{i}") for i, (n, _, _) in enumerate(ARABIC_PAIRS + THAI_PAIRS)]
    listed += [entry(f"Person{i} Other{i}", eid=f"X{i}") for i in range(50)]
    index = WatchlistIndex(EntryProfile.of(e) for e in listed)
    for i, (_, surname, given) in enumerate(ARABIC_PAIRS + THAI_PAIRS):
        found = index.candidates(PassengerProfile.of(pax(surname, given)))
        assert i in found, (surname, given)
        assert len(found) < 10


def test_readings_and_keys() -> None:
    assert script_of("محمد") == "arabic" and script_of("สมชาย") == "thai"
    assert script_of("Иван") is None
    assert arabic_reading("محمد") == "MHMD" and arabic_reading("عمر") == "AMR"
    assert arabic_skeletons("عثمان") == {"ATMN", "ASMN"}
    assert arabic_skeletons("الحسن") == {arabic_skeleton("HASSAN")} == {"HSN"}
    for spelling in ("MOHAMMED", "MUHAMMAD", "MOHAMED", "MOHAMMAD"):
        assert arabic_skeleton(spelling) in arabic_skeletons("محمد")
    assert thai_reading("สมชาย") == "SOMCHAI"
    assert thai_reading("อนันต์") == "ANAN"  # leading อ read as A
    assert thai_key("SUPAPORN") == thai_key("SUPHAPHON")
    assert thai_key("JAIDEE") == thai_key("CHAIDI")
    assert thai_script_skeleton("นิรมล") == thai_latin_skeleton("NIRAMOL")
    name = normalise_name("สุภาพร รัตนกุล")
    assert name.script == "thai" and name.words == ("สุภาพร", "รัตนกุล")
    assert name.tokens == ("SUPHAPHON", "RATNAKUN")


def test_generator_lists_script_names_and_passports_in_latin() -> None:
    data = generate(5, entries=300, matches=300, innocents=300)
    scripts = {e.id: script_of(e.name) for e in data.entries}
    assert {"arabic", "thai"} <= set(scripts.values())
    by_ref = {p.ref: p for p in data.passengers}
    listed = [ref for ref, (eid, _, _) in data.labels.items() if eid and scripts[eid] is not None]
    assert listed
    for ref in listed:
        assert by_ref[ref].name.isascii()
        assert data.scripts[ref] in ("arabic", "thai")
