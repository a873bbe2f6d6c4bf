"""Storage: SQLAlchemy models, Alembic migrations, and where the database lives."""

from egide.store.database import (
    DATABASE_URL_ENV,
    data_home,
    default_database_url,
    migrate,
    open_engine,
    session_maker,
)
from egide.store.models import (
    Bank,
    BankEntry,
    Base,
    EntrySource,
    Exchange,
    Scan,
    ScanRecord,
    ScanUnit,
)

__all__ = [
    "DATABASE_URL_ENV",
    "Bank",
    "BankEntry",
    "Base",
    "EntrySource",
    "Exchange",
    "Scan",
    "ScanRecord",
    "ScanUnit",
    "data_home",
    "default_database_url",
    "migrate",
    "open_engine",
    "session_maker",
]
