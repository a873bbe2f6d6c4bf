"""ThreatExchange exchange: python-threatexchange's real ``ThreatExchangeAPI`` against a local
server that follows the Graph API's ``/threat_updates`` contract, faults included."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest
from sqlalchemy import Engine

from egide.banks import create_bank, get_bank, iter_entries
from egide.exchange import (
    ExchangeError,
    add_threatexchange_exchange,
    get_exchange,
)
from egide.exchange.threatexchange import ThreatExchangePages
from egide.store import session_maker
from tests.exchange import _synced as synced
from tests.support.threatexchange_server import (
    ThreatExchangeState,
    descriptor,
    make_updates,
    running,
)

FAST = synced.FAST
TOKEN = ThreatExchangeState([]).token


@pytest.fixture(autouse=True)
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TX_ACCESS_TOKEN", TOKEN)


def subscribe(engine: Engine, base_url: str, group: int = 303, page_size: int = 100) -> None:
    with session_maker(engine)() as session:
        create_bank(session, "te")
        add_threatexchange_exchange(
            session, "te", "te", group, base_url=base_url, page_size=page_size
        )
        session.commit()


def sync(engine: Engine) -> Any:
    return synced.sync(engine, "te")


def bank_entries(engine: Engine) -> set[tuple[str, str, str | None]]:
    return synced.bank_entries(engine, "te")


def expected(updates: list[dict[str, Any]], lost: tuple[int, int] = (0, 0)) -> set[Any]:
    """The bank a full read gives: the latest update of each indicator, if still vouched for."""
    latest: dict[str, dict[str, Any]] = {}
    for update in sorted(updates, key=lambda u: u["last_updated"]):
        if not lost[0] <= update["last_updated"] < lost[1]:
            latest[update["id"]] = update
    out = set()
    for update in latest.values():
        names = {"HASH_PDQ": "pdq", "HASH_MD5": "md5", "HASH_VIDEO_MD5": "md5"}
        name = names.get(update["type"])
        if update["should_delete"] or "descriptors" not in update or name is None:
            continue
        statuses = {d["status"] for d in update["descriptors"]["data"]}
        if statuses == {"NON_MALICIOUS"}:
            continue
        out.add((name, update["indicator"], f"threatexchange:303:{update['id']}"))
    return out


def test_sync_reads_every_page_and_counts_skipped_signal_types(engine: Engine) -> None:
    updates = make_updates(1400)
    updates.append({**updates[0], "last_updated": updates[-1]["last_updated"] + 3})  # duplicate
    state = ThreatExchangeState(updates, shuffle_pages=True)
    with running(state) as url:
        subscribe(engine, url)
        result = sync(engine)
    assert bank_entries(engine) == expected(updates)
    assert {k for k in ("pdq", "md5") if any(e[0] == k for e in expected(updates))} == {
        "pdq",
        "md5",
    }
    assert result.skipped_signals == {"ThreatExchange URI": 200}
    assert result.rejected == 0
    with session_maker(engine)() as session:
        exchange = get_exchange(session, "te")
        assert TOKEN.split("|")[1] not in json.dumps([exchange.config, exchange.checkpoint])
        entry = next(iter(iter_entries(session, get_bank(session, "te"))))
        assert entry.extra is not None
        [opinion] = cast(list[dict[str, Any]], entry.extra["threatexchange_opinions"])
        assert opinion["category"] == "POSITIVE_CLASS"


def test_tombstones_hidden_and_non_malicious_indicators_are_withdrawn(engine: Engine) -> None:
    updates = make_updates(300)
    state = ThreatExchangeState(updates)
    with running(state) as url:
        subscribe(engine, url)
        sync(engine)
        later = updates[-1]["last_updated"] + 10
        updates.append({**updates[0], "should_delete": True, "last_updated": later})
        hidden = {k: v for k, v in updates[2].items() if k != "descriptors"}
        updates.append({**hidden, "should_delete": False, "last_updated": later})
        benign = {"data": [descriptor(5000, status="NON_MALICIOUS")]}
        updates.append({**updates[4], "descriptors": benign, "last_updated": later + 1})
        retag = {"data": [descriptor(5001, tags=("reviewed",))]}
        updates.append({**updates[1], "descriptors": retag, "last_updated": later + 1})
        new = {**updates[6], "id": "999999", "indicator": "cd" * 16, "last_updated": later + 2}
        updates.append(new)
        second = sync(engine)
        assert (second.withdrawn, second.added, second.updated) == (3, 1, 1)
        assert bank_entries(engine) == expected(updates)
        third = sync(engine)
        assert (third.added, third.updated, third.withdrawn) == (0, 0, 0)
    assert bank_entries(engine) == expected(updates)


def test_faults_are_retried_and_a_poisoned_page_is_skipped_and_recorded(engine: Engine) -> None:
    updates = make_updates(900)
    poison = updates[452]
    updates[100] = {k: v for k, v in updates[100].items() if k != "id"}
    updates[100]["id"] = None  # unreadable: rejected, not fatal
    updates[200] = {**updates[200], "indicator": "not-a-hash"}
    state = ThreatExchangeState(
        updates, fail_503=6, slow=1, slow_seconds=1.2, poison={poison["id"]}
    )
    with running(state) as url:
        subscribe(engine, url)
        result = sync(engine)
        with session_maker(engine)() as session:
            exchange = get_exchange(session, "te")
            [[low, high, reason]] = cast(
                list[list[Any]], (exchange.checkpoint or {})["skipped_spans"]
            )
            assert "skipped records updated in" in (exchange.last_error or "")
    assert result.skipped_pages == 1 and "malformed" in reason
    assert high == poison["last_updated"] + 1
    assert result.rejected == 2
    good = [u for i, u in enumerate(updates) if i not in (100, 200)]
    got = bank_entries(engine)
    assert expected(good, lost=(low, high)) <= got <= expected(good) - expected([poison])


def test_token_and_group_are_checked(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    state = ThreatExchangeState(make_updates(10))
    with running(state) as url:
        subscribe(engine, url, group=404)
        with pytest.raises(ExchangeError, match="refused the request: HTTP 400 Unsupported"):
            sync(engine)
        monkeypatch.setenv("TX_ACCESS_TOKEN", "1234567890|wrongwrongwrongwrongwrong")
        with pytest.raises(ExchangeError, match="refused the token"):
            sync(engine)
        monkeypatch.setenv("TX_ACCESS_TOKEN", "nope")
        with pytest.raises(ExchangeError, match=r"APP_ID\|SECRET"):
            sync(engine)
        monkeypatch.delenv("TX_ACCESS_TOKEN")
        with pytest.raises(ExchangeError, match="holds no ThreatExchange token"):
            sync(engine)
    assert bank_entries(engine) == set()


def test_interrupted_sync_resumes_from_the_stored_cursor(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    updates = make_updates(1000)
    state = ThreatExchangeState(updates, shuffle_pages=True)
    calls = {"n": 0}
    real = ThreatExchangePages.fetch

    def crash_on_fifth(self: ThreatExchangePages, since: int, cursor: str) -> Any:
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return real(self, since, cursor)

    with running(state) as url:
        subscribe(engine, url)
        monkeypatch.setattr(ThreatExchangePages, "fetch", crash_on_fifth)
        with pytest.raises(KeyboardInterrupt):
            sync(engine)
        assert 0 < len(bank_entries(engine)) < len(expected(updates))
        with session_maker(engine)() as session:
            cursor = str((get_exchange(session, "te").checkpoint or {})["cursor"])
        assert "after=" in cursor and "access_token" not in cursor
        sync(engine)
    assert bank_entries(engine) == expected(updates)
