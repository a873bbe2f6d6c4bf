"""The mapping table between category schemes (mappings.json), and a lookup that never guesses.

Numbers collide between schemes (US 0 is non-pertinent, DHS 0 uncategorised), so a category moves
to another scheme only through a row of the table; any other pair maps to None.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from egide.categories.schemes import Category, parse_category


@dataclass(frozen=True)
class Mapping:
    """One row of the table: ``source`` is the same class as ``target``, for the stated reason."""

    source: Category
    target: Category
    basis: str


def _category(text: str) -> Category:
    scheme, sep, code = text.partition(":")
    if not sep:
        raise ValueError(f"mapping endpoint {text!r} is not scheme:code")
    return parse_category(scheme, code)


@cache
def mappings() -> tuple[Mapping, ...]:
    """Every row, reverse rows included; ValueError if the table names an unknown category."""
    raw = json.loads(resources.files("egide.categories").joinpath("mappings.json").read_text())
    rows: list[Mapping] = []
    for row in raw["mappings"]:
        source, target = _category(row["from"]), _category(row["to"])
        rows.append(Mapping(source, target, row["basis"]))
        if row.get("both_ways"):
            rows.append(Mapping(target, source, row["basis"]))
    return tuple(rows)


@cache
def _table() -> dict[tuple[Category, str], Category]:
    table: dict[tuple[Category, str], Category] = {}
    for row in mappings():
        key = (row.source, row.target.scheme)
        if key in table and table[key] != row.target:
            raise ValueError(f"mappings.json maps {row.source} to two codes of {row.target.scheme}")
        table[key] = row.target
    return table


def map_category(category: Category, to_scheme: str) -> Category | None:
    """``category`` in ``to_scheme``: itself for the same scheme, a table row, or None."""
    scheme = to_scheme.strip().lower()
    if category.scheme == scheme:
        return category
    return _table().get((category, scheme))
