"""Looking hashes and files up against the banks a caller may use, with the shared indexes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from egide.hashing import FileHashes
from egide.index import hex_to_codes
from egide.match import FileMatch, Matcher, MatchOptions
from egide.service.audit import AuditEvent
from egide.service.errors import Unprocessable
from egide.service.indexes import Snapshot
from egide.service.keys import Principal
from egide.signals import get

MATCHABLE = ("md5", "sha1", "sha256", "pdq")
# A hash given by value has no quality score: it is searched as the caller computed it.
OPTIONS = MatchOptions(min_quality=0)


@dataclass(frozen=True)
class Query:
    signal_type: str
    value: str


def parse_query(signal_type: str, value: str) -> Query:
    """Validate and normalise one hash; Unprocessable naming the problem otherwise."""
    try:
        signal = get(signal_type)
        normalised = signal.normalise(value)
    except ValueError as exc:
        raise Unprocessable(str(exc)) from None
    if signal.name not in MATCHABLE:
        raise Unprocessable(
            f"{signal.name} values are stored for exchange but cannot be matched; "
            f"look up one of {', '.join(MATCHABLE)}"
        )
    return Query(signal.name, normalised)


def as_record(query: Query, position: int) -> FileHashes:
    fields: dict[str, object] = {query.signal_type: query.value}
    if query.signal_type == "pdq":
        fields["pdq_quality"] = 100
    return FileHashes(path=f"query-{position}", size=0, **fields)  # type: ignore[arg-type]


def match_records(
    session: Session,
    snapshot: Snapshot,
    who: Principal,
    records: list[FileHashes],
    options: MatchOptions = OPTIONS,
) -> list[FileMatch]:
    """Match against the caller's usable banks only: the others are not even searched."""
    banks = snapshot.usable(who.org_id)
    indexes = {bank.id: snapshot.indexes[bank.id] for bank in banks}
    return Matcher(session, banks, indexes, options, snapshot.entry_rows).match(records)


def pdq_misses(snapshot: Snapshot, who: Principal, queries: list[Query]) -> bool:
    """True when no usable bank's index holds any of these PDQ hashes within its radius.

    The hot path: most uploads match nothing, and this answers that from memory alone, without
    a database session. Any candidate hit goes through the full matcher (rows, allow banks).
    """
    codes = hex_to_codes([q.value for q in queries])
    for bank in snapshot.usable(who.org_id):
        index = snapshot.indexes[bank.id]
        if index.any_within(codes, bank.pdq_threshold):
            return False
    return True


def history_rows(
    who: Principal, snapshot: Snapshot, records: list[FileHashes], results: list[FileMatch]
) -> list[dict[str, object]]:
    """Match-history rows for the hits returned (allow-bank hits included)."""
    bank_ids = {bank.name: bank.id for bank in snapshot.banks.values()}
    now = datetime.now(UTC)
    rows: list[dict[str, object]] = []
    for record, result in zip(records, results, strict=True):
        for hit in result.hits + result.allowed:
            rows.append(
                {
                    "at": now,
                    "org_id": who.org_id,
                    "key_prefix": who.key_prefix,
                    "query_signal": hit.signal_type,
                    "query_value": str(getattr(record, hit.signal_type, "") or ""),
                    "bank_id": bank_ids[hit.bank],
                    "entry_id": hit.entry_id,
                    "distance": hit.distance,
                }
            )
    return rows


def lookup_event(
    who: Principal, remote: str, queries: list[Query], results: list[FileMatch], what: str
) -> AuditEvent:
    hits = sum(len(r.hits) for r in results)
    return AuditEvent(
        actor=f"{who.org_name}/{who.key_prefix}",
        action="lookup",
        target=what,
        detail={
            "queries": len(queries),
            "values": [f"{q.signal_type}:{q.value}" for q in queries[:20]],
            "hits": hits,
            "entries": sorted({h.entry_id for r in results for h in r.hits})[:100],
        },
        remote=remote,
        org_id=who.org_id,
        key_prefix=who.key_prefix,
        at=datetime.now(UTC),  # when it happened, not when the batch is written
    )
