"""The vPDQ reference text format: round trips and bad lines."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egide.video import FrameFormatError, FrameHash, read_frames, write_frames
from egide.video.frames import parse_line

frame_hashes = st.builds(
    FrameHash,
    frame_number=st.integers(0, 10**7),
    quality=st.integers(0, 100),
    pdq=st.binary(min_size=32, max_size=32).map(bytes.hex),
    timestamp=st.integers(0, 10**7).map(lambda ms: ms / 1000),
)


@given(st.lists(frame_hashes, max_size=30))
def test_text_round_trip(frames: list[FrameHash]) -> None:
    out = io.StringIO()
    write_frames(frames, out)
    assert read_frames(io.StringIO(out.getvalue())) == frames


def test_reads_the_reference_line() -> None:
    pdq = "c0f10b78372c6aacc5dea25b748fb7d22f434c89c9a9db249772b6216c8d855c"
    assert parse_line(f"2,100,{pdq},0.067") == FrameHash(2, 100, pdq, 0.067)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("1,100,abc,0.0", "64-digit hex"),
        ("1,100," + "0" * 64, "4 comma-separated fields"),
        ("x,100," + "0" * 64 + ",0.0", "must be numbers"),
        ("1,101," + "0" * 64 + ",0.0", "quality 0..100"),
        ("1,50," + "0" * 64 + ",-1", ">= 0"),
    ],
)
def test_bad_line_names_file_line_and_reason(line: str, reason: str) -> None:
    text = "0,100," + "f" * 64 + ",0.000\n\n" + line + "\n"
    with pytest.raises(FrameFormatError) as error:
        read_frames(io.StringIO(text), "clip.txt")
    assert error.value.line_number == 3
    assert str(error.value).startswith("clip.txt:3: ")
    assert reason in str(error.value)
