"""Small benign test videos made with PyAV: a scikit-image picture panning slowly, so every
frame differs a little and has a known PDQ source."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
from skimage import data, transform

RGB = npt.NDArray[np.uint8]


def source_frames(
    count: int, width: int = 160, height: int = 120, picture: str = "astronaut"
) -> list[RGB]:
    """``count`` RGB frames: a window moving 1 px per frame across a skimage picture."""
    image = getattr(data, picture)()
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    scaled = (
        transform.resize(  # type: ignore[no-untyped-call]
            image, (height * 2, width * 2), anti_aliasing=True
        )
        * 255
    ).astype(np.uint8)
    return [
        np.ascontiguousarray(scaled[i % height : i % height + height, i : i + width])
        for i in range(count)
    ]


def write_video(
    path: Path,
    frames: list[RGB],
    *,
    codec: str = "libx264",
    container: str | None = None,
    rate: int = 10,
    pix_fmt: str = "yuv420p",
) -> Path:
    """Encode ``frames`` at ``rate`` frames/s."""
    with av.open(str(path), mode="w", format=container) as out:
        stream = out.add_stream(codec, rate=Fraction(rate))
        assert isinstance(stream, av.VideoStream)
        stream.width = frames[0].shape[1]
        stream.height = frames[0].shape[0]
        stream.pix_fmt = pix_fmt
        if codec == "libx264":
            stream.options = {"preset": "ultrafast", "g": str(rate * 2)}
        for array in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(array, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path
