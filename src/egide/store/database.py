"""Where the database lives and how it opens: SQLite by default, any SQLAlchemy URL otherwise."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DATABASE_URL_ENV = "EGIDE_DATABASE_URL"
HOME_ENV = "EGIDE_HOME"


def data_home() -> Path:
    """The data folder: $EGIDE_HOME, else $XDG_DATA_HOME/egide, else ~/.local/share/egide."""
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV])
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "egide"


def default_database_url() -> str:
    """``$EGIDE_DATABASE_URL`` when set, else a SQLite file ``egide.db`` in the data folder."""
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    return f"sqlite:///{data_home() / 'egide.db'}"


def _normalise(url: str) -> str:
    # "postgresql://" means psycopg 3 here: it is the driver egide pins.
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://") :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    config = Config()
    config.set_main_option("script_location", "egide.store:migrations")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_engine(url: str | None = None, *, upgrade: bool = True) -> Engine:
    """Open (and by default migrate) the database at ``url`` or the default one."""
    url = _normalise(url or default_database_url())
    if url.startswith("sqlite:///"):
        target = url[len("sqlite:///") :]
        if target and target != ":memory:":
            Path(target).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if upgrade:
        migrate(engine)
    return engine


def session_maker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
