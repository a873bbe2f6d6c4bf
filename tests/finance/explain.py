"""Which indicators fire for an account, batch and streaming, with the alert policy switched off."""

from __future__ import annotations

import dataclasses

from egide.finance.config import Rules, load_rules
from egide.finance.rates import load_rates
from egide.finance.score import score_frame
from egide.finance.stream import StreamScorer
from tests.finance.rows import frame


def open_rules(rules: Rules | None = None) -> Rules:
    """Rules whose policy alerts on any fired indicator, so each one can be seen alone."""
    base = rules or load_rules()
    return dataclasses.replace(base.without_network(), min_families=0, min_score=0.0, policies={})


def fired_batch(rows: list[dict[str, str]], account: str, rules: Rules | None = None) -> set[str]:
    result = score_frame(frame(rows).frame, open_rules(rules))
    return {i.name for a in result.alerts if a.account_id == account for i in a.indicators}


def fired_stream(rows: list[dict[str, str]], account: str, rules: Rules | None = None) -> set[str]:
    scorer = StreamScorer(open_rules(rules), load_rates())
    for r in rows:
        assert scorer.process(r).decision != "error"
    names: set[str] = set()
    for alert in (scorer.sender_alert(account), scorer.receiver_alert(account)):
        if alert is not None:
            names |= {i.name for i in alert.indicators}
    return names


def fired(rows: list[dict[str, str]], account: str) -> set[str]:
    """Batch result, checked to equal the streaming result on the same rows."""
    batch = fired_batch(rows, account)
    assert batch == fired_stream(rows, account), "batch and streaming disagree"
    return batch
