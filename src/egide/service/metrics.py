"""Prometheus metrics: requests and latency per route template, lookups and hits.

With several workers, set ``PROMETHEUS_MULTIPROC_DIR`` (``egide serve`` does) so ``/metrics``
adds up every worker, not just the one that answered.
"""

from __future__ import annotations

import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUESTS = Counter("egide_http_requests_total", "HTTP requests", ["route", "status"])
LATENCY = Histogram(
    "egide_http_request_seconds",
    "HTTP request latency",
    ["route"],
    buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1, 5),
)
LOOKUPS = Counter("egide_lookup_queries_total", "Hashes looked up")
HITS = Counter("egide_lookup_hits_total", "Hits returned by lookups")
FAST_LOOKUPS = Counter(
    "egide_lookup_fast_path_total", "POST /v1/lookup requests answered by the ASGI fast path"
)


def observe(template: str, status: int, start: float) -> None:
    """Count a request and its latency (``start`` from ``time.perf_counter``)."""
    REQUESTS.labels(template, str(status)).inc()
    LATENCY.labels(template).observe(time.perf_counter() - start)


def exposition() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


class MetricsMiddleware:
    """Counts and times every request under its route template (never the raw path)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            observe(getattr(scope.get("route"), "path", "unmatched"), status, start)
