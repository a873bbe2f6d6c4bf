"""Containers, codecs and bad input: every frame hashed close to the PDQ of the picture that
was encoded, and undecodable input reported, never raised."""

from __future__ import annotations

from pathlib import Path

import pytest

from egide.hashing import hash_file, pdq_hash
from egide.video import VideoOptions, VideoRejected, hash_video
from tests.support.videos import RGB, source_frames, write_video

CASES = [
    ("clip.mp4", "libx264", None, "yuv420p"),
    ("clip.mov", "libx264", None, "yuv420p"),
    ("clip.mkv", "libx265", None, "yuv420p"),
    ("clip.webm", "libvpx", None, "yuv420p"),
    ("clip-vp9.webm", "libvpx-vp9", None, "yuv420p"),
    ("clip.avi", "mpeg4", None, "yuv420p"),
    ("clip.flv", "flv", None, "yuv420p"),
    ("clip.ts", "mpeg2video", "mpegts", "yuv420p"),
    ("clip-av1.mkv", "libsvtav1", None, "yuv420p"),
    ("clip-mjpeg.avi", "mjpeg", None, "yuvj420p"),
    ("clip-444.mkv", "libx264", None, "yuv444p"),
]


def _distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


@pytest.fixture(scope="module")
def frames() -> list[RGB]:
    return source_frames(30)


@pytest.mark.parametrize(("name", "codec", "container", "pix_fmt"), CASES)
def test_each_container_and_codec_hashes_close_to_its_source(
    tmp_path: Path, frames: list[RGB], name: str, codec: str, container: str | None, pix_fmt: str
) -> None:
    path = write_video(tmp_path / name, frames, codec=codec, container=container, pix_fmt=pix_fmt)
    every = hash_video(path, VideoOptions(frames_per_second=None))
    assert every.info.width == 160 and every.info.height == 120
    assert abs(every.info.frame_rate - 10) < 0.01
    assert len(every.frames) == len(frames)
    for frame in every.frames:
        expected, _ = pdq_hash(frames[frame.frame_number])
        assert frame.quality >= 50
        assert _distance(frame.pdq, expected) <= 24, (name, frame.frame_number)
    sampled = hash_video(path)  # 1 frame/s: frames 0, 10, 20 (or the next decodable one)
    assert [f.timestamp for f in sampled.frames] == pytest.approx([0.0, 1.0, 2.0], abs=0.31)


def test_hash_file_records_a_video_with_its_frames(tmp_path: Path, frames: list[RGB]) -> None:
    path = write_video(tmp_path / "clip.mp4", frames)
    record = hash_file(path)
    assert record.kind == "video" and record.error is None
    assert record.codec == "h264" and record.duration == pytest.approx(3.0, abs=0.2)
    assert record.sampling == "1/s" and record.frames is not None and len(record.frames) == 3
    second = record.frames[1].to_json_dict()
    assert second["timestamp"] == pytest.approx(1.0, abs=0.31)
    assert record.to_json_dict()["frames"] == [f.to_json_dict() for f in record.frames]


def test_truncated_video_keeps_what_decodes_or_says_why(tmp_path: Path, frames: list[RGB]) -> None:
    path = write_video(tmp_path / "clip.ts", frames, codec="libx264", container="mpegts")
    cut = tmp_path / "cut.ts"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    record = hash_file(cut)
    assert record.md5 is not None
    assert record.error is not None or (record.frames and 0 < len(record.frames) < 4)


def test_garbage_after_a_video_header_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "fake.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x13" * 5000)
    record = hash_file(path)
    assert record.kind == "video" and record.md5 is not None
    assert record.error is not None and "video" in record.error
    with pytest.raises(VideoRejected):
        hash_video(path)


def test_unseekable_input_keeps_its_digests(tmp_path: Path, frames: list[RGB]) -> None:
    import io

    from egide.hashing import hash_stream

    class Pipe(io.BytesIO):
        def seekable(self) -> bool:
            return False

    data = write_video(tmp_path / "clip.mp4", frames).read_bytes()
    record = hash_stream(Pipe(data), "pipe.mp4")
    assert record.md5 is not None and record.frames is None
    assert record.error is not None and "cannot be read twice" in record.error
