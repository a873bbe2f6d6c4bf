"""Organisations: the agencies, platforms and hotlines that own banks and keys."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from egide.service.errors import Conflict, NotFound
from egide.store import Organisation


def create_org(session: Session, name: str, description: str = "") -> Organisation:
    name = name.strip()
    if not name:
        raise Conflict("an organisation needs a name")
    if session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
        raise Conflict(f"an organisation named {name!r} already exists")
    org = Organisation(name=name, description=description)
    session.add(org)
    session.flush()
    return org


def get_org(session: Session, name: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        raise NotFound(f"no organisation named {name!r}")
    return org


def list_orgs(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))
