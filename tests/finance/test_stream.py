"""Streaming: one transaction at a time, same final verdicts as batch, errors per row."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

from egide.finance.config import load_rules
from egide.finance.rates import load_rates
from egide.finance.reader import read_transactions
from egide.finance.score import score_frame
from egide.finance.stream import StreamScorer
from egide.finance.stream_entities import StreamEntities
from egide.finance.synth import write_synthetic
from tests.finance.rows import day, frame, row
from tests.finance.test_entities import split_buyer


def test_stream_agrees_with_batch_on_synthetic_data(tmp_path: Path) -> None:
    path = write_synthetic(tmp_path, seed=5, accounts=600)
    rules = dataclasses.replace(load_rules().without_network(), window_days=10_000)
    scorer = StreamScorer(rules, load_rates())
    with path.open(newline="", encoding="utf-8") as fh:
        decisions = [scorer.process(r) for r in csv.DictReader(fh)]
    assert all(d.decision in ("alert", "pass") for d in decisions)
    streamed: dict[str, set[str]] = {}
    for acc in scorer.accounts:
        for alert in (scorer.sender_alert(acc), scorer.receiver_alert(acc)):
            if alert is not None:
                streamed.setdefault(acc, set()).update(i.name for i in alert.indicators)
    batch = {
        a.account_id: {i.name for i in a.indicators}
        for a in score_frame(read_transactions(path).frame, rules).alerts
    }
    assert batch and streamed == batch


def test_decision_alert_and_errors() -> None:
    scorer = StreamScorer(load_rules(), load_rates())
    bad = scorer.process(row(amount="x", txn_id="bad"))
    assert bad.decision == "error" and "amount is not a number" in bad.reason
    decisions = [
        scorer.process(
            row(
                "s1",
                "r1",
                sender_name="Ann Adams",
                ts=day(3 * k, hour=23),
                amount="40",
                reference="school fees",
                txn_id=f"ok{k}",
            )
        )
        for k in range(4)
    ]
    assert decisions[0].decision == "pass"
    assert decisions[-1].decision == "alert"
    assert decisions[-1].alerts[0].account_id == "s1"
    assert scorer.process(row(txn_id="ok0")).reason == "duplicate txn_id: ok0"


def test_window_forgets_old_payments() -> None:
    rules = dataclasses.replace(load_rules(), window_days=10)
    scorer = StreamScorer(rules, load_rates())
    for k in range(4):
        scorer.process(
            row(
                "s1",
                "r1",
                sender_name="Ann Adams",
                ts=day(3 * k, hour=23),
                amount="40",
                reference="school fees",
            )
        )
    assert scorer.sender_alert("s1") is not None
    scorer.process(
        row("s1", "m", channel="card", receiver_country="AU", receiver_type="business", ts=day(100))
    )
    assert scorer.sender_alert("s1") is None


def test_stream_sees_a_split_buyer_as_one_like_batch() -> None:
    """Two spellings paying a common beneficiary merge as they arrive; a namesake does not."""
    rows = split_buyer()
    rules = load_rules()
    scorer = StreamScorer(rules, load_rates())
    decisions = [scorer.process(r) for r in sorted(rows, key=lambda r: r["timestamp"])]
    assert all(d.decision != "error" for d in decisions)
    assert scorer.entity("a2") == "a1" and scorer.entity("a3") == "a3"
    streamed = scorer.sender_alert("a2")  # asked by either account: the entity's alert
    assert streamed is not None and streamed.account_id == "a1"
    assert streamed.linked_accounts == ["a2"]
    batch = {a.account_id: a for a in score_frame(frame(rows).frame, rules).alerts}
    assert {i.name for i in streamed.indicators} == {i.name for i in batch["a1"].indicators}
    assert scorer.sender_alert("a3") is None
    alone = StreamScorer(rules.without_network(), load_rates())
    for r in sorted(rows, key=lambda r: r["timestamp"]):
        alone.process(r)
    assert alone.entity("a2") == "a2" and alone.sender_alert("a1") is None


def test_stream_entity_memory_is_bounded() -> None:
    entities = StreamEntities(90.0, per_beneficiary=3, beneficiaries=2)
    for k in range(10):
        entities.observe(f"s{k}", f"Person Number{k}", "AU", f"r{k % 4}")
    assert len(entities._payers) <= 2
    assert all(len(p) <= 3 for p in entities._payers.values())
    assert entities.observe("x1", "Jon Weller", "AU", "r9") == []
    assert entities.observe("x2", "John Weller", "AU", "r9") == ["x2"]
    assert entities.observe("x3", "John Weller", "US", "r9") == []  # another country
    assert entities.members("x1") == ["x1", "x2"] and entities.entity("x2") == "x1"
