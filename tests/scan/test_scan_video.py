"""Scans hash and match videos: a known video (vPDQ), a known image inside a video's frames,
videos inside archives, and the matched time ranges in the report."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
from sqlalchemy import Engine

from egide.banks import create_bank, import_entries
from egide.banks.videos import add_video
from egide.formats import ListEntry
from egide.scan import ScanOptions, run_scan, schema
from egide.store import session_maker
from egide.video import hash_video, read_frames
from tests.support.videos import source_frames, write_video
from tests.video.conftest import REFERENCE, VIDEOS


def test_scan_reports_known_videos_and_images_in_frames(engine: Engine, tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    shutil.copy(VIDEOS / "chair-19-sd-bar.mp4", evidence / "chair.mp4")
    picture = write_video(tmp_path / "panning.mp4", source_frames(40, picture="coffee"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.write(picture, "inner/panning.mp4")
    (evidence / "bundle.zip").write_bytes(buffer.getvalue())
    shutil.copy(VIDEOS / "test-padded-dimensions.mp4", evidence / "other.mp4")
    third_second = hash_video(picture).frames[2]  # t = 2 s of the panning clip
    with session_maker(engine)() as session:
        videos = create_bank(session, "known-videos")
        with open(REFERENCE / "chair-20-sd-bar.txt") as handle:
            add_video(session, videos, read_frames(handle), source="reference", media_id="c20")
        images = create_bank(session, "known-images")
        import_entries(session, images, [ListEntry("pdq", third_second.pdq)])
        session.commit()
    outcome = run_scan(
        engine,
        ScanOptions(
            roots=(str(evidence),),
            banks=("known-videos", "known-images"),
            report_path=tmp_path / "report.json",
            html_path=tmp_path / "report.html",
        ),
    )
    report: dict[str, Any] = json.loads(outcome.report.path.read_text())
    jsonschema.validate(report, schema())
    files = {f["path"].rsplit("/", 1)[-1]: f for f in report["files"]}
    chair = files["chair.mp4"]
    assert chair["class"] == "known" and chair["codec"] == "h264" and chair["frames"] == 19
    [video_hit] = chair["hits"]
    assert video_hit["signal_type"] == "vpdq" and video_hit["relation"] == "clip-of-known"
    assert video_hit["query_pct"] >= 80 and video_hit["segments"][0]["start"] == 0.0
    inner = next(f for name, f in files.items() if name.endswith("panning.mp4"))
    assert inner["class"] == "known"
    [image_hit] = inner["hits"]
    assert image_hit["bank"] == "known-images" and image_hit["signal_type"] == "pdq"
    assert image_hit["segments"][0]["start"] <= 2.0 <= image_hit["segments"][0]["end"]
    assert files["other.mp4"]["class"] == "unknown_video"
    assert report["summary"]["banks"] == {"known-images": 1, "known-videos": 1}
    assert "known-videos: vpdq" in (tmp_path / "report.html").read_text()
