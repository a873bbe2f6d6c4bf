"""Video banks and matching: known videos by the vPDQ rule (clips and containment), known images
in frames with time ranges, allow banks, and the candidate index."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from egide.banks import create_bank, import_entries
from egide.banks.videos import add_video, known_videos
from egide.categories import Category
from egide.formats import ListEntry
from egide.store import session_maker
from egide.video import FrameHash
from egide.video.matching import VideoMatcher

from .conftest import sample_names


def _chair(reference: dict[str, list[FrameHash]]) -> list[FrameHash]:
    return reference["chair-20-sd-bar"]


def test_known_video_entries_round_trip_and_deduplicate(
    engine: Engine, reference_hashes: dict[str, list[FrameHash]]
) -> None:
    frames = _chair(reference_hashes)
    with session_maker(engine)() as session:
        bank = create_bank(session, "videos")
        first, created = add_video(session, bank, frames, source="hotline-a", media_id="v1")
        again, created_again = add_video(session, bank, frames, source="hotline-b")
        session.commit()
        assert created and not created_again and first == again
        [known] = list(known_videos(session, [bank.id]))
        assert known.frames == tuple(frames) and known.media_id == "v1"
        from egide.banks import sources_of

        assert sources_of(session, first) == ["hotline-a", "hotline-b"]


def test_matches_known_videos_by_the_reference_rule(
    engine: Engine,
    reference_hashes: dict[str, list[FrameHash]],
    egide_one_per_second: dict[str, list[FrameHash]],
) -> None:
    with session_maker(engine)() as session:
        bank = create_bank(session, "videos")
        ids = {
            name: add_video(session, bank, reference_hashes[name], source="t")[0]
            for name in ("chair-20-sd-bar", "pattern-longer-no-bar", "doorknob-hd-no-bar")
        }
        session.commit()
        matcher = VideoMatcher.load(session, ["videos"])
        assert matcher.known_video_count == 3
        clip = matcher.match_video(egide_one_per_second["chair-19-sd-bar"], "q1")
        assert [v.hit.entry_id for v in clip.videos] == [ids["chair-20-sd-bar"]]
        [found] = clip.videos
        assert found.comparison.relation == "clip-of-known" and found.hit.signal_type == "vpdq"
        assert found.segments and found.segments[0].start == 0.0
        assert found.segments[-1].end >= 17.0
        pattern = matcher.match_video(egide_one_per_second["pattern-hd-no-bar"], "q2")
        assert [v.hit.entry_id for v in pattern.videos] == [ids["pattern-longer-no-bar"]]
        nothing = matcher.match_video(egide_one_per_second["test-padded-dimensions"], "q3")
        assert nothing.videos == [] and nothing.images == []


def test_a_video_containing_a_known_clip_is_found_with_its_time_range(engine: Engine) -> None:
    import random

    rng = random.Random(3)
    known = [FrameHash(i, 100, f"{rng.getrandbits(256):064x}", float(i)) for i in range(6)]
    longer = [FrameHash(i, 100, f"{rng.getrandbits(256):064x}", float(i)) for i in range(30)]
    longer[12:18] = [FrameHash(12 + i, 100, f.pdq, 12.0 + i) for i, f in enumerate(known)]
    with session_maker(engine)() as session:
        bank = create_bank(session, "clips")
        add_video(session, bank, known, source="t", category=Category("uk-caid", "A"))
        session.commit()
        result = VideoMatcher.load(session, ["clips"]).match_video(longer, "seized.mp4")
    [hit] = result.videos
    assert hit.comparison.relation == "contains-known"
    assert hit.hit.category == Category("uk-caid", "A")
    assert [(s.start, s.end) for s in hit.segments] == [(12.0, 17.0)]
    assert hit.to_json_dict()["segments"] == [{"start": 12.0, "end": 17.0, "frames": 6}]


def test_a_frame_matches_a_known_image_and_an_allow_bank_suppresses(engine: Engine) -> None:
    import random

    rng = random.Random(5)
    frames = [FrameHash(i, 100, f"{rng.getrandbits(256):064x}", float(i)) for i in range(10)]
    with session_maker(engine)() as session:
        images = create_bank(session, "images")
        import_entries(
            session, images, [ListEntry("pdq", frames[4].pdq), ListEntry("pdq", frames[5].pdq)]
        )
        session.commit()
        matcher = VideoMatcher.load(session, ["images"])
        result = matcher.match_video(frames, "v.mp4")
        assert [(i.hit.bank, [(s.start, s.end) for s in i.segments]) for i in result.images] == [
            ("images", [(4.0, 4.0)]),
            ("images", [(5.0, 5.0)]),
        ]
        assert [h.signal_type for h in matcher.match_frame(frames[4].pdq, 90)] == ["pdq"]
        assert matcher.match_frame(frames[4].pdq, 49) == []  # flat frames are not searched
        allow = create_bank(session, "reviewed", kind="allow")
        import_entries(session, allow, [ListEntry("pdq", frames[5].pdq)])
        session.commit()
        suppressed = VideoMatcher.load(session, ["images", "reviewed"]).match_video(frames, "v.mp4")
        assert suppressed.images == [] and [h.bank for h in suppressed.allowed] == ["reviewed"]


def test_match_frame_finds_frames_of_known_videos(
    engine: Engine, reference_hashes: dict[str, list[FrameHash]]
) -> None:
    frames = _chair(reference_hashes)
    with session_maker(engine)() as session:
        bank = create_bank(session, "videos")
        entry, _ = add_video(session, bank, frames, source="t")
        session.commit()
        matcher = VideoMatcher.load(session, ["videos"])
        good = next(f for f in frames if f.quality >= 80)
        [hit] = matcher.match_frame(good.pdq, good.quality, "stream-1")
        assert (hit.entry_id, hit.signal_type, hit.distance) == (entry, "vpdq", 0)
        far = f"{int(good.pdq, 16) ^ ((1 << 200) - 1):064x}"
        assert matcher.match_frame(far, 100) == []


@pytest.mark.parametrize("name", sample_names()[:1])
def test_disabled_video_entries_do_not_match(
    engine: Engine, reference_hashes: dict[str, list[FrameHash]], name: str, tmp_path: Path
) -> None:
    from sqlalchemy import update

    from egide.store import BankEntry

    with session_maker(engine)() as session:
        bank = create_bank(session, "videos")
        add_video(session, bank, reference_hashes[name], source="t")
        session.execute(update(BankEntry).values(enabled=False))
        session.commit()
        assert VideoMatcher.load(session, ["videos"]).known_video_count == 0
