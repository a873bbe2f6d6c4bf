"""A local stand-in for Meta ThreatExchange's Graph API ``/{privacy_group}/threat_updates/``,
following the contract python-threatexchange's ``ThreatExchangeAPI`` is written against.

Auth: ``access_token`` query parameter (``APP_ID|SECRET``); a wrong one is answered as the Graph
API does, HTTP 400 with an ``OAuthException`` error. Query: ``start_time`` (inclusive),
``stop_time`` (exclusive), ``limit``, ``fields``, ``after`` (cursor). Answer: ``data`` (updates
with ``id``, ``indicator``, ``type``, ``last_updated``, ``should_delete``, ``descriptors``) in
time order, and ``paging.next``: the full link to the next page, token included, while more
remain. An unknown privacy group is a 400 ``GraphMethodException``.

Faults on demand: 503 answers, slow answers (timeouts), updates out of time order within a page,
duplicate updates, tombstones, updates without visible descriptors, and "poison" updates whose
page comes out as a truncated JSON body.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.support.local_http import StandInHandler, serve

APP_ID = 1234567890
TYPES = ("HASH_PDQ", "HASH_MD5", "HASH_PDQ", "HASH_VIDEO_MD5", "HASH_PDQ", "URI", "HASH_MD5")


@dataclass
class ThreatExchangeState:
    updates: list[dict[str, Any]]
    privacy_group: int = 303
    token: str = f"{APP_ID}|abcdefghijklmnopqrstuvwxyz0123"
    fail_503: int = 0
    slow: int = 0
    slow_seconds: float = 2.0
    shuffle_pages: bool = False
    poison: set[str] = field(default_factory=set)  # update ids whose page comes out truncated
    requests: int = 0
    tokens_in_links: int = 0


def descriptor(owner: int, status: str = "MALICIOUS", tags: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "id": str(owner * 1000 + 1),
        "owner": {"id": str(owner)},
        "status": status,
        "tags": {"data": [{"id": str(i), "text": t} for i, t in enumerate(tags)]},
        "reactions": [],
    }


def make_updates(count: int, seed: int = 1, base_time: int = 1_700_000_000) -> list[dict[str, Any]]:
    """Benign synthetic indicators: hashes of numbers, several updates per second."""
    rng = random.Random(seed)
    updates = []
    for n in range(count):
        kind = TYPES[n % len(TYPES)]
        digest = hashlib.sha256(f"te-{seed}-{n}".encode()).hexdigest()
        value = digest if kind == "HASH_PDQ" else digest[:32]
        if kind == "URI":
            value = f"https://example.org/{n}"
        tags = ("media_type_video",) if kind == "HASH_MD5" and n % 3 == 0 else ("shared-list",)
        updates.append(
            {
                "id": str(10_000 + n),
                "indicator": value,
                "type": kind,
                "last_updated": base_time + n // 3 + rng.randrange(2),
                "should_delete": False,
                "descriptors": {"data": [descriptor(5000 + n % 4, tags=tags)]},
            }
        )
    return updates


def _order(update: dict[str, Any]) -> tuple[int, str]:
    return (int(update["last_updated"]), str(update["id"]))


class Handler(StandInHandler):
    state: ThreatExchangeState

    def _error(self, message: str, kind: str, code: int) -> None:
        self._send(400, json.dumps({"error": {"message": message, "type": kind, "code": code}}))

    def do_GET(self) -> None:
        state = self.state
        state.requests += 1
        url = urllib.parse.urlsplit(self.path)
        params = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        if params.get("access_token") != state.token:
            self._error("Invalid OAuth access token.", "OAuthException", 190)
            return
        if url.path.rstrip("/") != f"/v26.0/{state.privacy_group}/threat_updates":
            self._error("Unsupported get request.", "GraphMethodException", 100)
            return
        if state.fail_503 > 0:
            state.fail_503 -= 1
            self._send(503, json.dumps({"error": {"message": "busy", "code": 2}}))
            return
        if state.slow > 0:
            state.slow -= 1
            time.sleep(state.slow_seconds)
        start = int(params.get("start_time") or 0)
        stop = int(params["stop_time"]) if params.get("stop_time") else None
        limit = int(params.get("limit") or 500)
        offset = int(base64.b64decode(params["after"]).decode()) if params.get("after") else 0
        selected = sorted(
            (
                u
                for u in state.updates
                if int(u["last_updated"]) >= start and (stop is None or u["last_updated"] < stop)
            ),
            key=_order,
        )
        page = selected[offset : offset + limit]
        if any(u["id"] in state.poison for u in page):
            self._send(200, json.dumps({"data": page})[:-30])
            return
        if state.shuffle_pages:
            page = page[:]
            random.Random(offset).shuffle(page)
        body: dict[str, Any] = {"data": page}
        if offset + limit < len(selected):
            after = base64.b64encode(str(offset + limit).encode()).decode()
            query = {**params, "after": after}
            base = f"http://{self.headers['Host']}{url.path}"
            body["paging"] = {
                "cursors": {
                    "before": base64.b64encode(str(offset).encode()).decode(),
                    "after": after,
                },
                "next": f"{base}?{urllib.parse.urlencode(query)}",
            }
            state.tokens_in_links += 1
        self._send(200, json.dumps(body))


@contextmanager
def running(state: ThreatExchangeState) -> Iterator[str]:
    """Serve ``state`` on 127.0.0.1; yields the Graph API base URL."""
    with serve(Handler, state, "/v26.0") as url:
        yield url
