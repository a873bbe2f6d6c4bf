"""Batch scoring: indicators on senders and beneficiaries, combined into explained alerts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from egide.finance.alerts import Alert, IndicatorHit
from egide.finance.config import Indicator, Rules
from egide.finance.entities import resolve_senders
from egide.finance.features import receiver_aggregates, sender_aggregates, transaction_flags
from egide.finance.indicators import FACTS, RECEIVER, SENDER, Definition
from egide.finance.network import account_names

MAX_EVIDENCE = 50
MAX_NETWORK_ROUNDS = 3


@dataclass
class ScoreResult:
    alerts: list[Alert]
    transactions: pl.DataFrame  # the flag frame, kept for networks and reports
    buyers: set[str] = field(default_factory=set)
    facilitators: set[str] = field(default_factory=set)


def score_frame(
    df: pl.DataFrame,
    rules: Rules,
    list_hits: Mapping[str, str] | None = None,
) -> ScoreResult:
    """Score a validated transaction frame; ``list_hits`` maps account id to the list entry hit.

    Network indicators (2-hop from detected facilitators and buyers) are recomputed until the
    sets stop changing, at most three rounds; switch them off with ``rules.without_network()``.
    """
    hits = dict(list_hits or {})
    tx = transaction_flags(df, rules)
    members: dict[str, list[str]] = {}
    if rules.entity_min_score is not None:
        entity_of = resolve_senders(tx, df, rules.entity_min_score)
        if entity_of.height:
            # senders are scored as entities: the lowest account id stands for the group
            tx = (
                tx.join(entity_of, on="sender_id", how="left")
                .with_columns(pl.coalesce("entity_id", "sender_id").alias("sender_id"))
                .drop("entity_id")
            )
            for acc, ent in entity_of.iter_rows():
                members.setdefault(ent, []).append(acc)
    s_agg = sender_aggregates(tx, rules)
    r_agg = receiver_aggregates(tx)
    buyers: set[str] = set()
    facs: set[str] = set()
    for _ in range(MAX_NETWORK_ROUNDS):
        ext_s = {"list_hit": set(hits), "pays_flagged_facilitator": _payers_of(tx, facs, rules)}
        ext_r = {"list_hit": set(hits), "paid_by_flagged_buyers": _paid_by(tx, buyers, rules)}
        s_fired = _fire(s_agg, "sender_id", "sender", SENDER, rules, ext_s)
        r_fired = _fire(r_agg, "receiver_id", "receiver", RECEIVER, rules, ext_r)
        new_b = set(s_fired.filter("alert")["sender_id"].to_list())
        new_f = set(r_fired.filter("alert")["receiver_id"].to_list()) | set(hits)
        if new_b == buyers and new_f == facs:
            break
        buyers, facs = new_b, new_f
        if not any(i.network and i.enabled for i in rules.indicators):
            break
    alerts = _build_alerts(tx, df, rules, s_fired, r_fired, hits, buyers, facs)
    for alert in alerts:
        alert.linked_accounts = sorted(set(members.get(alert.account_id, [])) - {alert.account_id})
    return ScoreResult(alerts, tx, buyers, set(r_fired.filter("alert")["receiver_id"].to_list()))


def _payers_of(tx: pl.DataFrame, facs: set[str], rules: Rules) -> set[str]:
    ind = rules.get("pays_flagged_facilitator")
    if not facs or ind is None:
        return set()
    paid = (
        tx.filter(pl.col("corr") & ~pl.col("related") & pl.col("receiver_id").is_in(sorted(facs)))
        .group_by("sender_id")
        .agg(pl.col("receiver_id").n_unique().alias("n"))
    )
    return set(paid.filter(pl.col("n") >= ind.param("min_facilitators", 1))["sender_id"])


def _paid_by(tx: pl.DataFrame, buyers: set[str], rules: Rules) -> set[str]:
    ind = rules.get("paid_by_flagged_buyers")
    if not buyers or ind is None:
        return set()
    paid = (
        tx.filter(pl.col("corr") & ~pl.col("related") & pl.col("sender_id").is_in(sorted(buyers)))
        .group_by("receiver_id")
        .agg(pl.col("sender_id").n_unique().alias("n"))
    )
    return set(paid.filter(pl.col("n") >= ind.param("min_buyers", 2))["receiver_id"])


def _side_indicators(rules: Rules, side: str) -> list[Indicator]:
    return [i for i in rules.indicators if i.enabled and i.side in (side, "both")]


def _fire(
    agg: pl.DataFrame,
    key: str,
    side: str,
    defs: Mapping[str, Definition],
    rules: Rules,
    external: Mapping[str, set[str]],
) -> pl.DataFrame:
    """Add one boolean column per indicator, then ``score``, ``n_families`` and ``alert``."""
    cols: list[pl.Expr] = []
    inds = _side_indicators(rules, side)
    for ind in inds:
        if ind.name in defs:
            cols.append(defs[ind.name].condition(ind).fill_null(False).alias(ind.name))
        elif ind.name in external:
            cols.append(pl.col(key).is_in(sorted(external[ind.name])).alias(ind.name))
        else:
            cols.append(pl.lit(False).alias(ind.name))
    fired = agg.with_columns(cols)
    if not inds:
        return fired.with_columns(pl.lit(False).alias("alert"), pl.lit(0.0).alias("score"))
    families = sorted({i.family for i in inds})
    fam_any = [
        pl.any_horizontal([pl.col(i.name) for i in inds if i.family == f]).cast(pl.Int32)
        for f in families
    ]
    score = pl.sum_horizontal([pl.col(i.name).cast(pl.Float64) * i.weight for i in inds])
    fired = fired.with_columns(score.alias("score"), pl.sum_horizontal(fam_any).alias("n_families"))
    return fired.with_columns(
        ((pl.col("n_families") >= rules.min_families) & (pl.col("score") >= rules.min_score)).alias(
            "alert"
        )
    )


def _build_alerts(
    tx: pl.DataFrame,
    df: pl.DataFrame,
    rules: Rules,
    s_fired: pl.DataFrame,
    r_fired: pl.DataFrame,
    hits: Mapping[str, str],
    buyers: set[str],
    facs: set[str],
) -> list[Alert]:
    by_account: dict[str, Alert] = {}
    network_evidence = {
        "pays_flagged_facilitator": pl.col("corr")
        & ~pl.col("related")
        & pl.col("receiver_id").is_in(sorted(facs)),
        "paid_by_flagged_buyers": pl.col("corr")
        & ~pl.col("related")
        & pl.col("sender_id").is_in(sorted(buyers)),
        "list_hit": pl.lit(False),
    }
    for side, key, defs, fired in (
        ("sender", "sender_id", SENDER, s_fired),
        ("receiver", "receiver_id", RECEIVER, r_fired),
    ):
        alerted = fired.filter("alert")
        if alerted.height == 0:
            continue
        ids = alerted[key].to_list()
        mine = tx.filter(pl.col(key).is_in(ids))
        inds = _side_indicators(rules, side)
        # all evidence lists in one pass: one list column per indicator
        ev = (
            mine.sort("ts")
            .group_by(key)
            .agg(
                [
                    pl.col("txn_id")
                    .filter(defs[i.name].evidence if i.name in defs else network_evidence[i.name])
                    .head(MAX_EVIDENCE)
                    .alias(f"_ev_{i.name}")
                    for i in inds
                ]
            )
        )
        keys = ev[key].to_list()
        evidence = {
            i.name: dict(zip(keys, ev[f"_ev_{i.name}"].to_list(), strict=True)) for i in inds
        }
        fact_cols = [c for c in alerted.columns if c.startswith("n_")]
        for row in alerted.iter_rows(named=True):
            acc = str(row[key])
            hits_here = [
                IndicatorHit(
                    ind.name,
                    ind.family,
                    ind.weight,
                    ind.source,
                    tuple(evidence[ind.name].get(acc) or ()),
                    _detail(ind, row, hits.get(acc, "")),
                )
                for ind in inds
                if row[ind.name]
            ]
            role = "buyer" if side == "sender" else "facilitator"
            facts = {f"{side}.{c}": float(row[c]) for c in fact_cols if row[c] is not None}
            if acc in by_account:
                prev = by_account[acc]
                prev.role = "intermediary"
                prev.indicators.extend(h for h in hits_here if h.name != "list_hit")
                list_ind = rules.get("list_hit")
                listed = list_ind.weight if list_ind is not None and acc in hits else 0.0
                prev.score += float(row["score"]) - listed
                prev.facts.update(facts)
            else:
                by_account[acc] = Alert(acc, role, float(row["score"]), hits_here, facts=facts)
    _attach_names(by_account, df)
    return sorted(by_account.values(), key=lambda a: (-a.score, a.account_id))


def _detail(ind: Indicator, row: Mapping[str, object], list_entry: str) -> str:
    """The counts behind one indicator, e.g. 'core=4, corr=5'."""
    if ind.name == "list_hit":
        return f"name matches list entry {list_entry}"
    return ", ".join(f"{f.removeprefix('n_')}={_fmt(row.get(f))}" for f in FACTS.get(ind.name, ()))


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _attach_names(alerts: dict[str, Alert], df: pl.DataFrame) -> None:
    if not alerts:
        return
    for acc, (name, country) in account_names(df, sorted(alerts)).items():
        alerts[acc].name = name
        alerts[acc].country = country
