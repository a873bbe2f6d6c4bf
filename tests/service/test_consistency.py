"""Several workers on one database: a change made through one is matchable in another within
5 seconds, by delta (no rebuild, deletions and re-enables included), workers map one shared
index file, and repeated updates keep a worker's memory flat."""

from __future__ import annotations

import gc
import hashlib
import time
import weakref
from collections.abc import Callable

from sqlalchemy import Engine, insert, select

from egide.index import HammingIndex
from egide.store import Bank, BankEntry, session_maker
from tests.service.conftest import PDQ_A, Service


def _pdq(k: int) -> str:
    return f"{k:064x}"


def _spread(k: int) -> str:
    """A PDQ value far (about 128 bits) from every other ``_spread`` value."""
    return hashlib.sha256(str(k).encode()).hexdigest()


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
    rebuilds_at_start = lite.state.registry.rebuilds
    page = lite.client.get("/v1/banks/big/entries?limit=60", headers=headers).json()
    ids = [e["id"] for e in page]

    def update(i: int) -> None:
        if i % 2:  # add one entry: applied as a delta
            lite.client.post(
                "/v1/banks/big/entries",
                json={"entries": [{"signal_type": "pdq", "value": _pdq(900_000 + i)}]},
                headers=headers,
            )
        else:  # delete one: also a delta
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
    assert lite.state.registry.rebuilds == rebuilds_at_start
    assert lite.state.registry.deltas >= 120
    assert after < before * 1.05, (before, after)
    gc.collect()
    alive = {id(index) for ref in refs if (index := ref()) is not None}
    assert len(alive) == 1, "replaced indexes are still referenced"


def test_deletions_and_reenables_are_deltas_in_another_worker(
    engine: Engine, start_service: Callable[..., Service]
) -> None:
    first = start_service(engine)
    second = start_service(engine)
    headers = first.key("police-a")
    first.client.post("/v1/banks", json={"name": "churn"}, headers=headers)
    values = [_spread(k) for k in range(300)] + [PDQ_A]
    first.client.post(
        "/v1/banks/churn/entries",
        json={"entries": [{"signal_type": "pdq", "value": v} for v in values]},
        headers=headers,
    )
    second.refresh()
    assert _found(second, headers, PDQ_A)
    rebuilds = second.state.registry.rebuilds
    ids = {
        e["value"]: e["id"]
        for e in first.client.get("/v1/banks/churn/entries?limit=1000", headers=headers).json()
    }
    # In one refresh interval: one entry disabled, one deleted, one added: counts stay equal.
    first.client.patch(
        f"/v1/banks/churn/entries/{ids[values[0]]}", json={"enabled": False}, headers=headers
    )
    assert (
        first.client.delete(f"/v1/banks/churn/entries/{ids[PDQ_A]}", headers=headers).status_code
        == 204
    )
    first.client.post(
        "/v1/banks/churn/entries",
        json={"entries": [{"signal_type": "pdq", "value": _spread(-77)}]},
        headers=headers,
    )
    second.refresh()
    assert not _found(second, headers, PDQ_A) and not _found(second, headers, values[0])
    assert _found(second, headers, _spread(-77)) and _found(second, headers, values[1])
    # Re-enabled and deleted in the same interval: the live count does not move at all.
    first.client.patch(
        f"/v1/banks/churn/entries/{ids[values[0]]}", json={"enabled": True}, headers=headers
    )
    first.client.delete(f"/v1/banks/churn/entries/{ids[values[2]]}", headers=headers)
    second.refresh()
    assert _found(second, headers, values[0]) and not _found(second, headers, values[2])
    assert second.state.registry.rebuilds == rebuilds
    assert second.state.registry.deltas >= 2


def test_workers_map_one_shared_index_file(
    engine: Engine, start_service: Callable[..., Service]
) -> None:
    first = start_service(engine)
    headers = first.key("police-a")
    first.client.post("/v1/banks", json={"name": "mapped"}, headers=headers)
    with session_maker(engine)() as session:
        bank = session.scalar(select(Bank).where(Bank.name == "mapped"))
        assert bank is not None
        rows = [
            {"bank_id": bank.id, "signal_type": "pdq", "value": _pdq((k + 3) * 0x9E3779B1)}
            for k in range(20_000)
        ]
        session.execute(insert(BankEntry), rows)
        bank.revision += 1
        bank_id = bank.id
        session.commit()
    first.refresh()
    second = start_service(engine)  # starts after the file exists: maps it too
    indexes = [s.state.registry.snapshot.indexes[bank_id] for s in (first, second)]
    for index in indexes:
        assert len(index) == 20_000
        assert index.mapped_bytes >= 20_000 * 32  # codes and tables are in the mapping
    cache = str(first.state.settings.cache_dir)
    with open("/proc/self/maps") as maps:
        mapped = {line.split()[-1] for line in maps if cache in line}
    assert len(mapped) == 1, mapped  # both workers map the same file
