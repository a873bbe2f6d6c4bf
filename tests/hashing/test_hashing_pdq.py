"""PDQ values: reference vectors, equality with pdqhash, orientation, dihedral variants."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pdqhash
import pytest
from PIL import Image, ImageOps

from egide.hashing import DIHEDRAL_ORDER, HashOptions, hash_file, pdq_dihedral, pdq_hash
from egide.hashing.pdq import bits_to_hex
from tests.hashing.hashing_testutil import DATA, PDQ_DIR, hamming

FAST = HashOptions(fast=True)
NAIVE = HashOptions(fast=False)


def _vectors() -> list[tuple[Path, str]]:
    table = PDQ_DIR / "PDQMD5TestData.csv"
    if not table.exists():
        return []
    rows = []
    with table.open() as fh:
        for row in csv.DictReader(fh):
            rel = row["FilePath"]
            if "/data/" not in rel or len(row["Hash"]) != 64:
                continue  # the two videos carry an MD5, not a PDQ
            rows.append((DATA / rel.split("/data/", 1)[1], row["Hash"]))
    return rows


@pytest.mark.parametrize("path,expected", _vectors(), ids=lambda v: getattr(v, "name", ""))
@pytest.mark.parametrize("options", [FAST, NAIVE], ids=["fast", "naive"])
def test_reference_vectors(path: Path, expected: str, options: HashOptions) -> None:
    if not path.exists():
        pytest.skip(f"{path.name} not in the shared test data")
    record = hash_file(path, options)
    assert record.error is None and record.pdq is not None
    assert hamming(record.pdq, expected) <= 10


def test_hex_is_msb_first() -> None:
    bits = np.zeros(256, dtype=np.int64)
    bits[0] = 1
    bits[255] = 1
    assert bits_to_hex(bits) == "80" + "0" * 60 + "01"


@pytest.mark.parametrize(
    "name",
    [
        "original.jpg",
        "1.png",
        "L.png",
        "LA.png",
        "P.png",
        "RGBA.png",
        "CMYK.jpg",
        "YCbCr.jpg",
        "PA.webp",
        "I.webp",
    ],
)
def test_pdq_hash_equals_pdqhash(data_dir: Path, name: str) -> None:
    image = Image.open(data_dir / "misc-images" / "modes" / name)
    image.load()
    rgb = np.asarray(image.convert("RGB"))
    bits, quality = pdqhash.compute(rgb)
    expected = (bits_to_hex(bits), int(quality))
    assert pdq_hash(image) == expected  # PIL input, any mode
    assert pdq_hash(rgb) == expected  # numpy input
    hashes, dquality = pdqhash.compute_dihedral(rgb)
    assert pdq_dihedral(rgb) == tuple(bits_to_hex(h) for h in hashes)
    assert pdq_dihedral(rgb)[0] == expected[0] and dquality == quality


def test_pdq_hash_rejects_bad_arrays() -> None:
    with pytest.raises(ValueError):
        pdq_hash(np.zeros((8, 8), dtype=np.uint8))  # type: ignore[arg-type]


def test_modes_hash_alike_and_fast_matches_naive(data_dir: Path) -> None:
    base = hash_file(data_dir / "misc-images" / "modes" / "original.jpg").pdq
    assert base is not None
    for path in sorted((data_dir / "misc-images" / "modes").glob("*.*")):
        if path.suffix == ".md":
            continue
        fast, naive = hash_file(path, FAST), hash_file(path, NAIVE)
        assert fast.pdq and naive.pdq, (path.name, fast.error)
        assert hamming(fast.pdq, naive.pdq) <= 4, path.name
        if path.stem not in ("HSV", "LAB", "F", "I", "1"):  # lossy mode round trips
            assert hamming(fast.pdq, base) <= 12, path.name


def test_dihedral_variants_match_transformed_files(data_dir: Path) -> None:
    dih = sorted((data_dir / "reg-test-input" / "dih").glob("*.jpg"))
    original = hash_file(dih[0], HashOptions(dihedral=True))
    assert original.pdq_dihedral is not None and len(original.pdq_dihedral) == 8
    assert original.pdq_dihedral[0] == original.pdq
    assert len(DIHEDRAL_ORDER) == 8
    for index, path in enumerate(dih):  # files are named in DIHEDRAL_ORDER
        assert DIHEDRAL_ORDER[index].replace("-", "") in path.stem.replace("-", "")
        pdq = hash_file(path).pdq
        assert pdq is not None
        distances = [hamming(pdq, v) for v in original.pdq_dihedral]
        assert distances[index] <= 10, (path.name, distances)
        assert min(d for i, d in enumerate(distances) if i != index) > 60


def test_exif_rotn_fast_matches_naive(data_dir: Path) -> None:
    # The four exif-rotn files are four different shots (110+ bits apart even when decoded
    # naively), so they cannot hash alike; what must hold is that the fast path orients them
    # exactly like ImageOps.exif_transpose does.
    for path in sorted((data_dir / "reg-test-input" / "exif-rotn").glob("*.jpg")):
        fast, naive = hash_file(path, FAST), hash_file(path, NAIVE)
        assert fast.pdq and naive.pdq
        assert (fast.width, fast.height) == (naive.width, naive.height)
        assert hamming(fast.pdq, naive.pdq) <= 6, path.name
    portrait = hash_file(data_dir / "reg-test-input" / "exif-rotn" / "exif-rotn-6.jpg")
    assert (portrait.width, portrait.height) == (3024, 4032)


# Pixels to store so that applying the tag (as exif_transpose does) shows the original.
_INVERSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_applied(tmp_path: Path, data_dir: Path, orientation: int) -> None:
    upright = Image.open(data_dir / "bridge-mods" / "aaa-orig.jpg").convert("RGB")
    upright = upright.resize((2400, 1506))  # big enough for the reduced-size JPEG path
    stored = upright.transpose(_INVERSE[orientation]) if orientation > 1 else upright
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"o{orientation}.jpg"
    stored.save(path, quality=92, exif=exif)
    assert ImageOps.exif_transpose(Image.open(path)).size == upright.size
    reference = pdq_hash(upright)[0]
    for options in (FAST, NAIVE):
        record = hash_file(path, options)
        assert record.pdq is not None and (record.width, record.height) == upright.size
        assert hamming(record.pdq, reference) <= 10, (orientation, options)
