"""``POST /v1/scans``: only files under the configured roots are read, whatever the path or the
symlinks say; the scan runs in the background and its report comes back through the API."""

from __future__ import annotations

import hashlib
import io
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from sqlalchemy import Engine

from egide.service import audit
from egide.store import session_maker
from tests.service.conftest import Service


def _png(seed: int) -> bytes:
    image = Image.new("RGB", (64, 64))
    for x in range(64):
        for y in range(64):
            image.putpixel((x, y), ((x * seed) % 256, (y * 7 + seed) % 256, (x ^ y) % 256))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _wait(svc: Service, headers: dict[str, str], scan_id: str) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + 60
    while True:
        status = svc.client.get(f"/v1/scans/{scan_id}", headers=headers)
        assert status.status_code == 200, status.text
        if status.json()["state"] in ("done", "failed"):
            return status.json()  # type: ignore[no-any-return]
        assert time.monotonic() < deadline, status.json()
        time.sleep(0.1)


def _layout(tmp_path: Path) -> tuple[Path, Path, bytes]:
    """A root with an image, a nested image and links; a secret folder beside the root."""
    root = tmp_path / "evidence"
    (root / "case1" / "sub").mkdir(parents=True)
    known = _png(3)
    (root / "case1" / "known.png").write_bytes(known)
    (root / "case1" / "sub" / "other.png").write_bytes(_png(5))
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd").write_bytes(b"outside the root")
    (root / "case1" / "escape.txt").symlink_to(secret / "passwd")
    (root / "case1" / "escape-dir").symlink_to(secret, target_is_directory=True)
    (root / "case1" / "inside-link.png").symlink_to(root / "case1" / "known.png")
    (root / "to-secret").symlink_to(secret, target_is_directory=True)
    return root, secret, known


def test_scan_under_root_reports_hits_and_refuses_escaping_links(
    engine: Engine, start_service: Callable[..., Service], tmp_path: Path
) -> None:
    root, _secret, known = _layout(tmp_path)
    svc = start_service(engine, scan_roots=(root,))
    headers = svc.key("police-a")
    svc.client.post("/v1/banks", json={"name": "known"}, headers=headers)
    digest = hashlib.sha256(known).hexdigest()
    svc.client.post(
        "/v1/banks/known/entries",
        json={"entries": [{"signal_type": "sha256", "value": digest}]},
        headers=headers,
    )
    started = svc.client.post("/v1/scans", json={"path": str(root / "case1")}, headers=headers)
    assert started.status_code == 202, started.text
    body = started.json()
    assert body["state"] in ("queued", "running", "done") and body["banks"] == ["known"]
    refused = {Path(r["path"]).name: r["reason"] for r in body["refused"]}
    assert refused == {
        "escape.txt": "symlink leads outside the scan roots",
        "escape-dir": "symlink leads outside the scan roots",
    }
    done = _wait(svc, headers, body["id"])
    assert done["state"] == "done", done
    files = {Path(f["path"]).name: f for f in done["report"]["files"]}
    assert set(files) == {"known.png", "other.png", "inside-link.png"}
    assert [h["bank"] for h in files["known.png"]["hits"]] == ["known"]
    assert [h["bank"] for h in files["inside-link.png"]["hits"]] == ["known"]
    assert files["other.png"]["hits"] == []
    assert "outside the root" not in str(done)
    # Another organisation cannot see the scan; an unknown id is unknown.
    other = svc.key("hotline-b")
    assert svc.client.get(f"/v1/scans/{body['id']}", headers=other).status_code == 404
    assert svc.client.get("/v1/scans/" + "0" * 24, headers=headers).status_code == 404
    with session_maker(engine)() as session:
        actions = [r.action for r in audit.query(session, org_id=None, limit=1000)]
        assert actions.count("scan.start") == 1 and actions.count("scan.finish") == 1
        assert audit.verify_chain(session).ok


def test_paths_outside_the_roots_are_refused(
    lite: Service, start_service: Callable[..., Service], tmp_path: Path
) -> None:
    root, secret, _ = _layout(tmp_path)
    svc = start_service(lite.engine, scan_roots=(root,))
    headers = svc.key("police-a")
    svc.client.post("/v1/banks", json={"name": "b"}, headers=headers)
    for path in (
        str(secret),
        str(secret / "passwd"),
        str(root / ".." / "secret"),  # traversal
        str(root / "case1" / ".." / ".." / "secret" / "passwd"),
        str(root / "to-secret"),  # a symlinked folder leading out
        str(root / "to-secret" / "passwd"),
        str(root / "case1" / "escape.txt"),
        "/etc/passwd",
        str(tmp_path / "does-not-exist"),  # outside: same answer whether it exists or not
        str(root) + "-sibling",  # a prefix of the root's name is not the root
    ):
        refused = svc.client.post("/v1/scans", json={"path": path}, headers=headers)
        assert refused.status_code == 403, (path, refused.text)
        assert "outside the configured scan roots" in refused.json()["error"]["message"]
    relative = svc.client.post("/v1/scans", json={"path": "evidence/case1"}, headers=headers)
    assert relative.status_code == 422 and "not absolute" in relative.text
    missing = svc.client.post(
        "/v1/scans", json={"path": str(root / "nothing-here")}, headers=headers
    )
    assert missing.status_code == 404
    unknown_bank = svc.client.post(
        "/v1/scans", json={"path": str(root), "banks": ["nope"]}, headers=headers
    )
    assert unknown_bank.status_code == 404
    assert not list((tmp_path / "scans").glob("*/status.json"))  # nothing was started


def test_scans_are_off_without_a_root(lite: Service) -> None:
    headers = lite.key("police-a")
    response = lite.client.post("/v1/scans", json={"path": "/tmp"}, headers=headers)
    assert response.status_code == 404
    assert "--scan-root" in response.json()["error"]["message"]
