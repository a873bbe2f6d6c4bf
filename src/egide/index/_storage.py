"""Single-file container for named numpy arrays plus a JSON header.

Arrays are stored raw at 64-byte aligned offsets and read straight into aligned buffers with
``readinto``: loading is bounded by disk/page-cache bandwidth, with no parsing and no rebuild.
``map_arrays`` instead maps the file read-only, so every process mapping the same file shares one
copy of its pages in the page cache (service workers hold one index between them).
"""

from __future__ import annotations

import json
import mmap
import os
import struct
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from egide.index._aligned import ALIGN, aligned_empty

MAGIC = b"EGIDEHIX"
_LEN = struct.Struct("<Q")


def write_arrays(
    path: str | os.PathLike[str], meta: dict[str, Any], arrays: dict[str, np.ndarray]
) -> None:
    """Write atomically (temp file then rename), so a crash never leaves half an index."""
    entries: dict[str, dict[str, Any]] = {}
    offset = 0
    for name, a in arrays.items():
        entries[name] = {"dtype": a.dtype.str, "shape": list(a.shape), "offset": offset}
        offset += -(-a.nbytes // ALIGN) * ALIGN
    header = json.dumps({"meta": meta, "arrays": entries}).encode()
    data_start = -(-(len(MAGIC) + _LEN.size + len(header)) // ALIGN) * ALIGN
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(MAGIC + _LEN.pack(len(header)) + header)
        for name, a in arrays.items():
            f.seek(data_start + entries[name]["offset"])
            f.write(np.ascontiguousarray(a).reshape(-1).view(np.uint8).data)
        f.truncate(data_start + offset)
    os.replace(tmp, target)


def _read_header(f: BinaryIO, path: str | os.PathLike[str]) -> tuple[dict[str, Any], int]:
    """The JSON header and where the array data starts (64-byte aligned)."""
    head = f.read(len(MAGIC) + _LEN.size)
    if len(head) < len(MAGIC) + _LEN.size or head[: len(MAGIC)] != MAGIC:
        raise ValueError(f"{os.fspath(path)!r} is not an egide Hamming index file")
    (hlen,) = _LEN.unpack(head[len(MAGIC) :])
    raw = f.read(hlen)
    if len(raw) < hlen:
        raise ValueError(f"{os.fspath(path)!r} is truncated (header)")
    try:
        doc = json.loads(raw)
    except ValueError:
        raise ValueError(f"{os.fspath(path)!r} has a damaged header") from None
    return doc, -(-(len(MAGIC) + _LEN.size + hlen) // ALIGN) * ALIGN


def read_arrays(path: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Inverse of :func:`write_arrays`; raises ValueError on a file that is not one."""
    with open(path, "rb") as f:
        doc, data_start = _read_header(f, path)
        arrays: dict[str, np.ndarray] = {}
        for name, e in doc["arrays"].items():
            a = aligned_empty(tuple(e["shape"]), np.dtype(e["dtype"]))
            f.seek(data_start + e["offset"])
            view = a.reshape(-1).view(np.uint8).data
            got = 0
            while got < a.nbytes:
                r = f.readinto(view[got:])
                if not r:
                    raise ValueError(f"{os.fspath(path)!r} is truncated (array {name!r})")
                got += r
            arrays[name] = a
    return doc["meta"], arrays


def map_arrays(path: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Like :func:`read_arrays`, but the arrays are views of a copy-on-write file mapping.

    ``MAP_PRIVATE``: processes mapping the same file share its page-cache pages until one writes
    to a page, and a write only ever makes that page private: the file is never changed. (Not
    ``PROT_READ`` alone: numba compiles a second, slow-to-build specialisation of every kernel for
    read-only arrays.) A file replaced later (``os.replace`` by ``save``) does not disturb an
    existing mapping, which keeps the old inode alive.
    """
    with open(path, "rb") as f:
        doc, data_start = _read_header(f, path)
        size = os.fstat(f.fileno()).st_size
        for name, e in doc["arrays"].items():
            count = 1
            for s in e["shape"]:
                count *= int(s)
            end = data_start + int(e["offset"]) + count * np.dtype(e["dtype"]).itemsize
            if end > size:
                raise ValueError(f"{os.fspath(path)!r} is truncated (array {name!r})")
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY)
    buffer = np.frombuffer(mapped, np.uint8)
    # Read one byte per page now: the first lookups would otherwise pay a page fault per probe.
    # Reads map the shared page-cache pages; nothing is copied.
    int(buffer[:: mmap.PAGESIZE].max(initial=0))
    arrays: dict[str, np.ndarray] = {}
    for name, e in doc["arrays"].items():
        dtype = np.dtype(e["dtype"])
        shape = tuple(int(s) for s in e["shape"])
        count = 1
        for s in shape:
            count *= s
        start = data_start + int(e["offset"])
        arrays[name] = buffer[start : start + count * dtype.itemsize].view(dtype).reshape(shape)
    return doc["meta"], arrays


def is_mapped(a: np.ndarray) -> bool:
    """Whether ``a`` is a view of a file mapping (made by :func:`map_arrays`)."""
    base: object = a
    while isinstance(base, np.ndarray):
        base = base.base
    return isinstance(base, memoryview) and isinstance(base.obj, mmap.mmap)
