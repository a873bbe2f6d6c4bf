"""A local stand-in for StopNCII.org's hash API (``GET /v1/FetchHashes``), following the contract
python-threatexchange's ``StopNCIIAPI`` is written against.

Auth: ``x-functions-key`` and ``Ocp-Apim-Subscription-Key`` headers (401 otherwise). Query:
``startTimestamp`` (records last modified at or after it), ``pageSize``, ``nextPageToken`` (an
opaque cursor). Answer: ``count``, ``hashRecords`` (``lastModtimestamp``, ``signalType``,
``hashValue``, ``hashStatus``, ``caseNumbers``, ``CSPFeedbacks``), ``hasMoreRecords``,
``nextPageToken``, ``nextSetTimestamp`` (the time to store as a checkpoint). A record is a
snapshot; ``hashStatus`` Withdrawn or Deleted means the hash must be removed.

Faults on demand: 503 answers, slow answers (timeouts), records listed out of time order within a
page, duplicate records, records the client cannot read, and "poison" records whose page the
server cannot serialise (a truncated JSON body), as in the stall of the reference matcher.
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

SIGNALS = ("ImagePDQ", "ImagePDQ", "ImagePDQ", "VideoMD5", "ImagePDQ", "VideoTMK")


@dataclass
class StopNCIIState:
    records: list[dict[str, Any]]
    fetch_key: str = "fetch-key"
    subscription_key: str = "sub-key"
    page_size_cap: int = 1000
    fail_503: int = 0
    slow: int = 0  # how many requests answer after ``slow_seconds``
    slow_seconds: float = 2.0
    shuffle_pages: bool = False
    poison: set[str] = field(default_factory=set)  # hash values whose page comes out truncated
    requests: int = 0
    seen_tokens: list[str] = field(default_factory=list)


def make_records(count: int, seed: int = 1, base_time: int = 1_700_000_000) -> list[dict[str, Any]]:
    """Benign synthetic records: hashes of numbers, several records per second."""
    rng = random.Random(seed)
    records = []
    for n in range(count):
        kind = SIGNALS[n % len(SIGNALS)]
        digest = hashlib.sha256(f"stopncii-{seed}-{n}".encode()).hexdigest()
        value = digest if kind == "ImagePDQ" else digest[:32]
        status = "Active" if n % 4 else "Received"
        feedbacks = (
            [{"source": "CSP-A", "feedbackValue": "Blocked", "tags": ["t1"]}] if n % 5 == 0 else []
        )
        records.append(
            {
                "lastModtimestamp": base_time + n // 3 + rng.randrange(2),
                "signalType": kind,
                "hashValue": value,
                "hashStatus": status,
                "caseNumbers": {f"case-{n}": status},
                "CSPFeedbacks": feedbacks,
            }
        )
    return records


def _key(record: dict[str, Any]) -> tuple[int, str, str]:
    return (
        int(record.get("lastModtimestamp", 0)),
        str(record.get("signalType")),
        str(record.get("hashValue")),
    )


def _token(start: int, offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([start, offset]).encode()).decode()


class Handler(StandInHandler):
    state: StopNCIIState

    def do_GET(self) -> None:
        state = self.state
        state.requests += 1
        if (
            self.headers.get("x-functions-key") != state.fetch_key
            or self.headers.get("Ocp-Apim-Subscription-Key") != state.subscription_key
        ):
            self._send(401, json.dumps({"statusCode": 401, "message": "Access denied"}))
            return
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/v1/FetchHashes":
            self._send(404, json.dumps({"message": "not found"}))
            return
        if state.fail_503 > 0:
            state.fail_503 -= 1
            self._send(503, json.dumps({"message": "busy"}))
            return
        if state.slow > 0:
            state.slow -= 1
            time.sleep(state.slow_seconds)
        params = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        start = int(params.get("startTimestamp", 10))
        size = min(int(params.get("pageSize", 800)), state.page_size_cap)
        offset = 0
        if params.get("nextPageToken"):
            state.seen_tokens.append(params["nextPageToken"])
            try:
                token_start, offset = json.loads(base64.urlsafe_b64decode(params["nextPageToken"]))
            except ValueError:
                self._send(400, json.dumps({"message": "invalid nextPageToken"}))
                return
            if token_start != start:
                self._send(400, json.dumps({"message": "nextPageToken of another query"}))
                return
        selected = sorted((r for r in state.records if _key(r)[0] >= start), key=_key)
        page = selected[offset : offset + size]
        more = offset + size < len(selected)
        if any(r.get("hashValue") in state.poison for r in page):
            self._send(200, json.dumps({"count": len(page), "hashRecords": page})[:-40])
            return
        if state.shuffle_pages:
            page = page[:]
            random.Random(offset).shuffle(page)
        body = {
            "count": len(page),
            "hashRecords": page,
            "hasMoreRecords": more,
            "nextPageToken": _token(start, offset + size) if more else None,
            "nextSetTimestamp": max((_key(r)[0] for r in page), default=start),
        }
        self._send(200, json.dumps(body))


@contextmanager
def running(state: StopNCIIState) -> Iterator[str]:
    """Serve ``state`` on 127.0.0.1; yields the base URL (``.../v1``)."""
    with serve(Handler, state, "/v1") as url:
        yield url
