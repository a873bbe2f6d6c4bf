"""One call from a file to alerts, graph and communities: what the CLI and benchmarks run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from egide.finance.alerts import Alert
from egide.finance.config import Rules
from egide.finance.gcpause import no_gc
from egide.finance.listhits import list_hits
from egide.finance.network import alert_graph, assign_communities
from egide.finance.rates import RateTable
from egide.finance.reader import ReadResult, read_transactions
from egide.finance.score import ScoreResult, score_frame
from egide.watchlists import Watchlist


@dataclass
class Scored:
    read: ReadResult
    result: ScoreResult
    graph: nx.DiGraph
    communities: int

    @property
    def alerts(self) -> list[Alert]:
        return self.result.alerts


def score_file(
    path: Path,
    rules: Rules,
    rates: RateTable,
    lists: list[Watchlist] | None = None,
    network: bool = True,
    fmt: str = "auto",
) -> Scored:
    """Read, score, build the alerts' graph and its communities."""
    read = read_transactions(path, rates, fmt)
    return score_read(read, rules, lists, network)


def score_read(
    read: ReadResult, rules: Rules, lists: list[Watchlist] | None = None, network: bool = True
) -> Scored:
    active = rules if network else rules.without_network()
    hits: dict[str, str] = {}
    ind = active.get("list_hit")
    if lists and ind is not None:
        hits = list_hits(read.frame, lists, ind.param("min_score", 92))
    with no_gc():
        result = score_frame(read.frame, active, hits)
        graph = alert_graph(result.transactions, read.frame, result.alerts)
        communities = assign_communities(graph, result.alerts)
    return Scored(read, result, graph, communities)
