"""EDIFACT syntax for API/PNR: segment-by-segment, so one bad segment does not lose the rest.

pydifact parses each segment (separators, release characters); splitting the interchange into
segments is done here because pydifact stops at the first error, and the issue requires the
travellers that can be read to be screened anyway.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from pydifact.control.characters import Characters
from pydifact.exceptions import EDISyntaxError
from pydifact.parser import Parser

from egide.travel.model import ParseIssue

Element = str | list[str]
_TAG = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Segment:
    """A parsed segment with its 1-based index in the interchange and the line it starts on."""

    tag: str
    elements: tuple[Element, ...]
    index: int
    line: int

    @property
    def position(self) -> str:
        return f"segment {self.index} (line {self.line})"

    def comp(self, element: int, component: int = 0) -> str:
        """Component of an element, '' when absent: optional data is often left out."""
        if element >= len(self.elements):
            return ""
        value = self.elements[element]
        if isinstance(value, str):
            return value if component == 0 else ""
        return value[component] if component < len(value) else ""

    def components(self, element: int) -> list[str]:
        if element >= len(self.elements):
            return []
        value = self.elements[element]
        return [value] if isinstance(value, str) else list(value)


@dataclass
class Interchange:
    segments: list[Segment]
    issues: list[ParseIssue]


def _characters(text: str, issues: list[ParseIssue]) -> tuple[Characters, str]:
    if not text.startswith("UNA"):
        return Characters(), text  # type: ignore[no-untyped-call]
    spec = text[3:9]
    if len(spec) < 6:
        issues.append(ParseIssue("UNA", "segment 0 (line 1)", "truncated service string advice"))
        return Characters(), ""  # type: ignore[no-untyped-call]
    rest = text[9:]
    if spec[5].isspace() and spec[4] == "'":
        issues.append(
            ParseIssue(
                "UNA",
                "segment 0 (line 1)",
                f"service string advice {spec[:5]!r} has 5 "
                "characters, not 6; read as if the decimal mark were missing",
            )
        )
        spec = spec[:2] + "." + spec[2:5]
        rest = text[8:]
    chars = Characters.from_str("UNA" + spec)
    if chars.segment_terminator not in rest and "'" in rest:
        issues.append(
            ParseIssue(
                "UNA",
                "segment 0 (line 1)",
                f"declared segment terminator {chars.segment_terminator!r} never used; "
                'read with the default "\'"',
            )
        )
        chars.segment_terminator = "'"
    return chars, rest


def _split(
    text: str, chars: Characters, issues: list[ParseIssue]
) -> tuple[list[tuple[str, int]], str | None, int]:
    """Split into (segment text, line) pairs; also return an unterminated tail and its line.

    A blank line inside a segment ends it: it is a cut segment followed by other text.
    """
    out: list[tuple[str, int]] = []
    buf: list[str] = []
    line = 1
    start_line = 1
    i = 0
    release, term = chars.escape_character, chars.segment_terminator
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
            if buf and text[i : i + 1] in ("\n", "\r") and text[i:].strip():
                cut = "".join(buf).strip()
                issues.append(
                    ParseIssue(
                        cut[:3],
                        f"segment {len(out) + 1} (line {start_line})",
                        "segment not terminated before a blank line; trailing text follows",
                    )
                )
                out.append((cut, start_line))
                buf = []
            continue
        if ch == "\r":
            i += 1
            continue
        if not buf and ch in " \t":
            i += 1
            continue
        if not buf:
            start_line = line
        if ch == release and i + 1 < len(text) and text[i + 1] not in "\r\n":
            buf.append(text[i : i + 2])
            i += 2
            continue
        if ch == term:
            out.append(("".join(buf), start_line))
            buf = []
        else:
            buf.append(ch)
        i += 1
    tail = "".join(buf).strip()
    return out, (tail or None), start_line


def read_interchange(text: str) -> Interchange:
    """Read every segment that can be read; each problem names the segment and its position."""
    issues: list[ParseIssue] = []
    text = text.lstrip("\ufeff \t\r\n")
    chars, body = _characters(text, issues)
    pieces, tail, tail_line = _split(body, chars, issues)
    if tail is not None:
        issues.append(
            ParseIssue(
                tail[:3],
                f"segment {len(pieces) + 1} (line {tail_line})",
                f"truncated interchange: text after the last segment terminator ({tail[:40]!r})",
            )
        )
        pieces.append((tail, tail_line))
    segments: list[Segment] = []
    parser = Parser(characters=chars)
    for index, (piece, line) in enumerate(pieces, start=1):
        tag = piece.split(chars.data_separator, 1)[0]
        position = f"segment {index} (line {line})"
        if tag != tag.strip() and _TAG.match(tag.strip()):
            issues.append(ParseIssue(tag.strip(), position, "white space after the segment tag"))
            piece = tag.strip() + piece[len(tag) :]
            tag = tag.strip()
        if not _TAG.match(tag):
            issues.append(ParseIssue(tag[:10], position, f"invalid segment tag {tag[:20]!r}"))
            continue
        if piece.endswith(chars.escape_character) and not piece.endswith(
            chars.escape_character * 2
        ):
            issues.append(
                ParseIssue(tag, position, "dangling release character at the end of the segment")
            )
            piece = piece[:-1]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parsed = list(parser.parse(piece + chars.segment_terminator, chars))
        except (EDISyntaxError, IndexError, ValueError) as exc:
            issues.append(ParseIssue(tag, position, f"syntax error: {exc}"))
            continue
        for seg in parsed:
            if seg.tag == "UNA":
                continue
            segments.append(Segment(seg.tag, tuple(seg.elements), index, line))
    check_envelope(segments, issues)
    return Interchange(segments, issues)


def check_envelope(segments: list[Segment], issues: list[ParseIssue]) -> None:
    """UNB/UNZ and UNH/UNT pairing and counts: the checks that reveal lost or cut messages."""
    if not segments:
        issues.append(ParseIssue("UNB", "segment 1", "no segments could be read"))
        return
    if segments[0].tag != "UNB":
        issues.append(
            ParseIssue(segments[0].tag, segments[0].position, "interchange must start with UNB")
        )
    open_unh: Segment | None = None
    count = 0
    messages = 0
    for seg in segments:
        if seg.tag == "UNH":
            if open_unh is not None:
                issues.append(ParseIssue("UNH", seg.position, "UNH before the previous UNT"))
            open_unh, count = seg, 0
            messages += 1
        if open_unh is not None:
            count += 1
        if seg.tag == "UNT":
            if open_unh is None:
                issues.append(ParseIssue("UNT", seg.position, "UNT without UNH"))
                continue
            declared = seg.comp(0)
            if declared.isdigit() and int(declared) != count:
                issues.append(
                    ParseIssue(
                        "UNT",
                        seg.position,
                        f"segment count {int(declared)} declared, {count} present",
                    )
                )
            if seg.comp(1) and seg.comp(1) != open_unh.comp(0):
                issues.append(ParseIssue("UNT", seg.position, "reference differs from its UNH"))
            open_unh = None
    last = segments[-1]
    if open_unh is not None:
        issues.append(ParseIssue("UNH", open_unh.position, "message not closed by UNT"))
    if last.tag != "UNZ":
        issues.append(ParseIssue(last.tag, last.position, "truncated interchange: no UNZ at end"))
    else:
        declared = last.comp(0)
        if (
            declared.isdigit()
            and int(declared) != messages
            and not any(s.tag == "UNG" for s in segments)
        ):
            issues.append(
                ParseIssue(
                    "UNZ", last.position, f"{int(declared)} messages declared, {messages} present"
                )
            )
