"""The vPDQ reference vectors: Meta's sample videos and the reference tool's hashes of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from egide.video import FrameHash, VideoOptions, hash_video, read_frames

THREATEXCHANGE = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "threatexchange"
VIDEOS = THREATEXCHANGE / "tmk" / "sample-videos"
REFERENCE = THREATEXCHANGE / "vpdq" / "sample-hashes"


def sample_names() -> list[str]:
    """Sample videos for which the reference's every-frame hashes are published."""
    return sorted(p.stem for p in VIDEOS.glob("*.mp4") if (REFERENCE / f"{p.stem}.txt").exists())


@pytest.fixture(scope="session")
def reference_hashes() -> dict[str, list[FrameHash]]:
    out = {}
    for name in sample_names():
        with open(REFERENCE / f"{name}.txt") as handle:
            out[name] = read_frames(handle, name)
    return out


@pytest.fixture(scope="session")
def egide_every_frame() -> dict[str, list[FrameHash]]:
    options = VideoOptions(frames_per_second=None)
    return {
        name: list(hash_video(VIDEOS / f"{name}.mp4", options).frames) for name in sample_names()
    }


@pytest.fixture(scope="session")
def egide_one_per_second() -> dict[str, list[FrameHash]]:
    return {name: list(hash_video(VIDEOS / f"{name}.mp4").frames) for name in sample_names()}
