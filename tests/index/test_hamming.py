"""HammingIndex is exact: property tests against brute force, edge cases, LSM behaviour."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egide.index import HammingIndex
from tests.index._index_helpers import assert_same, brute_force, flip_bits, forced_layout

RADII = [0, 1, 2, 7, 15, 30, 31, 32, 33, 40, 64, 100, 128, 255, 256, 1000]


def _codes(rng: np.random.Generator, n: int, pool: list[np.ndarray]) -> np.ndarray:
    """Random codes mixed with near and exact copies of earlier ones and the two extremes."""
    out = np.empty((n, 32), np.uint8)
    for i in range(n):
        kind = rng.integers(0, 6)
        if kind == 0 or not pool:
            out[i] = rng.integers(0, 256, 32, dtype=np.uint8)
        elif kind == 1:
            out[i] = 0 if rng.integers(0, 2) else 255
        elif kind == 2:
            out[i] = pool[rng.integers(0, len(pool))]
        else:
            out[i] = flip_bits(rng, pool[rng.integers(0, len(pool))], int(rng.integers(0, 40)))
        pool.append(out[i])
    return out


def _queries(rng: np.random.Generator, nq: int, pool: list[np.ndarray]) -> np.ndarray:
    q = np.empty((nq, 32), np.uint8)
    for i in range(nq):
        if pool and rng.integers(0, 3):
            q[i] = flip_bits(rng, pool[rng.integers(0, len(pool))], int(rng.integers(0, 45)))
        else:
            q[i] = rng.integers(0, 256, 32, dtype=np.uint8)
    return q


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    batches=st.lists(st.integers(0, 70), min_size=1, max_size=5),
    removes=st.lists(st.integers(0, 3), min_size=5, max_size=5),
    radius=st.sampled_from(RADII),
    mode=st.sampled_from(["auto", "tables", "flat"]),
    chunk_bits=st.sampled_from([4, 7, 8, 11]),
)
def test_exact_under_adds_and_removes(
    seed: int, batches: list[int], removes: list[int], radius: int, mode: str, chunk_bits: int
) -> None:
    rng = np.random.default_rng(seed)
    pool: list[np.ndarray] = []
    ref_codes = np.zeros((0, 32), np.uint8)
    ref_ids = np.zeros(0, np.int64)
    with forced_layout(mode, chunk_bits):
        index = HammingIndex()
        for size, n_remove in zip(batches, removes, strict=False):
            codes = _codes(rng, size, pool)
            ids = rng.integers(0, 60, size).astype(np.int64)  # small range: repeated ids
            index.add(codes, ids)
            ref_codes = np.concatenate([ref_codes, codes])
            ref_ids = np.concatenate([ref_ids, ids])
            gone = rng.integers(0, 60, n_remove).astype(np.int64)
            expect = int(np.isin(ref_ids, gone).sum())
            assert index.remove(gone) == expect
            keep = ~np.isin(ref_ids, gone)
            ref_codes, ref_ids = ref_codes[keep], ref_ids[keep]
            assert len(index) == index.ntotal == len(ref_ids)
        queries = _queries(rng, 12, pool)
        expected = brute_force(ref_codes, ref_ids, queries, radius)
        assert_same(index.range_search(queries, radius), expected)
        lims = expected[0]
        assert index.any_within(queries, radius) == bool(lims[-1])
        for q in range(len(queries)):
            assert index.any_within(queries[q : q + 1], radius) == bool(lims[q + 1] > lims[q])


@pytest.mark.parametrize("mode", ["auto", "tables", "flat"])
def test_empty_index(mode: str) -> None:
    with forced_layout(mode):
        index = HammingIndex()
        q = np.zeros((3, 32), np.uint8)
        lims, d, i = index.range_search(q, 31)
        np.testing.assert_array_equal(lims, np.zeros(4, np.int64))
        assert d.dtype == np.int32 and i.dtype == np.int64 and len(d) == len(i) == 0
        assert len(index) == 0
        assert not index.any_within(q, 256)
        lims, d, i = index.range_search(np.zeros((0, 32), np.uint8), 31)
        np.testing.assert_array_equal(lims, np.zeros(1, np.int64))


@pytest.mark.parametrize("mode", ["auto", "tables", "flat"])
def test_single_entry_list_matches(mode: str) -> None:
    """A one-hash list must match (the reference matcher's index has failed on this)."""
    rng = np.random.default_rng(1)
    code = rng.integers(0, 256, (1, 32), dtype=np.uint8)
    with forced_layout(mode):
        index = HammingIndex()
        index.add(code, np.array([42], np.int64))
        near = flip_bits(rng, code[0], 31)[None, :]
        far = flip_bits(rng, code[0], 32)[None, :]
        for q, r, want in [(code, 0, [0]), (near, 31, [31]), (far, 31, []), (far, 32, [32])]:
            _, d, i = index.range_search(q, r)
            assert d.tolist() == want
            assert i.tolist() == [42] * len(want)


def test_duplicates_same_code_several_ids_and_same_id_twice() -> None:
    code = np.full((1, 32), 0xA5, np.uint8)
    index = HammingIndex()
    index.add(np.repeat(code, 3, axis=0), np.array([7, 3, 7], np.int64))
    index.add(code, np.array([3], np.int64))
    _, d, i = index.range_search(code, 0)
    assert i.tolist() == [3, 3, 7, 7] and d.tolist() == [0, 0, 0, 0]
    assert index.remove(np.array([7], np.int64)) == 2
    assert index.range_search(code, 0)[2].tolist() == [3, 3]
    assert index.remove(np.array([7], np.int64)) == 0


def test_all_zero_and_all_one_codes() -> None:
    codes = np.stack([np.zeros(32, np.uint8), np.full(32, 255, np.uint8)])
    index = HammingIndex()
    index.add(codes, np.array([0, 1], np.int64))
    _, d, i = index.range_search(codes, 255)
    assert d.tolist() == [0, 0] and i.tolist() == [0, 1]
    _, d, i = index.range_search(codes[:1], 256)
    assert d.tolist() == [0, 256] and i.tolist() == [0, 1]
    _, d, i = index.range_search(codes[:1], 10_000)
    assert d.tolist() == [0, 256]


def test_sorted_by_distance_then_id() -> None:
    rng = np.random.default_rng(5)
    base = rng.integers(0, 256, 32, dtype=np.uint8)
    codes = np.stack([flip_bits(rng, base, k % 4) for k in range(40)])
    ids = rng.permutation(40).astype(np.int64)
    index = HammingIndex()
    index.add(codes, ids)
    _, d, i = index.range_search(base[None, :], 3)
    pairs = list(zip(d.tolist(), i.tolist(), strict=True))
    assert pairs == sorted(pairs) and len(pairs) == 40


@pytest.mark.parametrize("radius", [0, 8, 20, 31, 36, 48])
def test_auto_layout_exact_on_larger_index(radius: int) -> None:
    """Enough entries for real multi-index tables (and delta segments) to be used."""
    rng = np.random.default_rng(radius)
    n = 30_000
    codes = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    ids = np.arange(n, dtype=np.int64)
    index = HammingIndex()
    index.add(codes[:20_000], ids[:20_000])
    index.add(codes[20_000:], ids[20_000:])
    picks = rng.integers(0, n, 25)
    near = np.stack([flip_bits(rng, codes[p], int(rng.integers(0, 40))) for p in picks])
    queries = np.concatenate([near, rng.integers(0, 256, (5, 32), dtype=np.uint8)])
    assert_same(index.range_search(queries, radius), brute_force(codes, ids, queries, radius))


def test_small_add_does_not_rebuild_big_segment() -> None:
    rng = np.random.default_rng(2)
    index = HammingIndex()
    index.add(rng.integers(0, 256, (20_000, 32), dtype=np.uint8), np.arange(20_000))
    big = index._segments[0]
    for k in range(20):
        index.add(rng.integers(0, 256, (50, 32), dtype=np.uint8), np.full(50, -k, np.int64))
    assert index._segments[0] is big
    assert len(index._segments) <= 1 + 12  # geometric sizes: O(log n) segments
    assert len(index) == 21_000


def test_mostly_removed_segment_is_compacted() -> None:
    rng = np.random.default_rng(3)
    index = HammingIndex()
    codes = rng.integers(0, 256, (10_000, 32), dtype=np.uint8)
    index.add(codes, np.arange(10_000))
    assert index.remove(np.arange(6_000)) == 6_000
    assert sum(s.words.shape[0] for s in index._segments) == 4_000
    assert_same(
        index.range_search(codes[5_990:6_010], 0),
        brute_force(codes[6_000:], np.arange(6_000, 10_000), codes[5_990:6_010], 0),
    )


@pytest.mark.parametrize("bits", [8, 64, 72, 128, 512])
def test_other_code_widths(bits: int) -> None:
    rng = np.random.default_rng(bits)
    nbytes = bits // 8
    codes = rng.integers(0, 256, (3000, nbytes), dtype=np.uint8)
    codes[1000:2000] = codes[:1000]
    codes[1000:2000, 0] ^= 1
    ids = np.arange(3000, dtype=np.int64)
    queries = np.concatenate([codes[:20], rng.integers(0, 256, (5, nbytes), dtype=np.uint8)])
    for mode in ("auto", "tables"):
        with forced_layout(mode, min(8, bits)):
            index = HammingIndex(bits)
            index.add(codes, ids)
            for radius in (0, 1, bits // 8, bits // 3):
                assert_same(
                    index.range_search(queries, radius),
                    brute_force(codes, ids, queries, radius),
                )
