"""GTAS sample messages (good and malformed): travellers read, errors named by segment."""

from __future__ import annotations

from pathlib import Path

import pytest

from egide.travel import read_manifest

GTAS = Path("/work/shared/testdata/gtas")
if not GTAS.is_dir():  # the shared test data lives next to the repository
    GTAS = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "gtas"
SAMPLES = sorted(p for p in GTAS.glob("*__*") if p.is_file())


def test_samples_present() -> None:
    assert len(SAMPLES) >= 30


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_sample_reads_travellers(path: Path) -> None:
    m = read_manifest(path)
    assert m.kind == ("pnrgov" if path.name.startswith("pnr") else "paxlst")
    assert m.travellers, [str(i) for i in m.issues]
    for t in m.travellers:
        assert t.surname
        assert t.ref.startswith(path.name)
    for issue in m.issues:
        assert issue.position.startswith("segment ") and issue.segment and issue.message


def _messages(path: Path) -> list[str]:
    return [f"{i.segment} {i.message}" for i in read_manifest(path).issues]


def test_paxlst_fields() -> None:
    m = read_manifest(GTAS / "apis-messages__Test1.txt")
    first = m.travellers[0]
    assert (first.surname, first.given_names, first.birth_date) == (
        "Steur",
        "Andrea Pat",
        "1978-07-06",
    )
    assert first.role == "crew" and first.gender == "F" and first.nationality == "GB"
    assert first.documents[0].number == "123456789" and first.documents[0].expiry == "2061-02-18"
    assert (first.flight, first.origin, first.destination) == ("UA0989", "FRA", "IAD")
    assert first.departure == "2017-01-27T17:25"
    assert len(m.travellers) == 8
    # the sample declares 152 segments in UNT: a wrong segment count is named
    assert any(i.segment == "UNT" and "152 declared" in i.message for i in m.issues)


def test_pnr_fields_from_ssr_docs() -> None:
    m = read_manifest(GTAS / "pnr-messages__3_pnrs.edi")
    kevin = next(t for t in m.travellers if t.surname == "VANDENBERG")
    assert kevin.given_names == "KEVIN MICHAEL" and kevin.birth_date == "1980-07-04"
    assert kevin.documents[0].number == "548721687" and kevin.nationality == "US"
    assert (kevin.flight, kevin.origin, kevin.destination) == ("TZ0006", "SIN", "OOL")
    assert m.issues == []


def test_pnr_repeated_tif_counted_once() -> None:
    m = read_manifest(GTAS / "pnr-messages__danglingMetaCharacter.txt")
    assert [(t.surname, t.given_names) for t in m.travellers] == [("SERIO", "REUBEN JOAQUIN")]
    assert m.travellers[0].birth_date == "1994-10-20"
    assert any(
        "segment count 34 declared" in x
        for x in _messages(GTAS / "pnr-messages__danglingMetaCharacter.txt")
    )


def test_pnr_bad_format_truncated_with_trailing_text() -> None:
    path = GTAS / "pnr-messages__pnrBadFormat.txt"
    m = read_manifest(path)
    assert [t.surname for t in m.travellers] == ["DORON", "LENDROT"]
    msgs = _messages(path)
    assert any(x.startswith("UNZ segment not terminated") for x in msgs)
    assert any("invalid segment tag 'Modify above message'" in x for x in msgs)
    assert any(i.position == "segment 26 (line 26)" and i.segment == "UNT" for i in m.issues)


def test_una_with_five_characters_and_wrong_terminator() -> None:
    code = _messages(GTAS / "pnr-messages__codeshare.edi")
    assert any(x.startswith("UNA") and "5 characters" in x for x in code)
    assert read_manifest(GTAS / "pnr-messages__codeshare.edi").travellers[0].surname == "PARK"
    inf = _messages(GTAS / "pnr-messages__infant.edi")
    assert any(x.startswith("UNA") and "never used" in x for x in inf)


def test_paxlst_other_separators_and_trailing_text() -> None:
    m = read_manifest(GTAS / "apis-messages__airline2.edi")  # UNA:*.? $ separators
    assert len(m.travellers) == 10 and m.travellers[0].surname == "BETTON"
    assert any(i.segment == "UNG" and "white space" in i.message for i in m.issues)
    legs = read_manifest(GTAS / "apis-messages__multiple_flight_leg_apis.txt")
    assert any("13Nov09" in i.message for i in legs.issues)
    assert len(legs.travellers) == 2


@pytest.mark.parametrize(
    "name",
    [
        "pnr-messages__pnrMessagePg76.txt",
        "pnr-messages__pnrMessagePg77.txt",
        "pnr-messages__modifyPnr77ForCodeShare.txt",
    ],
)
def test_unterminated_last_segment(name: str) -> None:
    m = read_manifest(GTAS / name)
    (cut,) = [i for i in m.issues if "truncated interchange" in i.message]
    assert cut.segment == "UNZ" and cut.position.startswith("segment ")
    assert m.travellers
