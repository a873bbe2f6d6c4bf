"""PDQ's final steps on a float grid equal ``pdqhash`` bit for bit when the grid is bytes
(textured grids: on degenerate ones, e.g. exact 8x8 blocks, many DCT coefficients are zero up to
rounding and their order is no longer defined)."""

from __future__ import annotations

import numpy as np
import pdqhash
from hypothesis import given, settings
from hypothesis import strategies as st

from egide.hashing.pdq import bits_to_hex
from egide.video.pdqfloat import hash_grid


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["noise", "ramp", "flat", "blocks"]))
def test_float_finish_equals_pdqhash_on_byte_grids(seed: int, kind: str) -> None:
    rng = np.random.default_rng(seed)
    if kind == "noise":
        grid = rng.integers(0, 256, (64, 64))
    elif kind == "ramp":
        grid = np.add.outer(np.arange(64), np.arange(64)) * rng.integers(1, 4)
        grid = grid + rng.integers(0, 20, (64, 64))
    elif kind == "flat":
        grid = np.full((64, 64), rng.integers(0, 256)) + rng.integers(0, 2, (64, 64))
    else:  # blocks with texture: exact 8x8 blocks make whole families of DCT coefficients
        # zero, whose signs then only float rounding decides (in both implementations)
        grid = np.kron(rng.integers(0, 256, (8, 8)), np.ones((8, 8), dtype=np.int64))
        grid = grid + rng.integers(0, 6, (64, 64))
    pixels = np.clip(grid, 0, 255).astype(np.uint8)
    bits, quality = pdqhash.compute(np.repeat(pixels[:, :, None], 3, axis=2))
    assert hash_grid(pixels.astype(np.float32)) == (bits_to_hex(bits), int(quality))
