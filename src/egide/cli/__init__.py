"""Command-line interface (typer + rich)."""

from egide.cli.main import app, main

__all__ = ["app", "main"]
