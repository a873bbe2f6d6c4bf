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
