"""Scan overhead: `egide scan` against hashing the same files alone, and 2 workers against 1.

Targets (issue 2): a scan takes at most 1.25x the time of hashing the files alone, and 2 workers
are at least 1.8x faster than 1. All three runs happen in this one process run, one after the
other, on the same files, so the ratios hold on a noisy machine.

    .venv/bin/python bench/bench_scan.py --count 400
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import tempfile
import time
from pathlib import Path

import numpy as np
import skimage.data
from PIL import Image
from threadpoolctl import threadpool_limits

from egide.banks import create_bank, import_entries
from egide.formats import ListEntry
from egide.hashing import hash_file
from egide.scan import ScanOptions, run_scan
from egide.store import open_engine, session_maker

SOURCES = [
    skimage.data.astronaut,
    skimage.data.coffee,
    skimage.data.chelsea,
    skimage.data.rocket,
    skimage.data.hubble_deep_field,
    skimage.data.immunohistochemistry,
]


def make_images(folder: Path, count: int, size: tuple[int, int]) -> list[Path]:
    rng = np.random.default_rng(1)
    paths = []
    for i in range(count):
        base = Image.fromarray(SOURCES[i % len(SOURCES)]()).convert("RGB").resize(size)
        noise = rng.integers(-12, 12, size=(size[1], size[0], 3))
        pixels = np.clip(np.asarray(base, dtype=np.int16) + noise, 0, 255).astype(np.uint8)
        out = io.BytesIO()
        Image.fromarray(pixels).save(out, "JPEG", quality=90)
        path = folder / f"dir{i % 10}" / f"img{i:05d}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(out.getvalue())
        paths.append(path)
    return paths


def _hash_all(paths: list[Path]) -> None:
    with threadpool_limits(1):
        for path in paths:
            hash_file(path)


def two_plain_processes(paths: list[Path]) -> float:
    """Hashing split over two bare processes: what this machine's two cores allow at best."""
    context = multiprocessing.get_context("fork")
    started = time.perf_counter()
    processes = [context.Process(target=_hash_all, args=(paths[i::2],)) for i in range(2)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return time.perf_counter() - started


def timed_scan(engine_url: str, root: Path, workers: int, report: Path) -> float:
    engine = open_engine(engine_url)
    started = time.perf_counter()
    options = ScanOptions(
        (str(root),), ("bench",), report, workers=workers, index_cache=root.parent / "index-cache"
    )
    run_scan(engine, options)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=400)
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="egide-bench-scan-") as tmp:
        work = Path(tmp)
        paths = make_images(work / "evidence", args.count, (args.width, args.height))
        url = f"sqlite:///{work / 'bench.db'}"
        engine = open_engine(url)
        with session_maker(engine)() as session:
            bank = create_bank(session, "bench")
            rng = np.random.default_rng(2)
            entries = [
                ListEntry("pdq", bytes(rng.integers(0, 256, 32, dtype=np.uint8)).hex())
                for _ in range(100_000)
            ]
            import_entries(session, bank, entries)
        engine.dispose()
        hash_file(paths[0])  # warm caches and imports alike for every contender
        timed_scan(url, work / "evidence", 1, work / "warm.json")
        started = time.perf_counter()
        for path in paths:
            hash_file(path)
        hash_alone = time.perf_counter() - started
        ceiling = hash_alone / two_plain_processes(paths)
        scan_one = timed_scan(url, work / "evidence", 1, work / "one.json")
        scan_two = timed_scan(url, work / "evidence", 2, work / "two.json")
    overhead = scan_one / hash_alone
    speedup = scan_one / scan_two
    print(f"files: {args.count} JPEGs of {args.width}x{args.height}, bank of 100,000 PDQ hashes")
    print(f"hash alone (1 process):   {hash_alone:7.2f} s  {args.count / hash_alone:7.1f} files/s")
    print(f"scan, 1 worker:           {scan_one:7.2f} s  {args.count / scan_one:7.1f} files/s")
    print(f"scan, 2 workers:          {scan_two:7.2f} s  {args.count / scan_two:7.1f} files/s")
    print(
        f"scan overhead (1 worker / hash alone): {overhead:.2f}x  (target <= 1.25x): "
        f"{'MET' if overhead <= 1.25 else 'MISSED'}"
    )
    print(
        f"2 workers vs 1:                        {speedup:.2f}x  (target >= 1.8x): "
        f"{'MET' if speedup >= 1.8 else 'MISSED'}"
    )
    print(f"two bare hashing processes vs one (this machine's ceiling): {ceiling:.2f}x")


if __name__ == "__main__":
    main()
