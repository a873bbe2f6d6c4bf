"""``egide demo``: build the demo case and scan it (what ``make demo`` runs)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from egide.cli.context import console
from egide.cli.progress import RichScanProgress
from egide.cli.summary import print_summary
from egide.demo import DEMO_BANK, run_demo


def demo_command(
    directory: Annotated[Path, typer.Option("--dir", help="Where to build the demo case.")] = Path(
        "demo"
    ),
    workers: Annotated[int, typer.Option(help="Hashing processes (default: all cores).")] = 0,
) -> None:
    """Build a demo case from benign public images and triage it against a demo bank."""
    run = run_demo(directory, workers or os.cpu_count() or 1, RichScanProgress())
    report = run.outcome.report
    print_summary(console, report.summary)
    console.print(f"bank: {DEMO_BANK} in {run.database_url}")
    console.print(f"evidence: {directory.resolve() / 'evidence'}")
    console.print(f"report: {report.path}")
    console.print(f"html report: {report.html_path}")
