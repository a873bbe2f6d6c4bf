"""Bad input is refused with a ValueError that names the argument and the problem."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from egide.index import HammingIndex

CODES = np.zeros((2, 32), np.uint8)
IDS = np.arange(2, dtype=np.int64)


@pytest.mark.parametrize(
    ("codes", "ids", "match"),
    [
        (CODES.astype(np.int64), IDS, "codes must have dtype uint8"),
        (CODES[:, :31], IDS, r"codes must have shape \(n, 32\)"),
        (CODES.reshape(-1), IDS, r"codes must have shape \(n, 32\)"),
        ([[0] * 32], IDS, "codes must be a numpy array"),
        (CODES, IDS.astype(np.int32), "ids must have dtype int64"),
        (CODES, IDS.astype(np.uint64), "ids must have dtype int64"),
        (CODES, IDS.reshape(2, 1), r"ids must have shape \(n,\)"),
        (CODES, [0, 1], "ids must be a numpy array"),
        (CODES, IDS[:1], "differ in length: 2 codes, 1 ids"),
    ],
)
def test_add_rejects(codes: Any, ids: Any, match: str) -> None:
    index = HammingIndex()
    with pytest.raises(ValueError, match=match):
        index.add(codes, ids)
    assert len(index) == 0


@pytest.mark.parametrize(
    ("queries", "radius", "match"),
    [
        (CODES, -1, "radius must be >= 0, got -1"),
        (CODES, 3.0, "radius must be an integer"),
        (CODES, True, "radius must be an integer"),
        (CODES.astype(np.float32), 3, "queries must have dtype uint8"),
        (CODES[:, :8], 3, r"queries must have shape \(n, 32\)"),
    ],
)
def test_range_search_rejects(queries: Any, radius: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        HammingIndex().range_search(queries, radius)


def test_numpy_integer_radius_ok() -> None:
    index = HammingIndex()
    index.add(CODES, IDS)
    radius: Any = np.int64(0)  # a numpy integer, as callers computing radii pass
    assert index.range_search(CODES[:1], radius)[2].tolist() == [0, 1]


def test_remove_rejects_bad_ids() -> None:
    with pytest.raises(ValueError, match="ids must have dtype int64"):
        HammingIndex().remove(np.array([1.0]))


@pytest.mark.parametrize("bits", [0, -8, 12, 255])
def test_bits_must_be_positive_multiple_of_8(bits: int) -> None:
    with pytest.raises(ValueError, match="bits must be a positive multiple of 8"):
        HammingIndex(bits)
