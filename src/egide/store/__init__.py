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
    ApiKey,
    AuditRecord,
    Bank,
    BankEntry,
    BankShare,
    Base,
    EntrySource,
    Exchange,
    MatchRecord,
    Organisation,
    Scan,
    ScanRecord,
    ScanUnit,
)

__all__ = [
    "DATABASE_URL_ENV",
    "ApiKey",
    "AuditRecord",
    "Bank",
    "BankEntry",
    "BankShare",
    "Base",
    "EntrySource",
    "Exchange",
    "MatchRecord",
    "Organisation",
    "Scan",
    "ScanRecord",
    "ScanUnit",
    "data_home",
    "default_database_url",
    "migrate",
    "open_engine",
    "session_maker",
]
