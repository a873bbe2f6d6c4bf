"""Category schemes as data (schemes.json): a category is a scheme plus a code, never a number."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Scheme:
    name: str
    label: str
    codes: dict[str, str]
    # An open scheme (e.g. a VICS profile whose code table egide does not hold) accepts any code
    # as given, so a list keeps its categories without egide inventing their meaning.
    open: bool = False


@dataclass(frozen=True, order=True)
class Category:
    """A category as the field writes it, e.g. ``Category("projectvic-us", "1")``."""

    scheme: str
    code: str

    @property
    def label(self) -> str:
        """Shown wherever a category is shown: the scheme is always part of it."""
        scheme = schemes().get(self.scheme)
        scheme_label = scheme.label if scheme else self.scheme
        return f"{scheme_label} {self.code}"

    @property
    def description(self) -> str:
        scheme = schemes().get(self.scheme)
        return scheme.codes.get(self.code, "") if scheme else ""


@cache
def schemes() -> dict[str, Scheme]:
    raw = json.loads(resources.files("egide.categories").joinpath("schemes.json").read_text())
    return {
        name: Scheme(name, body["label"], dict(body["codes"]), bool(body.get("open", False)))
        for name, body in raw["schemes"].items()
    }


def parse_category(scheme: str, code: str) -> Category:
    """Validate a scheme and code; ValueError naming the known schemes or codes otherwise."""
    scheme_key = scheme.strip().lower()
    known = schemes()
    if scheme_key not in known:
        raise ValueError(f"unknown category scheme {scheme!r}; known: {', '.join(sorted(known))}")
    if known[scheme_key].open:
        if not code.strip():
            raise ValueError(f"empty category code for scheme {scheme_key}")
        return Category(scheme_key, code.strip())
    code_key = code.strip().upper()
    if code_key not in known[scheme_key].codes:
        codes = ", ".join(known[scheme_key].codes)
        raise ValueError(f"category {code!r} is not a code of scheme {scheme_key} ({codes})")
    return Category(scheme_key, code_key)
