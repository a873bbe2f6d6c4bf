"""The ASGI fast path of ``POST /v1/lookup`` answers exactly as the FastAPI route does.

Two apps share one database, one with the fast path and one without; every request is sent to
both and the status, headers and body bytes must be identical. The fast path's counter says
which requests it answered itself (the plain ones) and which it handed to FastAPI (the rest).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import REGISTRY
from pydantic import ValidationError
from sqlalchemy import select

from egide.service.fastpath import MAX_BODY, _queries
from egide.service.keys import revoke_key
from egide.service.schemas import LookupRequest
from egide.store import AuditRecord, open_engine, session_maker
from tests.service.conftest import MD5_A, PDQ_A, PDQ_FAR, PDQ_NEAR_A, Service


def _fast_count() -> float:
    return REGISTRY.get_sample_value("egide_lookup_fast_path_total") or 0.0


def _lookup_count() -> float:
    labels = {"route": "/v1/lookup", "status": "200"}
    return REGISTRY.get_sample_value("egide_http_requests_total", labels) or 0.0


@dataclass
class Pair:
    fast: Service
    slow: Service

    def refresh(self) -> None:
        self.fast.refresh()
        self.slow.refresh()

    def post(
        self, headers: dict[str, str], content: bytes, *, answered_fast: bool
    ) -> httpx.Response:
        """Send to both apps; same answer, byte for byte; the fast path took it or not."""
        before = _fast_count()
        fast: httpx.Response = self.fast.client.post("/v1/lookup", content=content, headers=headers)
        assert _fast_count() - before == (1 if answered_fast else 0), fast.text
        slow: httpx.Response = self.slow.client.post("/v1/lookup", content=content, headers=headers)
        assert _fast_count() - before == (1 if answered_fast else 0)
        assert fast.status_code == slow.status_code, (fast.text, slow.text)
        assert fast.content == slow.content
        assert fast.headers.multi_items() == slow.headers.multi_items()
        return fast


@pytest.fixture
def pair(tmp_path: Path, start_service: Callable[..., Service]) -> Iterator[Pair]:
    engine = open_engine(f"sqlite:///{tmp_path / 'pair.db'}")
    yield Pair(start_service(engine), start_service(engine, fast_lookup=False))
    engine.dispose()


JSON = {"Content-Type": "application/json"}


def _body(*pairs: tuple[str, str]) -> bytes:
    return json.dumps({"queries": [{"signal_type": s, "value": v} for s, v in pairs]}).encode()


def _with_bank(pair: Pair, visibility: str = "private") -> dict[str, str]:
    owner = pair.fast.key("police-a") | JSON
    created = pair.fast.client.post(
        "/v1/banks", json={"name": "list", "visibility": visibility}, headers=owner
    )
    assert created.status_code == 201, created.text
    entries = [
        {"signal_type": "pdq", "value": PDQ_A, "category_scheme": "uk-caid", "category": "A"},
        {"signal_type": "md5", "value": MD5_A},
    ]
    added = pair.fast.client.post(
        "/v1/banks/list/entries", json={"entries": entries}, headers=owner
    )
    assert added.status_code == 201, added.text
    pair.refresh()
    return owner


def test_hits_misses_and_batches_answer_alike(pair: Pair) -> None:
    owner = _with_bank(pair)
    before = _lookup_count()
    hit = pair.post(owner, _body(("pdq", PDQ_NEAR_A)), answered_fast=True)
    assert [h["distance"] for h in hit.json()["results"][0]["hits"]] == [1]
    miss = pair.post(owner, _body(("pdq", PDQ_FAR)), answered_fast=True)
    assert miss.json()["results"][0]["hits"] == []
    mixed = _body(("md5", MD5_A.upper()), ("pdq", PDQ_A), ("sha1", "a" * 40))
    assert [len(r["hits"]) for r in pair.post(owner, mixed, answered_fast=True).json()["results"]]
    many = _body(*[("pdq", PDQ_FAR)] * 5, ("pdq", PDQ_A.upper()))  # past the inline limit
    assert pair.post(owner, many, answered_fast=True).json()["results"][-1]["hits"]
    charset = owner | {"Content-Type": "application/json; charset=utf-8"}
    pair.post(charset, _body(("pdq", PDQ_FAR)), answered_fast=True)
    # Metrics count the fast answers under the route's template, as the route's own.
    assert _lookup_count() - before == 10


def test_audit_and_match_history_alike(pair: Pair) -> None:
    owner = _with_bank(pair)
    pair.post(owner, _body(("pdq", PDQ_NEAR_A), ("pdq", PDQ_FAR)), answered_fast=True)
    pair.fast.flush()
    pair.slow.flush()
    with session_maker(pair.fast.engine)() as session:
        records = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "lookup").order_by(AuditRecord.seq)
        ).all()
        fields = [(r.actor, r.target, r.remote, r.org_id) for r in records]
        lookups = [json.loads(r.detail)["lookups"] for r in records]
    assert len(fields) == 2 and fields[0] == fields[1]
    for listed in lookups:  # the same lookup, at its own time in each app
        del listed[0]["at"]
    assert lookups[0] == lookups[1] and lookups[0][0]["hits"] == 1
    history = []
    for svc in (pair.fast, pair.slow):
        rows = svc.client.get("/v1/matches", headers=owner).json()
        history.append([(m["query_value"], m["bank"], m["distance"]) for m in rows])
    assert history[0] == history[1] and len(history[0]) == 2  # both apps' lookups, both seen
    verify = pair.fast.client.get("/v1/audit/verify", headers=owner).json()
    assert verify["ok"] is True


def test_invisible_banks_answer_alike(pair: Pair) -> None:
    _with_bank(pair)
    other = pair.fast.key("hotline-b") | JSON
    query = _body(("pdq", PDQ_NEAR_A), ("md5", MD5_A))
    assert all(not r["hits"] for r in pair.post(other, query, answered_fast=True).json()["results"])
    owner = pair.fast.key("police-a") | JSON
    shared = pair.fast.client.patch(
        "/v1/banks/list", json={"visibility": "shared", "shared_with": ["hotline-b"]}, headers=owner
    )
    assert shared.status_code == 200, shared.text
    pair.refresh()
    results = pair.post(other, query, answered_fast=True).json()["results"]
    assert [len(r["hits"]) for r in results] == [1, 1]


def test_bad_keys_and_missing_scope_answer_alike(pair: Pair) -> None:
    query = _body(("pdq", PDQ_FAR))
    no_lookup = pair.fast.key("police-a", ["bank:read", "hash"])
    revoked = pair.fast.key("police-a", ["lookup"])
    token = revoked["Authorization"].split()[1]
    with session_maker(pair.fast.engine)() as session:
        revoke_key(session, token.split("_")[1], actor="test")
        session.commit()
    for headers, status in [
        ({}, 401),
        ({"Authorization": "Bearer"}, 401),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
        ({"Authorization": "Bearer egide_000000000000_nope"}, 401),
        ({"Authorization": "Bearer not-even-egide"}, 401),
        (revoked, 401),
        (no_lookup, 403),
    ]:
        answer = pair.post(headers | JSON, query, answered_fast=False)
        assert answer.status_code == status, answer.text
    # A valid key is still answered by the fast path, also when its cache entry is new.
    pair.post(pair.fast.key("police-a", ["lookup"]) | JSON, query, answered_fast=True)


BIG = json.dumps({"queries": [{"signal_type": "pdq", "value": PDQ_FAR}] * 1000}).encode()


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        (b'{"queries": [', "application/json", 422),
        (b"", "application/json", 422),
        (b"[]", "application/json", 422),
        (b'{"queries": []}', "application/json", 422),
        (b'{"queries": [{"signal_type": "pdq", "value": 7}]}', "application/json", 422),
        (b'{"queries": [{"signal_type": "pdq"}]}', "application/json", 422),
        (b'{"queries": [{"signal_type": "pdq", "value": "ab", "x": 1}]}', "application/json", 422),
        (b'{"queries": [], "extra": true}', "application/json", 422),
        (b'{"queries": [{"signal_type": "pdq", "value": NaN}]}', "application/json", 422),
        (_body(("pdq", "xyz")), "application/json", 422),
        (_body(("crc32", "00")), "application/json", 422),
        (_body(("photodna", "ab" * 144)), "application/json", 422),
        (_body(("pdq", "a" * 401)), "application/json", 422),
        (_body(("p" * 33, "a")), "application/json", 422),
        (b"\xef\xbb\xbf" + _body(("pdq", PDQ_FAR)), "application/json", 200),  # BOM: json.loads
        (_body(("pdq", PDQ_FAR)).decode().encode("utf-16"), "application/json", 200),
        (_body(("pdq", PDQ_FAR)), "text/plain", 422),
        (_body(("pdq", PDQ_FAR)), "application/vnd.egide+json", 200),
        (BIG, "application/json", 200),  # over the fast path's body size: FastAPI's
    ],
)
def test_malformed_or_unusual_bodies_answer_alike(
    pair: Pair, content: bytes, content_type: str, status: int
) -> None:
    headers = pair.fast.key("police-a") | {"Content-Type": content_type}
    answer = pair.post(headers, content, answered_fast=False)
    assert answer.status_code == status, answer.text
    assert len(BIG) > MAX_BODY


def test_duplicate_keys_and_escapes_answer_alike(pair: Pair) -> None:
    headers = pair.fast.key("police-a") | JSON
    pair.post(
        headers,
        b'{"queries": [{"signal_type": "md5", "value": "x", "value": "'
        + MD5_A.encode()
        + b'"}], "queries": [{"signal_type": "pd\\u0071", "value": "'
        + PDQ_FAR.encode()
        + b'"}]}',
        answered_fast=True,
    )
    lone_surrogate = b'{"queries": [{"signal_type": "pdq", "value": "\\ud800"}]}'
    assert pair.post(headers, lone_surrogate, answered_fast=False).status_code == 422


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)
query_items = st.dictionaries(
    st.sampled_from(["signal_type", "value", "extra"]),
    st.text(max_size=40) | json_values,
    max_size=3,
)
documents = st.one_of(
    json_values,
    st.fixed_dictionaries({"queries": st.lists(query_items, max_size=4)}),
    st.fixed_dictionaries(
        {"queries": st.lists(query_items, max_size=2)}, optional={"other": json_values}
    ),
)


@given(documents)
@settings(max_examples=400, deadline=None)
def test_fast_parser_accepts_only_what_the_route_accepts(document: object) -> None:
    """Whatever the fast parser accepts, the route's model accepts with the same hashes; and
    it accepts every document the model accepts (so plain requests do take the fast path)."""
    body = json.dumps(document).encode()
    fast = _queries(body)
    try:
        model = LookupRequest.model_validate(json.loads(body))
    except ValidationError:
        assert fast is None
        return
    assert fast == [(q.signal_type, q.value) for q in model.queries]
