"""Read any supported manifest: PAXLST and PNRGOV by their UNH message type, CSV by extension."""

from __future__ import annotations

from pathlib import Path

from egide.travel.edifact import read_interchange
from egide.travel.manifest_csv import read_csv_manifest
from egide.travel.model import Manifest, ParseIssue
from egide.travel.paxlst import read_paxlst
from egide.travel.pnrgov import read_pnrgov


class ManifestError(ValueError):
    """The file cannot be read at all (missing, not text)."""


def read_manifest(path: Path) -> Manifest:
    """Travellers and problems of one file; problems never stop the readable part."""
    path = Path(path)
    if not path.is_file():
        raise ManifestError(f"manifest {path}: no such file")
    if path.suffix.lower() == ".csv":
        travellers, issues = read_csv_manifest(path)
        return Manifest(str(path), "csv", travellers, issues)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return read_edifact_text(text, path.name, str(path))


def read_edifact_text(text: str, name: str, source: str | None = None) -> Manifest:
    """Parse an EDIFACT interchange and apply the PAXLST or PNRGOV meaning it declares."""
    interchange = read_interchange(text)
    issues = list(interchange.issues)
    kinds = {s.comp(1, 0) for s in interchange.segments if s.tag == "UNH"}
    if "PNRGOV" in kinds:
        travellers, more = read_pnrgov(interchange.segments, name)
        kind = "pnrgov"
    elif "PAXLST" in kinds or not kinds:
        if not kinds:
            issues.append(ParseIssue("UNH", "segment 1", "no UNH; read as PAXLST"))
        travellers, more = read_paxlst(interchange.segments, name)
        kind = "paxlst"
    else:
        issues.append(ParseIssue("UNH", "segment 1", f"unsupported message type(s) {kinds}"))
        return Manifest(source or name, "unknown", [], issues)
    return Manifest(source or name, kind, travellers, issues + more)
