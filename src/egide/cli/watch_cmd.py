"""``egide watch SOURCE --bank NAME`` and ``egide watch --streams streams.yaml``."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Annotated, Any

import typer

from egide.banks import BankError
from egide.cli.context import DatabaseOption, console, engine_for, user_errors
from egide.match import DEFAULT_MIN_QUALITY
from egide.store import data_home
from egide.stream import StreamConfigError, StreamSpec, WatchOptions, load_streams, watch
from egide.stream.config import SKIP_MODES, spec_from_mapping


def _ffmpeg_options(pairs: list[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"expected KEY=VALUE, got {pair!r}", param_hint="--option")
        options[key] = value
    return options


@user_errors(BankError, StreamConfigError, ValueError)
def watch_command(
    source: Annotated[
        str | None,
        typer.Argument(
            help="Live source: URL FFmpeg opens (http(s) HLS, rtsp, rtmp, srt, udp, rtp), a file "
            "(played at its real rate), or - for standard input."
        ),
    ] = None,
    bank: Annotated[list[str], typer.Option("--bank", "-b", help="Bank to match against.")] = [],  # noqa: B006
    streams: Annotated[
        Path | None, typer.Option(help="YAML file listing many streams (name, url, options).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Name of SOURCE in alerts.")] = None,
    fps: Annotated[
        float | None, typer.Option(help="Frames hashed per second of stream time [default: 1].")
    ] = None,
    option: Annotated[
        list[str], typer.Option("--option", "-o", help="FFmpeg input option KEY=VALUE for SOURCE.")
    ] = [],  # noqa: B006
    webhook: Annotated[
        str | None, typer.Option(help="POST each alert as JSON to this URL (retried).")
    ] = None,
    stall_timeout: Annotated[
        float | None, typer.Option(help="Seconds without data before reconnecting [default: 10].")
    ] = None,
    open_timeout: Annotated[
        float | None, typer.Option(help="Seconds allowed to open a source [default: 10].")
    ] = None,
    backoff: Annotated[
        float | None, typer.Option(help="First reconnect delay, doubling [default: 1].")
    ] = None,
    backoff_max: Annotated[
        float | None, typer.Option(help="Longest reconnect delay [default: 30].")
    ] = None,
    give_up_after: Annotated[
        float | None,
        typer.Option(help="Stop a stream down for this many seconds [default: never]."),
    ] = None,
    reconnect: Annotated[
        bool | None,
        typer.Option(help="Reopen a source that ends [default: for network sources]."),
    ] = None,
    realtime: Annotated[
        bool | None, typer.Option(help="Pace by timestamps, like ffmpeg -re [default: for files].")
    ] = None,
    skip_frame: Annotated[
        str | None,
        typer.Option(help=f"Decoding shortcut: {', '.join(SKIP_MODES)} [default: auto]."),
    ] = None,
    max_lag: Annotated[
        float | None, typer.Option(help="Drop frames further behind real time [default: 2 s].")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Reader processes (0: threads of this process) [default: one per core]."),
    ] = None,
    duration: Annotated[
        float | None, typer.Option(help="Stop after this many seconds [default: run on].")
    ] = None,
    min_quality: Annotated[
        int, typer.Option(help="Skip frames of lower PDQ quality (flat frames).")
    ] = DEFAULT_MIN_QUALITY,
    no_index_cache: Annotated[
        bool, typer.Option(help="Build bank indexes in memory, never cache them on disk.")
    ] = False,
    db: DatabaseOption = None,
) -> None:
    """Watch live streams: hash sampled frames, match them, alert at once.

    Alerts and events are JSON lines on standard output; alerts are also stored in the
    database (stream_alerts) and POSTed to --webhook. Exit codes: 0 the streams ended or the
    watch was stopped (--duration, Ctrl-C, SIGTERM); 1 some stream was given up or never
    connected; 2 the watch could not start (unknown bank, bad streams file or option).
    """
    if not bank:
        raise typer.BadParameter("at least one --bank is needed", param_hint="--bank")
    if source is None and streams is None:
        raise typer.BadParameter("give a SOURCE or --streams FILE", param_hint="SOURCE")
    values: dict[str, Any] = {
        "fps": fps,
        "stall_timeout": stall_timeout,
        "open_timeout": open_timeout,
        "backoff_initial": backoff,
        "backoff_max": backoff_max,
        "give_up_after": give_up_after,
        "reconnect": reconnect,
        "realtime": realtime,
        "skip_frame": skip_frame,
        "max_lag": max_lag,
    }
    defaults = {key: value for key, value in values.items() if value is not None}
    specs: list[StreamSpec] = load_streams(streams, defaults) if streams is not None else []
    if source is not None:
        own = {"name": name or source, "url": source, "options": _ffmpeg_options(option)}
        specs.append(spec_from_mapping({**defaults, **own}, "SOURCE"))
    engine = engine_for(db)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    options = WatchOptions(
        banks=tuple(bank),
        workers=workers,
        duration=duration,
        webhook=webhook,
        min_quality=min_quality,
        index_cache=None if no_index_cache else data_home() / "index-cache",
    )
    summary = watch(engine, specs, options, sys.stdout, stop)
    p50, p99 = summary.latency_percentile(50), summary.latency_percentile(99)
    latency = f", latency p50 {p50:.0f} ms, p99 {p99:.0f} ms" if p50 is not None and p99 else ""
    console.print(
        f"{len(specs)} stream(s), {summary.samples} frames hashed, {summary.alerts} alert(s)"
        f"{latency} in {summary.seconds:.1f} s",
        highlight=False,
    )
    if summary.webhook is not None:
        hook = summary.webhook
        console.print(
            f"webhook: {hook.delivered} delivered, {hook.failed} failed, {hook.dropped} dropped",
            highlight=False,
        )
    failed = summary.events.get("gave_up", 0) > 0 or any(
        stats.get("connections", 0) == 0 for stats in summary.streams.values()
    )
    raise typer.Exit(1 if failed else 0)
