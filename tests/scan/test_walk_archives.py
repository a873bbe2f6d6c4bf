"""Archive level of the walker: detection, member paths, nesting and hostile member names."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import random
import struct
import tarfile
import zipfile
from pathlib import Path

import pytest

from egide.scan.walk import DiskFile, Item, UnreadableItemError, iter_disk_files, iter_items
from tests.support.archives import tar_bytes, zip_bytes


def items_of(path: Path, data: bytes | None = None) -> list[Item]:
    if data is not None:
        path.write_bytes(data)
    return list(iter_items(DiskFile(path, path.name, None)))


def content(item: Item) -> bytes:
    with item.open() as stream:
        return stream.read()


MEMBERS = [("a/one.jpg", b"first"), ("two.txt", b""), ("b/c/three.bin", bytes(range(256)))]


@pytest.mark.parametrize(
    ("name", "maker"),
    [
        ("x.zip", lambda: zip_bytes(MEMBERS)),
        ("stored.zip", lambda: zip_bytes(MEMBERS, zipfile.ZIP_STORED)),
        ("bz.zip", lambda: zip_bytes(MEMBERS, zipfile.ZIP_BZIP2)),
        ("x.tar", lambda: tar_bytes(MEMBERS)),
        ("x.tar.gz", lambda: tar_bytes(MEMBERS, "w:gz")),
        ("x.tgz", lambda: tar_bytes(MEMBERS, "w:gz")),
        ("x.tar.bz2", lambda: tar_bytes(MEMBERS, "w:bz2")),
        ("x.tar.xz", lambda: tar_bytes(MEMBERS, "w:xz")),
        ("holiday.jpg", lambda: zip_bytes(MEMBERS)),  # content decides, not the extension
        ("notes.txt", lambda: tar_bytes(MEMBERS, "w:gz")),
    ],
)
def test_members_in_archive_order_after_the_disk_file(
    tmp_path: Path, name: str, maker: object
) -> None:
    data = maker()  # type: ignore[operator]
    items = items_of(tmp_path / name, data)
    assert items[0].path == name and items[0].depth == 0 and content(items[0]) == data
    assert [(i.path, i.size, i.depth, content(i)) for i in items[1:]] == [
        (f"{name}!{n}", len(d), 1, d) for n, d in MEMBERS
    ]
    assert all(i.error is None and i.warnings == () for i in items)


def test_directories_inside_archives_are_not_items(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("dir/", b"")
        zf.writestr("dir/x.jpg", b"x")
    tbuf = io.BytesIO()
    with tarfile.open(fileobj=tbuf, mode="w") as tf:
        d = tarfile.TarInfo("dir")
        d.type = tarfile.DIRTYPE
        tf.addfile(d)
    assert [i.path for i in items_of(tmp_path / "d.zip", buf.getvalue())] == [
        "d.zip",
        "d.zip!dir/x.jpg",
    ]
    assert [i.path for i in items_of(tmp_path / "d.tar", tbuf.getvalue())] == ["d.tar"]


def test_nested_archives_report_paths_and_depths(tmp_path: Path) -> None:
    inner_tar = tar_bytes([("c.jpg", b"cee")], "w:gz")
    middle_zip = zip_bytes([("b.tar.gz", inner_tar), ("m.txt", b"m")])
    items = items_of(tmp_path / "a.zip", zip_bytes([("sub/mid.zip", middle_zip)]))
    assert [(i.path, i.depth) for i in items] == [
        ("a.zip", 0),
        ("a.zip!sub/mid.zip", 1),
        ("a.zip!sub/mid.zip!b.tar.gz", 2),
        ("a.zip!sub/mid.zip!b.tar.gz!c.jpg", 3),
        ("a.zip!sub/mid.zip!m.txt", 2),
    ]
    assert content(items[1]) == middle_zip and content(items[3]) == b"cee"


def test_gzip_that_is_not_a_tar_is_just_a_file(tmp_path: Path) -> None:
    assert len(items_of(tmp_path / "x.gz", gzip.compress(b"hello" * 200))) == 1
    assert len(items_of(tmp_path / "x.bz2", bz2.compress(b"hello" * 200))) == 1
    assert len(items_of(tmp_path / "x.xz", lzma.compress(b"hello" * 200))) == 1


def test_tar_ending_with_a_zip_is_walked_as_a_tar(tmp_path: Path) -> None:
    inner = zip_bytes([("z.jpg", b"zz")])
    items = items_of(tmp_path / "t.tar", tar_bytes([("a.jpg", b"a"), ("last.zip", inner)]))
    assert [i.path for i in items] == [
        "t.tar",
        "t.tar!a.jpg",
        "t.tar!last.zip",
        "t.tar!last.zip!z.jpg",
    ]


def test_zip_appended_to_an_image_is_found(tmp_path: Path) -> None:
    data = b"\xff\xd8\xff\xe0 fake jpeg " * 10 + zip_bytes([("hidden.jpg", b"h")])
    items = items_of(tmp_path / "cover.jpg", data)
    assert [(i.path, i.error) for i in items] == [
        ("cover.jpg", None),
        ("cover.jpg!hidden.jpg", None),
    ]


# --- unsafe member names -------------------------------------------------------------------


def _patch_zip_name(data: bytes, old: bytes, new: bytes) -> bytes:
    """Write a name zipfile refuses to write (NUL) by patching both headers; same length."""
    assert len(old) == len(new) and data.count(old) == 2
    return data.replace(old, new)


@pytest.mark.parametrize(
    ("stored", "shown", "reasons"),
    [
        ("../../x.jpg", "x.jpg", "parent or absolute path"),
        ("/etc/x", "etc/x", "parent or absolute path"),
        ("C:\\x", "x", "parent or absolute path, backslash"),
        ("a\\b.jpg", "a/b.jpg", "backslash"),
        ("ok/../../up.jpg", "ok/up.jpg", "parent or absolute path"),
    ],
)
def test_unsafe_zip_names_are_sanitised_warned_and_still_read(
    tmp_path: Path, stored: str, shown: str, reasons: str
) -> None:
    items = items_of(tmp_path / "e.zip", zip_bytes([(stored, b"evidence")]))
    member = items[1]
    assert member.path == f"e.zip!{shown}" and member.error is None
    assert content(member) == b"evidence"
    assert member.warnings == (f"unsafe member name {stored!r} ({reasons}); read in memory only",)
    assert list(tmp_path.iterdir()) == [tmp_path / "e.zip"]  # nothing extracted


def test_exact_warning_text_for_parent_path(tmp_path: Path) -> None:
    (member,) = items_of(tmp_path / "e.zip", zip_bytes([("../../x.jpg", b"e")]))[1:]
    assert member.warnings == (
        "unsafe member name '../../x.jpg' (parent or absolute path); read in memory only",
    )


def test_nul_in_zip_member_name(tmp_path: Path) -> None:
    data = _patch_zip_name(zip_bytes([("evilXname.jpg", b"e")]), b"evilXname", b"evil\0name")
    (member,) = items_of(tmp_path / "n.zip", data)[1:]
    assert member.path == "n.zip!evil%00name.jpg" and content(member) == b"e"
    assert member.warnings == (
        "unsafe member name 'evil\\x00name.jpg' (NUL or control character); read in memory only",
    )


def test_unsafe_tar_names(tmp_path: Path) -> None:
    data = tar_bytes([("../../../etc/passwd", b"p"), ("/abs.jpg", b"a"), ("./fine.jpg", b"f")])
    items = items_of(tmp_path / "e.tar", data)[1:]
    assert [(i.path, content(i), len(i.warnings)) for i in items] == [
        ("e.tar!etc/passwd", b"p", 1),
        ("e.tar!abs.jpg", b"a", 1),
        ("e.tar!fine.jpg", b"f", 0),  # "./" prefixes are what `tar -C dir .` writes: not unsafe
    ]


# --- special members -----------------------------------------------------------------------


def test_tar_links_and_devices_are_error_items(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        info = tarfile.TarInfo("real.jpg")
        info.size = 4
        tf.addfile(info, io.BytesIO(b"real"))
        for name, kind, target in [
            ("sym.jpg", tarfile.SYMTYPE, "/etc/shadow"),
            ("hard.jpg", tarfile.LNKTYPE, "real.jpg"),
            ("dev", tarfile.CHRTYPE, ""),
            ("blk", tarfile.BLKTYPE, ""),
            ("pipe", tarfile.FIFOTYPE, ""),
        ]:
            special = tarfile.TarInfo(name)
            special.type = kind
            special.linkname = target
            tf.addfile(special)
        tf.addfile(info, io.BytesIO(b"real"))  # the walk goes on after them
    items = items_of(tmp_path / "s.tar", buf.getvalue())[1:]
    assert [(i.path, i.error) for i in items] == [
        ("s.tar!real.jpg", None),
        ("s.tar!sym.jpg", "tar symlink member -> '/etc/shadow', not followed"),
        ("s.tar!hard.jpg", "tar hardlink member -> 'real.jpg', not followed"),
        ("s.tar!dev", "tar character device member, no content"),
        ("s.tar!blk", "tar block device member, no content"),
        ("s.tar!pipe", "tar fifo member, no content"),
        ("s.tar!real.jpg", None),
    ]
    with pytest.raises(UnreadableItemError):
        items[1].open()


def test_zip_symlink_member_is_hashed_with_a_warning(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("link.jpg")
        info.create_system = 3
        info.external_attr = (0o120777 << 16) & 0xFFFF0000
        zf.writestr(info, b"../target.jpg")
    (member,) = items_of(tmp_path / "l.zip", buf.getvalue())[1:]
    assert member.error is None and content(member) == b"../target.jpg"
    assert member.warnings == (
        "zip symlink member -> '../target.jpg', not followed (link text hashed)",
    )


def test_zero_byte_members(tmp_path: Path) -> None:
    for name, data in [("z.zip", zip_bytes([("e", b"")])), ("z.tar", tar_bytes([("e", b"")]))]:
        (member,) = items_of(tmp_path / name, data)[1:]
        assert member.size == 0 and member.error is None and content(member) == b""


# --- damaged archives ----------------------------------------------------------------------


def _set_zip_field(data: bytes, local_off: int, central_off: int, fmt: str, value: int) -> bytes:
    """Patch one field of the (single) member in both its local and central headers."""
    out = bytearray(data)
    cd_offset = struct.unpack_from("<L", data, data.rfind(b"PK\x05\x06") + 16)[0]
    struct.pack_into(fmt, out, local_off, value)
    struct.pack_into(fmt, out, cd_offset + central_off, value)
    return bytes(out)


def test_encrypted_zip_member(tmp_path: Path) -> None:
    data = _set_zip_field(zip_bytes([("secret.jpg", b"s" * 50)]), 6, 8, "<H", 0x1)
    (member,) = items_of(tmp_path / "enc.zip", data)[1:]
    assert member.error == "encrypted zip member; content not read"


def test_unsupported_zip_compression(tmp_path: Path) -> None:
    data = zip_bytes([("d64.jpg", b"d" * 50)], zipfile.ZIP_STORED)
    data = _set_zip_field(data, 8, 10, "<H", 9)  # deflate64
    (member,) = items_of(tmp_path / "d64.zip", data)[1:]
    assert member.error == "unsupported zip compression method 9; content not read"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("cut.zip", zip_bytes(MEMBERS)[:-30], "corrupt zip"),
        ("garbage.zip", b"PK\x03\x04" + b"\x00" * 300, "corrupt zip"),
        ("cut.tar", tar_bytes([("big", b"b" * 5000)])[:2048], "truncated"),
        (
            "cut.tar.gz",
            tar_bytes([("big", random.Random(0).randbytes(20000))], "w:gz")[:9000],
            "truncated",
        ),
        ("noend.tar", tar_bytes([("a", b"a")])[:1024], "truncated tar: no end-of-archive marker"),
        ("junk.tar", tar_bytes([("a", b"a")])[:1024] + b"junk" * 128, "corrupt tar"),
    ],
)
def test_corrupt_archives_give_error_items_after_the_disk_file(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    items = items_of(tmp_path / name, data)
    assert items[0].path == name and items[0].error is None and content(items[0]) == data
    errors = [i.error for i in items[1:] if i.error is not None]
    assert errors and any(expected in e for e in errors), errors


def test_bad_crc_is_an_error_item(tmp_path: Path) -> None:
    data = _set_zip_field(zip_bytes([("x.jpg", b"x" * 50)]), 14, 16, "<L", 12345)
    (member,) = items_of(tmp_path / "crc.zip", data)[1:]
    assert member.error is not None and "CRC" in member.error


def test_walk_goes_on_after_a_corrupt_archive(tmp_path: Path) -> None:
    (tmp_path / "a_bad.zip").write_bytes(zip_bytes(MEMBERS)[:-30])
    (tmp_path / "b_good.tar").write_bytes(tar_bytes([("ok.jpg", b"ok")]))
    paths = [i.path for f in iter_disk_files([tmp_path]) for i in iter_items(f)]
    assert paths[0].endswith("a_bad.zip") and paths[1].endswith("a_bad.zip!")
    assert [p.rsplit("/", 1)[-1] for p in paths[2:]] == ["b_good.tar", "b_good.tar!ok.jpg"]
