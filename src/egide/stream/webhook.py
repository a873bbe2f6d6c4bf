"""Alerts POSTed to an HTTP endpoint from a background thread, so a slow or failing webhook
never delays detection: a bounded queue (full: the alert is dropped from the webhook and
counted; stdout and the database still have it), retries of 5xx, 408, 429, timeouts and
refused connections with doubling delays, no retry of other 4xx answers."""

from __future__ import annotations

import json
import logging
import queue
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass

log = logging.getLogger("egide.stream.webhook")

_RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass
class WebhookStats:
    delivered: int = 0
    failed: int = 0  # gave up after the last attempt, or refused with a 4xx
    dropped: int = 0  # the queue was full
    retries: int = 0


class WebhookSender:
    def __init__(
        self,
        url: str,
        *,
        attempts: int = 5,
        backoff: float = 0.5,
        backoff_max: float = 10.0,
        timeout: float = 5.0,
        capacity: int = 1000,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"webhook URL must be http:// or https://, got {url!r}")
        self.url = url
        self.attempts = attempts
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.timeout = timeout
        self.stats = WebhookStats()
        self._queue: queue.Queue[dict[str, object] | None] = queue.Queue(maxsize=capacity)
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._run, name="egide-webhook", daemon=True)
        self._thread.start()

    def send(self, payload: dict[str, object]) -> bool:
        """Queue a JSON payload; never blocks. ``False`` when it was dropped."""
        try:
            self._queue.put_nowait(payload)
            return True
        except queue.Full:
            self.stats.dropped += 1
            return False

    def close(self, timeout: float = 10.0) -> None:
        """Deliver what is queued (up to ``timeout`` seconds), then stop."""
        try:
            self._queue.put(None, timeout=timeout)
        except queue.Full:
            self._closing.set()
        self._thread.join(timeout)
        self._closing.set()

    def _run(self) -> None:
        while True:
            payload = self._queue.get()
            if payload is None:
                return
            self._deliver(payload)

    def _deliver(self, payload: dict[str, object]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            retry, reason = self._post(body)
            if not retry and reason is None:
                self.stats.delivered += 1
                return
            if not retry or attempt == self.attempts or self._closing.is_set():
                self.stats.failed += 1
                log.warning("webhook %s: alert not delivered: %s", self.url, reason)
                return
            self.stats.retries += 1
            self._closing.wait(delay)
            delay = min(self.backoff_max, delay * 2)

    def _post(self, body: bytes) -> tuple[bool, str | None]:
        """(retry?, failure reason or ``None`` when delivered)."""
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "egide-watch"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
            return False, None
        except urllib.error.HTTPError as exc:
            return exc.code in _RETRY_STATUSES, f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            return True, f"{type(exc).__name__}: {reason}"
