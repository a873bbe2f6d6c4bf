"""Limits of the walker: bombs, quines, member floods, and reading one member at a time."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from egide.scan import walk_archives
from egide.scan.walk import (
    DEFAULT_LIMITS,
    DiskFile,
    Item,
    UnreadableItemError,
    WalkLimits,
    iter_items,
)
from egide.scan.walk_archives import WalkState
from tests.support.archives import tar_bytes, zip_bytes


def walk(path: Path, data: bytes, limits: WalkLimits = DEFAULT_LIMITS) -> list[Item]:
    path.write_bytes(data)
    return list(iter_items(DiskFile(path, path.name, None), limits))


def summary(items: list[Item]) -> list[tuple[str, str | None]]:
    return [(i.path, i.error) for i in items]


def test_declared_size_over_max_member_bytes_is_not_read(tmp_path: Path) -> None:
    limits = WalkLimits(max_member_bytes=1000)
    for name, data in [
        ("m.zip", zip_bytes([("big.bin", b"b" * 5000), ("small.jpg", b"s")])),
        ("m.tar", tar_bytes([("big.bin", b"b" * 5000), ("small.jpg", b"s")])),
        ("m.tgz", tar_bytes([("big.bin", b"b" * 5000), ("small.jpg", b"s")], "w:gz")),
    ]:
        items = walk(tmp_path / name, data, limits)
        assert summary(items) == [
            (name, None),
            (
                f"{name}!big.bin",
                "declared size 5000 exceeds max_member_bytes 1000; content not read",
            ),
            (f"{name}!small.jpg", None),
        ]
        assert items[1].size == 5000
        with pytest.raises(UnreadableItemError):
            items[1].open()


class _Endless(io.RawIOBase):
    """A member that never ends, whatever its header said."""

    def __init__(self) -> None:
        super().__init__()
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        buffer[:] = b"\0" * len(buffer)
        self.served += len(buffer)
        return len(buffer)


def test_reading_stops_at_the_cap_whatever_was_declared() -> None:
    limits = WalkLimits(max_member_bytes=3 << 20, max_ratio=1e12)
    state = WalkState(limits)
    stream = _Endless()
    counter = walk_archives._Meter(io.BytesIO(b"z" * 10), None, forward_only=False)
    with pytest.raises(walk_archives._LimitError, match=r"max_member_bytes 3145728 .*declared 10"):
        walk_archives._read_capped(stream, counter, state, True, 10)
    assert stream.served == (3 << 20) + 1


def test_zip_member_lying_about_its_size_is_not_read_past_the_claim(tmp_path: Path) -> None:
    data = bytearray(zip_bytes([("liar.bin", b"\0" * 5000)]))
    cd = struct.unpack_from("<L", data, data.rfind(b"PK\x05\x06") + 16)[0]
    for off in (22, cd + 24):  # uncompressed size, local and central header
        struct.pack_into("<L", data, off, 10)
    items = walk(tmp_path / "liar.zip", bytes(data), WalkLimits(max_member_bytes=100))
    assert items[1].error is not None and items[1].size == 10  # CRC fails at the claimed end


def test_declared_ratio_over_max_ratio(tmp_path: Path) -> None:
    items = walk(tmp_path / "bomb.zip", zip_bytes([("zeros", b"\0" * (2 << 20)), ("ok", b"ok")]))
    assert items[1].error is not None
    assert items[1].error.startswith("declared compression ratio ")
    assert "exceeds max_ratio 200; content not read" in items[1].error
    assert items[2].error is None


def test_actual_ratio_over_max_ratio_in_a_compressed_tar(tmp_path: Path) -> None:
    data = tar_bytes([("zeros", b"\0" * (4 << 20)), ("ok", b"ok")], "w:gz")
    items = walk(tmp_path / "bomb.tgz", data)
    assert items[1].error is not None and items[1].error.startswith("compression ratio over ")
    assert "max_ratio 200" in items[1].error and "content not read" in items[1].error
    assert summary(items[2:]) == [("bomb.tgz!ok", None)]


def test_zip_lying_about_compressed_size_is_caught_while_reading(tmp_path: Path) -> None:
    data = bytearray(zip_bytes([("zeros", b"\0" * (2 << 20))]))
    cd = struct.unpack_from("<L", data, data.rfind(b"PK\x05\x06") + 16)[0]
    struct.pack_into("<L", data, cd + 20, 1 << 20)  # compressed size claimed 1 MiB: ratio 2
    items = walk(tmp_path / "liar.zip", bytes(data))
    assert items[1].error is not None and items[1].error.startswith("compression ratio over ")


def test_small_compressible_members_are_not_bombs(tmp_path: Path) -> None:
    items = walk(tmp_path / "blank.zip", zip_bytes([("blank.bmp", b"\0" * 100_000)]))
    assert items[1].error is None and items[1].size == 100_000


def test_archive_total_over_max_archive_bytes(tmp_path: Path) -> None:
    members = [(f"m{i}", bytes([i]) * 400) for i in range(3)]
    items = walk(
        tmp_path / "t.zip",
        zip_bytes(members, zipfile.ZIP_STORED),
        WalkLimits(max_archive_bytes=1000),
    )
    assert summary(items)[:3] == [("t.zip", None), ("t.zip!m0", None), ("t.zip!m1", None)]
    assert items[3].error == (
        "member of 400 bytes would push the archive total over max_archive_bytes 1000"
        " (800 already read); content not read"
    )
    items = walk(tmp_path / "t.tar", tar_bytes(members), WalkLimits(max_archive_bytes=2500))
    assert summary(items)[1:3] == [("t.tar!m0", None), ("t.tar!m1", None)]
    assert items[3].error is not None and "max_archive_bytes 2500" in items[3].error


def test_skipping_a_member_of_a_compressed_tar_counts_as_reading_it(tmp_path: Path) -> None:
    data = tar_bytes([("big", b"b" * 50_000), ("small", b"s")], "w:gz")
    roomy = WalkLimits(max_member_bytes=1000, max_archive_bytes=100_000)
    assert summary(walk(tmp_path / "a.tgz", data, roomy))[2] == ("a.tgz!small", None)
    tight = WalkLimits(max_member_bytes=1000, max_archive_bytes=20_000)
    items = walk(tmp_path / "a.tgz", data, tight)
    assert items[-1].path == "a.tgz!" and items[-1].error is not None
    assert "max_archive_bytes 20000 reached" in items[-1].error
    assert "a.tgz!small" not in [i.path for i in items]


def _quine(levels: int) -> bytes:
    data = zip_bytes([("x.jpg", b"x")])
    for level in range(levels):
        data = zip_bytes([(f"level{level}.zip", data)])
    return data


def test_nesting_stops_at_max_depth(tmp_path: Path) -> None:
    items = walk(tmp_path / "q.zip", _quine(6), WalkLimits(max_depth=3))
    assert [(i.path, i.depth) for i in items] == [
        ("q.zip", 0),
        ("q.zip!level5.zip", 1),
        ("q.zip!level5.zip!level4.zip", 2),
        ("q.zip!level5.zip!level4.zip!level3.zip", 3),
        ("q.zip!level5.zip!level4.zip!level3.zip!", 4),
    ]
    assert items[-1].error == "archive nested deeper than max_depth 3; members not walked"
    assert all(i.error is None for i in items[:-1])


def test_default_depth_limit(tmp_path: Path) -> None:
    items = walk(tmp_path / "q.zip", _quine(12))
    assert max(i.depth for i in items) == 9 and items[-1].error is not None
    assert "max_depth 8" in items[-1].error


def test_too_many_members(tmp_path: Path) -> None:
    members = [(f"f{i}", b"%d" % i) for i in range(10)]
    limits = WalkLimits(max_members=5)
    items = walk(tmp_path / "many.tar", tar_bytes(members), limits)
    assert [i.path for i in items[1:6]] == [f"many.tar!f{i}" for i in range(5)]
    assert items[6].path == "many.tar!" and len(items) == 7
    assert items[6].error == "more than max_members 5 archive members in this file; walk stopped"
    items = walk(tmp_path / "many.zip", zip_bytes(members), limits)
    assert summary(items) == [
        ("many.zip", None),
        (
            "many.zip!",
            "zip declares 10 entries, more than max_members 5 archive members in this"
            " file; not walked",
        ),
    ]


def test_member_count_includes_nested_archives(tmp_path: Path) -> None:
    inner = tar_bytes([(f"i{i}", b"i") for i in range(4)])
    data = tar_bytes([("a", b"a"), ("inner.tar", inner), ("z", b"z")])
    items = walk(tmp_path / "n.tar", data, WalkLimits(max_members=5))
    assert [i.path for i in items] == [
        "n.tar",
        "n.tar!a",
        "n.tar!inner.tar",
        "n.tar!inner.tar!i0",
        "n.tar!inner.tar!i1",
        "n.tar!inner.tar!i2",
        "n.tar!inner.tar!",
    ]


def test_members_are_read_one_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []
    real = walk_archives._read_capped

    def counting(*args: object) -> bytes:
        data = real(*args)  # type: ignore[arg-type]
        reads.append(len(data))
        return data

    monkeypatch.setattr(walk_archives, "_read_capped", counting)
    members = [(f"m{i}", bytes([i]) * 1000) for i in range(20)]
    for name, data in [("l.zip", zip_bytes(members)), ("l.tgz", tar_bytes(members, "w:gz"))]:
        reads.clear()
        (tmp_path / name).write_bytes(data)
        items = iter_items(DiskFile(tmp_path / name, name, None))
        next(items)
        assert reads == []
        assert next(items).path == f"{name}!m0"
        assert reads == [1000]
        next(items)
        assert reads == [1000, 1000]


def test_member_open_gives_a_fresh_stream_each_time(tmp_path: Path) -> None:
    (member,) = walk(tmp_path / "f.zip", zip_bytes([("x", b"abc")]))[1:]
    with member.open() as first:
        assert first.read() == b"abc"
    with member.open() as second:
        assert second.read() == b"abc"
