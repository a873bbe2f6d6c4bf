"""CSR bucket tables built by counting sort: O(n + 2^b) per table, no comparison sort.

``offsets[base_c + k] .. offsets[base_c + k + 1]`` delimits, in ``positions[c]``, the rows whose
chunk ``c`` equals ``k``. Tables are independent, so they are built in parallel.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from egide.index._popcount import chunk_key


@nb.njit(parallel=True, cache=True)  # type: ignore[untyped-decorator]
def build_tables(
    words: np.ndarray,
    starts: np.ndarray,
    chunk_bits: int,
    offsets: np.ndarray,
    positions: np.ndarray,
) -> None:
    """Fill zeroed ``offsets`` (m * (2^b + 1),) and ``positions`` (m, n), both uint32."""
    n = words.shape[0]
    m = starts.shape[0]
    size = 1 << chunk_bits
    for c in nb.prange(m):
        base = c * (size + 1)
        start = starts[c]
        for i in range(n):
            offsets[base + chunk_key(words, i, start, chunk_bits)] += 1
        acc = np.uint32(0)
        for k in range(size):
            acc += offsets[base + k]
            offsets[base + k] = acc  # end of bucket k
        offsets[base + size] = np.uint32(n)
        for i in range(n - 1, -1, -1):  # backwards so each bucket ends up in ascending row order
            key = base + chunk_key(words, i, start, chunk_bits)
            slot = offsets[key] - np.uint32(1)
            offsets[key] = slot
            positions[c, slot] = np.uint32(i)
