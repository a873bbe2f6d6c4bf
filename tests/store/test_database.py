from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect

from egide.store import data_home, default_database_url, open_engine


def test_migrations_create_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"banks", "bank_entries", "scans", "scan_units", "scan_records"} <= tables


def test_migrating_twice_is_harmless(database_url: str) -> None:
    open_engine(database_url).dispose()
    engine = open_engine(database_url)
    assert "banks" in inspect(engine).get_table_names()
    engine.dispose()


def test_default_location_follows_egide_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("EGIDE_DATABASE_URL", raising=False)
    monkeypatch.setenv("EGIDE_HOME", str(tmp_path / "home"))
    assert data_home() == tmp_path / "home"
    assert default_database_url() == f"sqlite:///{tmp_path / 'home' / 'egide.db'}"
    monkeypatch.setenv("EGIDE_DATABASE_URL", "postgresql://x@h/db")
    assert default_database_url() == "postgresql://x@h/db"


def test_audit_log_survives_the_0007_rebuild(database_url: str) -> None:
    """Migration 0007 rebuilds the audit table on SQLite: its records and chain must survive."""
    from alembic import command
    from alembic.config import Config

    from egide.service.audit import AuditEvent, append_events, verify_chain
    from egide.store import session_maker

    engine = open_engine(database_url, upgrade=False)
    config = Config()
    config.set_main_option("script_location", "egide.store:migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    with session_maker(engine)() as session:
        append_events(session, [AuditEvent("test", "key.create", f"key:{i}") for i in range(5)])
        session.commit()
    engine.dispose()
    engine = open_engine(database_url)  # to head: 0007 drops the unique index on the hash
    with session_maker(engine)() as session:
        report = verify_chain(session)
    assert report.ok and report.records == 5
    engine.dispose()
