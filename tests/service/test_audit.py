"""The audit chain records key, bank and lookup events, and detects any tampering."""

from __future__ import annotations

import typer
from sqlalchemy import delete, update
from typer.testing import CliRunner

from egide.cli.service_cmd import audit_app, key_app, org_app
from egide.service.audit import verify_chain
from egide.store import AuditRecord, session_maker
from tests.service.conftest import PDQ_A, Service


def _activity(lite: Service) -> dict[str, str]:
    admin = lite.key("police-a")
    lite.client.post("/v1/banks", json={"name": "l"}, headers=admin)
    lite.client.post(
        "/v1/banks/l/entries",
        json={"entries": [{"signal_type": "pdq", "value": PDQ_A}]},
        headers=admin,
    )
    lite.refresh()
    lite.client.post(
        "/v1/lookup", json={"queries": [{"signal_type": "pdq", "value": PDQ_A}]}, headers=admin
    )
    lite.flush()  # lookups are audited in batches, off the request path
    lite.client.get("/v1/banks/l/export", headers=admin)
    lite.flush()
    return admin


def test_chain_records_and_verifies(lite: Service) -> None:
    admin = _activity(lite)
    records = lite.client.get("/v1/audit", headers=admin).json()
    actions = [r["action"] for r in records]
    assert actions == ["key.create", "bank.create", "bank.add_entries", "lookup", "bank.export"]
    lookup = records[3]
    assert lookup["remote"] == "testclient" and lookup["detail"]["count"] == 1
    (one,) = lookup["detail"]["lookups"]
    assert one["hits"] == 1 and one["remote"] == "testclient" and one["at"].endswith("Z")
    assert one["values"] == [f"pdq:{PDQ_A}"]
    assert lookup["actor"].startswith("police-a/")
    assert lite.client.get("/v1/audit/verify", headers=admin).json()["ok"] is True
    other = lite.key("hotline-b")
    assert [r["action"] for r in lite.client.get("/v1/audit", headers=other).json()] == [
        "key.create"
    ]


def test_tampering_is_detected(lite: Service) -> None:
    _activity(lite)
    with session_maker(lite.engine)() as session:
        assert verify_chain(session).ok
        session.execute(
            update(AuditRecord).where(AuditRecord.seq == 3).values(detail='{"count":99}')
        )
        session.commit()
        report = verify_chain(session)
    assert not report.ok and report.first_bad_seq == 3 and report.records == 2


def test_deletion_is_detected_and_cli_verify(lite: Service) -> None:
    _activity(lite)
    app = typer.Typer()
    app.add_typer(audit_app, name="audit")
    runner = CliRunner()
    url = lite.engine.url.render_as_string(hide_password=False)
    assert runner.invoke(app, ["audit", "verify", "--db", url]).exit_code == 0
    with session_maker(lite.engine)() as session:
        session.execute(delete(AuditRecord).where(AuditRecord.seq == 2))
        session.commit()
    result = runner.invoke(app, ["audit", "verify", "--db", url])
    assert result.exit_code == 1


def test_cli_org_and_keys(lite: Service) -> None:
    app = typer.Typer()
    app.add_typer(org_app, name="org")
    app.add_typer(key_app, name="key")
    runner = CliRunner()
    url = lite.engine.url.render_as_string(hide_password=False)
    assert runner.invoke(app, ["org", "create", "unit-z", "--db", url]).exit_code == 0
    assert runner.invoke(app, ["org", "create", "unit-z", "--db", url]).exit_code == 2
    made = runner.invoke(
        app, ["key", "create", "unit-z", "-s", "lookup", "-s", "bank:read", "--db", url]
    )
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    assert token.startswith("egide_")
    headers = {"Authorization": f"Bearer {token}"}
    assert lite.client.get("/v1/banks", headers=headers).status_code == 200
    assert lite.client.post("/v1/banks", json={"name": "n"}, headers=headers).status_code == 403
    prefix = token.split("_")[1]
    assert runner.invoke(app, ["key", "revoke", prefix, "--db", url]).exit_code == 0
    assert runner.invoke(app, ["key", "create", "unit-z", "-s", "root", "--db", url]).exit_code == 2
    with session_maker(lite.engine)() as session:
        assert verify_chain(session).ok


def test_lookups_of_one_interval_share_a_record(lite: Service) -> None:
    """Every lookup is in the chain, grouped per key and flush: one record lists them all."""
    police = lite.key("police-a")
    hotline = lite.key("hotline-b", ["lookup", "admin"])
    query = {"queries": [{"signal_type": "pdq", "value": PDQ_A}]}
    for headers in (police, hotline, police):
        lite.client.post("/v1/lookup", json=query, headers=headers)
    lite.flush()
    records = lite.client.get("/v1/audit?action=lookup", headers=police).json()
    assert [r["detail"]["count"] for r in records] == [2]  # police-a's two; hotline-b's apart
    assert len(records[0]["detail"]["lookups"]) == 2
    theirs = lite.client.get("/v1/audit?action=lookup", headers=hotline).json()
    assert [r["detail"]["count"] for r in theirs] == [1]
    assert lite.client.get("/v1/audit/verify", headers=police).json()["ok"] is True
