"""Disk level of the walker: order, display paths, links, loops, special and vanished files."""

from __future__ import annotations

import os
import signal
import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from egide.scan.walk import DiskFile, UnreadableItemError, iter_disk_files, iter_items


def _write(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _displays(roots: list[Path]) -> list[str]:
    return [f.display for f in iter_disk_files(roots)]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from tmp_path so roots can be given as short relative paths, as a user would."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_depth_first_byte_order_and_display_as_given(in_tmp: Path) -> None:
    for name in ["case/c", "case/b/y", "case/b/x", "case/a", "case/B", "case/b/z/1"]:
        _write(in_tmp / name)
    assert _displays([Path("case")]) == [
        "case/B",
        "case/a",
        "case/b/x",
        "case/b/y",
        "case/b/z/1",
        "case/c",
    ]
    # Trailing slash is normalised; absolute roots stay absolute; roots keep the given order.
    assert _displays([Path("case/b/z/"), Path("case/a")]) == ["case/b/z/1", "case/a"]
    assert _displays([in_tmp / "case" / "c"]) == [str(in_tmp / "case" / "c")]


def test_walk_is_deterministic(tmp_path: Path) -> None:
    for i in range(30):
        _write(tmp_path / f"d{i % 4}" / f"f{i}")
    first = list(iter_disk_files([tmp_path]))
    assert first == list(iter_disk_files([tmp_path]))
    assert len(first) == 30 and all(f.error is None for f in first)


def test_symlink_loop_reported_once_and_walk_continues(in_tmp: Path) -> None:
    _write(in_tmp / "case/dir/a.jpg")
    _write(in_tmp / "case/dir/z.jpg")
    os.symlink("../dir", in_tmp / "case/dir/link")
    files = list(iter_disk_files([Path("case")]))
    assert [f.display for f in files] == ["case/dir/a.jpg", "case/dir/link", "case/dir/z.jpg"]
    loop = files[1]
    assert loop.error is not None and loop.error.startswith("symlink loop: case/dir/link -> ")


def test_self_referencing_symlink_is_a_loop(tmp_path: Path) -> None:
    os.symlink("me", tmp_path / "me")
    _write(tmp_path / "next")
    files = list(iter_disk_files([tmp_path]))
    assert files[0].error is not None and files[0].error.startswith("symlink loop")
    assert files[1].error is None


def test_symlinked_files_and_dirs_are_followed_with_link_path(in_tmp: Path) -> None:
    _write(in_tmp / "elsewhere/photo.jpg", b"photo")
    _write(in_tmp / "elsewhere/sub/deep.jpg", b"deep")
    (in_tmp / "case").mkdir()
    os.symlink(in_tmp / "elsewhere/photo.jpg", in_tmp / "case/flink.jpg")
    os.symlink(in_tmp / "elsewhere/sub", in_tmp / "case/dlink")
    files = list(iter_disk_files([Path("case")]))
    assert [f.display for f in files] == ["case/dlink/deep.jpg", "case/flink.jpg"]
    items = list(iter_items(files[1]))
    assert items[0].path == "case/flink.jpg"
    with items[0].open() as stream:
        assert stream.read() == b"photo"


def test_two_links_to_the_same_dir_are_not_a_loop(tmp_path: Path) -> None:
    _write(tmp_path / "real/x")
    os.symlink("real", tmp_path / "l1")
    os.symlink("real", tmp_path / "l2")
    files = list(iter_disk_files([tmp_path]))
    assert [f.error for f in files] == [None, None, None]


def test_broken_symlink(tmp_path: Path) -> None:
    os.symlink("nowhere.jpg", tmp_path / "broken.jpg")
    (f,) = iter_disk_files([tmp_path])
    assert f.error == "broken symlink -> nowhere.jpg"
    (item,) = iter_items(f)
    assert item.error == f.error and item.size is None
    with pytest.raises(UnreadableItemError):
        item.open()


def test_missing_root(tmp_path: Path) -> None:
    (f,) = iter_disk_files([tmp_path / "absent"])
    assert f.error is not None and "no such file" in f.error


class _Alarm(Exception):
    pass


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail (instead of hanging the suite) if something opens a fifo in blocking mode."""

    def _raise(signum: int, frame: object) -> None:
        raise _Alarm

    old = signal.signal(signal.SIGALRM, _raise)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_fifo_is_reported_and_never_opened(tmp_path: Path, no_hang: None) -> None:
    os.mkfifo(tmp_path / "pipe")
    _write(tmp_path / "z.jpg")
    files = list(iter_disk_files([tmp_path]))
    assert files[0].error == "not a regular file (fifo)"
    assert files[1].error is None
    # Even handed a fifo without an error (it was swapped in after listing), nothing blocks.
    (item,) = iter_items(DiskFile(tmp_path / "pipe", "pipe", None))
    assert item.error == "not a regular file (fifo)"


def test_socket_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # AF_UNIX paths are short
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind("sock")
        (f,) = iter_disk_files([Path(".")])
    assert f.display == "./sock" and f.error == "not a regular file (socket)"


def test_device_is_reported(tmp_path: Path) -> None:
    try:
        os.mknod(tmp_path / "null", stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except OSError:
        pytest.skip("mknod not permitted here")
    (f,) = iter_disk_files([tmp_path])
    assert f.error == "not a regular file (character device)"


def test_unreadable_directory_is_reported_and_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path / "a/secret.jpg")
    _write(tmp_path / "b/ok.jpg")
    real_scandir = os.scandir
    denied = tmp_path / "a"

    def scandir(path: Path) -> object:  # tests run as root: chmod would not stop us
        if Path(path) == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files = list(iter_disk_files([tmp_path]))
    assert [(Path(f.path).name, f.error) for f in files] == [
        ("a", "permission denied reading directory"),
        ("ok.jpg", None),
    ]


def test_zero_byte_file_is_an_item(tmp_path: Path) -> None:
    (f,) = iter_disk_files([_write(tmp_path / "empty", b"")])
    (item,) = iter_items(f)
    assert item.size == 0 and item.error is None and item.depth == 0
    with item.open() as stream:
        assert stream.read() == b""


def test_file_removed_between_listing_and_opening(tmp_path: Path) -> None:
    (f,) = iter_disk_files([_write(tmp_path / "gone.jpg")])
    (tmp_path / "gone.jpg").unlink()
    (item,) = iter_items(f)
    assert item.error is not None and "no such file" in item.error


def test_directory_where_a_file_is_expected(tmp_path: Path) -> None:
    (f,) = iter_disk_files([_write(tmp_path / "x.jpg")])
    (tmp_path / "x.jpg").unlink()
    (tmp_path / "x.jpg").mkdir()
    (item,) = iter_items(f)
    assert item.error == "not a regular file (directory)"


def test_plain_file_yields_only_itself(tmp_path: Path) -> None:
    (f,) = iter_disk_files([_write(tmp_path / "notes.zip", b"not really a zip" * 100)])
    (item,) = iter_items(f)
    assert item.path == f.display and item.size == 1600 and item.warnings == ()
    with item.open() as stream:
        assert stream.read() == b"not really a zip" * 100
