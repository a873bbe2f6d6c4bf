"""Where stream runners run: a pool of worker processes (each stream a thread in one of them,
so decoding, which releases the GIL, and hashing spread over the cores), or threads of this
process. Messages come back through one bounded queue. A worker that dies is restarted for
its unfinished streams; standard input is always read by a thread of this process."""

from __future__ import annotations

import multiprocessing
import queue
import signal
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .config import StreamSpec
from .messages import FrameSample, StreamEvent
from .runner import Emit, StreamRunner

Message = FrameSample | StreamEvent
#: queue slots per stream: a few seconds of samples and events, never more
SLOTS_PER_STREAM = 16
MAX_RESTARTS = 5


class Outbox(Protocol):
    def put(self, item: Message, block: bool = ..., timeout: float | None = ...) -> None: ...
    def put_nowait(self, item: Message) -> None: ...
    def get(self, block: bool = ..., timeout: float | None = ...) -> Message: ...


def make_emit(outbox: Outbox) -> Emit:
    def emit(message: Message, droppable: bool) -> bool:
        try:
            if droppable:
                outbox.put_nowait(message)
            else:
                outbox.put(message, timeout=10.0)
        except queue.Full:
            return False
        return True

    return emit


def _start_runners(
    specs: Sequence[StreamSpec], outbox: Outbox, stop: Any
) -> list[threading.Thread]:
    emit = make_emit(outbox)
    threads = []
    for spec in specs:
        runner = StreamRunner(spec, emit, stop)
        thread = threading.Thread(target=runner.run, name=f"egide-stream-{spec.name}", daemon=True)
        thread.start()
        threads.append(thread)
    return threads


def worker_main(specs: Sequence[StreamSpec], outbox: Outbox, stop: Any) -> None:
    """Entry point of a worker process: one thread per stream until they all finish."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    for thread in _start_runners(specs, outbox, stop):
        thread.join()


@dataclass
class _Worker:
    specs: list[StreamSpec]
    process: Any
    restarts: int = 0
    restart_at: float | None = None


class StreamPool:
    """Starts the runners, hands their messages to the caller, stops them."""

    def __init__(self, specs: Sequence[StreamSpec], workers: int) -> None:
        self.specs = list(specs)
        self.workers = workers
        capacity = SLOTS_PER_STREAM * max(1, len(self.specs))
        self._context = multiprocessing.get_context("spawn")
        self.outbox: Outbox
        self.stop_signal: Any
        if workers > 0:
            self.outbox = self._context.Queue(capacity)
            self.stop_signal = self._context.Event()
        else:
            self.outbox = queue.Queue(capacity)
            self.stop_signal = threading.Event()
        self._workers: list[_Worker] = []
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        local = [s for s in self.specs if s.kind == "stdin" or self.workers == 0]
        remote = [s for s in self.specs if s not in local]
        groups: list[list[StreamSpec]] = [[] for _ in range(min(self.workers, len(remote)))]
        for position, spec in enumerate(remote):
            groups[position % len(groups)].append(spec)
        for group in groups:
            self._workers.append(_Worker(group, self._spawn(group)))
        self._threads = _start_runners(local, self.outbox, self.stop_signal)

    def _spawn(self, specs: list[StreamSpec]) -> Any:
        process = self._context.Process(
            target=worker_main, args=(specs, self.outbox, self.stop_signal), daemon=True
        )
        process.start()
        return process

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def get(self, timeout: float) -> Message | None:
        try:
            return self.outbox.get(timeout=timeout)
        except queue.Empty:
            return None

    def dead_workers(self, finished: set[str]) -> list[tuple[list[StreamSpec], int | None, bool]]:
        """Workers that exited while some of their streams were still running. Each is
        restarted for those streams (up to MAX_RESTARTS times, after a doubling delay, without
        blocking the caller). Returns (streams, exit code, to be restarted?) once per death."""
        found = []
        now = time.monotonic()
        for worker in self._workers:
            if self.stop_signal.is_set():
                break
            if worker.restart_at is not None:
                if now >= worker.restart_at:
                    worker.restart_at = None
                    worker.process = self._spawn(worker.specs)
                continue
            process = worker.process
            if process.is_alive() or process.exitcode is None:
                continue
            unfinished = [s for s in worker.specs if s.name not in finished]
            if not unfinished:
                continue
            restart = worker.restarts < MAX_RESTARTS
            found.append((unfinished, process.exitcode, restart))
            worker.specs = unfinished if restart else []
            if restart:
                worker.restart_at = now + min(30.0, 2.0**worker.restarts)
                worker.restarts += 1
        return found

    def request_stop(self) -> None:
        """Ask every runner to stop (the caller keeps reading messages meanwhile)."""
        self.stop_signal.set()

    def alive(self) -> bool:
        return any(w.process.is_alive() for w in self._workers) or any(
            t.is_alive() for t in self._threads
        )

    def shutdown(self, grace: float) -> None:
        """Terminate workers still running after ``grace`` seconds."""
        self.stop_signal.set()
        deadline = time.monotonic() + grace
        for worker in self._workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(2.0)
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def close(self) -> None:
        if self.workers > 0:
            close = getattr(self.outbox, "close", None)
            cancel = getattr(self.outbox, "cancel_join_thread", None)
            if cancel is not None:
                cancel()
            if close is not None:
                close()
