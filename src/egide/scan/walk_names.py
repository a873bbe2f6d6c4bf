"""Report paths for archive members whose stored names cannot be trusted.

Nothing is ever extracted, so a hostile name cannot write anywhere; the risk is a report path
that lies (``../../etc/x`` looks like a file outside the archive) or breaks a terminal or a CSV.
The sanitised name is what the report shows; the warning keeps the original for the examiner.
"""

from __future__ import annotations

import re

_DRIVE = re.compile(r"^[A-Za-z]:")
_SURROGATE_MIN, _SURROGATE_MAX = 0xDC80, 0xDCFF  # bytes decoded with "surrogateescape"
UNNAMED = "_unnamed_"
"""Report name of a member whose name is empty once sanitised (``/``, ``..``, ``C:``)."""


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return f"%{code:02X}"
    if _SURROGATE_MIN <= code <= _SURROGATE_MAX:
        return f"%{code - 0xDC00:02X}"
    return ch


def sanitise_member_name(name: str) -> tuple[str, str | None]:
    """Return ``(report_name, warning)`` for a member name as stored in an archive.

    Unsafe (warned): an absolute path (``/x``, ``//host/x``, ``C:\\x``), a ``..`` component, a
    backslash (a Windows separator or a trick: it becomes ``/``), a control character (NUL
    included; shown as ``%00``). Silently normalised: ``.`` and empty components and
    undecodable bytes (shown as ``%XX``), which ordinary tools produce. The result is never
    empty, never absolute, has no ``..``, ``\\`` or control character, and is a fixed point.
    """
    reasons: list[str] = []
    text = name
    if "\\" in text:
        reasons.append("backslash")
        text = text.replace("\\", "/")
    escaped = "".join(_escape_char(ch) for ch in text)
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        reasons.append("NUL or control character")
    text = escaped
    absolute = text.startswith("/")
    parent = False
    while True:
        if _DRIVE.match(text):
            absolute = True
            text = text[2:]
        parts = [p for p in text.split("/") if p not in ("", ".")]
        parent = parent or ".." in parts
        text = "/".join(p for p in parts if p != "..")
        if not _DRIVE.match(text):
            break
    if absolute or parent:
        reasons.insert(0, "parent or absolute path")
    report = text or UNNAMED
    if not reasons:
        return report, None
    return report, f"unsafe member name {name!r} ({', '.join(reasons)}); read in memory only"
