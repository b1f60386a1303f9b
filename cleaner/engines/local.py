"""The local engine: the per-document function on every core of this machine.

:class:`LocalEngine` streams units from the readers in batches through a pool of worker
processes, keeping a bounded number of batches in flight (memory stays flat however
large the input) and yielding outcomes in input order. :func:`clean_to_stream` is a
whole run into one output (a file or standard output) and its rejects.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from cleaner.config import CleanerConfig
from cleaner.engines.outcome import Outcome, outcome_of, within_time_limit
from cleaner.engines.pool import WorkerPool
from cleaner.io.readers import Unit
from cleaner.io.sources import read_units
from cleaner.models import RawDocument, Reject
from cleaner.pipeline import Cleaner
from cleaner.text.normalize import NormalizedTexts

_WORKER: Cleaner | None = None


def _init_worker(config_json: str) -> None:
    global _WORKER
    _WORKER = Cleaner(CleanerConfig.model_validate_json(config_json))


def _clean_batch(batch: list[Unit], samples: bool = False) -> list[Outcome]:
    assert _WORKER is not None, "worker not initialised"
    return [outcome_of(unit, _WORKER, samples=samples) for unit in batch]


def crashed(unit: Unit) -> Outcome:
    """The outcome of a unit that took down its worker twice: a reject, and the run goes on."""
    source = unit.source
    detail = "the worker cleaning it died twice (out of memory, killed, or a crash)"
    reject = Reject(source=source, reason="worker_crashed", detail=detail)
    size = len(unit.data) if isinstance(unit, RawDocument) else 0
    return Outcome("reject", reject.model_dump_json(), None, "worker_crashed", None, size)


Learned = tuple[str | None, str, tuple[int, bytes] | None] | None
"""What the learning pass takes from a unit: its site and its text as the rules will see
it, and when normalizing changed the text, the length and
:meth:`~cleaner.text.normalize.NormalizedTexts.key` of the text before (by which the
cleaning pass finds it among the texts kept); or nothing."""


def learning_text(unit: Unit, cleaner: Cleaner) -> Learned:
    """What the learning pass takes from a unit (nothing for a reject or a skip, nor for
    a document over the time limit: the cleaning pass rejects it as ``too_slow``)."""
    if not isinstance(unit, RawDocument):
        return None
    limit = cleaner.config.time_limit
    found = within_time_limit(limit, lambda: cleaner.learning_text(unit), lambda: None)
    if found is None:
        return None
    site, text, before = found
    return site, text, None if before is None else (len(before), NormalizedTexts.key(before))


def _learning_batch(batch: list[Unit]) -> list[Learned]:
    assert _WORKER is not None, "worker not initialised"
    return [learning_text(unit, _WORKER) for unit in batch]


def _not_learned(unit: Unit) -> Learned:
    return None


T = TypeVar("T")
R = TypeVar("R")


def ordered_map(
    submit: Callable[[list[T]], Callable[[], list[R]]], batches: Iterable[list[T]], limit: int
) -> Iterator[R]:
    """The results of ``batches`` sent off with ``submit`` (which returns how to wait for
    a batch's results: a pool's ``AsyncResult.get``, a Dask future's ``result``), in input
    order, with at most ``limit`` batches read ahead (``Pool.imap`` would read all of its
    input at once)."""
    window: deque[Callable[[], list[R]]] = deque()
    for batch in batches:
        window.append(submit(batch))
        if len(window) >= limit:
            yield from window.popleft()()
    while window:
        yield from window.popleft()()


def _batches(units: Iterable[Unit], docs: int, size: int) -> Iterator[list[Unit]]:
    batch: list[Unit] = []
    held = 0
    for unit in units:
        batch.append(unit)
        held += len(unit.data) if isinstance(unit, RawDocument) else 0
        if len(batch) >= docs or held >= size:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


@dataclass(frozen=True)
class LocalSettings:
    """How :func:`run_local` spreads work: processes, batch size, batches in flight."""

    workers: int = 1
    batch_docs: int = 32
    batch_bytes: int = 256 * 1024
    """Small batches keep every worker busy to the end of a file (a news page takes a
    few milliseconds, so 32 of them outweigh the cost of sending them many times over)."""
    in_flight_per_worker: int = 4
    samples: bool = True
    """Whether outcomes offer samples of the removed lines (:attr:`Outcome.removed`) for
    the run's stats. On by default: they cost a few microseconds a document (a clean
    takes milliseconds), and shard markers keep them whether or not ``--stats`` is asked."""


def default_workers() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class LocalEngine:
    """Cleans units on this machine, in ``settings.workers`` processes.

    With more than one worker, a pool of processes (each with its own Cleaner, rules
    compiled once) cleans batches of units; at most ``workers * in_flight_per_worker``
    batches are read ahead, and outcomes come back in input order. Start it (``with``)
    before any thread of the program, since the pool forks. ``normalized``: the texts a
    learning pass kept, taken instead of normalizing them again (forked workers share
    them; workers started otherwise normalize as usual).
    """

    def __init__(
        self,
        config: CleanerConfig,
        settings: LocalSettings,
        normalized: NormalizedTexts | None = None,
    ) -> None:
        self.config = config
        self.settings = settings
        self.cleaner = Cleaner(config)
        self.cleaner.normalized = normalized  # forked workers inherit it
        self._pool: WorkerPool | None = None

    def __enter__(self) -> LocalEngine:
        if self.settings.workers > 1:
            global _WORKER
            initializer = None
            if "fork" in mp.get_all_start_methods():
                # Forked workers share this process's compiled rules (copy-on-write)
                # instead of each compiling its own: faster to start, less memory.
                self.cleaner.warm_up()
                _WORKER = self.cleaner
            else:
                initializer = functools.partial(_init_worker, self.config.model_dump_json())
            gc.freeze()  # the collector would otherwise write to, and so copy, shared pages
            self._pool = WorkerPool(self.settings.workers, initializer)
            gc.unfreeze()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def outcomes(self, units: Iterable[Unit]) -> Iterator[Outcome]:
        """The outcome of every unit, in order."""
        samples = self.settings.samples
        one = functools.partial(outcome_of, samples=samples)
        return self._map(units, one, functools.partial(_clean_batch, samples=samples), crashed)

    def learning(self, units: Iterable[Unit]) -> Iterator[Learned]:
        """What the learning pass counts of every unit, in order."""
        return self._map(units, learning_text, _learning_batch, _not_learned)

    def _map(
        self,
        units: Iterable[Unit],
        one: Callable[[Unit, Cleaner], R],
        batch: Callable[[list[Unit]], list[R]],
        on_crash: Callable[[Unit], R],
    ) -> Iterator[R]:
        """``one`` of every unit here, or ``batch`` of batches of them in the pool."""
        s = self.settings
        if self._pool is None:
            for unit in units:
                yield one(unit, self.cleaner)
            return
        batches = _batches(units, s.batch_docs, s.batch_bytes)
        limit = s.workers * s.in_flight_per_worker
        yield from self._pool.map(batch, batches, limit, on_crash)

    def run(self, inputs: Iterable[str]) -> Iterator[Outcome]:
        """Read ``inputs`` and clean every unit, in order."""
        return self.outcomes(read_units(inputs, self.config.read))


def give_back_memory() -> None:
    """Return the heap's free pages to the system (glibc's ``malloc_trim``) after the
    learning pass: its batches leave the allocator holding freed memory that the
    cleaning pass, forked from this process, would otherwise keep resident all run
    (the peak on 200 MB with two workers: 350 → 310 MB). Elsewhere, nothing. The C
    library is the process's own symbols (``CDLL(None)``): ``ctypes.util.find_library``
    would run ``ldconfig`` in a child process, which a Ctrl-C then meets half-way."""
    gc.collect()
    libc = ctypes.CDLL(None)
    if hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)
