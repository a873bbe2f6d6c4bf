"""FollowTheMoney JSON lines: Person entities, with Passport/Identification entities attached.

Identity documents are separate entities pointing at their holder, so the file is read in two
passes: people first, then documents joined by holder id (a document may come before its holder).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from egide.watchlists.model import Watchlist, WatchlistEntry, WatchlistError
from egide.watchlists.values import (
    ValueError_,
    normalise_birth_date,
    normalise_country,
    normalise_document,
)

PERSON_SCHEMAS = {"Person"}
DOCUMENT_SCHEMAS = {"Passport", "Identification"}
ALIAS_PROPS = ("alias", "weakAlias", "previousName")
NATIONALITY_PROPS = ("nationality", "citizenship", "country")
SOURCE_PROPS = ("program", "publisher", "sourceUrl")


@dataclass
class _Person:
    position: str
    entry: dict[str, Any]
    documents: list[str] = field(default_factory=list)


def load_ftm(path: Path, list_name: str) -> Watchlist:
    """Load Person entities; bad entities are reported by their entity number (line)."""
    wl = Watchlist(name=list_name)
    people: dict[str, _Person] = {}
    documents: list[tuple[str, dict[str, Any]]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            position = f"entity {lineno}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                wl.errors.append(WatchlistError(position, f"not JSON: {exc.msg}"))
                continue
            if not isinstance(data, dict) or not isinstance(data.get("properties", {}), dict):
                wl.errors.append(WatchlistError(position, "not an entity object"))
                continue
            schema = data.get("schema")
            if schema in PERSON_SCHEMAS:
                eid = str(data.get("id") or "")
                if not eid:
                    wl.errors.append(WatchlistError(position, "Person without id"))
                elif eid in people:
                    wl.errors.append(WatchlistError(position, f"duplicate id {eid!r}"))
                else:
                    people[eid] = _Person(position, data)
            elif schema in DOCUMENT_SCHEMAS:
                documents.append((position, data))
    _attach_documents(documents, people, wl)
    for eid, person in people.items():
        try:
            wl.entries.append(_entry(eid, person, list_name))
        except ValueError_ as exc:
            wl.errors.append(WatchlistError(person.position, str(exc)))
    return wl


def _values(entity: dict[str, Any], *props: str) -> list[str]:
    out: list[str] = []
    properties = entity.get("properties") or {}
    for prop in props:
        raw = properties.get(prop) or []
        for value in raw if isinstance(raw, list) else [raw]:
            if isinstance(value, str) and value.strip() and value.strip() not in out:
                out.append(value.strip())
    return out


def _attach_documents(
    documents: list[tuple[str, dict[str, Any]]], people: dict[str, _Person], wl: Watchlist
) -> None:
    for position, doc in documents:
        holders = _values(doc, "holder")
        numbers = _values(doc, "number")
        if not numbers:
            wl.errors.append(WatchlistError(position, f"{doc.get('schema')} without number"))
            continue
        known = [h for h in holders if h in people]
        if not known:
            wl.errors.append(WatchlistError(position, f"holder {holders!r} is not a Person here"))
            continue
        for holder in known:
            people[holder].documents.extend(numbers)


def _entry(eid: str, person: _Person, list_name: str) -> WatchlistEntry:
    entity = person.entry
    names = _values(entity, "name")
    if not names:
        raise ValueError_("Person without name")
    births = _values(entity, "birthDate")
    countries = _values(entity, *NATIONALITY_PROPS)
    docs = _values(entity, "passportNumber", "idNumber") + person.documents
    source = _values(entity, *SOURCE_PROPS) or [str(d) for d in entity.get("datasets") or []]
    return WatchlistEntry(
        id=eid,
        name=names[0],
        aliases=tuple(dict.fromkeys(names[1:] + _values(entity, *ALIAS_PROPS))),
        birth_date=normalise_birth_date(births[0][:10]) if births else None,
        nationality=normalise_country(countries[0]) if countries else None,
        document_numbers=tuple(dict.fromkeys(normalise_document(d) for d in docs)),
        source=source[0] if source else "",
        notes="; ".join(_values(entity, "notes", "summary", "topics")),
        list_name=list_name,
    )
