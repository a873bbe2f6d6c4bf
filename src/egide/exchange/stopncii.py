"""StopNCII.org hash exchange (FetchHashes), through python-threatexchange's ``StopNCIIAPI``.

Records are snapshots keyed by signal type and hash: a later record replaces an earlier one, and
a record whose case status is Withdrawn or Deleted withdraws the hash. ImagePDQ becomes egide
``pdq`` and VideoMD5 ``md5`` (the MD5 of the file's bytes, which egide computes for every scanned
file, videos included; the StopNCII type is kept in ``extra``); VideoTMK, Text and URL are counted
as skipped. The keys are read from an environment variable at sync time, never stored.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dacite
import requests
from threatexchange.exchanges.clients.stopncii.api import (
    StopNCIIAPI,
    StopNCIICaseStatus,
    StopNCIIEndpoint,
    StopNCIIHashRecord,
    StopNCIISignalType,
)

from egide.exchange.fetch import RetryPolicy
from egide.exchange.paging import (
    ExchangeError,
    Item,
    Page,
    PageMalformed,
    PageRefused,
    PageUnavailable,
)
from egide.formats import ListEntry, RecordError
from egide.signals import get as signal_type

DEFAULT_KEY_ENV = "TX_STOPNCII_KEYS"  # python-threatexchange's own variable and format
WITHDRAWN = {StopNCIICaseStatus.Withdrawn, StopNCIICaseStatus.Deleted}
TYPES = {StopNCIISignalType.ImagePDQ: "pdq", StopNCIISignalType.VideoMD5: "md5"}
_DROPPED = "Convert response from JSON to Dataclass failed"


class _Client(StopNCIIAPI):
    """The upstream client with egide's timeout instead of its fixed 60 seconds."""

    def __init__(self, subscription_key: str, fetch_key: str, base_url: str | None, timeout: float):
        super().__init__(subscription_key, fetch_key, base_url_override=base_url)
        self._timeout = timeout

    def _get_session(self, endpoint: StopNCIIEndpoint) -> requests.Session:
        session: requests.Session = super()._get_session(endpoint)
        adapter = session.get_adapter(self._base_url)
        adapter.timeout = self._timeout  # type: ignore[attr-defined]
        return session


class _DroppedRecords(logging.Handler):
    """The client logs and drops records it cannot read; egide counts them as rejected."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[RecordError] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(_DROPPED):
            detail = message.removeprefix(_DROPPED).strip(" ,")
            self.errors.append(RecordError("StopNCII record", f"unreadable record: {detail}"))


@contextmanager
def _dropped_records() -> Iterator[_DroppedRecords]:
    handler = _DroppedRecords()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def read_keys(env: str) -> tuple[str, str]:
    """(fetch function key, subscription key) from ``env``: ``FETCH_KEY,SUBSCRIPTION_KEY``."""
    raw = os.environ.get(env, "").strip()
    if not raw:
        raise ExchangeError(f"environment variable {env} holds no StopNCII keys")
    parts = [p.strip() for p in raw.split(",")]
    if len(parts) != 2 or not all(parts):
        raise ExchangeError(
            f"environment variable {env} must hold FETCH_FUNCTION_KEY,SUBSCRIPTION_KEY"
        )
    return parts[0], parts[1]


def item_of(record: StopNCIIHashRecord, skipped: Counter[str]) -> Item | None:
    name = TYPES.get(record.signalType)
    if name is None:
        skipped[f"StopNCII {record.signalType.value}"] += 1
        return None
    key = f"stopncii:{record.signalType.value}:{record.hashValue.strip().lower()}"
    if record.hashStatus in WITHDRAWN:
        return Item(key, record.lastModtimestamp, None)
    try:
        value = signal_type(name).normalise(record.hashValue)
    except ValueError as exc:
        error = RecordError(f"StopNCII record {record.hashValue!r}", str(exc))
        return Item(key, record.lastModtimestamp, [error])
    extra: dict[str, object] = {
        "stopncii_type": record.signalType.value,
        "stopncii_status": record.hashStatus.value,
        "stopncii_cases": len(record.caseNumbers),
    }
    if record.CSPFeedbacks:
        extra["stopncii_feedback"] = {f.source: f.feedbackValue.value for f in record.CSPFeedbacks}
    return Item(key, record.lastModtimestamp, [ListEntry(name, value, media_id=key, extra=extra)])


class StopNCIIPages:
    """FetchHashes pages: ``startTimestamp`` is the time position, ``nextPageToken`` the cursor."""

    label = "StopNCII"

    def __init__(self, config: dict[str, Any], policy: RetryPolicy) -> None:
        fetch_key, subscription_key = read_keys(str(config.get("key_env", DEFAULT_KEY_ENV)))
        base_url = str(config["base_url"]).rstrip("/") if config.get("base_url") else None
        self.api = _Client(subscription_key, fetch_key, base_url, policy.timeout)
        self.page_size = int(str(config.get("page_size", 800)))

    def fetch(self, since: int, cursor: str) -> Page:
        with _dropped_records() as dropped:
            try:
                response = self.api.fetch_hashes(
                    page_size=self.page_size, start_timestamp=since, next_page=cursor
                )
            except requests.JSONDecodeError as exc:
                raise PageMalformed(f"not JSON: {exc}") from None
            except requests.HTTPError as exc:
                status = exc.response.status_code if exc.response is not None else 0
                if status in (401, 403):
                    raise ExchangeError(f"StopNCII refused the keys: HTTP {status}") from None
                if status >= 500:
                    raise PageUnavailable(f"HTTP {status}") from None
                raise PageRefused(f"HTTP {status}") from None
            except requests.RequestException as exc:
                raise PageUnavailable(str(exc)) from None
            except (dacite.DaciteError, ValueError, TypeError, KeyError, AttributeError) as exc:
                raise PageMalformed(f"unreadable page: {exc}") from None
        skipped: Counter[str] = Counter()
        items = [i for r in response.hashRecords if (i := item_of(r, skipped)) is not None]
        high = response.nextSetTimestamp or max(
            (r.lastModtimestamp for r in response.hashRecords), default=since
        )
        next_cursor = (response.nextPageToken or "") if response.hasMoreRecords else ""
        if response.hasMoreRecords and not next_cursor:
            raise PageMalformed("hasMoreRecords without a nextPageToken")
        return Page(items, next_cursor, high, skipped, dropped.errors)
