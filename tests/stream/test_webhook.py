"""Webhook delivery: retried on 5xx, not on 4xx, never blocking the caller."""

from __future__ import annotations

import socket
import time

import pytest

from egide.stream import WebhookSender
from tests.support.live_streams import WebhookReceiver, free_port


def wait_until(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_5xx_is_retried_until_delivered() -> None:
    receiver = WebhookReceiver(fail_first=2)
    sender = WebhookSender(receiver.url, backoff=0.05)
    try:
        assert sender.send({"type": "alert", "n": 1})
        sender.close()
    finally:
        receiver.close()
    assert receiver.statuses == [503, 503, 204]
    assert receiver.received == [{"type": "alert", "n": 1}]
    assert (sender.stats.delivered, sender.stats.retries, sender.stats.failed) == (1, 2, 0)


def test_gives_up_after_the_last_attempt_and_goes_on() -> None:
    receiver = WebhookReceiver(fail_first=100)
    sender = WebhookSender(receiver.url, attempts=3, backoff=0.01)
    try:
        sender.send({"n": 1})
        sender.send({"n": 2})
        sender.close()
    finally:
        receiver.close()
    assert receiver.statuses == [503] * 6
    assert sender.stats.failed == 2


def test_4xx_is_not_retried() -> None:
    receiver = WebhookReceiver(fail_first=1, fail_status=400)
    sender = WebhookSender(receiver.url, backoff=0.01)
    try:
        sender.send({"n": 1})
        sender.send({"n": 2})
        sender.close()
    finally:
        receiver.close()
    assert receiver.statuses == [400, 204]
    assert (sender.stats.failed, sender.stats.retries, sender.stats.delivered) == (1, 0, 1)


def test_unreachable_webhook_never_blocks_detection() -> None:
    sender = WebhookSender(
        f"http://127.0.0.1:{free_port(socket.SOCK_STREAM)}/x", backoff=5.0, capacity=2
    )
    started = time.monotonic()
    results = [sender.send({"n": n}) for n in range(10)]
    assert time.monotonic() - started < 2.0  # send() only queues: no connection attempt
    assert results.count(False) >= 7 and sender.stats.dropped == results.count(False)
    sender.close(timeout=0.2)


def test_only_http_urls() -> None:
    with pytest.raises(ValueError, match="http"):
        WebhookSender("ftp://example/hook")
