"""NCMEC exchange: python-threatexchange's real client against a local server that follows the
hash-sharing API's contract, faults included."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine

from egide.banks import create_bank, get_bank
from egide.exchange import NcmecError, add_ncmec_exchange, get_exchange, sync_exchange
from egide.formats import ListEntry
from egide.store import session_maker
from tests.exchange import _synced as synced
from tests.support.ncmec_server import NcmecState, make_entries, running


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NCMEC_PASSWORD", "esp-pass")


def subscribe(engine: Engine, base_url: str) -> None:
    with session_maker(engine)() as session:
        create_bank(session, "ncmec")
        add_ncmec_exchange(
            session, "ncmec-industry", "ncmec", "esp-user", "NCMEC_PASSWORD", base_url=base_url
        )
        session.commit()


def bank_entries(engine: Engine) -> set[tuple[str, str, str | None]]:
    return synced.bank_entries(engine, "ncmec")


def expected(state: NcmecState) -> set[tuple[str, str, str | None]]:
    names = {"md5": "md5", "sha1": "sha1", "pdq": "pdq", "pdna": "photodna"}
    out = set()
    for e in state.entries:
        if e.deleted:
            continue
        for tag, value in e.fingerprints.items():
            if tag in names and value != "not-a-hash":
                if tag == "pdna":
                    import base64

                    value = base64.b64decode(value).hex()
                out.add((names[tag], value, f"ncmec:{e.member_id}:{e.id}"))
    return out


def test_sync_pages_through_everything_out_of_time_order(engine: Engine) -> None:
    state = NcmecState(make_entries(2500), page_size=400)
    with running(state) as url:
        subscribe(engine, url)
        with session_maker(engine)() as session:
            result = sync_exchange(session, "ncmec-industry")
            assert result.rejected == sum(
                1 for e in state.entries if e.fingerprints["md5"] == "not-a-hash"
            )
    assert bank_entries(engine) == expected(state)
    with session_maker(engine)() as session:
        entry = next(iter(get_bank(session, "ncmec").entries))
        assert entry.extra and entry.extra["ncmec_classification"] == "A1"


def test_next_window_applies_updates_and_deletions(engine: Engine) -> None:
    state = NcmecState(make_entries(300), page_size=100)
    with running(state) as url:
        subscribe(engine, url)
        with session_maker(engine)() as session:
            sync_exchange(session, "ncmec-industry")
        time.sleep(1.1)
        now = int(time.time())
        deleted, updated = state.entries[10], state.entries[20]
        state.entries[10] = replace(deleted, deleted=True, timestamp=now)
        state.entries[20] = replace(updated, timestamp=now, fingerprints={"md5": "f" * 32})
        state.entries.append(
            replace(state.entries[30], id="new", timestamp=now, fingerprints={"sha1": "e" * 40})
        )
        time.sleep(1.1)
        with session_maker(engine)() as session:
            result = sync_exchange(session, "ncmec-industry")
        assert result.added == 2 and result.withdrawn >= 2
    assert bank_entries(engine) == expected(state)


def test_faults_retry_skip_a_bad_page_and_record_it(engine: Engine) -> None:
    state = NcmecState(
        make_entries(1000), page_size=200, fail_503=2, drop_connections=1, malformed_starts={401}
    )
    with running(state) as url:
        subscribe(engine, url)
        with session_maker(engine)() as session:
            result = sync_exchange(session, "ncmec-industry")
            assert result.skipped_pages == 1
            error = get_exchange(session, "ncmec-industry").last_error or ""
            assert "skipped 1 page" in error and "start=401" in error
    skipped = replace(state, entries=state.entries[:400] + state.entries[600:])
    assert bank_entries(engine) == expected(skipped)


def test_wrong_credentials_are_a_clear_error(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = NcmecState(make_entries(10))
    with running(state) as url:
        subscribe(engine, url)
        monkeypatch.setenv("NCMEC_PASSWORD", "wrong")
        with session_maker(engine)() as session, pytest.raises(NcmecError, match="401"):
            sync_exchange(session, "ncmec-industry")
        monkeypatch.delenv("NCMEC_PASSWORD")
        with session_maker(engine)() as session, pytest.raises(NcmecError, match="no password"):
            sync_exchange(session, "ncmec-industry")
    assert bank_entries(engine) == set()


def test_unknown_environment_is_refused(engine: Engine) -> None:
    from egide.banks import BankError

    with session_maker(engine)() as session:
        create_bank(session, "b")
        with pytest.raises(BankError, match="unknown NCMEC environment"):
            add_ncmec_exchange(session, "x", "b", "u", "P", environment="Moon")


def test_entries_keep_ncmec_provenance(engine: Engine, tmp_path: Path) -> None:
    from egide.banks import import_entries, sources_of

    state = NcmecState(make_entries(5))
    with running(state) as url:
        subscribe(engine, url)
        with session_maker(engine)() as session:
            bank = get_bank(session, "ncmec")
            md5 = state.entries[1].fingerprints["md5"]
            import_entries(session, bank, [ListEntry("md5", md5)], source="icse")
            sync_exchange(session, "ncmec-industry")
            [entry] = [e for e in bank.entries if e.value == md5]
            assert sources_of(session, entry.id) == ["exchange:ncmec-industry", "icse"]


@pytest.mark.slow
def test_sync_killed_mid_way_resumes_to_the_same_bank(database_url: str) -> None:
    import os
    import signal
    import subprocess
    import sys

    from sqlalchemy import create_engine, select

    from egide.store import Exchange, open_engine

    state = NcmecState(make_entries(12_000), page_size=400)
    engine = open_engine(database_url)
    with running(state) as url:
        subscribe(engine, url)
        command = [
            sys.executable,
            "-m",
            "egide",
            "exchange",
            "sync",
            "ncmec-industry",
            "--db",
            database_url,
        ]
        env = {**os.environ, "NCMEC_PASSWORD": "esp-pass"}
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        watcher = create_engine(engine.url)
        deadline = time.monotonic() + 120
        position = ""
        while time.monotonic() < deadline and process.poll() is None:
            with watcher.connect() as conn:
                checkpoint = conn.scalar(select(Exchange.checkpoint)) or {}
            position = str(checkpoint.get("next", ""))
            if "start=4001" in position:
                break
            time.sleep(0.01)
        assert process.poll() is None, "the sync ended before it could be interrupted"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert 0 < len(bank_entries(engine)) < len(expected(state))
        resumed = subprocess.run(command, env=env, capture_output=True, text=True)
        assert resumed.returncode == 0, resumed.stderr
        watcher.dispose()
    assert bank_entries(engine) == expected(state)
    engine.dispose()
