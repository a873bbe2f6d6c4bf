"""The per-worker key cache: one database check per key when a busy key's entry expires."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from egide.service.errors import Unauthorized
from egide.service.keys import Principal, revoke_key
from egide.store import session_maker
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


def test_a_busy_key_is_rechecked_before_it_expires(lite: Service) -> None:
    """Late in its cache life, a key is re-checked in the background; a revoked key is dropped."""
    headers = lite.key("police-a", ["lookup"])
    token = headers["Authorization"].split()[1]
    state = lite.state
    principal = state.authenticate(token)
    hashed = next(iter(k for k, v in state._auth.items() if v[0] == principal))
    first_expiry = state._auth[hashed][1]
    life = state.settings.auth_cache_seconds
    time.sleep(life * (1 - state.REFRESH_AHEAD) + 0.05)
    assert state.cached_principal(token) == principal  # still served, refresh started
    deadline = time.monotonic() + 5
    while state._auth[hashed][1] == first_expiry:
        assert time.monotonic() < deadline, "no background re-check"
        time.sleep(0.02)
    with session_maker(lite.engine)() as session:
        revoke_key(session, principal.key_prefix, actor="test")
        session.commit()
    time.sleep(life * (1 - state.REFRESH_AHEAD) + 0.05)
    expiry = state._auth[hashed][1]
    state.cached_principal(token)  # starts the re-check, which finds the key revoked
    while state.cached_principal(token) is not None:
        assert time.monotonic() < expiry, "a revoked key stayed cached until it expired"
        time.sleep(0.01)
