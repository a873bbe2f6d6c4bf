"""Travellers as read from API/PNR/CSV manifests, and the problems found while reading them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """A travel document; the number is kept as sent (OCR confusions are handled when scoring)."""

    kind: str  # P passport, I identity card, V visa, ...
    number: str
    country: str | None = None  # issuing country, alpha-2
    expiry: str | None = None  # YYYY-MM-DD


@dataclass(frozen=True)
class Traveller:
    """One person on a flight. Dates are ISO; countries are ISO 3166 alpha-2."""

    ref: str  # where it was read: "file segment 12" / "file line 3"
    surname: str
    given_names: str
    birth_date: str | None = None
    gender: str | None = None
    nationality: str | None = None
    documents: tuple[Document, ...] = ()
    role: str = "passenger"  # or crew
    flight: str | None = None
    origin: str | None = None  # departure airport
    destination: str | None = None  # arrival airport
    departure: str | None = None  # ISO date-time
    arrival: str | None = None

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.surname}".strip()


@dataclass(frozen=True)
class ParseIssue:
    """A problem in an input message, named by segment and position so it can be found."""

    segment: str
    position: str
    message: str

    def __str__(self) -> str:
        return f"{self.position} ({self.segment}): {self.message}"


@dataclass
class Manifest:
    """Everything read from one input: the travellers that could be read and the problems."""

    source: str
    kind: str  # paxlst | pnrgov | csv
    travellers: list[Traveller] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)
