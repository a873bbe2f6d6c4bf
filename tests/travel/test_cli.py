"""The travel commands end to end: screen GTAS samples, notify, evaluate, synth; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from egide.cli.travel_cmd import synth_travel_command, travel_app
from tests.travel.test_edifact_samples import GTAS

runner = CliRunner()
synth_app = typer.Typer()
synth_app.command("travel")(synth_travel_command)
synth_app.command("unused")(lambda: None)  # keep "travel" a sub-command

SAMPLES = [
    GTAS / "apis-messages__Test1.txt",
    GTAS / "pnr-messages__3_pnrs.edi",
    GTAS / "pnr-messages__pnrBadFormat.txt",
]


def _synth(tmp_path: Path) -> Path:
    out = tmp_path / "eval"
    args = [
        "travel",
        "--seed",
        "5",
        "--out",
        str(out),
        "--entries",
        "150",
        "--matches",
        "150",
        "--innocents",
        "1500",
    ]
    for s in SAMPLES:
        args += ["--plant", str(s)]
    r = runner.invoke(synth_app, args)
    assert r.exit_code == 0, r.output
    return out


def test_screen_notify_evaluate(tmp_path: Path) -> None:
    out = _synth(tmp_path)
    hits = tmp_path / "hits.json"
    r = runner.invoke(
        travel_app,
        ["screen", *map(str, SAMPLES), "-w", str(out / "watchlist.csv"), "--out", str(hits)],
    )
    assert r.exit_code == 1, r.output  # the samples carry errors: finished, errors listed
    doc = json.loads(hits.read_text())
    s = doc["summary"]
    assert s["travellers_read"] == s["travellers_screened"] == 24
    assert s["hits"] >= 6  # two planted listed people per message
    assert s["errors"] == len(doc["errors"]) >= 4
    first = doc["hits"][0]
    for key in ("name", "birth_date", "nationality", "document", "flight", "departure", "arrival"):
        assert key in first["passenger"]
    assert first["watchlist_id"].startswith("W9") and first["source"]
    assert first["score"] >= s["threshold"] and first["explanation"]
    assert any(e["segment"] == "UNT" and e["position"].startswith("segment") for e in doc["errors"])

    notices = tmp_path / "notices"
    r = runner.invoke(
        travel_app,
        ["notify", str(hits), "--hit", "1", "-o", str(notices), "--recipient", "Royal Thai Police"],
    )
    assert r.exit_code == 0, r.output
    files = sorted(p.suffix for p in notices.iterdir())
    assert files == [".html", ".json", ".pdf"]
    notice = json.loads(next(notices.glob("*.json")).read_text())
    assert notice["recipient"] == "Royal Thai Police"
    assert notice["traveller"]["name"] == first["passenger"]["name"]
    assert notice["listing"]["source"] == first["source"]
    page = next(notices.glob("*.html")).read_text()
    assert "<script" not in page and "http" not in page
    assert next(notices.glob("*.pdf")).read_bytes().startswith(b"%PDF")

    r = runner.invoke(travel_app, ["evaluate", str(out), "--start", "0.7", "--stop", "0.9"])
    assert r.exit_code == 0, r.output
    assert "best within FPR" in r.output


def test_bad_input_exit_2(tmp_path: Path) -> None:
    r = runner.invoke(
        travel_app,
        [
            "screen",
            str(SAMPLES[0]),
            "-w",
            str(tmp_path / "none.csv"),
            "--out",
            str(tmp_path / "h.json"),
        ],
    )
    assert r.exit_code == 2 and "none.csv" in r.output
    assert not (tmp_path / "h.json").exists()
    wl = tmp_path / "w.csv"
    wl.write_text("id,name\nW1,Someone\n")
    r = runner.invoke(
        travel_app,
        ["screen", str(tmp_path / "missing.edi"), "-w", str(wl), "--out", str(tmp_path / "h.json")],
    )
    assert r.exit_code == 2 and "missing.edi" in r.output
    r = runner.invoke(
        travel_app,
        [
            "screen",
            str(SAMPLES[1]),
            "-w",
            str(wl),
            "--threshold",
            "3",
            "--out",
            str(tmp_path / "h.json"),
        ],
    )
    assert r.exit_code == 2
    r = runner.invoke(travel_app, ["notify", str(wl), "--all", "-o", str(tmp_path / "n")])
    assert r.exit_code == 2 and "w.csv" in r.output


def test_clean_input_exit_0_and_csv_manifest(tmp_path: Path) -> None:
    wl = tmp_path / "w.csv"
    wl.write_text(
        "id,name,birth_date,nationality,source,notes\n"
        "W1,Иван Петров,1970-03-02,RUS,green-notice,convicted 2019\n",
        encoding="utf-8",
    )
    mf = tmp_path / "m.csv"
    mf.write_text(
        "surname,given_names,birth_date,nationality,flight,destination\n"
        "PETROV,IVAN,1970-03-02,RUS,TG931,BKK\nDOE,JANE,1980-01-01,GB,TG931,BKK\n"
    )
    hits = tmp_path / "h.json"
    r = runner.invoke(travel_app, ["screen", str(mf), "-w", str(wl), "--out", str(hits)])
    assert r.exit_code == 0, r.output
    doc = json.loads(hits.read_text())
    assert [h["passenger"]["name"] for h in doc["hits"]] == ["IVAN PETROV"]
    assert doc["hits"][0]["listed"]["notes"] == "convicted 2019"
