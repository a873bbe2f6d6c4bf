"""The scopes an API key can carry; each route needs exactly one of them."""

from __future__ import annotations

HASH = "hash"
LOOKUP = "lookup"
BANK_READ = "bank:read"
BANK_WRITE = "bank:write"
ADMIN = "admin"
ALL_SCOPES = (HASH, LOOKUP, BANK_READ, BANK_WRITE, ADMIN)
VISIBILITIES = ("private", "shared", "public")
