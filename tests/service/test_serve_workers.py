"""``egide serve --workers 2`` as users run it: two uvicorn worker processes on one port.

Each request goes out on a new connection, so the kernel hands them to either worker; ``/metrics``
must add up both (Prometheus multiprocess mode), and a bank entry added through one worker must
be found by lookups whichever worker answers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.service.conftest import PDQ_A
from tests.support.local_http import free_port

LOOKUPS = 60


def _egide(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "egide", *args], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _call(port: int, path: str, token: str, body: object | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, str, Path]]:
    """(port, admin token, metrics folder) of ``egide serve --workers 2`` on a SQLite database."""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = {
        **os.environ,
        "EGIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'egide.db'}",
        "EGIDE_HOME": str(tmp_path / "home"),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    _egide(env, "org", "create", "police-a")
    created = _egide(
        env, "key", "create", "police-a", "-s", "lookup", "-s", "bank:write", "-s", "admin"
    )
    token = next(word for word in created.split() if word.startswith("egide_"))
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "egide",
            "serve",
            "--workers",
            "2",
            "--refresh-seconds",
            "0.5",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).close()
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "egide serve did not start within 120 s"
                time.sleep(0.3)
        yield port, token, metrics_dir
    finally:
        server.terminate()
        server.wait(timeout=30)


def _metric(text: str, name: str) -> float:
    return sum(float(line.split()[-1]) for line in text.splitlines() if line.startswith(name + " "))


def test_two_workers_share_metrics_and_banks(served: tuple[int, str, Path]) -> None:
    port, token, metrics_dir = served
    status, _ = _call(port, "/v1/banks", token, {"name": "list"})
    assert status == 201
    status, _ = _call(
        port, "/v1/banks/list/entries", token, {"entries": [{"signal_type": "pdq", "value": PDQ_A}]}
    )
    assert status == 201
    time.sleep(2.5)  # both workers poll bank revisions every 0.5 s
    found = 0
    for _ in range(LOOKUPS):
        status, body = _call(
            port, "/v1/lookup", token, {"queries": [{"signal_type": "pdq", "value": PDQ_A}]}
        )
        assert status == 200, body
        found += bool(json.loads(body)["results"][0]["hits"])
    assert found == LOOKUPS  # whichever worker answered had the new entry
    # Every worker process writes its own counter file; both answered lookups.
    writers = {path.name for path in metrics_dir.glob("counter_*.db")}
    assert len(writers) >= 2, writers
    status, body = _call(port, "/metrics", token)
    assert status == 200
    text = body.decode()
    assert _metric(text, "egide_lookup_queries_total") == LOOKUPS
    assert _metric(text, "egide_lookup_hits_total") == LOOKUPS
