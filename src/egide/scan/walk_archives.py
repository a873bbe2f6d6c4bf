"""Members of zip and tar archives, read one at a time into memory under hard limits.

Nothing is extracted to disk. Every decompressed byte goes through a meter, so a bomb is
stopped by counting what was actually produced, never by trusting a declared size. Parser
failures of any kind become error items: a hostile or damaged archive must not end the scan.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import stat
import struct
import tarfile
import zipfile
from collections.abc import Iterator
from typing import IO, Literal, Protocol, cast

from egide.scan.walk_names import sanitise_member_name
from egide.scan.walk_types import Item, WalkLimits

_CHUNK = 1 << 20
_BLOCK = tarfile.BLOCKSIZE
Compression = Literal["gz", "bz2", "xz"]
_MAGICS: tuple[tuple[bytes, Compression], ...] = (
    (b"\x1f\x8b", "gz"),
    (b"BZh", "bz2"),
    (b"\xfd7zXZ\x00", "xz"),
)


class _Source(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...
    def seek(self, offset: int, whence: int = ..., /) -> int: ...
    def tell(self) -> int: ...


class _BudgetExceeded(Exception):
    """The top-level file's ``max_archive_bytes`` is spent; not an OSError so parsers pass it on."""


class _LimitError(Exception):
    """One member broke a per-member limit; the message names the limit and the numbers."""


class WalkState:
    """Counters shared by every archive nested in one top-level disk file."""

    def __init__(self, limits: WalkLimits) -> None:
        self.limits = limits
        self.used = 0
        self.members = 0
        self.stopped = False

    @property
    def remaining(self) -> int:
        return max(0, self.limits.max_archive_bytes - self.used)

    def charge(self, n: int) -> None:
        """Count ``n`` decompressed bytes; past the limit the budget is spent for good."""
        if self.used + n > self.limits.max_archive_bytes:
            self.used = self.limits.max_archive_bytes
            raise _BudgetExceeded
        self.used += n

    def budget_message(self) -> str:
        return f"max_archive_bytes {self.limits.max_archive_bytes} reached"


class _Meter(io.RawIOBase):
    """Counts (and optionally charges) the bytes read through it.

    With ``forward_only`` (over a decompressor) a forward seek is done by reading, so skipping
    a member of a ``.tar.gz`` is charged like reading it: that is the real work.
    """

    def __init__(self, inner: _Source, state: WalkState | None, forward_only: bool) -> None:
        super().__init__()
        self._inner = inner
        self._state = state
        self._forward_only = forward_only
        self._pos = 0 if forward_only else inner.tell()
        self.count = 0
        self.last = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def read(self, size: int | None = -1, /) -> bytes:
        data = self._inner.read(-1 if size is None else size)
        if self._state is not None:
            self._state.charge(len(data))
        self.count += len(data)
        self._pos += len(data)
        self.last = data
        return data

    def readinto(self, buffer: memoryview | bytearray, /) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET, /) -> int:
        if not self._forward_only:
            self._pos = self._inner.seek(offset, whence)
            return self._pos
        target = offset if whence == io.SEEK_SET else self._pos + offset
        if whence not in (io.SEEK_SET, io.SEEK_CUR) or target < self._pos:
            raise OSError("backward or end-relative seek in a compressed stream")
        while self._pos < target:
            if not self.read(min(_CHUNK, target - self._pos)):
                break
        return self._pos


def _decompressor(comp: Compression, raw: _Source) -> _Source:
    fileobj = cast(IO[bytes], raw)
    if comp == "gz":
        return gzip.GzipFile(fileobj=fileobj, mode="rb")
    if comp == "bz2":
        return bz2.BZ2File(fileobj)
    return lzma.LZMAFile(fileobj)


def _is_tar_header(block: bytes) -> bool:
    if len(block) < _BLOCK:
        return False
    try:
        tarfile.TarInfo.frombuf(block[:_BLOCK], "utf-8", "surrogateescape")
    except tarfile.HeaderError:
        return False
    return True


def detect(src: _Source) -> Literal["zip", "tar"] | Compression | None:
    """Archive kind by content: ``zip``, ``tar``, a compressed tar's compression, or None.

    The tar header is tested before the end-of-central-directory search because a tar whose
    last member is a zip ends with that zip's directory; a zip local header at offset 0 can
    never pass the tar checksum, so its order does not matter.
    """
    src.seek(0)
    head = src.read(_BLOCK)
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if _is_tar_header(head):
        return "tar"
    for magic, comp in _MAGICS:
        if head.startswith(magic):
            src.seek(0)
            try:
                block = _decompressor(comp, src).read(_BLOCK)
            except Exception:
                return None
            return comp if _is_tar_header(block) else None
    try:
        return "zip" if zipfile.is_zipfile(cast(IO[bytes], src)) else None
    except Exception:
        return None


_EOCD = struct.Struct("<4s4H2LH")
_Z64_LOCATOR = struct.Struct("<4sLQL")
_Z64_EOCD = struct.Struct("<4sQ2H2L4Q")


def _zip_declared_entries(src: _Source) -> int | None:
    """Entry count from the end-of-central-directory, read before zipfile loads every entry."""
    end = src.seek(0, io.SEEK_END)
    start = max(0, end - (1 << 16) - _EOCD.size)
    src.seek(start)
    tail = src.read()
    i = tail.rfind(b"PK\x05\x06")
    if i < 0 or len(tail) - i < _EOCD.size:
        return None
    entries = int(_EOCD.unpack_from(tail, i)[4])
    if entries != 0xFFFF:
        return entries
    j = i - _Z64_LOCATOR.size
    if j < 0 or tail[j : j + 4] != b"PK\x06\x07":
        return None
    src.seek(int(_Z64_LOCATOR.unpack_from(tail, j)[2]))
    rec = src.read(_Z64_EOCD.size)
    if len(rec) != _Z64_EOCD.size or rec[:4] != b"PK\x06\x06":
        return None
    return int(_Z64_EOCD.unpack(rec)[7])


def _read_capped(
    stream: _Source, counter: _Meter, state: WalkState, charge: bool, declared: int | None
) -> bytes:
    """Read one member, stopping as soon as a limit is crossed (never past ``cap + 1`` bytes)."""
    limits = state.limits
    cap = limits.max_member_bytes
    start_in = counter.count
    out = io.BytesIO()
    total = 0
    while True:
        chunk = stream.read(min(_CHUNK, cap + 1 - total))
        if not chunk:
            return out.getvalue()
        if charge:
            state.charge(len(chunk))
        out.write(chunk)
        total += len(chunk)
        if total > cap:
            raise _LimitError(
                f"member exceeds max_member_bytes {cap} (more than {cap} bytes when read,"
                f" declared {declared}); content not read"
            )
        consumed = max(1, counter.count - start_in)
        if total >= limits.min_ratio_bytes and total > limits.max_ratio * consumed:
            raise _LimitError(
                f"compression ratio over max_ratio {limits.max_ratio:g} ({total} bytes from"
                f" {consumed} compressed); content not read"
            )


def _precheck(state: WalkState, size: int, compressed: int | None) -> str | None:
    """Refusal, before reading, from the declared sizes (a lie only makes us read less)."""
    limits = state.limits
    if size > limits.max_member_bytes:
        return (
            f"declared size {size} exceeds max_member_bytes {limits.max_member_bytes};"
            " content not read"
        )
    if compressed is not None and size >= limits.min_ratio_bytes:
        ratio = size / max(1, compressed)
        if ratio > limits.max_ratio:
            return (
                f"declared compression ratio {ratio:.0f} ({size}/{compressed}) exceeds"
                f" max_ratio {limits.max_ratio:g}; content not read"
            )
    if size > state.remaining:
        return (
            f"member of {size} bytes would push the archive total over max_archive_bytes"
            f" {limits.max_archive_bytes} ({state.used} already read); content not read"
        )
    return None


def _error(path: str, message: str, depth: int, size: int | None = None) -> Item:
    return Item(path=path, size=size, error=message, depth=depth)


def walk_archive(src: _Source, path: str, depth: int, state: WalkState) -> Iterator[Item]:
    """Members (and their members) of ``src`` if it is an archive; ``depth`` is its own."""
    kind = detect(src)
    if kind is None:
        return
    if depth + 1 > state.limits.max_depth:
        yield _error(
            f"{path}!",
            f"archive nested deeper than max_depth {state.limits.max_depth}; members not walked",
            depth + 1,
        )
        return
    if kind == "zip":
        yield from _walk_zip(src, path, depth + 1, state)
    else:
        yield from _walk_tar(src, None if kind == "tar" else kind, path, depth + 1, state)


def _count_member(state: WalkState, path: str, depth: int) -> Item | None:
    state.members += 1
    if state.members <= state.limits.max_members:
        return None
    state.stopped = True
    return _error(
        f"{path}!",
        f"more than max_members {state.limits.max_members} archive members in this file;"
        " walk stopped",
        depth,
    )


def _member_item(path: str, name: str, depth: int, data: bytes, warnings: list[str]) -> Item:
    return Item(
        path=f"{path}!{name}", size=len(data), warnings=tuple(warnings), depth=depth, _data=data
    )


def _then_nested(item: Item, state: WalkState) -> Iterator[Item]:
    """Yield a member, then walk it if it is itself an archive (its bytes are in memory)."""
    yield item
    if item._data is not None and not state.stopped:
        yield from walk_archive(io.BytesIO(item._data), item.path, item.depth, state)


def _walk_zip(src: _Source, path: str, depth: int, state: WalkState) -> Iterator[Item]:
    try:
        declared = _zip_declared_entries(src)
    except Exception:
        declared = None
    if declared is not None and declared > state.limits.max_members - state.members:
        state.stopped = True
        yield _error(
            f"{path}!",
            f"zip declares {declared} entries, more than max_members {state.limits.max_members}"
            " archive members in this file; not walked",
            depth,
        )
        return
    src.seek(0)
    raw = _Meter(src, None, forward_only=False)
    try:
        zf = zipfile.ZipFile(cast(IO[bytes], raw))
    except Exception as exc:
        yield _error(f"{path}!", f"corrupt zip: {exc}", depth)
        return
    with zf:
        for info in zf.infolist():
            stop = _count_member(state, path, depth)
            if stop is not None:
                yield stop
                return
            if info.is_dir():
                continue
            yield from _zip_member(zf, info, raw, path, depth, state)
            if state.stopped:
                return


def _zip_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    raw: _Meter,
    path: str,
    depth: int,
    state: WalkState,
) -> Iterator[Item]:
    name, warning = sanitise_member_name(info.orig_filename)
    warnings = [warning] if warning else []
    mpath = f"{path}!{name}"
    if info.flag_bits & 0x1:
        yield _error(mpath, "encrypted zip member; content not read", depth, info.file_size)
        return
    refusal = _precheck(state, info.file_size, info.compress_size)
    if refusal is not None:
        yield _error(mpath, refusal, depth, info.file_size)
        return
    try:
        with zf.open(info) as member:
            data = _read_capped(member, raw, state, True, info.file_size)
    except NotImplementedError:
        yield _error(
            mpath,
            f"unsupported zip compression method {info.compress_type}; content not read",
            depth,
            info.file_size,
        )
        return
    except _LimitError as exc:
        yield _error(mpath, str(exc), depth, info.file_size)
        return
    except _BudgetExceeded:
        state.stopped = True
        yield _error(
            mpath,
            f"{state.budget_message()} while reading this member; content not read; walk stopped",
            depth,
            info.file_size,
        )
        return
    except Exception as exc:
        yield _error(mpath, f"cannot read zip member: {exc}", depth, info.file_size)
        return
    if info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16):
        target = data.decode("utf-8", "replace")
        warnings.append(f"zip symlink member -> {target!r}, not followed (link text hashed)")
    yield from _then_nested(_member_item(path, name, depth, data, warnings), state)


def _open_tar(
    src: _Source, comp: Compression | None, state: WalkState
) -> tuple[tarfile.TarFile, _Meter, _Meter]:
    src.seek(0)
    if comp is None:
        stream = _Meter(src, state, forward_only=False)
        raw = stream
    else:
        raw = _Meter(src, None, forward_only=False)
        stream = _Meter(_decompressor(comp, raw), state, forward_only=True)
    tf = tarfile.open(fileobj=cast(IO[bytes], stream), mode="r:")  # noqa: SIM115 - caller closes
    return tf, stream, raw


_TAR_OPEN_ERRORS = (tarfile.TarError, EOFError, OSError, ValueError, lzma.LZMAError)


def _walk_tar(
    src: _Source, comp: Compression | None, path: str, depth: int, state: WalkState
) -> Iterator[Item]:
    try:
        tf, stream, raw = _open_tar(src, comp, state)
    except _BudgetExceeded:
        state.stopped = True
        yield _error(f"{path}!", f"{state.budget_message()}; walk stopped", depth)
        return
    except Exception as exc:
        yield _error(f"{path}!", f"corrupt or truncated tar: {exc}", depth)
        return
    with tf:
        while True:
            try:
                info = tf.next()
            except _BudgetExceeded:
                state.stopped = True
                yield _error(f"{path}!", f"{state.budget_message()}; walk stopped", depth)
                return
            except Exception as exc:
                yield _error(f"{path}!", f"corrupt or truncated tar: {exc}", depth)
                return
            if info is None:
                problem = _tar_end_problem(stream.last, tf.offset)
                if problem is not None:
                    yield _error(f"{path}!", problem, depth)
                return
            # tarfile keeps every header otherwise: memory for 10^6 members.
            tf.members.clear()  # type: ignore[attr-defined]
            stop = _count_member(state, path, depth)
            if stop is not None:
                yield stop
                return
            if info.isdir():
                continue
            yield from _tar_member(tf, info, raw, path, depth, state)
            if state.stopped:
                return


def _tar_end_problem(last: bytes, offset: int) -> str | None:
    """Why a tar ended early: tarfile silently stops on a short or garbled header block."""
    if len(last) < _BLOCK:
        return f"truncated tar: no end-of-archive marker at offset {offset}"
    if last.count(0) != _BLOCK:
        return f"corrupt tar: invalid header at offset {offset}; rest of the archive not read"
    return None


def _tar_member(
    tf: tarfile.TarFile,
    info: tarfile.TarInfo,
    raw: _Meter,
    path: str,
    depth: int,
    state: WalkState,
) -> Iterator[Item]:
    name, warning = sanitise_member_name(info.name)
    warnings = [warning] if warning else []
    mpath = f"{path}!{name}"
    if info.issym() or info.islnk():
        kind = "symlink" if info.issym() else "hardlink"
        yield Item(
            path=mpath,
            size=None,
            error=f"tar {kind} member -> {info.linkname!r}, not followed",
            warnings=tuple(warnings),
            depth=depth,
        )
        return
    if not info.isreg() and (info.ischr() or info.isblk() or info.isfifo()):
        kind = "character device" if info.ischr() else "block device" if info.isblk() else "fifo"
        yield Item(
            path=mpath,
            size=None,
            error=f"tar {kind} member, no content",
            warnings=tuple(warnings),
            depth=depth,
        )
        return
    refusal = _precheck(state, info.size, None)
    if refusal is not None:
        yield _error(mpath, refusal, depth, info.size)
        return
    try:
        member = tf.extractfile(info)
        if member is None:
            yield _error(mpath, f"tar member of type {info.type!r} has no content", depth)
            return
        with member:
            data = _read_capped(member, raw, state, False, info.size)
    except _LimitError as exc:
        yield _error(mpath, str(exc), depth, info.size)
        return
    except _BudgetExceeded:
        state.stopped = True
        yield _error(
            mpath,
            f"{state.budget_message()} while reading this member; content not read; walk stopped",
            depth,
            info.size,
        )
        return
    except Exception as exc:
        yield _error(
            mpath, f"cannot read tar member (truncated or corrupt): {exc}", depth, info.size
        )
        return
    yield from _then_nested(_member_item(path, name, depth, data, warnings), state)
