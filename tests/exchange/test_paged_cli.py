"""``egide exchange add --kind stopncii|threatexchange`` and sync as a user types them, and a
StopNCII sync killed with SIGKILL that resumes to the same bank."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from egide.cli import app
from egide.store import Exchange
from tests.support import stopncii_server, threatexchange_server

runner = CliRunner()
STOPNCII = ("exchange", "add", "ncii", "--kind", "stopncii", "--bank", "ncii")
THREATEXCHANGE = ("exchange", "add", "te", "--kind", "threatexchange", "--bank", "te")


def test_add_and_sync_stopncii_and_threatexchange(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'egide.db'}"]
    monkeypatch.setenv("NCII_KEYS", "fetch-key,sub-key")
    monkeypatch.setenv("TX_ACCESS_TOKEN", threatexchange_server.ThreatExchangeState([]).token)
    assert runner.invoke(app, ["bank", "create", "ncii", *db]).exit_code == 0
    assert runner.invoke(app, ["bank", "create", "te", *db]).exit_code == 0
    ncii = stopncii_server.StopNCIIState(stopncii_server.make_records(60))
    te = threatexchange_server.ThreatExchangeState(threatexchange_server.make_updates(70))
    with stopncii_server.running(ncii) as ncii_url, threatexchange_server.running(te) as te_url:
        added = runner.invoke(
            app,
            [*STOPNCII, "--key-env", "NCII_KEYS", "--base-url", ncii_url, "--page-size", "25", *db],
        )
        assert added.exit_code == 0, added.stderr
        missing = runner.invoke(
            app, ["exchange", "add", "te", "--kind", "threatexchange", "--bank", "te", *db]
        )
        assert missing.exit_code == 2 and "--privacy-group" in missing.stderr
        added = runner.invoke(
            app,
            [*THREATEXCHANGE, "--privacy-group", "303", "--base-url", te_url, *db],
        )
        assert added.exit_code == 0, added.stderr
        synced = runner.invoke(app, ["exchange", "sync", "ncii", *db])
        assert synced.exit_code == 0, synced.stderr
        assert "50 added" in synced.stderr and "StopNCII VideoTMK 10" in synced.stderr
        synced = runner.invoke(app, ["exchange", "sync", "te", *db])
        assert synced.exit_code == 0, synced.stderr
        assert "ThreatExchange URI 10" in synced.stderr
        monkeypatch.setenv("NCII_KEYS", "fetch-key,wrong")
        refused = runner.invoke(app, ["exchange", "sync", "ncii", *db])
        assert refused.exit_code == 1 and "refused the keys" in refused.stderr
    listed = runner.invoke(app, ["exchange", "list", *db])
    assert listed.exit_code == 0 and "ncii" in listed.stderr and "te" in listed.stderr
    unknown = runner.invoke(app, ["exchange", "add", "x", "--kind", "moon", "--bank", "te", *db])
    assert unknown.exit_code == 2 and "unknown exchange kind" in unknown.stderr
    feedless = runner.invoke(app, ["exchange", "add", "x", "--bank", "te", *db])
    assert feedless.exit_code == 2 and "--feed" in feedless.stderr


@pytest.mark.slow
def test_stopncii_sync_killed_mid_way_resumes_to_the_same_bank(tmp_path: Path) -> None:
    url_db = f"sqlite:///{tmp_path / 'egide.db'}"
    reference_db = f"sqlite:///{tmp_path / 'reference.db'}"
    env = {**os.environ, "TX_STOPNCII_KEYS": "fetch-key,sub-key"}
    state = stopncii_server.StopNCIIState(stopncii_server.make_records(9_000))

    def egide(*args: str, db: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "egide", *args, "--db", db],
            env=env,
            capture_output=True,
            text=True,
        )

    with stopncii_server.running(state) as url:
        for db in (url_db, reference_db):
            assert egide("bank", "create", "ncii", db=db).returncode == 0
            add = ["exchange", "add", "ncii", "--kind", "stopncii", "--bank", "ncii"]
            assert egide(*add, "--base-url", url, "--page-size", "150", db=db).returncode == 0
        process = subprocess.Popen(
            [sys.executable, "-m", "egide", "exchange", "sync", "ncii", "--db", url_db],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        watcher = create_engine(url_db)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            with watcher.connect() as conn:
                checkpoint = conn.scalar(select(Exchange.checkpoint)) or {}
            if len(state.seen_tokens) >= 20 and checkpoint.get("cursor"):
                break
            time.sleep(0.01)
        assert process.poll() is None, "the sync ended before it could be interrupted"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        resumed = egide("exchange", "sync", "ncii", db=url_db)
        assert resumed.returncode == 0, resumed.stderr
        reference = egide("exchange", "sync", "ncii", db=reference_db)
        assert reference.returncode == 0, reference.stderr
        watcher.dispose()
    rows = "SELECT signal_type, value, media_id, extra FROM bank_entries ORDER BY value"
    got = [tuple(map(str, r)) for r in create_engine(url_db).connect().exec_driver_sql(rows)]
    want = [tuple(map(str, r)) for r in create_engine(reference_db).connect().exec_driver_sql(rows)]
    assert len(want) == 7_500 and got == want
