"""Each account-level indicator as a polars condition plus the transaction flag that evidences it.

The thresholds come from the rules file; this module only says what each indicator *means*.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from egide.finance.config import Indicator


@dataclass(frozen=True)
class Definition:
    condition: Callable[[Indicator], pl.Expr]
    evidence: pl.Expr  # over transaction flags, on the account's side


def _share(count: str, total: str, ind: Indicator) -> pl.Expr:
    return (pl.col(count) >= ind.param("min_count", 1)) & (
        pl.col(count) / pl.col(total).clip(lower_bound=1) >= ind.param("min_share", 0.0)
    )


CORR = pl.col("corr")
SX = pl.col("sx") & ~pl.col("related")
SENDER: dict[str, Definition] = {
    "corridor": Definition(lambda i: pl.col("n_corr") >= i.param("min_count", 1), CORR),
    "micro_value": Definition(lambda i: _share("n_core", "n_corr", i), CORR & pl.col("core")),
    "round_amount": Definition(lambda i: _share("n_round", "n_corr", i), CORR & pl.col("round")),
    "velocity_escalation": Definition(
        lambda i: (
            (pl.col("n_corr") >= i.param("min_count", 4))
            & (
                (pl.col("amount_ratio") >= i.param("amount_ratio", 1.5))
                | (pl.col("rate_ratio") >= i.param("rate_ratio", 1.5))
            )
        ),
        CORR,
    ),
    "fan_out": Definition(
        lambda i: pl.col("n_benef_unrel") >= i.param("min_beneficiaries", 2),
        CORR & ~pl.col("related"),
    ),
    "no_relationship": Definition(
        lambda i: (pl.col("n_corr") >= 1) & ~pl.col("any_related") & ~pl.col("regular"),
        CORR & ~pl.col("related"),
    ),
    "reference_keywords": Definition(
        lambda i: pl.col("n_kw") >= i.param("min_count", 1), CORR & pl.col("kw")
    ),
    "late_night": Definition(lambda i: _share("n_night", "n_corr", i), CORR & pl.col("night")),
    "payment_channel": Definition(
        lambda i: (
            (pl.col("n_corr") >= 1)
            & (pl.col("n_chan") / pl.col("n_corr").clip(lower_bound=1) >= i.param("min_share", 0.5))
        ),
        CORR & pl.col("chan"),
    ),
    "merchant_category": Definition(
        lambda i: pl.col("n_merch") >= i.param("min_count", 1), pl.col("merch")
    ),
    "travel": Definition(lambda i: pl.col("n_travel") >= i.param("min_count", 1), pl.col("travel")),
    # sextortion: the victim's side
    "sx_corridor": Definition(lambda i: pl.col("n_sx") >= i.param("min_count", 1), SX),
    "sx_episode": Definition(
        lambda i: (pl.col("n_sx") >= i.param("min_count", 1)) & pl.col("sx_in_episode"), SX
    ),
    "sx_series": Definition(
        lambda i: (pl.col("n_sx") >= i.param("min_count", 2)) & pl.col("sx_in_episode"), SX
    ),
    "sx_amount": Definition(lambda i: (pl.col("n_sx") >= 1) & pl.col("sx_amount_ok"), SX),
    "sx_channel": Definition(
        lambda i: _share("n_sx_chan", "n_sx", i) & (pl.col("n_sx") >= 1), SX & pl.col("sx_chan")
    ),
    "sx_reference": Definition(
        lambda i: pl.col("n_sx_kw") >= i.param("min_count", 1), SX & pl.col("sx_kw")
    ),
}
RECEIVER: dict[str, Definition] = {
    "corridor_in": Definition(lambda i: pl.col("n_in") >= i.param("min_count", 1), CORR),
    "fan_in": Definition(
        lambda i: pl.col("n_senders_unrel") >= i.param("min_senders", 5), CORR & ~pl.col("related")
    ),
    "micro_value_in": Definition(lambda i: _share("n_core", "n_in", i), CORR & pl.col("core")),
    "round_amount_in": Definition(lambda i: _share("n_round", "n_in", i), CORR & pl.col("round")),
    "no_relationship_in": Definition(
        lambda i: (
            (pl.col("n_senders_unrel") >= i.param("min_senders", 2))
            & (
                pl.col("n_senders_unrel") / pl.col("n_senders").clip(lower_bound=1)
                >= i.param("min_share", 0.8)
            )
        ),
        CORR & ~pl.col("related"),
    ),
    "reference_keywords_in": Definition(
        lambda i: pl.col("n_kw") >= i.param("min_count", 1), CORR & pl.col("kw")
    ),
    "late_night_in": Definition(lambda i: _share("n_night", "n_in", i), CORR & pl.col("night")),
    "payment_channel_in": Definition(
        lambda i: (
            (pl.col("n_in") >= 1)
            & (pl.col("n_chan") / pl.col("n_in").clip(lower_bound=1) >= i.param("min_share", 0.5))
        ),
        CORR & pl.col("chan"),
    ),
    # sextortion: the extortioner's (or money mule's) side
    "sx_corridor_in": Definition(lambda i: pl.col("n_sx_in") >= i.param("min_count", 1), SX),
    "sx_fan_in": Definition(lambda i: pl.col("n_sx_senders") >= i.param("min_senders", 3), SX),
    "sx_episodes_in": Definition(
        lambda i: (
            (pl.col("n_sx_senders") >= i.param("min_senders", 2))
            & (
                pl.col("n_sx_episode_senders") / pl.col("n_sx_senders").clip(lower_bound=1)
                >= i.param("min_share", 0.8)
            )
        ),
        SX,
    ),
    "sx_amount_in": Definition(
        lambda i: _share("n_sx_small_in", "n_sx_in", i) & (pl.col("n_sx_in") >= 1), SX
    ),
    "sx_channel_in": Definition(
        lambda i: _share("n_sx_chan_in", "n_sx_in", i) & (pl.col("n_sx_in") >= 1),
        SX & pl.col("sx_chan"),
    ),
    "sx_reference_in": Definition(
        lambda i: pl.col("n_sx_kw_in") >= i.param("min_count", 1), SX & pl.col("sx_kw")
    ),
}
# Indicators fed from outside the aggregates: account sets computed by other modules.
EXTERNAL: frozenset[str] = frozenset(
    {"list_hit", "pays_flagged_facilitator", "paid_by_flagged_buyers"}
)
# The aggregate columns shown as each indicator's explanation in an alert.
FACTS: dict[str, tuple[str, ...]] = {
    "corridor": ("n_corr",),
    "micro_value": ("n_core", "n_corr"),
    "round_amount": ("n_round", "n_corr"),
    "velocity_escalation": ("n_corr", "amount_ratio", "rate_ratio"),
    "fan_out": ("n_benef_unrel",),
    "no_relationship": ("n_benef_unrel", "any_related", "regular"),
    "reference_keywords": ("n_kw", "n_corr"),
    "late_night": ("n_night", "n_corr"),
    "payment_channel": ("n_chan", "n_corr"),
    "merchant_category": ("n_merch",),
    "travel": ("n_travel",),
    "corridor_in": ("n_in",),
    "fan_in": ("n_senders_unrel", "n_senders"),
    "micro_value_in": ("n_core", "n_in"),
    "round_amount_in": ("n_round", "n_in"),
    "no_relationship_in": ("n_senders_unrel", "n_senders"),
    "reference_keywords_in": ("n_kw", "n_in"),
    "late_night_in": ("n_night", "n_in"),
    "payment_channel_in": ("n_chan", "n_in"),
    "sx_corridor": ("n_sx",),
    "sx_episode": ("n_sx", "sx_span_days"),
    "sx_series": ("n_sx", "sx_span_days"),
    "sx_amount": ("sx_first", "sx_max"),
    "sx_channel": ("n_sx_chan", "n_sx"),
    "sx_reference": ("n_sx_kw", "n_sx"),
    "sx_corridor_in": ("n_sx_in",),
    "sx_fan_in": ("n_sx_senders",),
    "sx_episodes_in": ("n_sx_episode_senders", "n_sx_senders"),
    "sx_amount_in": ("n_sx_small_in", "n_sx_in"),
    "sx_channel_in": ("n_sx_chan_in", "n_sx_in"),
    "sx_reference_in": ("n_sx_kw_in", "n_sx_in"),
}
