"""Sextortion features from a rolling window, in plain Python (same meaning as features_sx.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from egide.finance.config import Indicator, Rules
from egide.finance.stream_features import Condition, Features, share
from egide.finance.stream_row import Flagged

DAY = 86400.0


def _span(txns: Sequence[Flagged]) -> float:
    times = [t.ts for t in txns]
    return (max(times) - min(times)).total_seconds() / DAY if times else 0.0


def sextortion_sender_features(paid: Sequence[Flagged], rules: Rules) -> Features:
    """The victim's side, from its possibly extorted payments (time order)."""
    sx = rules.sextortion
    n = len(paid)
    f: Features = {"n_sx": n, "n_sx_chan": sum(t.sx_chan for t in paid)}
    f["n_sx_kw"] = sum(t.sx_kw for t in paid)
    if n:
        f["sx_span_days"] = _span(paid)
        f["sx_first"] = paid[0].amount_base
        f["sx_max"] = max(t.amount_base for t in paid)
        f["sx_in_episode"] = float(f["sx_span_days"] <= sx.episode_days)
        f["sx_amount_ok"] = float(f["sx_first"] <= sx.first_max and f["sx_max"] <= sx.max_amount)
    return f


def sextortion_receiver_features(
    paid: Sequence[Flagged], rules: Rules, entity: Callable[[str], str] = str
) -> Features:
    """The extortioner's side from its incoming possibly extorted payments, senders as entities."""
    sx = rules.sextortion
    by_sender: dict[str, list[Flagged]] = {}
    for t in paid:
        by_sender.setdefault(entity(t.sender_id), []).append(t)
    return {
        "n_sx_in": len(paid),
        "n_sx_chan_in": sum(t.sx_chan for t in paid),
        "n_sx_kw_in": sum(t.sx_kw for t in paid),
        "n_sx_small_in": sum(t.amount_base <= sx.max_amount for t in paid),
        "n_sx_senders": len(by_sender),
        "n_sx_episode_senders": sum(_span(ts) <= sx.episode_days for ts in by_sender.values()),
    }


def _with_sx(f: Features, i: Indicator, count: str, total: str) -> bool:
    return f.get(total, 0) >= 1 and share(f, count, total, i)


SENDER_SX: dict[str, Condition] = {
    "sx_corridor": lambda f, i: f.get("n_sx", 0) >= i.param("min_count", 1),
    "sx_episode": lambda f, i: (
        f.get("n_sx", 0) >= i.param("min_count", 1) and bool(f.get("sx_in_episode"))
    ),
    "sx_series": lambda f, i: (
        f.get("n_sx", 0) >= i.param("min_count", 2) and bool(f.get("sx_in_episode"))
    ),
    "sx_amount": lambda f, i: f.get("n_sx", 0) >= 1 and bool(f.get("sx_amount_ok")),
    "sx_channel": lambda f, i: _with_sx(f, i, "n_sx_chan", "n_sx"),
    "sx_reference": lambda f, i: f.get("n_sx_kw", 0) >= i.param("min_count", 1),
}
RECEIVER_SX: dict[str, Condition] = {
    "sx_corridor_in": lambda f, i: f.get("n_sx_in", 0) >= i.param("min_count", 1),
    "sx_fan_in": lambda f, i: f.get("n_sx_senders", 0) >= i.param("min_senders", 3),
    "sx_episodes_in": lambda f, i: (
        f.get("n_sx_senders", 0) >= i.param("min_senders", 2)
        and f.get("n_sx_episode_senders", 0) / max(1.0, f.get("n_sx_senders", 0))
        >= i.param("min_share", 0.8)
    ),
    "sx_amount_in": lambda f, i: _with_sx(f, i, "n_sx_small_in", "n_sx_in"),
    "sx_channel_in": lambda f, i: _with_sx(f, i, "n_sx_chan_in", "n_sx_in"),
    "sx_reference_in": lambda f, i: f.get("n_sx_kw_in", 0) >= i.param("min_count", 1),
}
