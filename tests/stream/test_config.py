"""streams.yaml and stream definitions: defaults, overrides, and errors that say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from egide.stream import StreamConfigError, StreamSpec, load_streams, redact


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "streams.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_streams_file_with_defaults_and_options(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
defaults:
  fps: 2
  stall_timeout: 5
streams:
  - name: cam-1
    url: udp://0.0.0.0:5000
    options: {overrun_nonfatal: 1, fifo_size: 50000}
  - name: hls-a
    url: http://10.0.0.5/live/a.m3u8
    fps: 0.5
  - name: rec
    url: /evidence/stream.ts
""",
    )
    cam, hls, rec = load_streams(path, {"fps": 3.0, "max_lag": 1.0})
    assert (cam.fps, cam.stall_timeout, cam.max_lag) == (2, 5, 1.0)  # file defaults win
    assert cam.options == {"overrun_nonfatal": "1", "fifo_size": "50000"}
    assert hls.fps == 0.5  # a stream's own value wins
    assert (cam.kind, hls.kind, rec.kind) == ("network", "network", "file")
    assert cam.reconnects and not cam.paced
    assert rec.paced and not rec.reconnects  # a file is played at its real rate, once
    assert StreamSpec("in", "-").kind == "stdin"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("streams: [{name: a}]", "stream 1 (a): url is required"),
        ("streams: [{name: a, url: 'udp://x:1', fsp: 2}]", "stream 1 (a): unknown key(s) fsp"),
        (
            "streams: [{name: a, url: 'udp://x:1', fps: 0}]",
            "stream 1 (a): stream 'a': fps must be > 0",
        ),
        ("streams: [{name: a, url: 'udp://x:1', fps: fast}]", "fps must be a number, got 'fast'"),
        (
            "streams: [{name: a, url: u}, {name: a, url: v}]",
            "stream 2 (a): duplicate stream name 'a'",
        ),
        ("streams: [{name: a, url: u, skip_frame: all}]", "skip_frame must be one of"),
        ("streams: [{name: a, url: u, reconnect: 'yes'}]", "reconnect must be true or false"),
        ("streams: [{name: a, url: u, options: [1]}]", "options must be a mapping"),
        ("streams: []", "no streams listed"),
        ("cameras: []", "expected a mapping with a 'streams' list"),
        ("streams: [a: [", "not valid YAML"),
    ],
)
def test_bad_streams_file_names_file_stream_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(StreamConfigError) as caught:
        load_streams(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_missing_streams_file(tmp_path: Path) -> None:
    with pytest.raises(StreamConfigError, match="cannot read"):
        load_streams(tmp_path / "none.yaml")


def test_passwords_never_printed() -> None:
    assert redact("rtsp://admin:s3cret@10.0.0.9:554/live") == "rtsp://admin:***@10.0.0.9:554/live"
    assert redact("udp://0.0.0.0:5000") == "udp://0.0.0.0:5000"
    spec = StreamSpec("cam", "rtmp://u:p@host/app/key")
    assert "p@" not in spec.public_url
