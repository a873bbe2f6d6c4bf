"""Every route of the OpenAPI document needs a key (except /health) and exactly one scope."""

from __future__ import annotations

import re

from tests.service.conftest import ALL, Service


def _routes(lite: Service) -> list[tuple[str, str]]:
    doc = lite.client.get("/openapi.json").json()
    routes: list[tuple[str, str]] = []
    for path, methods in doc["paths"].items():
        concrete = re.sub(r"\{entry_id\}", "1", re.sub(r"\{name\}", "some-bank", path))
        routes.extend((method.upper(), concrete) for method in methods)
    return routes


def test_every_route_needs_a_key_and_its_scope(lite: Service) -> None:
    routes = _routes(lite)
    assert len(routes) >= 15
    keys = {scope: lite.key("org-a", [scope]) for scope in ALL}
    bad = {"Authorization": "Bearer egide_nothing_here"}
    for method, path in routes:
        if path == "/health":
            assert lite.client.request(method, path).status_code == 200
            continue
        none = lite.client.request(method, path)
        assert none.status_code == 401, (method, path, none.text)
        assert none.json()["error"]["code"] == "unauthorized"
        assert lite.client.request(method, path, headers=bad).status_code == 401, (method, path)
        refused = [
            s for s in ALL if lite.client.request(method, path, headers=keys[s]).status_code == 403
        ]
        # Exactly one scope opens the route; a key with any other single scope gets 403.
        assert len(refused) == len(ALL) - 1, (method, path, refused)


def test_revoked_and_expired_keys_are_refused(lite: Service) -> None:
    from datetime import UTC, datetime, timedelta

    from egide.service.keys import create_key, revoke_key
    from egide.service.orgs import create_org
    from egide.store import session_maker

    with session_maker(lite.engine)() as session:
        org = create_org(session, "org-x")
        token, key = create_key(session, org, ["bank:read"])
        old, _ = create_key(
            session, org, ["bank:read"], expires_at=datetime.now(UTC) - timedelta(seconds=1)
        )
        session.commit()
    ok = {"Authorization": f"Bearer {token}"}
    assert lite.client.get("/v1/banks", headers=ok).status_code == 200
    assert (
        lite.client.get("/v1/banks", headers={"Authorization": f"Bearer {old}"}).status_code == 401
    )
    with session_maker(lite.engine)() as session:
        revoke_key(session, key.prefix)
        session.commit()
    lite.state._auth.clear()  # what auth_cache_seconds does on its own
    refused = lite.client.get("/v1/banks", headers=ok)
    assert refused.status_code == 401
    assert "revoked" in refused.json()["error"]["message"]
