"""``POST /v1/hash``, ``POST /v1/lookup`` (hashes) and ``POST /v1/lookup/file`` (an upload)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from egide.hashing import FileHashes, HashOptions, hash_stream
from egide.match import FileMatch, MatchOptions
from egide.service import metrics
from egide.service.deps import remote_of, require, service
from egide.service.errors import Unprocessable
from egide.service.keys import Principal
from egide.service.limits import check_upload
from egide.service.lookup import (
    OPTIONS,
    as_record,
    history_rows,
    lookup_event,
    match_records,
    parse_query,
)
from egide.service.lookup import Query as HashQuery
from egide.service.schemas import FileLookupResponse, LookupRequest, LookupResponse
from egide.service.scopes import HASH, LOOKUP

router = APIRouter(prefix="/v1", tags=["lookup"])
INLINE_MAX = 4


def _hash_upload(request: Request, upload: UploadFile, dihedral: bool) -> FileHashes:
    check_upload(upload, service(request).settings.max_upload_bytes)
    record = hash_stream(upload.file, upload.filename or "upload", HashOptions(dihedral=dihedral))
    if record.error:
        raise Unprocessable(f"cannot hash the upload: {record.error}")
    return record


@router.post("/hash")
def hash_upload(
    request: Request,
    file: Annotated[UploadFile, File(description="The file to hash.")],
    _who: Annotated[Principal, Depends(require(HASH))],
    dihedral: Annotated[bool, Query(description="Add the 8 dihedral PDQ variants.")] = False,
) -> dict[str, object]:
    """The record ``egide hash`` prints: size, kind, md5, sha1, sha256, pdq and its quality."""
    return _hash_upload(request, file, dihedral).to_json_dict()


def _result(match: FileMatch) -> dict[str, Any]:
    return {
        "hits": [h.to_json_dict() for h in match.hits],
        "allowed_by": [h.to_json_dict() for h in match.allowed],
    }


def _run(
    request: Request,
    who: Principal,
    queries: list[HashQuery],
    records: list[FileHashes],
    what: str,
    options: MatchOptions = OPTIONS,
) -> list[FileMatch]:
    state = service(request)
    snapshot = state.registry.snapshot
    with state.sessions() as session:
        results = match_records(session, snapshot, who, records, options)
    state.recorder.add(
        lookup_event(who, remote_of(request), queries, results, what),
        history_rows(who, snapshot, records, results),
    )
    metrics.LOOKUPS.inc(len(queries))
    metrics.HITS.inc(sum(len(r.hits) for r in results))
    return results


@router.post("/lookup", response_class=JSONResponse, responses={200: {"model": LookupResponse}})
async def lookup(
    request: Request, body: LookupRequest, who: Annotated[Principal, Depends(require(LOOKUP))]
) -> JSONResponse:
    """Look one or more hashes up against every bank this organisation may use."""
    queries = [parse_query(q.signal_type, q.value) for q in body.queries]
    records = [as_record(q, i) for i, q in enumerate(queries)]
    if all(q.signal_type == "pdq" for q in queries) and len(queries) <= INLINE_MAX:
        # A few PDQ hashes are searched in memory (sub-millisecond; the database is read only
        # for the rows of hits): answered on the event loop, without a thread hand-off.
        results = _run(request, who, queries, records, "hashes")
    else:
        results = await run_in_threadpool(_run, request, who, queries, records, "hashes")
    # Built as JSON directly: the hot path skips re-validating its own output (the OpenAPI
    # document still declares LookupResponse, and the schemathesis run checks answers against it).
    return JSONResponse(
        {
            "results": [
                {"signal_type": q.signal_type, "value": q.value, **_result(r)}
                for q, r in zip(queries, results, strict=True)
            ]
        }
    )


@router.post("/lookup/file", response_model=FileLookupResponse)
def lookup_file(
    request: Request,
    file: Annotated[UploadFile, File(description="The file to hash and look up.")],
    who: Annotated[Principal, Depends(require(LOOKUP))],
) -> dict[str, Any]:
    """Hash an upload and look its hashes up; the response carries both."""
    record = _hash_upload(request, file, dihedral=False)
    queries = [
        HashQuery(signal, value)
        for signal in ("md5", "sha1", "sha256", "pdq")
        if (value := getattr(record, signal)) is not None
    ]
    # An upload has a real PDQ quality: flat images are not searched, as in ``egide scan``.
    result = _run(request, who, queries, [record], "file", MatchOptions())[0]
    return {"hashes": record.to_json_dict(), **_result(result)}
