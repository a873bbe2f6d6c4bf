"""Several workers on one database: a change made through one is matchable in another within
5 seconds, by delta (no rebuild), and repeated updates keep a worker's memory flat."""

from __future__ import annotations

import gc
import time
import weakref
from collections.abc import Callable

from sqlalchemy import Engine, insert, select

from egide.index import HammingIndex
from egide.store import Bank, BankEntry, session_maker
from tests.service.conftest import PDQ_A, Service


def _pdq(k: int) -> str:
    return f"{k:064x}"


def _found(svc: Service, headers: dict[str, str], value: str) -> bool:
    response = svc.client.post(
        "/v1/lookup", json={"queries": [{"signal_type": "pdq", "value": value}]}, headers=headers
    )
    return bool(response.json()["results"][0]["hits"])


def test_entry_added_in_one_worker_matches_in_another(
    engine: Engine, start_service: Callable[..., Service]
) -> None:
    first = start_service(engine, refresh_seconds=0.2)
    second = start_service(engine, refresh_seconds=0.2)
    headers = first.key("police-a")
    first.client.post("/v1/banks", json={"name": "shared-list"}, headers=headers)
    seed = [{"signal_type": "pdq", "value": _pdq(k * 7919 + 1)} for k in range(100)]
    first.client.post("/v1/banks/shared-list/entries", json={"entries": seed}, headers=headers)
    deadline = time.monotonic() + 5
    while not _found(second, headers, seed[0]["value"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    rebuilds = second.state.registry.rebuilds
    assert not _found(second, headers, PDQ_A)
    start = time.monotonic()
    added = first.client.post(
        "/v1/banks/shared-list/entries",
        json={"entries": [{"signal_type": "pdq", "value": PDQ_A}]},
        headers=headers,
    )
    assert added.status_code == 201
    while not _found(second, headers, PDQ_A):
        assert time.monotonic() - start < 5, "not matchable in the other worker within 5 s"
        time.sleep(0.05)
    assert second.state.registry.rebuilds == rebuilds  # applied as a delta


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_memory_flat_over_100_updates(lite: Service) -> None:
    headers = lite.key("police-a")
    lite.client.post("/v1/banks", json={"name": "big"}, headers=headers)
    with session_maker(lite.engine)() as session:  # bulk-load directly: the API path is tested
        bank = session.scalar(select(Bank).where(Bank.name == "big"))
        assert bank is not None
        rows = [
            {"bank_id": bank.id, "signal_type": "pdq", "value": _pdq(k + 1)} for k in range(2_000)
        ]
        session.execute(insert(BankEntry), rows)
        bank.revision += 1
        bank_id = bank.id
        session.commit()
    lite.refresh()
    page = lite.client.get("/v1/banks/big/entries?limit=60", headers=headers).json()
    ids = [e["id"] for e in page]

    def update(i: int) -> None:
        if i % 2:  # add one entry: applied as a delta
            lite.client.post(
                "/v1/banks/big/entries",
                json={"entries": [{"signal_type": "pdq", "value": _pdq(900_000 + i)}]},
                headers=headers,
            )
        else:  # delete one: the bank's index is rebuilt
            lite.client.delete(f"/v1/banks/big/entries/{ids[i // 2]}", headers=headers)
        lite.refresh()
        refs.append(weakref.ref(lite.state.registry.snapshot.indexes[bank_id]))

    refs: list[weakref.ref[HammingIndex]] = []
    for i in range(20):  # warm-up: allocator pools, JIT, caches
        update(i)
    before = _rss_kib()
    for i in range(20, 120):
        update(i)
    after = _rss_kib()
    assert lite.state.registry.rebuilds >= 50 and lite.state.registry.deltas >= 50
    assert after < before * 1.05, (before, after)
    gc.collect()
    alive = {id(index) for ref in refs if (index := ref()) is not None}
    assert len(alive) == 1, "replaced indexes are still referenced"
