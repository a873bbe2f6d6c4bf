"""A local stand-in for NCMEC's hash-sharing API v2 (XML), following its documented contract.

Basic authentication; ``/v2/status``; ``/v2/entries?from&to`` paged by id ranges with a
``<paging><next>`` link (``start``, ``size``, ``max``); entries are served in id order, which is
not time order, as NCMEC does; deletions come as ``deletedImage``/``deletedVideo`` tombstones.
Faults on demand: 503 answers, dropped connections, and malformed pages.
"""

from __future__ import annotations

import base64
import hashlib
import random
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from tests.support.local_http import StandInHandler, serve

NS = "https://hashsharing.ncmec.org/hashsharing/v2"
FORMAT = "%Y-%m-%dT%H:%M:%SZ"


@dataclass
class NcmecEntry:
    id: str
    member_id: int
    kind: str  # image | video
    timestamp: int
    fingerprints: dict[str, str]
    classification: str | None = "A1"
    deleted: bool = False


@dataclass
class NcmecState:
    entries: list[NcmecEntry]
    username: str = "esp-user"
    password: str = "esp-pass"
    page_size: int = 1000
    fail_503: int = 0
    drop_connections: int = 0
    malformed_starts: set[int] = field(default_factory=set)
    requests: int = 0


def fingerprints_for(n: int, rng: random.Random) -> dict[str, str]:
    seed = str(n).encode()
    prints = {"md5": hashlib.md5(seed).hexdigest(), "sha1": hashlib.sha1(seed).hexdigest()}
    if n % 3 == 0:
        prints["pdq"] = hashlib.sha256(seed).hexdigest()
    if n % 5 == 0:
        prints["pdna"] = base64.b64encode(hashlib.sha512(seed).digest() * 2 + bytes(16)).decode()
    if n % 7 == 0:
        prints["netclean"] = "opaque-value"
    if rng.random() < 0.01:
        prints["md5"] = "not-a-hash"
    return prints


def make_entries(count: int, seed: int = 1, base_time: int = 1_700_000_000) -> list[NcmecEntry]:
    rng = random.Random(seed)
    return [
        NcmecEntry(
            id=f"e{n}",
            member_id=40 + n % 3,
            kind="video" if n % 11 == 0 else "image",
            timestamp=base_time + rng.randrange(1_000_000),
            fingerprints=fingerprints_for(n, rng),
        )
        for n in range(count)
    ]


def _entry_xml(entry: NcmecEntry) -> str:
    tag = ("deleted" + entry.kind.capitalize()) if entry.deleted else entry.kind
    stamp = datetime.fromtimestamp(entry.timestamp, UTC).strftime(FORMAT)
    body = f'<member id="{entry.member_id}">Member {entry.member_id}</member>'
    body += f"<timestamp>{stamp}</timestamp><id>{escape(entry.id)}</id>"
    if not entry.deleted:
        if entry.classification:
            body += f"<classification>{entry.classification}</classification>"
        prints = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in entry.fingerprints.items())
        body += f"<fingerprints>{prints}</fingerprints>"
    return f"<{tag}>{body}</{tag}>"


def _group(kind: str, entries: list[NcmecEntry]) -> str:
    if not entries:
        return ""
    top = datetime.fromtimestamp(max(e.timestamp for e in entries), UTC).strftime(FORMAT)
    inner = "".join(_entry_xml(e) for e in entries)
    return f'<{kind}s count="{len(entries)}" maxTimestamp="{top}">{inner}</{kind}s>'


class Handler(StandInHandler):
    state: NcmecState

    def _authorised(self) -> bool:
        expected = base64.b64encode(
            f"{self.state.username}:{self.state.password}".encode()
        ).decode()
        return self.headers.get("Authorization") == f"Basic {expected}"

    content_type = "application/xml"

    def do_GET(self) -> None:
        state = self.state
        state.requests += 1
        if not self._authorised():
            self._send(401, "<error>unauthorised</error>")
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/v2/status":
            self._send(200, f'<status xmlns="{NS}"><member id="1">Test ESP</member></status>')
            return
        if url.path != "/v2/entries":
            self._send(404, "<error>not found</error>")
            return
        if state.fail_503 > 0:
            state.fail_503 -= 1
            self._send(503, "<error>busy</error>")
            return
        if state.drop_connections > 0:
            state.drop_connections -= 1
            self.close_connection = True
            self.connection.shutdown(2)
            return
        params = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        low = int(datetime.strptime(params["from"], FORMAT).replace(tzinfo=UTC).timestamp())
        high = int(datetime.strptime(params["to"], FORMAT).replace(tzinfo=UTC).timestamp())
        window = [e for e in state.entries if low < e.timestamp <= high]
        start = int(params.get("start", 1))
        size = int(params.get("size", state.page_size))
        if start in state.malformed_starts:
            self._send(200, "<queryResult><images count='1'><image><id>broken")
            return
        page = window[start - 1 : start - 1 + size]
        body = _group("image", [e for e in page if e.kind == "image"])
        body += _group("video", [e for e in page if e.kind == "video"])
        if start - 1 + size < len(window):
            query = urllib.parse.urlencode(
                {
                    "from": params["from"],
                    "to": params["to"],
                    "start": start + size,
                    "size": size,
                    "max": len(window),
                }
            )
            body += f"<paging><next>{escape('/v2/entries?' + query)}</next></paging>"
        self._send(200, f'<?xml version="1.0"?><queryResult xmlns="{NS}">{body}</queryResult>')


@contextmanager
def running(state: NcmecState) -> Iterator[str]:
    """Serve ``state`` on 127.0.0.1; yields the base URL."""
    with serve(Handler, state, "") as url:
        yield url
