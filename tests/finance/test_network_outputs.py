"""Network of the alerts (communities, GraphML, FollowTheMoney) and the HTML report."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from egide.finance.config import load_rules
from egide.finance.html_report import render_html
from egide.finance.network import write_ftm, write_graphml
from egide.finance.pipeline import score_read
from tests.finance.rows import frame
from tests.finance.test_alerts import buyer_rows

NAMES = ["Adams", "Brown", "Clark", "Davis", "Evans"]


def two_rings() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for ring in ("f1", "f2"):
        for k, name in enumerate(NAMES):
            rows += buyer_rows(f"{ring}b{k}", ring, f"Ann {name}{ring}")
    return rows


def test_communities_and_exports(tmp_path: Path) -> None:
    scored = score_read(frame(two_rings()), load_rules())
    comm = {a.account_id: a.community for a in scored.alerts}
    assert scored.communities == 2
    assert comm["f1"] == comm["f1b0"] and comm["f2"] == comm["f2b3"] and comm["f1"] != comm["f2"]
    again = score_read(frame(two_rings()), load_rules())
    assert {a.account_id: a.community for a in again.alerts} == comm  # deterministic
    graphml = tmp_path / "g.graphml"
    write_graphml(scored.graph, graphml)
    back = nx.read_graphml(graphml)
    assert back.number_of_nodes() == 12 and back.nodes["f1"]["role"] == "facilitator"
    ftm = tmp_path / "n.ftm.jsonl"
    count = write_ftm(scored.graph, scored.result.transactions, ftm)
    entities = [json.loads(line) for line in ftm.read_text().splitlines()]
    assert count == len(entities) == 12 * 2 + 40
    schemas = {e["schema"] for e in entities}
    assert schemas == {"Person", "BankAccount", "Payment"}
    payment = next(e for e in entities if e["schema"] == "Payment")
    assert payment["properties"]["beneficiary"][0].startswith("person-f")


def test_html_is_self_contained_and_draws_each_alert() -> None:
    scored = score_read(frame(two_rings()), load_rules())
    html = render_html(scored.alerts, scored.graph, "t", {"rows": "40"})
    assert html.count("<svg") == len(scored.alerts) == 12
    lowered = html.lower()
    for forbidden in ("<script", "http://", "https://", "<link", "@import", "src="):
        if forbidden == "http://":
            # the SVG namespace is an identifier, not a fetch
            lowered = lowered.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert forbidden not in lowered
    assert "school fees" not in html or "&" not in html  # references are escaped text
