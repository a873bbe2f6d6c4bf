"""``egide bank create|list|show|import|export|remove``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from egide.banks import (
    BankError,
    create_bank,
    get_bank,
    import_entries,
    iter_entries,
    list_banks,
    remove_bank,
    summarise,
)
from egide.cli.context import DatabaseOption, console, engine_for, fail, user_errors
from egide.formats import FormatError, ListFormat, all_formats, get_format
from egide.formats.vics import VicsFormat
from egide.formats.vics_write import check_options as check_vics_options
from egide.match import quarantined_entries, release_entry
from egide.store import session_maker

bank_app = typer.Typer(help="Hash banks: named hash lists with provenance.", no_args_is_help=True)
FORMAT_HELP = "List format: " + ", ".join(f.name for f in all_formats())


@bank_app.command("create")
@user_errors(BankError)
def create(
    name: str,
    description: Annotated[str, typer.Option(help="What the list is.")] = "",
    source: Annotated[str, typer.Option(help="Where it comes from (provenance).")] = "",
    pdq_threshold: Annotated[int, typer.Option(help="PDQ match radius (bits).")] = 31,
    kind: Annotated[
        str,
        typer.Option(
            help="match: raises hits; allow: reviewed false positives that suppress hits."
        ),
    ] = "match",
    db: DatabaseOption = None,
) -> None:
    """Create an empty bank."""
    with session_maker(engine_for(db))() as session:
        create_bank(
            session,
            name,
            description=description,
            source=source,
            pdq_threshold=pdq_threshold,
            kind=kind,
        )
        session.commit()
    console.print(f"bank [bold]{name}[/] created")


@bank_app.command("list")
def list_command(db: DatabaseOption = None) -> None:
    """List banks with their entry counts."""
    table = Table("bank", "kind", "entries", "by signal", "pdq threshold", "source")
    with session_maker(engine_for(db))() as session:
        for s in list_banks(session):
            by_signal = ", ".join(f"{k} {v}" for k, v in s.entries_by_signal.items())
            table.add_row(s.name, s.kind, str(s.entries), by_signal, str(s.pdq_threshold), s.source)
    console.print(table)


@bank_app.command("show")
@user_errors(BankError)
def show(name: str, db: DatabaseOption = None) -> None:
    """Show one bank."""
    with session_maker(engine_for(db))() as session:
        s = summarise(session, get_bank(session, name))
    table = Table(show_header=False)
    for key, value in [
        ("name", s.name),
        ("description", s.description),
        ("source", s.source),
        ("kind", s.kind),
        ("pdq threshold", s.pdq_threshold),
        ("enabled", s.enabled),
        ("revision", s.revision),
        ("entries", s.entries),
        *[(f"  {k}", v) for k, v in s.entries_by_signal.items()],
    ]:
        table.add_row(str(key), str(value))
    console.print(table)


@bank_app.command("import")
@user_errors(BankError, FormatError)
def import_command(
    name: str,
    path: Annotated[Path, typer.Argument(help="List file to import ('-' for standard input).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "csv",
    strict: Annotated[bool, typer.Option(help="Import nothing if any record is bad.")] = False,
    source: Annotated[
        str | None, typer.Option(help="Who supplied the list (default: the bank's source).")
    ] = None,
    db: DatabaseOption = None,
) -> None:
    """Import a hash list into a bank (idempotent; bad records are reported with their line).

    Exit code 0 when every record was imported, 1 when some were rejected.
    """
    list_format = get_format(fmt)
    with session_maker(engine_for(db))() as session:
        bank = get_bank(session, name)
        try:
            stream = sys.stdin.buffer if str(path) == "-" else path.open("rb")
        except OSError as exc:
            raise fail(f"cannot open {path}: {exc.strerror}") from None
        with stream:
            result = import_entries(
                session, bank, list_format.read(stream), strict=strict, source=source
            )
    for error in result.errors:
        console.print(f"[yellow]{path}: {error}[/]", highlight=False)
    if result.error_count > len(result.errors):
        console.print(f"... and {result.error_count - len(result.errors)} more bad records")
    if not result.committed:
        raise fail(f"{result.error_count} bad record(s); --strict: nothing imported", 1)
    console.print(
        f"{name}: {result.added} added, {result.updated} updated, "
        f"{result.unchanged} unchanged, {result.error_count} rejected"
    )
    raise typer.Exit(1 if result.error_count else 0)


@bank_app.command("export")
@user_errors(BankError, FormatError)
def export(
    name: str,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="File to write ('-' stdout).")
    ] = Path("-"),
    fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "csv",
    profile: Annotated[
        str | None,
        typer.Option(help="vics v2.0: Default, US, UK or CUSTOM (default: from the categories)."),
    ] = None,
    vics_version: Annotated[
        str, typer.Option(help="vics: 2.0 (@odata.context) or 1.x, e.g. 1.3 (odata.metadata).")
    ] = "2.0",
    db: DatabaseOption = None,
) -> None:
    """Export a bank's entries."""
    list_format: ListFormat = get_format(fmt)
    if fmt != "vics" and (profile is not None or vics_version != "2.0"):
        raise fail("--profile and --vics-version apply to --format vics only")
    if fmt == "vics":
        try:
            check_vics_options(profile, vics_version)
        except ValueError as exc:
            raise fail(str(exc)) from None
        list_format = VicsFormat(profile=profile, version=vics_version)
    if not list_format.can_write:
        raise fail(f"format {fmt} can be imported but not exported")
    with session_maker(engine_for(db))() as session:
        bank = get_bank(session, name)
        if str(output) == "-":
            count = list_format.write(iter_entries(session, bank), sys.stdout)
        else:
            with output.open("w", encoding="utf-8", newline="") as target:
                count = list_format.write(iter_entries(session, bank), target)
    console.print(f"{count} entries exported from {name}")


@bank_app.command("remove")
@user_errors(BankError)
def remove(name: str, db: DatabaseOption = None) -> None:
    """Remove a bank and all its entries."""
    with session_maker(engine_for(db))() as session:
        remove_bank(session, name)
        session.commit()
    console.print(f"bank [bold]{name}[/] removed")


@bank_app.command("quarantined")
@user_errors(BankError)
def quarantined(name: str, db: DatabaseOption = None) -> None:
    """List the entries set aside for flooding matches, with the reason."""
    table = Table("entry", "signal", "value", "since", "reason")
    with session_maker(engine_for(db))() as session:
        for entry in quarantined_entries(session, get_bank(session, name)):
            table.add_row(
                str(entry.id),
                entry.signal_type,
                entry.value,
                str(entry.quarantined_at),
                entry.quarantine_reason or "",
            )
    console.print(table)


@bank_app.command("release")
@user_errors(BankError, ValueError)
def release(name: str, entry_id: int, db: DatabaseOption = None) -> None:
    """Let a quarantined entry match again, after review."""
    with session_maker(engine_for(db))() as session:
        release_entry(session, get_bank(session, name), entry_id)
        session.commit()
    console.print(f"entry {entry_id} of {name} released")
