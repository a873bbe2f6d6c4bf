"""Benchmark the HTTP matching service on loopback with wrk: lookup vs /health, and propagation.

Builds a bank of random PDQ hashes (default 1,000,000) in a fresh SQLite database (or
``--db``), starts the service under uvicorn with ``--workers`` processes, and measures with wrk
(Debian package ``wrk``) at ``--connections`` connections for ``--duration`` seconds:

- ``GET /health`` requests/s (what the web stack allows),
- ``POST /v1/lookup`` with one PDQ hash (a random miss, then a near-duplicate hit),
  requests/s, p99 latency, errors, and the ratio to /health,
- how long an entry added through the API takes to be found by every worker,
- each worker's resident memory (RSS) and proportional share (PSS, from
  /proc/PID/smaps_rollup: a page shared by N processes counts 1/N in each), the part of it that
  is the mapped index file, and with ``--memory`` the total PSS of 1 worker against 2 workers
  (the workers map one shared index file, so the index is counted once).

wrk's errors are printed by kind (non-2xx, connect, read, write, timeout: wrk gives up on a
request after 2 s) so that none goes unexplained. The machine's load average is printed before
and after each wrk run (a busy machine moves both figures; the ratio is what compares).
``EGIDE_FAST_LOOKUP=0`` in the environment turns the lookup fast path off, to compare.

    .venv/bin/python bench/bench_service.py --entries 1000000 --duration 60 --memory
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from egide.banks import create_bank
from egide.service.keys import create_key
from egide.service.orgs import create_org
from egide.store import BankEntry, open_engine, session_maker

LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {token}"
wrk.body = '{body}'
"""


def build(url: str, entries: int, seed: int) -> tuple[str, list[str]]:
    """Organisation, lookup key and a bank of random PDQ hashes; returns token and 3 hashes."""
    engine = open_engine(url)
    rng = np.random.default_rng(seed)
    with session_maker(engine)() as session:
        org = create_org(session, "bench")
        token, _ = create_key(session, org, ["lookup", "bank:write", "bank:read"])
        bank = create_bank(session, "bench-bank")
        bank.owner_org_id = org.id
        session.commit()
        kept: list[str] = []
        step = 100_000
        for lo in range(0, entries, step):
            codes = rng.integers(0, 256, (min(step, entries - lo), 32), dtype=np.uint8)
            values = [c.tobytes().hex() for c in codes]
            kept.extend(values[:3])
            session.execute(
                insert(BankEntry),
                [{"bank_id": bank.id, "signal_type": "pdq", "value": v} for v in values],
            )
            session.commit()
        bank.revision += 1
        session.commit()
    engine.dispose()
    return token, kept


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(port: int, path: str, token: str, body: object | None = None) -> dict:  # type: ignore[type-arg]
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def wrk(url: str, connections: int, threads: int, duration: int, script: Path | None) -> dict:  # type: ignore[type-arg]
    load_before = os.getloadavg()[0]
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script:
        args += ["-s", str(script)]
    run = subprocess.run([*args, url], capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(f"wrk failed ({run.returncode}): {run.stderr or run.stdout}")
    out = run.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    p99_ms = float(p99.group(1)) * scale[p99.group(2)] if p99 else float("nan")
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    kinds = {"non2xx": int(non2xx.group(1)) if non2xx else 0}
    if sock:
        kinds.update(
            zip(("connect", "read", "write", "timeout"), map(int, sock.groups()), strict=True)
        )
    return {
        "rps": rps,
        "p99_ms": p99_ms,
        "errors": sum(kinds.values()),
        "error_kinds": kinds,
        "load": (load_before, os.getloadavg()[0]),
    }


def worker_pids(master: int) -> list[int]:
    """The uvicorn worker processes (not the resource tracker); the master itself if none."""
    children = subprocess.run(
        ["ps", "-o", "pid=,args=", "--ppid", str(master)], capture_output=True, text=True
    ).stdout.splitlines()
    pids = [int(line.split()[0]) for line in children if "resource_tracker" not in line]
    return pids or [master]


def memory_mib(pid: int) -> dict[str, float]:
    """RSS and PSS of a process, and the PSS of its mappings of index-cache files."""
    out: dict[str, float] = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss"):
                out[name.lower()] = int(rest.split()[0]) / 1024
    index_pss = 0
    in_index = False
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            first = line.split()[0] if line.strip() else ""
            if "-" in first and not first.endswith(":"):
                in_index = line.rstrip().endswith(".egidx")
            elif in_index and first == "Pss:":
                index_pss += int(line.split()[1])
    out["index_pss"] = index_pss / 1024
    return out


def start_server(port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "egide.service.app:app_from_env",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    t0 = time.perf_counter()
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.perf_counter() - t0 > 600:
                raise SystemExit("server did not start") from None
            time.sleep(0.5)
    print(f"server up with {workers} worker(s) in {time.perf_counter() - t0:.1f} s")
    return server


def warm(port: int, token: str, workers: int, query: dict[str, object]) -> None:
    """A few lookups per worker, so every worker has loaded its index and compiled kernels."""
    for _ in range(20 * workers):
        call(port, "/v1/lookup", token, query)


def memory_run(env: dict[str, str], token: str, workers: int) -> dict[str, float]:
    """Total PSS/RSS of the workers of a server with ``workers`` processes, once warm."""
    port = free_port()
    server = start_server(port, workers, env)
    try:
        warm(port, token, workers, {"queries": [{"signal_type": "pdq", "value": "0" * 64}]})
        time.sleep(2)
        per = [memory_mib(pid) for pid in worker_pids(server.pid)]
    finally:
        server.terminate()
        server.wait(timeout=60)
    return {k: sum(m[k] for m in per) for k in ("rss", "pss", "index_pss")}


def propagation(port: int, token: str, workers: int) -> float:
    """Seconds from the add's response until 10 * workers lookups in a row all find it."""
    value = secrets.token_hex(32)
    query = {"queries": [{"signal_type": "pdq", "value": value}]}
    call(
        port,
        "/v1/banks/bench-bank/entries",
        token,
        {"entries": [{"signal_type": "pdq", "value": value}]},
    )
    start = time.monotonic()
    streak = 0
    while streak < 10 * workers:
        found = call(port, "/v1/lookup", token, query)["results"][0]["hits"]
        streak = streak + 1 if found else 0
        if time.monotonic() - start > 60:
            return float("inf")
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=60, help="seconds per wrk run")
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--memory", action="store_true", help="also compare the PSS of 1 and 2 workers"
    )
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="egide-bench-"))
    url = args.db or f"sqlite:///{home / 'egide.db'}"
    t0 = time.perf_counter()
    token, kept = build(url, args.entries, args.seed)
    print(f"bank of {args.entries:,} PDQ entries built in {time.perf_counter() - t0:.1f} s")

    env = dict(os.environ, EGIDE_DATABASE_URL=url, EGIDE_HOME=str(home), OMP_NUM_THREADS="1")
    env.setdefault("NUMBA_NUM_THREADS", "1")  # one request, one core: workers are the parallelism
    memory: dict[str, dict[str, float]] = {}
    if args.memory:
        for n in (1, 2):
            memory[str(n)] = memory_run(env, token, n)
        one, two = memory["1"], memory["2"]
        print(
            f"memory, 1 worker: PSS {one['pss']:.0f} MiB (index {one['index_pss']:.0f}), "
            f"RSS {one['rss']:.0f}; 2 workers: PSS {two['pss']:.0f} MiB "
            f"(index {two['index_pss']:.0f}), RSS {two['rss']:.0f}; "
            f"2 workers / 1 worker: PSS {two['pss'] / one['pss']:.2f}x, "
            f"index {two['index_pss'] / max(one['index_pss'], 1e-9):.2f}x"
        )
    port = free_port()
    server = start_server(port, args.workers, env)
    try:
        near = bytearray(bytes.fromhex(kept[0]))
        near[0] ^= 0b111  # 3 bits away: a near-duplicate
        assert call(
            port, "/v1/lookup", token, {"queries": [{"signal_type": "pdq", "value": near.hex()}]}
        )["results"][0]["hits"]
        base = f"http://127.0.0.1:{port}"
        results = {
            "health": wrk(f"{base}/health", args.connections, args.threads, args.duration, None)
        }
        for label, value in (("lookup_miss", secrets.token_hex(32)), ("lookup_hit", near.hex())):
            script = home / f"{label}.lua"
            body = json.dumps({"queries": [{"signal_type": "pdq", "value": value}]})
            script.write_text(LUA.format(token=token, body=body))
            results[label] = wrk(
                f"{base}/v1/lookup", args.connections, args.threads, args.duration, script
            )
        seconds = propagation(port, token, args.workers)
        mem = [memory_mib(pid) for pid in worker_pids(server.pid)]
    finally:
        server.terminate()
        server.wait(timeout=60)
    health = results["health"]["rps"]
    print(
        f"{'route':<14}{'req/s':>10}{'p99 ms':>9}{'errors':>8}{'vs /health':>12}"
        f"{'load avg':>12}  error kinds"
    )
    for label, r in results.items():
        kinds = ", ".join(f"{k} {v}" for k, v in r["error_kinds"].items() if v) or "none"
        load = f"{r['load'][0]:.1f}-{r['load'][1]:.1f}"
        print(
            f"{label:<14}{r['rps']:>10,.0f}{r['p99_ms']:>9.2f}{r['errors']:>8}"
            f"{r['rps'] / health:>11.0%}{load:>12}  {kinds}"
        )
    print(f"propagation: an entry added through the API found by every worker in {seconds:.2f} s")
    print(
        "workers (MiB): "
        + "; ".join(
            f"RSS {m['rss']:.0f} PSS {m['pss']:.0f} index {m['index_pss']:.0f}" for m in mem
        )
        + f" (PSS sum {sum(m['pss'] for m in mem):.0f})"
    )
    print(
        json.dumps(
            {
                "entries": args.entries,
                "workers": args.workers,
                "connections": args.connections,
                "duration": args.duration,
                "results": results,
                "propagation_s": seconds,
                "workers_mib": mem,
                "memory_1_vs_2_workers": memory,
            }
        )
    )


if __name__ == "__main__":
    main()
