"""What to watch: one :class:`StreamSpec` per live source, and the ``streams.yaml`` file.

``streams.yaml``::

    defaults:            # optional; any per-stream key, applied to every stream
      fps: 1
      stall_timeout: 10
    streams:
      - name: cam-1
        url: udp://0.0.0.0:5000
        options: {overrun_nonfatal: "1"}   # FFmpeg options of the input, as strings
      - name: hls-a
        url: http://10.0.0.5/live/a.m3u8
        fps: 2

A bad file raises :class:`StreamConfigError` naming the file, the stream and the key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

SKIP_MODES = ("auto", "nonkey", "nonref", "none")
STDIN = "-"


class StreamConfigError(ValueError):
    """A stream definition that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class StreamSpec:
    """One live source and how to watch it.

    ``fps``: frames hashed per second of stream time. ``realtime``: pace a file by its
    timestamps (FFmpeg's ``-re``); default on for files, off otherwise. ``reconnect``: reopen
    after the end of the stream; default on for network sources. ``stall_timeout``: seconds
    without a packet before the source counts as stalled and is reopened. ``backoff_*``:
    reconnect delays (doubling). ``give_up_after``: stop after this many seconds without a
    working connection (``None``: never). ``skip_frame``: decoding shortcut, ``auto`` decodes
    key frames only when they come at least once per sampling interval, else skips
    non-reference frames. ``max_lag``: a sampled frame this many seconds behind real time is
    dropped and counted, never queued.
    """

    name: str
    url: str
    fps: float = 1.0
    options: Mapping[str, str] = field(default_factory=dict)
    realtime: bool | None = None
    reconnect: bool | None = None
    stall_timeout: float = 10.0
    open_timeout: float = 10.0
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    give_up_after: float | None = None
    skip_frame: str = "auto"
    max_lag: float = 2.0

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise StreamConfigError("a stream needs a non-empty name")
        if not self.url.strip():
            raise StreamConfigError(f"stream {self.name!r}: url is empty")
        for key in (
            "fps",
            "stall_timeout",
            "open_timeout",
            "backoff_initial",
            "backoff_max",
            "max_lag",
        ):
            value = getattr(self, key)
            if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
                raise StreamConfigError(f"stream {self.name!r}: {key} must be > 0, got {value!r}")
        if self.give_up_after is not None and not self.give_up_after > 0:
            raise StreamConfigError(f"stream {self.name!r}: give_up_after must be > 0")
        if self.skip_frame not in SKIP_MODES:
            raise StreamConfigError(
                f"stream {self.name!r}: skip_frame must be one of {', '.join(SKIP_MODES)}"
            )

    @property
    def kind(self) -> str:
        """``stdin``, ``file`` or ``network`` (any URL FFmpeg opens with a protocol)."""
        if self.url == STDIN or self.url.startswith("pipe:"):
            return "stdin"
        scheme = urlsplit(self.url).scheme
        if len(scheme) > 1 and scheme != "file":
            return "network"
        return "file"

    @property
    def paced(self) -> bool:
        return self.realtime if self.realtime is not None else self.kind == "file"

    @property
    def reconnects(self) -> bool:
        return self.reconnect if self.reconnect is not None else self.kind == "network"

    @property
    def public_url(self) -> str:
        """The URL with any password replaced, for output and logs."""
        return redact(self.url)


def redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username or ''}:***@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


_KEYS = {f.name for f in fields(StreamSpec)}


def spec_from_mapping(data: Mapping[str, Any], where: str) -> StreamSpec:
    """A :class:`StreamSpec` from a YAML mapping; errors name ``where``."""
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise StreamConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
    for key in ("name", "url"):
        if not isinstance(data.get(key), str):
            raise StreamConfigError(f"{where}: {key} is required and must be a string")
    values = dict(data)
    options = values.get("options", {})
    if not isinstance(options, Mapping):
        raise StreamConfigError(f"{where}: options must be a mapping of FFmpeg options")
    values["options"] = {str(k): str(v) for k, v in options.items()}
    for key in ("realtime", "reconnect"):
        if key in values and values[key] is not None and not isinstance(values[key], bool):
            raise StreamConfigError(f"{where}: {key} must be true or false")
    for key in (
        "fps",
        "stall_timeout",
        "open_timeout",
        "backoff_initial",
        "backoff_max",
        "give_up_after",
        "max_lag",
    ):
        value = values.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise StreamConfigError(f"{where}: {key} must be a number, got {value!r}")
    try:
        return StreamSpec(**values)
    except StreamConfigError as exc:
        raise StreamConfigError(f"{where}: {exc}") from None


def load_streams(path: Path, defaults: Mapping[str, Any] | None = None) -> list[StreamSpec]:
    """Every stream of a ``streams.yaml`` file; names must be unique. A stream's own values win
    over the file's ``defaults``, which win over ``defaults`` given here (the command line's)."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise StreamConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise StreamConfigError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(document, Mapping) or not isinstance(document.get("streams"), list):
        raise StreamConfigError(f"{path}: expected a mapping with a 'streams' list")
    unknown = sorted(set(document) - {"defaults", "streams"})
    if unknown:
        raise StreamConfigError(f"{path}: unknown top-level key(s) {', '.join(unknown)}")
    file_defaults = document.get("defaults") or {}
    if not isinstance(file_defaults, Mapping) or {"name", "url"} & set(file_defaults):
        raise StreamConfigError(f"{path}: defaults must be a mapping without name or url")
    merged = {**(defaults or {}), **file_defaults}
    specs: list[StreamSpec] = []
    seen: set[str] = set()
    for number, item in enumerate(document["streams"], start=1):
        where = f"{path}: stream {number}"
        if not isinstance(item, Mapping):
            raise StreamConfigError(f"{where}: expected a mapping with name and url")
        if isinstance(item.get("name"), str):
            where += f" ({item['name']})"
        spec = spec_from_mapping({**merged, **item}, where)
        if spec.name in seen:
            raise StreamConfigError(f"{where}: duplicate stream name {spec.name!r}")
        seen.add(spec.name)
        specs.append(spec)
    if not specs:
        raise StreamConfigError(f"{path}: no streams listed")
    return specs
