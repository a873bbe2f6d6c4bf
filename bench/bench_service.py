"""Benchmark the HTTP matching service on loopback with wrk: lookup vs /health, and propagation.

Builds a bank of random PDQ hashes (default 1,000,000) in a fresh SQLite database (or
``--db``), starts the service under uvicorn with ``--workers`` processes, and measures with wrk
(Debian package ``wrk``) at ``--connections`` connections for ``--duration`` seconds:

- ``GET /health`` requests/s (what the web stack allows),
- ``POST /v1/lookup`` with one PDQ hash (a random miss, then a near-duplicate hit),
  requests/s, p99 latency, errors, and the ratio to /health,
- how long an entry added through the API takes to be found by every worker,
- each worker's resident memory.

    .venv/bin/python bench/bench_service.py --entries 1000000 --duration 60
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
    errors = (int(non2xx.group(1)) if non2xx else 0) + (
        sum(int(x) for x in sock.groups()) if sock else 0
    )
    return {"rps": rps, "p99_ms": p99_ms, "errors": errors}


def worker_rss_mib(master: int) -> list[float]:
    children = subprocess.run(
        ["ps", "-o", "pid=,rss=,args=", "--ppid", str(master)], capture_output=True, text=True
    ).stdout.splitlines()
    return [int(line.split()[1]) / 1024 for line in children if "multiprocessing" not in line] or [
        int(line.split()[1]) / 1024 for line in children
    ]


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
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="egide-bench-"))
    url = args.db or f"sqlite:///{home / 'egide.db'}"
    t0 = time.perf_counter()
    token, kept = build(url, args.entries, args.seed)
    print(f"bank of {args.entries:,} PDQ entries built in {time.perf_counter() - t0:.1f} s")

    port = free_port()
    env = dict(os.environ, EGIDE_DATABASE_URL=url, EGIDE_HOME=str(home), OMP_NUM_THREADS="1")
    env.setdefault("NUMBA_NUM_THREADS", "1")  # one request, one core: workers are the parallelism
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
            str(args.workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        t0 = time.perf_counter()
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.perf_counter() - t0 > 600:
                    raise SystemExit("server did not start") from None
                time.sleep(0.5)
        print(f"server up with {args.workers} worker(s) in {time.perf_counter() - t0:.1f} s")
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
        rss = worker_rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
    health = results["health"]["rps"]
    print(f"{'route':<14}{'req/s':>10}{'p99 ms':>9}{'errors':>8}{'vs /health':>12}")
    for label, r in results.items():
        print(
            f"{label:<14}{r['rps']:>10,.0f}{r['p99_ms']:>9.2f}{r['errors']:>8}"
            f"{r['rps'] / health:>11.0%}"
        )
    print(f"propagation: an entry added through the API found by every worker in {seconds:.2f} s")
    print("worker RSS MiB: " + ", ".join(f"{m:.0f}" for m in rss) + f" (sum {sum(rss):.0f})")
    print(
        json.dumps(
            {
                "entries": args.entries,
                "workers": args.workers,
                "connections": args.connections,
                "duration": args.duration,
                "results": results,
                "propagation_s": seconds,
                "worker_rss_mib": rss,
            }
        )
    )


if __name__ == "__main__":
    main()
