"""Printing a scan summary as a table."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table


def print_summary(console: Console, summary: dict[str, Any]) -> None:
    table = Table(title="scan summary", show_header=False)
    table.add_row("files", str(summary["files"]))
    table.add_row("bytes", str(summary["bytes"]))
    for name, count in summary["classes"].items():
        table.add_row(f"class {name}", str(count))
    for label, count in summary["categories"].items():
        table.add_row(f"category {label}", str(count))
    for bank, count in summary["banks"].items():
        table.add_row(f"bank {bank}", str(count))
    table.add_row("errors", str(summary["errors"]))
    table.add_row("warnings", str(summary["warnings"]))
    table.add_row("suppressed by allow banks", str(summary["allowed"]))
    for event in summary["quarantined"]:
        table.add_row(f"quarantined {event['bank']} entry {event['entry_id']}", event["reason"])
    table.add_row("duration (s)", str(summary["duration_seconds"]))
    table.add_row("files per second", str(summary["files_per_second"]))
    console.print(table)
