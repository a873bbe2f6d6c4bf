"""The ``egide`` command: a thin layer over the library packages."""

from __future__ import annotations

import typer

from egide.cli.bank_cmd import bank_app
from egide.cli.demo_cmd import demo_command
from egide.cli.exchange_cmd import exchange_app
from egide.cli.hash_cmd import hash_command
from egide.cli.scan_cmd import scan_command

app = typer.Typer(
    name="egide",
    help="Find known abuse material by hash, and triage the unknown.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("hash")(hash_command)
app.command("scan")(scan_command)
app.command("demo")(demo_command)
app.add_typer(bank_app, name="bank")
app.add_typer(exchange_app, name="exchange")


def main() -> None:
    app()
