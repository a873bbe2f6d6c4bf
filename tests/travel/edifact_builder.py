"""Build PAXLST messages for tests, escaping separators with the release character."""

from __future__ import annotations

from dataclasses import dataclass


def esc(text: str) -> str:
    out = []
    for ch in text:
        if ch in "?:+'":
            out.append("?")
        out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class Pax:
    surname: str
    given: str
    birth: str  # YYMMDD
    nationality: str
    doc: str


def paxlst(people: list[Pax], una: bool = True, flight: str = "XY123") -> str:
    segs = [
        "UNB+UNOA:4+SENDER+RECEIVER+260101:1200+REF1",
        "UNH+M1+PAXLST:D:05B:UN:IATA",
        "BGM+745",
        "NAD+MS+++OPS",
        f"TDT+20+{flight}",
        "LOC+125+CDG",
        "DTM+189:2601011200:201",
        "LOC+87+BKK",
        "DTM+232:2601020600:201",
    ]
    for p in people:
        segs += [
            f"NAD+FL+++{esc(p.surname)}:{esc(p.given)}",
            "ATT+2++M",
            f"DTM+329:{p.birth}",
            f"NAT+2+{p.nationality}",
            f"DOC+P+{esc(p.doc)}",
            "DTM+36:301231",
            f"LOC+91+{p.nationality}",
        ]
    segs.append(f"CNT+42:{len(people)}")
    count = len(segs) - 1 + 1  # from UNH to UNT inclusive
    segs.append(f"UNT+{count}+M1")
    segs.append("UNZ+1+REF1")
    head = "UNA:+.? '" if una else ""
    return head + "'".join(segs) + "'"
