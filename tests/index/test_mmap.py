"""``HammingIndex.load(path, mmap=True)``: same answers as the in-memory index under any later
adds and removes, which stay private to the process: the shared file never changes."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egide.index import HammingIndex
from tests.index._index_helpers import assert_same, brute_force, flip_bits, forced_layout


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    base=st.integers(0, 400),
    later=st.lists(
        st.tuples(st.integers(0, 60), st.integers(0, 4)), min_size=0, max_size=4
    ),  # (entries added, ids removed) after loading
    radius=st.sampled_from([0, 1, 8, 31, 32, 64, 256]),
    mode=st.sampled_from(["auto", "tables", "flat"]),
)
def test_mapped_and_in_memory_give_identical_results(
    seed: int, base: int, later: list[tuple[int, int]], radius: int, mode: str
) -> None:
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 256, (base, 32), dtype=np.uint8)
    ids = rng.integers(0, 80, base).astype(np.int64)  # repeated ids on purpose
    with forced_layout(mode, 8), tempfile.TemporaryDirectory() as tmp:
        built = HammingIndex()
        built.add(codes[: base // 2], ids[: base // 2])
        built.add(codes[base // 2 :], ids[base // 2 :])
        built.remove(rng.integers(0, 80, 3).astype(np.int64))  # tombstones are saved too
        path = Path(tmp) / "bank.egidx"
        built.save(path)
        before = _digest(path)
        loaded = HammingIndex.load(path)
        mapped = HammingIndex.load(path, mmap=True)
        other = HammingIndex.load(path, mmap=True)  # a second process's view of the file
        assert len(mapped) == len(loaded) == len(built)
        pool = list(codes)
        for added, removed in later:
            new = rng.integers(0, 256, (added, 32), dtype=np.uint8)
            if pool and added >= 2:
                new[: added // 2] = [
                    flip_bits(rng, pool[int(rng.integers(0, len(pool)))], int(rng.integers(0, 20)))
                    for _ in range(added // 2)
                ]
            new_ids = rng.integers(0, 120, added).astype(np.int64)
            gone = rng.integers(0, 120, removed).astype(np.int64)
            for index in (loaded, mapped):
                index.add(new, new_ids)
                assert index.remove(gone) >= 0
            pool.extend(new)
            assert len(mapped) == len(loaded)
        near = [flip_bits(rng, p, int(rng.integers(0, 40))) for p in pool[:10]]
        queries = np.stack([*near, rng.integers(0, 256, 32, dtype=np.uint8)])
        assert_same(mapped.range_search(queries, radius), loaded.range_search(queries, radius))
        np.testing.assert_array_equal(np.sort(mapped.ids()), np.sort(loaded.ids()))
        # The other mapping still sees the file as saved: nothing leaked through the file.
        assert_same(other.range_search(queries, radius), built.range_search(queries, radius))
        assert _digest(path) == before


def test_mapped_index_shares_the_file_and_keeps_removals_private(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    n = 30_000  # big enough for real multi-index tables
    codes = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    ids = np.arange(n, dtype=np.int64)
    built = HammingIndex()
    built.add(codes, ids)
    path = tmp_path / "idx"
    built.save(path)
    before = _digest(path)
    first = HammingIndex.load(path, mmap=True)
    second = HammingIndex.load(path, mmap=True)
    assert first.mapped_bytes > 0.9 * codes.size and HammingIndex.load(path).mapped_bytes == 0
    assert first.remove(np.arange(0, n, 2, dtype=np.int64)) == n // 2
    queries = codes[:40]
    assert_same(first.range_search(queries, 31), brute_force(codes[1::2], ids[1::2], queries, 31))
    assert_same(second.range_search(queries, 31), brute_force(codes, ids, queries, 31))
    first.add(codes[:1], np.array([-5], np.int64))
    assert first.range_search(codes[:1], 0)[2].tolist() == [-5]
    assert _digest(path) == before
    # Saving over the mapped file replaces it; the mapping keeps the old contents.
    HammingIndex().save(path)
    assert_same(second.range_search(queries, 31), brute_force(codes, ids, queries, 31))


def test_mapped_load_refuses_foreign_or_truncated_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.write_bytes(b"not an index at all")
    with pytest.raises(ValueError, match="not an egide Hamming index"):
        HammingIndex.load(bad, mmap=True)
    good = tmp_path / "good"
    index = HammingIndex()
    index.add(np.zeros((100, 32), np.uint8), np.arange(100, dtype=np.int64))
    index.save(good)
    data = good.read_bytes()
    (tmp_path / "cut").write_bytes(data[: len(data) - 100])
    with pytest.raises(ValueError, match="truncated"):
        HammingIndex.load(tmp_path / "cut", mmap=True)
    HammingIndex(64).save(tmp_path / "empty")
    assert len(HammingIndex.load(tmp_path / "empty", mmap=True)) == 0
