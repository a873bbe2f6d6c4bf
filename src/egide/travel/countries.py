"""Country codes in messages (alpha-3 mostly) to alpha-2, reporting what is not a country."""

from __future__ import annotations

from egide.watchlists.values import ValueError_, normalise_country


def country(code: str) -> str | None:
    """Alpha-2 for an alpha-2/alpha-3 code, None when empty or unknown."""
    try:
        return normalise_country(code)
    except ValueError_:
        return None
