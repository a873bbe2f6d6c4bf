"""Transaction flags and per-account aggregates, computed column-wise with polars (batch mode).

The flags are the raw facts the indicators test (a payment is in a risk corridor, in the micro
band, at sender-local night ...); the aggregates count them per sender and per beneficiary.
"""

from __future__ import annotations

import polars as pl

from egide.finance.config import Rules

SURNAME_RE = r"[^\p{L}'-]"


def surname(col: str) -> pl.Expr:
    """Last word of a name, lower-case letters only: the cheap family-link test."""
    return pl.col(col).str.to_lowercase().str.split(" ").list.last().str.replace_all(SURNAME_RE, "")


def transaction_flags(df: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """One row per transaction with boolean flags used by the indicators."""
    demand = sorted(rules.demand_countries)
    risk = sorted(rules.risk_countries)
    units = rules.round_units
    unit = pl.col("currency").replace_strict(
        {k: v for k, v in units.items() if k != "DEFAULT"},
        default=units.get("DEFAULT", 10.0),
        return_dtype=pl.Float64,
    )
    is_card = pl.col("channel") == "card"
    corridor = (
        ~is_card
        & pl.col("receiver_country").is_in(risk)
        & (pl.col("sender_country") != pl.col("receiver_country"))
        & (pl.col("receiver_type") == "person")
        & (pl.col("sender_type") == "person")
    )
    if demand:
        corridor = corridor & pl.col("sender_country").is_in(demand)
    base = df.select(
        "txn_id",
        "ts",
        "sender_id",
        "receiver_id",
        "amount_base",
        corridor.alias("corr"),
        is_card.alias("_card"),
        pl.col("mcc").is_in(sorted(rules.travel_mccs)).alias("_travel_mcc"),
        pl.col("amount_base").is_between(*rules.micro).alias("micro"),
        pl.col("amount_base").is_between(*rules.core).alias("core"),
        ((pl.col("amount") % unit).abs() < 1e-9).alias("round"),
        pl.col("local_hour").is_in(sorted(rules.night_hours)).alias("night"),
        pl.col("channel").is_in(sorted(rules.transfer_channels)).alias("chan"),
        pl.col("mcc").is_in(sorted(rules.merchant_mccs)).alias("_merch_mcc"),
        pl.col("receiver_country").is_in(risk).alias("_to_risk"),
        # text is only examined where it can matter: the rest is blanked (regexes are costly)
        _only(corridor, pl.col("reference")).alias("_ref"),
        _only(
            is_card | pl.col("mcc").is_in(sorted(rules.travel_mccs)),
            pl.col("merchant_name") + " " + pl.col("reference"),
        ).alias("_merchant_text"),
        _only(corridor, pl.col("sender_name")).alias("_sname"),
        _only(corridor, pl.col("receiver_name")).alias("_rname"),
    )
    return base.with_columns(
        surname("_sname").alias("_ss"), surname("_rname").alias("rsurname")
    ).select(
        "txn_id",
        "ts",
        "sender_id",
        "receiver_id",
        "amount_base",
        "corr",
        "micro",
        "core",
        "round",
        "night",
        pl.col("_ref").str.contains(rules.keyword_regex()).alias("kw"),
        "chan",
        (
            pl.col("_card")
            & (
                pl.col("_merch_mcc")
                | pl.col("_merchant_text").str.contains(rules.word_regex(rules.merchant_words))
            )
        ).alias("merch"),
        (
            pl.col("_travel_mcc")
            & (
                pl.col("_to_risk")
                | pl.col("_merchant_text").str.contains(rules.word_regex(rules.travel_words))
            )
        ).alias("travel"),
        pl.col("rsurname").fill_null(""),
        ((pl.col("_ss") == pl.col("rsurname")) & (pl.col("_ss") != ""))
        .fill_null(False)
        .alias("related"),
    )


def _only(where: pl.Expr, text: pl.Expr) -> pl.Expr:
    """The text where ``where`` holds, else empty: regexes then skip the rows that cannot count."""
    return pl.when(where).then(text).otherwise(pl.lit(""))


def sender_aggregates(tx: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Per sender: corridor counts, shares, relationship, regularity, escalation, purchases."""
    reg = rules.get("no_relationship")
    lo, hi = reg.params.get("regular_days", [25, 35]) if reg else [25, 35]
    max_cv = reg.param("regular_max_cv", 0.25) if reg else 0.25
    corr = (
        tx.filter(pl.col("corr"))
        .sort("sender_id", "ts")
        .with_columns(
            (pl.col("ts").diff().over("sender_id").dt.total_seconds() / 86400.0).alias("gap"),
            (
                pl.col("ts").diff().over("sender_id", "receiver_id").dt.total_seconds() / 86400.0
            ).alias("pair_gap"),
            pl.int_range(pl.len()).over("sender_id").alias("rank"),
            pl.len().over("sender_id").alias("n"),
        )
        .with_columns((pl.col("rank") >= pl.col("n") / 2).alias("late"))
    )
    agg = corr.group_by("sender_id").agg(
        pl.len().alias("n_corr"),
        pl.col("core").sum().alias("n_core"),
        pl.col("round").sum().alias("n_round"),
        pl.col("night").sum().alias("n_night"),
        pl.col("kw").sum().alias("n_kw"),
        pl.col("chan").sum().alias("n_chan"),
        pl.col("receiver_id").n_unique().alias("n_benef"),
        # unrelated beneficiary families: two sisters paid count once
        pl.when(pl.col("rsurname") == "")
        .then(pl.col("receiver_id"))
        .otherwise(pl.col("rsurname"))
        .filter(~pl.col("related"))
        .n_unique()
        .alias("n_benef_unrel"),
        pl.col("related").any().alias("any_related"),
        pl.col("pair_gap").median().alias("gap_median"),
        (pl.col("pair_gap").std() / pl.col("pair_gap").mean()).alias("gap_cv"),
        (
            pl.col("amount_base").filter(pl.col("late")).mean()
            / pl.col("amount_base").filter(~pl.col("late")).mean()
        ).alias("amount_ratio"),
        (
            pl.col("gap").filter(~pl.col("late")).mean()
            / pl.col("gap").filter(pl.col("late") & (pl.col("rank") > pl.col("n") / 2)).mean()
        ).alias("rate_ratio"),
    )
    agg = agg.with_columns(
        (
            (pl.col("n_corr") >= (reg.param("regular_min_count", 4) if reg else 4))
            & pl.col("gap_median").is_between(float(lo), float(hi))
            & (pl.col("gap_cv").fill_nan(0.0).fill_null(0.0) <= max_cv)
        )
        .fill_null(False)
        .alias("regular")
    )
    purchases = (
        tx.filter(pl.col("merch") | pl.col("travel"))
        .group_by("sender_id")
        .agg(pl.col("merch").sum().alias("n_merch"), pl.col("travel").sum().alias("n_travel"))
    )
    return agg.join(purchases, on="sender_id", how="full", coalesce=True).fill_null(0)


def receiver_aggregates(tx: pl.DataFrame) -> pl.DataFrame:
    """Per beneficiary: incoming corridor counts, distinct senders (resolved entities), shares."""
    return (
        tx.filter(pl.col("corr"))
        .group_by("receiver_id")
        .agg(
            pl.len().alias("n_in"),
            pl.col("sender_id").n_unique().alias("n_senders"),
            pl.col("sender_id").filter(~pl.col("related")).n_unique().alias("n_senders_unrel"),
            pl.col("core").sum().alias("n_core"),
            pl.col("round").sum().alias("n_round"),
            pl.col("night").sum().alias("n_night"),
            pl.col("kw").sum().alias("n_kw"),
            pl.col("chan").sum().alias("n_chan"),
        )
    )
