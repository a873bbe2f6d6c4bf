"""Shared helpers for the index tests: a brute-force reference and layout forcing."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from unittest import mock

import numpy as np

from egide.index import _plan

Result = tuple[np.ndarray, np.ndarray, np.ndarray]


def brute_force(codes: np.ndarray, ids: np.ndarray, queries: np.ndarray, radius: int) -> Result:
    """Reference range search: every (distance, id) within radius, sorted, FAISS layout."""
    lims = [0]
    dists: list[np.ndarray] = []
    out_ids: list[np.ndarray] = []
    for q in queries:
        d = np.unpackbits(codes ^ q, axis=1).sum(axis=1, dtype=np.int64)
        hit = np.flatnonzero(d <= radius)
        order = np.lexsort((ids[hit], d[hit]))
        dists.append(d[hit][order].astype(np.int32))
        out_ids.append(ids[hit][order].astype(np.int64))
        lims.append(lims[-1] + len(hit))
    return (
        np.asarray(lims, np.int64),
        np.concatenate(dists) if dists else np.zeros(0, np.int32),
        np.concatenate(out_ids) if out_ids else np.zeros(0, np.int64),
    )


def assert_same(got: Result, want: Result) -> None:
    for g, w, name in zip(got, want, ("lims", "distances", "ids"), strict=True):
        assert g.dtype == w.dtype, f"{name}: dtype {g.dtype} != {w.dtype}"
        np.testing.assert_array_equal(g, w, err_msg=name)


@contextlib.contextmanager
def forced_layout(mode: str, chunk_bits: int = 8) -> Iterator[None]:
    """Make small segments use tables ("tables") or scans ("flat"); "auto" leaves the planner."""
    if mode == "auto":
        yield
        return
    if mode == "flat":
        with mock.patch.object(_plan, "choose_layout", lambda n, bits, radius=31: None):
            yield
        return

    def choose(n: int, bits: int, radius: int = 31) -> _plan.Layout:
        return _plan.Layout(chunk_bits, bits // chunk_bits)

    with (
        mock.patch.object(_plan, "choose_layout", choose),
        mock.patch.object(_plan, "use_tables", lambda layout, n, radius: True),
    ):
        yield


def flip_bits(rng: np.random.Generator, code: np.ndarray, k: int) -> np.ndarray:
    """A copy of ``code`` with ``k`` distinct random bits flipped."""
    bits = np.unpackbits(code)
    bits[rng.choice(bits.size, size=k, replace=False)] ^= 1
    return np.packbits(bits)
