"""PDQ hashes of decoded pixels, through Meta's C++ reference (the ``pdqhash`` bindings).

Hashes are 64 lowercase hex digits, most significant bit first, the format of ThreatExchange
hash lists and of ``PDQMD5TestData.csv``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pdqhash
from PIL import Image

#: Order of :func:`pdq_dihedral`'s variants, that of ``pdqhash.compute_dihedral`` (and of the
#: C++ reference's ``pdqDihedralHash256esFromFloatLuma``). Each is the hash the *transformed*
#: image would have: rotations are counter-clockwise, ``flip-x`` mirrors left-right,
#: ``flip-y`` top-bottom, ``flip-plus-1``/``flip-minus-1`` about the two diagonals.
DIHEDRAL_ORDER = (
    "original",
    "rotate-90",
    "rotate-180",
    "rotate-270",
    "flip-x",
    "flip-y",
    "flip-plus-1",
    "flip-minus-1",
)

RGBArray = npt.NDArray[np.uint8]


def bits_to_hex(bits: npt.NDArray[Any]) -> str:
    """256 bits (most significant first, as ``pdqhash`` returns them) to 64 hex digits."""
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


def to_rgb_array(image: Image.Image | RGBArray) -> RGBArray:
    """RGB uint8 pixels as the reference tools feed PDQ: Pillow's ``convert("RGB")``.

    Alpha is dropped without compositing, palettes are expanded, and 16/32-bit modes are
    clipped to 0..255, exactly as ``Image.open(p).convert("RGB")`` does.
    """
    if isinstance(image, Image.Image):
        rgb = image if image.mode == "RGB" else image.convert("RGB")
        return np.asarray(rgb)
    array = np.asarray(image)
    if array.dtype != np.uint8 or array.ndim != 3 or array.shape[2] != 3:
        raise ValueError(
            f"expected an RGB uint8 array of shape (H, W, 3), got {array.dtype} {array.shape}"
        )
    return array


def pdq_hash(image: Image.Image | RGBArray) -> tuple[str, int]:
    """(hash, quality) of an image; bit-for-bit ``pdqhash.compute`` on the same RGB pixels."""
    bits, quality = pdqhash.compute(to_rgb_array(image))
    return bits_to_hex(bits), int(quality)


def pdq_dihedral(image: Image.Image | RGBArray) -> tuple[str, ...]:
    """The 8 dihedral PDQ variants in :data:`DIHEDRAL_ORDER`, to match rotated/mirrored copies."""
    return pdq_dihedral_with_quality(to_rgb_array(image))[0]


def pdq_dihedral_with_quality(rgb: RGBArray) -> tuple[tuple[str, ...], int]:
    """Dihedral variants and quality in one pass (variant 0 equals :func:`pdq_hash`)."""
    vectors, quality = pdqhash.compute_dihedral(rgb)
    return tuple(bits_to_hex(v) for v in vectors), int(quality)
