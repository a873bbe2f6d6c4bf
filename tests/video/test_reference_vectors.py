"""egide's vPDQ against the reference's own hashes of the sample videos (frame by frame) and
against the reference comparison (video by video, every pair)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from threatexchange.extensions.vpdq.vpdq_brute_matcher import match_VPDQ_hash_brute
from threatexchange.extensions.vpdq.vpdq_util import VpdqCompactFeature

from egide.video import FrameHash, VpdqThresholds, compare_frames

from .conftest import sample_names

#: Documented agreement on frames the comparison uses (reference quality >= 50).
MAX_P95_PER_VIDEO = 10  # doorknob-hd, a dark video: 8-8.1; every other sample video: 0-2
MAX_P95_ALL = 2
MAX_BITS = 12


def _distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def test_every_sample_video_has_reference_hashes() -> None:
    assert len(sample_names()) >= 13


def test_every_frame_agrees_with_the_reference(
    reference_hashes: dict[str, list[FrameHash]], egide_every_frame: dict[str, list[FrameHash]]
) -> None:
    everything: list[int] = []
    for name, reference in reference_hashes.items():
        mine = egide_every_frame[name]
        assert len(mine) == len(reference), name
        assert [f.frame_number for f in mine] == [f.frame_number for f in reference], name
        assert all(
            abs(a.timestamp - b.timestamp) < 0.001 for a, b in zip(mine, reference, strict=True)
        ), name
        assert all(abs(a.quality - b.quality) <= 2 for a, b in zip(mine, reference, strict=True)), (
            name
        )
        bits = [
            _distance(a.pdq, b.pdq) for a, b in zip(mine, reference, strict=True) if b.quality >= 50
        ]
        assert np.percentile(bits, 95) <= MAX_P95_PER_VIDEO, name
        assert max(bits) <= MAX_BITS, name
        everything += bits
    assert np.percentile(everything, 95) <= MAX_P95_ALL


def _compact(frames: list[FrameHash]) -> list[VpdqCompactFeature]:
    return [VpdqCompactFeature(f.pdq, f.quality, f.timestamp) for f in frames]


def _reference_decision(
    query: list[FrameHash], compared: list[FrameHash], p_q: float, p_c: float
) -> bool:
    result = match_VPDQ_hash_brute(_compact(query), _compact(compared), 50, 31)
    return result.query_match_percent >= p_q and result.compared_match_percent >= p_c


@pytest.mark.parametrize(("p_q", "p_c"), [(80.0, 0.0), (0.0, 80.0), (50.0, 50.0)])
def test_every_pair_gets_the_reference_decision(
    reference_hashes: dict[str, list[FrameHash]],
    egide_every_frame: dict[str, list[FrameHash]],
    p_q: float,
    p_c: float,
) -> None:
    """Every frame, every pair: egide's hashes give the decisions the reference's hashes give.

    The reference's brute matcher is pure Python (600 x 600 frames per pair, too slow for 196
    pairs x 3 rules here), so the reference side uses egide's comparison, which
    ``test_compare.py`` proves equal to it; the 1 frame/s test below calls the reference's own.
    """
    thresholds = VpdqThresholds(query_pct=p_q, compared_pct=p_c, contained_pct=None)
    disagreements = []
    matches = 0
    for a, b in itertools.product(reference_hashes, repeat=2):
        expected = compare_frames(reference_hashes[a], reference_hashes[b], thresholds).matched
        got = compare_frames(egide_every_frame[a], egide_every_frame[b], thresholds).matched
        matches += expected
        if got != expected:
            disagreements.append((a, b, expected))
    assert not disagreements
    assert 0 < matches < len(reference_hashes) ** 2  # the set has both outcomes


def test_one_frame_per_second_gives_the_reference_decisions(
    reference_hashes: dict[str, list[FrameHash]],
    egide_one_per_second: dict[str, list[FrameHash]],
) -> None:
    """The reference at 1 frame/s keeps frames whose number is a multiple of the frame rate."""
    sampled = {
        name: [f for f in frames if f.frame_number % 30 == 0]
        for name, frames in reference_hashes.items()
    }
    thresholds = VpdqThresholds(contained_pct=None)
    matches = 0
    for a, b in itertools.product(sampled, repeat=2):
        expected = _reference_decision(sampled[a], sampled[b], 80.0, 0.0)
        got = compare_frames(egide_one_per_second[a], egide_one_per_second[b], thresholds).matched
        assert got == expected, (a, b)
        matches += expected
    assert 0 < matches < len(sampled) ** 2
