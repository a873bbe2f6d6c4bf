"""Reproduce PDQ's own 64x64 downsampling from a reduced-size decode.

PDQ blurs the full-resolution luma with two passes of a box filter of width ``ceil(n / 128)``
along each axis (Jarosz), then point-samples a 64x64 grid. Both steps are linear, so for each
axis they are a 64 x n weight matrix. A decoder's reduced-size output (JPEG DCT scaling,
``Image.reduce``) is, to first order, the mean of s x s blocks; folding the weights over those
blocks gives a 64 x ceil(n / s) matrix that, applied to the reduced image, yields the same
64x64 grid the reference computes at full size, at the same sub-pixel positions. Feeding that
grid to ``pdqhash`` (whose filter is the identity at 64x64) gives the reference hash within a
few bits, where simply hashing the reduced image is off by 8-30 bits (sampling phase and
window rounding change). Orientation is folded in too: no rotated copy of the pixels is made.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import numpy.typing as npt

GRID = 64
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]

# EXIF orientation -> (transpose axes, reverse original rows, reverse original columns),
# matching what ``ImageOps.exif_transpose`` does to the pixels.
ORIENTATIONS: dict[int, tuple[bool, bool, bool]] = {
    1: (False, False, False),
    2: (False, False, True),
    3: (False, True, True),
    4: (False, True, False),
    5: (True, False, False),
    6: (True, True, False),
    7: (True, True, True),
    8: (True, False, True),
}


def _box_pass(weights: F64, window: int) -> F64:
    """``weights @ B`` for PDQ's 1-D box filter B (``box1DFloat``: edge windows shrink)."""
    n = weights.shape[1]
    half = (window + 2) // 2
    idx = np.arange(n)
    lo = np.maximum(idx - (window - half), 0)
    hi = np.minimum(idx + half - 1, n - 1)
    scaled = weights / (hi - lo + 1)
    csum = np.zeros((weights.shape[0], n + 1))
    np.cumsum(scaled, axis=1, out=csum[:, 1:])
    # output i reads inputs [i - (window - half), i + half - 1], so input j feeds outputs
    # [j - half + 1, j + window - half]
    start = np.clip(idx - half + 1, 0, n)
    stop = np.clip(idx + window - half + 1, 0, n)
    result: F64 = csum[:, stop] - csum[:, start]
    return result


@lru_cache(maxsize=256)
def axis_weights(n_full: int, scale: int, n_reduced: int, reverse: bool) -> F32:
    """64 x n_reduced weights giving PDQ's 64 samples along one axis of n_full pixels."""
    window = (n_full + 2 * GRID - 1) // (2 * GRID)
    out = np.arange(GRID)
    # target positions; reversed axes sample the mirrored grid of the oriented image
    picks = ((out + 0.5) * n_full / GRID).astype(np.int64)
    weights = np.zeros((GRID, n_full))
    weights[out, picks] = 1.0
    weights = _box_pass(_box_pass(weights, window), window)
    if reverse:
        weights = weights[:, ::-1]
    pad = n_reduced * scale - n_full
    if pad < 0 or pad >= scale:
        raise ValueError(f"{n_reduced} px is not {n_full} px reduced by {scale}")
    if pad:
        weights = np.concatenate([weights, np.zeros((GRID, pad))], axis=1)
    folded = weights.reshape(GRID, n_reduced, scale).sum(axis=2)
    return np.ascontiguousarray(folded, dtype=np.float32)


def pdq_grid(
    pixels: npt.NDArray[np.uint8], full_size: tuple[int, int], orientation: int = 1
) -> npt.NDArray[np.uint8]:
    """The 64x64x3 uint8 grid PDQ would sample from the full-size, oriented image.

    ``pixels`` is (h, w) luma or (h, w, 3) RGB, the full image of ``full_size`` = (W, H)
    reduced by an integer factor per axis (1 allowed), before orientation.
    """
    h, w = pixels.shape[:2]
    full_w, full_h = full_size
    transpose, rev_rows, rev_cols = ORIENTATIONS.get(orientation, ORIENTATIONS[1])
    rows = axis_weights(full_h, -(-full_h // h), h, rev_rows)
    cols = axis_weights(full_w, -(-full_w // w), w, rev_cols)
    data = pixels.astype(np.float32)
    if data.ndim == 2:
        grid = rows @ data @ cols.T
        out = np.rint(np.clip(grid, 0.0, 255.0)).astype(np.uint8)
        out = np.repeat(out[:, :, None], 3, axis=2)
    else:
        half = (rows @ data.reshape(h, w * 3)).reshape(GRID, w, 3)
        grid3 = (half.transpose(0, 2, 1) @ cols.T).transpose(0, 2, 1)
        out = np.rint(np.clip(grid3, 0.0, 255.0)).astype(np.uint8)
    if transpose:
        out = out.transpose(1, 0, 2)
    return np.ascontiguousarray(out)
