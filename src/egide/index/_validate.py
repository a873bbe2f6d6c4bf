"""Input checks with messages that say which argument is wrong and how."""

from __future__ import annotations

from typing import Any

import numpy as np


def check_codes(codes: Any, nbytes: int, name: str = "codes") -> np.ndarray:
    """A 2-D uint8 array with ``nbytes`` columns."""
    if not isinstance(codes, np.ndarray):
        raise ValueError(f"{name} must be a numpy array, got {type(codes).__name__}")
    if codes.dtype != np.uint8:
        raise ValueError(f"{name} must have dtype uint8, got {codes.dtype}")
    if codes.ndim != 2 or codes.shape[1] != nbytes:
        raise ValueError(f"{name} must have shape (n, {nbytes}), got {codes.shape}")
    return codes


def check_ids(ids: Any, name: str = "ids") -> np.ndarray:
    """A 1-D int64 array."""
    if not isinstance(ids, np.ndarray):
        raise ValueError(f"{name} must be a numpy array, got {type(ids).__name__}")
    if ids.dtype != np.int64:
        raise ValueError(f"{name} must have dtype int64, got {ids.dtype}")
    if ids.ndim != 1:
        raise ValueError(f"{name} must have shape (n,), got {ids.shape}")
    return ids


def check_radius(radius: Any) -> int:
    """A non-negative Python or numpy integer (not a bool, not a float)."""
    if isinstance(radius, bool) or not isinstance(radius, int | np.integer):
        raise ValueError(f"radius must be an integer, got {type(radius).__name__}")
    if radius < 0:
        raise ValueError(f"radius must be >= 0, got {radius}")
    return int(radius)
