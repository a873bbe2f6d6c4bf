"""``egide finance score|report|evaluate`` and ``egide synth finance``: financial intelligence."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from egide.cli.context import console, fail, user_errors
from egide.finance.config import RulesError, load_rules
from egide.finance.evaluate import LabelError, evaluate_all
from egide.finance.goaml import GoamlError, build_report, load_schema, write_report
from egide.finance.goaml_config import GoamlConfigError, load_goaml_config
from egide.finance.html_report import write_html
from egide.finance.network import write_ftm, write_graphml
from egide.finance.output import alerts_document, load_alerts, write_json
from egide.finance.pipeline import score_file
from egide.finance.rates import RateError, load_rates
from egide.finance.reader import FORMATS, read_transactions
from egide.finance.reader_types import ReaderError
from egide.finance.synth import write_synthetic
from egide.watchlists import WatchlistFormatError, load_watchlist

finance_app = typer.Typer(
    help="Financial intelligence: payments behind live-streamed child abuse.", no_args_is_help=True
)
MAX_SHOWN_ERRORS = 20
RulesOption = Annotated[
    Path | None, typer.Option("--rules", help="Rules YAML (default: the shipped rules).")
]
RatesOption = Annotated[
    Path | None, typer.Option("--rates", help="Exchange-rate YAML (default: shipped table).")
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="Input format: "
        + ", ".join(FORMATS)
        + " (auto: .parquet, .xml = ISO 20022, else CSV).",
    ),
]
ERRORS = (
    ReaderError,
    RulesError,
    RateError,
    WatchlistFormatError,
    GoamlConfigError,
    LabelError,
    OSError,
)


def _print_row_errors(path: Path, errors: list[tuple[int, str]]) -> None:
    for line, reason in errors[:MAX_SHOWN_ERRORS]:
        console.print(f"[yellow]{path}:{line}: {reason}[/]", highlight=False)
    if len(errors) > MAX_SHOWN_ERRORS:
        console.print(f"... and {len(errors) - MAX_SHOWN_ERRORS} more bad rows (all in the JSON)")


@finance_app.command("score")
@user_errors(*ERRORS)
def score_command(
    path: Annotated[
        Path, typer.Argument(help="Transactions (canonical CSV or Parquet; see --format).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Alerts JSON to write.")],
    lists: Annotated[
        list[Path] | None,
        typer.Option("--lists", help="Offender/facilitator list (CSV or FtM JSON lines); repeat."),
    ] = None,
    html: Annotated[
        Path | None, typer.Option(help="Also write a self-contained HTML report.")
    ] = None,
    graphml: Annotated[
        Path | None, typer.Option(help="Write the alerts' network as GraphML.")
    ] = None,
    ftm: Annotated[
        Path | None, typer.Option(help="Write the network as FollowTheMoney JSON lines.")
    ] = None,
    network: Annotated[
        bool, typer.Option(help="Use the network features (2-hop expansion, entity resolution).")
    ] = True,
    rules: RulesOption = None,
    rates: RatesOption = None,
    fmt: FormatOption = "auto",
) -> None:
    """Score transactions into explained alerts (one per account).

    Exit code 0 when every row was scored, 1 when some rows were rejected (each is listed with
    its line and reason, here and in the JSON; the rest are scored), 2 when nothing could run
    (missing file or columns, bad rules, rates or list file).
    """
    rule_set = load_rules(rules)
    rate_table = load_rates(rates)
    watchlists = [load_watchlist(p) for p in lists or []]
    for wl in watchlists:
        for err in wl.errors:
            console.print(f"[yellow]list {wl.name}: {err.position}: {err.message}[/]")
    scored = score_file(path, rule_set, rate_table, watchlists, network, fmt)
    read = scored.read
    _print_row_errors(path, [(e.line, e.reason) for e in read.errors])
    doc = alerts_document(
        scored.alerts,
        read,
        rule_set,
        rate_table,
        str(path),
        {
            "network": {
                "enabled": network,
                "communities": scored.communities,
                "nodes": scored.graph.number_of_nodes(),
                "edges": scored.graph.number_of_edges(),
            },
            "lists": [{"name": w.name, "entries": len(w.entries)} for w in watchlists],
        },
    )
    write_json(doc, out)
    if html is not None:
        summary = {
            "input": str(path),
            "rows scored": str(read.frame.height),
            "rows rejected": str(len(read.errors)),
            "alerts": str(len(scored.alerts)),
            "rules": rule_set.path,
            "policy": f">= {rule_set.min_families} families, score >= {rule_set.min_score}",
        }
        write_html(scored.alerts, scored.graph, html, summary)
    if graphml is not None:
        write_graphml(scored.graph, graphml)
    if ftm is not None:
        write_ftm(scored.graph, scored.result.transactions, ftm)
    roles = {
        r: sum(a.role == r for a in scored.alerts)
        for r in ("buyer", "facilitator", "intermediary", "victim", "extortioner")
    }
    console.print(
        f"{read.frame.height} rows scored, {len(read.errors)} rejected; {len(scored.alerts)} "
        f"alerts ({', '.join(f'{v} {k}' for k, v in roles.items())}) -> {out}"
    )
    raise typer.Exit(1 if read.errors else 0)


@finance_app.command("report")
@user_errors(*ERRORS)
def report_command(
    alerts_json: Annotated[Path, typer.Argument(help="Alerts JSON from 'egide finance score'.")],
    transactions: Annotated[
        Path, typer.Option("--input", "-i", help="The transactions file that was scored.")
    ],
    goaml: Annotated[Path, typer.Option("--goaml", help="goAML STR XML to write.")],
    xsd: Annotated[
        Path | None, typer.Option(help="goAML XSD to validate against (else the FIU config's).")
    ] = None,
    fiu: Annotated[
        Path | None, typer.Option("--fiu", help="FIU settings and code lists YAML.")
    ] = None,
    account: Annotated[
        list[str] | None, typer.Option("--account", "-a", help="Alerted account to report; repeat.")
    ] = None,
    top: Annotated[int, typer.Option(help="Without --account: the N highest-scored alerts.")] = 1,
    rates: RatesOption = None,
    fmt: FormatOption = "auto",
) -> None:
    """Write a goAML STR for selected alerts, validated against the XSD first.

    Exit code 0 when the report was written; 2 when it was not (it does not validate: the
    problems are printed and no file is written; or an input is missing or bad).
    """
    cfg = load_goaml_config(fiu)
    schema_path = xsd or (Path(cfg.xsd) if cfg.xsd else None)
    if schema_path is None:
        raise fail("no goAML XSD: pass --xsd or set 'xsd' in the FIU settings")
    alerts = load_alerts(alerts_json)
    if account:
        chosen = [a for a in alerts if a.account_id in set(account)]
        missing = sorted(set(account) - {a.account_id for a in chosen})
        if missing:
            raise fail(f"{alerts_json}: no alert for account(s): {', '.join(missing)}")
    else:
        chosen = alerts[:top]
    if not chosen:
        raise fail(f"{alerts_json}: no alerts to report")
    rate_table = load_rates(rates)
    read = read_transactions(transactions, rate_table, fmt)
    xml = build_report(chosen, read.frame, cfg, rate_table)
    try:
        write_report(xml, load_schema(schema_path), goaml)
    except GoamlError as exc:
        raise fail(f"{exc}; nothing written to {goaml}") from None
    console.print(f"goAML report for {len(chosen)} account(s) validated and written to {goaml}")


@finance_app.command("evaluate")
@user_errors(*ERRORS)
def evaluate_command(
    path: Annotated[Path, typer.Argument(help="Labelled transactions (is_suspicious, scenario).")],
    rules: RulesOption = None,
    rates: RatesOption = None,
    fmt: FormatOption = "auto",
) -> None:
    """Print precision, recall and F1 for buyers and facilitators (live-streaming typology)
    and for victims and extortioners (sextortion variant), with and without network features.

    Exit code 0 when the evaluation ran; 1 when some rows were rejected; 2 when it could not
    run (no label columns, bad file).
    """
    read = read_transactions(path, load_rates(rates), fmt)
    _print_row_errors(path, [(e.line, e.reason) for e in read.errors])
    table = Table("features", "role", "precision", "recall", "F1", "TP", "FP", "FN")
    for name, (live, sx) in evaluate_all(read.frame, load_rules(rules)).items():
        for m in (*live, *sx):
            table.add_row(
                name,
                m.role,
                f"{m.precision:.3f}",
                f"{m.recall:.3f}",
                f"{m.f1:.3f}",
                str(m.true_positive),
                str(m.false_positive),
                str(m.false_negative),
            )
    console.print(table)
    raise typer.Exit(1 if read.errors else 0)


@user_errors(OSError)
def synth_finance_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write into.")],
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same data.")] = 1,
    accounts: Annotated[int, typer.Option(help="About how many accounts (min 200).")] = 2000,
) -> None:
    """Generate a labelled synthetic data set (``transactions.csv``); all people are invented.

    Exit code 0 when written, 2 when the directory cannot be written.
    """
    path = write_synthetic(out, seed, accounts)
    console.print(f"synthetic transactions written to {path}")
