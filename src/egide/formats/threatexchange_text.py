"""The threatexchange / HMA text format: ``<signal_type> <value>`` per line.

threatexchange names its types ``pdq`` and ``video_md5`` (the MD5 of a video file); egide keeps the
name it read in ``extra["threatexchange"]`` so that a ``video_md5`` goes back out as one. Types
threatexchange has no name for are written under egide's names (md5, sha1, sha256, photodna).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from egide.formats.base import text_lines
from egide.formats.records import ListEntry, RecordError
from egide.signals import get

# threatexchange's names for signal types egide stores under another name.
ALIASES = {"video_md5": "md5"}
EXTRA_KEY = "threatexchange"


class ThreatExchangeTextFormat:
    name = "threatexchange"
    description = "threatexchange/HMA text: '<signal_type> <value>' per line (pdq, video_md5...)"
    can_write = True

    def read(self, source: BinaryIO) -> Iterator[ListEntry | RecordError]:
        for number, line in text_lines(source):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            parts = stripped.split(None, 1)
            if len(parts) != 2:
                yield RecordError(f"line {number}", "expected '<signal_type> <value>'")
                continue
            type_name, raw = parts[0].lower(), parts[1].strip()
            try:
                signal = get(ALIASES.get(type_name, type_name))
                value = signal.normalise(raw)
            except ValueError as exc:
                yield RecordError(f"line {number}", str(exc))
                continue
            extra: dict[str, object] | None = None
            if type_name in ALIASES:
                extra = {EXTRA_KEY: {"signal_type": type_name}}
            yield ListEntry(signal.name, value, extra=extra)

    def write(self, entries: Iterable[ListEntry], target: TextIO) -> int:
        count = 0
        for entry in entries:
            kept = (entry.extra or {}).get(EXTRA_KEY)
            name = kept.get("signal_type") if isinstance(kept, dict) else None
            if not (isinstance(name, str) and ALIASES.get(name) == entry.signal_type):
                name = entry.signal_type
            target.write(f"{name} {entry.value}\n")
            count += 1
        return count
