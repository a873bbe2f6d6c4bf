"""PAXLST (API) meaning on top of the EDIFACT segments: flights and travellers.

Segment groups follow the WCO/IATA/ICAO API guidelines (D02B/D05B): TDT starts a flight leg
(LOC 125/87 + DTM 189/232), NAD FL/FM starts a traveller whose ATT, DTM, LOC, NAT, RFF, DOC
segments follow until the next NAD or CNT.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from egide.travel.countries import country
from egide.travel.dates import birth_yymmdd, future_yymmdd, yymmddhhmm
from egide.travel.edifact import Segment
from egide.travel.model import Document, ParseIssue, Traveller

TRAVELLER_NAD = {"FL": "passenger", "FM": "crew", "DDT": "crew", "DDU": "passenger"}
OTHER_NAD = {"MS", "BA", "CPE", "COT", "AGE", "SE", "CMB", "FW"}
TRAVELLER_LOC = {"22", "174", "178", "179", "180", "91", "11", "74", "176"}
FLIGHT_LOC = {"125", "87", "92", "130", "188"}
TRAVELLER_DTM = {"329", "36", "182", "263"}
FLIGHT_DTM = {"189", "232", "554", "137"}
DOC_TYPES = {"P", "V", "I", "A", "C", "F", "M", "IP", "AC", "ACT", "IN", "L", "PT", "S", "T"}
BGM_KIND = {"745": "passenger", "250": "crew", "266": "passenger", "336": "passenger"}


@dataclass
class _Leg:
    flight: str = ""
    origin: str | None = None
    destination: str | None = None
    departure: str | None = None
    arrival: str | None = None


@dataclass
class _Person:
    ref: str
    role: str
    surname: str = ""
    given: str = ""
    birth: str | None = None
    gender: str | None = None
    nationality: str | None = None
    embark: str | None = None
    debark: str | None = None
    docs: list[Document] = field(default_factory=list)


def read_paxlst(segments: list[Segment], source: str) -> tuple[list[Traveller], list[ParseIssue]]:
    """Travellers of every PAXLST message in the interchange, with the problems found."""
    travellers: list[Traveller] = []
    issues: list[ParseIssue] = []
    legs: list[_Leg] = []
    people: list[_Person] = []
    person: _Person | None = None
    last_loc = ""
    doc_open = False
    declared: dict[str, tuple[int, Segment]] = {}

    def issue(seg: Segment, message: str) -> None:
        issues.append(ParseIssue(seg.tag, seg.position, message))

    def flush() -> None:
        travellers.extend(_traveller(p, legs) for p in people)
        people.clear()

    for seg in segments:
        tag = seg.tag
        q = seg.comp(0)
        if tag == "UNH":
            flush()
            legs, person, declared = [], None, {}
        elif tag == "BGM" and q not in BGM_KIND:
            issue(seg, f"unknown document name code {q!r} (745 passenger list, 250 crew list)")
        elif tag == "TDT":
            legs.append(_Leg(flight=seg.comp(1)))
            person = None
        elif tag == "NAD":
            if q in TRAVELLER_NAD:
                person = _Person(ref=f"{source} {seg.position}", role=TRAVELLER_NAD[q])
                person.surname = seg.comp(3, 0)
                person.given = " ".join(p for p in seg.components(3)[1:] if p)
                if not person.surname:
                    issue(seg, "traveller without surname")
                people.append(person)
                doc_open = False
            elif q in OTHER_NAD:
                person = None
            else:
                issue(seg, f"unknown NAD party qualifier {q!r}")
                person = None
        elif tag == "LOC":
            last_loc = q
            place = seg.comp(1)
            if person is not None and q in TRAVELLER_LOC:
                if q == "91" and doc_open and person.docs:
                    d = person.docs[-1]
                    person.docs[-1] = Document(d.kind, d.number, country(place), d.expiry)
                elif q == "178":
                    person.embark = place or None
                elif q == "179":
                    person.debark = place or None
            elif person is None and legs and q in FLIGHT_LOC:
                if q == "125":
                    legs[-1].origin = place or None
                elif q == "87":
                    legs[-1].destination = place or None
            elif q not in TRAVELLER_LOC | FLIGHT_LOC:
                issue(seg, f"unknown LOC place qualifier {q!r}")
        elif tag == "DTM":
            value = seg.comp(0, 1)
            if person is not None and q == "329":
                person.birth = birth_yymmdd(value)
                if person.birth is None:
                    issue(seg, f"unreadable birth date {value!r}")
            elif person is not None and q == "36" and doc_open and person.docs:
                d = person.docs[-1]
                person.docs[-1] = Document(d.kind, d.number, d.country, future_yymmdd(value))
            elif person is None and legs and q == "189":
                legs[-1].departure = yymmddhhmm(value)
            elif person is None and legs and q == "232":
                legs[-1].arrival = yymmddhhmm(value)
            elif q not in TRAVELLER_DTM | FLIGHT_DTM:
                issue(seg, f"unknown DTM date qualifier {q!r} (after LOC {last_loc})")
        elif tag == "ATT" and person is not None:
            if q != "2":
                issue(seg, f"unknown ATT attribute qualifier {q!r}")
            else:
                person.gender = seg.comp(2) or None
        elif tag == "NAT" and person is not None:
            person.nationality = country(seg.comp(1))
            if seg.comp(1) and person.nationality is None:
                issue(seg, f"unknown nationality {seg.comp(1)!r}")
        elif tag == "DOC" and person is not None:
            if q not in DOC_TYPES:
                issue(seg, f"unknown DOC document type {q!r}")
            number = seg.comp(1)
            if number:
                person.docs.append(Document(q or "?", number))
                doc_open = True
            else:
                issue(seg, "document without number")
        elif tag == "CNT":
            person = None
            if q in ("41", "42") and seg.comp(0, 1).isdigit():
                declared[q] = (int(seg.comp(0, 1)), seg)
            elif q in ("41", "42") and seg.comp(1).isdigit():
                declared[q] = (int(seg.comp(1)), seg)
        elif tag == "UNT":
            _check_counts(people, declared, issues)
            flush()
    flush()
    return travellers, issues


def _check_counts(
    people: list[_Person], declared: dict[str, tuple[int, Segment]], issues: list[ParseIssue]
) -> None:
    total = len(people)
    for qualifier, (count, seg) in declared.items():
        role = "crew" if qualifier == "41" else "passenger"
        present = sum(1 for p in people if p.role == role) or total
        if count != present:
            issues.append(
                ParseIssue(
                    "CNT", seg.position, f"CNT+{qualifier} declares {count}, {present} {role} read"
                )
            )


def _traveller(p: _Person, legs: list[_Leg]) -> Traveller:
    first = legs[0] if legs else _Leg()
    last = legs[-1] if legs else _Leg()
    return Traveller(
        ref=p.ref,
        surname=p.surname,
        given_names=p.given,
        birth_date=p.birth,
        gender=p.gender,
        nationality=p.nationality,
        documents=tuple(p.docs),
        role=p.role,
        flight=first.flight or None,
        origin=p.embark or first.origin,
        destination=p.debark or last.destination,
        departure=first.departure,
        arrival=last.arrival,
    )
