"""Conversion between PDQ hex strings and the packed uint8 codes the index works on."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_HEX = re.compile(r"[0-9a-fA-F]*")


def hex_to_codes(hexes: Sequence[str], bits: int = 256) -> np.ndarray:
    """Parse hex strings (e.g. PDQ hashes, 64 chars) into an (n, bits // 8) uint8 array.

    Raises ValueError naming the first malformed item and its position, so a bad line in a
    10-million-entry hash list can be found.
    """
    if bits <= 0 or bits % 8:
        raise ValueError(f"bits must be a positive multiple of 8, got {bits}")
    width = bits // 4
    n = len(hexes)
    if n == 0:
        return np.empty((0, bits // 8), np.uint8)
    joined: str | None = None
    if all(isinstance(h, str) and len(h) == width for h in hexes):
        joined = "".join(hexes)
        if _HEX.fullmatch(joined) is None:
            joined = None
    if joined is None:
        for i, h in enumerate(hexes):
            if not isinstance(h, str):
                raise ValueError(f"item {i} is a {type(h).__name__}, not a hex string: {h!r}")
            if len(h) != width or _HEX.fullmatch(h) is None:
                raise ValueError(
                    f"item {i} is not a {width}-character hex string: {h[:80]!r} (length {len(h)})"
                )
        raise AssertionError("unreachable")  # pragma: no cover
    return np.frombuffer(bytes.fromhex(joined), np.uint8).reshape(n, bits // 8).copy()


def codes_to_hex(codes: np.ndarray) -> list[str]:
    """Format an (n, k) uint8 array as n lowercase hex strings of 2k characters."""
    if not isinstance(codes, np.ndarray) or codes.dtype != np.uint8 or codes.ndim != 2:
        raise ValueError("codes must be a 2-D uint8 numpy array")
    width = 2 * codes.shape[1]
    text = np.ascontiguousarray(codes).tobytes().hex()
    return [text[i : i + width] for i in range(0, len(text), width)]
