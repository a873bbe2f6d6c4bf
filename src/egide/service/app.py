"""The FastAPI application: one per worker process, built from settings.

Routes are thin: they check the key (``deps.require``), call the library and shape the answer.
Every client mistake becomes a 4xx JSON ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from egide.service import (
    routes_banks,
    routes_entries,
    routes_health,
    routes_history,
    routes_lookup,
    routes_scans,
)
from egide.service.errors import ServiceError
from egide.service.fastpath import INTERNAL, LookupFastPath
from egide.service.indexes import IndexRegistry
from egide.service.limits import BodyLimit
from egide.service.metrics import MetricsMiddleware
from egide.service.recorder import Recorder
from egide.service.responses import error_response as _error
from egide.service.scans import ScanRunner, ScanStore
from egide.service.schemas import ErrorOut
from egide.service.settings import ServiceSettings
from egide.service.state import ServiceState
from egide.store import open_engine, session_maker

log = logging.getLogger(__name__)


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error answers, all shaped ``{"error": {"code", "message"}}``."""
    return {status: {"model": ErrorOut, "description": "Error"} for status in statuses}


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(_request: Request, exc: ServiceError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        return _error(422, "invalid_request", f"{where}: {first['msg']}", errors)

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        # Keep the exception's headers: a 405 must say which methods are allowed.
        return _error(
            exc.status_code, f"http_{exc.status_code}", str(exc.detail), headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return _error(500, "internal", INTERNAL)


class EgideApp(FastAPI):
    """FastAPI, with the plain ``POST /v1/lookup`` calls answered before its middleware stack.

    ``fast_path`` (``fastpath.LookupFastPath``) sees each HTTP request first and hands all but
    those calls to FastAPI; None (``fast_lookup`` off) sends everything to FastAPI.
    """

    fast_path: LookupFastPath | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.fast_path is not None and scope["type"] == "http":
            scope["app"] = self
            await self.fast_path(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


def create_app(settings: ServiceSettings | None = None, engine: Engine | None = None) -> FastAPI:
    """The app; the database is migrated and the indexes loaded when it starts (lifespan)."""
    settings = settings or ServiceSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        eng = engine or open_engine(settings.database_url)
        registry = IndexRegistry(eng, settings.cache_dir, settings.refresh_seconds)
        recorder = Recorder(eng, settings.flush_seconds)
        store = ScanStore(settings.scan_dir)
        scans = ScanRunner(eng, store, settings.cache_dir)
        registry.start()
        recorder.start()
        app.state.service = ServiceState(
            settings, eng, session_maker(eng), registry, recorder, scans, store
        )
        # Everything loaded so far lives as long as the worker: out of the collector's sight,
        # a full collection no longer walks it (pauses of tens of ms in the p99 of lookups).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            scans.stop()
            registry.stop()
            recorder.stop()
            if engine is None:
                eng.dispose()

    app = EgideApp(
        title="egide matching service",
        version="1",
        description="Look hashes and files up against shared hash lists; manage banks.",
        lifespan=lifespan,
    )
    app.include_router(routes_health.router, responses=_errors(401, 403))
    for module in (routes_lookup, routes_banks, routes_entries, routes_history, routes_scans):
        app.include_router(module.router, responses=_errors(400, 401, 403, 404, 409, 413, 415, 422))
    _install_handlers(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(MetricsMiddleware)
    if settings.fast_lookup:
        app.fast_path = LookupFastPath(partial(FastAPI.__call__, app))
    return app


def app_from_env() -> FastAPI:
    """Factory for uvicorn workers (``egide serve``): settings come from the environment."""
    return create_app(ServiceSettings.from_env())
