"""Aligned allocation for the lookup arrays.

Codes are 64-byte aligned so a 32-byte code never straddles two cache lines. Lookups are random
accesses over hundreds of MB, so huge pages matter (TLB misses otherwise dominate): numpy already
applies ``MADV_HUGEPAGE`` to allocations of 4 MiB and more, which this relies on (a private
mapping is required; a shared anonymous ``mmap`` gets no transparent huge pages).
"""

from __future__ import annotations

import numpy as np

ALIGN = 64


def aligned_empty(shape: tuple[int, ...], dtype: np.dtype[np.generic] | type) -> np.ndarray:
    """Uninitialised C-contiguous array whose data pointer is a multiple of 64 bytes."""
    dt = np.dtype(dtype)
    count = 1
    for s in shape:
        count *= s
    nbytes = count * dt.itemsize
    raw = np.empty(nbytes + ALIGN, np.uint8)
    skip = (-raw.ctypes.data) % ALIGN
    return raw[skip : skip + nbytes].view(dt).reshape(shape)


def aligned_copy(a: np.ndarray) -> np.ndarray:
    """A C-contiguous, 64-byte aligned copy of ``a``."""
    out = aligned_empty(a.shape, a.dtype)
    out[...] = a
    return out
