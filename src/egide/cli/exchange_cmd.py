"""``egide exchange add|list|sync|remove|keygen`` and ``egide bank publish``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from egide.banks import BankError, get_bank
from egide.cli.bank_cmd import bank_app
from egide.cli.context import DatabaseOption, console, engine_for, fail, user_errors
from egide.exchange import (
    ExchangeError,
    FeedError,
    FetchError,
    KeyFileError,
    NcmecError,
    add_exchange,
    add_ncmec_exchange,
    add_stopncii_exchange,
    add_threatexchange_exchange,
    generate_keypair,
    list_exchanges,
    load_private_key,
    publish_feed,
    remove_exchange,
    sync_exchange,
)
from egide.exchange.stopncii import DEFAULT_KEY_ENV
from egide.exchange.threatexchange import DEFAULT_TOKEN_ENV
from egide.store import Bank, session_maker

exchange_app = typer.Typer(
    help="Exchange hash lists with other organisations (egide feeds, NCMEC, StopNCII, "
    "ThreatExchange).",
    no_args_is_help=True,
)


@exchange_app.command("keygen")
@user_errors(KeyFileError)
def keygen(
    prefix: Annotated[Path, typer.Argument(help="Writes PREFIX.key and PREFIX.pub.")],
) -> None:
    """Create the Ed25519 key pair that signs this organisation's feeds."""
    private, public = generate_keypair(prefix)
    console.print(f"private key (keep it safe): {private}\npublic key (give it out): {public}")


@bank_app.command("publish")
@user_errors(BankError, KeyFileError)
def publish(
    name: str,
    key: Annotated[Path, typer.Option(help="Private key from `egide exchange keygen`.")],
    publisher: Annotated[str, typer.Option(help="Organisation named in the feed.")],
    out: Annotated[Path, typer.Option(help="Feed file to write.")],
    db: DatabaseOption = None,
) -> None:
    """Publish a bank as a signed feed that other egide deployments can subscribe to."""
    private = load_private_key(key)
    with session_maker(engine_for(db))() as session:
        manifest = publish_feed(session, get_bank(session, name), private, publisher, out)
    console.print(
        f"{out}: {manifest.entries} entries of {name}, sequence {manifest.sequence}, "
        f"signed by {publisher} (key {manifest.key_fingerprint})"
    )


@exchange_app.command("add")
@user_errors(BankError, KeyFileError)
def add(
    name: str,
    bank: Annotated[str, typer.Option(help="Local bank that receives the entries.")],
    kind: Annotated[
        str, typer.Option(help="egide-feed (signed egide feed), stopncii or threatexchange.")
    ] = "egide-feed",
    feed: Annotated[
        str | None, typer.Option(help="egide-feed: a path, file:// or http(s):// URL.")
    ] = None,
    public_key: Annotated[
        Path | None, typer.Option(help="egide-feed: the publisher's public key (PEM).")
    ] = None,
    key_env: Annotated[
        str,
        typer.Option(help="stopncii: variable holding FETCH_FUNCTION_KEY,SUBSCRIPTION_KEY."),
    ] = DEFAULT_KEY_ENV,
    privacy_group: Annotated[
        int | None, typer.Option(help="threatexchange: the privacy group (collaboration) id.")
    ] = None,
    token_env: Annotated[
        str, typer.Option(help="threatexchange: variable holding the app token.")
    ] = DEFAULT_TOKEN_ENV,
    base_url: Annotated[
        str | None, typer.Option(help="stopncii/threatexchange: this API base URL (a proxy).")
    ] = None,
    page_size: Annotated[
        int | None, typer.Option(help="stopncii/threatexchange: records per page.")
    ] = None,
    start: Annotated[
        int, typer.Option(help="stopncii/threatexchange: first time (Unix seconds) to fetch.")
    ] = 0,
    db: DatabaseOption = None,
) -> None:
    """Subscribe a local bank to a signed egide feed, StopNCII.org or a ThreatExchange group.

    Secrets are never stored: StopNCII keys and ThreatExchange tokens are read from the named
    environment variables at each sync.
    """
    with session_maker(engine_for(db))() as session:
        if kind == "egide-feed":
            if feed is None or public_key is None:
                raise fail("--kind egide-feed needs --feed and --public-key")
            try:
                pem = public_key.read_bytes()
            except OSError as exc:
                raise fail(f"cannot read {public_key}: {exc.strerror}") from None
            add_exchange(session, name, bank, feed, pem)
        elif kind == "stopncii":
            add_stopncii_exchange(
                session,
                name,
                bank,
                key_env=key_env,
                base_url=base_url,
                page_size=page_size,
                start=start,
            )
        elif kind == "threatexchange":
            if privacy_group is None:
                raise fail("--kind threatexchange needs --privacy-group")
            add_threatexchange_exchange(
                session,
                name,
                bank,
                privacy_group,
                token_env=token_env,
                base_url=base_url,
                page_size=page_size,
                start=start,
            )
        else:
            raise fail(
                f"unknown exchange kind {kind!r}; known: egide-feed, stopncii, threatexchange"
            )
        session.commit()
    console.print(
        f"exchange {name} ({kind}) -> bank {bank} added; run `egide exchange sync {name}`"
    )


@exchange_app.command("add-ncmec")
@user_errors(BankError)
def add_ncmec(
    name: str,
    bank: Annotated[str, typer.Option(help="Local bank that receives the entries.")],
    username: Annotated[str, typer.Option(help="NCMEC hash-sharing user name.")],
    password_env: Annotated[
        str, typer.Option(help="Environment variable that holds the password at sync time.")
    ],
    environment: Annotated[
        str, typer.Option(help="NCMEC environment (Industry, NGO, LawEnforcement, test_...).")
    ] = "Industry",
    base_url: Annotated[
        str | None, typer.Option(help="Use this base URL instead of NCMEC's (a proxy).")
    ] = None,
    db: DatabaseOption = None,
) -> None:
    """Subscribe a local bank to NCMEC's hash-sharing API (the password is never stored)."""
    with session_maker(engine_for(db))() as session:
        add_ncmec_exchange(
            session,
            name,
            bank,
            username,
            password_env,
            environment=environment,
            base_url=base_url,
        )
        session.commit()
    console.print(f"exchange {name} (NCMEC) -> bank {bank} added")


@exchange_app.command("list")
def list_command(db: DatabaseOption = None) -> None:
    """List exchanges with their last sync and error."""
    table = Table("exchange", "kind", "bank", "location", "sequence", "last sync", "last error")
    with session_maker(engine_for(db))() as session:
        for ex in list_exchanges(session):
            bank = session.get(Bank, ex.bank_id)
            table.add_row(
                ex.name,
                ex.kind,
                bank.name if bank else "?",
                str(
                    ex.config.get("location")
                    or ex.config.get("base_url")
                    or ex.config.get("environment")
                    or ex.config.get("privacy_group", "")
                ),
                _position(ex.checkpoint or {}),
                str(ex.last_sync_at or "never"),
                ex.last_error or "",
            )
    console.print(table)


def _position(checkpoint: dict[str, object]) -> str:
    """Feed sequence, NCMEC window start, or the highest record time read (StopNCII, TE)."""
    for key in ("sequence", "from", "high"):
        if checkpoint.get(key) not in (None, ""):
            return str(checkpoint[key])
    return ""


@exchange_app.command("sync")
@user_errors(BankError, KeyFileError)
def sync(name: str, db: DatabaseOption = None) -> None:
    """Fetch, verify and apply an exchange's list (nothing changes if a feed is refused).

    Exit codes: 0 applied or already up to date; 1 the feed was refused or could not be
    fetched (the reason is printed and kept as the exchange's last error).
    """
    with session_maker(engine_for(db))() as session:
        try:
            result = sync_exchange(session, name)
        except (FeedError, FetchError, NcmecError, ExchangeError) as exc:
            raise fail(str(exc), 1) from None
    if result.up_to_date:
        console.print(f"{name}: up to date (sequence {result.sequence})")
        return
    console.print(
        f"{name}: sequence {result.sequence}: {result.added} added, {result.updated} updated, "
        f"{result.unchanged} unchanged, {result.withdrawn} removed, {result.rejected} rejected"
        + (
            f", {result.skipped_pages} page(s) skipped (see `exchange list`)"
            if result.skipped_pages
            else ""
        )
        + (
            "; skipped signal types: "
            + ", ".join(f"{kind} {count}" for kind, count in result.skipped_signals.items())
            if result.skipped_signals
            else ""
        )
    )


@exchange_app.command("remove")
@user_errors(BankError)
def remove(name: str, db: DatabaseOption = None) -> None:
    """Remove an exchange (the bank and its entries stay)."""
    with session_maker(engine_for(db))() as session:
        remove_exchange(session, name)
        session.commit()
    console.print(f"exchange {name} removed")
