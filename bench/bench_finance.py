"""Benchmark egide.finance: batch scoring against just reading the file, and streaming.

Batch: a synthetic labelled set (``egide synth finance``) is tiled to ``--rows`` transactions
(each copy gets its own account and transaction ids, so every copy is its own set of networks)
and written as CSV. In the same run we time (1) the I/O floor, pyarrow reading the CSV into
memory, and (2) egide scoring it: reading with per-row checks, every indicator, the network
indicators, entity resolution, the alerts' graph and communities. The issue's target is
(2) <= 4 x (1) in wall-clock time; each step's CPU time (all threads) is printed beside it, a
less load-sensitive view on a shared machine.

Streaming: ``StreamScorer.process`` on the synthetic rows one at a time, in time order; the
throughput and the latency percentiles of single decisions (target: >= 3,000/s, p99 < 10 ms).

    .venv/bin/python bench/bench_finance.py --rows 10000000
    .venv/bin/python bench/bench_finance.py --rows 1000000 --stream-rows 100000
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import polars as pl
import pyarrow.csv as pacsv

from egide.finance.config import load_rules
from egide.finance.pipeline import score_read
from egide.finance.rates import load_rates
from egide.finance.reader import read_transactions
from egide.finance.stream import StreamScorer
from egide.finance.synth import write_synthetic

ID_COLUMNS = ("txn_id", "sender_id", "receiver_id")
T = TypeVar("T")


def tiled_csv(base: Path, rows: int, out: Path) -> int:
    """Copies of ``base`` with suffixed ids until ``rows`` rows; returns the row count."""
    df = pl.read_csv(base, infer_schema=False)
    copies = -(-rows // df.height)
    parts = [df.with_columns([pl.col(c) + f"_{k}" for c in ID_COLUMNS]) for k in range(copies)]
    big = pl.concat(parts).head(rows)
    big.write_csv(out)
    return big.height


def timed(label: str, fn: Callable[[], T]) -> tuple[float, T]:
    elapsed, _, result = timed_cpu(label, fn)
    return elapsed, result


def timed_cpu(label: str, fn: Callable[[], T]) -> tuple[float, float, T]:
    """Wall-clock and CPU seconds (all threads of this process) of one call."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<44} {elapsed:8.2f} s  (cpu {used:7.2f} s)", flush=True)
    return elapsed, used, result


def bench_batch(base: Path, rows: int, work: Path) -> None:
    path = work / "big.csv"
    _, n = timed("write tiled CSV (setup, not measured)", lambda: tiled_csv(base, rows, path))
    size = path.stat().st_size / 2**20
    print(f"{n:,} rows, {size:,.0f} MiB CSV, {os.cpu_count()} CPUs")
    floor, c_floor, table = timed_cpu("floor: pyarrow.csv.read_csv", lambda: pacsv.read_csv(path))
    del table
    rules, rates = load_rules(), load_rates()
    t_read, c_read, read = timed_cpu(
        "egide: read + per-row checks", lambda: read_transactions(path, rates)
    )
    t_score, c_score, scored = timed_cpu(
        "egide: indicators, network, communities", lambda: score_read(read, rules)
    )
    total, c_total = t_read + t_score, c_read + c_score
    alerts = len(scored.alerts)
    print(f"{'egide total (read + score)':<44} {total:8.2f} s  (cpu {c_total:7.2f} s)")
    print(
        f"ratio total / floor: {total / floor:.2f}x wall-clock (target <= 4x), "
        f"{c_total / c_floor:.2f}x CPU time; {alerts:,} alerts; {n / total:,.0f} rows/s"
    )


def bench_stream(base: Path, rows: int) -> None:
    with base.open(newline="", encoding="utf-8") as fh:
        data = list(csv.DictReader(fh))
    copies = -(-rows // len(data))
    feed = [{**r, **{c: f"{r[c]}_{k}" for c in ID_COLUMNS}} for k in range(copies) for r in data][
        :rows
    ]
    scorer = StreamScorer(load_rules(), load_rates())
    latencies: list[float] = []
    alerts = 0
    gc.collect()
    gc.freeze()  # the benchmark's own input rows are not the scorer's state: keep them out of GC
    start = time.perf_counter()
    for row in feed:
        t0 = time.perf_counter()
        decision = scorer.process(row)
        latencies.append(time.perf_counter() - t0)
        alerts += decision.decision == "alert"
    elapsed = time.perf_counter() - start
    gc.unfreeze()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    print(
        f"streaming: {len(feed):,} transactions in {elapsed:.2f} s = "
        f"{len(feed) / elapsed:,.0f} tx/s; latency p50 {pct(0.5):.3f} ms, "
        f"p99 {pct(0.99):.3f} ms, max {latencies[-1] * 1000:.1f} ms; "
        f"{alerts:,} alert decisions"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="batch transactions")
    parser.add_argument("--stream-rows", type=int, default=200_000)
    parser.add_argument("--accounts", type=int, default=20_000, help="accounts in the base set")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="egide-bench-finance-") as tmp:
        work = Path(tmp)
        _, base = timed(
            "generate base set (setup)", lambda: write_synthetic(work, args.seed, args.accounts)
        )
        if not args.skip_batch:
            bench_batch(base, args.rows, work)
        bench_stream(base, args.stream_rows)


if __name__ == "__main__":
    main()
