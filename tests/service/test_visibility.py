"""Banks are private, shared with listed organisations, or public; invisible ones never leak."""

from __future__ import annotations

from tests.service.conftest import PDQ_A, PDQ_NEAR_A, Service


def _hits(svc: Service, headers: dict[str, str]) -> list[str]:
    response = svc.client.post(
        "/v1/lookup",
        json={"queries": [{"signal_type": "pdq", "value": PDQ_NEAR_A}]},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return [h["bank"] for h in response.json()["results"][0]["hits"]]


def _names(svc: Service, headers: dict[str, str]) -> list[str]:
    return [b["name"] for b in svc.client.get("/v1/banks", headers=headers).json()]


def test_private_shared_public(svc: Service) -> None:
    a, b, c = svc.key("police-a"), svc.key("hotline-b"), svc.key("platform-c")
    assert svc.client.post("/v1/banks", json={"name": "secret"}, headers=a).status_code == 201
    svc.client.post(
        "/v1/banks/secret/entries",
        json={"entries": [{"signal_type": "pdq", "value": PDQ_A}]},
        headers=a,
    )
    svc.refresh()
    assert _hits(svc, a) == ["secret"]
    # Private: B and C neither match it nor see it; unknown and invisible answer alike.
    for other in (b, c):
        assert _hits(svc, other) == []
        assert _names(svc, other) == []
        hidden = svc.client.get("/v1/banks/secret", headers=other)
        missing = svc.client.get("/v1/banks/no-such-bank", headers=other)
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json()["error"]["message"] == "no bank named 'secret'"
        assert svc.client.get("/v1/banks/secret/export", headers=other).status_code == 404
        assert svc.client.get("/v1/banks/secret/entries", headers=other).status_code == 404
    # Shared with B only.
    shared = svc.client.patch(
        "/v1/banks/secret",
        json={"visibility": "shared", "shared_with": ["hotline-b"]},
        headers=a,
    )
    assert shared.status_code == 200 and shared.json()["shared_with"] == ["hotline-b"]
    svc.refresh()
    assert _hits(svc, b) == ["secret"] and _hits(svc, c) == []
    seen_by_b = svc.client.get("/v1/banks/secret", headers=b).json()
    assert seen_by_b["owned"] is False and seen_by_b["shared_with"] is None
    # B may read but not change A's bank.
    write = svc.client.post(
        "/v1/banks/secret/entries",
        json={"entries": [{"signal_type": "md5", "value": "0" * 32}]},
        headers=b,
    )
    assert write.status_code == 403
    assert svc.client.delete("/v1/banks/secret", headers=b).status_code == 403
    # Public: everyone.
    svc.client.patch("/v1/banks/secret", json={"visibility": "public"}, headers=a)
    svc.refresh()
    assert _hits(svc, c) == ["secret"]
    # Private again: C's history no longer names the bank.
    svc.client.patch("/v1/banks/secret", json={"visibility": "private"}, headers=a)
    svc.refresh()
    svc.flush()
    assert _hits(svc, c) == []
    assert svc.client.get("/v1/matches", headers=c).json() == []
    assert len(svc.client.get("/v1/matches", headers=b).json()) == 0  # hidden again from B
    assert len(svc.client.get("/v1/matches", headers=a).json()) == 1


def test_unknown_share_target_is_refused(svc: Service) -> None:
    a = svc.key("police-a")
    response = svc.client.post(
        "/v1/banks",
        json={"name": "x", "visibility": "shared", "shared_with": ["nobody"]},
        headers=a,
    )
    assert response.status_code == 400
    assert "unknown organisation" in response.json()["error"]["message"]
