"""Bank changes made through the API: owned by the caller's organisation, always audited.

Every change that alters what matches bumps the bank's revision, which is how the other
workers learn that their index of the bank is stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from egide.banks import BankError, ImportResult, create_bank, import_entries, summarise
from egide.categories import Category, parse_category
from egide.formats import ListEntry, RecordError
from egide.service.access import set_sharing, shared_with
from egide.service.audit import AuditEvent, append
from egide.service.errors import Conflict, NotFound, Unprocessable
from egide.service.keys import Principal
from egide.signals import get
from egide.store import Bank, BankEntry


@dataclass(frozen=True)
class Actor:
    """Who is acting and from where, for the audit log."""

    who: Principal
    remote: str

    def event(
        self, action: str, target: str, detail: dict[str, object] | None = None
    ) -> AuditEvent:
        return AuditEvent(
            actor=f"{self.who.org_name}/{self.who.key_prefix}",
            action=action,
            target=target,
            detail=detail,
            remote=self.remote,
            org_id=self.who.org_id,
            key_prefix=self.who.key_prefix,
        )


def bank_view(session: Session, bank: Bank, org_id: int) -> dict[str, object]:
    """A bank as the API shows it; only the owner sees whom it is shared with."""
    summary = summarise(session, bank)
    owned = bank.owner_org_id == org_id
    return {
        "name": bank.name,
        "description": bank.description,
        "source": bank.source,
        "kind": bank.kind,
        "pdq_threshold": bank.pdq_threshold,
        "enabled": bank.enabled,
        "revision": bank.revision,
        "visibility": bank.visibility,
        "owned": owned,
        "shared_with": shared_with(session, bank) if owned else None,
        "entries": summary.entries,
        "entries_by_signal": summary.entries_by_signal,
    }


def create_owned_bank(
    session: Session,
    actor: Actor,
    *,
    name: str,
    description: str,
    source: str,
    pdq_threshold: int,
    kind: str,
    visibility: str,
    organisations: list[str],
) -> Bank:
    try:
        bank = create_bank(
            session,
            name,
            description=description,
            source=source,
            pdq_threshold=pdq_threshold,
            kind=kind,
        )
    except BankError as exc:
        # Bank names are unique over the deployment: a taken name may belong to a bank the
        # caller cannot see, so the answer says only that the name is not available.
        raise Conflict(f"bank name {name!r} is not available") from exc
    bank.owner_org_id = actor.who.org_id
    set_sharing(session, bank, visibility, organisations)
    append(session, actor.event("bank.create", f"bank:{name}", {"visibility": visibility}))
    return bank


def update_bank(
    session: Session,
    actor: Actor,
    bank: Bank,
    *,
    enabled: bool | None,
    description: str | None,
    visibility: str | None,
    organisations: list[str] | None,
) -> None:
    detail: dict[str, object] = {}
    if enabled is not None:
        bank.enabled = enabled
        detail["enabled"] = enabled
    if description is not None:
        bank.description = description
    if visibility is not None or organisations is not None:
        set_sharing(session, bank, visibility or bank.visibility, organisations)
        detail["visibility"] = bank.visibility
        if organisations is not None:
            detail["shared_with"] = sorted(set(organisations))
    append(session, actor.event("bank.update", f"bank:{bank.name}", detail))


def delete_bank(session: Session, actor: Actor, bank: Bank) -> None:
    name = bank.name
    session.delete(bank)
    session.flush()
    append(session, actor.event("bank.delete", f"bank:{name}"))


def to_list_entry(
    signal_type: str,
    value: str,
    scheme: str | None,
    code: str | None,
    series: str | None,
    victim_identified: bool | None,
    baseline: bool | None,
) -> ListEntry:
    """A validated ListEntry; ValueError naming the problem otherwise."""
    signal = get(signal_type)
    category: Category | None = None
    if scheme or code:
        if not (scheme and code):
            raise ValueError("category_scheme and category must be given together")
        category = parse_category(scheme, code)
    return ListEntry(
        signal.name, signal.normalise(value), category, series or None, victim_identified, baseline
    )


def add_entries(
    session: Session, actor: Actor, bank: Bank, entries: list[ListEntry], source: str | None
) -> ImportResult:
    """All-or-nothing add (entries were validated); audited in the same transaction."""
    append(session, actor.event("bank.add_entries", f"bank:{bank.name}", {"count": len(entries)}))
    return import_entries(session, bank, entries, strict=True, source=source)


def import_list(
    session: Session,
    actor: Actor,
    bank: Bank,
    items: Iterable[ListEntry | RecordError],
    *,
    fmt: str,
    strict: bool,
    source: str | None,
) -> ImportResult:
    """Stream a list into the bank; the audit record follows the import's own commits."""
    result = import_entries(session, bank, items, strict=strict, source=source)
    append(
        session,
        actor.event(
            "bank.import",
            f"bank:{bank.name}",
            {
                "format": fmt,
                "added": result.added,
                "updated": result.updated,
                "rejected": result.error_count,
                "committed": result.committed,
            },
        ),
    )
    session.commit()
    return result


def get_entry(session: Session, bank: Bank, entry_id: int) -> BankEntry:
    entry = session.get(BankEntry, entry_id)
    if entry is None or entry.bank_id != bank.id:
        raise NotFound(f"bank {bank.name!r} has no entry {entry_id}")
    return entry


def set_entry_enabled(
    session: Session, actor: Actor, bank: Bank, entry: BankEntry, enabled: bool
) -> None:
    if entry.enabled != enabled:
        entry.enabled = enabled
        bank.revision += 1
    append(
        session,
        actor.event("entry.update", f"bank:{bank.name}/entry:{entry.id}", {"enabled": enabled}),
    )


def remove_entry(session: Session, actor: Actor, bank: Bank, entry: BankEntry) -> None:
    detail: dict[str, object] = {"signal_type": entry.signal_type, "value": entry.value}
    session.delete(entry)
    bank.revision += 1
    session.flush()
    append(session, actor.event("entry.remove", f"bank:{bank.name}/entry:{entry.id}", detail))


def entries_page(session: Session, bank: Bank, after_id: int, limit: int) -> list[BankEntry]:
    return list(
        session.scalars(
            select(BankEntry)
            .where(BankEntry.bank_id == bank.id, BankEntry.id > after_id)
            .order_by(BankEntry.id)
            .limit(limit)
        )
    )


def validated(items: Iterator[ListEntry | RecordError]) -> Iterator[ListEntry | RecordError]:
    """Pass-through that turns a reader crash on garbage bytes into one clear error."""
    try:
        yield from items
    except (ValueError, UnicodeError) as exc:
        raise Unprocessable(f"the uploaded list cannot be read: {exc}") from None
