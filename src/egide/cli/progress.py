"""A rich progress bar for scans: files, bytes, rate and time left."""

from __future__ import annotations

from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from egide.cli.context import console


class RichScanProgress:
    """Two bars (files and bytes) on stderr; silent when stderr is not a terminal."""

    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._files: TaskID | None = None
        self._bytes: TaskID | None = None

    def start(self, total_files: int, total_bytes: int, done_files: int, done_bytes: int) -> None:
        self._progress.start()
        self._files = self._progress.add_task("files", total=total_files, completed=done_files)
        self._bytes = self._progress.add_task("bytes", total=total_bytes, completed=done_bytes)

    def advance(self, files: int, nbytes: int) -> None:
        if self._files is not None and self._bytes is not None:
            self._progress.advance(self._files, files)
            self._progress.advance(self._bytes, nbytes)

    def finish(self) -> None:
        self._progress.stop()
