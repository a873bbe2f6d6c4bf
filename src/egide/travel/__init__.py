"""Traveller screening: API (PAXLST), PNR (PNRGOV) and CSV manifests against offender lists."""

from __future__ import annotations

from egide.travel.model import Document, Manifest, ParseIssue, Traveller
from egide.travel.readers import ManifestError, read_edifact_text, read_manifest
from egide.travel.rules import DEFAULT_RULES, Rules, load_rules
from egide.travel.screen import Hit, Screening, ScreenResult, screen

__all__ = [
    "DEFAULT_RULES",
    "Document",
    "Hit",
    "Manifest",
    "ManifestError",
    "ParseIssue",
    "Rules",
    "ScreenResult",
    "Screening",
    "Traveller",
    "load_rules",
    "read_edifact_text",
    "read_manifest",
    "screen",
]
