"""What a scan is asked to do; stored with the scan so ``--resume`` can tell it is the same."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from egide.hashing import HashOptions
from egide.match import DEFAULT_MIN_QUALITY, FloodPolicy, MatchOptions
from egide.scan.walk import WalkLimits


@dataclass(frozen=True)
class ScanOptions:
    roots: tuple[str, ...]
    banks: tuple[str, ...]
    report_path: Path
    html_path: Path | None = None
    workers: int = 1
    resume: bool = False
    dihedral: bool = False
    min_quality: int = DEFAULT_MIN_QUALITY
    max_image_pixels: int = HashOptions().max_image_pixels
    limits: WalkLimits = field(default_factory=WalkLimits)
    index_cache: Path | None = None
    flood: FloodPolicy | None = None

    def hash_options(self) -> HashOptions:
        return HashOptions(max_image_pixels=self.max_image_pixels, dihedral=self.dihedral)

    def match_options(self) -> MatchOptions:
        return MatchOptions(dihedral=self.dihedral, min_quality=self.min_quality, flood=self.flood)

    def identity(self) -> dict[str, object]:
        """The settings that decide the report: a resumed scan must have the same ones."""
        return {
            "roots": list(self.roots),
            "banks": list(self.banks),
            "dihedral": self.dihedral,
            "min_quality": self.min_quality,
            "max_image_pixels": self.max_image_pixels,
            "limits": asdict(self.limits),
            "flood": asdict(self.flood) if self.flood else None,
        }
