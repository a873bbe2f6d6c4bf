"""Generated benign test images: textured noise and skimage samples, written as files."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image


def textured(seed: int, size: tuple[int, int] = (160, 120)) -> Image.Image:
    """A random smooth-ish image with structure, so its PDQ hash has good quality."""
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, size=(12, 16, 3), dtype=np.uint8)
    return Image.fromarray(small).resize(size, Image.Resampling.BICUBIC)


def jpeg_bytes(image: Image.Image, quality: int = 90) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
