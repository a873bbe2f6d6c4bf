"""The ``egide`` command: a thin layer over the library packages.

Subcommands are loaded when run (``egide.cli.lazy``), so ``egide hash`` does not import the
service, video, finance and travel stacks first.
"""

from __future__ import annotations

from typing import ClassVar

import typer

from egide.cli.lazy import LazyGroup, Loader, typer_command, typer_group


class EgideCommands(LazyGroup):
    lazy: ClassVar[dict[str, Loader]] = {
        "hash": typer_command("egide.cli.hash_cmd", "hash_command"),
        "scan": typer_command("egide.cli.scan_cmd", "scan_command"),
        "demo": typer_command("egide.cli.demo_cmd", "demo_command"),
        "serve": typer_command("egide.cli.service_cmd", "serve_command"),
        "watch": typer_command("egide.cli.watch_cmd", "watch_command"),
        # bank_video_cmd adds `egide bank add-video` to the bank group it imports
        "bank": typer_group("egide.cli.bank_video_cmd", "bank_app"),
        "exchange": typer_group("egide.cli.exchange_cmd", "exchange_app"),
        "org": typer_group("egide.cli.service_cmd", "org_app"),
        "key": typer_group("egide.cli.service_cmd", "key_app"),
        "audit": typer_group("egide.cli.service_cmd", "audit_app"),
        "travel": typer_group("egide.cli.travel_cmd", "travel_app"),
        "finance": typer_group("egide.cli.finance_cmd", "finance_app"),
        "synth": typer_group("egide.cli.synth_cmd", "synth_app"),
    }


app = typer.Typer(
    name="egide",
    help="Find known abuse material by hash, and triage the unknown.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=EgideCommands,
)


@app.callback()
def _egide() -> None:
    """Find known abuse material by hash, and triage the unknown."""


def main() -> None:
    app()
