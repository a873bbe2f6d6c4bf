"""``/health`` (no key: load balancers call it) and ``/metrics`` (admin key)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from egide.service.deps import require
from egide.service.keys import Principal
from egide.service.metrics import exposition
from egide.service.scopes import ADMIN

router = APIRouter()


@router.get("/health", tags=["service"])
async def health() -> dict[str, str]:
    """Liveness: answers without touching the database."""
    return {"status": "ok"}


@router.get("/metrics", tags=["service"], response_class=Response)
async def metrics(_who: Annotated[Principal, Depends(require(ADMIN))]) -> Response:
    """Prometheus text exposition."""
    body, content_type = exposition()
    return Response(body, media_type=content_type)
