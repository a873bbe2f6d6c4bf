"""Decide image / video / other from the first bytes, never from the file name.

Only content that sniffs as an image is handed to a decoder, so a hostile file named ``.jpg``
cannot reach an unexpected Pillow plugin, and a video is never decoded here.
"""

from __future__ import annotations

from .records import Kind

#: Bytes of the file head that :func:`sniff_kind` needs (MPEG-TS wants three 188-byte packets,
#: Ogg its first pages).
SNIFF_BYTES = 64 * 1024

# ISO base media (``ftyp``) brands of still images: HEIF/HEIC (incl. image sequences) and AVIF.
_IMAGE_BRANDS = frozenset(
    {
        b"heic",
        b"heix",
        b"heim",
        b"heis",
        b"hevc",
        b"hevx",
        b"mif1",
        b"mif2",
        b"msf1",
        b"avif",
        b"avis",
    }
)
# Common ``ftyp`` brands of MP4, QuickTime and 3GPP video.
_KNOWN_VIDEO_BRANDS = frozenset(
    {
        b"isom",
        b"iso2",
        b"iso4",
        b"iso5",
        b"iso6",
        b"mp41",
        b"mp42",
        b"avc1",
        b"qt  ",
        b"M4V ",
        b"3gp4",
        b"3gp5",
        b"3gp6",
        b"3g2a",
        b"dash",
        b"MSNV",
        b"XAVC",
    }
)
# ``ftyp`` brands that hold audio only (iTunes audio, Flash audio).
_AUDIO_BRANDS = frozenset({b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "})
# QuickTime files from before ``ftyp`` existed start directly with one of these atoms.
_QUICKTIME_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})
_ASF_GUID = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
# First bytes of the first packet of an Ogg logical stream, for audio-only codecs.
_OGG_AUDIO = (b"\x01vorbis", b"OpusHead", b"\x7fFLAC", b"Speex   ")


def sniff_image(head: bytes) -> bool:
    """True for the magic numbers of the image formats egide decodes."""
    return (
        head.startswith(b"\xff\xd8\xff")  # JPEG
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or head[:6] in (b"GIF87a", b"GIF89a")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
        or (head[:2] == b"BM" and len(head) >= 26)
        or head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # TIFF, BigTIFF
        or _ftyp_kind(head) == "image"
    )


def _ftyp_kind(head: bytes) -> Kind | None:
    """Classify an ISO base media file by its brands; HEIC shares ``ftyp`` with MP4."""
    if head[4:8] != b"ftyp":
        return None
    box_size = int.from_bytes(head[0:4], "big")
    major = head[8:12]
    compatible = [head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)]
    if major in _IMAGE_BRANDS:
        return "image"
    if major in _AUDIO_BRANDS:
        return "other"
    # An unregistered major brand defers to the compatible brands (e.g. ``mif1`` listed there).
    if major not in _KNOWN_VIDEO_BRANDS and any(b in _IMAGE_BRANDS for b in compatible):
        return "image"
    return "video"


def _is_mpeg_ts(head: bytes) -> bool:
    """Transport streams: a 0x47 sync byte every 188 bytes (192 for Blu-ray M2TS)."""
    for packet, offset in ((188, 0), (192, 4)):
        if len(head) >= offset + 3 * packet and all(
            head[offset + i * packet] == 0x47 for i in range(3)
        ):
            return True
    return False


def _ogg_is_audio_only(head: bytes) -> bool:
    """True when every beginning-of-stream page in the head carries a known audio codec."""
    pos, codecs = 0, []
    while head[pos : pos + 4] == b"OggS" and len(head) >= pos + 27:
        header_type = head[pos + 5]
        segments = head[pos + 26]
        table = head[pos + 27 : pos + 27 + segments]
        body = pos + 27 + segments
        if not header_type & 0x02:  # past the beginning-of-stream pages
            break
        codecs.append(head[body : body + 8])
        pos = body + sum(table)
    return bool(codecs) and all(c.startswith(_OGG_AUDIO) for c in codecs)


def sniff_video(head: bytes) -> bool:
    """True for the magic numbers of common video containers."""
    if _ftyp_kind(head) == "video":
        return True
    if head[4:8] in _QUICKTIME_ATOMS:
        return True
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: Matroska, WebM
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return True
    if head.startswith(b"FLV\x01"):
        return True
    if head.startswith((b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")):  # MPEG-PS, MPEG-1/2 video
        return True
    if head.startswith(_ASF_GUID):  # ASF: WMV
        return True
    if head.startswith(b"OggS"):
        return not _ogg_is_audio_only(head)
    return _is_mpeg_ts(head)


def sniff_kind(head: bytes) -> Kind:
    """Kind of a file from its first :data:`SNIFF_BYTES` bytes."""
    if sniff_image(head):
        return "image"
    if sniff_video(head):
        return "video"
    return "other"
