"""Traveller screening benchmark (issue 6 §6): indexed screening vs brute-force Jaro-Winkler.

Side by side in one run: a 500-passenger manifest against a synthetic watchlist (1,000,000
entries by default, --entries to run smaller). The brute force scores every (passenger, listed
name) pair with rapidfuzz's Jaro-Winkler on the normalised names (process.cdist, one worker, like
the screening) and keeps the GTAS rule: similarity >= --jw and birth years at most one apart
(or unknown). It is timed on a random sample of passengers (--sample) and extrapolated to all.
Reported: speed-up, and the share of brute-force pairs the indexed screening retrieves.

    .venv/bin/python bench/bench_travel.py [--entries 1000000] [--passengers 500] [--sample 50]
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from egide.travel.names import normalise_name
from egide.travel.rules import load_rules
from egide.travel.scoring import PassengerProfile
from egide.travel.screen import Screening
from egide.travel.synth import generate
from egide.watchlists import Watchlist


def _year(d: str | None) -> int:
    return int(d[:4]) if d else -1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--passengers", type=int, default=500)
    ap.add_argument("--sample", type=int, default=50, help="passengers timed by brute force")
    ap.add_argument("--jw", type=float, default=0.95, help="brute-force Jaro-Winkler threshold")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--pool-size", type=int, default=3000, help="names per locale pool")
    ap.add_argument("--show-missed", action="store_true", help="print pairs the index missed")
    args = ap.parse_args()

    t0 = time.perf_counter()
    listed = args.passengers // 2
    data = generate(args.seed, args.entries, listed, args.passengers - listed, args.pool_size)
    print(
        f"generated {len(data.entries):,} entries, {len(data.passengers)} passengers "
        f"({listed} listed people written differently) in {time.perf_counter() - t0:.1f}s"
    )

    rules = load_rules()
    t0 = time.perf_counter()
    screening = Screening.build([Watchlist("bench", data.entries, [])], rules)
    print(f"index built in {time.perf_counter() - t0:.1f}s (once per list version)")

    t0 = time.perf_counter()
    hits = sum(len(screening.screen_traveller(t, rules.threshold)) for t in data.passengers)
    indexed_s = time.perf_counter() - t0
    candidates = [screening.index.candidates(PassengerProfile.of(t)) for t in data.passengers]
    mean_cands = sum(len(c) for c in candidates) / len(candidates)
    print(
        f"indexed screening: {len(data.passengers)} passengers in {indexed_s:.3f}s "
        f"({hits} hits at threshold {rules.threshold}, {mean_cands:.0f} candidates/passenger)"
    )

    names: list[str] = []
    owner: list[int] = []
    for n, e in enumerate(data.entries):
        for raw in (e.name, *e.aliases):
            names.append(normalise_name(raw).joined)
            owner.append(n)
    owners = np.asarray(owner)
    years = np.asarray([_year(e.birth_date) for e in data.entries])
    rng = random.Random(args.seed)
    sample = rng.sample(range(len(data.passengers)), min(args.sample, len(data.passengers)))
    queries = [normalise_name(data.passengers[i].name).joined for i in sample]
    t0 = time.perf_counter()
    found = 0
    pairs = 0
    for qi, q in zip(sample, queries, strict=True):
        scores = process.cdist(
            [q],
            names,
            scorer=JaroWinkler.normalized_similarity,
            score_cutoff=args.jw,
            dtype=np.float32,
            workers=1,
        )[0]
        rows = np.nonzero(scores >= args.jw)[0]
        py = _year(data.passengers[qi].birth_date)
        entries = {
            int(owners[r])
            for r in rows
            if py < 0 or years[owners[r]] < 0 or abs(int(years[owners[r]]) - py) <= 1
        }
        pairs += len(entries)
        found += len(entries & candidates[qi])
        if args.show_missed:
            for n in sorted(entries - candidates[qi]):
                e = data.entries[n]
                p = data.passengers[qi]
                print(f"  missed: {p.name} {p.birth_date} | {e.name} {e.aliases} {e.birth_date}")
    brute_sample_s = time.perf_counter() - t0
    brute_s = brute_sample_s * len(data.passengers) / len(sample)
    recall = found / pairs if pairs else 1.0
    print(
        f"brute force: {len(sample)} sampled passengers x {len(names):,} names in "
        f"{brute_sample_s:.2f}s, extrapolated to {len(data.passengers)}: {brute_s:.1f}s"
    )
    print(
        f"brute-force pairs (JW >= {args.jw}, birth years <= 1 apart) on the sample: {pairs}; "
        f"retrieved by the index: {found} ({100 * recall:.2f}%)"
    )
    speedup = brute_s / indexed_s
    print(
        f"speed-up: {speedup:.0f}x (target >= 50x); pairs found: {100 * recall:.2f}% "
        "(target >= 99%)"
    )


if __name__ == "__main__":
    main()
