"""What one worker holds: the engine, the index registry, the recorder and the auth cache."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from egide.service.indexes import IndexRegistry
from egide.service.keys import Principal, authenticate, hash_token
from egide.service.recorder import Recorder
from egide.service.settings import ServiceSettings


@dataclass
class ServiceState:
    settings: ServiceSettings
    engine: Engine
    sessions: sessionmaker[Session]
    registry: IndexRegistry
    recorder: Recorder
    _auth: dict[str, tuple[Principal, float]] = field(default_factory=dict)

    def cached_principal(self, token: str) -> Principal | None:
        """A principal seen within ``auth_cache_seconds`` (so revocation takes that long)."""
        found = self._auth.get(hash_token(token))
        if found is None or found[1] < time.monotonic():
            return None
        return found[0]

    def authenticate(self, token: str) -> Principal:
        with self.sessions() as session:
            principal = authenticate(session, token)
        if len(self._auth) > 10_000:
            self._auth.clear()
        self._auth[hash_token(token)] = (
            principal,
            time.monotonic() + self.settings.auth_cache_seconds,
        )
        return principal
