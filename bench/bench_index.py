"""Benchmark egide.index.HammingIndex against python-threatexchange's PDQIndex (and FAISS).

One run builds every index on the same random 256-bit codes, runs the same queries (half
near-duplicates of indexed codes with 0..31 bits flipped, half random), checks that egide's
answers are exact (equal to the peer's, and to brute force on a sample) and prints a summary.

    .venv/bin/python bench/bench_index.py --n 1000000
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    """Peak RSS of this process image (VmHWM). Not ru_maxrss: after fork+exec Linux carries
    the parent's resident size over into the child's ru_maxrss."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover


def make_data(n: int, nq: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 256, (n, 32), dtype=np.uint8)
    half = nq // 2
    near = codes[rng.integers(0, n, half)].copy()
    bits = np.unpackbits(near, axis=1)
    for k in range(half):
        bits[k, rng.choice(256, int(rng.integers(0, 32)), replace=False)] ^= 1
    queries = np.concatenate(
        [np.packbits(bits, axis=1), rng.integers(0, 256, (nq - half, 32), dtype=np.uint8)]
    )
    return codes, queries


def as_sets(lims: np.ndarray, dist: np.ndarray, ids: np.ndarray) -> list[set[tuple[int, int]]]:
    return [
        set(
            zip(
                ids[lims[i] : lims[i + 1]].tolist(),
                dist[lims[i] : lims[i + 1]].tolist(),
                strict=True,
            )
        )
        for i in range(len(lims) - 1)
    ]


def brute_force(codes: np.ndarray, q: np.ndarray, radius: int) -> set[tuple[int, int]]:
    words = codes.view(np.uint64)
    d = np.bitwise_count(words ^ q.view(np.uint64)).sum(axis=1, dtype=np.int64)
    hit = np.flatnonzero(d <= radius)
    return set(zip(hit.tolist(), d[hit].tolist(), strict=True))


def child(index_path: str, query_path: str, radius: int) -> None:
    """Fresh process: load the saved index, run the queries, report time and peak memory."""
    t0 = time.perf_counter()
    from egide.index import HammingIndex

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = HammingIndex.load(index_path)
    t_load = time.perf_counter() - t0
    queries = np.load(query_path)
    t0 = time.perf_counter()
    index.range_search(queries[:1], radius)
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    index.range_search(queries, radius)
    t_query = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "import_s": t_import,
                "load_s": t_load,
                "first_query_s": t_first,
                "qps": len(queries) / t_query,
                "peak_mb": peak_mb(),
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--radius", type=int, default=31)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-peer", action="store_true", help="skip threatexchange PDQIndex")
    ap.add_argument("--skip-faiss", action="store_true", help="skip FAISS IndexBinaryMultiHash")
    ap.add_argument("--brute-sample", type=int, default=50, help="queries checked by brute force")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.radius)
        return

    import numba

    from egide.index import HammingIndex, codes_to_hex

    out: dict[str, object] = {
        "n": args.n,
        "queries": args.queries,
        "radius": args.radius,
        "threads": numba.get_num_threads(),
        "cpus": os.cpu_count(),
    }
    print(
        f"generating {args.n:,} codes and {args.queries:,} queries (seed {args.seed})", flush=True
    )
    codes, queries = make_data(args.n, args.queries, args.seed)
    ids = np.arange(args.n, dtype=np.int64)

    # --- egide ---
    rss0 = rss_mb()
    t0 = time.perf_counter()
    index = HammingIndex()
    index.add(codes, ids)
    out["egide_build_s"] = time.perf_counter() - t0
    out["egide_index_mb"] = rss_mb() - rss0
    index.range_search(queries[:8], args.radius)  # JIT / cache load, not timed
    t0 = time.perf_counter()
    e_lims, e_dist, e_ids = index.range_search(queries, args.radius)
    out["egide_qps"] = args.queries / (time.perf_counter() - t0)
    out["egide_hits"] = int(e_lims[-1])
    print(
        f"egide: build {out['egide_build_s']:.1f}s, {out['egide_qps']:,.0f} lookups/s", flush=True
    )
    egide_sets = as_sets(e_lims, e_dist, e_ids)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.egx"
        t0 = time.perf_counter()
        index.save(path)
        out["egide_save_s"] = time.perf_counter() - t0
        out["egide_file_mb"] = path.stat().st_size / 2**20
        qpath = Path(tmp) / "q.npy"
        np.save(qpath, queries)
        del index
        gc.collect()
        res = subprocess.run(
            [
                sys.executable,
                __file__,
                "--radius",
                str(args.radius),
                "--child",
                str(path),
                str(qpath),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        out["egide_loaded"] = json.loads(res.stdout.strip().splitlines()[-1])
    print(f"egide loaded in a fresh process: {out['egide_loaded']}", flush=True)

    # --- brute-force check on a sample ---
    sample = np.random.default_rng(args.seed + 1).choice(
        args.queries, min(args.brute_sample, args.queries), replace=False
    )
    bad = [int(i) for i in sample if brute_force(codes, queries[i], args.radius) != egide_sets[i]]
    out["brute_checked"] = len(sample)
    out["brute_mismatches"] = len(bad)
    print(f"brute force: {len(sample)} queries checked, {len(bad)} mismatches", flush=True)

    # --- peer: threatexchange PDQIndex ---
    if not args.skip_peer:
        from threatexchange.signal_type.pdq.pdq_index import PDQIndex

        hexes = codes_to_hex(codes)
        qhex = codes_to_hex(queries)
        t0 = time.perf_counter()
        peer = PDQIndex(entries=zip(hexes, ids.tolist(), strict=True))
        out["peer_build_s"] = time.perf_counter() - t0
        del hexes
        gc.collect()
        if args.radius != PDQIndex.get_match_threshold():
            print("note: PDQIndex always searches at distance <= 31", flush=True)
        import faiss

        # One query per call: FAISS's OpenMP threads cannot help and, when another process
        # shares the cores, spin-waiting makes the peer ~10x slower. Give it its best setting.
        omp_threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        t0 = time.perf_counter()
        peer_sets = [
            {(m.metadata, int(m.similarity_info.distance)) for m in peer.query(h)} for h in qhex
        ]
        out["peer_qps"] = args.queries / (time.perf_counter() - t0)
        faiss.omp_set_num_threads(omp_threads)
        out["peer_mismatches"] = sum(a != b for a, b in zip(egide_sets, peer_sets, strict=True))
        out["ratio"] = float(out["egide_qps"]) / float(out["peer_qps"])  # type: ignore[arg-type]
        print(
            f"peer PDQIndex: build {out['peer_build_s']:.1f}s, {out['peer_qps']:,.0f} "
            f"lookups/s, mismatches vs egide {out['peer_mismatches']}",
            flush=True,
        )
        del peer
        gc.collect()

    # --- FAISS IndexBinaryMultiHash 11 x 23 bits, nflip=2 (exact at radius 31) ---
    if not args.skip_faiss:
        import faiss

        t0 = time.perf_counter()
        fx = faiss.IndexBinaryMultiHash(256, 11, 23)
        fx.nflip = 2
        fx.add(codes)
        out["faiss_build_s"] = time.perf_counter() - t0
        fx.range_search(queries[:8], args.radius + 1)
        t0 = time.perf_counter()
        f_lims, f_dist, f_ids = fx.range_search(queries, args.radius + 1)  # strict bound
        out["faiss_qps"] = args.queries / (time.perf_counter() - t0)
        faiss_sets = as_sets(f_lims, f_dist.astype(np.int64), f_ids)
        exact_ok = args.radius <= 32
        out["faiss_mismatches"] = (
            sum(a != b for a, b in zip(egide_sets, faiss_sets, strict=True)) if exact_ok else None
        )
        print(
            f"faiss MultiHash: build {out['faiss_build_s']:.1f}s, {out['faiss_qps']:,.0f} "
            f"lookups/s, mismatches vs egide {out['faiss_mismatches']}",
            flush=True,
        )
        del fx
        gc.collect()

    loaded = out["egide_loaded"]
    assert isinstance(loaded, dict)
    lines = [
        f"egide.index benchmark: {args.n:,} random 256-bit codes, {args.queries:,} queries "
        f"(half near-duplicates, half random), radius {args.radius} inclusive, "
        f"{out['cpus']} CPUs / {out['threads']} numba threads",
        f"  egide HammingIndex : build {out['egide_build_s']:6.1f} s   "
        f"{out['egide_qps']:9,.0f} lookups/s   hits {out['egide_hits']}",
        f"  egide memory       : index {out['egide_index_mb']:,.0f} MB (RSS growth over build); "
        f"fresh process load+query peak RSS {loaded['peak_mb']:,.0f} MB",
        f"  egide save/load    : file {out['egide_file_mb']:,.0f} MB, save "
        f"{out['egide_save_s']:.1f} s, load {loaded['load_s']:.2f} s, first query after start "
        f"{loaded['first_query_s']:.2f} s, {loaded['qps']:,.0f} lookups/s after load",
        f"  exactness          : brute force on {out['brute_checked']} queries: "
        f"{out['brute_mismatches']} mismatches",
    ]
    if "peer_qps" in out:
        lines.append(
            f"  peer PDQIndex (1 OpenMP thread, one query per call as HMA does): build "
            f"{out['peer_build_s']:6.1f} s   "
            f"{out['peer_qps']:9,.0f} lookups/s   mismatches vs egide {out['peer_mismatches']}"
        )
        lines.append(f"  speed-up egide/peer: {out['ratio']:.1f}x")
    if "faiss_qps" in out:
        lines.append(
            f"  FAISS MultiHash 11x23 nflip=2: build {out['faiss_build_s']:.1f} s   "
            f"{out['faiss_qps']:,.0f} lookups/s   mismatches vs egide {out['faiss_mismatches']}"
        )
    print("\n".join(["", "=" * 100, *lines, "=" * 100]))
    print("json:", json.dumps(out))


if __name__ == "__main__":
    main()
