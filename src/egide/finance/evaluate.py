"""Account-level precision, recall and F1 against the labels in the synthetic data."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from egide.finance.alerts import Alert
from egide.finance.config import Rules
from egide.finance.score import score_frame

BUYER_SCENARIOS = ("livestream", "livestream_purchase")
EXCLUDED_SCENARIOS = ("sextortion",)  # a different typology: neither positive nor negative here


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
    """Buyer and facilitator metrics for one set of alerts."""
    buyers, facs, excluded = labels(df)
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


def evaluate(df: pl.DataFrame, rules: Rules) -> dict[str, tuple[Metrics, Metrics]]:
    """Metrics with all indicators, and with the network indicators switched off."""
    return {
        "with network": compare(score_frame(df, rules).alerts, df),
        "without network": compare(score_frame(df, rules.without_network()).alerts, df),
    }
