"""Currency conversion into one base currency, from a rate table the user can replace."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml


class RateError(ValueError):
    """A rate table that cannot be used."""


@dataclass(frozen=True)
class RateTable:
    """Units of ``base`` per one unit of each currency (``rates["PHP"] == 0.0175`` for USD)."""

    base: str
    as_of: str
    source: str
    rates: dict[str, float]

    def to_base(self, amount: float, currency: str) -> float | None:
        """Amount in the base currency, or None for a currency not in the table."""
        rate = self.rates.get(currency.upper())
        return None if rate is None else amount * rate


def load_rates(path: Path | None = None) -> RateTable:
    """Read a rate table (YAML); without a path, the default table shipped with egide."""
    if path is None:
        text = resources.files("egide.finance").joinpath("data/rates.yaml").read_text("utf-8")
        where = "default rate table"
    else:
        text = path.read_text("utf-8")
        where = str(path)
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("rates"), dict):
        raise RateError(f"{where}: expected a mapping with 'base' and 'rates'")
    base = str(data.get("base", "USD")).upper()
    rates: dict[str, float] = {}
    for code, value in data["rates"].items():
        try:
            rate = float(value)
        except (TypeError, ValueError):
            raise RateError(f"{where}: rate for {code!r} is not a number: {value!r}") from None
        if rate <= 0:
            raise RateError(f"{where}: rate for {code!r} must be positive")
        rates[str(code).upper()] = rate
    rates[base] = 1.0
    return RateTable(base, str(data.get("as_of", "")), str(data.get("source", "")), rates)
