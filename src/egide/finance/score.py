"""Batch scoring: indicators on senders and beneficiaries, combined into explained alerts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from egide.finance.alert_build import Side, build_alerts
from egide.finance.alerts import Alert
from egide.finance.config import Indicator, Rules
from egide.finance.entities import resolve_senders
from egide.finance.features import receiver_aggregates, sender_aggregates, transaction_flags
from egide.finance.indicators import RECEIVER, SENDER, Definition

MAX_NETWORK_ROUNDS = 3
NETWORK_TYPOLOGY = "livestream"  # buyers and facilitators: the bipartite networks
# The role an alerted account plays, by side and typology (a sextortion payer is a victim).
SENDER_ROLES = {"livestream": "buyer", "sextortion": "victim"}
RECEIVER_ROLES = {"livestream": "facilitator", "sextortion": "extortioner"}


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
    s_agg = _conditions(sender_aggregates(tx, rules), "sender", SENDER, rules)
    r_agg = _conditions(receiver_aggregates(tx, rules), "receiver", RECEIVER, rules)
    buyers: set[str] = set()
    facs: set[str] = set()
    for _ in range(MAX_NETWORK_ROUNDS):
        ext_s = {"list_hit": set(hits), "pays_flagged_facilitator": _payers_of(tx, facs, rules)}
        ext_r = {"list_hit": set(hits), "paid_by_flagged_buyers": _paid_by(tx, buyers, rules)}
        s_fired = _fire(s_agg, "sender_id", "sender", SENDER, rules, ext_s)
        r_fired = _fire(r_agg, "receiver_id", "receiver", RECEIVER, rules, ext_r)
        new_b = _alerted(s_fired, "sender_id", NETWORK_TYPOLOGY)
        new_f = _alerted(r_fired, "receiver_id", NETWORK_TYPOLOGY) | set(hits)
        if new_b == buyers and new_f == facs:
            break
        buyers, facs = new_b, new_f
        if not any(i.network and i.enabled for i in rules.indicators):
            break
    sides = (
        Side("sender", "sender_id", SENDER_ROLES, SENDER, s_fired),
        Side("receiver", "receiver_id", RECEIVER_ROLES, RECEIVER, r_fired),
    )
    inds = {side.name: _side_indicators(rules, side.name) for side in sides}
    alerts = build_alerts(tx, df, rules, sides, inds, _network_evidence(buyers, facs), hits)
    for alert in alerts:
        alert.linked_accounts = sorted(set(members.get(alert.account_id, [])) - {alert.account_id})
    return ScoreResult(alerts, tx, buyers, _alerted(r_fired, "receiver_id", NETWORK_TYPOLOGY))


def _alerted(fired: pl.DataFrame, key: str, typology: str) -> set[str]:
    """Accounts alerted for one typology (the network indicators follow livestream alerts)."""
    col = f"alert:{typology}"
    return set(fired.filter(col)[key].to_list()) if col in fired.columns else set()


def _network_evidence(buyers: set[str], facs: set[str]) -> dict[str, pl.Expr]:
    """The payments that evidence each indicator fed from outside the aggregates."""
    return {
        "pays_flagged_facilitator": pl.col("corr")
        & ~pl.col("related")
        & pl.col("receiver_id").is_in(sorted(facs)),
        "paid_by_flagged_buyers": pl.col("corr")
        & ~pl.col("related")
        & pl.col("sender_id").is_in(sorted(buyers)),
        "list_hit": pl.lit(False),
    }


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


def _conditions(
    agg: pl.DataFrame, side: str, defs: Mapping[str, Definition], rules: Rules
) -> pl.DataFrame:
    """The indicators computed from the aggregates alone: the same in every network round."""
    return agg.with_columns(
        defs[ind.name].condition(ind).fill_null(False).alias(ind.name)
        for ind in _side_indicators(rules, side)
        if ind.name in defs
    )


def _fire(
    agg: pl.DataFrame,
    key: str,
    side: str,
    defs: Mapping[str, Definition],
    rules: Rules,
    external: Mapping[str, set[str]],
) -> pl.DataFrame:
    """One boolean column per indicator, then ``score``, ``n_families`` and ``alert``.

    ``agg`` already carries the indicators computed from aggregates (``_conditions``); the
    ones fed from outside (list hits, 2-hop sets) are added here. Each typology is judged by its
    own policy on its own indicators (``alert:<typology>``).
    """
    inds = _side_indicators(rules, side)
    fired = agg.with_columns(
        pl.col(key).is_in(sorted(external[ind.name])).alias(ind.name)
        if ind.name in external
        else pl.lit(False).alias(ind.name)
        for ind in inds
        if ind.name not in defs
    )
    if not inds:
        return fired.with_columns(pl.lit(False).alias("alert"), pl.lit(0.0).alias("score"))
    typologies = list(dict.fromkeys(i.typology for i in inds))
    policy_cols: list[pl.Expr] = []
    for t in typologies:
        mine = [i for i in inds if i.typology == t]
        policy = rules.policy(t)
        families = sorted({i.family for i in mine})
        n_families = pl.sum_horizontal(
            pl.any_horizontal([pl.col(i.name) for i in mine if i.family == f]).cast(pl.Int32)
            for f in families
        )
        score = pl.sum_horizontal([pl.col(i.name).cast(pl.Float64) * i.weight for i in mine])
        ok = (n_families >= policy.min_families) & (score >= policy.min_score)
        required = [i.name for i in mine if i.name in policy.required]
        if required:
            ok = ok & pl.all_horizontal([pl.col(r) for r in required])
        policy_cols += [
            ok.alias(f"alert:{t}"),
            score.alias(f"score:{t}"),
            n_families.alias(f"families:{t}"),
        ]
    fired = fired.with_columns(policy_cols)
    # an alert shows and scores only the indicators of the typologies that alerted
    return fired.with_columns(
        *[(pl.col(i.name) & pl.col(f"alert:{i.typology}")).alias(i.name) for i in inds],
        pl.any_horizontal([pl.col(f"alert:{t}") for t in typologies]).alias("alert"),
        pl.sum_horizontal(
            pl.when(f"alert:{t}").then(f"score:{t}").otherwise(0.0) for t in typologies
        ).alias("score"),
        pl.sum_horizontal(
            pl.when(f"alert:{t}").then(f"families:{t}").otherwise(0) for t in typologies
        ).alias("n_families"),
    )
