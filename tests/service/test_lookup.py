"""Lookups by hash and by upload, bank entry management, import/export: SQLite and PostgreSQL."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from tests.service.conftest import MD5_A, PDQ_A, PDQ_FAR, PDQ_NEAR_A, Service


def _bank_with_entries(svc: Service, headers: dict[str, str], name: str = "list") -> None:
    created = svc.client.post("/v1/banks", json={"name": name}, headers=headers)
    assert created.status_code == 201, created.text
    added = svc.client.post(
        f"/v1/banks/{name}/entries",
        json={
            "entries": [
                {
                    "signal_type": "pdq",
                    "value": PDQ_A,
                    "category_scheme": "uk-caid",
                    "category": "A",
                    "series": "s1",
                },
                {"signal_type": "md5", "value": MD5_A.upper()},
            ]
        },
        headers=headers,
    )
    assert added.status_code == 201, added.text
    assert added.json()["added"] == 2
    svc.refresh()


def _lookup(svc: Service, headers: dict[str, str], *pairs: tuple[str, str]) -> list[dict[str, Any]]:
    response = svc.client.post(
        "/v1/lookup",
        json={"queries": [{"signal_type": s, "value": v} for s, v in pairs]},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_lookup_single_and_batch(svc: Service) -> None:
    headers = svc.key("police-a")
    _bank_with_entries(svc, headers)
    [near] = _lookup(svc, headers, ("pdq", PDQ_NEAR_A))
    assert [(h["bank"], h["distance"]) for h in near["hits"]] == [("list", 1)]
    assert near["hits"][0]["category"]["scheme"] == "uk-caid"
    results = _lookup(svc, headers, ("md5", MD5_A), ("pdq", PDQ_FAR), ("sha1", "a" * 40))
    assert [len(r["hits"]) for r in results] == [1, 0, 0]
    svc.flush()
    history = svc.client.get("/v1/matches", headers=headers).json()
    assert {(m["query_signal"], m["bank"]) for m in history} == {("pdq", "list"), ("md5", "list")}


def test_bad_hashes_get_clear_422(svc: Service) -> None:
    headers = svc.key("police-a")
    for query, needle in [
        ({"signal_type": "pdq", "value": "xyz"}, "not a valid pdq value"),
        ({"signal_type": "crc32", "value": "00"}, "unknown signal type"),
        ({"signal_type": "photodna", "value": "ab" * 144}, "cannot be matched"),
    ]:
        response = svc.client.post("/v1/lookup", json={"queries": [query]}, headers=headers)
        assert response.status_code == 422, response.text
        assert needle in response.json()["error"]["message"]
    empty = svc.client.post("/v1/lookup", json={"queries": []}, headers=headers)
    assert empty.status_code == 422
    unknown = svc.client.get("/v1/banks/nope", headers=headers)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["message"] == "no bank named 'nope'"


def _png(color: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (64, 64), color)
    for x in range(64):
        for y in range(0, 64, 2):
            image.putpixel((x, y), (x * 4 % 256, y * 4 % 256, 128))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_hash_and_file_lookup(svc: Service) -> None:
    headers = svc.key("police-a")
    svc.client.post("/v1/banks", json={"name": "files"}, headers=headers)
    data = _png((10, 200, 30))
    record = svc.client.post(
        "/v1/hash", files={"file": ("a.png", data, "image/png")}, headers=headers
    ).json()
    assert record["kind"] == "image" and len(record["pdq"]) == 64
    svc.client.post(
        "/v1/banks/files/entries",
        json={"entries": [{"signal_type": "sha256", "value": record["sha256"]}]},
        headers=headers,
    )
    svc.refresh()
    found = svc.client.post(
        "/v1/lookup/file", files={"file": ("b.png", data, "image/png")}, headers=headers
    )
    assert found.status_code == 200, found.text
    assert found.json()["hashes"]["sha256"] == record["sha256"]
    assert [h["signal_type"] for h in found.json()["hits"]] == ["sha256"]
    text = svc.client.post(
        "/v1/hash", files={"file": ("n.txt", b"hello", "text/plain")}, headers=headers
    )
    assert text.status_code == 415, text.text
    assert text.json()["error"]["code"] == "unsupported_media"
    assert "n.txt" in text.json()["error"]["message"]
    broken = svc.client.post(
        "/v1/lookup/file", files={"file": ("c.png", data[:200], "image/png")}, headers=headers
    )
    assert broken.status_code == 422, broken.text
    assert "c.png" in broken.json()["error"]["message"] or "cannot hash" in broken.text


def test_upload_limit(engine, start_service) -> None:  # type: ignore[no-untyped-def]
    svc = start_service(engine, max_upload_bytes=1000)
    headers = svc.key("police-a")
    response = svc.client.post(
        "/v1/hash",
        files={"file": ("big.bin", b"x" * 200_000, "application/octet-stream")},
        headers=headers,
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_entries_enable_disable_remove(svc: Service) -> None:
    headers = svc.key("police-a")
    _bank_with_entries(svc, headers)
    entries = svc.client.get("/v1/banks/list/entries", headers=headers).json()
    pdq_id = next(e["id"] for e in entries if e["signal_type"] == "pdq")
    off = svc.client.patch(
        f"/v1/banks/list/entries/{pdq_id}", json={"enabled": False}, headers=headers
    )
    assert off.status_code == 200 and off.json()["enabled"] is False
    svc.refresh()
    assert _lookup(svc, headers, ("pdq", PDQ_A))[0]["hits"] == []
    svc.client.patch(f"/v1/banks/list/entries/{pdq_id}", json={"enabled": True}, headers=headers)
    svc.refresh()
    assert len(_lookup(svc, headers, ("pdq", PDQ_A))[0]["hits"]) == 1
    assert svc.client.delete(f"/v1/banks/list/entries/{pdq_id}", headers=headers).status_code == 204
    svc.refresh()
    assert _lookup(svc, headers, ("pdq", PDQ_A))[0]["hits"] == []
    assert (
        svc.client.patch("/v1/banks/list", json={"enabled": False}, headers=headers).json()[
            "enabled"
        ]
        is False
    )
    svc.refresh()
    assert _lookup(svc, headers, ("md5", MD5_A))[0]["hits"] == []
    assert svc.client.delete("/v1/banks/list", headers=headers).status_code == 204
    assert svc.client.get("/v1/banks/list", headers=headers).status_code == 404


def test_import_and_export(svc: Service) -> None:
    headers = svc.key("police-a")
    svc.client.post("/v1/banks", json={"name": "imp"}, headers=headers)
    csv = (
        "signal_type,value,category_scheme,category,series\n"
        f"pdq,{PDQ_A},uk-caid,B,s\n"
        f"md5,{MD5_A},,,\n"
        "md5,not-a-hash,,,\n"
    )
    result = svc.client.post(
        "/v1/banks/imp/import",
        files={"file": ("l.csv", csv.encode(), "text/csv")},
        headers=headers,
    )
    assert result.status_code == 200, result.text
    body = result.json()
    assert (body["added"], body["rejected"]) == (2, 1)
    assert "line 4" in body["errors"][0]
    bad_format = svc.client.post(
        "/v1/banks/imp/import?format=nope",
        files={"file": ("l", b"", "text/plain")},
        headers=headers,
    )
    assert bad_format.status_code == 400
    exported = svc.client.get("/v1/banks/imp/export", headers=headers)
    assert exported.status_code == 200
    assert PDQ_A in exported.text and MD5_A in exported.text
    svc.refresh()
    assert len(_lookup(svc, headers, ("pdq", PDQ_NEAR_A))[0]["hits"]) == 1
