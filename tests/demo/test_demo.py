"""The demo case of `make demo`: what it builds and what its scan finds."""

from __future__ import annotations

import json
from pathlib import Path

from egide.demo import run_demo


def test_demo_finds_copies_and_edits(tmp_path: Path) -> None:
    run = run_demo(tmp_path / "demo", workers=2)
    report = json.loads((tmp_path / "demo" / "report.json").read_text())
    files = {f["path"].split("/evidence/", 1)[1]: f for f in report["files"]}
    known = {p for p, f in files.items() if f["class"] == "known"}
    assert {
        "copies/astronaut.jpg",
        "copies/DSC0001.jpg",
        "edited/astronaut-q60.jpg",
        "edited/coffee-half.jpg",
        "edited/rocket-rotated.jpg",
        "edited/astronaut-mirrored.png",
    } <= known
    assert "archives/holiday.zip!backup/photos.tar.gz!photos/dinner.jpg" in known
    clip = files["videos/clip.mp4"]
    assert clip["class"] == "known" and clip["hits"][0]["signal_type"] == "vpdq"
    assert clip["hits"][0]["relation"] == "clip-of-known" and clip["hits"][0]["segments"]
    assert files["videos/doorknob.mp4"]["class"] == "unknown_video"
    assert files["damaged/truncated.jpg"]["class"] == "error"
    assert not any(p.startswith("unrelated/") for p in known)
    summary = run.outcome.report.summary
    assert summary["categories"]["Project VIC US 1"] >= 4
    assert "UK CAID B" in summary["categories"]
    assert (tmp_path / "demo" / "report.html").stat().st_size > 1000
