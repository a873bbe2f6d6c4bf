"""Running a scan: walk, hash in worker processes, match, checkpoint, report.

The main process walks the disk, matches and writes; workers only hash. Results are committed in
small batches, so the checkpoint costs little and a killed scan loses at most a second of work.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from egide.match import Matcher
from egide.scan.checkpoint import done_units, open_scan, store_units
from egide.scan.options import ScanOptions
from egide.scan.progress import NoProgress, ScanProgress
from egide.scan.records import report_entry
from egide.scan.report import ScanReport, write_reports
from egide.scan.walk import DiskFile, iter_disk_files
from egide.scan.worker import UnitResult, init_worker, process_unit
from egide.store import Scan, session_maker
from egide.video.matching import VideoMatcher

COMMIT_SECONDS = 1.0
MATCH_BATCH = 256


@dataclass(frozen=True)
class ScanOutcome:
    report: ScanReport
    resumed: bool

    @property
    def exit_code(self) -> int:
        """0 when every file was read and hashed, 1 when some files had errors."""
        return 1 if self.report.summary["errors"] else 0


def _size(disk_file: DiskFile) -> int:
    if disk_file.error is not None:
        return 0
    try:
        return os.stat(disk_file.path).st_size
    except OSError:
        return 0


def _pool(workers: int) -> ProcessPoolExecutor | None:
    """Worker processes, started before the walk so their start-up overlaps it."""
    if workers <= 1:
        return None
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=init_worker)
    for _ in range(workers):
        pool.submit(int)  # start every process now, not at the first real unit
    return pool


def _results(
    pool: ProcessPoolExecutor | None, options: ScanOptions, todo: list[tuple[int, DiskFile]]
) -> Iterator[UnitResult]:
    """Unit results as they complete: in this process for one worker, else in the pool."""
    hash_options = options.hash_options()
    if pool is None:
        for ordinal, disk_file in todo:
            yield process_unit(ordinal, disk_file, hash_options, options.limits)
        return
    pending: set[Future[UnitResult]] = set()
    queue = iter(todo)

    def submit_next() -> None:
        nxt = next(queue, None)
        if nxt is not None:
            pending.add(pool.submit(process_unit, nxt[0], nxt[1], hash_options, options.limits))

    for _ in range(options.workers * 8):
        submit_next()
    while pending:
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            yield future.result()
            submit_next()


def _batched(results: Iterable[UnitResult]) -> Iterator[list[UnitResult]]:
    """Group units so matching and writing run on a few hundred files at a time."""
    batch: list[UnitResult] = []
    items = 0
    started = time.monotonic()
    for result in results:
        batch.append(result)
        items += len(result.items)
        if items >= MATCH_BATCH or time.monotonic() - started >= COMMIT_SECONDS:
            yield batch
            batch, items, started = [], 0, time.monotonic()
    if batch:
        yield batch


def _record_batch(
    session: Session, scan: Scan, videos: VideoMatcher, batch: list[UnitResult]
) -> None:
    matcher = videos.matcher
    hashed = [item for unit in batch for item in unit.items if item.hashes is not None]
    matches = matcher.match([item.hashes for item in hashed if item.hashes is not None])
    match_of = {id(item): found for item, found in zip(hashed, matches, strict=True)}
    video_of = {
        id(item): videos.match_video(item.hashes.frames, item.hashes.sha256 or item.path)
        for item in hashed
        if item.hashes is not None and item.hashes.frames
    }
    store_units(
        session,
        scan,
        [
            (
                unit.ordinal,
                unit.unit_path,
                [
                    report_entry(
                        item, match_of.get(id(item)), matcher.options, video_of.get(id(item))
                    )
                    for item in unit.items
                ],
            )
            for unit in batch
        ],
    )


def run_scan(
    engine: Engine, options: ScanOptions, progress: ScanProgress | None = None
) -> ScanOutcome:
    """Scan ``options.roots`` against ``options.banks`` and write the report(s)."""
    progress = progress or NoProgress()
    pool = _pool(options.workers)
    with ExitStack() as stack, session_maker(engine)() as session:
        if pool is not None:
            stack.enter_context(pool)
        matcher = Matcher.load(session, options.banks, options.match_options(), options.index_cache)
        videos = VideoMatcher.from_matcher(session, matcher)
        scan, resumed = open_scan(session, options)
        already = done_units(session, scan)
        disk_files = list(iter_disk_files([Path(root) for root in options.roots]))
        sizes = [_size(f) for f in disk_files]
        todo = [(n, f) for n, f in enumerate(disk_files) if f.display not in already]
        done_bytes = sum(s for s, f in zip(sizes, disk_files, strict=True) if f.display in already)
        progress.start(len(disk_files), sum(sizes), len(disk_files) - len(todo), done_bytes)
        elapsed_before = scan.elapsed_seconds
        started = time.monotonic()
        for batch in _batched(_results(pool, options, todo)):
            _record_batch(session, scan, videos, batch)
            scan.elapsed_seconds = elapsed_before + time.monotonic() - started
            session.commit()
            progress.advance(len(batch), sum(unit.bytes for unit in batch))
        scan.elapsed_seconds = elapsed_before + time.monotonic() - started
        scan.finished_at = datetime.now(UTC)
        session.commit()
        progress.finish()
        quarantined = [asdict(event) for event in matcher.quarantine_events]
        session.commit()
        report = write_reports(session, scan, options.report_path, options.html_path, quarantined)
    return ScanOutcome(report, resumed)
