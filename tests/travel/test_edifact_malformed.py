"""Malformed messages: errors name the segment and position; readable travellers survive."""

from __future__ import annotations

import string
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from egide.travel import read_edifact_text
from tests.travel.edifact_builder import Pax, paxlst

PEOPLE = [
    Pax("O'BRIEN", "SEAN", "800102", "IRL", "P1234567"),
    Pax("SMITH+JONES", "ANNA:MARIE", "751224", "GBR", "X?99"),
    Pax("PETROV", "IVAN", "700302", "RUS", "7512345678"),
]


def test_release_characters_round_trip() -> None:
    m = read_edifact_text(paxlst(PEOPLE), "t.edi")
    assert m.issues == []
    assert [t.surname for t in m.travellers] == ["O'BRIEN", "SMITH+JONES", "PETROV"]
    assert m.travellers[1].given_names == "ANNA:MARIE"  # released ":" is data
    assert m.travellers[1].documents[0].number == "X?99"
    assert m.travellers[0].nationality == "IE" and m.travellers[0].birth_date == "1980-01-02"


def test_wrong_segment_count() -> None:
    text = paxlst(PEOPLE).replace("UNT+", "UNT+9")
    m = read_edifact_text(text, "t.edi")
    (issue,) = m.issues
    assert issue.segment == "UNT" and "declared" in issue.message
    assert issue.position.startswith("segment 32 ")
    assert len(m.travellers) == 3


def test_dangling_release_character() -> None:
    text = paxlst(PEOPLE).replace("NAD+FL+++PETROV:IVAN'", "NAD+FL+++PETROV:IVAN?")
    m = read_edifact_text(text, "t.edi")
    # the released terminator swallows the next segment: the traveller still has a name
    assert any(t.surname == "PETROV" for t in m.travellers)
    assert m.issues


def test_release_at_end_of_interchange() -> None:
    text = paxlst(PEOPLE)[:-1] + "?"
    m = read_edifact_text(text, "t.edi")
    assert len(m.travellers) == 3
    assert any(i.segment == "UNZ" and "dangling release" in i.message for i in m.issues)


def test_truncated_interchange() -> None:
    full = paxlst(PEOPLE)
    cut = full[: full.index("NAD+FL+++PETROV") + 10]
    m = read_edifact_text(cut, "t.edi")
    assert [t.surname for t in m.travellers][:2] == ["O'BRIEN", "SMITH+JONES"]
    messages = [f"{i.segment}: {i.message}" for i in m.issues]
    assert any("truncated interchange" in x for x in messages)
    assert any(x.startswith("UNH: message not closed") for x in messages)


def test_unknown_qualifiers() -> None:
    text = paxlst(PEOPLE).replace("NAD+MS", "NAD+ZZ").replace("LOC+125", "LOC+999")
    text = text.replace("DTM+329:700302", "DTM+777:700302").replace("DOC+P+7512", "DOC+Q+7512")
    m = read_edifact_text(text, "t.edi")
    found = {
        (i.segment, i.message.split(" qualifier")[0].split(" document type")[0]) for i in m.issues
    }
    assert ("NAD", "unknown NAD party") in found
    assert ("LOC", "unknown LOC place") in found
    assert ("DTM", "unknown DTM date") in found
    assert ("DOC", "unknown DOC") in found
    assert len(m.travellers) == 3


def test_not_edifact_at_all() -> None:
    m = read_edifact_text("hello world", "t.edi")
    assert m.travellers == []
    assert m.issues


_name = st.text(alphabet=string.ascii_uppercase + "'+:?", min_size=1, max_size=12)
_pax = st.builds(
    Pax,
    surname=_name,
    given=st.text(alphabet=string.ascii_uppercase + "'+?", min_size=1, max_size=10),
    birth=st.dates(date(1930, 1, 1), date(2010, 12, 31)).map(lambda d: d.strftime("%y%m%d")),
    nationality=st.sampled_from(["GBR", "FRA", "THA", "VNM"]),
    doc=st.text(alphabet=string.ascii_uppercase + string.digits + "?'", min_size=1, max_size=10),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_pax, min_size=1, max_size=5))
def test_paxlst_round_trip(people: list[Pax]) -> None:
    m = read_edifact_text(paxlst(people), "p.edi")
    assert m.issues == []
    assert [(t.surname, t.given_names, t.documents[0].number) for t in m.travellers] == [
        (p.surname, p.given, p.doc) for p in people
    ]
    assert [t.birth_date[2:].replace("-", "") for t in m.travellers if t.birth_date] == [
        p.birth for p in people
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(_pax, min_size=1, max_size=4), st.integers(min_value=0, max_value=2000))
def test_any_truncation_is_reported_never_raised(people: list[Pax], cut: int) -> None:
    full = paxlst(people)
    text = full[: cut % len(full)]
    m = read_edifact_text(text, "p.edi")
    assert m.issues  # something is always missing
    full_names = [p.surname for p in people]
    names = [t.surname for t in m.travellers]
    assert len(names) <= len(full_names)
