"""Arrival airport (IATA code) -> destination country, from the pinned airportsdata package.

Notifications go to the destination country's authority; the country comes from the flight's
arrival airport. The table ships inside the package (no download at run time); an airport it
does not know gives a message that says so and how to name the recipient by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version

import airportsdata
import pycountry


@dataclass(frozen=True)
class Destination:
    iata: str
    airport: str
    city: str
    country_code: str  # ISO 3166 alpha-2
    country: str


class UnknownAirport(LookupError):
    """The arrival airport is missing or not in the airport table."""


@lru_cache(maxsize=1)
def _airports() -> dict[str, airportsdata.Airport]:
    return airportsdata.load("IATA")


def table_version() -> str:
    return f"airportsdata {version('airportsdata')}"


def destination(iata: str | None) -> Destination:
    """The country of an arrival airport, or UnknownAirport with the reason."""
    code = (iata or "").strip().upper()
    if not code:
        raise UnknownAirport("no arrival airport in the passenger data")
    row = _airports().get(code)
    if row is None:
        raise UnknownAirport(f"arrival airport {code!r} is not in {table_version()}")
    country = pycountry.countries.get(alpha_2=row["country"])
    name = getattr(country, "common_name", None) or (country.name if country else row["country"])
    return Destination(code, row["name"], row["city"], row["country"], name)


def authority(dest: Destination) -> str:
    """The addressee of a notification for travel to that country."""
    return (
        f"INTERPOL National Central Bureau and border police authority of {dest.country} "
        f"({dest.country_code}), for arrival at {dest.iata} ({dest.airport}, {dest.city})"
    )
