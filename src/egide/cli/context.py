"""Shared CLI plumbing: the database option, the console, and turning errors into exit codes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from sqlalchemy import Engine

from egide.store import open_engine

# soft_wrap: messages carry paths and values that must stay whole (copy-paste, grep, tests);
# tables still fit the terminal.
console = Console(stderr=True, soft_wrap=True)
P = ParamSpec("P")
R = TypeVar("R")

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="EGIDE_DATABASE_URL",
        help="SQLAlchemy URL of the database (default: SQLite file in $EGIDE_HOME).",
        show_envvar=True,
    ),
]

EXIT_USAGE = 2


def engine_for(url: str | None) -> Engine:
    return open_engine(url)


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def user_errors(*errors: type[Exception]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Print the listed exceptions as one clear line and exit 2 instead of a traceback."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return fn(*args, **kwargs)
            except errors as exc:
                raise fail(str(exc)) from None

        return inner

    return wrap
