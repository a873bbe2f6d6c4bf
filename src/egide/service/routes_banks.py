"""Banks: create, list, show, update (enable/disable, visibility, sharing), delete."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from egide.service.access import find_bank, visible_banks
from egide.service.bankops import Actor, bank_view, create_owned_bank, delete_bank, update_bank
from egide.service.deps import remote_of, require, service
from egide.service.keys import Principal
from egide.service.schemas import BankCreate, BankOut, BankUpdate
from egide.service.scopes import BANK_READ, BANK_WRITE

router = APIRouter(prefix="/v1/banks", tags=["banks"])
Reader = Annotated[Principal, Depends(require(BANK_READ))]
Writer = Annotated[Principal, Depends(require(BANK_WRITE))]


@router.get("", response_model=list[BankOut])
def list_route(request: Request, who: Reader) -> list[dict[str, Any]]:
    """Banks this organisation may use: its own, those shared with it, the public ones."""
    with service(request).sessions() as session:
        return [bank_view(session, b, who.org_id) for b in visible_banks(session, who.org_id)]


@router.post("", response_model=BankOut, status_code=201)
def create_route(request: Request, body: BankCreate, who: Writer) -> dict[str, Any]:
    """A new bank owned by this organisation (private unless told otherwise)."""
    with service(request).sessions() as session:
        bank = create_owned_bank(
            session,
            Actor(who, remote_of(request)),
            name=body.name,
            description=body.description,
            source=body.source,
            pdq_threshold=body.pdq_threshold,
            kind=body.kind,
            visibility=body.visibility,
            organisations=body.shared_with,
        )
        session.commit()
        return bank_view(session, bank, who.org_id)


@router.get("/{name}", response_model=BankOut)
def show_route(request: Request, name: str, who: Reader) -> dict[str, Any]:
    with service(request).sessions() as session:
        return bank_view(session, find_bank(session, who, name), who.org_id)


@router.patch("/{name}", response_model=BankOut)
def update_route(request: Request, name: str, body: BankUpdate, who: Writer) -> dict[str, Any]:
    """Enable or disable the bank, change its description, visibility or sharing."""
    with service(request).sessions() as session:
        bank = find_bank(session, who, name, write=True)
        update_bank(
            session,
            Actor(who, remote_of(request)),
            bank,
            enabled=body.enabled,
            description=body.description,
            visibility=body.visibility,
            organisations=body.shared_with,
        )
        session.commit()
        return bank_view(session, bank, who.org_id)


@router.delete("/{name}", status_code=204)
def delete_route(request: Request, name: str, who: Writer) -> None:
    """Remove the bank and all its entries."""
    with service(request).sessions() as session:
        delete_bank(
            session, Actor(who, remote_of(request)), find_bank(session, who, name, write=True)
        )
        session.commit()
