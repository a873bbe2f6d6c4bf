"""Per-account aggregates for the sextortion typology (batch mode), from the ``sx`` flag.

A payment is ``sx`` when a person in a demand country pays a person in a sextortion
jurisdiction (the rules' ``sextortion.countries``); family payments (same surname) never count.
The victim's side is one short episode of such payments; the extortioner's side is many
unrelated senders, each in a short episode.
"""

from __future__ import annotations

import polars as pl

from egide.finance.config import Rules

DAY = 86400.0


def _extorted(tx: pl.DataFrame) -> pl.LazyFrame:
    return tx.lazy().filter(pl.col("sx") & ~pl.col("related"))


def sextortion_sender_aggregates(tx: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Per sender: count, span, first and largest amount, channel and keyword counts."""
    sx = rules.sextortion
    span = (pl.col("ts").max() - pl.col("ts").min()).dt.total_seconds() / DAY
    return (
        _extorted(tx)
        .sort("ts", maintain_order=True)
        .group_by("sender_id")
        .agg(
            pl.len().alias("n_sx"),
            pl.col("sx_chan").sum().alias("n_sx_chan"),
            pl.col("sx_kw").sum().alias("n_sx_kw"),
            span.alias("sx_span_days"),
            pl.col("amount_base").first().alias("sx_first"),
            pl.col("amount_base").max().alias("sx_max"),
        )
        .with_columns(
            (pl.col("sx_span_days") <= sx.episode_days).alias("sx_in_episode"),
            ((pl.col("sx_first") <= sx.first_max) & (pl.col("sx_max") <= sx.max_amount)).alias(
                "sx_amount_ok"
            ),
        )
        .collect()
    )


def sextortion_receiver_aggregates(tx: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Per beneficiary: unrelated senders, how many paid in one short episode, shares."""
    sx = rules.sextortion
    rows = _extorted(tx)
    span = (pl.col("ts").max() - pl.col("ts").min()).dt.total_seconds() / DAY
    episodes = (
        rows.group_by("receiver_id", "sender_id")
        .agg((span <= sx.episode_days).alias("episode"))
        .group_by("receiver_id")
        .agg(
            pl.len().alias("n_sx_senders"),
            pl.col("episode").sum().alias("n_sx_episode_senders"),
        )
    )
    return (
        rows.group_by("receiver_id")
        .agg(
            pl.len().alias("n_sx_in"),
            pl.col("sx_chan").sum().alias("n_sx_chan_in"),
            pl.col("sx_kw").sum().alias("n_sx_kw_in"),
            (pl.col("amount_base") <= sx.max_amount).sum().alias("n_sx_small_in"),
        )
        .join(episodes, on="receiver_id")
        .collect()
    )
