"""The fast CSV read is accepted only when the file's bytes prove no row lost a field."""

from __future__ import annotations

import tempfile
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import given, settings

from egide.finance.csv_fast import count_bytes, read_complete_csv


def write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_complete_files_are_read_fast(tmp_path: Path) -> None:
    plain = read_complete_csv(write(tmp_path, "a,b,c\n1,2,3\n4,,6\n"))
    assert plain is not None and plain[0].rows() == [("1", "2", "3"), ("4", "", "6")]
    quoted = read_complete_csv(write(tmp_path, 'a,b\r\n"x, y",2\r\n"p\nq",3\r\n'))
    assert quoted is not None
    frame, data_newlines = quoted
    assert frame["a"].to_list() == ["x, y", "p\nq"] and data_newlines == 3


def test_short_empty_or_long_rows_fall_back(tmp_path: Path) -> None:
    assert read_complete_csv(write(tmp_path, "a,b,c\n1,2,3\n4,5\n")) is None  # short
    assert read_complete_csv(write(tmp_path, "a,b,c\n1,2,3\n\n4,5,6\n")) is None  # empty line
    assert read_complete_csv(write(tmp_path, "a,b,c\n1,2,3,4\n")) is None  # long
    # a short row cannot hide behind commas inside quoted values
    assert read_complete_csv(write(tmp_path, 'a,b,c\n"1,2",x,y\n4\n')) is None


@settings(max_examples=30, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([b",", b'"', b"\n"]))
def test_byte_counts_are_exact(data: bytes, char: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b.bin"
        path.write_bytes(data * 300)  # longer than one counting block
        assert count_bytes(path, char) == [(data * 300).count(char)]
