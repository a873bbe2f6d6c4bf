"""FIU settings and code lists for goAML reports, read from YAML (never hard-coded)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


class GoamlConfigError(ValueError):
    """A goAML settings file that cannot be used."""


@dataclass(frozen=True)
class GoamlConfig:
    rentity_id: int
    rentity_branch: str
    submission_code: str
    report_code: str
    currency_code_local: str
    reporting_user_code: str
    location: dict[str, str]
    reason: str
    action: str
    funds_from: str
    funds_to: str
    transmode: dict[str, str]
    indicators: dict[str, str]
    xsd: str | None = None

    def indicator_code(self, name: str) -> str:
        return self.indicators.get(name, self.indicators.get("default", "-"))


def load_goaml_config(path: Path | None = None) -> GoamlConfig:
    """Read FIU settings; without a path, the generic defaults shipped with egide."""
    if path is None:
        text = resources.files("egide.finance").joinpath("data/goaml.yaml").read_text("utf-8")
        where = "default goAML settings"
    else:
        text = path.read_text("utf-8")
        where = str(path)
    data: Any = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise GoamlConfigError(f"{where}: expected a mapping")
    try:
        return GoamlConfig(
            rentity_id=int(data["rentity_id"]),
            rentity_branch=str(data["rentity_branch"]),
            submission_code=str(data["submission_code"]),
            report_code=str(data["report_code"]),
            currency_code_local=str(data["currency_code_local"]).upper(),
            reporting_user_code=str(data["reporting_user_code"]),
            location={k: str(v) for k, v in data["location"].items()},
            reason=str(data.get("reason", "")),
            action=str(data.get("action", "")),
            funds_from=str(data["funds"]["from"]),
            funds_to=str(data["funds"]["to"]),
            transmode={k: str(v) for k, v in data["transmode"].items()},
            indicators={k: str(v) for k, v in (data.get("indicators") or {}).items()},
            xsd=str(data["xsd"]) if data.get("xsd") else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise GoamlConfigError(f"{where}: missing or bad field: {exc}") from None
