"""The HTML report: one self-contained file (inline CSS, no script, no network) for examiners."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

MAX_OTHER_ROWS = 20_000  # known files, errors and warnings are always listed in full

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;
text-align:left;vertical-align:top}th{background:#f0f0f0}
.known{background:#fde2e2}.error{background:#fff3cd}code{font-size:12px;word-break:break-all}
.muted{color:#666}
"""


def _table(rows: list[tuple[str, object]]) -> str:
    body = "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in rows)
    return f"<table>{body}</table>"


def _hits(record: dict[str, Any]) -> str:
    parts = []
    for hit in record.get("hits", []):
        label = hit.get("category", {}).get("label", "no category")
        extra = f", {hit['variant']}" if hit.get("variant") not in (None, "original") else ""
        series = f", series {hit['series']}" if hit.get("series") else ""
        times = ", ".join(f"{s['start']:g}-{s['end']:g} s" for s in hit.get("segments", []))
        where = f", at {times}" if times else ""
        parts.append(
            f"{escape(hit['bank'])}: {escape(hit['signal_type'])} d={hit['distance']}"
            f"{escape(extra)} ({escape(label)}{escape(series)}){escape(where)}"
        )
    return "<br>".join(parts)


def _row(record: dict[str, Any]) -> str:
    klass = record["class"]
    problem = record.get("error", "") or "; ".join(record.get("warnings", []))
    return (
        f'<tr class="{escape(klass)}"><td><code>{escape(record["path"])}</code></td>'
        f"<td>{escape(klass)}</td><td>{record.get('size') or ''}</td>"
        f"<td><code>{escape(record.get('md5', ''))}</code></td>"
        f"<td>{_hits(record)}</td><td>{escape(problem)}</td></tr>"
    )


def render_html(header: dict[str, Any], records: Iterator[dict[str, Any]]) -> str:
    summary = header["summary"]
    scan = header["scan"]
    rows: list[str] = []
    skipped = 0
    for record in records:
        important = record["class"] in ("known", "error") or record.get("warnings")
        if important or len(rows) < MAX_OTHER_ROWS:
            rows.append(_row(record))
        else:
            skipped += 1
    note = (
        f'<p class="muted">{skipped} unknown/other files not listed here; the JSON report has '
        "every file.</p>"
        if skipped
        else ""
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>egide scan report {scan['id']}</title><style>{_STYLE}</style></head><body>"
        f"<h1>egide scan report</h1>"
        + _table(
            [
                ("Roots", ", ".join(scan["roots"])),
                ("Banks", ", ".join(scan["banks"])),
                ("Started", scan["started_at"]),
                ("Finished", scan["finished_at"] or "not finished"),
                ("Generator", header["generator"]),
            ]
        )
        + "<h2>Summary</h2>"
        + _table(
            [
                ("Files", summary["files"]),
                ("Bytes", summary["bytes"]),
                *[(f"Class: {k}", v) for k, v in summary["classes"].items()],
                ("Errors", summary["errors"]),
                ("Warnings", summary["warnings"]),
                ("Duration (s)", summary["duration_seconds"]),
                ("Files per second", summary["files_per_second"]),
            ]
        )
        + "<h2>Known files per category</h2>"
        + _table(list(summary["categories"].items()) or [("none", 0)])
        + "<h2>Files with hits per bank</h2>"
        + _table(list(summary["banks"].items()) or [("none", 0)])
        + "<h2>Files</h2><table><tr><th>Path</th><th>Class</th><th>Size</th><th>MD5</th>"
        "<th>Hits</th><th>Error / warnings</th></tr>"
        + "".join(rows)
        + "</table>"
        + note
        + "</body></html>\n"
    )
