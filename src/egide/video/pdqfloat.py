"""PDQ's last steps (quality, 16x16 DCT, median threshold) on a float 64x64 grid.

``pdqhash`` only takes 8-bit RGB, and rounding the 64x64 grid to bytes moves DCT coefficients
near the median: 1-4 bits per frame, enough to flip borderline vPDQ decisions against the
reference. These are the reference's own formulas (``pdqhashing.cpp``: the 16x64 DCT matrix,
``pdqImageDomainQualityMetric``, Torben's median, bit ``i * 16 + j`` for coefficient (i, j),
words printed from the last); the tests check them bit for bit against ``pdqhash`` on grids
that are exactly bytes.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

_ROWS = np.arange(16)[:, None]
_COLS = np.arange(64)[None, :]
DCT_16x64: npt.NDArray[np.float32] = (
    np.sqrt(2.0 / 64) * np.cos((np.pi / 2.0 / 64) * (_ROWS + 1) * (2 * _COLS + 1))
).astype(np.float32)
_WEIGHTS = (1 << np.arange(16, dtype=np.uint64)).astype(np.uint64)


def quality(grid: npt.NDArray[np.float32]) -> int:
    """``pdqImageDomainQualityMetric``: truncated gradient sum over the grid / 90, at most 100."""
    down = np.trunc((grid[:-1, :] - grid[1:, :]) * 100 / 255)
    across = np.trunc((grid[:, :-1] - grid[:, 1:]) * 100 / 255)
    total = int(np.abs(down).sum() + np.abs(across).sum())
    return min(total // 90, 100)


def hash_grid(grid: npt.NDArray[np.float32]) -> tuple[str, int]:
    """(hex, quality) of a 64x64 float luma grid, as the reference would compute them."""
    grid = np.asarray(grid, dtype=np.float32)
    coefficients = DCT_16x64 @ grid @ DCT_16x64.T
    median = np.sort(coefficients, axis=None)[127]  # Torben: the 128th smallest of 256
    bits = (coefficients > median).astype(np.uint64)
    words = (bits * _WEIGHTS).sum(axis=1)
    return "".join(f"{int(w):04x}" for w in words[::-1]), quality(grid)
