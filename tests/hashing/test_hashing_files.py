"""hash_file / hash_stream / hash_bytes: formats, kinds, crypto digests and every error path."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from skimage import data as skimage_data

from egide.hashing import (
    FileHashes,
    HashOptions,
    crypto,
    hash_bytes,
    hash_file,
    hash_stream,
    pdq_hash,
)
from egide.hashing.sniff import sniff_kind
from tests.hashing.hashing_testutil import hamming


def _photo(size: tuple[int, int] = (480, 360)) -> Image.Image:
    """A natural photo (scikit-image's cat) at ``size`` with a little seeded noise.

    Synthetic gradients make poor PDQ fixtures: their DCT coefficients tie at the median, so
    one grey level flips dozens of bits.
    """
    image = Image.fromarray(skimage_data.chelsea()).resize(size, Image.Resampling.BICUBIC)
    noise = np.random.default_rng(7).integers(-4, 5, (size[1], size[0], 1))
    return Image.fromarray(np.clip(np.asarray(image) + noise, 0, 255).astype(np.uint8))


def _encoded(fmt: str, image: Image.Image, **kw: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **kw)
    return buf.getvalue()


# ---------------------------------------------------------------- formats


@pytest.mark.parametrize(
    "fmt,suffix,expected",
    [
        ("JPEG", ".jpg", "JPEG"),
        ("PNG", ".png", "PNG"),
        ("WEBP", ".webp", "WEBP"),
        ("BMP", ".bmp", "BMP"),
        ("TIFF", ".tiff", "TIFF"),
        ("HEIF", ".heic", "HEIF"),
        ("AVIF", ".avif", "AVIF"),
        ("GIF", ".gif", "GIF"),
    ],
)
def test_supported_formats(tmp_path: Path, fmt: str, suffix: str, expected: str) -> None:
    image = _photo()
    lossless = fmt in ("PNG", "BMP", "TIFF")
    data = _encoded(fmt, image, **({} if lossless or fmt == "GIF" else {"quality": 95}))
    path = tmp_path / f"x{suffix}"
    path.write_bytes(data)
    record = hash_file(path)
    assert record.error is None, record.error
    assert (record.kind, record.format, record.width, record.height) == (
        "image",
        expected,
        480,
        360,
    )
    assert record.pdq is not None and len(record.pdq) == 64 and record.pdq == record.pdq.lower()
    assert 0 <= (record.pdq_quality or 0) <= 100
    # same pixels as the reference pipeline decodes them, within a few bits
    assert hamming(record.pdq, pdq_hash(Image.open(io.BytesIO(data)))[0]) <= 4
    if lossless:
        assert record.pdq == pdq_hash(image)[0]


def test_heic_with_mif1_major_brand_is_heif(tmp_path: Path) -> None:
    data = bytearray(_encoded("HEIF", _photo(), quality=90))
    assert data[4:8] == b"ftyp"
    data[8:12] = b"mif1"
    record = hash_bytes(bytes(data), "x.heic")
    assert record.kind == "image" and record.format == "HEIF" and record.pdq, record.error


def test_gif_first_frame(tmp_path: Path) -> None:
    first, second = _photo(), _photo().transpose(Image.Transpose.ROTATE_180)
    path = tmp_path / "anim.gif"
    first.save(path, save_all=True, append_images=[second], duration=100)
    record = hash_file(path)
    expected = pdq_hash(Image.open(path))[0]  # Pillow opens on frame 0
    assert record.pdq is not None and hamming(record.pdq, expected) <= 4
    im = Image.open(path)
    im.seek(1)
    assert hamming(record.pdq, pdq_hash(im)[0]) > 40


def test_large_png_reduced_path_is_faithful(tmp_path: Path) -> None:
    image = _photo((2000, 1500))
    path = tmp_path / "big.png"
    image.save(path, compress_level=1)
    fast, naive = hash_file(path), hash_file(path, HashOptions(fast=False))
    assert fast.pdq and naive.pdq and hamming(fast.pdq, naive.pdq) <= 4


# ---------------------------------------------------------------- kinds


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


@pytest.mark.parametrize(
    "head,kind",
    [
        (_box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41"), "video"),
        (_box(b"ftyp", b"qt  \x00\x00\x02\x00qt  "), "video"),
        (_box(b"ftyp", b"3gp4\x00\x00\x00\x00isom3gp4"), "video"),
        (_box(b"ftyp", b"heic\x00\x00\x00\x00mif1heic"), "image"),
        (_box(b"ftyp", b"heix\x00\x00\x00\x00mif1heix"), "image"),
        (_box(b"ftyp", b"mif1\x00\x00\x00\x00mif1heic"), "image"),
        (_box(b"ftyp", b"msf1\x00\x00\x00\x00msf1hevc"), "image"),
        (_box(b"ftyp", b"avif\x00\x00\x00\x00avifmif1"), "image"),
        (_box(b"ftyp", b"M4A \x00\x00\x00\x00M4A isom"), "other"),
        (_box(b"moov", b"\x00" * 16), "video"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01webm", "video"),
        (b"RIFF\x00\x10\x00\x00AVI LIST", "video"),
        (b"RIFF\x00\x10\x00\x00WAVEfmt ", "other"),
        (b"FLV\x01\x05\x00\x00\x00\x09", "video"),
        ((b"\x47" + b"\x00" * 187) * 4, "video"),
        ((b"\x00\x00\x00\x00\x47" + b"\x00" * 187) * 4, "video"),
        (b"\x00\x00\x01\xba\x44\x00\x04\x00", "video"),
        (bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c") + b"\x00" * 8, "video"),
        (b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x2a" + b"\x80theora" + b"\x00" * 34, "video"),
        (b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x1e" + b"\x01vorbis" + b"\x00" * 23, "other"),
        (b"ID3\x03\x00\x00\x00", "other"),
        (b"%PDF-1.7\n", "other"),
        (b"", "other"),
    ],
)
def test_sniff_kind(head: bytes, kind: str) -> None:
    assert sniff_kind(head) == kind
    record = hash_bytes(head, "clip.bin")
    assert record.kind == kind
    if kind == "video":  # a container header alone: digests kept, frames cannot be decoded
        assert record.pdq is None and record.md5 is not None
        assert record.error is not None
        assert record.error.startswith(("cannot open as a video", "no video stream"))


def test_sample_video_is_video() -> None:
    clip = Path("/work/shared/testdata/threatexchange/tmk/sample-videos/chair-19-sd-bar.mp4")
    if not clip.exists():
        pytest.skip("sample video not present")
    record = hash_file(clip)
    assert record.kind == "video" and record.md5 == "0a21c8f85a55a9e276ffc2c53f6887c4"


# ---------------------------------------------------------------- errors


def test_truncated_jpeg(tmp_path: Path) -> None:
    data = _encoded("JPEG", _photo(), quality=90)
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 2])
    record = hash_file(path)
    assert record.kind == "image" and record.pdq is None
    assert record.error and record.error.startswith("image is truncated or corrupt:")
    assert record.sha256 == hashlib.sha256(data[: len(data) // 2]).hexdigest()


def test_corrupt_bytes_behind_image_magic() -> None:
    record = hash_bytes(b"\xff\xd8\xff\xe0" + os.urandom(2000), "x.jpg")
    assert record.kind == "image" and record.error
    assert record.error.startswith("image is truncated or corrupt:")


def test_random_bytes_with_image_extension() -> None:
    record = hash_bytes(b"not an image at all" * 10, "holiday.jpg")
    assert record.kind == "other" and record.md5
    assert record.error == (
        "content is not a recognised image format although the name ends in .jpg"
    )


def _png_header(width: int, height: int) -> bytes:
    """A PNG signature, IHDR and the start of an IDAT: enough for Pillow to read the size."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", 64)
        + b"IDAT"
    )


@pytest.mark.parametrize("size", [(20000, 20000), (100000, 100000)])
def test_decompression_bomb_header(size: tuple[int, int]) -> None:
    record = hash_bytes(_png_header(*size) + b"\x00" * 64, "bomb.png")
    pixels = size[0] * size[1]
    assert record.kind == "image" and record.pdq is None and record.md5
    assert record.error is not None and f"image has {pixels} pixels" in record.error
    assert "decompression bomb" in record.error


def test_configured_pixel_limit() -> None:
    data = _encoded("PNG", _photo())
    record = hash_bytes(data, "x.png", HashOptions(max_image_pixels=100_000))
    assert record.error == (
        "image has 172800 pixels, above the limit of 100000 (decompression bomb?)"
    )
    assert hash_bytes(data, "x.png", HashOptions(max_image_pixels=172_800)).pdq


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.touch()
    record = hash_file(path)
    assert record == FileHashes(
        path=str(path),
        size=0,
        md5=hashlib.md5(b"").hexdigest(),
        sha1=hashlib.sha1(b"").hexdigest(),
        sha256=hashlib.sha256(b"").hexdigest(),
        kind="other",
    )


def test_unreadable_paths(tmp_path: Path) -> None:
    # Tests run as root, which reads chmod-000 files anyway: a directory and a vanished path
    # exercise the same "cannot be opened" branch.
    for path in (tmp_path, tmp_path / "vanished.jpg"):
        record = hash_file(path)
        assert record.size == 0 and record.md5 is None and record.pdq is None
        assert record.error and record.error.startswith("cannot read file:")


def test_read_error_mid_stream() -> None:
    class Failing(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
            raise OSError(5, "Input/output error")

    record = hash_stream(Failing(), "disk.img")  # type: ignore[arg-type]
    assert record.md5 is None and record.error == "cannot read file: Input/output error (errno 5)"


def test_non_image_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    record = hash_file(path)
    assert record.kind == "other" and record.error is None and record.pdq is None
    assert record.to_json_dict() == {
        "path": str(path),
        "size": 6,
        "md5": hashlib.md5(b"hello\n").hexdigest(),
        "sha1": hashlib.sha1(b"hello\n").hexdigest(),
        "sha256": hashlib.sha256(b"hello\n").hexdigest(),
        "kind": "other",
    }


def test_huge_sparse_file_streams_in_constant_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 3 GB sparse file; reads are counted instead of timed, so the test stays fast by
    # stopping early: the point is that no read asks for more than one chunk.
    path = tmp_path / "huge.bin"
    with path.open("wb") as fh:
        fh.truncate(3 * 1024**3)
    biggest = 0
    real_update = crypto.Digests.update

    def spy(self: crypto.Digests, data: bytes) -> None:
        nonlocal biggest
        biggest = max(biggest, len(data))
        if self.size > 64 * crypto.CHUNK_SIZE:
            raise OSError(4, "stopped by test")
        real_update(self, data)

    monkeypatch.setattr(crypto.Digests, "update", spy)
    record = hash_file(path)
    assert record.error == "cannot read file: stopped by test (errno 4)"
    assert 0 < biggest <= crypto.CHUNK_SIZE


def test_small_chunks_give_same_digests(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _encoded("JPEG", _photo(), quality=80)
    reference = hash_bytes(data, "x.jpg")
    monkeypatch.setattr(crypto, "CHUNK_SIZE", 7)
    assert hash_bytes(data, "x.jpg") == reference


def test_non_seekable_stream_with_image() -> None:
    data = _encoded("PNG", _photo())

    class Pipe(io.RawIOBase):
        def __init__(self) -> None:
            self._src = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def seekable(self) -> bool:
            return False

        def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
            chunk = self._src.read(min(len(b), 1000))  # short reads
            b[: len(chunk)] = chunk
            return len(chunk)

    record = hash_stream(Pipe(), "pipe.png")  # type: ignore[arg-type]
    assert record == hash_bytes(data, "pipe.png")
    assert record.pdq is not None


def test_dihedral_option_and_json() -> None:
    record = hash_bytes(_encoded("JPEG", _photo(), quality=90), "x.jpg", HashOptions(dihedral=True))
    assert record.pdq_dihedral and len(record.pdq_dihedral) == 8
    line = json.loads(json.dumps(record.to_json_dict()))
    assert line["pdq_dihedral"][0] == line["pdq"] and "error" not in line


# ---------------------------------------------------------------- property


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=4096),
        st.builds(
            lambda head, tail: head + tail,
            st.sampled_from([b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"BM"]),
            st.binary(max_size=512),
        ),
    )
)
def test_hash_bytes_agrees_with_hash_file(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "blob.jpg"
    path.write_bytes(data)
    from_file, from_bytes = hash_file(path), hash_bytes(data, str(path))
    assert from_file == from_bytes
    assert from_bytes.size == len(data)
    assert from_bytes.md5 == hashlib.md5(data).hexdigest()
    assert from_bytes.sha1 == hashlib.sha1(data).hexdigest()
    assert from_bytes.sha256 == hashlib.sha256(data).hexdigest()
