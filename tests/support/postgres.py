"""A real PostgreSQL 15 server for the tests, in a temporary directory, stopped afterwards.

PostgreSQL refuses to run as root, so when the tests run as root the cluster is created and
started as the ``postgres`` user (``runuser``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.local_http import free_port

PG_BIN = Path(os.environ.get("EGIDE_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def available() -> bool:
    return (PG_BIN / "initdb").exists()


@contextmanager
def running_cluster() -> Iterator[str]:
    """Start a throwaway cluster and yield a SQLAlchemy URL of its ``postgres`` database."""
    workdir = Path(tempfile.mkdtemp(prefix="egide-pg-"))
    datadir = workdir / "data"
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(datadir),
                "-U",
                "egide",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(datadir),
                "-o",
                options,
                "-l",
                str(workdir / "server.log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://egide@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        for _ in range(50):
            try:
                shutil.rmtree(workdir)
                break
            except OSError:
                time.sleep(0.1)
