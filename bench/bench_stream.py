"""Live monitoring: N concurrent 720p streams at 1 sampled frame/s, alert latency and CPU.

Target (issue 7): at least 20 concurrent 720p streams at 1 sampled frame/s on a 2-core
machine, p99 alert latency (frame arrival to alert) under 1 s. There is no peer tool to run
side by side, so the figures are absolute; the bench prints them with the CPU the watcher used.

Each stream is MPEG-TS over UDP on 127.0.0.1, sent in real time by threads of this process (a
remux of one pre-encoded loop: generated moving pictures, then 4 s of a benign sample video
whose 1 frame/s PDQ hashes are in the bank, so every stream raises alerts every loop). The
streams start at staggered times. ``egide watch --streams`` runs as a child process; its CPU
is read from the kernel when it ends.

    .venv/bin/python bench/bench_stream.py --streams 20 --seconds 60
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from sqlalchemy import select

from egide.banks import create_bank, import_entries
from egide.formats import ListEntry
from egide.store import StreamAlert, open_engine, session_maker
from egide.video import hash_video

ROOT = Path(__file__).resolve().parents[1]
KNOWN = ROOT.parent / "shared/testdata/threatexchange/tmk/sample-videos/pattern-hd-no-bar.mp4"
WIDTH, HEIGHT, FPS = 1280, 720, 30


def generated(index: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """A moving colour field with a bouncing square: unrelated to anything in the bank."""
    y, x = np.mgrid[0:HEIGHT:4, 0:WIDTH:4]
    t = index / FPS
    r = (128 + 127 * np.sin(x / 37.0 + t * 1.3)).astype(np.uint8)
    g = (128 + 127 * np.sin(y / 23.0 - t * 0.7)).astype(np.uint8)
    b = ((x + y + index * 3) % 256).astype(np.uint8)
    small = np.stack([r, g, b], axis=2)
    image = np.ascontiguousarray(small.repeat(4, axis=0).repeat(4, axis=1))
    side = 160
    left = int((np.sin(t) * 0.5 + 0.5) * (WIDTH - side))
    top = int((np.cos(t * 0.8) * 0.5 + 0.5) * (HEIGHT - side))
    image[top : top + side, left : left + side] = (250, 250, 40)
    return image


def encode_loop(path: Path, unrelated_seconds: float, gop: int) -> None:
    """One loop of the programme as an MPEG-TS file: generated pictures, then the known clip."""
    with av.open(str(path), "w", format="mpegts") as output:
        stream = output.add_stream(
            "libx264",
            rate=FPS,
            options={
                "preset": "ultrafast",
                "tune": "zerolatency",
                "g": str(gop),
                "keyint_min": str(gop),
                "sc_threshold": "0",
            },
        )
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        index = 0

        def put(frame: av.VideoFrame) -> None:
            nonlocal index
            frame.pts, frame.time_base = index, Fraction(1, FPS)
            for packet in stream.encode(frame):
                output.mux(packet)
            index += 1

        for i in range(round(unrelated_seconds * FPS)):
            put(av.VideoFrame.from_ndarray(generated(i), format="rgb24"))
        with av.open(str(KNOWN)) as known:
            for frame in known.decode(video=0):
                if frame.time is not None and frame.time >= 4.0:
                    break
                put(frame.reformat(width=WIDTH, height=HEIGHT, format="yuv420p"))
        for packet in stream.encode(None):
            output.mux(packet)


def send_loop(loop: Path, port: int, delay: float, stop: threading.Event) -> None:
    """Remux the loop to udp://127.0.0.1:port in real time, timestamps running on."""
    stop.wait(delay)
    output = av.open(f"udp://127.0.0.1:{port}?pkt_size=1316", "w", format="mpegts")
    try:
        with av.open(str(loop)) as first:
            template = first.streams.video[0]
            out_stream = output.add_stream_from_template(template)
            tb = template.time_base or Fraction(1, 90000)
        offset = 0
        started = time.monotonic()
        while not stop.is_set():
            last = 0
            with av.open(str(loop)) as source:
                for packet in source.demux(video=0):
                    if packet.dts is None or stop.is_set():
                        continue
                    due = started + float((packet.dts + offset) * tb)
                    if due > time.monotonic():
                        stop.wait(due - time.monotonic())
                    packet.pts = (packet.pts or 0) + offset
                    packet.dts = packet.dts + offset
                    last = max(last, packet.dts)
                    packet.stream = out_stream
                    output.mux(packet)
            offset = last + int(1 / (FPS * tb))
    finally:
        output.close()


def make_bank(url: str) -> None:
    frames = hash_video(KNOWN).frames
    engine = open_engine(url)
    with session_maker(engine)() as session:
        bank = create_bank(session, "known", source="bench")
        import_entries(session, bank, [ListEntry("pdq", f.pdq) for f in frames])
        session.commit()
    engine.dispose()


def decode_modes_of(url: str) -> list[str]:
    engine = open_engine(url)
    with session_maker(engine)() as session:
        details = session.scalars(select(StreamAlert.detail)).all()
    engine.dispose()
    return sorted({str(d.get("decode")) for d in details if d})


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and all its descendants, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def sample_cpu(pid: int, samples: list[tuple[float, float]], stop: threading.Event) -> None:
    while not stop.wait(1.0):
        samples.append((time.time(), tree_cpu(pid)))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0, help="watch this long")
    parser.add_argument("--warmup", type=float, default=10.0, help="ignore alerts before")
    parser.add_argument("--gop", type=int, default=FPS, help="frames per group of pictures")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-frame", default="auto")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="egide-bench-stream-"))
    loop = work / "loop.ts"
    print(f"encoding the {WIDTH}x{HEIGHT} loop (GOP {args.gop} frames) ...", flush=True)
    encode_loop(loop, unrelated_seconds=9.0, gop=args.gop)
    database = f"sqlite:///{work / 'egide.db'}"
    make_bank(database)
    ports = list(range(47000, 47000 + args.streams))
    streams = {
        "defaults": {"stall_timeout": 5, "skip_frame": args.skip_frame},
        "streams": [
            {"name": f"cam-{i:02d}", "url": f"udp://127.0.0.1:{p}"} for i, p in enumerate(ports)
        ],
    }
    (work / "streams.yaml").write_text(json.dumps(streams))
    command = [
        sys.executable, "-m", "egide", "watch", "--streams", str(work / "streams.yaml"),
        "--bank", "known", "--db", database, "--duration", str(args.seconds),
        "--workers", str(args.workers),
    ]  # fmt: skip
    env = {**os.environ, "EGIDE_HOME": str(work / "home")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    watcher = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    stop = threading.Event()
    stagger = 13.0 / max(1, args.streams)
    senders = [
        threading.Thread(target=send_loop, args=(loop, port, 3.0 + i * stagger, stop), daemon=True)
        for i, port in enumerate(ports)
    ]
    for sender in senders:
        sender.start()
    started = time.time()
    samples: list[tuple[float, float]] = []
    sampler = threading.Thread(target=sample_cpu, args=(watcher.pid, samples, stop), daemon=True)
    sampler.start()
    assert watcher.stdout is not None
    records = []
    for line in watcher.stdout:
        record = json.loads(line)
        if record.get("event") == "finished" and not stop.is_set():
            stop.set()  # the streams are stopping: the steady window is over
        records.append(record)
    watcher.wait()
    stop.set()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    wall = time.time() - started

    alerts = [r for r in records if r["type"] == "alert"]
    finished = [r for r in records if r.get("event") == "finished"]
    first_alert = min((r["wall_time"] for r in alerts), default=None)
    connected = [
        datetime.fromisoformat(r["wall_time"]).timestamp()
        for r in records
        if r.get("event") == "connected"
    ]
    steady = (max(connected) if connected else started) + args.warmup
    counted = [
        r["latency_ms"]
        for r in alerts
        if datetime.fromisoformat(r["wall_time"]).timestamp() >= steady
    ]
    window = [(t, c) for t, c in samples if t >= steady]
    steady_cores = (
        (window[-1][1] - window[0][1]) / (window[-1][0] - window[0][0])
        if len(window) >= 2
        else float("nan")
    )
    sampled = sum(int(r["frames_sampled"]) for r in finished)
    late = sum(int(r["frames_late"]) + int(r["frames_dropped"]) for r in finished)
    decoded = sum(int(r["frames_decoded"]) for r in finished)
    alerting = len({r["stream"] for r in alerts})
    decode_modes = decode_modes_of(database)
    print(f"streams           {args.streams} x {WIDTH}x{HEIGHT} {FPS} fps, GOP {args.gop}")
    workers = f"{args.workers} worker processes, exit {watcher.returncode}"
    print(f"watched           {args.seconds:.0f} s, {workers}")
    print(f"frames hashed     {sampled} ({sampled / args.seconds:.1f}/s), decoded {decoded}")
    print(f"late or dropped   {late}")
    print(f"alerts            {len(alerts)} from {alerting} streams (first at {first_alert})")
    if counted:
        p50, p99 = percentile(counted, 50), percentile(counted, 99)
        print(
            f"alert latency     p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {max(counted):.0f} ms"
            f" ({len(counted)} alerts from {args.warmup:.0f} s after the last stream connected)"
        )
    print(
        f"watcher CPU       {steady_cores:.2f} cores while watching (after warm-up);"
        f" {cpu:.1f} s in {wall:.1f} s including start-up and shut-down"
    )
    print(f"cores available   {os.cpu_count()}; decode mode in alerts: {decode_modes}")
    p99 = percentile(counted, 99) if counted else float("inf")
    met = args.streams >= 20 and p99 < 1000 and late == 0
    print(
        f"target            >= 20 streams, p99 < 1000 ms, none late: {'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
