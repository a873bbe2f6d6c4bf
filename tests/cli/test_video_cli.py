"""`egide hash` on videos and `egide bank add-video`, as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from egide.cli import app
from egide.video import read_frames
from tests.support.videos import source_frames, write_video
from tests.video.conftest import REFERENCE

runner = CliRunner()


def test_hash_prints_frames_and_writes_reference_files(tmp_path: Path) -> None:
    video = write_video(tmp_path / "clip.mp4", source_frames(25))
    out = tmp_path / "vpdq"
    result = runner.invoke(app, ["hash", "--every-frame", "--vpdq-out", str(out), str(video)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.splitlines()[0])
    assert record["kind"] == "video" and record["sampling"] == "every-frame"
    assert len(record["frames"]) == 25
    with open(out / "clip.mp4.txt") as handle:
        written = read_frames(handle)
    assert [f.to_json_dict() for f in written] == record["frames"]
    sampled = runner.invoke(app, ["hash", "--fps", "2", str(video)])
    assert [f["frame_number"] for f in json.loads(sampled.stdout)["frames"]] == [0, 5, 10, 15, 20]


def test_bank_add_video_from_files_and_reference_hashes(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'e.db'}"]
    assert runner.invoke(app, ["bank", "create", "videos", *db]).exit_code == 0
    video = write_video(tmp_path / "clip.mp4", source_frames(25))
    broken = tmp_path / "broken.txt"
    broken.write_text("0,100,abc,0.0\n")
    result = runner.invoke(
        app,
        [
            "bank",
            "add-video",
            "videos",
            str(video),
            str(REFERENCE / "chair-20-sd-bar.txt"),
            str(broken),
            "--category",
            "projectvic-us:1",
            *db,
        ],
    )
    assert result.exit_code == 1  # one file rejected, the others added
    assert "broken.txt:1: not a 64-digit hex PDQ hash" in result.output
    assert "614 frames, entry" in result.output
    again = runner.invoke(app, ["bank", "add-video", "videos", str(video), *db])
    assert again.exit_code == 0 and "already known" in again.output
    shown = runner.invoke(app, ["bank", "show", "videos", *db])
    assert "vpdq" in shown.output
    bad = runner.invoke(app, ["bank", "add-video", "videos", str(video), "--category", "x:1", *db])
    assert bad.exit_code != 0 and "unknown category scheme" in bad.output
