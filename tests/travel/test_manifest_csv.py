"""CSV manifests: good rows read, bad rows reported by line."""

from __future__ import annotations

from pathlib import Path

from egide.travel import read_manifest


def test_rows_and_errors(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text(
        "passenger_id,surname,given_names,birth_date,nationality,document_number,extra\n"
        "A1,PETROV,IVAN,1970-03-02,RUS,7512345678,x\n"
        "A2,,,1970-03-02,RUS,,\n"
        "A3,DOE,JANE,1970-13-02,GB,,\n"
        "A4,DOE,JOHN,,XX1,,\n"
        "A5,ROE,RICHARD,1971,FR,,\n",
        encoding="utf-8",
    )
    m = read_manifest(p)
    assert [t.ref for t in m.travellers] == ["A1", "A5"]
    assert m.travellers[0].nationality == "RU" and m.travellers[0].documents[0].number
    assert {i.position for i in m.issues} == {"line 1", "line 3", "line 4", "line 5"}


def test_single_name_column(tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text("name,birth_date\nAnna Maria Schmidt,1990-05-06\n", encoding="utf-8")
    (t,) = read_manifest(p).travellers
    assert (t.surname, t.given_names) == ("Schmidt", "Anna Maria")
