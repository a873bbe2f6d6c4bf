"""A scan killed with SIGKILL at an arbitrary moment resumes to exactly the uninterrupted report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from egide.banks import create_bank, import_entries
from egide.formats import ListEntry
from egide.hashing import hash_file
from egide.store import ScanRecord, ScanUnit, open_engine, session_maker
from tests.support.images import png_bytes, textured, write

FILES = 240


def egide(*args: str, db: str) -> list[str]:
    return [sys.executable, "-m", "egide", *args, "--db", db]


def comparable(report_path: Path) -> list[dict[str, Any]]:
    files: list[dict[str, Any]] = json.loads(report_path.read_text())["files"]
    return files


@pytest.mark.slow
def test_kill_9_then_resume_gives_the_uninterrupted_report(
    database_url: str, tmp_path: Path
) -> None:
    evidence = tmp_path / "evidence"
    for i in range(FILES):
        write(evidence / f"d{i % 7}" / f"img{i:04d}.png", png_bytes(textured(i, (256, 192))))
    engine = open_engine(database_url)
    with session_maker(engine)() as session:
        bank = create_bank(session, "known")
        known = [hash_file(evidence / f"d{i % 7}" / f"img{i:04d}.png") for i in range(0, FILES, 9)]
        import_entries(session, bank, [ListEntry("pdq", h.pdq or "") for h in known])
    engine.dispose()

    reference = tmp_path / "reference.json"
    subprocess.run(
        egide(
            "scan",
            str(evidence),
            "--bank",
            "known",
            "--report",
            str(reference),
            "--workers",
            "1",
            db=database_url,
        ),
        check=False,
        capture_output=True,
    )

    interrupted = tmp_path / "interrupted.json"
    cmd = egide(
        "scan",
        str(evidence),
        "--bank",
        "known",
        "--report",
        str(interrupted),
        "--workers",
        "2",
        db=database_url,
    )
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watcher = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://"))
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and process.poll() is None:
        with watcher.connect() as conn:
            done = conn.scalar(select(func.count()).select_from(ScanUnit)) or 0
        if done >= 20:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the scan ended before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not interrupted.exists()
    with watcher.connect() as conn:
        assert 0 < (conn.scalar(select(func.count()).select_from(ScanUnit)) or 0) < FILES * 2

    resumed = subprocess.run([*cmd, "--resume"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert comparable(interrupted) == comparable(reference)
    with watcher.connect() as conn:
        per_scan = conn.execute(
            select(ScanRecord.scan_id, func.count()).group_by(ScanRecord.scan_id)
        ).all()
    assert sorted(count for _, count in per_scan) == [FILES, FILES]
    summary = json.loads(interrupted.read_text())["summary"]
    assert summary["files"] == FILES and summary["classes"]["known"] == len(known)
    watcher.dispose()
