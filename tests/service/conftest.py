"""Service fixtures: an app on the parametrised database, organisations and keys of each scope."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from egide.service import ServiceSettings, create_app
from egide.service.keys import create_key
from egide.service.orgs import create_org
from egide.service.scopes import ALL_SCOPES
from egide.service.state import ServiceState
from egide.store import open_engine, session_maker

ALL = list(ALL_SCOPES)


def make_key(engine: Engine, org: str, scopes: list[str]) -> dict[str, str]:
    """Authorization headers of a new key of ``org`` (created when missing)."""
    with session_maker(engine)() as session:
        from egide.service.orgs import get_org

        try:
            owner = get_org(session, org)
        except Exception:
            owner = create_org(session, org)
        token, _key = create_key(session, owner, scopes, actor="test")
        session.commit()
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Service:
    """A running app (lifespan started) and a way to make keys for it."""

    client: TestClient
    engine: Engine

    @property
    def state(self) -> ServiceState:
        state: ServiceState = self.client.app.state.service  # type: ignore[attr-defined]
        return state

    def key(self, org: str, scopes: list[str] = ALL) -> dict[str, str]:
        return make_key(self.engine, org, scopes)

    def refresh(self) -> None:
        """What each worker's refresh thread does every second, run now."""
        self.state.registry.refresh()

    def flush(self) -> None:
        self.state.recorder.flush()


@pytest.fixture
def start_service(
    tmp_path: Path,
) -> Iterator[Callable[..., Service]]:
    stack = ExitStack()

    def start(engine: Engine, **overrides: object) -> Service:
        values: dict[str, object] = {
            "database_url": str(engine.url),
            "cache_dir": tmp_path / "index-cache",
            "scan_dir": tmp_path / "scans",
            "refresh_seconds": 3600.0,  # tests refresh by hand unless they test the thread
            "flush_seconds": 3600.0,
            **overrides,
        }
        settings = ServiceSettings(**values)  # type: ignore[arg-type]
        client = stack.enter_context(TestClient(create_app(settings, engine)))
        return Service(client, engine)

    yield start
    stack.close()


@pytest.fixture
def svc(engine: Engine, start_service: Callable[..., Service]) -> Service:
    """The service on SQLite and on PostgreSQL."""
    return start_service(engine)


@pytest.fixture
def lite(tmp_path: Path, start_service: Callable[..., Service]) -> Iterator[Service]:
    """The service on SQLite only: for behaviour that does not depend on the database."""
    engine = open_engine(f"sqlite:///{tmp_path / 'lite.db'}")
    yield start_service(engine)
    engine.dispose()


PDQ_A = "f" * 16 + "0" * 48
PDQ_NEAR_A = "e" + "f" * 15 + "0" * 48  # 1 bit away
PDQ_FAR = "0" * 32 + "f" * 32
MD5_A = "d41d8cd98f00b204e9800998ecf8427e"
