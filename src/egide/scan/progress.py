"""How a running scan tells the outside world how far it is (the CLI draws a rich progress bar)."""

from __future__ import annotations

from typing import Protocol


class ScanProgress(Protocol):
    def start(
        self, total_files: int, total_bytes: int, done_files: int, done_bytes: int
    ) -> None: ...

    def advance(self, files: int, nbytes: int) -> None: ...

    def finish(self) -> None: ...


class NoProgress:
    """For library callers and tests that want no output."""

    def start(self, total_files: int, total_bytes: int, done_files: int, done_bytes: int) -> None:
        pass

    def advance(self, files: int, nbytes: int) -> None:
        pass

    def finish(self) -> None:
        pass
