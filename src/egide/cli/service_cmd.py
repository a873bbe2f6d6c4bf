"""``egide serve``, ``egide org create|list|assign-bank``, ``egide key create|list|revoke``,
``egide audit verify|list``: running the service and managing who may call it."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from egide.banks import BankError, get_bank
from egide.cli.context import DatabaseOption, console, engine_for, fail, user_errors
from egide.service import audit
from egide.service.access import set_sharing
from egide.service.errors import ServiceError
from egide.service.keys import create_key, key_state, list_keys, revoke_key
from egide.service.orgs import create_org, get_org, list_orgs
from egide.service.scopes import ALL_SCOPES
from egide.store import default_database_url, session_maker

org_app = typer.Typer(help="Organisations: who owns banks and API keys.", no_args_is_help=True)
key_app = typer.Typer(help="API keys of organisations (shown once).", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    max_upload_mb: Annotated[int, typer.Option(min=1, help="Upload size limit (MiB).")] = 50,
    refresh_seconds: Annotated[
        float, typer.Option(help="How often each worker checks banks for changes.")
    ] = 1.0,
    scan_root: Annotated[
        list[Path] | None,
        typer.Option(
            help="Folder whose files POST /v1/scans may read (repeat); none: scans are off.",
            exists=True,
            file_okay=False,
            resolve_path=True,
        ),
    ] = None,
    db: DatabaseOption = None,
) -> None:
    """Run the HTTP matching service (uvicorn; OpenAPI at /docs)."""
    import uvicorn

    engine_for(db).dispose()  # migrate once, before the workers start
    os.environ["EGIDE_DATABASE_URL"] = db or default_database_url()
    os.environ["EGIDE_MAX_UPLOAD_BYTES"] = str(max_upload_mb * 1024 * 1024)
    os.environ["EGIDE_REFRESH_SECONDS"] = str(refresh_seconds)
    # One thread per worker for numba and BLAS: the workers are the parallelism, and a lookup
    # kernel's thread team spinning for cores the other workers need costs milliseconds.
    os.environ.setdefault("NUMBA_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ["EGIDE_SCAN_ROOTS"] = os.pathsep.join(str(r) for r in scan_root or [])
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="egide-metrics-")
    uvicorn.run(
        "egide.service.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
    )


@org_app.command("create")
@user_errors(ServiceError)
def org_create(
    name: str,
    description: Annotated[str, typer.Option(help="Who they are.")] = "",
    db: DatabaseOption = None,
) -> None:
    """Create an organisation."""
    with session_maker(engine_for(db))() as session:
        create_org(session, name, description)
        audit.append(
            session, audit.AuditEvent(actor="cli", action="org.create", target=f"org:{name}")
        )
        session.commit()
    console.print(f"organisation [bold]{name}[/] created")


@org_app.command("list")
def org_list(db: DatabaseOption = None) -> None:
    """List organisations."""
    table = Table("organisation", "description", "created")
    with session_maker(engine_for(db))() as session:
        for org in list_orgs(session):
            table.add_row(org.name, org.description, str(org.created_at))
    console.print(table)


@org_app.command("assign-bank")
@user_errors(ServiceError, BankError)
def org_assign_bank(
    org: str,
    bank: str,
    visibility: Annotated[str, typer.Option(help="private, shared or public.")] = "private",
    share: Annotated[
        list[str] | None, typer.Option(help="Organisation to share with (repeat).")
    ] = None,
    db: DatabaseOption = None,
) -> None:
    """Give a bank (e.g. one made with `egide bank create`) to an organisation."""
    with session_maker(engine_for(db))() as session:
        target = get_bank(session, bank)
        owner = get_org(session, org)
        target.owner_org_id = owner.id
        set_sharing(session, target, visibility, share)
        audit.append(
            session,
            audit.AuditEvent(
                actor="cli",
                action="bank.assign",
                target=f"bank:{bank}",
                detail={"owner": org, "visibility": visibility, "shared_with": share or []},
                org_id=owner.id,
            ),
        )
        session.commit()
    console.print(f"bank [bold]{bank}[/] now belongs to {org} ({visibility})")


@key_app.command("create")
@user_errors(ServiceError)
def key_create(
    org: str,
    scope: Annotated[
        list[str], typer.Option("--scope", "-s", help=f"Scope (repeat): {', '.join(ALL_SCOPES)}.")
    ],
    name: Annotated[str, typer.Option(help="What the key is for.")] = "",
    expires_days: Annotated[
        int | None, typer.Option(min=1, help="Days until the key expires.")
    ] = None,
    db: DatabaseOption = None,
) -> None:
    """Create an API key; the key is printed once on standard output, only its hash is kept."""
    expires = datetime.now(UTC) + timedelta(days=expires_days) if expires_days else None
    with session_maker(engine_for(db))() as session:
        token, key = create_key(
            session, get_org(session, org), scope, name=name, expires_at=expires
        )
        session.commit()
    console.print(f"key [bold]{key.prefix}[/] for {org}: {', '.join(key.scopes)}")
    typer.echo(token)


@key_app.command("list")
@user_errors(ServiceError)
def key_list(
    org: Annotated[str | None, typer.Option(help="Only this organisation's keys.")] = None,
    db: DatabaseOption = None,
) -> None:
    """List keys (prefix, organisation, scopes, state); secrets are never shown."""
    table = Table("prefix", "organisation", "name", "scopes", "state", "expires")
    with session_maker(engine_for(db))() as session:
        names = {o.id: o.name for o in list_orgs(session)}
        owner = get_org(session, org) if org else None
        for key in list_keys(session, owner):
            table.add_row(
                key.prefix,
                names.get(key.org_id, "?"),
                key.name,
                " ".join(key.scopes),
                key_state(key),
                str(key.expires_at or ""),
            )
    console.print(table)


@key_app.command("revoke")
@user_errors(ServiceError)
def key_revoke(prefix: str, db: DatabaseOption = None) -> None:
    """Revoke a key by its prefix (workers stop accepting it within seconds)."""
    with session_maker(engine_for(db))() as session:
        revoke_key(session, prefix)
        session.commit()
    console.print(f"key [bold]{prefix}[/] revoked")


@audit_app.command("verify")
def audit_verify(db: DatabaseOption = None) -> None:
    """Check the audit chain; exit 1 and name the first bad record when it was tampered with."""
    with session_maker(engine_for(db))() as session:
        report = audit.verify_chain(session)
    if not report.ok:
        raise fail(
            f"audit chain broken at record {report.first_bad_seq}: {report.problem} "
            f"({report.records} records verified before it)",
            1,
        )
    console.print(f"audit chain intact: {report.records} records")


@audit_app.command("list")
def audit_list(
    action: Annotated[str | None, typer.Option(help="Only this action.")] = None,
    after_seq: Annotated[int, typer.Option(help="Start after this record.")] = 0,
    limit: Annotated[int, typer.Option(help="How many records.")] = 100,
    db: DatabaseOption = None,
) -> None:
    """Print audit records as JSON lines."""
    with session_maker(engine_for(db))() as session:
        for r in audit.query(session, org_id=None, action=action, after_seq=after_seq, limit=limit):
            typer.echo(
                json.dumps(
                    {
                        "seq": r.seq,
                        "at": r.at,
                        "actor": r.actor,
                        "action": r.action,
                        "target": r.target,
                        "detail": json.loads(r.detail),
                        "remote": r.remote,
                        "org_id": r.org_id,
                    }
                )
            )
