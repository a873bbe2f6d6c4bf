"""Destination authority named from the arrival airport (airportsdata), unknown airports refused."""

from __future__ import annotations

from typing import Any

import pytest

from egide.travel.airports import UnknownAirport, authority, destination
from egide.travel.notify import NotifyError, build_notice


def hit(arrival: str | None) -> dict[str, Any]:
    passenger = {"name": "JOHN SMITH", "arrival_airport": arrival, "read_from": "m.edi"}
    return {"passenger": passenger, "watchlist_id": "W1", "listed": {}, "score": 0.9}


def test_known_airports_give_their_country() -> None:
    bkk = destination("bkk")
    assert (bkk.country_code, bkk.country, bkk.city) == ("TH", "Thailand", "Bangkok")
    assert destination("MNL").country_code == "PH"
    assert destination("SGN").country_code == "VN"
    text = authority(bkk)
    assert "Thailand (TH)" in text and "BKK" in text


@pytest.mark.parametrize(
    ("code", "reason"), [("ZZZ", "'ZZZ' is not in airportsdata"), ("", "no arrival")]
)
def test_unknown_airport_is_a_clear_error(code: str, reason: str) -> None:
    with pytest.raises(UnknownAirport, match=reason):
        destination(code)


def test_notice_is_addressed_from_the_arrival_airport() -> None:
    notice = build_notice(hit("CGK"), "Unit A", None)
    assert "Indonesia (ID)" in notice["recipient"]
    assert build_notice(hit("CGK"), "Unit A", "Polri")["recipient"] == "Polri"
    with pytest.raises(NotifyError, match=r"'QQQ' is not in airportsdata.*--recipient"):
        build_notice(hit("QQQ"), "Unit A", None)
    assert build_notice(hit("QQQ"), "Unit A", "Someone")["recipient"] == "Someone"
