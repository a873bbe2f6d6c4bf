"""NCMEC sync at scale: an uninterrupted sync and a sync killed with SIGKILL mid-way then
resumed, from the local NCMEC stand-in server, into two SQLite databases, in one run.

Target (issue 3): 1 million entries; the resumed bank equals the uninterrupted one; durations
printed.

    .venv/bin/python bench/bench_ncmec_sync.py --entries 1000000
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select

from egide.banks import create_bank
from egide.exchange import add_ncmec_exchange
from egide.store import BankEntry, Exchange, open_engine, session_maker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.ncmec_server import NcmecState, make_entries, running


def prepare(url: str, base_url: str) -> None:
    engine = open_engine(url)
    with session_maker(engine)() as session:
        create_bank(session, "ncmec")
        add_ncmec_exchange(
            session, "ncmec", "ncmec", "esp-user", "NCMEC_PASSWORD", base_url=base_url
        )
        session.commit()
    engine.dispose()


def entries(url: str) -> set[tuple[str, str]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(BankEntry.signal_type, BankEntry.value)).all()
    engine.dispose()
    return {(r.signal_type, r.value) for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--page-size", type=int, default=1000)
    args = parser.parse_args()
    env = {**os.environ, "NCMEC_PASSWORD": "esp-pass"}
    state = NcmecState(make_entries(args.entries), page_size=args.page_size)
    with tempfile.TemporaryDirectory(prefix="egide-ncmec-") as tmp, running(state) as base:
        whole, killed = f"sqlite:///{tmp}/whole.db", f"sqlite:///{tmp}/killed.db"
        for url in (whole, killed):
            prepare(url, base)

        def sync(url: str) -> list[str]:
            return [sys.executable, "-m", "egide", "exchange", "sync", "ncmec", "--db", url]

        started = time.perf_counter()
        subprocess.run(sync(whole), env=env, check=True, capture_output=True)
        uninterrupted = time.perf_counter() - started

        started = time.perf_counter()
        process = subprocess.Popen(
            sync(killed), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        half = f"start={(args.entries // 2 // args.page_size) * args.page_size + 1}"
        watcher = create_engine(killed)
        while process.poll() is None:
            with watcher.connect() as conn:
                checkpoint = conn.scalar(select(Exchange.checkpoint)) or {}
            if half in str(checkpoint.get("next", "")):
                os.kill(process.pid, signal.SIGKILL)
                break
            time.sleep(0.05)
        process.wait()
        killed_at = time.perf_counter() - started
        with watcher.connect() as conn:
            partial = conn.scalar(select(func.count()).select_from(BankEntry))
        watcher.dispose()
        started = time.perf_counter()
        subprocess.run(sync(killed), env=env, check=True, capture_output=True)
        resumed = time.perf_counter() - started
        same = entries(whole) == entries(killed)
        count = len(entries(whole))
    print(
        f"NCMEC stand-in: {args.entries:,} entries, {args.page_size} per page, "
        f"{count:,} bank entries (md5, sha1, pdq, photodna)"
    )
    print(
        f"uninterrupted sync:            {uninterrupted:8.1f} s "
        f"({args.entries / uninterrupted:,.0f} NCMEC entries/s)"
    )
    print(f"killed with SIGKILL after:     {killed_at:8.1f} s ({partial:,} bank entries stored)")
    print(f"resumed sync:                  {resumed:8.1f} s")
    print(f"resumed bank equals uninterrupted bank: {same}")


if __name__ == "__main__":
    main()
