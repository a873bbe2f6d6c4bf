"""Notifications to the destination country's authority for confirmed hits (issue 6 §4).

In the spirit of an Interpol Green Notice or an Angel Watch notice: who travels, where, when, on
what document, why they are listed and by which source, and how the match was made. Rendered as
JSON, self-contained printable HTML (no script, no external resource) and PDF (fpdf2, core
fonts: text is transliterated to Latin-1 there, the HTML and JSON keep the original script).
"""

from __future__ import annotations

import hashlib
import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF
from unidecode import unidecode

from egide.travel.airports import UnknownAirport, authority, destination

NOTICE_VERSION = "1.0"


class NotifyError(ValueError):
    """The hits file or the chosen hit cannot be used."""


def load_hits(path: Path) -> list[dict[str, Any]]:
    """Hits of an `egide travel screen` output file."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise NotifyError(f"hits file {path}: {exc}") from None
    hits = data.get("hits") if isinstance(data, dict) else None
    if not isinstance(hits, list):
        raise NotifyError(f"hits file {path}: no 'hits' list (not a screen output?)")
    return hits


def default_recipient(hit: dict[str, Any]) -> str:
    """The destination country's authority, named from the arrival airport.

    NotifyError when the airport is missing or unknown: a notice must not go to nobody.
    """
    arrival = hit.get("passenger", {}).get("arrival_airport")
    try:
        return authority(destination(arrival))
    except UnknownAirport as exc:
        raise NotifyError(f"{exc}: name the recipient with --recipient") from None


def build_notice(
    hit: dict[str, Any], issuer: str, recipient: str | None, issued: datetime | None = None
) -> dict[str, Any]:
    """The notice as data; the reference is stable for the same hit.

    Without a recipient, the destination country's authority is named from the arrival airport
    (NotifyError when that airport is unknown).
    """
    p = hit["passenger"]
    listed = hit.get("listed", {})
    issued = issued or datetime.now(UTC)
    digest = hashlib.sha256(
        json.dumps([p.get("read_from"), hit.get("watchlist_id")], sort_keys=True).encode()
    ).hexdigest()[:12]
    return {
        "notice_version": NOTICE_VERSION,
        "reference": f"EGIDE-TRV-{digest.upper()}",
        "title": "Notification of travel by a person listed for sexual offences against children",
        "issued_at": issued.replace(microsecond=0).isoformat(),
        "issuer": issuer,
        "recipient": recipient or default_recipient(hit),
        "traveller": {
            "name": p.get("name"),
            "birth_date": p.get("birth_date"),
            "gender": p.get("gender"),
            "nationality": p.get("nationality"),
            "document": p.get("document"),
        },
        "travel": {
            "flight": p.get("flight"),
            "from": p.get("departure_airport"),
            "to": p.get("arrival_airport"),
            "departure": p.get("departure"),
            "arrival": p.get("arrival"),
        },
        "listing": {
            "watchlist_id": hit.get("watchlist_id"),
            "watchlist": hit.get("watchlist"),
            "source": hit.get("source"),
            "listed_name": listed.get("name"),
            "aliases": listed.get("aliases", []),
            "listed_birth_date": listed.get("birth_date"),
            "listed_nationality": listed.get("nationality"),
            "reason": listed.get("notes") or "see the listing source",
        },
        "match": {"score": hit.get("score"), "explanation": hit.get("explanation", [])},
        "handling": (
            "For law-enforcement use only. A name match is not proof of identity: verify the "
            "travel document before any action. Passenger data read from " + str(p.get("read_from"))
        ),
    }


def _rows(notice: dict[str, Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    t, tr, li, m = notice["traveller"], notice["travel"], notice["listing"], notice["match"]
    doc = t.get("document") or {}
    doc_text = (
        " ".join(x for x in (doc.get("kind"), doc.get("number"), doc.get("country")) if x)
        or "none given"
    )
    if doc.get("expiry"):
        doc_text += f" (expires {doc['expiry']})"
    return [
        (
            "Who travels",
            [
                ("Name", t["name"]),
                ("Birth date", t["birth_date"]),
                ("Gender", t["gender"]),
                ("Nationality", t["nationality"]),
                ("Document", doc_text),
            ],
        ),
        (
            "Where and when",
            [
                ("Flight", tr["flight"]),
                ("From", tr["from"]),
                ("To", tr["to"]),
                ("Departure", tr["departure"]),
                ("Arrival", tr["arrival"]),
            ],
        ),
        (
            "Why listed",
            [
                ("Listed as", li["listed_name"]),
                ("Aliases", ", ".join(li["aliases"]) or "none"),
                ("Listed birth date", li["listed_birth_date"]),
                ("Listed nationality", li["listed_nationality"]),
                ("Reason", li["reason"]),
                ("Source", li["source"]),
                ("List / entry", f"{li['watchlist']} / {li['watchlist_id']}"),
            ],
        ),
        (
            "How it matched",
            [("Score", str(m["score"]))]
            + [
                (str(e.get("feature")), f"{e.get('verdict')}: {e.get('detail')}")
                for e in m["explanation"]
            ],
        ),
    ]


def render_html(notice: dict[str, Any]) -> str:
    """Self-contained printable page: inline CSS, no script, no external resource."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(notice['reference'])}</title><style>",
        "body{font-family:sans-serif;max-width:48em;margin:2em auto;color:#111}",
        "h1{font-size:1.3em;border-bottom:3px solid #2a7a2a;padding-bottom:.3em}",
        "h2{font-size:1.05em;margin-top:1.4em;color:#2a5a2a}",
        "table{border-collapse:collapse;width:100%}td{border:1px solid #bbb;padding:.3em .5em;",
        "vertical-align:top}td:first-child{width:28%;font-weight:bold;background:#f2f6f2}",
        ".meta{color:#444}.handling{margin-top:2em;padding:.6em;border:2px solid #a33}",
        "@media print{body{margin:0}}</style></head><body>",
        f"<h1>{e(notice['title'])}</h1>",
        f"<p class='meta'>Reference <b>{e(notice['reference'])}</b> · issued "
        f"{e(notice['issued_at'])} by {e(notice['issuer'])}<br>To: {e(notice['recipient'])}</p>",
    ]
    for heading, rows in _rows(notice):
        parts.append(f"<h2>{e(heading)}</h2><table>")
        parts.extend(
            f"<tr><td>{e(k)}</td><td>{e(v if v is not None else '-')}</td></tr>" for k, v in rows
        )
        parts.append("</table>")
    parts.append(f"<p class='handling'>{e(notice['handling'])}</p></body></html>\n")
    return "".join(parts)


def _latin1(text: object) -> str:
    s = "-" if text is None else str(text)
    try:
        s.encode("latin-1")
        return s
    except UnicodeEncodeError:
        return unidecode(s)


def render_pdf(notice: dict[str, Any]) -> bytes:
    """A4 PDF with the same content (core font: non-Latin-1 text is transliterated)."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(width, 7, _latin1(notice["title"]))
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        width,
        5,
        _latin1(
            f"Reference {notice['reference']} - issued {notice['issued_at']} by {notice['issuer']}"
        ),
    )
    pdf.multi_cell(width, 5, _latin1(f"To: {notice['recipient']}"))
    for heading, rows in _rows(notice):
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 11)
        pdf.multi_cell(width, 6, _latin1(heading))
        for key, value in rows:
            pdf.set_font("Helvetica", "B", 9)
            pdf.cell(45, 5, _latin1(key))
            pdf.set_font("Helvetica", "", 9)
            pdf.multi_cell(width - 45, 5, _latin1(value))
    pdf.ln(4)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(width, 5, _latin1(notice["handling"]))
    return bytes(pdf.output())


def write_notice(notice: dict[str, Any], out_dir: Path, formats: set[str]) -> list[Path]:
    """Write the notice in the chosen formats; returns the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / notice["reference"]
    written: list[Path] = []
    if "json" in formats:
        path = stem.with_suffix(".json")
        path.write_text(json.dumps(notice, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    if "html" in formats:
        path = stem.with_suffix(".html")
        path.write_text(render_html(notice), encoding="utf-8")
        written.append(path)
    if "pdf" in formats:
        path = stem.with_suffix(".pdf")
        path.write_bytes(render_pdf(notice))
        written.append(path)
    return written
