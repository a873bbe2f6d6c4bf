"""Account-level precision, recall and F1 against the labels in the synthetic data."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from egide.finance.alerts import Alert
from egide.finance.config import Rules
from egide.finance.score import score_frame

BUYER_SCENARIOS = ("livestream", "livestream_purchase")
EXCLUDED_SCENARIOS = ("sextortion",)  # a different typology: neither positive nor negative here


# an alert of two typologies takes the first one's role: judge sextortion alerts by their side
SENDER_ROLES = ("victim", "buyer", "intermediary")
RECEIVER_ROLES = ("extortioner", "facilitator", "intermediary")


class LabelError(ValueError):
    """The input has no label columns to evaluate against."""


@dataclass(frozen=True)
class Metrics:
    role: str
    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 0.0

    @property
    def recall(self) -> float:
        real = self.true_positive + self.false_negative
        return self.true_positive / real if real else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def labels(df: pl.DataFrame) -> tuple[set[str], set[str], set[str]]:
    """(buyers, facilitators, excluded accounts) from ``is_suspicious`` and ``scenario``."""
    if df["is_suspicious"].null_count() == df.height:
        raise LabelError("no is_suspicious/scenario columns: nothing to evaluate against")
    sus = df.filter(pl.col("is_suspicious"))
    buyers = set(sus.filter(pl.col("scenario").is_in(BUYER_SCENARIOS))["sender_id"])
    facs = set(sus.filter(pl.col("scenario") == "livestream")["receiver_id"])
    ex = sus.filter(pl.col("scenario").is_in(EXCLUDED_SCENARIOS))
    excluded = (set(ex["sender_id"]) | set(ex["receiver_id"])) - buyers - facs
    return buyers, facs, excluded


def compare(alerts: list[Alert], df: pl.DataFrame) -> tuple[Metrics, Metrics]:
    """Buyer and facilitator metrics for one set of alerts (livestream alerts only)."""
    buyers, facs, excluded = labels(df)
    alerts = [a for a in alerts if "livestream" in a.typology.split("+")]
    pred_b = {
        acc
        for a in alerts
        if a.role in ("buyer", "intermediary")
        for acc in (a.account_id, *a.linked_accounts)
    } - excluded
    pred_f = {a.account_id for a in alerts if a.role in ("facilitator", "intermediary")} - excluded
    return (
        Metrics("buyer", len(pred_b & buyers), len(pred_b - buyers), len(buyers - pred_b)),
        Metrics("facilitator", len(pred_f & facs), len(pred_f - facs), len(facs - pred_f)),
    )


def sextortion_labels(df: pl.DataFrame) -> tuple[set[str], set[str]]:
    """(victims, extortioners): the payers and payees of the sextortion variant."""
    if df["is_suspicious"].null_count() == df.height:
        raise LabelError("no is_suspicious/scenario columns: nothing to evaluate against")
    sx = df.filter(pl.col("is_suspicious") & (pl.col("scenario") == "sextortion"))
    return set(sx["sender_id"]), set(sx["receiver_id"])


def compare_sextortion(alerts: list[Alert], df: pl.DataFrame) -> tuple[Metrics, Metrics]:
    """Victim and extortioner metrics for the sextortion alerts of one run."""
    victims, extortioners = sextortion_labels(df)
    mine = [a for a in alerts if "sextortion" in a.typology.split("+")]
    pred_v = {
        acc for a in mine if a.role in SENDER_ROLES for acc in (a.account_id, *a.linked_accounts)
    }
    pred_e = {a.account_id for a in mine if a.role in RECEIVER_ROLES}
    return (
        Metrics("sextortion victim", *_counts(pred_v, victims)),
        Metrics("sextortion extortioner", *_counts(pred_e, extortioners)),
    )


def _counts(predicted: set[str], real: set[str]) -> tuple[int, int, int]:
    return len(predicted & real), len(predicted - real), len(real - predicted)


def evaluate(df: pl.DataFrame, rules: Rules) -> dict[str, tuple[Metrics, Metrics]]:
    """Buyer/facilitator metrics with all indicators, and with the network ones switched off."""
    return {name: pair for name, (pair, _) in evaluate_all(df, rules).items()}


def evaluate_all(
    df: pl.DataFrame, rules: Rules
) -> dict[str, tuple[tuple[Metrics, Metrics], tuple[Metrics, Metrics]]]:
    """Per setting (with and without network): the livestream pair and the sextortion pair."""
    out = {}
    for name, active in (("with network", rules), ("without network", rules.without_network())):
        alerts = score_frame(df, active).alerts
        out[name] = (compare(alerts, df), compare_sextortion(alerts, df))
    return out
