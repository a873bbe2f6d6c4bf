"""Loading the scoring rules (scoring.yaml) into a typed object."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_RULES = Path(__file__).with_name("scoring.yaml")


@dataclass(frozen=True)
class Rules:
    weights: dict[str, float]
    birth_date: dict[str, float]
    document: dict[str, float]
    nationality: dict[str, float]
    name: dict[str, float]
    document_override: dict[str, float]
    name_gate: float
    threshold: float


def _floats(data: Any, key: str) -> dict[str, float]:
    section = data.get(key)
    if not isinstance(section, dict):
        raise ValueError(f"rules: section {key!r} missing")
    return {str(k): float(v) for k, v in section.items()}


@lru_cache(maxsize=8)
def load_rules(path: Path = DEFAULT_RULES) -> Rules:
    """Read and check a rules file; a missing section is an error, not a silent default."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"rules {path}: not a mapping")
    return Rules(
        weights=_floats(data, "weights"),
        birth_date=_floats(data, "birth_date"),
        document=_floats(data, "document"),
        nationality=_floats(data, "nationality"),
        name=_floats(data, "name"),
        document_override=_floats(data, "document_override"),
        name_gate=float(data["name_gate"]),
        threshold=float(data["threshold"]),
    )
