"""Explained alerts from the fired-indicator frames, built column-wise.

Evidence lists and the counts behind each indicator are computed by polars for the alerted
accounts only, and only where the indicator fired; Python then assembles one ``Alert`` per
account from ready-made columns, so the cost per alert is a few object constructions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from egide.finance.alerts import Alert, IndicatorHit
from egide.finance.config import Indicator, Rules
from egide.finance.gcpause import no_gc
from egide.finance.indicators import FACTS, Definition
from egide.finance.network import account_names

MAX_EVIDENCE = 50
SX_FACTS = ("sender.n_sx", "receiver.n_sx")  # shown when non-zero only


@dataclass(frozen=True)
class Side:
    """One side of scoring: ``sender`` (buyers) or ``receiver`` (facilitators)."""

    name: str
    key: str
    roles: Mapping[str, str]  # typology -> role (buyer, victim, ...)
    defs: Mapping[str, Definition]
    fired: pl.DataFrame  # one row per account, indicator columns, ``score``, ``alert``


def build_alerts(
    tx: pl.DataFrame,
    df: pl.DataFrame,
    rules: Rules,
    sides: Sequence[Side],
    indicators: Mapping[str, list[Indicator]],
    network_evidence: Mapping[str, pl.Expr],
    hits: Mapping[str, str],
) -> list[Alert]:
    """One alert per alerted account; an account alerted on both sides is an intermediary."""
    by_account: dict[str, Alert] = {}
    list_ind = rules.get("list_hit")
    for side in sides:
        inds = indicators[side.name]
        for alert in _side_alerts(tx, side, inds, network_evidence, hits):
            prev = by_account.get(alert.account_id)
            if prev is None:
                by_account[alert.account_id] = alert
                continue
            prev.role = "intermediary"
            prev.typology = "+".join(dict.fromkeys([*prev.typology.split("+"), alert.typology]))
            prev.indicators.extend(h for h in alert.indicators if h.name != "list_hit")
            listed = list_ind.weight if list_ind is not None and alert.account_id in hits else 0.0
            prev.score += alert.score - listed
            prev.facts.update(alert.facts)
    _attach_names(by_account, df)
    return sorted(by_account.values(), key=lambda a: (-a.score, a.account_id))


def _side_alerts(
    tx: pl.DataFrame,
    side: Side,
    inds: list[Indicator],
    network_evidence: Mapping[str, pl.Expr],
    hits: Mapping[str, str],
) -> list[Alert]:
    alerted = side.fired.filter("alert")
    if alerted.height == 0:
        return []
    key = side.key
    # indicators with the same evidence (corridor payments, ...) share one list per account
    slots: dict[str, pl.Expr] = {}
    for i in inds:
        expr = _evidence(side, i, network_evidence)
        slots.setdefault(str(expr), expr)
    names = {text: f"_ev{k}" for k, text in enumerate(slots)}
    slot_of = {i.name: names[str(_evidence(side, i, network_evidence))] for i in inds}
    evidence = (
        tx.lazy()
        .join(alerted.lazy().select(key), on=key, how="semi")
        .sort("ts", maintain_order=True)
        .group_by(key)
        .agg(
            pl.col("txn_id").filter(expr).head(MAX_EVIDENCE).alias(names[text])
            for text, expr in slots.items()
        )
    )
    fact_cols = [c for c in alerted.columns if c.startswith("n_")]
    schema = alerted.schema
    table = (
        alerted.lazy()
        .join(evidence, on=key, how="left")
        .select(
            pl.col(key).alias("_account"),
            pl.col("score").cast(pl.Float64).alias("_score"),
            _typology(alerted.columns).alias("_typology"),
            *[pl.col(name) for name in names.values()],
            # per indicator: the counts behind it, null where it did not fire
            *[pl.when(i.name).then(_detail(i, schema)).alias(f"_dt_{i.name}") for i in inds],
            *[pl.col(c).cast(pl.Float64) for c in fact_cols],
        )
        .collect()
    )
    accounts = table["_account"].to_list()
    fired: list[list[IndicatorHit]] = [[] for _ in accounts]
    with no_gc():  # many small acyclic objects: collection passes would find nothing to free
        shared = {
            name: [tuple(ev or ()) for ev in table[name].to_list()] for name in names.values()
        }
        for i in inds:
            where = table[f"_dt_{i.name}"].is_not_null()
            details = table[f"_dt_{i.name}"].filter(where).to_list()
            lists = shared[slot_of[i.name]]
            for k, text in zip(where.arg_true().to_list(), details, strict=True):
                if i.name == "list_hit":
                    text = f"name matches list entry {hits.get(accounts[k], '')}"
                fired[k].append(IndicatorHit(i.name, i.family, i.weight, i.source, lists[k], text))
        facts = [(f"{side.name}.{c}", table[c].to_list()) for c in fact_cols]
        alerts = [
            Alert(
                acc,
                side.roles.get(typology.split("+")[0], "other"),
                score,
                fired[k],
                facts={
                    name: values[k]
                    for name, values in facts
                    if values[k] is not None and (values[k] or not name.startswith(SX_FACTS))
                },
                typology=typology,
            )
            for k, (acc, score, typology) in enumerate(
                zip(
                    accounts,
                    table["_score"].to_list(),
                    table["_typology"].to_list(),
                    strict=True,
                )
            )
        ]
    return alerts


def _typology(columns: list[str]) -> pl.Expr:
    """The typologies that alerted (``alert:<typology>`` columns), joined by '+'."""
    names = [c.removeprefix("alert:") for c in columns if c.startswith("alert:")]
    return (
        pl.concat_list(
            pl.when(f"alert:{t}").then(pl.lit(t)).otherwise(pl.lit(None, dtype=pl.String))
            for t in names
        )
        .list.drop_nulls()
        .list.join("+")
        if names
        else pl.lit("")
    )


def _evidence(side: Side, ind: Indicator, network_evidence: Mapping[str, pl.Expr]) -> pl.Expr:
    """The payments that evidence one indicator (a condition on the transaction flags)."""
    return side.defs[ind.name].evidence if ind.name in side.defs else network_evidence[ind.name]


def _detail(ind: Indicator, schema: pl.Schema) -> pl.Expr:
    """The counts behind one indicator as text, e.g. 'core=4, corr=5'; '' when it has none."""
    parts: list[pl.Expr] = []
    if ind.name != "list_hit":  # the list entry is filled in from the hits
        for k, col in enumerate(FACTS.get(ind.name, ())):
            label = ("" if k == 0 else ", ") + f"{col.removeprefix('n_')}="
            parts += [pl.lit(label), _text(col, schema.get(col))]
    return pl.concat_str(parts) if parts else pl.lit("")


def _text(col: str, dtype: pl.DataType | None) -> pl.Expr:
    """A fact as text: ratios with two decimals, flags as True/False, counts as written."""
    x = pl.col(col)
    if dtype is None:
        return pl.lit("None")
    if dtype == pl.Boolean:
        text = pl.when(x).then(pl.lit("True")).otherwise(pl.lit("False"))
    elif dtype.is_float():
        cents = (x * 100).round().cast(pl.Int64, strict=False)
        text = (
            pl.when(x.is_nan())
            .then(pl.lit("nan"))
            .when(x.is_infinite())
            .then(pl.when(x > 0).then(pl.lit("inf")).otherwise(pl.lit("-inf")))
            .otherwise(
                pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
                + (cents.abs() // 100).cast(pl.String)
                + "."
                + (cents.abs() % 100).cast(pl.String).str.zfill(2)
            )
        )
    else:
        text = x.cast(pl.String)
    return pl.when(x.is_null()).then(pl.lit("None")).otherwise(text)


def _attach_names(alerts: dict[str, Alert], df: pl.DataFrame) -> None:
    if not alerts:
        return
    for acc, (name, country) in account_names(df, sorted(alerts)).items():
        alerts[acc].name = name
        alerts[acc].country = country
