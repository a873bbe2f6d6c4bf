"""The finance commands as a user types them: synth, score, evaluate, report."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from egide.cli.finance_cmd import finance_app, synth_finance_command
from tests.finance.rows import row, write_csv

app = typer.Typer()
app.add_typer(finance_app, name="finance")
synth = typer.Typer()
synth.command("finance")(synth_finance_command)
app.add_typer(synth, name="synth")
runner = CliRunner()


def flat(text: str) -> str:
    """Output with rich's line wrapping undone."""
    return " ".join(text.split())


def test_synth_score_report_evaluate(tmp_path: Path, testdata: Path) -> None:
    data = tmp_path / "data"
    res = runner.invoke(
        app, ["synth", "finance", "--seed", "2", "--accounts", "400", "--out", str(data)]
    )
    assert res.exit_code == 0, res.output
    tx = data / "transactions.csv"
    out = tmp_path / "alerts.json"
    html = tmp_path / "r.html"
    res = runner.invoke(
        app,
        [
            "finance",
            "score",
            str(tx),
            "--out",
            str(out),
            "--html",
            str(html),
            "--graphml",
            str(tmp_path / "g.graphml"),
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert doc["alerts"] and doc["errors"] == [] and doc["rows_scored"] > 1000
    first = doc["alerts"][0]
    assert {"account_id", "role", "score", "indicators"} <= set(first)
    assert first["indicators"][0]["evidence"]
    assert html.read_text().startswith("<!DOCTYPE html>")
    xml = tmp_path / "str.xml"
    xsd = testdata / "goaml" / "goAMLSchema.xsd"
    res = runner.invoke(
        app,
        [
            "finance",
            "report",
            str(out),
            "--input",
            str(tx),
            "--goaml",
            str(xml),
            "--xsd",
            str(xsd),
            "--account",
            first["account_id"],
        ],
    )
    assert res.exit_code == 0, res.output
    assert xml.read_text().count("<transaction>") >= 1
    res = runner.invoke(
        app,
        [
            "finance",
            "report",
            str(out),
            "--input",
            str(tx),
            "--goaml",
            str(xml),
            "--xsd",
            str(xsd),
            "--account",
            "nobody",
        ],
    )
    assert res.exit_code == 2 and "nobody" in flat(res.output)
    res = runner.invoke(app, ["finance", "evaluate", str(tx)])
    assert res.exit_code == 0 and "facilitator" in res.output and "without network" in res.output


def test_score_bad_rows_exit_1_and_missing_file_exit_2(tmp_path: Path) -> None:
    path = write_csv([row(), row(amount="zz")], tmp_path / "t.csv")
    out = tmp_path / "a.json"
    res = runner.invoke(app, ["finance", "score", str(path), "--out", str(out)])
    assert res.exit_code == 1
    assert "t.csv:3: amount is not a number: zz" in flat(res.output)
    assert json.loads(out.read_text())["errors"] == [
        {"line": 3, "reason": "amount is not a number: zz"}
    ]
    res = runner.invoke(app, ["finance", "score", str(tmp_path / "no.csv"), "--out", str(out)])
    assert res.exit_code == 2 and "no such file" in flat(res.output)
    bad_rules = tmp_path / "r.yaml"
    bad_rules.write_text("indicators: 3\n")
    res = runner.invoke(
        app, ["finance", "score", str(path), "--out", str(out), "--rules", str(bad_rules)]
    )
    assert res.exit_code == 2 and "r.yaml" in flat(res.output)
