"""Property tests: the report-path sanitiser, and no member lost or altered by the walker."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from egide.scan.walk import DiskFile, iter_items, sanitise_member_name
from tests.support.archives import tar_bytes, zip_bytes

_DRIVE = re.compile(r"^[A-Za-z]:")

hostile_names = st.lists(
    st.one_of(
        st.sampled_from(
            ["..", ".", "", "/", "\\", "C:", "c:\\", "//", "\0", "\x7f", "\udcff", "!"]
        ),
        st.text(max_size=6),
    ),
    max_size=8,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(hostile_names)
def test_sanitised_names_are_safe_and_stable(name: str) -> None:
    report, warning = sanitise_member_name(name)
    parts = report.split("/")
    assert report and not report.startswith("/") and not _DRIVE.match(report)
    assert ".." not in parts and "." not in parts and "" not in parts
    assert not any(ord(c) < 0x20 or ord(c) == 0x7F or 0xDC80 <= ord(c) <= 0xDCFF for c in report)
    assert "\\" not in report
    report.encode("utf-8")  # printable in a UTF-8 report
    assert sanitise_member_name(report) == (report, None)
    if warning is not None:
        assert warning.startswith(f"unsafe member name {name!r} (")
        assert warning.endswith("); read in memory only")


safe_segment = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="/\\:!"
    ),
    min_size=1,
    max_size=12,
).filter(lambda s: s not in (".", ".."))


@given(st.lists(safe_segment, min_size=1, max_size=4).map("/".join))
def test_ordinary_names_are_untouched(name: str) -> None:
    assert sanitise_member_name(name) == (name, None)


def _archive(kind: str, members: list[tuple[str, bytes]]) -> bytes:
    if kind == "zip":
        return zip_bytes(members)
    return tar_bytes(members, {"tar": "w", "tgz": "w:gz"}[kind])


def _members(prefix: str) -> st.SearchStrategy[list[tuple[str, bytes]]]:
    names = st.lists(safe_segment, min_size=1, max_size=3).map("/".join)
    # A fixed prefix keeps random contents from posing as archives by accident.
    contents = st.binary(max_size=600).map(lambda b: b"content:" + b)
    return st.lists(
        st.tuples(names.map(lambda n: f"{prefix}{n}"), contents),
        max_size=6,
        unique_by=lambda m: m[0],
    )


kinds = st.sampled_from(["zip", "tar", "tgz"])


@settings(max_examples=60, deadline=None)
@given(kinds, _members("o-"), kinds, _members("i-"), st.integers(min_value=0, max_value=6))
def test_every_member_comes_out_once_with_its_bytes(
    outer_kind: str,
    outer: list[tuple[str, bytes]],
    inner_kind: str,
    inner: list[tuple[str, bytes]],
    position: int,
) -> None:
    inner_data = _archive(inner_kind, inner)
    members = list(outer)
    members.insert(min(position, len(members)), (f"nested.{inner_kind}", inner_data))
    data = _archive(outer_kind, members)
    expected = [(f"top!{n}", d) for n, d in members]
    at = expected.index((f"top!nested.{inner_kind}", inner_data)) + 1
    expected[at:at] = [(f"top!nested.{inner_kind}!{n}", d) for n, d in inner]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "top"
        path.write_bytes(data)
        got = []
        for item in iter_items(DiskFile(path, "top", None)):
            assert item.error is None and item.warnings == ()
            with item.open() as stream:
                got.append((item.path, stream.read()))
    assert got == [("top", data), *expected]


_DAMAGE_BASES = [
    _archive(kind, [("a.jpg", bytes(range(256)) * 4), ("in.zip", _archive("zip", [("x", b"x")]))])
    for kind in ("zip", "tar", "tgz")
]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(_DAMAGE_BASES),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=5),
    st.integers(min_value=1),
)
def test_damaged_archives_never_raise(base: bytes, flips: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(base)
    for at, value in flips:
        data[at % len(data)] = value
    data = data[: 1 + cut % len(data)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d"
        path.write_bytes(bytes(data))
        items = list(iter_items(DiskFile(path, "d", None)))
        assert (items[0].path, items[0].error, items[0].size) == ("d", None, len(data))
        for item in items:
            if item.error is None:
                with item.open() as stream:
                    stream.read()
