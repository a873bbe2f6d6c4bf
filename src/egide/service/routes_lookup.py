"""``POST /v1/hash``, ``POST /v1/lookup`` (hashes) and ``POST /v1/lookup/file`` (an upload)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile

from egide.hashing import FileHashes, HashOptions, hash_stream
from egide.match import MatchOptions
from egide.service.deps import remote_of, require, service
from egide.service.errors import Unprocessable, UnsupportedMedia
from egide.service.keys import Principal
from egide.service.limits import check_upload
from egide.service.lookup import Query as HashQuery
from egide.service.lookup import parse_query
from egide.service.lookup_run import hashes_answer, result_json, run
from egide.service.responses import FastJSONResponse
from egide.service.schemas import FileLookupResponse, LookupRequest, LookupResponse
from egide.service.scopes import HASH, LOOKUP

router = APIRouter(prefix="/v1", tags=["lookup"])


def _hash_upload(request: Request, upload: UploadFile, dihedral: bool) -> FileHashes:
    """Hash an image or video upload; anything else is refused (415), a broken one too (422).

    The service matches media: a document or an archive would only ever get file hashes, which
    a caller computes without uploading anything (``POST /v1/lookup`` takes them).
    """
    check_upload(upload, service(request).settings.max_upload_bytes)
    name = upload.filename or "upload"
    record = hash_stream(upload.file, name, HashOptions(dihedral=dihedral))
    if record.kind not in ("image", "video"):
        raise UnsupportedMedia(
            f"{name}: not an image or a video (content not recognised as any image or video "
            "format egide hashes); look file hashes up with POST /v1/lookup instead"
        )
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


@router.post("/lookup", response_class=FastJSONResponse, responses={200: {"model": LookupResponse}})
async def lookup(
    request: Request, body: LookupRequest, who: Annotated[Principal, Depends(require(LOOKUP))]
) -> FastJSONResponse:
    """Look one or more hashes up against every bank this organisation may use."""
    # ``fastpath`` answers plain JSON requests of this route before FastAPI sees them, with the
    # same code (``lookup_run.hashes_answer``); this handler answers all the others.
    queries = [parse_query(q.signal_type, q.value) for q in body.queries]
    # Built as JSON directly: the hot path skips re-validating its own output (the OpenAPI
    # document still declares LookupResponse, and the schemathesis run checks answers against it).
    return FastJSONResponse(await hashes_answer(service(request), remote_of(request), who, queries))


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
    state = service(request)
    result = run(state, remote_of(request), who, queries, [record], "file", MatchOptions())[0]
    return {"hashes": record.to_json_dict(), **result_json(result)}
