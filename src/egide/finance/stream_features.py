"""Per-account features from a rolling window, in plain Python (same meaning as features.py)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from itertools import pairwise

from egide.finance.config import Indicator, Rules
from egide.finance.stream_row import Flagged

Features = dict[str, float]


def _cv(values: Sequence[float]) -> float:
    """Sample standard deviation over mean (statistics.stdev is exact but slow)."""
    n = len(values)
    if n < 2:
        return 0.0
    mean = sum(values) / n
    if not mean:
        return 0.0
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    return math.sqrt(var) / mean


def _gaps(txns: Sequence[Flagged]) -> list[float]:
    return [(b.ts - a.ts).total_seconds() / 86400.0 for a, b in pairwise(txns)]


def sender_features(corr: Sequence[Flagged], merch: int, travel: int, rules: Rules) -> Features:
    """Features of a sender from its corridor payments (time order) and purchase counts."""
    n = len(corr)
    f: Features = {"n_corr": n, "n_merch": merch, "n_travel": travel}
    if n == 0:
        return f
    f["n_core"] = sum(t.core for t in corr)
    f["n_round"] = sum(t.round for t in corr)
    f["n_night"] = sum(t.night for t in corr)
    f["n_kw"] = sum(t.kw for t in corr)
    f["n_chan"] = sum(t.chan for t in corr)
    f["n_benef"] = len({t.receiver_id for t in corr})
    f["n_benef_unrel"] = len({t.receiver_family for t in corr if not t.related})
    f["any_related"] = float(any(t.related for t in corr))
    pairs: dict[str, list[Flagged]] = {}
    for t in corr:
        pairs.setdefault(t.receiver_id, []).append(t)
    pair_gaps = [g for p in pairs.values() for g in _gaps(p)]
    reg = rules.get("no_relationship")
    lo, hi = reg.params.get("regular_days", [25, 35]) if reg else [25, 35]
    min_count = reg.param("regular_min_count", 4) if reg else 4
    max_cv = reg.param("regular_max_cv", 0.25) if reg else 0.25
    f["regular"] = float(
        n >= min_count
        and bool(pair_gaps)
        and float(lo) <= statistics.median(pair_gaps) <= float(hi)
        and _cv(pair_gaps) <= max_cv
    )
    half = n / 2
    early = [t for k, t in enumerate(corr) if k < half]
    late = [t for k, t in enumerate(corr) if k >= half]
    f["amount_ratio"] = (
        statistics.fmean(t.amount_base for t in late)
        / statistics.fmean(t.amount_base for t in early)
        if early and late
        else 0.0
    )
    gaps = _gaps(corr)  # gap k is between payment k and k+1 (polars: gap on row k+1)
    g_early = [g for k, g in enumerate(gaps, start=1) if k < half]
    g_late = [g for k, g in enumerate(gaps, start=1) if k > half]
    mean_late = statistics.fmean(g_late) if g_late else 0.0
    f["rate_ratio"] = statistics.fmean(g_early) / mean_late if g_early and mean_late else 0.0
    return f


def _same(account_id: str) -> str:
    return account_id


def receiver_features(
    incoming: Sequence[Flagged], entity: Callable[[str], str] = _same
) -> Features:
    """Features of a beneficiary from its incoming corridor payments (senders as entities)."""
    return {
        "n_in": len(incoming),
        "n_senders": len({entity(t.sender_id) for t in incoming}),
        "n_senders_unrel": len({entity(t.sender_id) for t in incoming if not t.related}),
        "n_core": sum(t.core for t in incoming),
        "n_round": sum(t.round for t in incoming),
        "n_night": sum(t.night for t in incoming),
        "n_kw": sum(t.kw for t in incoming),
        "n_chan": sum(t.chan for t in incoming),
    }


def share(f: Features, count: str, total: str, i: Indicator) -> bool:
    return f.get(count, 0) >= i.param("min_count", 1) and (
        f.get(count, 0) / max(1.0, f.get(total, 0)) >= i.param("min_share", 0.0)
    )


Condition = Callable[[Features, Indicator], bool]
SENDER_LIVE: dict[str, Condition] = {
    "corridor": lambda f, i: f["n_corr"] >= i.param("min_count", 1),
    "micro_value": lambda f, i: share(f, "n_core", "n_corr", i),
    "round_amount": lambda f, i: share(f, "n_round", "n_corr", i),
    "velocity_escalation": lambda f, i: (
        f["n_corr"] >= i.param("min_count", 4)
        and (
            f.get("amount_ratio", 0) >= i.param("amount_ratio", 1.5)
            or f.get("rate_ratio", 0) >= i.param("rate_ratio", 1.5)
        )
    ),
    "fan_out": lambda f, i: f.get("n_benef_unrel", 0) >= i.param("min_beneficiaries", 2),
    "no_relationship": lambda f, i: (
        f["n_corr"] >= 1 and not f.get("any_related") and not f.get("regular")
    ),
    "reference_keywords": lambda f, i: f.get("n_kw", 0) >= i.param("min_count", 1),
    "late_night": lambda f, i: share(f, "n_night", "n_corr", i),
    "payment_channel": lambda f, i: (
        f["n_corr"] >= 1 and f.get("n_chan", 0) / max(1.0, f["n_corr"]) >= i.param("min_share", 0.5)
    ),
    "merchant_category": lambda f, i: f["n_merch"] >= i.param("min_count", 1),
    "travel": lambda f, i: f["n_travel"] >= i.param("min_count", 1),
}
RECEIVER_LIVE: dict[str, Condition] = {
    "corridor_in": lambda f, i: f["n_in"] >= i.param("min_count", 1),
    "fan_in": lambda f, i: f["n_senders_unrel"] >= i.param("min_senders", 5),
    "micro_value_in": lambda f, i: share(f, "n_core", "n_in", i),
    "round_amount_in": lambda f, i: share(f, "n_round", "n_in", i),
    "no_relationship_in": lambda f, i: (
        f["n_senders_unrel"] >= i.param("min_senders", 2)
        and f["n_senders_unrel"] / max(1.0, f["n_senders"]) >= i.param("min_share", 0.8)
    ),
    "reference_keywords_in": lambda f, i: f["n_kw"] >= i.param("min_count", 1),
    "late_night_in": lambda f, i: share(f, "n_night", "n_in", i),
    "payment_channel_in": lambda f, i: (
        f["n_in"] >= 1 and f["n_chan"] / max(1.0, f["n_in"]) >= i.param("min_share", 0.5)
    ),
}
