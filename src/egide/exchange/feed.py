"""Signed bank feeds between egide deployments.

A feed is JSON lines: a header line ``{"manifest": {...}, "signature": "..."}`` then one entry per
line. The manifest names the publisher, its key's fingerprint, the bank, a sequence number that
grows with every publication, the entry count and the SHA-256 of the entry lines; the Ed25519
signature covers the manifest's canonical JSON. A subscriber verifies everything before it
imports anything, so a tampered, truncated or unsigned feed changes nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.orm import Session

from egide.banks import iter_entries
from egide.categories import parse_category
from egide.exchange.keys import fingerprint
from egide.formats import ListEntry, RecordError
from egide.signals import get as signal_type
from egide.store import Bank

FEED_FORMAT = "egide-feed"
FEED_VERSION = 1


class FeedError(ValueError):
    """A feed that must not be imported: unsigned, tampered, from another key, or stale."""


@dataclass(frozen=True)
class Manifest:
    publisher: str
    key_fingerprint: str
    bank: str
    sequence: int
    entries: int
    entries_sha256: str
    created_at: str


def _canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_to_json(entry: ListEntry) -> dict[str, Any]:
    out: dict[str, Any] = {"signal_type": entry.signal_type, "value": entry.value}
    if entry.category:
        out["category"] = {"scheme": entry.category.scheme, "code": entry.category.code}
    for name in (
        "series",
        "victim_identified",
        "baseline",
        "media_id",
        "offender_identified",
        "is_distributed",
        "extra",
    ):
        value = getattr(entry, name)
        if value is not None:
            out[name] = value
    return out


def entry_from_json(data: dict[str, Any]) -> ListEntry:
    signal = signal_type(str(data["signal_type"]))
    category = data.get("category")
    return ListEntry(
        signal.name,
        signal.normalise(str(data["value"])),
        parse_category(str(category["scheme"]), str(category["code"])) if category else None,
        data.get("series"),
        data.get("victim_identified"),
        data.get("baseline"),
        data.get("media_id"),
        data.get("offender_identified"),
        data.get("is_distributed"),
        data.get("extra"),
    )


def publish_feed(
    session: Session, bank: Bank, key: Ed25519PrivateKey, publisher: str, out: Path
) -> Manifest:
    """Write ``bank`` as a signed feed to ``out`` (atomically)."""
    digest = hashlib.sha256()
    body = out.with_name(out.name + ".body")
    count = 0
    with body.open("wb") as lines:
        for entry in iter_entries(session, bank):
            line = _canonical(entry_to_json(entry)) + b"\n"
            digest.update(line)
            lines.write(line)
            count += 1
    manifest = Manifest(
        publisher=publisher,
        key_fingerprint=fingerprint(key.public_key()),
        bank=bank.name,
        sequence=time.time_ns() // 1000,
        entries=count,
        entries_sha256=digest.hexdigest(),
        created_at=datetime.now(UTC).isoformat(),
    )
    fields = {"format": FEED_FORMAT, "version": FEED_VERSION, **manifest.__dict__}
    signature = base64.b64encode(key.sign(_canonical(fields))).decode()
    tmp = out.with_name(out.name + ".part")
    with tmp.open("wb") as feed, body.open("rb") as lines:
        feed.write(_canonical({"manifest": fields, "signature": signature}) + b"\n")
        while chunk := lines.read(1 << 20):
            feed.write(chunk)
    body.unlink()
    tmp.replace(out)
    return manifest


def verify_feed(path: Path, key: Ed25519PublicKey) -> Manifest:
    """Check signature, key and digest of a feed file; FeedError saying what is wrong."""
    with path.open("rb") as feed:
        try:
            header = json.loads(feed.readline())
            fields = dict(header["manifest"])
        except (ValueError, KeyError, TypeError):
            raise FeedError(f"{path}: not an egide feed (no manifest line)") from None
        if fields.get("format") != FEED_FORMAT or fields.get("version") != FEED_VERSION:
            raise FeedError(f"{path}: unsupported feed format {fields.get('format')!r}")
        signature = header.get("signature")
        if not signature:
            raise FeedError(f"{path}: the feed is not signed; refusing it")
        try:
            key.verify(base64.b64decode(signature), _canonical(fields))
        except (InvalidSignature, ValueError):
            raise FeedError(
                f"{path}: bad signature: the manifest was altered or signed by another key "
                f"(feed says key {fields.get('key_fingerprint')}, expected {fingerprint(key)})"
            ) from None
        digest = hashlib.sha256()
        count = 0
        for line in feed:
            digest.update(line)
            count += 1
    manifest = Manifest(**{k: v for k, v in fields.items() if k not in ("format", "version")})
    if count != manifest.entries or digest.hexdigest() != manifest.entries_sha256:
        raise FeedError(
            f"{path}: entries were altered or truncated ({count} lines, manifest signs "
            f"{manifest.entries}); refusing the whole feed"
        )
    return manifest


def read_feed_entries(path: Path) -> Iterator[ListEntry | RecordError]:
    """The entries of a feed already checked by :func:`verify_feed`."""
    with path.open("rb") as feed:
        feed.readline()
        for number, line in enumerate(feed, start=2):
            try:
                yield entry_from_json(json.loads(line))
            except (ValueError, KeyError, TypeError) as exc:
                yield RecordError(f"line {number}", f"bad feed entry: {exc}")
