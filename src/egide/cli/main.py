"""The ``egide`` command: a thin layer over the library packages."""

from __future__ import annotations

import typer

from egide.cli import bank_video_cmd  # noqa: F401 - registers `egide bank add-video`
from egide.cli.bank_cmd import bank_app
from egide.cli.demo_cmd import demo_command
from egide.cli.exchange_cmd import exchange_app
from egide.cli.finance_cmd import finance_app, synth_finance_command
from egide.cli.hash_cmd import hash_command
from egide.cli.scan_cmd import scan_command
from egide.cli.service_cmd import audit_app, key_app, org_app, serve_command
from egide.cli.travel_cmd import synth_travel_command, travel_app
from egide.cli.watch_cmd import watch_command

app = typer.Typer(
    name="egide",
    help="Find known abuse material by hash, and triage the unknown.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("hash")(hash_command)
app.command("scan")(scan_command)
app.command("demo")(demo_command)
app.command("serve")(serve_command)
app.command("watch")(watch_command)
app.add_typer(bank_app, name="bank")
app.add_typer(exchange_app, name="exchange")
app.add_typer(org_app, name="org")
app.add_typer(key_app, name="key")
app.add_typer(audit_app, name="audit")
app.add_typer(travel_app, name="travel")
app.add_typer(finance_app, name="finance")

synth_app = typer.Typer(
    help="Generate labelled synthetic data sets (people, travellers, payments are invented).",
    no_args_is_help=True,
)
synth_app.command("travel")(synth_travel_command)
synth_app.command("finance")(synth_finance_command)
app.add_typer(synth_app, name="synth")


def main() -> None:
    app()
