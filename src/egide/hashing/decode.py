"""Open, bound and decode an image into the pixels PDQ needs, as cheaply as is faithful.

Fast path: decode at reduced size (JPEG DCT scaling via ``draft``, ``Image.reduce`` for other
formats) while the reduced short side stays >= :data:`MIN_REDUCED_SIDE`, then let
:mod:`.downscale` reproduce PDQ's 64x64 grid from it. EXIF orientation is folded into that
step instead of rotating pixels. Naive path (``fast=False``): full decode,
``ImageOps.exif_transpose``, ``convert("RGB")``, PDQ on all pixels, as the reference tools do.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import IO

import numpy as np
import numpy.typing as npt
import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError
from PIL.JpegImagePlugin import JpegImageFile

from .downscale import ORIENTATIONS, pdq_grid
from .pdq import to_rgb_array

pillow_heif.register_heif_opener()

#: Pillow plugins egide lets decode (HEIF comes from pillow-heif, AVIF from Pillow itself;
#: multi-picture JPEGs open through "JPEG" as "MPO" and are reported as "JPEG").
FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "HEIF", "AVIF")

#: Smallest short side a reduced decode may have. Measured (bench/bench_hashing.py and the
#: exploration behind it): at 1/8 scale a 12 MP photo (short side 375) stays within a median
#: of 0 bits and a maximum of 6 of the full-size hash once PDQ's grid is emulated; below
#: ~3 reduced pixels per PDQ filter window (short side < ~256-375) errors grow to 10-70 bits.
MIN_REDUCED_SIDE = 360

#: Below this many pixels, hash the (oriented) image directly with pdqhash: it is already
#: cheap and the result is then exactly the reference.
DIRECT_MAX_PIXELS = 192 * 192

_ORIENTATION_TAG = 0x0112
_REDUCE_MODES = frozenset({"RGB", "RGBA", "RGBX", "L", "LA"})
_BOMB_RE = re.compile(r"\((\d+) pixels\)")


class ImageRejected(Exception):
    """The image cannot be hashed; the message is the record's ``error``."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """What hashing needs from a decoded image: PDQ input pixels and the oriented geometry."""

    pixels: npt.NDArray[np.uint8]
    width: int
    height: int
    format: str


def open_image(fp: IO[bytes], max_pixels: int) -> Image.Image:
    """Read the header only, refusing decompression bombs before any pixel is decoded."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(fp, formats=FORMATS)
    except Image.DecompressionBombError as exc:
        found = _BOMB_RE.search(str(exc))
        pixels = found.group(1) if found else "too many"
        limit = 2 * (Image.MAX_IMAGE_PIXELS or 0)
        raise ImageRejected(
            f"image has {pixels} pixels, above the limit of {min(limit, max_pixels)} "
            "(decompression bomb?)"
        ) from exc
    except UnidentifiedImageError as exc:  # its message names the file object
        raise ImageRejected("image is truncated or corrupt: no decoder could read it") from exc
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
        raise ImageRejected(f"image is truncated or corrupt: {exc}") from exc
    width, height = image.size
    if width * height > max_pixels:
        image.close()
        raise ImageRejected(
            f"image has {width * height} pixels, above the limit of {max_pixels} "
            "(decompression bomb?)"
        )
    return image


def _orientation(image: Image.Image) -> int:
    """EXIF orientation 1-8 (1 when absent or nonsense)."""
    try:
        value = image.getexif().get(_ORIENTATION_TAG, 1)
    except Exception:  # a broken EXIF block must not stop hashing
        return 1
    return value if isinstance(value, int) and value in ORIENTATIONS else 1


def _reduction(width: int, height: int, choices: tuple[int, ...]) -> int:
    """Largest factor keeping the reduced short side >= MIN_REDUCED_SIDE (1 if none)."""
    short = min(width, height)
    for factor in choices:
        if -(-short // factor) >= MIN_REDUCED_SIDE:
            return factor
    return 1


def _reduced_pixels(image: Image.Image) -> npt.NDArray[np.uint8]:
    """Decode at the smallest faithful size; (h, w) luma or (h, w, 3) RGB, not oriented."""
    width, height = image.size
    if isinstance(image, JpegImageFile) and image.mode in ("RGB", "L"):
        factor = _reduction(width, height, (8, 4, 2))
        # "L" makes libjpeg emit only Y (PDQ's luma weights are JFIF's), skipping chroma work
        image.draft("L", (width // factor, height // factor))
        image.load()
        return np.asarray(image)
    image.load()
    if image.mode not in _REDUCE_MODES:
        image = image.convert("RGB")
    factor = _reduction(width, height, tuple(range(16, 1, -1)))
    if factor > 1:
        image = image.reduce(factor)
    if image.mode in ("L", "LA"):
        return np.asarray(image if image.mode == "L" else image.convert("L"))
    return to_rgb_array(image)


def decode_for_pdq(image: Image.Image, fast: bool) -> Decoded:
    """Decode ``image`` (fresh from :func:`open_image`) into PDQ's input pixels."""
    width, height = image.size
    fmt = "JPEG" if image.format == "MPO" else str(image.format)
    orientation = _orientation(image)
    transpose = ORIENTATIONS[orientation][0]
    out_w, out_h = (height, width) if transpose else (width, height)
    try:
        if not fast or width * height <= DIRECT_MAX_PIXELS:
            image.load()
            oriented = ImageOps.exif_transpose(image) if orientation != 1 else image
            pixels = to_rgb_array(oriented)
        else:
            reduced = _reduced_pixels(image)
            pixels = pdq_grid(reduced, (width, height), orientation)
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as exc:
        raise ImageRejected(f"image is truncated or corrupt: {exc}") from exc
    except MemoryError as exc:
        raise ImageRejected("image is too large to decode in memory") from exc
    return Decoded(pixels, out_w, out_h, fmt)
