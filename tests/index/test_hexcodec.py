"""Hex <-> packed code conversion, including the error messages for malformed lines."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from egide.index import codes_to_hex, hex_to_codes

HEX64 = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)


@given(st.lists(HEX64, max_size=20))
def test_round_trip(hexes: list[str]) -> None:
    codes = hex_to_codes(hexes)
    assert codes.shape == (len(hexes), 32)
    assert codes.dtype == np.uint8
    assert codes_to_hex(codes) == hexes


def test_uppercase_accepted_output_lowercase() -> None:
    h = "F162EB9DAAB170C0567FE3632D9A5548C5612982DD5E374A7424EBBC8A835C95"
    assert codes_to_hex(hex_to_codes([h])) == [h.lower()]


def test_byte_order_is_the_hex_order() -> None:
    codes = hex_to_codes(["01" + "00" * 30 + "ff"])
    assert codes[0, 0] == 1 and codes[0, 31] == 255


@pytest.mark.parametrize(
    "bad",
    [
        "0" * 63,
        "0" * 65,
        "g" + "0" * 63,
        "00 " + "0" * 61,
        "",
    ],
)
def test_malformed_hex_names_item_and_position(bad: str) -> None:
    good = "0" * 64
    with pytest.raises(ValueError, match=r"item 2 .*hex"):
        hex_to_codes([good, good, bad, good])


def test_non_string_item() -> None:
    with pytest.raises(ValueError, match="item 1 is a bytes"):
        hex_to_codes(["0" * 64, b"0" * 64])  # type: ignore[list-item]


def test_empty_list() -> None:
    assert hex_to_codes([]).shape == (0, 32)
    assert codes_to_hex(np.zeros((0, 32), np.uint8)) == []


def test_codes_to_hex_rejects_bad_array() -> None:
    with pytest.raises(ValueError, match="uint8"):
        codes_to_hex(np.zeros((2, 32), np.int64))
