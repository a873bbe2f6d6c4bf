"""egide's vectorised vPDQ comparison is the reference's rule (python-threatexchange's brute
matcher), on generated frame sets with near and far frames."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from threatexchange.extensions.vpdq.vpdq_brute_matcher import match_VPDQ_hash_brute
from threatexchange.extensions.vpdq.vpdq_util import VpdqCompactFeature

from egide.video import FrameHash, VpdqThresholds, compare_frames, kept_frames


def _flip(pdq: str, bits: int, rng: random.Random) -> str:
    value = int(pdq, 16)
    for position in rng.sample(range(256), bits):
        value ^= 1 << position
    return f"{value:064x}"


@st.composite
def video_pair(draw: st.DrawFn) -> tuple[list[FrameHash], list[FrameHash]]:
    rng = random.Random(draw(st.integers(0, 2**32)))
    base = [f"{rng.getrandbits(256):064x}" for _ in range(draw(st.integers(1, 12)))]

    def video() -> list[FrameHash]:
        frames = []
        for n in range(draw(st.integers(1, 25))):
            if rng.random() < 0.6:
                pdq = _flip(rng.choice(base), rng.choice([0, 5, 20, 31, 32, 40, 90]), rng)
            else:
                pdq = f"{rng.getrandbits(256):064x}"
            frames.append(FrameHash(n, rng.choice([0, 30, 49, 50, 80, 100]), pdq, n / 30))
        if rng.random() < 0.3:
            frames += frames[: rng.randint(1, len(frames))]  # repeated frames
        return frames

    return video(), video()


def _compact(frames: list[FrameHash]) -> list[VpdqCompactFeature]:
    return [VpdqCompactFeature(f.pdq, f.quality, f.timestamp) for f in frames]


@settings(max_examples=150, deadline=None)
@given(video_pair())
def test_percentages_equal_the_reference(pair: tuple[list[FrameHash], list[FrameHash]]) -> None:
    query, compared = pair
    mine = compare_frames(query, compared, VpdqThresholds())
    # the reference dedupes first, then filters by quality (and divides by zero when nothing is
    # left): a hash seen first at low quality is dropped even if it comes back at high quality
    kept_q, kept_c = kept_frames(query, 50), kept_frames(compared, 50)
    if not kept_q or not kept_c:
        assert not mine.matched and mine.query_pct == 0.0
        return
    reference = match_VPDQ_hash_brute(_compact(query), _compact(compared), 50, 31)
    assert abs(mine.query_pct - reference.query_match_percent) < 1e-9
    assert abs(mine.compared_pct - reference.compared_match_percent) < 1e-9


def test_rules_and_which_side_each_percentage_applies_to() -> None:
    rng = random.Random(7)
    known = [FrameHash(n, 100, f"{rng.getrandbits(256):064x}", float(n)) for n in range(20)]
    clip = known[5:10]  # the query is a clip of the known video
    longer = [FrameHash(n, 100, f"{rng.getrandbits(256):064x}", float(n)) for n in range(40)]
    longer[10:30] = [FrameHash(10 + i, 100, f.pdq, 10.0 + i) for i, f in enumerate(known)]
    as_clip = compare_frames(clip, known)
    assert (as_clip.query_pct, as_clip.compared_pct) == (100.0, 25.0)
    assert as_clip.relation == "clip-of-known"
    inside = compare_frames(longer, known)  # the query contains the known video
    assert (inside.query_pct, inside.compared_pct) == (50.0, 100.0)
    assert inside.relation == "contains-known"
    assert compare_frames(longer, known, VpdqThresholds(contained_pct=None)).relation is None
    unrelated = [FrameHash(0, 100, f"{rng.getrandbits(256):064x}", 0.0)]
    assert compare_frames(unrelated, known).relation is None
    flat = [FrameHash(0, 10, known[0].pdq, 0.0)]
    assert compare_frames(flat, known).query_frames == 0


def test_a_hash_seen_first_at_low_quality_is_dropped_as_by_the_reference() -> None:
    pdq = "f0" * 32
    frames = [FrameHash(0, 30, pdq, 0.0), FrameHash(1, 90, pdq, 1.0)]
    assert kept_frames(frames, 50) == []
    assert not compare_frames(frames, frames).matched
