"""Indicators combine into alerts: two families by default, weights and thresholds from config."""

from __future__ import annotations

import dataclasses

from egide.finance.config import Indicator, Rules, load_rules
from egide.finance.score import score_frame
from tests.finance.rows import day, frame, row


def buyer_rows(
    sender: str = "s1", receiver: str = "r1", name: str = "Ann Adams"
) -> list[dict[str, str]]:
    """A textbook buyer: night-time micro remittances with keywords to an unrelated woman."""
    return [
        row(
            sender,
            receiver,
            sender_name=name,
            ts=day(3 * k, hour=23),
            amount="40",
            reference="school fees",
        )
        for k in range(4)
    ]


def with_weight(rules: Rules, name: str, weight: float) -> Rules:
    inds = tuple(
        dataclasses.replace(i, weight=weight) if i.name == name else i for i in rules.indicators
    )
    return dataclasses.replace(rules, indicators=inds)


def test_textbook_buyer_alerts_with_evidence() -> None:
    rows = buyer_rows()
    alerts = score_frame(frame(rows).frame, load_rules()).alerts
    buyer = next(a for a in alerts if a.account_id == "s1")
    assert buyer.role == "buyer"
    assert len(buyer.families) >= 2 and buyer.score >= load_rules().min_score
    night = next(i for i in buyer.indicators if i.name == "late_night")
    assert set(night.evidence) == {r["txn_id"] for r in rows}
    assert night.source.startswith("FATF")
    assert buyer.name == "Ann Adams" and buyer.country == "AU"


def test_one_family_never_alerts_even_with_a_huge_weight() -> None:
    rules = with_weight(load_rules(), "corridor", 100.0)
    rows = [
        row(
            channel="bank_transfer",
            amount="4000",
            receiver_name="Maria Smith",
            sender_name="John Smith",
        )
    ]
    # only the corridor (geography) fires: relationship, amount, time, channel do not
    alerts = score_frame(frame(rows).frame, rules).alerts
    assert alerts == []
    assert score_frame(frame(rows).frame, dataclasses.replace(rules, min_families=1)).alerts


def test_threshold_and_weights_come_from_config() -> None:
    rows = buyer_rows()
    rules = load_rules()
    assert score_frame(frame(rows).frame, rules).alerts
    strict = dataclasses.replace(rules, min_score=50.0)
    assert score_frame(frame(rows).frame, strict).alerts == []
    off = dataclasses.replace(
        rules,
        indicators=tuple(
            dataclasses.replace(i, enabled=i.name == "corridor") for i in rules.indicators
        ),
    )
    assert score_frame(frame(rows).frame, off).alerts == []


def test_network_indicators_two_hop() -> None:
    """Buyers of a detected facilitator are found though their own pattern is weak."""
    rows: list[dict[str, str]] = []
    for k, name in enumerate(["Adams", "Brown", "Clark", "Davis", "Evans"]):
        rows += buyer_rows(f"b{k}", "f1", f"Ann {name}")
    # weak buyer: two daytime bank transfers, no keywords, to the same facilitator
    rows += [
        row("w1", "f1", sender_name="Bob Weak", ts=day(k), amount="120", channel="bank_transfer")
        for k in range(2)
    ]
    df = frame(rows).frame
    rules = load_rules()
    with_net = {a.account_id: a for a in score_frame(df, rules).alerts}
    without = {a.account_id: a for a in score_frame(df, rules.without_network()).alerts}
    assert with_net["f1"].role == "facilitator"
    assert "w1" in with_net and "w1" not in without
    assert "pays_flagged_facilitator" in {i.name for i in with_net["w1"].indicators}
    assert "paid_by_flagged_buyers" in {i.name for i in with_net["f1"].indicators}
    assert all(a.community is None for a in with_net.values())  # set by the pipeline only


def test_rules_file_errors_name_the_field(tmp_path: object) -> None:
    from pathlib import Path

    import pytest

    from egide.finance.config import RulesError

    path = Path(str(tmp_path)) / "r.yaml"
    path.write_text("alert: {}\nindicators:\n  - {name: x, side: sender, family: f, weight: 1}\n")
    with pytest.raises(RulesError, match="has no 'source'"):
        load_rules(path)
    assert isinstance(load_rules().indicators[0], Indicator)
