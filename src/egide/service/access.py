"""Who may use which bank: owner, organisations it is shared with, or everyone when public.

A bank the caller may not see is answered exactly like a bank that does not exist, so its name,
entries and existence never leak through the API.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.orm import Session

from egide.service.errors import BadRequest, Forbidden, NotFound
from egide.service.keys import Principal
from egide.service.scopes import VISIBILITIES
from egide.store import Bank, BankShare, Organisation


def usable_clause(org_id: int) -> ColumnElement[bool]:
    """SQL condition on Bank: the organisation may use the bank."""
    shared = select(BankShare.bank_id).where(BankShare.org_id == org_id)
    return or_(
        Bank.owner_org_id == org_id,
        Bank.visibility == "public",
        (Bank.visibility == "shared") & Bank.id.in_(shared),
    )


def visible_banks(session: Session, org_id: int) -> list[Bank]:
    return list(session.scalars(select(Bank).where(usable_clause(org_id)).order_by(Bank.name)))


def find_bank(session: Session, who: Principal, name: str, *, write: bool = False) -> Bank:
    """The bank called ``name`` if the caller may see it (and own it, for ``write``)."""
    bank = session.scalar(select(Bank).where(Bank.name == name, usable_clause(who.org_id)))
    if bank is None:
        raise NotFound(f"no bank named {name!r}")
    if write and bank.owner_org_id != who.org_id:
        raise Forbidden(f"bank {name!r} belongs to another organisation; it is read-only here")
    return bank


def shared_with(session: Session, bank: Bank) -> list[str]:
    return list(
        session.scalars(
            select(Organisation.name)
            .join(BankShare, BankShare.org_id == Organisation.id)
            .where(BankShare.bank_id == bank.id)
            .order_by(Organisation.name)
        )
    )


def set_sharing(
    session: Session, bank: Bank, visibility: str, organisations: list[str] | None
) -> None:
    """Set the visibility, and (when given) replace the list of organisations it is shared with.

    Unknown organisation names are refused, so a typo never silently shares nothing.
    """
    if visibility not in VISIBILITIES:
        raise BadRequest(f"visibility must be one of {', '.join(VISIBILITIES)}")
    bank.visibility = visibility
    if organisations is None:
        return
    names = sorted(set(organisations))
    rows = session.execute(
        select(Organisation.name, Organisation.id).where(Organisation.name.in_(names))
    )
    found = {str(name): int(org_id) for name, org_id in rows}
    missing = [n for n in names if n not in found]
    if missing:
        raise BadRequest(f"unknown organisation(s): {', '.join(missing)}")
    session.execute(delete(BankShare).where(BankShare.bank_id == bank.id))
    for name in names:
        session.add(BankShare(bank_id=bank.id, org_id=found[name]))
    session.flush()
