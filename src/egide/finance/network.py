"""The sender-to-beneficiary graph around alerts: communities, GraphML and FollowTheMoney export."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import polars as pl

from egide.finance.alerts import Alert


def alert_graph(tx: pl.DataFrame, df: pl.DataFrame, alerts: list[Alert]) -> nx.DiGraph:
    """Corridor payments touching an alerted account, one edge per sender-beneficiary pair."""
    graph: nx.DiGraph = nx.DiGraph()
    ids = sorted(a.account_id for a in alerts)
    if not ids:
        return graph
    wanted = pl.Series(ids, dtype=pl.String).implode()
    edges = (
        tx.lazy()
        .filter(
            pl.col("corr")
            & (pl.col("sender_id").is_in(wanted) | pl.col("receiver_id").is_in(wanted))
        )
        .group_by("sender_id", "receiver_id")
        .agg(
            pl.len().alias("payments"),
            pl.col("amount_base").sum().round(2).alias("total_base"),
            pl.col("txn_id").head(50).str.join(",").alias("txn_ids"),
        )
        .sort("sender_id", "receiver_id")
        .collect()
    )
    nodes = pl.concat([edges["sender_id"], edges["receiver_id"]]).unique().sort().to_list()
    names = account_names(df, nodes)
    roles = {a.account_id: a.role for a in alerts}
    graph.add_nodes_from(
        (node, {"name": name, "country": country, "role": roles.get(node, "other")})
        for node, (name, country) in ((n, names.get(n, ("", ""))) for n in nodes)
    )
    graph.add_edges_from(
        (s, r, {"payments": int(n), "total_base": float(total), "txn_ids": txns})
        for s, r, n, total, txns in edges.iter_rows()
    )
    return graph


def account_names(df: pl.DataFrame, ids: list[str]) -> dict[str, tuple[str, str]]:
    """(name, country) of each account id, as the transactions first write them."""
    wanted = pl.Series(ids, dtype=pl.String).implode()
    both = (
        pl.concat(
            [
                df.lazy()
                .select(
                    pl.col(f"{side}_id").alias("id"),
                    pl.col(f"{side}_name").alias("name"),
                    pl.col(f"{side}_country").alias("country"),
                )
                .filter(pl.col("id").is_in(wanted))
                for side in ("sender", "receiver")
            ]
        )
        .unique("id", keep="first", maintain_order=True)
        .collect()
    )
    return {i: (n, c) for i, n, c in both.iter_rows()}


def assign_communities(graph: nx.DiGraph, alerts: list[Alert], seed: int = 0) -> int:
    """Louvain communities (igraph's multilevel method) on the undirected graph.

    igraph is some 40 times faster than networkx here; its random generator is seeded for the
    call so the same input gives the same communities, numbered by their smallest account id.
    """
    if graph.number_of_nodes() == 0:
        return 0
    nodes = sorted(graph.nodes)
    index = {n: k for k, n in enumerate(nodes)}
    undirected = ig.Graph(
        n=len(nodes), edges=sorted({tuple(sorted((index[a], index[b]))) for a, b in graph.edges})
    )
    ig.set_random_number_generator(random.Random(seed))
    try:
        membership = undirected.community_multilevel().membership
    finally:
        ig.set_random_number_generator(random)
    first: dict[int, int] = {}
    for k, label in enumerate(membership):
        first.setdefault(label, k)
    number = {label: rank for rank, label in enumerate(sorted(first, key=first.__getitem__))}
    member = {nodes[k]: number[label] for k, label in enumerate(membership)}
    for node, community in member.items():
        graph.nodes[node]["community"] = community
    for a in alerts:
        a.community = member.get(a.account_id)
    return len(number)


def neighbourhood(graph: nx.DiGraph, account: str) -> nx.DiGraph:
    """The account, its counterparties and theirs (2 hops), for drawing one alert."""
    if account not in graph:
        return nx.DiGraph()
    near = nx.ego_graph(graph.to_undirected(as_view=True), account, radius=2)
    sub: nx.DiGraph = graph.subgraph(near.nodes).copy()
    return sub


def write_graphml(graph: nx.DiGraph, path: Path) -> None:
    nx.write_graphml(graph, path)


def ftm_entities(graph: nx.DiGraph, tx: pl.DataFrame) -> Iterable[dict[str, Any]]:
    """FollowTheMoney-shaped entities: a Person and a BankAccount per node, a Payment per txn."""
    for node, data in graph.nodes(data=True):
        yield {
            "id": f"person-{node}",
            "schema": "Person",
            "properties": {
                "name": [data.get("name", "")],
                "country": [data.get("country", "").lower()],
            },
        }
        yield {
            "id": f"account-{node}",
            "schema": "BankAccount",
            "properties": {"accountNumber": [node], "holder": [f"person-{node}"]},
        }
    ids = [t for _, _, d in graph.edges(data=True) for t in str(d["txn_ids"]).split(",") if t]
    for txn, s, r, amount, ts in (
        tx.filter(pl.col("txn_id").is_in(ids))
        .select("txn_id", "sender_id", "receiver_id", "amount_base", "ts")
        .iter_rows()
    ):
        yield {
            "id": f"payment-{txn}",
            "schema": "Payment",
            "properties": {
                "payer": [f"person-{s}"],
                "beneficiary": [f"person-{r}"],
                "payerAccount": [f"account-{s}"],
                "beneficiaryAccount": [f"account-{r}"],
                "amountUsd": [f"{amount:.2f}"],
                "date": [ts.date().isoformat()],
                "transactionNumber": [txn],
            },
        }


def write_ftm(graph: nx.DiGraph, tx: pl.DataFrame, path: Path) -> int:
    """FollowTheMoney entities as JSON lines; returns how many were written."""
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for entity in ftm_entities(graph, tx):
            fh.write(json.dumps(entity, ensure_ascii=False) + "\n")
            n += 1
    return n
