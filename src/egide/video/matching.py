"""Matching videos and single frames against banks.

A frame can match a known image (the bank's PDQ entries, through :class:`egide.match.Matcher`)
or a frame of a known video (``vpdq`` entries). Known videos' frames are indexed in one
:class:`~egide.index.HammingIndex` keyed to their entry, so a query video only meets the known
videos that share a close frame; the reference's exact comparison then runs on those
candidates alone, never on every video of a bank.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from egide.banks.videos import KnownVideo, known_videos
from egide.hashing import FileHashes
from egide.index import HammingIndex, hex_to_codes
from egide.match import Hit, Matcher, MatchOptions
from egide.store import BankEntry

from .compare import VpdqComparison, VpdqThresholds, compare_frames, kept_frames
from .frames import FrameHash
from .segments import Segment, sampling_step, segments


@dataclass(frozen=True)
class ImageInVideo:
    """A known image seen in frames of a video."""

    hit: Hit  # the closest frame's hit
    segments: list[Segment]

    def to_json_dict(self) -> dict[str, object]:
        out = self.hit.to_json_dict()
        out["segments"] = [s.to_json_dict() for s in self.segments]
        return out


@dataclass(frozen=True)
class VideoHit:
    """A known video matched by the vPDQ comparison."""

    hit: Hit
    comparison: VpdqComparison
    segments: list[Segment]

    def to_json_dict(self) -> dict[str, object]:
        out = self.hit.to_json_dict()
        out["relation"] = self.comparison.relation
        out["query_pct"] = round(self.comparison.query_pct, 2)
        out["compared_pct"] = round(self.comparison.compared_pct, 2)
        out["segments"] = [s.to_json_dict() for s in self.segments]
        return out


@dataclass(frozen=True)
class VideoMatch:
    images: list[ImageInVideo]
    videos: list[VideoHit]
    allowed: list[Hit]

    @property
    def hits(self) -> list[Hit]:
        """Every distinct entry hit, videos first."""
        return [v.hit for v in self.videos] + [i.hit for i in self.images]


class VideoMatcher:
    """Per-frame and whole-video matching over a fixed set of banks."""

    def __init__(
        self,
        matcher: Matcher,
        videos: Sequence[KnownVideo],
        templates: dict[int, Hit],
        thresholds: VpdqThresholds,
    ) -> None:
        self.matcher = matcher
        self.thresholds = thresholds
        self._videos = {video.entry_id: video for video in videos}
        self._templates = templates
        self._allow_banks = {bank.name for bank in matcher.banks if bank.kind == "allow"}
        codes: list[str] = []
        owners: list[int] = []
        for video in videos:
            for frame in kept_frames(video.frames, thresholds.quality):
                codes.append(frame.pdq)
                owners.append(video.entry_id)
        self._frame_owner: npt.NDArray[np.int64] = np.asarray(owners, dtype=np.int64)
        self._frame_index = HammingIndex(bits=256)
        if codes:
            self._frame_index.add(hex_to_codes(codes), np.arange(len(codes), dtype=np.int64))

    @classmethod
    def load(
        cls,
        session: Session,
        bank_names: Sequence[str],
        options: MatchOptions | None = None,
        thresholds: VpdqThresholds | None = None,
        cache_dir: Path | None = None,
    ) -> VideoMatcher:
        options = options or MatchOptions()
        return cls.from_matcher(
            session, Matcher.load(session, bank_names, options, cache_dir), thresholds
        )

    @classmethod
    def from_matcher(
        cls, session: Session, matcher: Matcher, thresholds: VpdqThresholds | None = None
    ) -> VideoMatcher:
        """Add known videos to an already loaded :class:`Matcher` (a scan's)."""
        thresholds = thresholds or VpdqThresholds()
        banks = {bank.id: bank for bank in matcher.banks if bank.enabled}
        videos = list(known_videos(session, list(banks)))
        templates: dict[int, Hit] = {}
        ids = [video.entry_id for video in videos]
        for start in range(0, len(ids), 500):
            for row in session.scalars(
                select(BankEntry).where(BankEntry.id.in_(ids[start : start + 500]))
            ):
                templates[row.id] = Hit.of_entry(row, banks[row.bank_id].name, 0)
        return cls(matcher, videos, templates, thresholds)

    @property
    def known_video_count(self) -> int:
        return len(self._videos)

    def _frame_candidates(self, frames: Sequence[FrameHash]) -> dict[int, int]:
        """Known-video entry -> the smallest distance of any query frame to one of its frames."""
        best: dict[int, int] = {}
        if not frames or len(self._frame_index) == 0:
            return best
        lims, dists, ids = self._frame_index.range_search(
            hex_to_codes([f.pdq for f in frames]), self.thresholds.distance
        )
        for k in range(int(lims[-1])):
            owner = int(self._frame_owner[int(ids[k])])
            distance = int(dists[k])
            if owner not in best or distance < best[owner]:
                best[owner] = distance
        return best

    def match_frame(self, pdq: str, quality: int, file_key: str = "frame") -> list[Hit]:
        """Hits of one frame: known images, and known videos holding a close frame."""
        if quality < self.thresholds.quality:
            return []
        record = FileHashes(path=file_key, size=0, sha256=None, pdq=pdq, pdq_quality=quality)
        image_hits = self.matcher.match([record])[0].hits
        frame = FrameHash(0, quality, pdq, 0.0)
        video_hits = [
            replace(self._templates[entry], distance=distance)
            for entry, distance in sorted(self._frame_candidates([frame]).items())
            if entry in self._templates
        ]
        return sorted(image_hits + video_hits, key=lambda h: (h.distance, h.bank, h.entry_id))

    def match_video(self, frames: Sequence[FrameHash], file_key: str) -> VideoMatch:
        """Known images in the video's frames and known videos it matches (vPDQ rule)."""
        kept = kept_frames(frames, self.thresholds.quality)
        step = sampling_step([f.timestamp for f in frames])
        images = self._images(kept, file_key, step)
        videos: list[VideoHit] = []
        for entry, distance in sorted(self._frame_candidates(kept).items()):
            known = self._videos[entry]
            comparison = compare_frames(frames, known.frames, self.thresholds)
            if not comparison.matched or entry not in self._templates:
                continue
            times = [kept[i].timestamp for i in comparison.matched_query]
            hit = replace(self._templates[entry], distance=distance)
            videos.append(VideoHit(hit, comparison, segments(times, step)))
        allowed = [v.hit for v in videos if v.hit.bank in self._allow_banks]
        allowed += [i.hit for i in images if i.hit.bank in self._allow_banks]
        if allowed:
            return VideoMatch([], [], allowed)
        return VideoMatch(images, videos, [])

    def _images(self, kept: Sequence[FrameHash], file_key: str, step: float) -> list[ImageInVideo]:
        records = [
            FileHashes(path=file_key, size=0, sha256=file_key, pdq=f.pdq, pdq_quality=f.quality)
            for f in kept
        ]
        found: dict[int, list[tuple[float, Hit]]] = defaultdict(list)
        for frame, match in zip(kept, self.matcher.match(records), strict=True):
            for hit in match.hits + match.allowed:
                found[hit.entry_id].append((frame.timestamp, hit))
        out = []
        for seen in found.values():
            best = min((hit for _, hit in seen), key=lambda h: h.distance)
            out.append(ImageInVideo(best, segments([t for t, _ in seen], step)))
        return sorted(out, key=lambda i: (i.hit.distance, i.hit.bank, i.hit.entry_id))
