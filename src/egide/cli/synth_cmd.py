"""``egide synth travel|finance``: labelled synthetic data sets."""

from __future__ import annotations

import typer

from egide.cli.finance_cmd import synth_finance_command
from egide.cli.travel_cmd import synth_travel_command

synth_app = typer.Typer(
    help="Generate labelled synthetic data sets (people, travellers, payments are invented).",
    no_args_is_help=True,
)
synth_app.command("travel")(synth_travel_command)
synth_app.command("finance")(synth_finance_command)
