"""Banks of the stream tests: a known clip (frames of a benign sample video) as PDQ entries
and as a vPDQ video entry; the stream programmes insert that clip between unrelated videos."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import pytest
from sqlalchemy import Engine

from egide.banks import create_bank, import_entries
from egide.banks.videos import add_video
from egide.formats import ListEntry
from egide.store import open_engine, session_maker
from egide.video import FrameHash, hash_video
from tests.support.live_streams import SAMPLES, Piece, programme_frames

KNOWN = SAMPLES / "pattern-hd-no-bar.mp4"
UNRELATED_A = SAMPLES / "chair-19-sd-bar.mp4"
UNRELATED_B = SAMPLES / "test-padded-dimensions.mp4"
BANKS = ("known-frames", "known-videos")


@dataclass(frozen=True)
class Clip:
    """Where the known clip sits in a programme, in stream seconds: [start, end)."""

    start: float
    end: float

    def holds(self, stream_time: float) -> bool:
        return self.start - 1e-3 <= stream_time < self.end


def programme(before: float, clip: float, after: float) -> tuple[list[Piece], Clip]:
    pieces = [Piece(UNRELATED_A, before), Piece(KNOWN, clip), Piece(UNRELATED_B, after)]
    return pieces, Clip(before, before + clip)


@functools.cache
def known_frames() -> tuple[FrameHash, ...]:
    return hash_video(KNOWN).frames


def make_banks(engine: Engine) -> None:
    frames = known_frames()
    with session_maker(engine)() as session:
        images = create_bank(session, BANKS[0], source="stream tests")
        import_entries(session, images, [ListEntry("pdq", f.pdq) for f in frames])
        videos = create_bank(session, BANKS[1], source="stream tests")
        add_video(session, videos, frames, source="stream tests", media_id="pattern-hd")
        session.commit()


@pytest.fixture
def banked(tmp_path: Path) -> Iterator[Engine]:
    """The banks on SQLite: the live tests are about streams, not databases."""
    engine = open_engine(f"sqlite:///{tmp_path / 'egide.db'}")
    make_banks(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def banked_any(engine: Engine) -> Engine:
    """The banks on SQLite and on PostgreSQL."""
    make_banks(engine)
    return engine


def write_programme(path: Path, pieces: list[Piece], fps: int = 15) -> Path:
    """Encode a programme to a file as fast as possible (for file and stdin sources)."""
    fmt = "mpegts" if path.suffix == ".ts" else None
    with av.open(str(path), "w", format=fmt) as output:
        stream = output.add_stream(
            "libx264", rate=fps, options={"preset": "ultrafast", "g": str(fps), "sc_threshold": "0"}
        )
        stream.width, stream.height, stream.pix_fmt = 640, 360, "yuv420p"
        for frame in programme_frames(pieces, fps, 640, 360):
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode(None):
            output.mux(packet)
    return path
