"""Live streams end to end: HLS and UDP MPEG-TS served on 127.0.0.1 while the test runs, a
known clip inserted between unrelated videos is alerted with its stream time and nothing
else is; drops and pauses are reconnected with the gap recorded; garbage is reported without
stopping the other streams; alerts reach a webhook that fails first."""

from __future__ import annotations

import io
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from egide.cli import app
from egide.store import StreamAlert, session_maker
from egide.stream import StreamSpec, WatchOptions, WatchSummary, watch
from tests.stream.conftest import BANKS, Clip, programme, write_programme
from tests.support.live_streams import (
    GarbageSender,
    HlsServer,
    LiveSender,
    WebhookReceiver,
    free_port,
)

Record = dict[str, object]


class Tap(io.StringIO):
    """The watch's output, noticing the first connection."""

    def __init__(self) -> None:
        super().__init__()
        self.connected = threading.Event()

    def write(self, text: str) -> int:
        if '"event": "connected"' in text:
            self.connected.set()
        return super().write(text)


def when_listening(port: int, action: Callable[[], object]) -> None:
    """Run ``action`` once something has bound UDP ``port`` (the watcher's input)."""

    def poll() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                try:
                    probe.bind(("127.0.0.1", port))
                except OSError:
                    break
            time.sleep(0.05)
        action()

    threading.Thread(target=poll, daemon=True).start()


def run_watch(
    engine: Engine,
    specs: list[StreamSpec],
    until: threading.Event | None = None,
    margin: float = 2.0,
    on_connected: Callable[[], object] | None = None,
    **options: object,
) -> tuple[list[Record], WatchSummary]:
    """Watch until ``until`` is set plus ``margin`` seconds (or until the streams end)."""
    stop = threading.Event()
    out = Tap()
    if on_connected is not None:
        threading.Thread(
            target=lambda: out.connected.wait(30) and on_connected(), daemon=True
        ).start()
    if until is not None:

        def stopper() -> None:
            until.wait(60)
            time.sleep(margin)
            stop.set()

        threading.Thread(target=stopper, daemon=True).start()
    summary = watch(engine, specs, WatchOptions(banks=BANKS, **options), out, stop)  # type: ignore[arg-type]
    return [json.loads(line) for line in out.getvalue().splitlines()], summary


def alerts_of(records: list[Record], stream: str) -> list[Record]:
    return [r for r in records if r["type"] == "alert" and r["stream"] == stream]


def events_of(records: list[Record], stream: str) -> list[str]:
    return [str(r["event"]) for r in records if r["type"] == "event" and r["stream"] == stream]


def check_clip_alerts(alerts: list[Record], clip: Clip) -> None:
    """Alerts only inside the clip, from both banks, covering most of its seconds."""
    assert alerts, "the known clip was not alerted"
    times = {float(str(a["stream_time"])) for a in alerts}
    outside = sorted(t for t in times if not clip.holds(t))
    assert not outside, f"alerts outside the clip {clip}: {outside}"
    assert len({int(t) for t in times}) >= (clip.end - clip.start) - 1
    assert {a["signal_type"] for a in alerts} == {"pdq", "vpdq"}
    assert {a["bank"] for a in alerts} == set(BANKS)
    for alert in alerts:
        assert isinstance(alert["distance"], int) and 0 <= alert["distance"] <= 31
        assert isinstance(alert["latency_ms"], float) and alert["latency_ms"] >= 0
        assert {"wall_time", "entry_id", "value", "frame_pdq", "frame_quality"} <= set(alert)


def stored_alerts(engine: Engine) -> list[StreamAlert]:
    with session_maker(engine)() as session:
        return list(session.scalars(select(StreamAlert).order_by(StreamAlert.id)))


def wait_for(path: Path, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def test_live_hls_clip_alerted_and_server_drop_reconnected(banked: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "hls"
    folder.mkdir()
    server = HlsServer(folder)
    pieces, clip = programme(before=4, clip=3, after=1)
    sender = LiveSender(str(folder / "live.m3u8"), pieces).start()
    try:
        wait_for(folder / "live.m3u8")

        def drop_server() -> None:  # off the air for 2 s once the watcher is reading
            server.drop()
            time.sleep(2.0)
            server.restore()

        spec = StreamSpec(
            "hls-cam",
            server.url("live.m3u8"),
            stall_timeout=1.0,
            open_timeout=2.0,
            backoff_initial=0.3,
            backoff_max=1.0,
        )
        records, summary = run_watch(
            banked, [spec], sender.done, on_connected=drop_server, workers=0
        )
    finally:
        sender.stop()
        server.close()
    assert sender.error is None
    events = events_of(records, "hls-cam")
    assert "connected" in events and "reconnected" in events, events
    assert events[-1] == "finished"
    reconnected = next(r for r in records if r.get("event") == "reconnected")
    assert float(str(reconnected["gap_seconds"])) > 0
    alerts = alerts_of(records, "hls-cam")
    check_clip_alerts(alerts, clip)
    seen = [(a["stream_time"], a["entry_id"]) for a in alerts]
    assert len(seen) == len(set(seen)), "segments read again after reconnecting alerted twice"
    rows = stored_alerts(banked)
    assert [(r.stream, r.stream_time, r.entry_id, r.distance) for r in rows] == [
        (a["stream"], a["stream_time"], a["entry_id"], a["distance"]) for a in alerts
    ]
    after = [r for r in rows if r.wall_time.isoformat() >= str(reconnected["wall_time"])]
    assert all(r.detail and r.detail["gaps"] for r in after), "gap not in the alert rows"
    assert int(str(summary.streams["hls-cam"]["reconnects"])) >= 1


def test_live_udp_clip_alerted_after_pause(banked: Engine) -> None:
    port = free_port()
    pieces, clip = programme(before=3, clip=3, after=1)
    spec = StreamSpec(
        "udp-cam",
        f"udp://127.0.0.1:{port}",
        stall_timeout=1.0,
        open_timeout=1.5,
        backoff_initial=0.2,
        backoff_max=0.5,
    )
    sender = LiveSender(f"udp://127.0.0.1:{port}", pieces, pause_after=0.5, pause_for=2.0)
    when_listening(port, sender.start)
    try:
        records, summary = run_watch(banked, [spec], sender.done, workers=0)
    finally:
        sender.stop()
    assert sender.error is None
    events = events_of(records, "udp-cam")
    assert "stalled" in events and "reconnected" in events, events
    check_clip_alerts(alerts_of(records, "udp-cam"), clip)
    stats = summary.streams["udp-cam"]
    assert int(str(stats["reconnects"])) >= 1 and float(str(stats["gap_seconds"])) > 1.0
    assert stats["frames_late"] == 0 and stats["frames_dropped"] == 0


def test_pool_survives_garbage_and_dead_sources_and_delivers_webhook(banked: Engine) -> None:
    good, garbage_port = free_port(), free_port()
    pieces, clip = programme(before=3, clip=3, after=1)
    receiver = WebhookReceiver(fail_first=1)
    specs = [
        StreamSpec("good", f"udp://127.0.0.1:{good}", stall_timeout=2.0, open_timeout=4.0),
        StreamSpec(
            "garbage",
            f"udp://127.0.0.1:{garbage_port}",
            stall_timeout=1.0,
            open_timeout=1.5,
            backoff_initial=0.2,
            backoff_max=0.5,
        ),
        StreamSpec(
            "refused",
            f"http://127.0.0.1:{free_port(socket.SOCK_STREAM)}/none.m3u8",
            backoff_initial=0.2,
            backoff_max=0.5,
            give_up_after=2.0,
        ),
    ]
    noise = GarbageSender(garbage_port).start()
    sender = LiveSender(f"udp://127.0.0.1:{good}", pieces)
    when_listening(good, sender.start)
    try:
        records, summary = run_watch(banked, specs, sender.done, workers=2, webhook=receiver.url)
    finally:
        sender.stop()
        noise.stop()
        receiver.close()
    alerts = alerts_of(records, "good")
    check_clip_alerts(alerts, clip)
    assert not alerts_of(records, "garbage") and not alerts_of(records, "refused")
    assert "error" in events_of(records, "garbage") or "stalled" in events_of(records, "garbage")
    refused = [r for r in records if r.get("stream") == "refused" and r.get("event") == "error"]
    assert refused and "Connection refused" in str(refused[0]["reason"])
    assert "gave_up" in events_of(records, "refused")
    assert receiver.statuses[0] == 503  # the first delivery failed and was retried
    assert receiver.received == alerts
    assert summary.webhook is not None and summary.webhook.delivered == len(alerts)


def test_file_played_at_its_real_rate(banked_any: Engine, tmp_path: Path) -> None:
    banked = banked_any  # SQLite and PostgreSQL
    pieces, clip = programme(before=1, clip=2, after=1)
    video = write_programme(tmp_path / "recording.mp4", pieces)
    started = time.monotonic()
    records, summary = run_watch(banked, [StreamSpec("file", str(video))])
    elapsed = time.monotonic() - started
    assert elapsed >= 3.0, "a file is paced by its timestamps, like ffmpeg -re"
    assert events_of(records, "file")[-2:] == ["ended", "finished"]
    check_clip_alerts(alerts_of(records, "file"), clip)
    rows = stored_alerts(banked)
    assert len(rows) == summary.alerts == len(alerts_of(records, "file"))
    assert {row.detail["decode"] for row in rows if row.detail} <= {"nonkey", "nonref"}


def test_cli_watches_standard_input_at_2_frames_per_second(
    banked: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pieces, clip = programme(before=1, clip=2, after=1)
    stream = write_programme(tmp_path / "stream.ts", pieces)
    monkeypatch.setenv("EGIDE_HOME", str(tmp_path / "home"))
    command = ["watch", "-", "--name", "pipe", "--fps", "2"]
    command += ["--db", banked.url.render_as_string(hide_password=False)]
    for bank in BANKS:
        command += ["--bank", bank]
    saved = os.dup(0)
    try:
        with stream.open("rb") as handle:
            os.dup2(handle.fileno(), 0)  # FFmpeg's pipe:0 reads the process's standard input
        result = CliRunner().invoke(app, command)
    finally:
        os.dup2(saved, 0)
        os.close(saved)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    alerts = alerts_of(records, "pipe")
    check_clip_alerts(alerts, clip)
    finished = next(r for r in records if r.get("event") == "finished")
    assert finished["frames_sampled"] == 8  # 4 s of stream at 2 frames/s, read at full speed
    assert any(float(str(a["stream_time"])) % 1 for a in alerts), "half-second frames hashed"
