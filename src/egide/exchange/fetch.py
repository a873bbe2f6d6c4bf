"""Fetching a remote list to a local file: bounded retries with backoff, clear errors.

A feed location is a local path, a ``file://`` URL, or an ``http(s)://`` URL on the
organisation's own network; nothing else is contacted.
"""

from __future__ import annotations

import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class FetchError(OSError):
    """The remote list could not be fetched after every retry."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    first_delay: float = 0.5
    factor: float = 2.0
    timeout: float = 30.0


DEFAULT_RETRY = RetryPolicy()


def fetch_to_file(
    location: str,
    target: Path,
    policy: RetryPolicy = DEFAULT_RETRY,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Copy ``location`` to ``target``; 5xx, timeouts and resets are retried, 4xx are not."""
    if not location.startswith(("http://", "https://")):
        source = Path(location.removeprefix("file://"))
        try:
            shutil.copyfile(source, target)
        except OSError as exc:
            raise FetchError(f"cannot read feed {location}: {exc.strerror or exc}") from None
        return
    delay = policy.first_delay
    last = ""
    for attempt in range(1, policy.attempts + 1):
        try:
            with (
                urllib.request.urlopen(location, timeout=policy.timeout) as response,
                target.open("wb") as out,
            ):
                shutil.copyfileobj(response, out)
            return
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code} {exc.reason}"
            if exc.code < 500:
                break
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            last = str(getattr(exc, "reason", exc))
        if attempt < policy.attempts:
            sleep(delay)
            delay *= policy.factor
    raise FetchError(f"cannot fetch {location}: {last} (after {attempt} attempt(s))")
