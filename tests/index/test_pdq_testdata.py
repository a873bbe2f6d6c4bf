"""Real PDQ hashes from the threatexchange regression data, searched against brute force."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from egide.index import HammingIndex, hex_to_codes
from tests.index._index_helpers import assert_same, brute_force, forced_layout

REG = Path("threatexchange/pdq/data/reg-test-input")


def _read(path: Path) -> list[str]:
    return [line.split()[0] for line in path.read_text().splitlines() if line.strip()]


@pytest.mark.parametrize("mode", ["auto", "tables"])
@pytest.mark.parametrize("radius", [0, 10, 31, 45])
def test_needles_in_haystack(testdata: Path, mode: str, radius: int) -> None:
    haystack = hex_to_codes(_read(testdata / REG / "haystack.txt"))
    needles = hex_to_codes(_read(testdata / REG / "needles.txt"))
    ids = np.arange(len(haystack), dtype=np.int64)
    with forced_layout(mode, 16):
        index = HammingIndex()
        index.add(haystack, ids)
        got = index.range_search(needles, radius)
    assert_same(got, brute_force(haystack, ids, needles, radius))
    if radius == 31:
        assert got[0][-1] > 0  # the data set does contain near-duplicate pairs


def test_haystack_against_itself(testdata: Path) -> None:
    haystack = hex_to_codes(_read(testdata / REG / "haystack.txt"))
    ids = np.arange(len(haystack), dtype=np.int64)
    index = HammingIndex()
    index.add(haystack, ids)
    assert_same(index.range_search(haystack, 31), brute_force(haystack, ids, haystack, 31))
