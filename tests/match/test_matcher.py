"""Matcher: exact and PDQ hits, per-bank radius, quality floor, disabled entries, many banks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from egide.banks import create_bank, import_entries
from egide.categories import Category
from egide.formats import ListEntry
from egide.hashing import FileHashes
from egide.match import (
    FloodPolicy,
    Hit,
    Matcher,
    MatchOptions,
    quarantined_entries,
    release_entry,
)
from egide.store import BankEntry, session_maker

BASE = "f0" * 32


def flip(hex_value: str, bits: int) -> str:
    """``hex_value`` with its first ``bits`` bits flipped."""
    number = int(hex_value, 16) ^ (((1 << bits) - 1) << (256 - bits))
    return f"{number:064x}"


def record(pdq: str | None, quality: int = 100, md5: str = "1" * 32) -> FileHashes:
    return FileHashes(
        path="x.jpg",
        size=1,
        md5=md5,
        sha1="2" * 40,
        sha256="3" * 64,
        kind="image",
        pdq=pdq,
        pdq_quality=quality,
        width=10,
        height=10,
        format="JPEG",
        pdq_dihedral=None,
        error=None,
    )


def hits_of(matcher: Matcher, records: list[FileHashes]) -> list[list[Hit]]:
    return [m.hits for m in matcher.match(records)]


def setup(engine: Engine) -> None:
    with session_maker(engine)() as session:
        one = create_bank(session, "single", pdq_threshold=31)
        import_entries(session, one, [ListEntry("pdq", BASE, Category("uk-caid", "A"), "s")])
        strict = create_bank(session, "strict", pdq_threshold=4)
        import_entries(session, strict, [ListEntry("pdq", BASE), ListEntry("md5", "1" * 32)])


def test_single_hash_bank_matches_and_radius_is_per_bank(engine: Engine, tmp_path: Path) -> None:
    setup(engine)
    with session_maker(engine)() as session:
        matcher = Matcher.load(session, ["single", "strict"], cache_dir=tmp_path / "cache")
        exact, near, far, edge, beyond = hits_of(
            matcher,
            [
                record(BASE),
                record(flip(BASE, 4), md5="9" * 32),
                record(flip(BASE, 5), md5="9" * 32),
                record(flip(BASE, 31), md5="9" * 32),
                record(flip(BASE, 32), md5="9" * 32),
            ],
        )
    assert [(h.bank, h.signal_type, h.distance) for h in exact] == [
        ("strict", "md5", 0),
        ("single", "pdq", 0),
        ("strict", "pdq", 0),
    ]
    assert exact[1].category == Category("uk-caid", "A") and exact[1].series == "s"
    assert [(h.bank, h.distance) for h in near] == [("single", 4), ("strict", 4)]
    assert [(h.bank, h.distance) for h in far] == [("single", 5)]
    assert [(h.bank, h.distance) for h in edge] == [("single", 31)]
    assert beyond == []


def test_low_quality_is_not_searched_and_disabled_entries_never_match(
    engine: Engine, tmp_path: Path
) -> None:
    setup(engine)
    with session_maker(engine)() as session:
        matcher = Matcher.load(session, ["single"], MatchOptions(min_quality=50))
        [low] = hits_of(matcher, [record(BASE, quality=49)])
        assert low == []
        session.execute(update(BankEntry).values(enabled=False))
        session.commit()
        [disabled] = hits_of(Matcher.load(session, ["single"]), [record(BASE)])
        assert disabled == []


def test_cached_index_follows_bank_revisions(engine: Engine, tmp_path: Path) -> None:
    setup(engine)
    cache = tmp_path / "cache"
    with session_maker(engine)() as session:
        Matcher.load(session, ["single"], cache_dir=cache)
        other = flip(BASE, 64)
        [none] = hits_of(Matcher.load(session, ["single"], cache_dir=cache), [record(other)])
        assert none == []
        bank = session.get(BankEntry, 1)
        assert bank is not None
        import_entries(session, bank.bank, [ListEntry("pdq", other)])
        [hit] = hits_of(Matcher.load(session, ["single"], cache_dir=cache), [record(other)])
        assert [h.distance for h in hit] == [0]
    assert len(list(cache.glob("*.egidx"))) == 1


def test_dihedral_reports_the_best_variant(engine: Engine) -> None:
    setup(engine)
    variants = tuple(flip(BASE, 100) for _ in range(7))
    rotated = replace(
        record(flip(BASE, 100)),
        pdq_dihedral=(flip(BASE, 100), *variants[:2], flip(BASE, 2), *variants[3:]),
    )
    with session_maker(engine)() as session:
        plain = hits_of(Matcher.load(session, ["single"]), [rotated])
        turned = hits_of(Matcher.load(session, ["single"], MatchOptions(dihedral=True)), [rotated])
    assert plain == [[]]
    assert [(h.distance, h.variant) for h in turned[0]] == [(2, "rotate-270")]


def test_allow_bank_suppresses_reviewed_false_positive(engine: Engine) -> None:
    setup(engine)
    with session_maker(engine)() as session:
        allow = create_bank(session, "reviewed", kind="allow", pdq_threshold=8)
        import_entries(session, allow, [ListEntry("pdq", flip(BASE, 3))])
        matcher = Matcher.load(session, ["single", "reviewed"])
        near, far = matcher.match([record(flip(BASE, 1)), record(flip(BASE, 20))])
    assert near.hits == [] and [(h.bank, h.distance) for h in near.allowed] == [("reviewed", 2)]
    assert [h.bank for h in far.hits] == ["single"] and far.allowed == []


def test_flooding_entry_is_quarantined_then_released(engine: Engine) -> None:
    setup(engine)
    policy = FloodPolicy(max_files=3, window_seconds=60)
    with session_maker(engine)() as session:
        matcher = Matcher.load(session, ["single"], MatchOptions(flood=policy))
        files = [replace(record(flip(BASE, i % 20)), sha256=f"{i:064x}") for i in range(6)]
        results = [m.hits for m in matcher.match(files)]
        assert [len(h) for h in results] == [1, 1, 1, 1, 0, 0]
        [event] = matcher.quarantine_events
        assert event.bank == "single" and event.files == 4 and "limit 3" in event.reason
        session.commit()
        bank = matcher.banks[0]
        [entry] = quarantined_entries(session, bank)
        assert entry.quarantine_reason == event.reason
        assert hits_of(Matcher.load(session, ["single"]), [record(BASE)]) == [[]]
        release_entry(session, bank, entry.id)
        session.commit()
        assert len(hits_of(Matcher.load(session, ["single"]), [record(BASE)])[0]) == 1
        with pytest.raises(ValueError, match="not quarantined"):
            release_entry(session, bank, entry.id)


def test_same_copy_many_times_is_not_a_flood(engine: Engine) -> None:
    setup(engine)
    with session_maker(engine)() as session:
        matcher = Matcher.load(session, ["single"], MatchOptions(flood=FloodPolicy(2, 60)))
        assert all(m.hits for m in matcher.match([record(BASE)] * 10))
        assert matcher.quarantine_events == []
