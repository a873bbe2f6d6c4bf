"""A rich progress bar for scans: files, bytes, rate and time left."""

from __future__ import annotations

from rich.filesize import decimal
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from egide.cli.context import console


class CountAndRate(ProgressColumn):
    """``27/120 files  8.1/s`` or ``5.3/40.2 MB  9.0 MB/s``, by the task's ``unit`` field."""

    def render(self, task: Task) -> Text:
        speed = task.speed or 0.0
        total = task.total or 0
        if task.fields.get("unit") == "bytes":
            text = f"{decimal(int(task.completed))}/{decimal(int(total))}  {decimal(int(speed))}/s"
        else:
            text = f"{int(task.completed)}/{int(total)} files  {speed:.1f}/s"
        return Text(text, style="progress.data.speed")


class RichScanProgress:
    """Two bars (files and bytes) on stderr."""

    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description:>5}"),
            BarColumn(),
            CountAndRate(),
            TimeRemainingColumn(),
            console=console,
        )
        self._files: TaskID | None = None
        self._bytes: TaskID | None = None

    def start(self, total_files: int, total_bytes: int, done_files: int, done_bytes: int) -> None:
        self._progress.start()
        self._files = self._progress.add_task(
            "files", total=total_files, completed=done_files, unit="files"
        )
        self._bytes = self._progress.add_task(
            "bytes", total=total_bytes, completed=done_bytes, unit="bytes"
        )

    def advance(self, files: int, nbytes: int) -> None:
        if self._files is not None and self._bytes is not None:
            self._progress.advance(self._files, files)
            self._progress.advance(self._bytes, nbytes)

    def finish(self) -> None:
        self._progress.stop()
