"""API keys: random secrets shown once, stored as SHA-256, with scopes, expiry and revocation.

A key is ``egide_<prefix>_<secret>``: the prefix names the key in listings and audit records,
the 256-bit secret makes a fast hash safe to store (nothing to brute-force).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from egide.service.audit import AuditEvent, append
from egide.service.errors import BadRequest, NotFound, Unauthorized
from egide.service.scopes import ALL_SCOPES
from egide.store import ApiKey, Organisation

TOKEN_START = "egide_"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: a key of an organisation, with its scopes."""

    key_id: int
    key_prefix: str
    org_id: int
    org_name: str
    scopes: frozenset[str]


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands timezone-aware columns back naive; they were stored as UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


def create_key(
    session: Session,
    org: Organisation,
    scopes: list[str],
    *,
    name: str = "",
    expires_at: datetime | None = None,
    actor: str = "cli",
) -> tuple[str, ApiKey]:
    """A new key and its token (shown once; only its hash is kept). Audited."""
    unknown = sorted(set(scopes) - set(ALL_SCOPES))
    if unknown or not scopes:
        raise BadRequest(f"scopes must be among {', '.join(ALL_SCOPES)}; got {scopes!r}")
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(
        org_id=org.id,
        name=name,
        prefix=prefix,
        secret_hash=hash_token(token),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
    )
    session.add(key)
    session.flush()
    append(
        session,
        AuditEvent(
            actor=actor,
            action="key.create",
            target=f"key:{prefix}",
            detail={"org": org.name, "scopes": key.scopes, "name": name},
            org_id=org.id,
        ),
    )
    return token, key


def list_keys(session: Session, org: Organisation | None = None) -> list[ApiKey]:
    stmt = select(ApiKey).order_by(ApiKey.id)
    if org is not None:
        stmt = stmt.where(ApiKey.org_id == org.id)
    return list(session.scalars(stmt))


def revoke_key(session: Session, prefix: str, *, actor: str = "cli") -> ApiKey:
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None:
        raise NotFound(f"no API key with prefix {prefix!r}")
    if key.revoked_at is None:
        key.revoked_at = datetime.now(UTC)
        append(
            session,
            AuditEvent(actor=actor, action="key.revoke", target=f"key:{prefix}", org_id=key.org_id),
        )
    return key


def authenticate(session: Session, token: str) -> Principal:
    """The principal of a valid token; Unauthorized (never saying why in detail) otherwise."""
    if not token.startswith(TOKEN_START):
        raise Unauthorized("invalid API key")
    row = session.execute(
        select(ApiKey, Organisation.name)
        .join(Organisation, Organisation.id == ApiKey.org_id)
        .where(ApiKey.secret_hash == hash_token(token))
    ).first()
    if row is None:
        raise Unauthorized("invalid API key")
    key, org_name = row
    now = datetime.now(UTC)
    if key.revoked_at is not None:
        raise Unauthorized("API key revoked")
    expires = _aware(key.expires_at)
    if expires is not None and expires <= now:
        raise Unauthorized("API key expired")
    return Principal(key.id, key.prefix, key.org_id, org_name, frozenset(key.scopes))


def key_state(key: ApiKey) -> str:
    if key.revoked_at is not None:
        return "revoked"
    expires = _aware(key.expires_at)
    if expires is not None and expires <= datetime.now(UTC):
        return "expired"
    return "active"
