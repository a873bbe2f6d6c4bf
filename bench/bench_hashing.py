"""Benchmark egide.hashing's fast PDQ path against the naive reference pipeline.

Generates its own JPEGs (12 MP 4000x3000 and 640x480, quality 90) from scikit-image's bundled
photos and the shared PDQ test photos when present, then on one core measures:

* naive: ``Image.open(p).convert("RGB")`` -> ``np.asarray`` -> ``pdqhash.compute``
* fast:  egide's PDQ part of ``hash_file(p, HashOptions(fast=True))``
* full:  the whole ``hash_file`` (md5 + sha1 + sha256 + PDQ)

and the fidelity of the fast hash (Hamming distance to the naive one, images of quality >= 80).

    .venv/bin/python bench/bench_hashing.py --count 12 --workdir /tmp/egide-bench
"""

from __future__ import annotations

import os

# One core: keep BLAS (used by the 64x64 grid step) single-threaded, as in a scan worker.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pdqhash  # noqa: E402
from PIL import Image  # noqa: E402
from skimage import data as skdata  # noqa: E402

from egide.hashing import HashOptions, hash_file  # noqa: E402
from egide.hashing.decode import decode_for_pdq, open_image  # noqa: E402
from egide.hashing.pdq import bits_to_hex, pdq_hash  # noqa: E402

SKIMAGE_PHOTOS = (
    "astronaut",
    "coffee",
    "chelsea",
    "rocket",
    "cat",
    "camera",
    "immunohistochemistry",
    "hubble_deep_field",
    "retina",
    "brick",
    "grass",
    "gravel",
    "page",
    "text",
    "moon",
    "horse",
)
SHARED_PHOTOS = Path("/work/shared/testdata/threatexchange/pdq/data")
SIZES = {"12mp": (4000, 3000), "640px": (640, 480)}


def _sources() -> list[tuple[str, Image.Image]]:
    out = []
    for name in SKIMAGE_PHOTOS:
        array = getattr(skdata, name)()
        if array.dtype != np.uint8:
            array = (array * 255).astype(np.uint8) if array.max() <= 1 else array.astype(np.uint8)
        out.append((name, Image.fromarray(array).convert("RGB")))
    for rel in (
        "bridge-mods/aaa-orig.jpg",
        "reg-test-input/exif-rotn/exif-rotn-1.jpg",
        "reg-test-input/pen-and-coaster.png",
        "misc-images/c.png",
    ):
        if (SHARED_PHOTOS / rel).exists():
            out.append((Path(rel).stem, Image.open(SHARED_PHOTOS / rel).convert("RGB")))
    return out


def _make(source: Image.Image, size: tuple[int, int], seed: int) -> Image.Image:
    """Crop to the aspect, upscale, add sensor-like noise and fine detail so it is not flat."""
    w, h = source.size
    tw, th = size
    if w / h > tw / th:
        nw = int(h * tw / th)
        source = source.crop(((w - nw) // 2, 0, (w - nw) // 2 + nw, h))
    else:
        nh = int(w * th / tw)
        source = source.crop((0, (h - nh) // 2, w, (h - nh) // 2 + nh))
    image = np.asarray(source.resize(size, Image.Resampling.LANCZOS), dtype=np.int16)
    rng = np.random.default_rng(seed)
    noise = rng.integers(-6, 7, (th, tw, 1), dtype=np.int16)
    yy, xx = np.mgrid[0:th, 0:tw]
    detail = (3 * np.sin(xx / 2.3 + seed) * np.cos(yy / 3.1)).astype(np.int16)[:, :, None]
    return Image.fromarray(np.clip(image + noise + detail, 0, 255).astype(np.uint8))


def generate(workdir: Path, count: int) -> dict[str, list[Path]]:
    """Write ``count`` JPEGs per size (cycling through the sources), reusing earlier runs."""
    workdir.mkdir(parents=True, exist_ok=True)
    sources = _sources()
    files: dict[str, list[Path]] = {}
    for label, size in SIZES.items():
        files[label] = []
        for i in range(count):
            name, source = sources[i % len(sources)]
            path = workdir / f"{label}-{i:03d}-{name}.jpg"
            if not path.exists():
                _make(source, size, i).save(path, "JPEG", quality=90)
            files[label].append(path)
    return files


def naive(path: Path) -> tuple[str, int]:
    bits, quality = pdqhash.compute(np.asarray(Image.open(path).convert("RGB")))
    return bits_to_hex(bits), int(quality)


def fast_pdq(path: Path) -> tuple[str, int]:
    with open(path, "rb") as fh:
        image = open_image(fh, HashOptions().max_image_pixels)
        with image:
            return pdq_hash(decode_for_pdq(image, fast=True).pixels)


def full(path: Path) -> tuple[str, int]:
    record = hash_file(path, HashOptions(fast=True))
    assert record.pdq is not None and record.pdq_quality is not None, record.error
    return record.pdq, record.pdq_quality


def rate(fn: Callable[[Path], tuple[str, int]], paths: list[Path], repeat: int) -> float:
    """Images per second, best of ``repeat`` passes (first call per file warms the cache)."""
    for p in paths[:2]:
        fn(p)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for p in paths:
            fn(p)
        best = min(best, time.perf_counter() - start)
    return len(paths) / best


def hamming(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=12, help="images per size (default 12)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/egide-bench"))
    parser.add_argument("--repeat", type=int, default=2, help="timed passes, best kept")
    args = parser.parse_args()
    files = generate(args.workdir, args.count)
    lines = []
    for label, paths in files.items():
        r_naive = rate(naive, paths, args.repeat)
        r_fast = rate(fast_pdq, paths, args.repeat)
        r_full = rate(full, paths, args.repeat)
        distances = []
        for p in paths:
            ref, quality = naive(p)
            if quality >= 80:
                distances.append(hamming(ref, fast_pdq(p)[0]))
        dist = np.asarray(distances or [0])
        lines.append(
            f"{label:>6}: naive {r_naive:7.1f} img/s ({1000 / r_naive:6.1f} ms) | "
            f"fast PDQ {r_fast:7.1f} img/s ({1000 / r_fast:5.1f} ms) x{r_fast / r_naive:4.1f} | "
            f"full hash_file {r_full:6.1f} img/s x{r_full / r_naive:4.1f}"
        )
        lines.append(
            f"{'':>6}  fidelity vs naive ({len(distances)} images, quality>=80): median "
            f"{statistics.median(dist.tolist()):.0f}, p95 {np.percentile(dist, 95):.1f}, "
            f"max {int(dist.max())} bits"
        )
        print(lines[-2], lines[-1], sep="\n", flush=True)
    print("\n```text")
    print(
        f"egide.hashing PDQ benchmark, one core, {args.count} JPEGs per size (q90), "
        f"{os.cpu_count()} CPUs visible"
    )
    print("\n".join(lines))
    print("targets: 12mp >= 10x, 640px >= 1.3x; fidelity median <= 4, p95 <= 12 bits")
    print("```")


if __name__ == "__main__":
    main()
