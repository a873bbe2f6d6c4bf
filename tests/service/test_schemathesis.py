"""Property-based run of schemathesis against the app's own OpenAPI document (in-process ASGI):
whatever a client sends, the service answers without a 500 and as its document says."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from egide.service import ServiceSettings, create_app
from egide.store import open_engine
from tests.service.conftest import ALL, PDQ_A, make_key

# Not checked: whether the server rejects every schema-violating request (FastAPI ignores unknown
# query parameters), accepts every schema-valid one (a 64-character "pdq" value may still not be
# hex: refused with 422 by design), and answers OPTIONS/TRACE with an exact Allow header.
EXCLUDED = [
    checks.negative_data_rejection,
    checks.positive_data_acceptance,
    checks.unsupported_method,
    checks.allow_header_conformance,
]
_HOME = Path(tempfile.mkdtemp(prefix="egide-schemathesis-"))
_ENGINE = open_engine(f"sqlite:///{_HOME / 'egide.db'}")
_APP = create_app(
    ServiceSettings(
        database_url="", cache_dir=_HOME / "cache", refresh_seconds=0.5, flush_seconds=0.5
    ),
    _ENGINE,
)
_HEADERS = make_key(_ENGINE, "fuzzers", ALL)
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)


def _seed() -> None:
    """A bank the generated requests can hit, so routes get past 404 sometimes."""
    from fastapi.testclient import TestClient

    with TestClient(_APP) as client:
        client.post("/v1/banks", json={"name": "some-bank"}, headers=_HEADERS)
        client.post(
            "/v1/banks/some-bank/entries",
            json={"entries": [{"signal_type": "pdq", "value": PDQ_A}]},
            headers=_HEADERS,
        )


_seed()


@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms(case: schemathesis.Case) -> None:  # type: ignore[type-arg]
    if case.method == "DELETE" and case.path == "/v1/banks/{name}":
        case.path_parameters = {"name": "not-the-seeded-bank"}
    case.call_and_validate(headers=_HEADERS, excluded_checks=EXCLUDED)
