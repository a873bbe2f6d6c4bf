"""Match history of the caller's organisation, and the audit log for its admins."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from egide.service import audit
from egide.service.access import usable_clause
from egide.service.deps import require, service
from egide.service.keys import Principal
from egide.service.schemas import AuditOut, ChainOut, MatchOut
from egide.service.scopes import ADMIN, LOOKUP
from egide.store import Bank, MatchRecord

router = APIRouter(prefix="/v1", tags=["history"])


@router.get("/matches", response_model=list[MatchOut])
def matches(
    request: Request,
    who: Annotated[Principal, Depends(require(LOOKUP))],
    after_id: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """Hits this organisation's lookups returned, oldest first, on banks it may still use."""
    with service(request).sessions() as session:
        rows = session.execute(
            select(MatchRecord, Bank.name)
            .join(Bank, Bank.id == MatchRecord.bank_id)
            .where(
                MatchRecord.org_id == who.org_id,
                MatchRecord.id > after_id,
                usable_clause(who.org_id),
            )
            .order_by(MatchRecord.id)
            .limit(limit)
        ).all()
    return [
        {
            "id": m.id,
            "at": audit.now_text(m.at),
            "key_prefix": m.key_prefix,
            "query_signal": m.query_signal,
            "query_value": m.query_value,
            "bank": bank,
            "entry_id": m.entry_id,
            "distance": m.distance,
        }
        for m, bank in rows
    ]


@router.get("/audit", response_model=list[AuditOut])
def audit_log(
    request: Request,
    who: Annotated[Principal, Depends(require(ADMIN))],
    action: Annotated[str | None, Query(max_length=64)] = None,
    after_seq: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """This organisation's audit records (its keys' actions and changes to its keys)."""
    with service(request).sessions() as session:
        records = audit.query(
            session, org_id=who.org_id, action=action, after_seq=after_seq, limit=limit
        )
    return [
        {
            "seq": r.seq,
            "at": r.at,
            "actor": r.actor,
            "action": r.action,
            "target": r.target,
            "detail": json.loads(r.detail),
            "remote": r.remote,
            "hash": r.hash,
        }
        for r in records
    ]


@router.get("/audit/verify", response_model=ChainOut)
def audit_verify(
    request: Request, _who: Annotated[Principal, Depends(require(ADMIN))]
) -> dict[str, Any]:
    """Check the whole chain: every record's hash and its link to the previous one."""
    with service(request).sessions() as session:
        report = audit.verify_chain(session)
    return {
        "ok": report.ok,
        "records": report.records,
        "first_bad_seq": report.first_bad_seq,
        "problem": report.problem,
    }
