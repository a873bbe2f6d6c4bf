"""A raw ASGI fast path for ``POST /v1/lookup`` with a small JSON body of hashes.

Platforms call this route at upload time, thousands of times a second, and most calls match
nothing. Through FastAPI each call pays for its middleware stack, routing, dependency solving
and pydantic validation: together several times what the index search itself costs. The app
(``app.EgideApp``) hands every HTTP request to this class first, and it answers the plain case
itself: the key from the same per-worker cache (``ServiceState.cached_principal``, then
``authenticate``), the same scope check, the same ``lookup_run.hashes_answer`` (visibility,
index search, batched audit and match records), the same JSON bytes and headers, counted and
timed in the same Prometheus metrics under the route's template.

Anything it does not fully understand goes to the FastAPI app untouched, with the body it has
read replayed: another path or method, another content type, a body over ``MAX_BODY``, bad JSON,
any other shape than ``{"queries": [{"signal_type": str, "value": str}, ...]}``, a missing,
unknown or refused key, a key without the ``lookup`` scope, a malformed hash. Every error answer
therefore still comes from the route, byte for byte. The fast answers are not traced by
FastAPI's OpenTelemetry instrumentation (egide does not configure it).
"""

from __future__ import annotations

import logging
import time

import orjson
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from egide.service import metrics
from egide.service.errors import ServiceError
from egide.service.keys import Principal
from egide.service.lookup import Query, parse_query
from egide.service.lookup_run import hashes_answer
from egide.service.responses import error_response
from egide.service.scopes import LOOKUP
from egide.service.state import ServiceState

PATH = "/v1/lookup"
MAX_BODY = 64 * 1024
"""Larger bodies (up to 1,000 hashes is ~100 KiB) go through FastAPI: they are not the hot path."""
MAX_QUERIES = 1000
"""``LookupRequest.queries`` max_length; the HashQuery field limits follow."""
SIGNAL_MAX = 32
VALUE_MAX = 400
QUERY_KEYS = frozenset(("signal_type", "value"))
INTERNAL = "internal error (logged on the server)"
log = logging.getLogger(__name__)


def _queries(body: bytes) -> list[tuple[str, str]] | None:
    """The (signal_type, value) pairs of a body LookupRequest accepts as is; None otherwise."""
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if type(doc) is not dict or len(doc) != 1:
        return None
    items = doc.get("queries")
    if type(items) is not list or not 1 <= len(items) <= MAX_QUERIES:
        return None
    pairs: list[tuple[str, str]] = []
    for item in items:
        if type(item) is not dict or item.keys() != QUERY_KEYS:
            return None
        signal, value = item["signal_type"], item["value"]
        if type(signal) is not str or type(value) is not str:
            return None
        if len(signal) > SIGNAL_MAX or len(value) > VALUE_MAX:
            return None
        pairs.append((signal, value))
    return pairs


def _json_type(value: bytes) -> bool:
    return value.split(b";", 1)[0].strip().lower() == b"application/json"


def _headers(scope: Scope) -> tuple[bool, int | None, str | None]:
    """JSON content type?, declared length, and the first Authorization header (as Starlette)."""
    json_type = False
    length: int | None = None
    authorization: str | None = None
    seen: set[bytes] = set()
    for name, value in scope["headers"]:
        if name in seen:
            continue  # Starlette's Headers.get answers the first of repeated headers
        seen.add(name)
        if name == b"content-type":
            json_type = _json_type(value)
        elif name == b"content-length":
            length = int(value) if value.isdigit() else None
        elif name == b"authorization":
            authorization = value.decode("latin-1")
    return json_type, length, authorization


class LookupFastPath:
    """Answers plain ``POST /v1/lookup`` calls; hands everything else to ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        json_type, length, authorization = _headers(scope)
        if not json_type or length is None or length > MAX_BODY:
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = await self._read(receive, messages)
        if body is None:
            await self.app(scope, _replay(messages, receive), send)
            return
        state: ServiceState = scope["app"].state.service
        who = await _principal(state, authorization)
        pairs = _queries(body) if who is not None else None
        queries = _parsed(pairs) if pairs is not None else None
        if who is None or queries is None:
            await self.app(scope, _replay(messages, receive), send)
            return
        client = scope.get("client")
        try:
            content = await hashes_answer(state, client[0] if client else "", who, queries)
        except ServiceError as exc:  # answered as the route's exception handler would
            await error_response(exc.status, exc.code, exc.message)(scope, receive, send)
            metrics.observe(PATH, exc.status, start)
            return
        except Exception as exc:  # as ServerErrorMiddleware: log, answer 500, raise for the server
            log.exception("unexpected error", exc_info=exc)
            await error_response(500, "internal", INTERNAL)(scope, receive, send)
            metrics.observe(PATH, 500, start)
            raise
        metrics.FAST_LOOKUPS.inc()
        payload = orjson.dumps(content)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-length", str(len(payload)).encode()),
                    (b"content-type", b"application/json"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})
        metrics.observe(PATH, 200, start)

    @staticmethod
    async def _read(receive: Receive, messages: list[Message]) -> bytes | None:
        """The whole body, or None (an oversized body, a disconnect, a failing receive).

        Whatever was received is kept in ``messages`` for the replay; a receive that raised
        (the body limit) is kept as the exception, raised again when the route reads.
        """
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                message = await receive()
            except Exception as exc:
                messages.append({"type": "egide.raise", "exc": exc})
                return None
            messages.append(message)
            if message["type"] != "http.request":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


async def _principal(state: ServiceState, authorization: str | None) -> Principal | None:
    """The caller, if the key is valid and carries the lookup scope; None hands on to FastAPI."""
    scheme, token = get_authorization_scheme_param(authorization)
    if not (authorization and scheme and token) or scheme.lower() != "bearer":
        return None
    who = state.cached_principal(token)
    if who is None:
        try:
            who = await run_in_threadpool(state.authenticate, token)
        except Exception:  # refused or failing: the route answers it (401, 500) as always
            return None
    return who if LOOKUP in who.scopes else None


def _parsed(pairs: list[tuple[str, str]]) -> list[Query] | None:
    try:
        return [parse_query(signal, value) for signal, value in pairs]
    except ServiceError:
        return None


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that gives back ``messages`` first, then reads on from ``receive``."""
    pending = list(messages)

    async def replayed() -> Message:
        if pending:
            message = pending.pop(0)
            if message["type"] == "egide.raise":
                raise message["exc"]
            return message
        return await receive()

    return replayed
