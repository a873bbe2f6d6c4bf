"""``egide travel screen|notify|evaluate`` and ``egide synth travel``: thin layer over
egide.travel."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from egide.cli.context import console, fail, user_errors
from egide.travel import ManifestError, load_rules, read_manifest, screen
from egide.travel.evaluate import Evaluation, evaluate, read_labels, read_scripts, sweep
from egide.travel.notify import NotifyError, build_notice, load_hits, write_notice
from egide.travel.rules import DEFAULT_RULES
from egide.travel.synth import generate, plant_entries
from egide.watchlists import WatchlistFormatError, load_watchlist

travel_app = typer.Typer(
    help="Traveller screening: API/PNR manifests against offender watchlists.",
    no_args_is_help=True,
)

RulesOption = Annotated[
    Path, typer.Option("--rules", help="Scoring rules (YAML).", show_default=False)
]


def _write_atomic(path: Path, text: str) -> None:
    """Write next to the target and rename, so a failed run never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _load_rules(path: Path) -> Any:
    try:
        return load_rules(path)
    except (OSError, ValueError, KeyError) as exc:
        raise fail(f"rules {path}: {exc}") from None


@travel_app.command("screen")
@user_errors(ManifestError, WatchlistFormatError)
def screen_command(
    manifests: Annotated[
        list[Path], typer.Argument(help="PAXLST/PNRGOV messages (EDIFACT) or CSV manifests.")
    ],
    watchlist: Annotated[
        list[Path], typer.Option("--watchlist", "-w", help="Watchlist (.csv or FtM .jsonl).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the hits (JSON).")],
    threshold: Annotated[
        float | None, typer.Option(help="Score from which a pair is a hit (default: rules).")
    ] = None,
    rules: RulesOption = DEFAULT_RULES,
) -> None:
    """Screen travellers against watchlists; one hit per passenger and listed person.

    Exit codes: 0 every input read cleanly; 1 finished, but some messages, rows or list entries
    had errors (listed in the output; the readable travellers were screened); 2 could not run
    (missing file, unknown format, bad option).
    """
    loaded_rules = _load_rules(rules)
    limit = loaded_rules.threshold if threshold is None else threshold
    if not 0.0 <= limit <= 1.0:
        raise fail(f"--threshold {limit}: must be between 0 and 1")
    lists = [load_watchlist(p) for p in watchlist]
    read = [read_manifest(p) for p in manifests]
    result = screen(read, lists, loaded_rules, limit)
    document = result.to_json()
    _write_atomic(out, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    for m in read:
        for issue in m.issues[:20]:
            console.print(f"[yellow]{m.source}: {issue}[/]", highlight=False)
        if len(m.issues) > 20:
            console.print(f"[yellow]{m.source}: ... {len(m.issues) - 20} more (see {out})[/]")
    for wl in lists:
        for error in wl.errors[:20]:
            console.print(f"[yellow]{wl.name}: {error.position}: {error.message}[/]")
    s = document["summary"]
    console.print(
        f"{s['travellers_read']} travellers read and screened against "
        f"{s['watchlist_entries']} listed people: [bold]{s['hits']} hit(s)[/] "
        f"at threshold {limit}; {s['errors']} message error(s), "
        f"{s['watchlist_errors']} list error(s) -> {out}",
        highlight=False,
    )
    raise typer.Exit(1 if s["errors"] or s["watchlist_errors"] else 0)


@travel_app.command("notify")
@user_errors(NotifyError)
def notify_command(
    hits_file: Annotated[Path, typer.Argument(help="Output of `egide travel screen`.")],
    out_dir: Annotated[Path, typer.Option("--out-dir", "-o", help="Folder for the notices.")],
    hit: Annotated[
        list[int] | None,
        typer.Option("--hit", "-n", help="Confirmed hit, by its number (1 = first) in the file."),
    ] = None,
    all_hits: Annotated[bool, typer.Option("--all", help="Every hit in the file.")] = False,
    formats: Annotated[
        str, typer.Option("--format", "-f", help="Comma-separated: json, html, pdf.")
    ] = "json,html,pdf",
    issuer: Annotated[str, typer.Option(help="Who sends the notice.")] = "egide user",
    recipient: Annotated[
        str | None, typer.Option(help="Destination authority (default: named from the airport).")
    ] = None,
) -> None:
    """Render notifications for confirmed hits (JSON, printable HTML, PDF).

    Without --recipient, each notice is addressed to the destination country's authority, named
    from the arrival airport (airportsdata table).

    Exit codes: 0 notices written; 1 some hits were skipped (arrival airport missing or unknown:
    give --recipient), the others written; 2 could not run (unreadable hits file, no such hit
    number, unknown format).
    """
    chosen = {f.strip().lower() for f in formats.split(",") if f.strip()}
    unknown = chosen - {"json", "html", "pdf"}
    if unknown or not chosen:
        raise fail(f"--format: unknown {sorted(unknown)}; use json, html, pdf")
    hits = load_hits(hits_file)
    if all_hits:
        numbers = list(range(1, len(hits) + 1))
    elif hit:
        numbers = hit
    else:
        raise fail("choose the confirmed hits with --hit N (repeatable) or --all")
    for n in numbers:
        if not 1 <= n <= len(hits):
            raise fail(f"--hit {n}: {hits_file} has {len(hits)} hit(s)")
    failed = 0
    for n in numbers:
        try:
            notice = build_notice(hits[n - 1], issuer, recipient)
        except NotifyError as exc:
            console.print(f"[red]hit {n}: {exc}[/]", highlight=False)
            failed += 1
            continue
        for path in write_notice(notice, out_dir, chosen):
            console.print(f"hit {n}: {path}", highlight=False)
    raise typer.Exit(1 if failed else 0)


@travel_app.command("evaluate")
@user_errors(ManifestError, WatchlistFormatError)
def evaluate_command(
    folder: Annotated[
        Path, typer.Argument(help="Folder written by `egide synth travel` (or use the options).")
    ] = Path("."),
    watchlist: Annotated[Path | None, typer.Option(help="Watchlist file.")] = None,
    manifest: Annotated[Path | None, typer.Option(help="Manifest CSV with passenger_id.")] = None,
    labels: Annotated[
        Path | None, typer.Option(help="labels.csv: passenger_id,watchlist_id.")
    ] = None,
    start: Annotated[float, typer.Option(help="Lowest threshold of the sweep.")] = 0.6,
    stop: Annotated[float, typer.Option(help="Highest threshold of the sweep.")] = 0.95,
    step: Annotated[float, typer.Option(help="Step of the sweep.")] = 0.01,
    max_fpr: Annotated[float, typer.Option(help="False-positive rate allowed.")] = 0.001,
    target_f1: Annotated[float, typer.Option(help="F1 to reach within --max-fpr.")] = 0.97,
    rules: RulesOption = DEFAULT_RULES,
) -> None:
    """Precision, recall, F1 and false-positive rate over a threshold sweep.

    Exit codes: 0 the target F1 is reached at a false-positive rate within --max-fpr; 1 it is
    not; 2 could not run (missing files, bad labels).
    """
    wl_path = watchlist or folder / "watchlist.csv"
    mf_path = manifest or folder / "manifest.csv"
    lb_path = labels or folder / "labels.csv"
    if not lb_path.is_file():
        raise fail(f"labels {lb_path}: no such file")
    if step <= 0 or start > stop:
        raise fail("--step must be positive and --start <= --stop")
    try:
        truth = read_labels(lb_path)
        scripts = read_scripts(lb_path)
    except (KeyError, OSError) as exc:
        raise fail(
            f"labels {lb_path}: needs passenger_id and watchlist_id columns ({exc})"
        ) from None
    wl = load_watchlist(wl_path)
    mf = read_manifest(mf_path)
    if mf.issues or wl.errors:
        raise fail(f"{len(mf.issues)} manifest and {len(wl.errors)} watchlist error(s)")
    loaded = _load_rules(rules)
    result = evaluate(mf.travellers, truth, [wl], loaded, sweep(start, stop, step), scripts)
    table = Table("threshold", "precision", "recall", "F1", "FPR", "TP", "FP pairs", "flagged")
    for p in result.points:
        table.add_row(
            f"{p.threshold:.2f}",
            f"{p.precision:.4f}",
            f"{p.recall:.4f}",
            f"{p.f1:.4f}",
            f"{100 * p.fpr:.3f}%",
            str(p.true_positives),
            str(p.false_positive_pairs),
            str(p.innocents_flagged),
        )
    console.print(table)
    console.print(f"{result.listed} listed passengers, {result.innocents} innocent passengers")
    default = loaded.threshold
    at_default = next((p for p in result.points if abs(p.threshold - default) < 1e-9), None)
    if at_default is not None:
        console.print(
            f"at the rules' threshold {default:.2f}: F1 {at_default.f1:.4f}, precision "
            f"{at_default.precision:.4f}, recall {at_default.recall:.4f}, "
            f"FPR {100 * at_default.fpr:.3f}%",
            highlight=False,
        )
    best = result.best(max_fpr)
    if best is None:
        console.print(f"no threshold keeps the false-positive rate within {100 * max_fpr:.2f}%")
        raise typer.Exit(1)
    _print_by_script(result, [default, best.threshold])
    console.print(
        f"best within FPR {100 * max_fpr:.2f}%: threshold {best.threshold:.2f}, "
        f"F1 {best.f1:.4f}, precision {best.precision:.4f}, recall {best.recall:.4f}, "
        f"FPR {100 * best.fpr:.3f}%",
        highlight=False,
    )
    raise typer.Exit(0 if best.f1 >= target_f1 else 1)


def _print_by_script(result: Evaluation, thresholds: list[float]) -> None:
    """Per-script figures at the rules' threshold and at the best one."""
    if not result.by_script:
        return
    table = Table("script", "threshold", "listed", "innocents", "precision", "recall", "F1", "FPR")
    for script, points in result.by_script.items():
        listed, innocents = result.counts[script]
        for th in dict.fromkeys(thresholds):
            p = next((p for p in points if abs(p.threshold - th) < 1e-9), None)
            if p is None:
                continue
            table.add_row(
                script,
                f"{th:.2f}",
                str(listed),
                str(innocents),
                f"{p.precision:.4f}",
                f"{p.recall:.4f}",
                f"{p.f1:.4f}",
                f"{100 * p.fpr:.3f}%",
            )
    console.print(table)


def synth_travel_command(
    seed: Annotated[int, typer.Option(help="Everything derives from this seed.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write into.")] = Path(
        "travel-eval"
    ),
    entries: Annotated[int, typer.Option(help="Listed people.")] = 2000,
    matches: Annotated[int, typer.Option(help="Passengers who are listed people.")] = 2000,
    innocents: Annotated[int, typer.Option(help="Other passengers (look-alikes).")] = 20000,
    plant: Annotated[
        list[Path] | None,
        typer.Option(
            help="Also list two travellers of each of these messages (demo: hits to read).",
        ),
    ] = None,
) -> None:
    """Generate a labelled traveller-screening set: watchlist.csv, manifest.csv, labels.csv.

    Exit codes: 0 written; 2 bad option.
    """
    if min(entries, matches, innocents) < 0 or entries == 0:
        raise fail("--entries must be positive, --matches and --innocents not negative")
    data = generate(seed, entries, matches, innocents)
    if plant:
        try:
            travellers = [t for p in plant for t in read_manifest(p).travellers]
        except ManifestError as exc:
            raise fail(str(exc)) from None
        planted = plant_entries(travellers, seed)
        data.entries.extend(planted)
        console.print(f"{len(planted)} listed people planted from {len(plant)} message(s)")
    paths = data.write(out)
    for name, path in paths.items():
        console.print(f"{name}: {path}", highlight=False)
