"""Bit-level primitives shared by the numba kernels.

``popcount64`` lowers to LLVM's ``ctpop`` so it compiles to a single POPCNT instruction; numba
has no popcount of its own and a bit-trick version is several times slower in the verify loop.
"""

from __future__ import annotations

from typing import Any

import numba as nb
import numpy as np
from llvmlite import ir  # type: ignore[import-untyped]
from numba import types
from numba.extending import intrinsic


def _popcount64(typingctx: Any, x: Any) -> Any:
    """Number of set bits of a 64-bit integer (LLVM ctpop)."""
    if not isinstance(x, types.Integer) or getattr(x, "bitwidth", 0) != 64:
        return None
    sig = types.int64(x)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        return builder.ctpop(args[0])

    return sig, codegen


popcount64: Any = intrinsic(_popcount64)


@nb.njit(inline="always", cache=True)  # type: ignore[untyped-decorator]
def chunk_key(words: np.ndarray, row: int, start: int, nbits: int) -> np.int64:
    """The ``nbits``-bit substring at bit ``start`` of row ``row``; may straddle two words."""
    wi = start >> 6
    sh = start & 63
    v = words[row, wi] >> np.uint64(sh)
    if sh + nbits > 64:
        v |= words[row, wi + 1] << np.uint64(64 - sh)
    mask = (np.uint64(1) << np.uint64(nbits)) - np.uint64(1)
    return np.int64(v & mask)


@nb.njit(inline="always", cache=True)  # type: ignore[untyped-decorator]
def hamming_row(a: np.ndarray, i: int, b: np.ndarray, j: int) -> Any:
    """Hamming distance between row ``i`` of ``a`` and row ``j`` of ``b`` (uint64 words)."""
    d = 0
    for w in range(a.shape[1]):
        d += popcount64(a[i, w] ^ b[j, w])
    return d


def _prefetch(typingctx: Any, arr: Any, idx: Any) -> Any:
    """Hint the CPU to fetch ``arr[idx]`` (1-D array) into cache; never faults.

    The lookup is a chain of dependent random loads (bucket bounds -> row -> code); prefetching
    a few iterations ahead keeps many cache misses in flight at once.
    """
    if not isinstance(arr, types.Array) or arr.ndim != 1 or not isinstance(idx, types.Integer):
        return None
    sig = types.void(arr, idx)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        ary = context.make_array(signature.args[0])(context, builder, args[0])
        ptr = builder.gep(ary.data, [args[1]])
        i8p = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32])
        fn = builder.module.declare_intrinsic("llvm.prefetch", fnty=fnty)
        # read, high temporal locality, data cache
        builder.call(fn, [builder.bitcast(ptr, i8p), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return sig, codegen


prefetch: Any = intrinsic(_prefetch)
