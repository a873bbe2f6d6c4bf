"""A taken bank name answers the same 409 whether or not the caller can see the bank, so a
name clash never reveals another organisation's private bank."""

from __future__ import annotations

from tests.service.conftest import Service


def test_name_clash_reveals_nothing(lite: Service) -> None:
    police = lite.key("police-a")
    platform = lite.key("platform-b")
    assert lite.client.post("/v1/banks", json={"name": "secret"}, headers=police).status_code == 201
    assert lite.client.post("/v1/banks", json={"name": "mine"}, headers=platform).status_code == 201
    hidden = lite.client.post("/v1/banks", json={"name": "secret"}, headers=platform)
    visible = lite.client.post("/v1/banks", json={"name": "mine"}, headers=platform)
    assert hidden.status_code == visible.status_code == 409
    assert hidden.json()["error"] == {
        "code": "conflict",
        "message": "bank name 'secret' is not available",
    }
    assert visible.json()["error"]["message"] == "bank name 'mine' is not available"
    # Reading it answers exactly like a bank that does not exist.
    assert lite.client.get("/v1/banks/secret", headers=platform).json() == {
        "error": {"code": "not_found", "message": "no bank named 'secret'"}
    }
