"""PNRGOV meaning: the reported flight (first TVL), PNRs (SRC), travellers (TIF), SSR DOCS.

Passport data is in SSR DOCS free text '/type/issuer/number/nationality/birth/gender/expiry/
surname/given/middle'. A DOCS belongs to the traveller whose TIF reference it carries, else to
the TIF just before it when the surname agrees, else to the PNR's TIF with that surname; DOCS
with no TIF still make a traveller, since DOCS names are the ones matched at the border.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from egide.travel.countries import country
from egide.travel.dates import ddmmyy, ddmonyy
from egide.travel.edifact import Segment
from egide.travel.model import Document, ParseIssue, Traveller

TITLES = ("MRS", "MSTR", "MISS", "MR", "MS", "DR", "MX", "CHD", "INF")
GLUED_TITLES = ("MRS", "MSTR", "MISS", "MR")


@dataclass
class _Flight:
    flight: str | None = None
    origin: str | None = None
    destination: str | None = None
    departure: str | None = None
    arrival: str | None = None


@dataclass
class _Tif:
    ref: str
    surname: str
    given: str
    number: str
    docs: list[dict[str, str]] = field(default_factory=list)


def strip_title(given: str) -> str:
    """'NINA MS' and 'JOHNMR' -> the name; glued forms only for titles no name ends with."""
    words = given.split()
    if len(words) > 1 and words[-1] in TITLES:
        words = words[:-1]
    if len(words) == 1:
        for title in GLUED_TITLES:
            if words[0].endswith(title) and len(words[0]) > len(title) + 1:
                words[0] = words[0][: -len(title)]
                break
    return " ".join(words)


def _key(surname: str) -> str:
    return re.sub(r"[^A-Z]", "", surname.upper())


def parse_docs(text: str) -> dict[str, str]:
    """Fields of SSR DOCS free text (empty strings for absent fields)."""
    parts = text.split("/")
    names = ["", "kind", "issuer", "number", "nationality", "birth", "gender", "expiry"]
    names += ["surname", "given", "middle"]
    return {n: (parts[i].strip() if i < len(parts) else "") for i, n in enumerate(names) if n}


def read_pnrgov(segments: list[Segment], source: str) -> tuple[list[Traveller], list[ParseIssue]]:
    """Travellers of every PNR in the interchange, on the flight the message reports."""
    out: list[Traveller] = []
    issues: list[ParseIssue] = []
    flight = _Flight()
    pnr: list[_Tif] = []
    orphans: list[tuple[Segment, dict[str, str]]] = []
    in_pnr = False

    def close() -> None:
        out.extend(_travellers(pnr, orphans, flight, source))
        pnr.clear()
        orphans.clear()

    for seg in segments:
        if seg.tag == "UNH":
            close()
            flight, in_pnr = _Flight(), False
        elif seg.tag == "TVL" and not in_pnr:
            flight = _tvl(seg)
        elif seg.tag == "SRC":
            close()
            in_pnr = True
        elif seg.tag == "TIF":
            surname = seg.comp(0)
            if not surname:
                issues.append(ParseIssue("TIF", seg.position, "traveller without surname"))
                continue
            pnr.append(
                _Tif(
                    ref=f"{source} {seg.position}",
                    surname=surname,
                    given=strip_title(seg.comp(1).upper()),
                    number=seg.comp(1, 2),
                )
            )
        elif seg.tag == "SSR" and seg.comp(0) == "DOCS":
            free = next((c for c in seg.components(0)[1:] if c.startswith("/")), "")
            docs = parse_docs(free)
            if not docs["surname"] and not docs["number"]:
                issues.append(ParseIssue("SSR", seg.position, "SSR DOCS without name or number"))
                continue
            docs["ref"] = seg.comp(1, 2)
            docs["position"] = seg.position
            target = _owner(pnr, docs)
            if target is None:
                orphans.append((seg, docs))
            else:
                target.docs.append(docs)
        elif seg.tag == "UNT":
            close()
    close()
    return out, issues


def _owner(pnr: list[_Tif], docs: dict[str, str]) -> _Tif | None:
    if docs["ref"]:
        for tif in pnr:
            if tif.number == docs["ref"]:
                return tif
    key = _key(docs["surname"])
    if pnr and (not key or _key(pnr[-1].surname) == key):
        return pnr[-1]
    return next((t for t in pnr if _key(t.surname) == key), None)


def _tvl(seg: Segment) -> _Flight:
    c = [*seg.components(0), "", "", "", ""]
    departure = ddmmyy(c[0], c[1])
    arrival = ddmmyy(c[2], c[3]) if re.fullmatch(r"\d{6}", c[2]) else ddmmyy(c[0], c[3] or c[2])
    carrier, number = seg.comp(3), seg.comp(4)
    return _Flight(
        flight=(carrier + number) or None,
        origin=seg.comp(1) or None,
        destination=seg.comp(2) or None,
        departure=departure,
        arrival=arrival,
    )


def _document(d: dict[str, str]) -> tuple[Document, ...]:
    if not d["number"]:
        return ()
    return (
        Document(d["kind"] or "?", d["number"], country(d["issuer"]), ddmonyy(d["expiry"], False)),
    )


def _from_docs(
    ref: str, d: dict[str, str], flight: _Flight, fallback: tuple[str, str]
) -> Traveller:
    given = " ".join(x for x in (strip_title(d["given"].upper()), d["middle"].upper()) if x)
    gender = d["gender"][:1] or None
    return Traveller(
        ref=ref,
        surname=d["surname"] or fallback[0],
        given_names=given or fallback[1],
        birth_date=ddmonyy(d["birth"], True),
        gender=gender,
        nationality=country(d["nationality"]) or country(d["issuer"]),
        documents=_document(d),
        flight=flight.flight,
        origin=flight.origin,
        destination=flight.destination,
        departure=flight.departure,
        arrival=flight.arrival,
    )


def _travellers(
    pnr: list[_Tif], orphans: list[tuple[Segment, dict[str, str]]], flight: _Flight, source: str
) -> list[Traveller]:
    out: list[Traveller] = []
    for tif in _distinct(pnr):
        if tif.docs:
            first = tif.docs[0]
            t = _from_docs(tif.ref, first, flight, (tif.surname, tif.given))
            extra = tuple(doc for d in tif.docs[1:] for doc in _document(d))
            out.append(_replace_docs(t, t.documents + extra))
        else:
            out.append(
                Traveller(
                    ref=tif.ref,
                    surname=tif.surname,
                    given_names=tif.given,
                    flight=flight.flight,
                    origin=flight.origin,
                    destination=flight.destination,
                    departure=flight.departure,
                    arrival=flight.arrival,
                )
            )
    for seg, d in orphans:
        out.append(_from_docs(f"{source} {seg.position}", d, flight, ("", "")))
    return out


def _distinct(pnr: list[_Tif]) -> list[_Tif]:
    """A PNR repeats its travellers under each itinerary segment; keep each person once."""
    kept: list[_Tif] = []
    for tif in sorted(pnr, key=lambda t: not t.docs):
        key = (_key(tif.surname), _key(tif.given))
        if any(
            _key(k.surname) == key[0] and (_key(k.given).startswith(key[1]) or not key[1])
            for k in kept
        ):
            continue
        kept.append(tif)
    order = {id(t): i for i, t in enumerate(pnr)}
    return sorted(kept, key=lambda t: order[id(t)])


def _replace_docs(t: Traveller, docs: tuple[Document, ...]) -> Traveller:
    from dataclasses import replace

    return replace(t, documents=docs)
