"""save/load round trip gives identical answers; foreign files are refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from egide.index import HammingIndex
from tests.index._index_helpers import assert_same, flip_bits


def test_round_trip_identical_results(tmp_path: Path) -> None:
    rng = np.random.default_rng(9)
    codes = rng.integers(0, 256, (12_000, 32), dtype=np.uint8)
    index = HammingIndex()
    index.add(codes[:10_000], np.arange(10_000, dtype=np.int64))
    index.add(codes[10_000:], np.arange(10_000, 12_000, dtype=np.int64))
    index.add(codes[:5], np.arange(5, dtype=np.int64))  # duplicates in a small delta segment
    index.remove(np.array([3, 11_000], np.int64))
    path = tmp_path / "idx.egx"
    index.save(path)
    loaded = HammingIndex.load(path)
    assert len(loaded) == len(index) and loaded.bits == 256
    assert len(loaded._segments) == len(index._segments) > 1
    queries = np.stack([flip_bits(rng, codes[k], k % 35) for k in range(0, 12_000, 300)])
    for radius in (0, 10, 31, 50):
        assert_same(loaded.range_search(queries, radius), index.range_search(queries, radius))
    # The loaded index keeps working as a mutable index.
    loaded.add(codes[:1], np.array([-1], np.int64))
    assert loaded.range_search(codes[:1], 0)[2].tolist() == [-1, 0, 0]


def test_round_trip_empty_and_other_width(tmp_path: Path) -> None:
    HammingIndex(64).save(tmp_path / "e")
    loaded = HammingIndex.load(tmp_path / "e")
    assert loaded.bits == 64 and len(loaded) == 0


def test_save_overwrites_atomically(tmp_path: Path) -> None:
    path = tmp_path / "idx"
    a = HammingIndex()
    a.add(np.zeros((1, 32), np.uint8), np.array([1], np.int64))
    a.save(path)
    b = HammingIndex()
    b.add(np.zeros((1, 32), np.uint8), np.array([2], np.int64))
    b.save(path)
    assert HammingIndex.load(path).range_search(np.zeros((1, 32), np.uint8), 0)[2].tolist() == [2]
    assert [p.name for p in tmp_path.iterdir()] == ["idx"]


def test_load_refuses_foreign_or_truncated_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.write_bytes(b"not an index at all")
    with pytest.raises(ValueError, match="not an egide Hamming index"):
        HammingIndex.load(bad)
    good = tmp_path / "good"
    index = HammingIndex()
    index.add(np.zeros((100, 32), np.uint8), np.arange(100, dtype=np.int64))
    index.save(good)
    data = good.read_bytes()
    (tmp_path / "cut").write_bytes(data[: len(data) - 100])
    with pytest.raises(ValueError, match="truncated"):
        HammingIndex.load(tmp_path / "cut")
