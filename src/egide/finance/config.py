"""The rules file: indicators with their sources, weights and thresholds, and alert policy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

SIDES = frozenset({"sender", "receiver", "both"})


class RulesError(ValueError):
    """A rules file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class Indicator:
    name: str
    side: str
    family: str
    weight: float
    source: str
    params: dict[str, Any]
    network: bool = False
    enabled: bool = True
    typology: str = "livestream"

    def param(self, key: str, default: float = 0.0) -> float:
        return float(self.params.get(key, default))


@dataclass(frozen=True)
class Policy:
    """When a typology's fired indicators make an alert."""

    min_families: int
    min_score: float
    required: tuple[str, ...] = ()  # on each side, every one of these present there must fire


@dataclass(frozen=True)
class Sextortion:
    """What marks a payment as possibly extorted (FinCEN FIN-2025-NTC2; FBI; NCMEC; FATF)."""

    countries: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()
    keywords: tuple[str, ...] = ()
    max_amount: float = 1500.0
    first_max: float = 250.0
    episode_days: float = 4.0

    def keyword_regex(self) -> str:
        words = "|".join(re.escape(k) for k in sorted(self.keywords, key=len, reverse=True))
        return rf"(?i)\b({words})\b" if words else r"$^"


@dataclass(frozen=True)
class Rules:
    """Everything scoring needs; built once per run from YAML."""

    indicators: tuple[Indicator, ...]
    min_families: int
    min_score: float
    demand_countries: frozenset[str]
    risk_countries: frozenset[str]
    micro: tuple[float, float]
    core: tuple[float, float]
    round_units: dict[str, float]
    night_hours: frozenset[int]
    transfer_channels: frozenset[str]
    keywords: tuple[str, ...]
    handle_pattern: str
    merchant_mccs: frozenset[str]
    merchant_words: tuple[str, ...]
    travel_mccs: frozenset[str]
    travel_words: tuple[str, ...]
    window_days: int = 180
    entity_min_score: float | None = 90.0  # None: no entity resolution
    path: str = "default rules"
    sextortion: Sextortion = Sextortion()
    policies: dict[str, Policy] = field(default_factory=dict)

    def get(self, name: str) -> Indicator | None:
        """The indicator if present and enabled."""
        for ind in self.indicators:
            if ind.name == name and ind.enabled:
                return ind
        return None

    def without_network(self) -> Rules:
        """The same rules with the network indicators off (for evaluation)."""
        inds = tuple(replace(i, enabled=i.enabled and not i.network) for i in self.indicators)
        return replace(self, indicators=inds, entity_min_score=None)

    def policy(self, typology: str) -> Policy:
        """The alert policy of a typology; the top-level ``alert`` block for the others."""
        return self.policies.get(typology, Policy(self.min_families, self.min_score))

    def typologies(self) -> list[str]:
        """The typologies of the enabled indicators, in the order the rules file names them."""
        return list(dict.fromkeys(i.typology for i in self.indicators if i.enabled))

    def keyword_regex(self) -> str:
        words = "|".join(re.escape(k) for k in sorted(self.keywords, key=len, reverse=True))
        return rf"(?i)(\b({words})\b)|{self.handle_pattern}"

    def word_regex(self, words: tuple[str, ...]) -> str:
        return r"(?i)\b(" + "|".join(re.escape(w) for w in words) + r")\b"


def load_rules(path: Path | None = None) -> Rules:
    """Read and check a rules file; without a path, the rules shipped with egide."""
    if path is None:
        text = resources.files("egide.finance").joinpath("data/rules.yaml").read_text("utf-8")
        where = "default rules"
    else:
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise RulesError(f"{path}: cannot read rules: {exc.strerror}") from None
        where = str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"{where}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise RulesError(f"{where}: expected a mapping at the top level")
    try:
        return _build(data, where)
    except RulesError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise RulesError(f"{where}: malformed rules ({type(exc).__name__}: {exc})") from None


def _build(data: dict[str, Any], where: str) -> Rules:
    def need(key: str) -> Any:
        if key not in data:
            raise RulesError(f"{where}: missing field {key!r}")
        return data[key]

    indicators = []
    raw_list = need("indicators")
    if not isinstance(raw_list, list):
        raise RulesError(f"{where}: 'indicators' must be a list")
    for n, raw in enumerate(raw_list, start=1):
        if not isinstance(raw, dict):
            raise RulesError(f"{where}: indicators[{n}] is not a mapping")
        for key in ("name", "side", "family", "weight", "source"):
            if key not in raw:
                raise RulesError(f"{where}: indicators[{n}] has no {key!r}")
        if raw["side"] not in SIDES:
            raise RulesError(f"{where}: indicator {raw['name']!r}: side must be one of {SIDES}")
        if not str(raw["source"]).strip():
            raise RulesError(f"{where}: indicator {raw['name']!r} has an empty source")
        indicators.append(
            Indicator(
                name=str(raw["name"]),
                side=str(raw["side"]),
                family=str(raw["family"]),
                weight=float(raw["weight"]),
                source=str(raw["source"]),
                params=dict(raw.get("params") or {}),
                network=bool(raw.get("network", False)),
                enabled=bool(raw.get("enabled", True)),
                typology=str(raw.get("typology", "livestream")),
            )
        )
    alert = need("alert")
    bands = need("bands")
    try:
        re.compile(str(need("handle_pattern")))
    except re.error as exc:
        raise RulesError(f"{where}: handle_pattern is not a regular expression: {exc}") from None
    return Rules(
        indicators=tuple(indicators),
        min_families=int(alert.get("min_families", 2)),
        min_score=float(alert.get("min_score", 0.0)),
        demand_countries=frozenset(str(c).upper() for c in need("demand_countries")),
        risk_countries=frozenset(str(c).upper() for c in need("risk_countries")),
        micro=(float(bands["micro"][0]), float(bands["micro"][1])),
        core=(float(bands["core"][0]), float(bands["core"][1])),
        round_units={str(k).upper(): float(v) for k, v in need("round_units").items()},
        night_hours=frozenset(int(h) for h in need("night_hours")),
        transfer_channels=frozenset(str(c) for c in need("transfer_channels")),
        keywords=tuple(str(k).lower() for k in need("keywords")),
        handle_pattern=str(data["handle_pattern"]),
        merchant_mccs=frozenset(str(m) for m in need("merchant_mccs")),
        merchant_words=tuple(str(w).lower() for w in need("merchant_words")),
        travel_mccs=frozenset(str(m) for m in need("travel_mccs")),
        travel_words=tuple(str(w).lower() for w in need("travel_words")),
        window_days=int(data.get("window_days", 180)),
        entity_min_score=_entity_score(data.get("entity_resolution")),
        path=where,
        sextortion=_sextortion(data.get("sextortion") or {}),
        policies={
            str(name): Policy(
                int(p.get("min_families", alert.get("min_families", 2))),
                float(p.get("min_score", alert.get("min_score", 0.0))),
                tuple(str(r) for r in p.get("required", ())),
            )
            for name, p in (data.get("typologies") or {}).items()
        },
    )


def _sextortion(block: dict[str, Any]) -> Sextortion:
    return Sextortion(
        countries=frozenset(str(c).upper() for c in block.get("countries", ())),
        channels=frozenset(str(c) for c in block.get("channels", ())),
        keywords=tuple(str(k).lower() for k in block.get("keywords", ())),
        max_amount=float(block.get("max_amount", 1500.0)),
        first_max=float(block.get("first_max", 250.0)),
        episode_days=float(block.get("episode_days", 4.0)),
    )


def _entity_score(block: Any) -> float | None:
    if not block or not block.get("enabled", True):
        return None
    return float(block.get("min_score", 90))
