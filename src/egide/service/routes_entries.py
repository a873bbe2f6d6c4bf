"""A bank's entries: page through, add, enable/disable, remove, import a list, export it."""

from __future__ import annotations

import os
import tempfile
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from egide.banks import iter_entries
from egide.formats import FormatError, ListEntry, all_formats, get_format
from egide.service.access import find_bank
from egide.service.audit import AuditEvent, append
from egide.service.bankops import (
    Actor,
    add_entries,
    entries_page,
    get_entry,
    import_list,
    remove_entry,
    set_entry_enabled,
    to_list_entry,
    validated,
)
from egide.service.deps import remote_of, require, service
from egide.service.errors import BadRequest, Unprocessable
from egide.service.keys import Principal
from egide.service.limits import check_upload
from egide.service.schemas import EntriesIn, EntryOut, EntryUpdate, ImportOut
from egide.store import BankEntry

router = APIRouter(prefix="/v1/banks/{name}", tags=["entries"])
Reader = Annotated[Principal, Depends(require("bank:read"))]
Writer = Annotated[Principal, Depends(require("bank:write"))]
FORMATS = ", ".join(f.name for f in all_formats())


def _entry_out(entry: BankEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "signal_type": entry.signal_type,
        "value": entry.value,
        "category_scheme": entry.category_scheme,
        "category": entry.category_code,
        "series": entry.series,
        "enabled": entry.enabled,
        "quarantined": entry.quarantined_at is not None,
    }


def _import_out(result: Any) -> dict[str, Any]:
    return {
        "added": result.added,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rejected": result.error_count,
        "errors": [str(e) for e in result.errors[:100]],
        "committed": result.committed,
    }


@router.get("/entries", response_model=list[EntryOut])
def list_entries(
    request: Request,
    name: str,
    who: Reader,
    after_id: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """Entries in id order; pass the last id seen as ``after_id`` for the next page."""
    with service(request).sessions() as session:
        bank = find_bank(session, who, name)
        return [_entry_out(e) for e in entries_page(session, bank, after_id, limit)]


@router.post("/entries", response_model=ImportOut, status_code=201)
def add_route(request: Request, name: str, body: EntriesIn, who: Writer) -> dict[str, Any]:
    """Add entries (all or none); an entry already present has its metadata updated."""
    entries: list[ListEntry] = []
    for position, e in enumerate(body.entries):
        try:
            entries.append(
                to_list_entry(
                    e.signal_type,
                    e.value,
                    e.category_scheme,
                    e.category,
                    e.series,
                    e.victim_identified,
                    e.baseline,
                )
            )
        except ValueError as exc:
            raise Unprocessable(f"entries[{position}]: {exc}") from None
    with service(request).sessions() as session:
        bank = find_bank(session, who, name, write=True)
        result = add_entries(session, Actor(who, remote_of(request)), bank, entries, body.source)
    return _import_out(result)


@router.patch("/entries/{entry_id}", response_model=EntryOut)
def update_entry(
    request: Request, name: str, entry_id: int, body: EntryUpdate, who: Writer
) -> dict[str, Any]:
    """Enable or disable one entry."""
    with service(request).sessions() as session:
        bank = find_bank(session, who, name, write=True)
        entry = get_entry(session, bank, entry_id)
        set_entry_enabled(session, Actor(who, remote_of(request)), bank, entry, body.enabled)
        session.commit()
        return _entry_out(entry)


@router.delete("/entries/{entry_id}", status_code=204)
def delete_entry(request: Request, name: str, entry_id: int, who: Writer) -> None:
    with service(request).sessions() as session:
        bank = find_bank(session, who, name, write=True)
        remove_entry(
            session, Actor(who, remote_of(request)), bank, get_entry(session, bank, entry_id)
        )
        session.commit()


@router.post("/import", response_model=ImportOut)
def import_route(
    request: Request,
    name: str,
    file: Annotated[UploadFile, File(description="The hash list.")],
    who: Writer,
    format: Annotated[str, Query(description=f"List format: {FORMATS}", max_length=40)] = "csv",
    strict: Annotated[bool, Query(description="Import nothing if any record is bad.")] = False,
    source: Annotated[str | None, Query(max_length=300)] = None,
) -> dict[str, Any]:
    """Import an uploaded list (idempotent); bad records are reported with their line."""
    try:
        list_format = get_format(format)
    except FormatError as exc:
        raise BadRequest(str(exc)) from None
    state = service(request)
    check_upload(file, state.settings.max_upload_bytes)
    with state.sessions() as session:
        bank = find_bank(session, who, name, write=True)
        result = import_list(
            session,
            Actor(who, remote_of(request)),
            bank,
            validated(list_format.read(file.file)),
            fmt=format,
            strict=strict,
            source=source,
        )
    return _import_out(result)


@router.get("/export", response_class=FileResponse)
def export_route(
    request: Request,
    name: str,
    who: Reader,
    format: Annotated[str, Query(description=f"List format: {FORMATS}", max_length=40)] = "csv",
) -> FileResponse:
    """Download the bank's entries as a list file. Audited."""
    try:
        list_format = get_format(format)
    except FormatError as exc:
        raise BadRequest(str(exc)) from None
    if not list_format.can_write:
        raise BadRequest(f"format {format!r} can be imported but not exported")
    handle, path = tempfile.mkstemp(prefix="egide-export-", suffix=".txt")
    try:
        with service(request).sessions() as session:
            bank = find_bank(session, who, name)
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as target:
                count = list_format.write(iter_entries(session, bank), target)
            actor = Actor(who, remote_of(request))
            event: AuditEvent = actor.event(
                "bank.export", f"bank:{name}", {"format": format, "entries": count}
            )
            append(session, event)
            session.commit()
    except BaseException:
        os.unlink(path)
        raise
    return FileResponse(
        path,
        media_type="text/plain; charset=utf-8",
        filename=f"{name}.{format}",
        background=BackgroundTask(os.unlink, path),
    )
