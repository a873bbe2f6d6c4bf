"""Transaction flags and per-account aggregates, computed column-wise with polars (batch mode).

The flags are the raw facts the indicators test (a payment is in a risk corridor, in the micro
band, at sender-local night ...); the aggregates count them per sender and per beneficiary.
"""

from __future__ import annotations

import polars as pl

from egide.finance.config import Rules
from egide.finance.features_sx import (
    sextortion_receiver_aggregates,
    sextortion_sender_aggregates,
)

SURNAME_RE = r"[^\p{L}'-]"


def surname(name: pl.Expr) -> pl.Expr:
    """Last word of a name, lower-case letters only: the cheap family-link test."""
    return name.str.to_lowercase().str.split(" ").list.last().str.replace_all(SURNAME_RE, "")


def transaction_flags(df: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """One row per transaction that can count, with the boolean flags the indicators use.

    Only corridor payments and flagged purchases can feed an indicator, so the other rows (most
    of the traffic: shopping, domestic transfers) are dropped after the cheap flags, and the
    costly ones (text, surnames, amounts) are computed on what is left.
    """
    risk = sorted(rules.risk_countries)
    is_card = pl.col("channel") == "card"
    travel_mcc = pl.col("mcc").is_in(sorted(rules.travel_mccs))
    corridor = (
        ~is_card
        & pl.col("receiver_country").is_in(risk)
        & (pl.col("sender_country") != pl.col("receiver_country"))
        & (pl.col("receiver_type") == "person")
        & (pl.col("sender_type") == "person")
    )
    sx = rules.sextortion
    extorted = (  # possibly extorted: a person abroad in a sextortion jurisdiction
        ~is_card
        & pl.col("receiver_country").is_in(sorted(sx.countries))
        & (pl.col("sender_country") != pl.col("receiver_country"))
        & (pl.col("receiver_type") == "person")
        & (pl.col("sender_type") == "person")
    )
    if rules.demand_countries:
        demand = pl.col("sender_country").is_in(sorted(rules.demand_countries))
        corridor = corridor & demand
        extorted = extorted & demand
    # text is only examined where it can matter: the rest is blanked (regexes are costly)
    text = _only(is_card | travel_mcc, pl.col("merchant_name") + " " + pl.col("reference"))
    merch = is_card & (
        pl.col("mcc").is_in(sorted(rules.merchant_mccs))
        | text.str.contains(rules.word_regex(rules.merchant_words))
    )
    travel = travel_mcc & (
        pl.col("receiver_country").is_in(risk)
        | text.str.contains(rules.word_regex(rules.travel_words))
    )
    kept = (
        df.lazy()
        .with_columns(
            corridor.alias("corr"),
            merch.alias("merch"),
            travel.alias("travel"),
            extorted.alias("sx"),
        )
        .filter(pl.col("corr") | pl.col("merch") | pl.col("travel") | pl.col("sx"))
    )
    units = rules.round_units
    unit = pl.col("currency").replace_strict(
        {k: v for k, v in units.items() if k != "DEFAULT"},
        default=units.get("DEFAULT", 10.0),
        return_dtype=pl.Float64,
    )
    corr = pl.col("corr")
    paid = corr | pl.col("sx")  # person-to-person abroad: where a family link matters
    sname = surname(_only(paid, pl.col("sender_name")))
    rname = surname(_only(paid, pl.col("receiver_name"))).fill_null("")
    return (
        kept.with_columns(sname.alias("_ss"), rname.alias("rsurname"))
        .select(
            "txn_id",
            "ts",
            "sender_id",
            "receiver_id",
            "amount_base",
            "corr",
            pl.col("amount_base").is_between(*rules.micro).alias("micro"),
            pl.col("amount_base").is_between(*rules.core).alias("core"),
            ((pl.col("amount") % unit).abs() < 1e-9).alias("round"),
            pl.col("local_hour").is_in(sorted(rules.night_hours)).alias("night"),
            _only(corr, pl.col("reference")).str.contains(rules.keyword_regex()).alias("kw"),
            pl.col("channel").is_in(sorted(rules.transfer_channels)).alias("chan"),
            "merch",
            "travel",
            "sx",
            _only(pl.col("sx"), pl.col("reference"))
            .str.contains(sx.keyword_regex())
            .alias("sx_kw"),
            pl.col("channel").is_in(sorted(sx.channels)).alias("sx_chan"),
            "rsurname",
            ((pl.col("_ss") == pl.col("rsurname")) & (pl.col("_ss") != ""))
            .fill_null(False)
            .alias("related"),
        )
        .collect()
    )


def _only(where: pl.Expr, text: pl.Expr) -> pl.Expr:
    """The text where ``where`` holds, else empty: regexes then skip the rows that cannot count."""
    return pl.when(where).then(text).otherwise(pl.lit(""))


def sender_aggregates(tx: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Per sender: corridor counts, shares, relationship, regularity, escalation, purchases."""
    reg = rules.get("no_relationship")
    lo, hi = reg.params.get("regular_days", [25, 35]) if reg else [25, 35]
    max_cv = reg.param("regular_max_cv", 0.25) if reg else 0.25
    # Integer codes and sorted runs instead of window functions over string keys: a gap is the
    # difference to the previous row of the same run, a rank the distance to the run's start.
    codes = (
        tx.lazy()
        .filter(pl.col("corr"))
        .with_columns(_code("sender_id", "s"), _code("receiver_id", "r"))
    )
    day = pl.col("ts").diff().dt.total_seconds() / 86400.0
    pair_gaps = (
        codes.sort("s", "r", "ts", maintain_order=True)
        .with_columns(
            pl.when(_same_run("s", "r")).then(day).alias("pair_gap"),
        )
        .group_by("s")
        .agg(
            pl.col("pair_gap").median().alias("gap_median"),
            (pl.col("pair_gap").std() / pl.col("pair_gap").mean()).alias("gap_cv"),
        )
    )
    idx = pl.int_range(pl.len(), dtype=pl.Int64)
    runs = codes.sort("s", "ts", maintain_order=True).with_columns(
        pl.when(_same_run("s")).then(day).alias("gap"),
        (idx - pl.when(~_same_run("s")).then(idx).forward_fill()).alias("rank"),
    )
    sizes = runs.group_by("s").agg(pl.len().alias("n"))
    corr = runs.join(sizes, on="s").with_columns((pl.col("rank") >= pl.col("n") / 2).alias("late"))
    agg = corr.group_by("s").agg(
        pl.col("sender_id").first(),
        pl.len().alias("n_corr"),
        pl.col("core").sum().alias("n_core"),
        pl.col("round").sum().alias("n_round"),
        pl.col("night").sum().alias("n_night"),
        pl.col("kw").sum().alias("n_kw"),
        pl.col("chan").sum().alias("n_chan"),
        pl.col("r").n_unique().alias("n_benef"),
        # unrelated beneficiary families: two sisters paid count once
        pl.when(pl.col("rsurname") == "")
        .then(pl.col("receiver_id"))
        .otherwise(pl.col("rsurname"))
        .filter(~pl.col("related"))
        .n_unique()
        .alias("n_benef_unrel"),
        pl.col("related").any().alias("any_related"),
        (
            pl.col("amount_base").filter(pl.col("late")).mean()
            / pl.col("amount_base").filter(~pl.col("late")).mean()
        ).alias("amount_ratio"),
        (
            pl.col("gap").filter(~pl.col("late")).mean()
            / pl.col("gap").filter(pl.col("late") & (pl.col("rank") > pl.col("n") / 2)).mean()
        ).alias("rate_ratio"),
    )
    senders = agg.join(pair_gaps, on="s").drop("s").collect()
    senders = senders.with_columns(
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
    return (
        senders.join(purchases, on="sender_id", how="full", coalesce=True)
        .join(sextortion_sender_aggregates(tx, rules), on="sender_id", how="full", coalesce=True)
        .fill_null(0)
    )


def _code(key: str, name: str) -> pl.Expr:
    """A small integer standing for each distinct string, for cheap sorting and grouping."""
    return pl.col(key).cast(pl.Categorical).to_physical().alias(name)


def _same_run(*keys: str) -> pl.Expr:
    """True where the row has the same keys as the row before it (in the current order)."""
    same = [pl.col(k) == pl.col(k).shift() for k in keys]
    return pl.all_horizontal(same).fill_null(False)


def receiver_aggregates(tx: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Per beneficiary: incoming corridor counts, distinct senders (resolved entities), shares."""
    corridor = (
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
    return corridor.join(
        sextortion_receiver_aggregates(tx, rules), on="receiver_id", how="full", coalesce=True
    ).fill_null(0)
