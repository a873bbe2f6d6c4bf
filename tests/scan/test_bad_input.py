"""Bad input never stops a scan: every case becomes a clear per-file error or warning."""

from __future__ import annotations

import io
import json
import os
import struct
import tarfile
import zipfile
import zlib
from pathlib import Path

from sqlalchemy import Engine

from egide.banks import create_bank
from egide.scan import ScanOptions, WalkLimits, run_scan
from egide.store import session_maker
from tests.support.images import jpeg_bytes, png_bytes, textured, write


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge size: a decompression bomb to a naive decoder."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(bytes(1024)))
        + _chunk(b"IEND", b"")
    )


def test_every_bad_input_is_reported_and_the_scan_goes_on(engine: Engine, tmp_path: Path) -> None:
    ev = tmp_path / "ev"
    good = jpeg_bytes(textured(5))
    write(ev / "a-good.jpg", good)
    write(ev / "truncated.jpg", good[: len(good) // 2])
    write(ev / "corrupt.png", b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    write(ev / "bomb.png", png_header_claiming(100_000, 100_000))
    write(ev / "zero.jpg", b"")
    huge = ev / "huge.bin"
    with huge.open("wb") as f:
        f.truncate(64 << 20)  # sparse: a large non-image file, streamed
    (ev / "loop").mkdir()
    (ev / "loop" / "again").symlink_to(ev / "loop", target_is_directory=True)
    (ev / "dangling").symlink_to(ev / "nowhere")
    os.mkfifo(ev / "pipe")
    zip_bomb = io.BytesIO()
    with zipfile.ZipFile(zip_bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.bin", bytes(8 << 20))
        zf.writestr("/abs/evil.jpg", good)
    write(ev / "bomb.zip", zip_bomb.getvalue())
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w") as tar:
        info = tarfile.TarInfo("../../outside.png")
        data = png_bytes(textured(6))
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    write(ev / "traversal.tar", tar_buffer.getvalue())
    write(ev / "cut.zip", zip_bomb.getvalue()[:100])
    write(ev / "z-last-good.png", png_bytes(textured(7)))
    with session_maker(engine)() as session:
        create_bank(session, "empty")
        session.commit()
    options = ScanOptions(
        roots=(str(ev),),
        banks=("empty",),
        report_path=tmp_path / "r.json",
        max_image_pixels=50_000_000,
        limits=WalkLimits(max_ratio=50.0, min_ratio_bytes=1 << 16),
    )
    outcome = run_scan(engine, options)
    assert outcome.exit_code == 1
    files = {
        f["path"].removeprefix(str(ev) + "/"): f
        for f in json.loads((tmp_path / "r.json").read_text())["files"]
    }

    def error(name: str) -> str:
        return str(files[name].get("error", ""))

    assert files["a-good.jpg"]["class"] == "unknown_image"
    assert files["z-last-good.png"]["class"] == "unknown_image"
    assert "truncated" in error("truncated.jpg") or "corrupt" in error("truncated.jpg")
    assert files["corrupt.png"]["class"] == "error"
    assert "limit" in error("bomb.png") and files["bomb.png"]["md5"]
    assert files["zero.jpg"]["size"] == 0 and files["zero.jpg"]["class"] in ("other", "error")
    assert files["huge.bin"]["class"] == "other" and files["huge.bin"]["size"] == 64 << 20
    assert any("loop" in str(f.get("error", "")) for f in files.values())
    assert "dangling" in " ".join(files) and "symlink" in error("dangling")
    assert files["pipe"]["class"] == "error" and "fifo" in error("pipe")
    bomb_member = next(f for p, f in files.items() if p.startswith("bomb.zip!zeros"))
    assert bomb_member["class"] == "error" and "ratio" in bomb_member["error"]
    evil = next(f for p, f in files.items() if p.startswith("bomb.zip!") and "evil" in p)
    assert "unsafe" in evil["warnings"][0] and evil["class"] == "unknown_image"
    outside = next(f for p, f in files.items() if p.startswith("traversal.tar!"))
    assert "unsafe" in outside["warnings"][0] and outside["class"] == "unknown_image"
    assert any(p.startswith("cut.zip") and f["class"] == "error" for p, f in files.items())
