"""Each indicator fires on the pattern its source describes and not on the look-alike."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.finance.explain import fired
from tests.finance.rows import day, row


def pays(n: int, **kw: str) -> list[dict[str, str]]:
    """n payments from s1 to r1, 7 days apart, 14:00 sender-local unless told otherwise."""
    ts = kw.pop("ts", None)
    return [row(ts=ts or day(7 * k), **kw) for k in range(n)]


def senders_to(receiver: str, n: int, **kw: str) -> list[dict[str, str]]:
    names = ["Adams", "Brown", "Clark", "Davis", "Evans", "Frost"]
    return [
        row(f"s{k}", receiver, sender_name=f"Ann {names[k]}", ts=day(k), **kw) for k in range(n)
    ]


EXTORTED = {
    "sender_country": "US",
    "currency": "USD",
    "receiver_country": "NG",
    "receiver_name": "Tunde Bello",
    "channel": "p2p",
    "amount": "100",
}


def extorted(n: int, hours: int = 6, **kw: str) -> list[dict[str, str]]:
    """n P2P payments from a US account to one person in Nigeria, ``hours`` apart."""
    start = datetime(2026, 3, 4, 10)
    return [
        row(
            ts=(start + timedelta(hours=k * hours)).strftime("%Y-%m-%dT%H:%M:%S-05:00"),
            **(EXTORTED | kw),
        )
        for k in range(n)
    ]


def victims_of(receiver: str, n: int, days_apart: int = 0, **kw: str) -> list[dict[str, str]]:
    """n unrelated US senders, each paying ``receiver`` twice, hours (or days) apart."""
    names = ["Adams", "Brown", "Clark", "Davis", "Evans", "Frost"]
    start = datetime(2026, 2, 1, 20)
    return [
        row(
            f"v{k}",
            receiver,
            sender_name=f"Sam {names[k]}",
            ts=(start + timedelta(days=k * 10 + j * days_apart, hours=j * 3)).strftime(
                "%Y-%m-%dT%H:%M:%S-05:00"
            ),
            **(EXTORTED | {"amount": "150"} | kw),
        )
        for k in range(n)
        for j in range(2)
    ]


CASES = [
    # (indicator, account, rows where it fires, rows where it does not)
    ("corridor", "s1", pays(1), pays(1, receiver_country="AU")),
    ("corridor", "s1", pays(1), pays(1, receiver_type="business")),
    ("micro_value", "s1", pays(3, amount="50"), pays(3, amount="2000")),
    ("round_amount", "s1", pays(3, amount="50"), pays(3, amount="47.35")),
    (
        "velocity_escalation",
        "s1",
        [row(ts=day(7 * k), amount=a) for k, a in enumerate(["20", "20", "60", "60"])],
        pays(4, amount="20"),
    ),
    (
        "fan_out",
        "s1",
        [row(receiver="r1"), row(receiver="r2", receiver_name="Liza Reyes")],
        [row(receiver="r1"), row(receiver="r2", receiver_name="Liza Santos")],
    ),
    ("no_relationship", "s1", pays(2), pays(2, receiver_name="Maria Smith")),
    (
        "no_relationship",
        "s1",
        pays(5),
        [row(ts=day(30 * k)) for k in range(5)],  # regular monthly remittance
    ),
    ("reference_keywords", "s1", pays(1, reference="school fees"), pays(1, reference="rent")),
    ("reference_keywords", "s1", pays(1, reference="for @maria_cam"), pays(1, reference="rent")),
    ("late_night", "s1", [row(ts=day(k, hour=23)) for k in range(2)], pays(2)),
    ("payment_channel", "s1", pays(1), pays(1, channel="bank_transfer")),
    (
        "merchant_category",
        "s1",
        [
            row(
                receiver="m1",
                channel="card",
                mcc="4816",
                merchant_name="Secure VPN",
                receiver_country="US",
                receiver_type="business",
            )
        ],
        [
            row(
                receiver="m1",
                channel="card",
                mcc="5411",
                merchant_name="Grocer",
                receiver_country="AU",
                receiver_type="business",
            )
        ],
    ),
    (
        "travel",
        "s1",
        [
            row(
                receiver="m2",
                channel="card",
                mcc="4511",
                merchant_name="Airline tickets MNL",
                receiver_country="AU",
                receiver_type="business",
            )
        ],
        [
            row(
                receiver="m2",
                channel="card",
                mcc="4511",
                merchant_name="Qantas SYD",
                receiver_country="AU",
                receiver_type="business",
            )
        ],
    ),
    ("corridor_in", "r1", pays(1), pays(1, sender_country="PH")),
    ("fan_in", "r1", senders_to("r1", 5), senders_to("r1", 4)),
    ("micro_value_in", "r1", senders_to("r1", 3, amount="30"), senders_to("r1", 3, amount="900")),
    ("round_amount_in", "r1", senders_to("r1", 3, amount="30"), senders_to("r1", 3, amount="31.5")),
    (
        "no_relationship_in",
        "r1",
        senders_to("r1", 2),
        senders_to("r1", 2, receiver_name="Maria Adams") + pays(1, receiver_name="Maria Adams"),
    ),
    (
        "reference_keywords_in",
        "r1",
        senders_to("r1", 2, reference="gift"),
        senders_to("r1", 2, reference="rent"),
    ),
    (
        "late_night_in",
        "r1",
        [row(f"s{k}", "r1", sender_name=f"A B{k}", ts=day(k, hour=1)) for k in range(3)],
        senders_to("r1", 3),
    ),
    ("payment_channel_in", "r1", senders_to("r1", 2), senders_to("r1", 2, channel="bank_transfer")),
    # sextortion: victim side
    ("sx_corridor", "s1", extorted(1), extorted(1, receiver_country="GB")),
    ("sx_corridor", "s1", extorted(1), extorted(1, receiver_name="Tunde Smith")),  # family
    ("sx_episode", "s1", extorted(3), extorted(3, hours=24 * 7)),
    ("sx_series", "s1", extorted(2), extorted(1)),
    ("sx_amount", "s1", extorted(2), extorted(2, amount="400")),
    ("sx_amount", "s1", extorted(2), extorted(2, amount="1600")),
    ("sx_channel", "s1", extorted(2), extorted(2, channel="bank_transfer")),
    ("sx_reference", "s1", extorted(1, reference="pay now"), extorted(1, reference="rent")),
    # sextortion: extortioner side
    ("sx_corridor_in", "r1", victims_of("r1", 1), victims_of("r1", 1, receiver_country="US")),
    ("sx_fan_in", "r1", victims_of("r1", 3), victims_of("r1", 2)),
    (
        "sx_episodes_in",
        "r1",
        victims_of("r1", 3),
        victims_of("r1", 3, days_apart=20),
    ),
    ("sx_amount_in", "r1", victims_of("r1", 2), victims_of("r1", 2, amount="2000")),
    ("sx_channel_in", "r1", victims_of("r1", 2), victims_of("r1", 2, channel="remittance")),
    (
        "sx_reference_in",
        "r1",
        victims_of("r1", 2, reference="please delete"),
        victims_of("r1", 2, reference="dinner"),
    ),
]


@pytest.mark.parametrize(
    ("indicator", "account", "positive", "negative"),
    CASES,
    ids=[f"{c[0]}-{k}" for k, c in enumerate(CASES)],
)
def test_indicator_fires_and_does_not(
    indicator: str, account: str, positive: list[dict[str, str]], negative: list[dict[str, str]]
) -> None:
    assert indicator in fired(positive, account)
    assert indicator not in fired(negative, account)


def test_every_shipped_indicator_is_tested_or_tested_elsewhere() -> None:
    from egide.finance.config import load_rules

    tested = {c[0] for c in CASES} | {
        "list_hit",  # test_listhits.py
        "pays_flagged_facilitator",  # test_alerts.py
        "paid_by_flagged_buyers",  # test_alerts.py
    }
    assert {i.name for i in load_rules().indicators} == tested
