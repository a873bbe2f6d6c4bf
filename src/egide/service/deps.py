"""Route dependencies: the caller's key, checked for the scope the route needs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from egide.service.errors import Forbidden, Unauthorized
from egide.service.keys import Principal
from egide.service.state import ServiceState

bearer = HTTPBearer(auto_error=False, description="An egide API key: `Bearer egide_...`")


def service(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


def remote_of(request: Request) -> str:
    return request.client.host if request.client else ""


def require(scope: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency giving the caller's Principal; 401 without a valid key, 403 without scope."""

    async def principal(
        request: Request,
        credentials: HTTPAuthorizationCredentials | None = Depends(bearer),  # noqa: B008
    ) -> Principal:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise Unauthorized("an API key is required: Authorization: Bearer egide_...")
        state = service(request)
        token = credentials.credentials
        who = state.cached_principal(token)
        if who is None:
            who = await run_in_threadpool(state.authenticate, token)
        if scope not in who.scopes:
            raise Forbidden(f"this key lacks the {scope!r} scope")
        return who

    return principal
