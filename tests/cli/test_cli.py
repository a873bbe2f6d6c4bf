"""The egide command end to end: hash, bank and scan as a user types them."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from egide.cli import app
from tests.support.images import jpeg_bytes, textured, write

runner = CliRunner()


def test_hash_prints_json_lines_and_errors(tmp_path: Path) -> None:
    image = write(tmp_path / "a.jpg", jpeg_bytes(textured(1)))
    text = write(tmp_path / "b.txt", b"hello")
    missing = tmp_path / "missing.jpg"
    result = subprocess.run(
        [sys.executable, "-m", "egide", "hash", str(image), str(missing), str(text)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["path"] for line in lines] == [str(image), str(missing), str(text)]
    assert len(lines[0]["pdq"]) == 64 and 0 <= lines[0]["pdq_quality"] <= 100
    assert lines[0]["format"] == "JPEG" and lines[0]["width"] == 160
    assert lines[0]["md5"] == hashlib.md5(image.read_bytes()).hexdigest()
    assert ("error" in lines[1] and "missing.jpg" not in lines[1]["error"]) or lines[1]["error"]
    assert lines[2]["sha256"] == hashlib.sha256(b"hello").hexdigest() and "pdq" not in lines[2]


def test_hash_loads_only_what_it_needs(tmp_path: Path) -> None:
    """Subcommands are imported when run: hashing a file never loads the service, finance or
    travel stacks (their imports took seconds at every start)."""
    text = write(tmp_path / "b.txt", b"hello")
    probe = (
        "import sys\n"
        "from egide.cli import main\n"
        f"sys.argv = ['egide', 'hash', {str(text)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('fastapi', 'uvicorn', 'polars', 'icu', 'pythainlp', 'threatexchange')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def test_bank_lifecycle(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'e.db'}"]
    assert runner.invoke(app, ["bank", "create", "iwf", "--source", "test", *db]).exit_code == 0
    dup = runner.invoke(app, ["bank", "create", "iwf", *db])
    assert dup.exit_code == 2 and "already exists" in dup.stderr
    lst = write(
        tmp_path / "list.csv",
        b"signal_type,value,category_scheme,category,series\n"
        + b"md5,"
        + b"a" * 32
        + b",uk-caid,A,s\n"
        + b"pdq,zz,,,\n",
    )
    imported = runner.invoke(app, ["bank", "import", "iwf", str(lst), *db])
    assert imported.exit_code == 1
    assert "line 3" in imported.stderr and "1 added" in imported.stderr
    strict = runner.invoke(app, ["bank", "import", "iwf", str(lst), "--strict", *db])
    assert strict.exit_code == 1 and "nothing imported" in strict.stderr
    md5sum = write(tmp_path / "list.md5", b"b" * 32 + b"  file.jpg\n")
    ok = runner.invoke(app, ["bank", "import", "iwf", str(md5sum), "-f", "md5sum", *db])
    assert ok.exit_code == 0, ok.stderr
    out = tmp_path / "out.csv"
    assert runner.invoke(app, ["bank", "export", "iwf", "-o", str(out), *db]).exit_code == 0
    assert out.read_text().splitlines()[1:] == [
        "md5," + "a" * 32 + ",uk-caid,A,s,,",
        "md5," + "b" * 32 + ",,,,,",
    ]
    shown = runner.invoke(app, ["bank", "show", "iwf", *db])
    assert "md5" in shown.stderr and "2" in shown.stderr
    missing = runner.invoke(app, ["bank", "show", "nope", *db])
    assert missing.exit_code == 2 and "no bank named 'nope'" in missing.stderr
    unknown_format = runner.invoke(app, ["bank", "import", "iwf", str(lst), "-f", "x", *db])
    assert unknown_format.exit_code == 2 and "unknown list format" in unknown_format.stderr
    assert runner.invoke(app, ["bank", "remove", "iwf", *db]).exit_code == 0
    assert "iwf" not in runner.invoke(app, ["bank", "list", *db]).stderr


def test_scan_command_writes_reports_and_exit_code(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'e.db'}"]
    evidence = tmp_path / "ev"
    write(evidence / "x.jpg", jpeg_bytes(textured(3)))
    runner.invoke(app, ["bank", "create", "b", *db])
    result = runner.invoke(
        app,
        [
            "scan",
            str(evidence),
            "--bank",
            "b",
            "--report",
            str(tmp_path / "r.json"),
            "--html",
            str(tmp_path / "r.html"),
            "--workers",
            "1",
            "--no-index-cache",
            *db,
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "unknown_image" in result.stderr and str(tmp_path / "r.json") in result.stderr
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["files"] == 1
    bad = runner.invoke(app, ["scan", str(evidence), "--bank", "zz", "--report", "r.json", *db])
    assert bad.exit_code == 2 and "no bank named 'zz'" in bad.stderr
