"""Report entries: one JSON object per file, with its class and its hits.

Classes: ``known`` (at least one bank hit), ``error`` (could not be read or hashed and no hit),
``unknown_image``, ``unknown_video``, ``other``. A hit on a cryptographic hash makes a file known
even when its image could not be decoded.
"""

from __future__ import annotations

from egide.match import FileMatch, Hit, MatchOptions, low_quality_note
from egide.scan.worker import ItemResult
from egide.video.matching import VideoMatch

CLASSES = ("known", "unknown_image", "unknown_video", "other", "error")
_HASH_FIELDS = (
    "md5",
    "sha1",
    "sha256",
    "pdq",
    "pdq_quality",
    "width",
    "height",
    "format",
    "codec",
    "duration",
    "frame_rate",
    "sampling",
)


def classify(item: ItemResult, hits: list[Hit]) -> str:
    if hits:
        return "known"
    if item.error is not None or item.hashes is None:
        return "error"
    if item.hashes.kind == "image":
        return "unknown_image"
    if item.hashes.kind == "video":
        return "unknown_video"
    return "other"


def report_entry(
    item: ItemResult,
    match: FileMatch | None,
    options: MatchOptions,
    video: VideoMatch | None = None,
) -> dict[str, object]:
    """The report's entry for one file (keys with no value are left out).

    A video's hits are those of its file hashes, then the known videos it matches and the
    known images seen in its frames, each with the time ranges that matched.
    """
    hits = match.hits if match else []
    allowed = match.allowed if match else []
    video_hits: list[dict[str, object]] = []
    if video is not None and not allowed:
        allowed = video.allowed
        video_hits = [v.to_json_dict() for v in video.videos]
        video_hits += [i.to_json_dict() for i in video.images]
    entry: dict[str, object] = {"path": item.path, "size": item.size}
    notes: list[str] = []
    if item.hashes is not None:
        for name in _HASH_FIELDS:
            value = getattr(item.hashes, name)
            if value is not None:
                entry[name] = value
        if item.hashes.frames is not None:
            entry["frames"] = len(item.hashes.frames)
        note = low_quality_note(item.hashes, options)
        if note:
            notes.append(note)
    if allowed:
        hits, video_hits = [], []
    entry["class"] = "known" if video_hits else classify(item, hits)
    entry["hits"] = [hit.to_json_dict() for hit in hits] + video_hits
    if allowed:
        entry["allowed_by"] = [hit.to_json_dict() for hit in allowed]
    if item.error is not None:
        entry["error"] = item.error
    if item.warnings:
        entry["warnings"] = list(item.warnings)
    if notes:
        entry["notes"] = notes
    return entry
