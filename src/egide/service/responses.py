"""JSON responses: orjson for the hot lookup route, and the one shape of every error answer.

orjson renders several times faster than the standard library's json; the standard encoder is
used where orjson is not installed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is pinned; this keeps a bare install working
    orjson = None  # type: ignore[assignment]


class FastJSONResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        if orjson is not None:
            return orjson.dumps(content)
        return json.dumps(content, separators=(",", ":"), ensure_ascii=False).encode()


def error_response(
    status: int,
    code: str,
    message: str,
    details: object = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """``{"error": {"code", "message"[, "details"]}}``; a 401 says which scheme to use."""
    body: dict[str, object] = {"code": code, "message": message}
    if details is not None:
        body["details"] = jsonable_encoder(details)
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse({"error": body}, status_code=status, headers=headers)
