"""A self-contained HTML page of alerts: no script, no network; each network drawn as SVG."""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

import networkx as nx

from egide.finance.alerts import Alert
from egide.finance.network import neighbourhood

COLOURS = {
    "buyer": "#c0392b",
    "facilitator": "#8e44ad",
    "intermediary": "#d35400",
    "other": "#7f8c8d",
}
STYLE = """body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
.alert{border-top:2px solid #333;margin-top:2em}code{font-size:.85em}svg{border:1px solid #ddd}"""


def svg_network(graph: nx.DiGraph, focus: str, size: int = 360) -> str:
    """A deterministic circular drawing: the focus account in the middle, others around it."""
    nodes = [n for n in sorted(graph.nodes) if n != focus]
    c = size / 2
    pos = {focus: (c, c)}
    for k, n in enumerate(nodes):
        angle = 2 * math.pi * k / max(1, len(nodes))
        pos[n] = (c + (c - 30) * math.cos(angle), c + (c - 30) * math.sin(angle))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" role="img" aria-label="payments network">'
    ]
    for s, r, d in graph.edges(data=True):
        (x1, y1), (x2, y2) = pos[s], pos[r]
        width = min(4.0, 0.5 + 0.3 * float(d.get("payments", 1)))
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="#999" stroke-width="{width:.1f}"><title>{escape(s)} → '
            f"{escape(r)}: {d.get('payments')} payments</title></line>"
        )
    for n in [*nodes, focus]:
        x, y = pos[n]
        role = str(graph.nodes[n].get("role", "other"))
        radius = 9 if n == focus else 6
        label = f"{n} {graph.nodes[n].get('name', '')} ({graph.nodes[n].get('country', '')}) {role}"
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" '
            f'fill="{COLOURS.get(role, "#7f8c8d")}"><title>{escape(label)}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(alerts: list[Alert], graph: nx.DiGraph, title: str, summary: dict[str, str]) -> str:
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in summary.items())
    body = [
        f"<h1>{escape(title)}</h1><table>{rows}</table>",
        "<p>Legend: <span style='color:#c0392b'>buyer</span>, "
        "<span style='color:#8e44ad'>facilitator</span>, "
        "<span style='color:#d35400'>intermediary</span>, grey: other accounts.</p>",
    ]
    for a in alerts:
        inds = "".join(
            f"<tr><td>{escape(i.name)}</td><td>{escape(i.family)}</td><td>{i.weight}</td>"
            f"<td>{escape(i.detail)}</td><td><code>{escape(', '.join(i.evidence[:12]))}"
            f"{' …' if len(i.evidence) > 12 else ''}</code></td><td>{escape(i.source)}</td></tr>"
            for i in a.indicators
        )
        sub = neighbourhood(graph, a.account_id)
        drawing = (
            svg_network(sub, a.account_id)
            if sub.number_of_nodes()
            else "<p>(no payments graph)</p>"
        )
        body.append(
            f"<div class='alert'><h2>{escape(a.account_id)} {escape(a.name)} "
            f"({escape(a.country)}): {escape(a.role)} ({escape(a.typology)}), "
            f"score {a.score:.1f}</h2>"
            f"<p>Families: {escape(', '.join(a.families))}; community: {a.community}</p>"
            f"<table><tr><th>indicator</th><th>family</th><th>weight</th><th>facts</th>"
            f"<th>evidence txn_id</th><th>source</th></tr>{inds}</table>{drawing}</div>"
        )
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )


def write_html(alerts: list[Alert], graph: nx.DiGraph, path: Path, summary: dict[str, str]) -> None:
    path.write_text(
        render_html(alerts, graph, "egide financial-intelligence alerts", summary), "utf-8"
    )
