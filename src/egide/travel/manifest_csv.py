"""CSV manifests for data that arrives neither as PAXLST nor PNRGOV (see docs/travel.md).

Columns: passenger_id (optional, kept as the traveller's reference), surname, given_names (or
one `name` column), birth_date (YYYY-MM-DD), gender, nationality (alpha-2/3), document_type,
document_number, document_country, flight, origin, destination, departure, arrival, role.
Only a name is required.
"""

from __future__ import annotations

import csv
from pathlib import Path

from egide.travel.countries import country
from egide.travel.model import Document, ParseIssue, Traveller
from egide.watchlists.values import ValueError_, normalise_birth_date

COLUMNS = (
    "passenger_id",
    "surname",
    "given_names",
    "name",
    "birth_date",
    "gender",
    "nationality",
    "document_type",
    "document_number",
    "document_country",
    "flight",
    "origin",
    "destination",
    "departure",
    "arrival",
    "role",
)


def read_csv_manifest(path: Path) -> tuple[list[Traveller], list[ParseIssue]]:
    """Every readable row becomes a traveller; bad rows are reported with their line."""
    out: list[Traveller] = []
    issues: list[ParseIssue] = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in reader.fieldnames or []]
        reader.fieldnames = header
        if "name" not in header and "surname" not in header:
            issues.append(ParseIssue("header", "line 1", "needs a 'surname' or 'name' column"))
            return out, issues
        unknown = [h for h in header if h not in COLUMNS]
        if unknown:
            issues.append(ParseIssue("header", "line 1", f"unknown columns ignored: {unknown}"))
        for row in reader:
            position = f"line {reader.line_num}"
            try:
                ref = (row.get("passenger_id") or "").strip() or f"{path.name} {position}"
                out.append(_row(row, ref))
            except ValueError_ as exc:
                issues.append(ParseIssue("row", position, str(exc)))
    return out, issues


def _row(row: dict[str, str], ref: str) -> Traveller:
    def cell(key: str) -> str:
        return (row.get(key) or "").strip()

    surname, given = cell("surname"), cell("given_names")
    if not surname and cell("name"):
        parts = cell("name").split()
        surname, given = parts[-1], " ".join(parts[:-1])
    if not surname:
        raise ValueError_("row without a name")
    nat = cell("nationality")
    if nat and country(nat) is None:
        raise ValueError_(f"nationality {nat!r} is not an ISO 3166 code")
    docs: tuple[Document, ...] = ()
    if cell("document_number"):
        docs = (
            Document(
                cell("document_type") or "P",
                cell("document_number"),
                country(cell("document_country")),
            ),
        )
    return Traveller(
        ref=ref,
        surname=surname,
        given_names=given,
        birth_date=normalise_birth_date(cell("birth_date")),
        gender=cell("gender") or None,
        nationality=country(nat),
        documents=docs,
        role=cell("role") or "passenger",
        flight=cell("flight") or None,
        origin=cell("origin") or None,
        destination=cell("destination") or None,
        departure=cell("departure") or None,
        arrival=cell("arrival") or None,
    )
