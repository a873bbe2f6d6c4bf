"""Synthetic people and places for the generator: names by locale, currencies, UTC offsets."""

from __future__ import annotations

import random
from dataclasses import dataclass

from faker import Faker

DEMAND = ("US", "GB", "AU", "CA", "DE")
DEMAND_WEIGHTS = (0.45, 0.2, 0.2, 0.1, 0.05)
RISK = ("PH", "TH", "CO", "DO", "MX")
RISK_WEIGHTS = (0.6, 0.1, 0.1, 0.1, 0.1)
CURRENCY = {
    "US": "USD",
    "GB": "GBP",
    "AU": "AUD",
    "CA": "CAD",
    "DE": "EUR",
    "PH": "PHP",
    "TH": "THB",
    "CO": "COP",
    "DO": "DOP",
    "MX": "MXN",
    "NG": "NGN",
}
# One unit of the currency in USD, matching the default rate table.
USD_VALUE = {
    "USD": 1.0,
    "GBP": 1.27,
    "AUD": 0.66,
    "CAD": 0.73,
    "EUR": 1.08,
    "PHP": 0.0175,
    "THB": 0.028,
    "COP": 0.00025,
    "DOP": 0.017,
    "MXN": 0.055,
    "NGN": 0.00065,
}
OFFSET = {
    "US": "-05:00",
    "GB": "+00:00",
    "AU": "+10:00",
    "CA": "-05:00",
    "DE": "+01:00",
    "PH": "+08:00",
    "TH": "+07:00",
    "CO": "-05:00",
    "DO": "-04:00",
    "MX": "-06:00",
    "NG": "+01:00",
}
LOCALE = {
    "US": "en_US",
    "GB": "en_GB",
    "AU": "en_AU",
    "CA": "en_CA",
    "DE": "de_DE",
    "TH": "th_TH",
    "CO": "es_CO",
    "DO": "es_ES",
    "MX": "es_MX",
    "NG": "en_US",
}
# Common Filipino surnames (Faker has no Filipino name provider).
PH_SURNAMES = (
    "Santos",
    "Reyes",
    "Cruz",
    "Bautista",
    "Ocampo",
    "Garcia",
    "Mendoza",
    "Torres",
    "Tomas",
    "Andrada",
    "Castillo",
    "Flores",
    "Villanueva",
    "Ramos",
    "Castro",
    "Rivera",
    "Aquino",
    "Navarro",
    "Salazar",
    "Mercado",
    "Soriano",
    "Manalo",
    "Pascual",
    "Dizon",
    "Lim",
    "Tan",
    "Gonzales",
    "Aguilar",
    "Domingo",
    "Valdez",
    "Magbanua",
    "Panganiban",
    "Macaraeg",
)


@dataclass(frozen=True)
class Person:
    account_id: str
    name: str
    country: str
    kind: str = "person"

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


class NameMaker:
    """Faker instances per locale, seeded once, so the same seed gives the same people."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.fakers: dict[str, Faker] = {}
        self.counter = 0

    def _faker(self, country: str) -> Faker:
        locale = LOCALE.get(country, "es_ES")
        if locale not in self.fakers:
            fk = Faker(locale)
            fk.seed_instance(self.rng.randrange(1 << 30))
            self.fakers[locale] = fk
        return self.fakers[locale]

    def next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter:07d}"

    def name(self, country: str, female: bool | None = None, surname: str | None = None) -> str:
        fk = self._faker("DO" if country == "PH" else country)
        first = fk.first_name_female() if female else fk.first_name()
        if surname is None:
            surname = self.rng.choice(PH_SURNAMES) if country == "PH" else fk.last_name()
        return f"{first} {surname}"

    def person(
        self, country: str, female: bool | None = None, surname: str | None = None
    ) -> Person:
        return Person(self.next_id("A"), self.name(country, female, surname), country)

    def business(self, country: str, label: str) -> Person:
        fk = self._faker(country)
        return Person(self.next_id("B"), f"{fk.last_name()} {label}", country, "business")
