"""Worker processes that survive their workers: batches out, results back in order.

``multiprocessing.Pool`` waits forever for a result a dead worker (the OOM killer, a
``kill -9``, a crash in C code) will never send, and its ``terminate`` can hang when a
worker dies holding its queue's lock. This pool gives each worker a pipe of its own and
watches the workers' process sentinels, so:

* a dead worker is noticed at once and replaced; its batch is sent again unit by unit,
  each unit once more to a fresh worker, and a unit that takes down a worker twice
  becomes what ``on_crash`` makes of it (a ``worker_crashed`` reject): the run goes on;
* stopping (the end, an error, Ctrl-C, SIGTERM) kills the workers outright instead of
  asking them, so it never waits on one; workers ignore SIGINT, which the terminal sends
  to the whole process group, so Ctrl-C prints no traceback from them.

At most ``limit`` batches are in flight (memory stays flat however long the input), and
results come back in input order whatever order the workers finish in.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

Job = Callable[[list[T]], list[R]]


def _serve(conn: Connection, initializer: Callable[[], None] | None) -> None:
    """A worker: run each job sent on ``conn`` and send back its results."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if initializer is not None:
        initializer()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if message is None:
            return
        task, job, batch = message
        conn.send((task, job(batch)))


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection
    task: Any = None
    """What it is working on (``None``: idle)."""


@dataclass
class _Task(Generic[T]):
    batch: int
    """The batch it belongs to (its number in input order)."""
    units: list[T]
    single: int | None = None
    """For a unit sent on its own after a crash: its place in the batch."""
    tries: int = 0


@dataclass
class _Batch(Generic[R]):
    size: int
    results: list[R] | None = None
    singles: dict[int, R] = field(default_factory=dict)
    """Results of units sent one by one, by their place in the batch."""

    def done(self) -> list[R] | None:
        if self.results is not None:
            return self.results
        if len(self.singles) == self.size:
            return [self.singles[i] for i in range(self.size)]
        return None


class WorkerPool:
    """``workers`` processes (forked, or spawned where fork is missing) running jobs."""

    def __init__(self, workers: int, initializer: Callable[[], None] | None = None) -> None:
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self._context: Any = mp.get_context(method)
        self._initializer = initializer
        self._workers = [self._start() for _ in range(workers)]

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, self._initializer), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def map(
        self,
        job: Job[T, R],
        batches: Iterable[list[T]],
        limit: int,
        on_crash: Callable[[T], R],
    ) -> Iterator[R]:
        """``job`` of every batch, flattened, in input order; at most ``limit`` batches
        read ahead."""
        source = iter(batches)
        queue: deque[_Task[T]] = deque()  # tasks waiting for a worker
        open_batches: dict[int, _Batch[R]] = {}
        read = emitted = 0
        exhausted = False
        while True:
            while not exhausted and len(open_batches) < limit:
                batch = next(source, None)
                if batch is None:
                    exhausted = True
                    break
                open_batches[read] = _Batch(len(batch))
                queue.append(_Task(read, batch))
                read += 1
            for worker in list(self._workers):
                if worker.task is None and queue:
                    worker.task = queue.popleft()
                    try:
                        worker.conn.send((None, job, worker.task.units))
                    except OSError:  # it died idle: its task goes to the next one
                        self._crashed(worker, queue, open_batches, on_crash)
            while emitted in open_batches and (done := open_batches[emitted].done()) is not None:
                del open_batches[emitted]
                emitted += 1
                yield from done
            if exhausted and not open_batches:
                return
            if any(worker.task is not None for worker in self._workers):
                self._collect(open_batches, queue, on_crash)
            # else: what was in flight has been given out; read the next batches

    def _collect(
        self,
        open_batches: dict[int, _Batch[R]],
        queue: deque[_Task[T]],
        on_crash: Callable[[T], R],
    ) -> None:
        """Wait for a worker to finish, or to die."""
        busy = [w for w in self._workers if w.task is not None]
        ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy])
        for worker in busy:
            if worker.conn in ready:
                try:
                    _, results = worker.conn.recv()
                except (EOFError, OSError):
                    self._crashed(worker, queue, open_batches, on_crash)
                    continue
                self._deliver(worker.task, results, open_batches)
                worker.task = None
            elif worker.process.sentinel in ready:
                self._crashed(worker, queue, open_batches, on_crash)

    @staticmethod
    def _deliver(task: _Task[T], results: list[R], open_batches: dict[int, _Batch[R]]) -> None:
        batch = open_batches[task.batch]
        if task.single is None:
            batch.results = results
        else:
            batch.singles[task.single] = results[0]

    def _crashed(
        self,
        worker: _Worker,
        queue: deque[_Task[T]],
        open_batches: dict[int, _Batch[R]],
        on_crash: Callable[[T], R],
    ) -> None:
        """A worker died on ``worker.task``: replace it; try each unit again alone, once."""
        task = worker.task
        worker.conn.close()
        worker.process.join(timeout=1)
        self._workers[self._workers.index(worker)] = self._start()
        if task.single is None:
            for place, unit in enumerate(task.units):
                queue.appendleft(_Task(task.batch, [unit], single=place, tries=1))
        elif task.tries < 2:
            queue.appendleft(_Task(task.batch, task.units, task.single, task.tries + 1))
        else:
            open_batches[task.batch].singles[task.single] = on_crash(task.units[0])

    def close(self) -> None:
        """Stop every worker now: kill, never wait on one."""
        for worker in self._workers:
            if worker.process.is_alive():
                with contextlib.suppress(ProcessLookupError, TypeError):
                    os.kill(worker.process.pid, signal.SIGKILL)
        for worker in self._workers:
            worker.process.join(timeout=5)
            worker.conn.close()
        self._workers = []

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
