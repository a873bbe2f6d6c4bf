"""Entity resolution: one buyer behind two spellings is one sender; namesakes stay apart."""

from __future__ import annotations

from egide.finance.config import load_rules
from egide.finance.entities import resolve_senders
from egide.finance.features import transaction_flags
from egide.finance.score import score_frame
from tests.finance.rows import day, frame, row


def split_buyer() -> list[dict[str, str]]:
    """Two accounts, two spellings, the same beneficiary; each account alone is weak."""
    first = [
        row(
            "a1",
            "f1",
            sender_name="Jonathan Weller",
            ts=day(k, hour=23),
            amount="40",
            channel="bank_transfer",
        )
        for k in range(2)
    ]
    second = [
        row(
            "a2",
            "f1",
            sender_name="Jonathon Weller",
            ts=day(k + 3),
            amount="40",
            reference="gift",
            channel="bank_transfer",
        )
        for k in range(2)
    ]
    namesake = [
        row(
            "a3",
            "f9",
            sender_name="Jonathan Weller",
            receiver_name="Rosa Cruz",
            ts=day(9),
            amount="40",
        )
    ]
    return first + second + namesake


def test_spellings_with_a_common_beneficiary_merge_namesakes_do_not() -> None:
    read = frame(split_buyer())
    rules = load_rules()
    groups = resolve_senders(transaction_flags(read.frame, rules), read.frame)
    assert sorted(groups.iter_rows()) == [("a1", "a1"), ("a2", "a1")]


def test_split_buyer_is_scored_as_one() -> None:
    df = frame(split_buyer()).frame
    rules = load_rules()
    merged = {a.account_id: a for a in score_frame(df, rules).alerts}
    assert merged["a1"].linked_accounts == ["a2"]
    late = next(i for i in merged["a1"].indicators if i.name == "late_night")
    assert len(late.evidence) == 2 and len(merged["a1"].indicators[0].evidence) == 4
    assert "a2" not in merged and "a3" not in merged
    apart = {a.account_id for a in score_frame(df, rules.without_network()).alerts}
    assert "a1" not in apart
