"""Video benchmark (issue 7 §4): vPDQ hashing vs Meta's reference, and video lookup vs brute force.

Part 1, hashing, side by side in one run: every sample video of ../shared/testdata (480x720 and
1280x720 H.264) hashed at 1 frame/s by egide (PyAV, luma-plane PDQ, only the groups of pictures
holding a wanted frame decoded) and by the reference (`vpdq.computeHash`, C++ over FFmpeg; built
from PyPI, `make bench-deps`), each in its own process pinned to one CPU, one thread, --repeat
times, best time kept. Also checks that both give the same video-level decisions on every pair
(reference comparison rule, P_q 80 / P_c 0) and prints the ratio.

Part 2, lookup: a bank of --videos generated known videos (random-walk frame hashes, 30-120
frames each) in SQLite; queries are noisy clips of known videos and unrelated videos. egide
(frames indexed, exact vPDQ comparison on candidates) against comparing each query with every
known video by the reference comparison (python-threatexchange's brute matcher), timed on
--brute-sample known videos and extrapolated to the whole bank (its Hamming distance compares
256-character bit strings, so it is slow); egide's own vectorised comparison run against every
known video is printed too, to show what the frame index alone gains.

    .venv/bin/python bench/bench_video.py [--repeat 3] [--videos 10000] [--queries 20]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[2] / "shared/testdata/threatexchange/tmk/sample-videos"

_WORKER = r"""
import os, sys, time, json
os.sched_setaffinity(0, {int(sys.argv[3])})
which, path = sys.argv[1], sys.argv[2]
if which == "egide":
    from egide.video import hash_video
    run = lambda: [(f.pdq, f.quality, f.timestamp) for f in hash_video(path).frames]
else:
    import vpdq
    run = lambda: [
        (f.hex, f.quality, f.timestamp)
        for f in vpdq.computeHash(path, seconds_per_hash=1.0, thread_count=1)
    ]
best = None
for _ in range(int(sys.argv[4])):
    t = time.perf_counter(); frames = run(); d = time.perf_counter() - t
    best = d if best is None else min(best, d)
print(json.dumps({"seconds": best, "frames": frames}))
"""


def _hash_in_process(
    which: str, video: Path, cpu: int, repeat: int
) -> tuple[float, list[list[object]]]:
    import json

    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    out = subprocess.run(
        [sys.executable, "-c", _WORKER, which, str(video), str(cpu), str(repeat)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    data = json.loads(out.strip().splitlines()[-1])
    return float(data["seconds"]), data["frames"]


def hashing(repeat: int) -> None:
    from threatexchange.extensions.vpdq.vpdq_brute_matcher import match_VPDQ_hash_brute
    from threatexchange.extensions.vpdq.vpdq_util import VpdqCompactFeature

    videos = sorted(SAMPLES.glob("*.mp4"))
    cpu = sorted(os.sched_getaffinity(0))[0]
    totals = {"egide": 0.0, "reference": 0.0}
    frames: dict[str, dict[str, list[VpdqCompactFeature]]] = {"egide": {}, "reference": {}}
    print(f"{'video':34s} {'size':>9s} {'egide s':>8s} {'ref s':>8s} {'ratio':>6s}")
    for video in videos:
        row = {}
        for which in ("reference", "egide"):
            seconds, hashed = _hash_in_process(which, video, cpu, repeat)
            totals[which] += seconds
            row[which] = seconds
            frames[which][video.stem] = [
                VpdqCompactFeature(str(h), int(q), float(t)) for h, q, t in hashed
            ]  # type: ignore[call-overload]
        import av

        with av.open(str(video)) as c:
            size = f"{c.streams.video[0].width}x{c.streams.video[0].height}"
        ratio = row["reference"] / row["egide"]
        print(
            f"{video.stem:34s} {size:>9s} {row['egide']:8.3f} {row['reference']:8.3f} {ratio:6.2f}"
        )
    ratio = totals["reference"] / totals["egide"]
    print(
        f"hashing at 1 frame/s, one CPU each: egide {totals['egide']:.2f} s, "
        f"reference {totals['reference']:.2f} s -> egide {ratio:.2f}x faster (target >= 2x)"
    )
    same = 0
    pairs = list(itertools.product(sorted(frames["egide"]), repeat=2))
    for a, b in pairs:
        decisions = []
        for which in ("egide", "reference"):
            r = match_VPDQ_hash_brute(frames[which][a], frames[which][b], 50, 31)
            decisions.append(r.query_match_percent >= 80.0)
        same += decisions[0] == decisions[1]
    print(f"video-level decisions equal to the reference's on {same}/{len(pairs)} pairs")


def _walk(rng: random.Random, start: int, count: int, step_bits: int) -> list[int]:
    out, value = [], start
    for _ in range(count):
        for position in rng.sample(range(256), step_bits):
            value ^= 1 << position
        out.append(value)
    return out


def _noisy(rng: random.Random, value: int, bits: int) -> int:
    for position in rng.sample(range(256), bits):
        value ^= 1 << position
    return value


def lookup(n_videos: int, n_queries: int, brute_sample: int, seed: int) -> None:
    from threatexchange.extensions.vpdq.vpdq_brute_matcher import match_VPDQ_hash_brute
    from threatexchange.extensions.vpdq.vpdq_util import VpdqCompactFeature

    from egide.banks import create_bank
    from egide.banks.videos import add_video
    from egide.store import open_engine, session_maker
    from egide.video import FrameHash
    from egide.video.matching import VideoMatcher

    rng = random.Random(seed)
    known: list[list[FrameHash]] = []
    for _ in range(n_videos):
        # a new shot every ~10 frames: consecutive frames differ by a few bits
        frames: list[int] = []
        for _ in range(rng.randint(3, 12)):
            frames += _walk(rng, rng.getrandbits(256), 10, 4)
        known.append([FrameHash(i, 100, f"{v:064x}", float(i)) for i, v in enumerate(frames)])
    queries: list[tuple[int | None, list[FrameHash]]] = []
    for q in range(n_queries):
        if q % 2 == 0:
            target = rng.randrange(n_videos)
            source = known[target]
            start = rng.randrange(max(1, len(source) - 20))
            clip = [
                FrameHash(i, 100, f"{_noisy(rng, int(f.pdq, 16), 10):064x}", float(i))
                for i, f in enumerate(source[start : start + 20])
            ]
            queries.append((target, clip))
        else:
            queries.append(
                (
                    None,
                    [
                        FrameHash(i, 100, f"{v:064x}", float(i))
                        for i, v in enumerate(_walk(rng, rng.getrandbits(256), 30, 4))
                    ],
                )
            )
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(f"sqlite:///{tmp}/bench.db")
        with session_maker(engine)() as session:
            bank = create_bank(session, "videos")
            t0 = time.perf_counter()
            ids = [add_video(session, bank, frames, source="bench")[0] for frames in known]
            session.commit()
            print(
                f"bank of {n_videos:,} known videos ({sum(map(len, known)):,} frames) "
                f"written in {time.perf_counter() - t0:.1f} s"
            )
            t0 = time.perf_counter()
            matcher = VideoMatcher.load(session, ["videos"])
            print(f"loaded and indexed in {time.perf_counter() - t0:.1f} s")
            t0 = time.perf_counter()
            correct = 0
            for target, clip in queries:
                found = [v.hit.entry_id for v in matcher.match_video(clip, "q").videos]
                expected = [ids[target]] if target is not None else []
                correct += found == expected
            egide_per_query = (time.perf_counter() - t0) / len(queries)
    from egide.video import compare_frames

    t0 = time.perf_counter()
    for _, clip in queries[:4]:
        for frames in known:
            compare_frames(clip, frames)
    scan_all = (time.perf_counter() - t0) / 4
    print(
        f"egide's own vectorised comparison against every video, no index: {scan_all:.2f} s/query "
        f"-> the index alone is {scan_all / egide_per_query:,.0f}x"
    )
    compact = [[VpdqCompactFeature(f.pdq, f.quality, f.timestamp) for f in v] for v in known]
    sample = rng.sample(range(n_videos), min(brute_sample, n_videos))
    t0 = time.perf_counter()
    for _, clip in queries[:2]:
        query = [VpdqCompactFeature(f.pdq, f.quality, f.timestamp) for f in clip]
        for k in sample:
            match_VPDQ_hash_brute(query, compact[k], 50, 31)
    brute_per_query = (time.perf_counter() - t0) / 2 * n_videos / len(sample)
    print(
        f"lookup against {n_videos:,} videos: egide {egide_per_query * 1000:.1f} ms/query "
        f"({correct}/{len(queries)} correct), reference brute force {brute_per_query:.1f} "
        f"s/query (timed on {len(sample)} videos, extrapolated) "
        f"-> {brute_per_query / egide_per_query:,.0f}x (target >= 50x)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--videos", type=int, default=10_000)
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--brute-sample", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip-hashing", action="store_true")
    args = ap.parse_args()
    if not args.skip_hashing:
        hashing(args.repeat)
    lookup(args.videos, args.queries, args.brute_sample, args.seed)


if __name__ == "__main__":
    main()
