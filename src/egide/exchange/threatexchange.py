"""Meta ThreatExchange (``/threat_updates`` of a privacy group), through python-threatexchange's
``ThreatExchangeAPI`` and its record conversion (``FBThreatExchangeIndicatorRecord``).

Updates come in time order, paged by Graph API cursors (``paging.next``); ``should_delete``
tombstones, and indicators whose descriptors are no longer visible or whose owners all call them
NON_MALICIOUS, withdraw the hash. HASH_PDQ becomes egide ``pdq``; HASH_MD5 and HASH_VIDEO_MD5
become ``md5`` (the MD5 of the file's bytes, which egide computes for every scanned file, videos
included; the ThreatExchange type is kept in ``extra``, as egide's threatexchange text format
keeps ``video_md5``). Other types (URLs, text, video perceptual hashes...) are counted as skipped.
The access token is read from an environment variable at sync time, and stripped from the
paging link before that link is stored as the checkpoint.
"""

from __future__ import annotations

import os
import urllib.parse
from collections import Counter
from typing import Any

import requests
from threatexchange.exchanges.clients.fb_threatexchange.api import (
    ThreatExchangeAPI,
    _CursoredResponse,
    is_valid_app_token,
)
from threatexchange.exchanges.clients.fb_threatexchange.threat_updates import ThreatUpdateJSON
from threatexchange.exchanges.fetch_state import AggregateSignalOpinionCategory
from threatexchange.exchanges.impl.fb_threatexchange_api import FBThreatExchangeIndicatorRecord

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

DEFAULT_TOKEN_ENV = "TX_ACCESS_TOKEN"  # python-threatexchange's own variable
TYPES = {"HASH_PDQ": "pdq", "HASH_MD5": "md5", "HASH_VIDEO_MD5": "md5"}


class _Client(ThreatExchangeAPI):
    """The upstream client, with its GET going through its own retrying session and a timeout
    (upstream calls bare ``requests.get``: no retries, and no timeout at all)."""

    def __init__(self, token: str, base_url: str | None, timeout: float) -> None:
        super().__init__(token, endpoint_override=base_url)
        self._timeout = timeout

    def get_json_from_url(self, url: Any, params: Any = None, *, json_obj_hook: Any = None) -> Any:
        with self._get_session() as session:  # type: ignore[no-untyped-call]
            response = session.get(url, params=params or {}, timeout=self._timeout)
            response.raise_for_status()
            return response.json(object_hook=json_obj_hook)


def strip_token(url: str) -> str:
    """The paging link without ``access_token``: a checkpoint never holds the secret."""
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "access_token"]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _time(raw: Any) -> int | None:
    try:
        return int(raw["last_updated"])
    except (KeyError, TypeError, ValueError):
        return None


def item_of(raw: Any, privacy_group: int, app_id: int, skipped: Counter[str]) -> Item | None:
    """One update as an egide item, or None for a signal type egide does not hold."""
    try:
        update = ThreatUpdateJSON(raw)
        key = f"threatexchange:{privacy_group}:{update.id}"
        when = update.time
        if update.should_delete:
            return Item(key, when, None)
        kind = update.threat_type
        name = TYPES.get(kind)
        if name is None:
            skipped[f"ThreatExchange {kind}"] += 1
            return None
        record = FBThreatExchangeIndicatorRecord.from_threatexchange_json(app_id, update)
        indicator = update.indicator
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        where = raw.get("id", "?") if isinstance(raw, dict) else "?"
        return Item(None, 0, [RecordError(f"ThreatExchange update {where}", f"unreadable: {exc}")])
    if record is None:  # no visible descriptor left
        return Item(key, when, None)
    if record.get_as_aggregate_opinion().category == AggregateSignalOpinionCategory.NEGATIVE_CLASS:
        return Item(key, when, None)
    try:
        value = signal_type(name).normalise(indicator)
    except ValueError as exc:
        return Item(key, when, [RecordError(f"ThreatExchange update {update.id}", str(exc))])
    extra: dict[str, object] = {
        "threatexchange_id": str(update.id),
        "threatexchange_type": kind,
        "threatexchange_opinions": [
            {"owner": o.owner_app_id, "category": o.category.name, "tags": sorted(o.tags)}
            for o in record.opinions
        ],
    }
    return Item(key, when, [ListEntry(name, value, media_id=key, extra=extra)])


class ThreatExchangePages:
    """``/threat_updates`` pages: ``start_time`` is the time position, ``paging.next`` the
    cursor (stored without the token)."""

    label = "ThreatExchange"

    def __init__(self, config: dict[str, Any], policy: RetryPolicy) -> None:
        env = str(config.get("token_env", DEFAULT_TOKEN_ENV))
        self.token = os.environ.get(env, "").strip()
        if not self.token:
            raise ExchangeError(f"environment variable {env} holds no ThreatExchange token")
        if not is_valid_app_token(self.token):
            raise ExchangeError(
                f"environment variable {env} does not hold an app token (APP_ID|SECRET)"
            )
        base_url = str(config["base_url"]).rstrip("/") if config.get("base_url") else None
        self.api = _Client(self.token, base_url, policy.timeout)
        self.privacy_group = int(str(config["privacy_group"]))
        self.page_size = int(str(config.get("page_size", 500)))

    def _cursor(self, since: int, cursor: str) -> _CursoredResponse:
        if cursor:
            return _CursoredResponse(self.api, cursor, {"access_token": self.token})
        return self.api.get_threat_updates(
            self.privacy_group,
            start_time=since,
            page_size=self.page_size,
            fields=FBThreatExchangeIndicatorRecord.te_threat_updates_fields(),
        )

    def fetch(self, since: int, cursor: str) -> Page:
        response = self._cursor(since, cursor)
        try:
            data = response.next()  # type: ignore[no-untyped-call]
        except requests.JSONDecodeError as exc:
            raise PageMalformed(f"not JSON: {exc}") from None
        except requests.HTTPError as exc:
            raise self._refusal(exc) from None
        except requests.RequestException as exc:
            raise PageUnavailable(str(exc)) from None
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise PageMalformed(f"unreadable page: {exc}") from None
        if not isinstance(data, list):
            raise PageMalformed("'data' is not a list")
        skipped: Counter[str] = Counter()
        items = [
            i
            for raw in data
            if (i := item_of(raw, self.privacy_group, self.api.app_id, skipped)) is not None
        ]
        next_url = response.next_url if isinstance(response.next_url, str) else ""
        high = max((t for raw in data if (t := _time(raw)) is not None), default=since)
        return Page(items, strip_token(next_url) if next_url else "", high, skipped)

    @staticmethod
    def _refusal(exc: requests.HTTPError) -> Exception:
        """Graph API errors: OAuthException (or 401/403) means the token; 5xx the service."""
        response = exc.response
        status = response.status_code if response is not None else 0
        try:
            error = response.json().get("error", {}) if response is not None else {}
        except ValueError:
            error = {}
        message = error.get("message", "") if isinstance(error, dict) else ""
        if status in (401, 403) or (
            isinstance(error, dict) and error.get("type") == "OAuthException"
        ):
            return ExchangeError(f"ThreatExchange refused the token: HTTP {status} {message}")
        if status >= 500:
            return PageUnavailable(f"HTTP {status} {message}".strip())
        return PageRefused(f"HTTP {status} {message}".strip())
