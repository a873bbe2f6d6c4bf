"""Single-file container for named numpy arrays plus a JSON header.

Arrays are stored raw at 64-byte aligned offsets and read straight into aligned buffers with
``readinto``: loading is bounded by disk/page-cache bandwidth, with no parsing and no rebuild.
"""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path
from typing import Any

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


def read_arrays(path: str | os.PathLike[str]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Inverse of :func:`write_arrays`; raises ValueError on a file that is not one."""
    with open(path, "rb") as f:
        head = f.read(len(MAGIC) + _LEN.size)
        if len(head) < len(MAGIC) + _LEN.size or head[: len(MAGIC)] != MAGIC:
            raise ValueError(f"{os.fspath(path)!r} is not an egide Hamming index file")
        (hlen,) = _LEN.unpack(head[len(MAGIC) :])
        doc = json.loads(f.read(hlen))
        data_start = -(-(len(MAGIC) + _LEN.size + hlen) // ALIGN) * ALIGN
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
