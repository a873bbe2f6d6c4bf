"""``POST /v1/scans`` (scan a server folder under a configured root), ``GET /v1/scans/{id}``.

The ``admin`` scope: a scan reads the server's own disk, which a lookup key should not reach.
Banks are only those the caller may use, as for lookups. Starting a scan is audited at once;
its end (state, counts) is audited by the worker that ran it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.concurrency import run_in_threadpool

from egide.service.access import find_bank, visible_banks
from egide.service.audit import append
from egide.service.bankops import Actor
from egide.service.deps import remote_of, require, service
from egide.service.errors import Unprocessable
from egide.service.keys import Principal
from egide.service.scan_paths import collect, resolve
from egide.service.scans import ScanJob
from egide.service.schemas import ScanOut, ScanRequest
from egide.service.scopes import ADMIN

router = APIRouter(prefix="/v1/scans", tags=["scans"])
Admin = Annotated[Principal, Depends(require(ADMIN))]


def _start(request: Request, body: ScanRequest, who: Principal) -> dict[str, Any]:
    state = service(request)
    target = collect(resolve(body.path, state.settings.scan_roots), state.settings.scan_roots)
    actor = Actor(who, remote_of(request))
    with state.sessions() as session:
        if body.banks is None:
            banks = [b.name for b in visible_banks(session, who.org_id) if b.enabled]
        else:
            banks = [find_bank(session, who, name).name for name in dict.fromkeys(body.banks)]
        if not banks:
            raise Unprocessable("banks: this organisation has no enabled bank to scan against")
        scan_id = state.scans.new_id()
        append(
            session,
            actor.event(
                "scan.start",
                f"scan:{scan_id}",
                {
                    "path": str(target.path),
                    "banks": banks,
                    "files": len(target.files),
                    "refused": len(target.refused),
                },
            ),
        )
        session.commit()
    job = ScanJob(
        scan_id,
        who.org_id,
        f"{who.org_name}/{who.key_prefix}",
        who.key_prefix,
        remote_of(request),
        target,
        tuple(banks),
        body.dihedral,
    )
    return state.scans.submit(job)


@router.post("", response_model=ScanOut, status_code=202)
async def start_scan(request: Request, body: ScanRequest, who: Admin) -> dict[str, Any]:
    """Scan a file or folder under a configured root in the background; poll its status."""
    return await run_in_threadpool(_start, request, body, who)


@router.get("/{scan_id}", response_model=ScanOut)
def scan_status(
    request: Request,
    scan_id: Annotated[str, Path(max_length=64)],
    who: Admin,
) -> dict[str, Any]:
    """The scan's state; once ``done``, its JSON report (as ``egide scan --report`` writes)."""
    return service(request).scan_store.read(scan_id, who.org_id)
