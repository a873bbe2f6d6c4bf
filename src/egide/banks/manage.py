"""Creating, listing, showing and removing banks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from egide.banks.errors import BankError
from egide.store import Bank, BankEntry

MAX_PDQ_THRESHOLD = 128
BANK_KINDS = ("match", "allow")


@dataclass(frozen=True)
class BankSummary:
    name: str
    description: str
    source: str
    pdq_threshold: int
    kind: str
    enabled: bool
    revision: int
    entries_by_signal: dict[str, int]

    @property
    def entries(self) -> int:
        return sum(self.entries_by_signal.values())


def create_bank(
    session: Session,
    name: str,
    *,
    description: str = "",
    source: str = "",
    pdq_threshold: int = 31,
    kind: str = "match",
) -> Bank:
    """A new empty bank; BankError when the name is taken or a setting is out of range."""
    name = name.strip()
    if not name:
        raise BankError("a bank needs a name")
    if not 0 <= pdq_threshold <= MAX_PDQ_THRESHOLD:
        raise BankError(f"pdq threshold must be 0..{MAX_PDQ_THRESHOLD}, got {pdq_threshold}")
    if kind not in BANK_KINDS:
        raise BankError(f"bank kind must be one of {', '.join(BANK_KINDS)}, got {kind!r}")
    if session.scalar(select(Bank.id).where(Bank.name == name)) is not None:
        raise BankError(f"a bank named {name!r} already exists")
    bank = Bank(
        name=name,
        description=description,
        source=source,
        pdq_threshold=pdq_threshold,
        kind=kind,
    )
    session.add(bank)
    session.flush()
    return bank


def get_bank(session: Session, name: str) -> Bank:
    bank = session.scalar(select(Bank).where(Bank.name == name))
    if bank is None:
        known = session.scalars(select(Bank.name).order_by(Bank.name)).all()
        listing = ", ".join(known) if known else "none yet (egide bank create NAME)"
        raise BankError(f"no bank named {name!r}; banks: {listing}")
    return bank


def summarise(session: Session, bank: Bank) -> BankSummary:
    rows = session.execute(
        select(BankEntry.signal_type, func.count())
        .where(BankEntry.bank_id == bank.id)
        .group_by(BankEntry.signal_type)
    ).all()
    return BankSummary(
        bank.name,
        bank.description,
        bank.source,
        bank.pdq_threshold,
        bank.kind,
        bank.enabled,
        bank.revision,
        {signal: int(count) for signal, count in sorted(rows)},
    )


def list_banks(session: Session) -> list[BankSummary]:
    banks = session.scalars(select(Bank).order_by(Bank.name)).all()
    return [summarise(session, bank) for bank in banks]


def remove_bank(session: Session, name: str) -> None:
    bank = get_bank(session, name)
    session.delete(bank)
    session.flush()
