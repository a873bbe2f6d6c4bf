"""Banks: named hash lists with provenance, stored with SQLAlchemy (SQLite or PostgreSQL)."""

from egide.banks.errors import BankError
from egide.banks.exporting import iter_entries
from egide.banks.importing import ImportResult, import_entries, stage_entries
from egide.banks.manage import (
    BankSummary,
    create_bank,
    get_bank,
    list_banks,
    remove_bank,
    summarise,
)
from egide.banks.provenance import (
    record_sources,
    sources_of,
    withdraw_media,
    withdraw_source,
)

__all__ = [
    "BankError",
    "BankSummary",
    "ImportResult",
    "create_bank",
    "get_bank",
    "import_entries",
    "iter_entries",
    "list_banks",
    "record_sources",
    "remove_bank",
    "sources_of",
    "stage_entries",
    "summarise",
    "withdraw_media",
    "withdraw_source",
]
