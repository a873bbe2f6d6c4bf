"""Watchlist loaders: good rows load, bad rows are reported with their position."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egide.watchlists import (
    WatchlistEntry,
    WatchlistFormatError,
    load_watchlist,
    write_csv,
)

HEADER = "id,name,aliases,birth_date,nationality,document_numbers,source,notes\n"


def test_csv_good_and_bad_rows(tmp_path: Path) -> None:
    p = tmp_path / "gn.csv"
    p.write_text(
        HEADER
        + "W1,Ivan Petrov,Иван Петров|I. Petrov,1970-03-02,RUS,7512 345678|AB-123,green-notice,x\n"
        + "W2,No Date,,1970-13,FR,,national-registry,\n"
        + "W3,Partial,,1981,fr,,travel-notification,\n"
        + ",No Id,,,,,,\n"
        + "W5,Bad Country,,,ZZZ,,,\n"
        + "W1,Duplicate,,,,,,\n"
        + "W7,Too,many,,,,,,,extra\n",
        encoding="utf-8",
    )
    wl = load_watchlist(p)
    assert wl.name == "gn"
    assert [e.id for e in wl.entries] == ["W1", "W3"]
    w1 = wl.entries[0]
    assert w1.aliases == ("Иван Петров", "I. Petrov")
    assert w1.nationality == "RU"
    assert w1.document_numbers == ("7512345678", "AB123")
    assert w1.list_name == "gn"
    assert wl.entries[1].birth_date == "1981" and wl.entries[1].nationality == "FR"
    positions = {e.position: e.message for e in wl.errors}
    assert set(positions) == {"line 3", "line 5", "line 6", "line 7", "line 8"}
    assert "month" in positions["line 3"]
    assert "duplicate" in positions["line 7"]


def test_csv_missing_required_column(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("id,aliases\n1,a\n", encoding="utf-8")
    wl = load_watchlist(p)
    assert wl.entries == [] and wl.errors[0].position == "line 1"


def test_ftm_person_and_passport(tmp_path: Path) -> None:
    p = tmp_path / "list.ftm.json"
    lines = [
        {"id": "pp1", "schema": "Passport", "properties": {"holder": ["p1"], "number": ["X 99"]}},
        {
            "id": "p1",
            "schema": "Person",
            "properties": {
                "name": ["Somchai Jaidee"],
                "alias": ["สมชาย ใจดี"],
                "birthDate": ["1965-05"],
                "nationality": ["th"],
                "program": ["green-notice"],
            },
        },
        {"id": "p2", "schema": "Person", "properties": {"birthDate": ["1965"]}},
        {"id": "pp2", "schema": "Passport", "properties": {"holder": ["nobody"], "number": ["1"]}},
        {"id": "c1", "schema": "Company", "properties": {"name": ["ignored"]}},
    ]
    p.write_text("\n".join(json.dumps(x) for x in lines) + "\n{not json\n", encoding="utf-8")
    wl = load_watchlist(p)
    assert wl.name == "list"
    assert len(wl.entries) == 1
    e = wl.entries[0]
    assert (e.id, e.nationality, e.birth_date, e.source) == ("p1", "TH", "1965-05", "green-notice")
    assert e.document_numbers == ("X99",) and e.aliases == ("สมชาย ใจดี",)
    assert {x.position for x in wl.errors} == {"entity 3", "entity 4", "entity 6"}


def test_unknown_format_and_missing(tmp_path: Path) -> None:
    with pytest.raises(WatchlistFormatError):
        load_watchlist(tmp_path / "none.csv")
    (tmp_path / "a.xlsx").write_text("x")
    with pytest.raises(WatchlistFormatError):
        load_watchlist(tmp_path / "a.xlsx")


_text = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="|"),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)


@given(
    st.lists(
        st.tuples(_text, st.lists(_text, max_size=3), st.sampled_from([None, "1970", "1970-02"])),
        max_size=8,
    )
)
def test_csv_round_trip(rows: list[tuple[str, list[str], str | None]]) -> None:
    import tempfile

    entries = [
        WatchlistEntry(
            id=f"id{i}",
            name=name,
            aliases=tuple(aliases),
            birth_date=bd,
            nationality="GB",
            document_numbers=("AB1",),
            source="s",
            notes='n, "q"',
            list_name="rt",
        )
        for i, (name, aliases, bd) in enumerate(rows)
    ]
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "rt.csv"
        write_csv(entries, path)
        wl = load_watchlist(path)
    assert wl.errors == []
    assert wl.entries == entries
