import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from sqlalchemy import Engine

from egide.banks import BankError
from egide.scan import ScanOptions, ScanStateError, run_scan, schema
from tests.scan.conftest import Case


def scan(engine: Engine, case: Case, tmp_path: Path, **kw: Any) -> dict[str, Any]:
    options = ScanOptions(
        roots=(str(case.evidence),),
        banks=("known",),
        report_path=tmp_path / "out" / "report.json",
        html_path=tmp_path / "out" / "report.html",
        **kw,
    )
    outcome = run_scan(engine, options)
    report: dict[str, Any] = json.loads(outcome.report.path.read_text())
    report["exit_code"] = outcome.exit_code
    return report


def by_path(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        Path(f["path"]).name if "!" not in f["path"] else f["path"].split("!", 1)[1]: f
        for f in report["files"]
    }


def test_scan_classes_every_file_and_validates(
    engine: Engine, case: Case, known_bank: str, tmp_path: Path
) -> None:
    report = scan(engine, case, tmp_path)
    jsonschema.validate({k: v for k, v in report.items() if k != "exit_code"}, schema())
    files = by_path(report)
    assert files["copy.jpg"]["class"] == "known"
    signals = {h["signal_type"] for h in files["copy.jpg"]["hits"]}
    assert signals == {"md5", "pdq"}
    pdq_hit = next(h for h in files["copy.jpg"]["hits"] if h["signal_type"] == "pdq")
    assert pdq_hit["distance"] == 0
    assert pdq_hit["category"] == {
        "scheme": "projectvic-us",
        "code": "1",
        "label": "Project VIC US 1",
    }
    assert files["reencoded.jpg"]["class"] == "known"
    assert [h["signal_type"] for h in files["reencoded.jpg"]["hits"]] == ["pdq"]
    assert files["rotated.png"]["class"] == "unknown_image"  # no dihedral matching asked for
    assert files["unknown.png"]["class"] == "unknown_image"
    assert files["flat.png"]["class"] == "unknown_image"
    assert "not searched" in files["flat.png"]["notes"][0]
    assert files["notes.txt"]["class"] == "other"
    assert files["clip.mp4"]["class"] == "unknown_video"
    assert files["broken.jpg"]["class"] == "error"
    assert files["bundle.zip"]["class"] == "other"
    assert files["inner/again.jpg"]["class"] == "known"
    escaped = next(f for f in report["files"] if "escape.jpg" in f["path"])
    assert escaped["class"] == "unknown_image" and "unsafe" in escaped["warnings"][0]
    summary = report["summary"]
    assert summary["classes"]["known"] == 3
    assert summary["categories"] == {"Project VIC US 1": 3}
    assert summary["banks"] == {"known": 3}
    assert summary["errors"] == 1 and summary["warnings"] >= 1
    assert report["exit_code"] == 1
    html = (tmp_path / "out" / "report.html").read_text()
    assert "Project VIC US 1" in html and "copy.jpg" in html
    assert "http://" not in html.replace(report["$schema"], "") and "<script" not in html


def test_dihedral_matches_rotated_copy(
    engine: Engine, case: Case, known_bank: str, tmp_path: Path
) -> None:
    files = by_path(scan(engine, case, tmp_path, dihedral=True))
    assert files["rotated.png"]["class"] == "known"
    [hit] = [h for h in files["rotated.png"]["hits"]]
    assert hit["variant"] != "original" and hit["distance"] <= 31


def test_bank_threshold_is_applied(engine: Engine, case: Case, tmp_path: Path) -> None:
    from tests.scan.conftest import make_bank

    make_bank(engine, "known", [case.evidence.parent / "originals" / "known.jpg"], pdq_threshold=0)
    files = by_path(scan(engine, case, tmp_path))
    assert files["copy.jpg"]["class"] == "known"
    assert [h["signal_type"] for h in files["reencoded.jpg"]["hits"]] in ([], ["pdq"])
    if files["reencoded.jpg"]["hits"]:
        assert files["reencoded.jpg"]["hits"][0]["distance"] == 0


def test_two_workers_give_the_same_report(
    engine: Engine, case: Case, known_bank: str, tmp_path: Path
) -> None:
    one = scan(engine, case, tmp_path / "a", workers=1)
    two = scan(engine, case, tmp_path / "b", workers=2)
    assert one["files"] == two["files"]


def test_unknown_bank_is_a_clear_error(engine: Engine, case: Case, tmp_path: Path) -> None:
    with pytest.raises(BankError, match="no bank named 'known'"):
        scan(engine, case, tmp_path)


def test_resume_refuses_other_settings(
    engine: Engine, case: Case, known_bank: str, tmp_path: Path
) -> None:
    from egide.store import Scan, session_maker

    options = ScanOptions((str(case.evidence),), ("known",), tmp_path / "r.json")
    run_scan(engine, options)
    with session_maker(engine)() as session:  # pretend it was interrupted
        for s in session.query(Scan).all():
            s.finished_at = None
        session.commit()
    other = ScanOptions(
        (str(case.evidence),), ("known",), tmp_path / "r.json", resume=True, dihedral=True
    )
    with pytest.raises(ScanStateError, match="settings differ"):
        run_scan(engine, other)


def test_allow_bank_suppresses_reviewed_files(
    engine: Engine, case: Case, known_bank: str, tmp_path: Path
) -> None:
    from egide.banks import create_bank, import_entries
    from egide.formats import ListEntry
    from egide.store import session_maker

    with session_maker(engine)() as session:
        allow = create_bank(session, "reviewed", kind="allow")
        import_entries(session, allow, [ListEntry("md5", case.known_md5)])
    options = ScanOptions((str(case.evidence),), ("known", "reviewed"), tmp_path / "a.json")
    run_scan(engine, options)
    report = json.loads((tmp_path / "a.json").read_text())
    jsonschema.validate(report, schema())
    files = by_path(report)
    assert files["copy.jpg"]["hits"] == [] and files["copy.jpg"]["class"] == "unknown_image"
    assert files["copy.jpg"]["allowed_by"][0]["bank"] == "reviewed"
    assert files["reencoded.jpg"]["class"] == "known"
    assert report["summary"]["allowed"] == 2  # copy.jpg and its copy inside bundle.zip


def test_flood_policy_quarantines_an_entry_matching_too_many_files(
    engine: Engine, case: Case, known_bank: str, tmp_path: Path
) -> None:
    from egide.match import FloodPolicy

    options = ScanOptions(
        (str(case.evidence),), ("known",), tmp_path / "f.json", flood=FloodPolicy(1, 3600)
    )
    run_scan(engine, options)
    report = json.loads((tmp_path / "f.json").read_text())
    jsonschema.validate(report, schema())
    [event] = report["summary"]["quarantined"]
    assert event["bank"] == "known" and event["files"] == 2 and "limit 1" in event["reason"]
