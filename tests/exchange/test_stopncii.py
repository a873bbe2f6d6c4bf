"""StopNCII exchange: python-threatexchange's real ``StopNCIIAPI`` against a local server that
follows the FetchHashes contract, faults included."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest
from sqlalchemy import Engine

from egide.banks import create_bank, get_bank, iter_entries
from egide.exchange import (
    ExchangeError,
    add_stopncii_exchange,
    get_exchange,
)
from egide.exchange.stopncii import StopNCIIPages
from egide.store import session_maker
from tests.exchange import _synced as synced
from tests.support.stopncii_server import StopNCIIState, make_records, running

FAST = synced.FAST
KEYS = "fetch-key,sub-key"


@pytest.fixture(autouse=True)
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TX_STOPNCII_KEYS", KEYS)


def subscribe(engine: Engine, base_url: str, page_size: int = 100) -> None:
    with session_maker(engine)() as session:
        create_bank(session, "ncii")
        add_stopncii_exchange(session, "stopncii", "ncii", base_url=base_url, page_size=page_size)
        session.commit()


def sync(engine: Engine) -> Any:
    return synced.sync(engine, "stopncii")


def bank_entries(engine: Engine) -> set[tuple[str, str, str | None]]:
    return synced.bank_entries(engine, "ncii")


def expected(records: list[dict[str, Any]], lost: tuple[int, int] = (0, 0)) -> set[Any]:
    """The bank a full read gives: the latest snapshot of each PDQ and video MD5 hash, if still
    active (VideoTMK is not held)."""
    names = {"ImagePDQ": "pdq", "VideoMD5": "md5"}
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for record in sorted(records, key=lambda r: r["lastModtimestamp"]):
        if lost[0] <= record["lastModtimestamp"] < lost[1]:
            continue
        if record.get("signalType") in names:
            latest[(record["signalType"], record["hashValue"])] = record
    return {
        (names[kind], value, f"stopncii:{kind}:{value}")
        for (kind, value), record in latest.items()
        if record["hashStatus"] not in ("Withdrawn", "Deleted")
    }


def test_sync_reads_every_page_and_counts_skipped_signal_types(engine: Engine) -> None:
    records = make_records(1200)
    records.append({**records[6], "lastModtimestamp": records[-1]["lastModtimestamp"] + 5})
    state = StopNCIIState(records, shuffle_pages=True)
    with running(state) as url:
        subscribe(engine, url)
        result = sync(engine)
    assert bank_entries(engine) == expected(records)
    assert result.skipped_signals == {"StopNCII VideoTMK": 200}
    assert {e[0] for e in bank_entries(engine)} == {"pdq", "md5"}
    assert result.added == len(expected(records)) and result.rejected == 0
    with session_maker(engine)() as session:
        exchange = get_exchange(session, "stopncii")
        stored = json.dumps([exchange.config, exchange.checkpoint])
        assert "fetch-key" not in stored and "sub-key" not in stored
        assert exchange.last_error is None
        entry = next(e for e in iter_entries(session, get_bank(session, "ncii")) if e.extra)
        assert entry.extra is not None and entry.extra["stopncii_status"] in ("Active", "Received")


def test_next_sync_applies_withdrawals_updates_and_is_idempotent(engine: Engine) -> None:
    records = make_records(300)
    state = StopNCIIState(records)
    with running(state) as url:
        subscribe(engine, url)
        sync(engine)
        later = records[-1]["lastModtimestamp"] + 10
        records.append({**records[0], "hashStatus": "Withdrawn", "lastModtimestamp": later})
        records.append({**records[1], "hashStatus": "Deleted", "lastModtimestamp": later})
        feedback = [{"source": "CSP-B", "feedbackValue": "NotBlocked", "tags": []}]
        records.append({**records[2], "CSPFeedbacks": feedback, "lastModtimestamp": later + 1})
        records.append({**records[4], "hashValue": "ab" * 32, "lastModtimestamp": later + 2})
        second = sync(engine)
        assert (second.withdrawn, second.added, second.updated) == (2, 1, 1)
        assert bank_entries(engine) == expected(records)
        third = sync(engine)
        assert (third.added, third.updated, third.withdrawn) == (0, 0, 0)
    assert bank_entries(engine) == expected(records)


def test_faults_are_retried_and_a_poisoned_page_is_skipped_and_recorded(engine: Engine) -> None:
    records = make_records(900)
    poison = records[450]
    records[100] = {**records[100], "signalType": "NotAType"}  # the client drops this record
    records[200] = {**records[200], "hashValue": "not-a-pdq"}
    state = StopNCIIState(
        records, fail_503=6, slow=1, slow_seconds=1.2, poison={poison["hashValue"]}
    )
    with running(state) as url:
        subscribe(engine, url)
        result = sync(engine)
        with session_maker(engine)() as session:
            exchange = get_exchange(session, "stopncii")
            error = exchange.last_error or ""
            [[low, high, reason]] = cast(
                list[list[Any]], (exchange.checkpoint or {})["skipped_spans"]
            )
    assert result.skipped_pages == 1 and "skipped records updated in" in error
    assert "malformed" in reason and low <= poison["lastModtimestamp"] < high
    assert high == poison["lastModtimestamp"] + 1, "the skip ends at the first second that reads"
    assert result.rejected == 2
    good = [r for i, r in enumerate(records) if i not in (100, 200)]
    got = bank_entries(engine)
    assert expected(good, lost=(low, high)) <= got <= expected(good) - expected([poison])


def test_credentials_are_checked_and_never_stored(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = StopNCIIState(make_records(10))
    with running(state) as url:
        subscribe(engine, url)
        monkeypatch.setenv("TX_STOPNCII_KEYS", "fetch-key,wrong")
        with pytest.raises(ExchangeError, match="refused the keys: HTTP 401"):
            sync(engine)
        monkeypatch.setenv("TX_STOPNCII_KEYS", "only-one-part")
        with pytest.raises(ExchangeError, match="FETCH_FUNCTION_KEY,SUBSCRIPTION_KEY"):
            sync(engine)
        monkeypatch.delenv("TX_STOPNCII_KEYS")
        with pytest.raises(ExchangeError, match="holds no StopNCII keys"):
            sync(engine)
        with session_maker(engine)() as session:
            assert "no StopNCII keys" in (get_exchange(session, "stopncii").last_error or "")
    assert bank_entries(engine) == set()


def test_an_unavailable_service_stops_the_sync_which_resumes_later(engine: Engine) -> None:
    records = make_records(400)
    state = StopNCIIState(records, fail_503=1000)
    with running(state) as url:
        subscribe(engine, url)
        with pytest.raises(ExchangeError, match="did not answer"):
            sync(engine)
        state.fail_503 = 0
        result = sync(engine)
    assert result.skipped_pages == 0
    assert bank_entries(engine) == expected(records)


def test_interrupted_sync_resumes_to_the_same_bank(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = make_records(1000)
    state = StopNCIIState(records, shuffle_pages=True)
    calls = {"n": 0}
    real = StopNCIIPages.fetch

    def crash_on_fifth(self: StopNCIIPages, since: int, cursor: str) -> Any:
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt  # a crash between two pages
        return real(self, since, cursor)

    with running(state) as url:
        subscribe(engine, url)
        monkeypatch.setattr(StopNCIIPages, "fetch", crash_on_fifth)
        with pytest.raises(KeyboardInterrupt):
            sync(engine)
        partial = bank_entries(engine)
        assert 0 < len(partial) < len(expected(records))
        with session_maker(engine)() as session:
            assert (get_exchange(session, "stopncii").checkpoint or {})["cursor"]
        sync(engine)
    assert bank_entries(engine) == expected(records)
