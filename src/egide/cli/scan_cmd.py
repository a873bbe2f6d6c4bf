"""``egide scan PATH --bank NAME --report report.json``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from egide.banks import BankError
from egide.cli.context import DatabaseOption, console, engine_for, user_errors
from egide.cli.progress import RichScanProgress
from egide.cli.summary import print_summary
from egide.hashing import HashOptions
from egide.match import DEFAULT_MIN_QUALITY, FloodPolicy
from egide.scan import ScanOptions, ScanStateError, WalkLimits, run_scan
from egide.store import data_home

DEFAULTS = WalkLimits()


@user_errors(BankError, ScanStateError)
def scan_command(
    paths: Annotated[list[Path], typer.Argument(help="Folders, files or archives to triage.")],
    bank: Annotated[list[str], typer.Option("--bank", "-b", help="Bank to match against.")],
    report: Annotated[Path, typer.Option(help="Where to write the JSON report.")],
    html: Annotated[
        Path | None, typer.Option(help="Also write a self-contained HTML report.")
    ] = None,
    workers: Annotated[int, typer.Option(help="Hashing processes (default: all cores).")] = 0,
    resume: Annotated[
        bool, typer.Option(help="Continue the unfinished scan that writes this report.")
    ] = False,
    dihedral: Annotated[
        bool, typer.Option(help="Also match rotated and mirrored copies (8 PDQ variants).")
    ] = False,
    min_quality: Annotated[
        int, typer.Option(help="Skip PDQ hashes of lower quality (flat images).")
    ] = DEFAULT_MIN_QUALITY,
    max_image_pixels: Annotated[
        int, typer.Option(help="Decompression-bomb limit (pixels).")
    ] = HashOptions().max_image_pixels,
    max_depth: Annotated[int, typer.Option(help="Archive nesting depth.")] = DEFAULTS.max_depth,
    max_member_bytes: Annotated[
        int, typer.Option(help="Largest archive member read (bytes).")
    ] = DEFAULTS.max_member_bytes,
    max_ratio: Annotated[
        float, typer.Option(help="Largest compression ratio of a member (zip bombs).")
    ] = DEFAULTS.max_ratio,
    flood_limit: Annotated[
        int | None,
        typer.Option(help="Quarantine an entry that matches more than this many distinct files"),
    ] = None,
    flood_window: Annotated[
        float, typer.Option(help="... within this many seconds (with --flood-limit).")
    ] = 3600.0,
    no_index_cache: Annotated[
        bool, typer.Option(help="Build bank indexes in memory, never cache them on disk.")
    ] = False,
    db: DatabaseOption = None,
) -> None:
    """Triage files, folders and archives against banks and write a report.

    Exit codes: 0 every file read and hashed; 1 finished, but some files had errors (listed in
    the report); 2 the scan could not run (unknown bank, bad option, settings differ on resume).
    """
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise typer.BadParameter(f"{path} does not exist", param_hint="PATHS")
    options = ScanOptions(
        roots=tuple(str(p) for p in paths),
        banks=tuple(bank),
        report_path=report,
        html_path=html,
        workers=workers or os.cpu_count() or 1,
        resume=resume,
        dihedral=dihedral,
        min_quality=min_quality,
        max_image_pixels=max_image_pixels,
        limits=WalkLimits(
            max_depth=max_depth, max_member_bytes=max_member_bytes, max_ratio=max_ratio
        ),
        index_cache=None if no_index_cache else data_home() / "index-cache",
        flood=FloodPolicy(flood_limit, flood_window) if flood_limit else None,
    )
    outcome = run_scan(engine_for(db), options, RichScanProgress())
    print_summary(console, outcome.report.summary)
    console.print(f"report: {outcome.report.path}")
    if outcome.report.html_path:
        console.print(f"html report: {outcome.report.html_path}")
    raise typer.Exit(outcome.exit_code)
