"""Subcommands imported when they are run, not every time ``egide`` starts.

Each capability's CLI module pulls in its own stack (FastAPI, PyAV, polars, PyICU...): importing
them all took seconds before ``egide hash`` could hash a single file. The top-level group knows
each subcommand by name and where it lives, and imports only the one asked for (``--help``
still lists them all, and so imports them all).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import ClassVar

import typer
from typer import _click as click  # the click typer vendors: its groups' own types
from typer.core import TyperGroup

Loader = Callable[[], click.Command]


def typer_group(module: str, attribute: str) -> Loader:
    """A subcommand group: the ``typer.Typer`` named ``attribute`` of ``module``."""

    def load() -> click.Command:
        sub: typer.Typer = getattr(importlib.import_module(module), attribute)
        return typer.main.get_group(sub)

    return load


def typer_command(module: str, attribute: str) -> Loader:
    """A single command: the function named ``attribute`` of ``module``."""

    def load() -> click.Command:
        single = typer.Typer(add_completion=False)
        single.command()(getattr(importlib.import_module(module), attribute))
        return typer.main.get_command(single)

    return load


class LazyGroup(TyperGroup):
    """A typer group whose ``lazy`` subcommands are loaded on first use."""

    lazy: ClassVar[dict[str, Loader]] = {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        loader = self.lazy.get(cmd_name)
        if loader is None:
            return super().get_command(ctx, cmd_name)
        loaded: dict[str, click.Command] = self.__dict__.setdefault("_loaded", {})
        command = loaded.get(cmd_name)
        if command is None:
            command = loader()
            command.name = cmd_name
            loaded[cmd_name] = command
        return command
