"""A small evidence folder and a bank that knows part of it."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine

from egide.banks import create_bank, import_entries
from egide.categories import Category
from egide.formats import ListEntry
from egide.hashing import hash_file
from egide.store import session_maker
from tests.support.images import jpeg_bytes, png_bytes, textured, write
from tests.support.videos import source_frames, write_video


@dataclass(frozen=True)
class Case:
    evidence: Path
    known_md5: str


@pytest.fixture
def case(tmp_path: Path) -> Case:
    evidence = tmp_path / "evidence"
    known = textured(1, (320, 240))
    original = write(tmp_path / "originals" / "known.jpg", jpeg_bytes(known))
    write(evidence / "copy.jpg", original.read_bytes())
    write(evidence / "sub" / "reencoded.jpg", jpeg_bytes(known, 60))
    write(evidence / "sub" / "rotated.png", png_bytes(known.transpose(Image.Transpose.ROTATE_90)))
    write(evidence / "unknown.png", png_bytes(textured(2)))
    write(evidence / "flat.png", png_bytes(Image.new("RGB", (64, 64), (200, 200, 200))))
    write(evidence / "notes.txt", b"hello\n")
    write_video(evidence / "clip.mp4", source_frames(12))
    write(evidence / "broken.jpg", jpeg_bytes(known)[:300])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("inner/again.jpg", original.read_bytes())
        zf.writestr("../escape.jpg", jpeg_bytes(textured(3)))
    write(evidence / "bundle.zip", buffer.getvalue())
    hashes = hash_file(original)
    assert hashes.md5 is not None
    return Case(evidence, hashes.md5)


def make_bank(engine: Engine, name: str, originals: list[Path], pdq_threshold: int = 31) -> None:
    entries: list[ListEntry] = []
    for path in originals:
        hashes = hash_file(path)
        assert hashes.md5 is not None
        entries.append(ListEntry("md5", hashes.md5, Category("projectvic-us", "1"), "series-1"))
        assert hashes.pdq is not None
        entries.append(ListEntry("pdq", hashes.pdq, Category("projectvic-us", "1"), "series-1"))
    with session_maker(engine)() as session:
        bank = create_bank(session, name, pdq_threshold=pdq_threshold)
        import_entries(session, bank, entries)


@pytest.fixture
def known_bank(engine: Engine, case: Case) -> str:
    make_bank(engine, "known", [case.evidence.parent / "originals" / "known.jpg"])
    return "known"
