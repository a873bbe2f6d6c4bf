"""The per-worker key cache: one database check per key when a busy key's entry expires."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from egide.service.errors import Unauthorized
from egide.service.keys import Principal
from tests.service.conftest import Service


def test_concurrent_misses_check_the_database_once(
    lite: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = lite.key("police-a", ["lookup"])["Authorization"].split()[1]
    state = lite.state
    checks: list[str] = []
    check = state._check
    release = threading.Event()

    def slow_check(value: str) -> Principal:
        checks.append(value)
        release.wait(5)  # every other thread arrives while this one is in the database
        return check(value)

    monkeypatch.setattr(state, "_check", slow_check)
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(state.authenticate, token) for _ in range(8)]
        time.sleep(0.3)
        release.set()
        principals = {f.result(timeout=10) for f in futures}
    assert len(checks) == 1
    assert len(principals) == 1 and "lookup" in next(iter(principals)).scopes
    assert state.cached_principal(token) is not None


def test_refused_keys_are_not_cached(lite: Service) -> None:
    with pytest.raises(Unauthorized):
        lite.state.authenticate("egide_000000000000_nope")
    assert lite.state.cached_principal("egide_000000000000_nope") is None
