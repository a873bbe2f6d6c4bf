"""Normalising list values (birth dates, countries, document numbers) so lists compare equal."""

from __future__ import annotations

import re
from datetime import date

import pycountry

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Codes in use by travel documents but absent from ISO 3166-1 proper.
_EXTRA_ALPHA3 = {"XKX": "XK", "RKS": "XK", "D": "DE", "GBD": "GB", "GBN": "GB", "GBO": "GB"}
_EXTRA_ALPHA2 = {"XK"}


class ValueError_(ValueError):
    """A list value that cannot be understood."""


def normalise_birth_date(text: str) -> str | None:
    """Return 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', None when empty; raise on anything else."""
    text = text.strip()
    if not text:
        return None
    m = _DATE.match(text)
    if not m:
        raise ValueError_(f"birth_date {text!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = m.groups()
    if not 1850 <= int(year) <= 2100:
        raise ValueError_(f"birth_date {text!r}: year out of range")
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError_(f"birth_date {text!r}: month out of range")
    if day is not None:
        try:
            date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError_(f"birth_date {text!r} is not a real date") from None
    return text


def normalise_country(text: str) -> str | None:
    """Map ISO 3166 alpha-2 or alpha-3 (any case) to upper-case alpha-2."""
    code = text.strip().upper()
    if not code:
        return None
    if code in _EXTRA_ALPHA3:
        return _EXTRA_ALPHA3[code]
    if code in _EXTRA_ALPHA2:
        return code
    if len(code) == 2:
        found = pycountry.countries.get(alpha_2=code)
    elif len(code) == 3:
        found = pycountry.countries.get(alpha_3=code)
    else:
        found = None
    if found is None:
        raise ValueError_(f"nationality {text!r} is not an ISO 3166 alpha-2 or alpha-3 code")
    return str(found.alpha_2)


def normalise_document(text: str) -> str:
    """Upper-case, drop spaces, dashes and dots: the forms a number is typed in differ there."""
    return re.sub(r"[\s\-./]", "", text).upper()


def split_multi(text: str) -> tuple[str, ...]:
    """Split a '|'-separated cell, dropping empty parts."""
    return tuple(p.strip() for p in text.split("|") if p.strip())
