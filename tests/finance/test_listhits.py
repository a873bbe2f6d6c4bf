"""List hits: account names against the offender/facilitator lists of egide.watchlists."""

from __future__ import annotations

from pathlib import Path

from egide.finance.config import load_rules
from egide.finance.pipeline import score_read
from egide.watchlists import COLUMNS, load_watchlist
from tests.finance.rows import frame, row


def test_listed_facilitator_is_hit_and_combines(tmp_path: Path) -> None:
    path = tmp_path / "facilitators.csv"
    path.write_text(
        ",".join(COLUMNS) + "\n" + "L1,María Santós,Mia S,1990,PH,,test list,\n", "utf-8"
    )
    wl = load_watchlist(path)
    assert wl.entries and not wl.errors
    rows = [
        row(
            "s1",
            "r1",
            sender_name="John Smith",
            amount="40",
            txn_id=f"x{k}",
            ts=f"2026-03-0{k + 1}T14:00:00+10:00",
        )
        for k in range(3)
    ]
    rows.append(row("s9", "r9", receiver_name="Maria Cruz", txn_id="other"))
    scored = score_read(frame(rows), load_rules(), [wl])
    by_id = {a.account_id: a for a in scored.alerts}
    hit = next(i for i in by_id["r1"].indicators if i.name == "list_hit")
    assert "L1" in hit.detail and hit.family == "list"
    assert "r9" not in by_id
    # without the list the same beneficiary does not alert
    assert "r1" not in {a.account_id for a in score_read(frame(rows), load_rules()).alerts}
