"""The demo case: a 'known' bank and an evidence folder made only of benign public images.

Images come from scikit-image's bundled samples and the PDQ reference test images in
../shared/testdata; the bank's categories are labels for the demonstration, nothing more.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import skimage.data
from PIL import Image

from egide.categories import Category
from egide.formats import ListEntry
from egide.hashing import hash_file

# (name, loader, category, series) of the images the demo bank "knows".
KNOWN: list[tuple[str, Callable[[], np.ndarray], Category, str]] = [
    ("astronaut", skimage.data.astronaut, Category("projectvic-us", "1"), "demo-series-a"),
    ("coffee", skimage.data.coffee, Category("projectvic-us", "1"), "demo-series-a"),
    ("chelsea", skimage.data.chelsea, Category("projectvic-us", "2"), "demo-series-b"),
    ("rocket", skimage.data.rocket, Category("uk-caid", "B"), "demo-series-c"),
    ("retina", skimage.data.retina, Category("uk-caid", "A"), "demo-series-c"),
]
UNRELATED: list[tuple[str, Callable[[], np.ndarray]]] = [
    ("camera", skimage.data.camera),
    ("coins", skimage.data.coins),
    ("hubble", skimage.data.hubble_deep_field),
    ("immunohistochemistry", skimage.data.immunohistochemistry),
    ("colorwheel", skimage.data.colorwheel),
]


@dataclass(frozen=True)
class DemoCase:
    root: Path
    evidence: Path
    bank_entries: list[ListEntry]
    #: vPDQ text files of known videos (the reference's own hashes of a sample video)
    known_videos: tuple[Path, ...] = ()


def default_testdata() -> Path:
    """../shared/testdata beside the checkout, or $EGIDE_TESTDATA."""
    env = os.environ.get("EGIDE_TESTDATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[4] / "shared" / "testdata"


def _image(array: np.ndarray) -> Image.Image:
    return Image.fromarray(array).convert("RGB")


def _jpeg_bytes(image: Image.Image, quality: int = 92) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _crop(image: Image.Image, fraction: float) -> Image.Image:
    w, h = image.size
    dx, dy = int(w * fraction / 2), int(h * fraction / 2)
    return image.crop((dx, dy, w - dx, h - dy))


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _archive(evidence: Path, members: dict[str, bytes]) -> None:
    """A zip holding a tar.gz holding copies: nested archives are walked in memory."""
    inner = io.BytesIO()
    with tarfile.open(fileobj=inner, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(f"photos/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with zipfile.ZipFile(evidence / "archives" / "holiday.zip", "w") as zf:
        zf.writestr("backup/photos.tar.gz", inner.getvalue())
        zf.writestr("backup/readme.txt", "holiday pictures\n")


def build_demo(root: Path, testdata: Path | None = None) -> DemoCase:
    """Write the demo case under ``root`` (replacing an older one) and return it."""
    testdata = testdata or default_testdata()
    evidence = root / "evidence"
    shutil.rmtree(root / "originals", ignore_errors=True)
    shutil.rmtree(evidence, ignore_errors=True)
    rng = random.Random(7)
    originals: dict[str, Image.Image] = {}
    entries: list[ListEntry] = []
    bridge = testdata / "threatexchange" / "pdq" / "data" / "bridge-mods" / "aaa-orig.jpg"
    for name, loader, category, series in KNOWN:
        image = _image(loader())
        originals[name] = image
        path = root / "originals" / f"{name}.jpg"
        _write(path, _jpeg_bytes(image))
        hashes = hash_file(path)
        assert hashes.md5 is not None, hashes.error
        entries.append(ListEntry("md5", hashes.md5, category, series))
        if hashes.pdq:
            entries.append(ListEntry("pdq", hashes.pdq, category, series))
    if bridge.exists():
        hashes = hash_file(bridge)
        known_bridge = Category("dhs", "1")
        assert hashes.sha256 is not None, hashes.error
        entries.append(ListEntry("sha256", hashes.sha256, known_bridge, "demo-series-d"))
        shutil.copy(bridge, _ensure(evidence / "copies") / "DSC0001.jpg")
    for name in originals:
        shutil.copy(
            root / "originals" / f"{name}.jpg", _ensure(evidence / "copies") / f"{name}.jpg"
        )
    astronaut, coffee, chelsea, rocket = (
        originals[n] for n in ("astronaut", "coffee", "chelsea", "rocket")
    )
    _write(evidence / "edited" / "astronaut-q60.jpg", _jpeg_bytes(astronaut, 60))
    _write(
        evidence / "edited" / "coffee-half.jpg",
        _jpeg_bytes(coffee.resize((coffee.width // 2, coffee.height // 2))),
    )
    _write(evidence / "edited" / "chelsea-crop4pc.jpg", _jpeg_bytes(_crop(chelsea, 0.04)))
    _write(
        evidence / "edited" / "rocket-rotated.jpg",
        _jpeg_bytes(rocket.transpose(Image.Transpose.ROTATE_90)),
    )
    mirrored = io.BytesIO()
    astronaut.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(mirrored, "PNG")
    _write(evidence / "edited" / "astronaut-mirrored.png", mirrored.getvalue())
    for name, loader in UNRELATED:
        png = io.BytesIO()
        _image(loader()).save(png, "PNG")
        _write(evidence / "unrelated" / f"{name}.png", png.getvalue())
    labelme = testdata / "threatexchange" / "pdq" / "data" / "reg-test-input" / "labelme-subset"
    for photo in sorted(labelme.glob("*.jpg"))[:4]:
        shutil.copy(photo, _ensure(evidence / "unrelated") / photo.name)
    samples = testdata / "threatexchange" / "tmk" / "sample-videos"
    known_videos: tuple[Path, ...] = ()
    if (samples / "pattern-sd-grey-bar.mp4").exists():
        # a grey-barred copy of a known video (the bank holds the logo version's frame hashes)
        shutil.copy(samples / "pattern-sd-grey-bar.mp4", _ensure(evidence / "videos") / "clip.mp4")
        shutil.copy(samples / "doorknob-hd-no-bar.mp4", evidence / "videos" / "doorknob.mp4")
        reference = testdata / "threatexchange" / "vpdq" / "sample-hashes"
        known_videos = (reference / "pattern-sd-with-small-logo-bar.txt",)
    _write(evidence / "documents" / "notes.txt", b"meeting notes\n" * 20)
    _write(evidence / "documents" / "data.bin", bytes(rng.randrange(256) for _ in range(4096)))
    _ensure(evidence / "archives")
    _archive(
        evidence,
        {
            "beach.jpg": _jpeg_bytes(coffee, 80),
            "dinner.jpg": (root / "originals" / "chelsea.jpg").read_bytes(),
            "sunset.png": (evidence / "unrelated" / "colorwheel.png").read_bytes(),
        },
    )
    good = _jpeg_bytes(astronaut)
    _write(evidence / "damaged" / "truncated.jpg", good[: len(good) // 3])
    _write(
        evidence / "damaged" / "not-a-picture.png", bytes(rng.randrange(256) for _ in range(512))
    )
    _write(evidence / "damaged" / "empty.jpg", b"")
    return DemoCase(root, evidence, entries, known_videos)


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
