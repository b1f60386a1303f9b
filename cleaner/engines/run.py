"""A whole run, inputs to outputs: what ``cleaner clean`` does, callable from Python.

* :func:`clean_to_stream` cleans into one output (a file, or standard output) and its
  rejects, on every core of this machine, in input order.
* :func:`clean_to_directory` cleans into part files, shard by shard, here or on a Dask
  cluster, and can resume a run that was interrupted.

Both count what they do in a :class:`~cleaner.engines.stats.RunStats`. They report
progress through callbacks and leave the terminal to the caller (the command line draws
its progress bar from them).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cleaner.config import CleanerConfig
from cleaner.engines.learn import RepeatCounter
from cleaner.engines.local import LocalEngine, LocalSettings
from cleaner.engines.outcome import add_outcome, reject_of
from cleaner.engines.shards import Shard, clean_shard, is_done, plan_shards, shard_units
from cleaner.engines.stats import RunStats
from cleaner.errors import CleanerError
from cleaner.io.formats import STDIN
from cleaner.io.readers import Unit
from cleaner.io.sinks import JsonlWriter, learned_path_for, rejects_path_for
from cleaner.io.sources import read_units
from cleaner.models import Reject
from cleaner.rules.repeats import SiteRepeats

Engine = Literal["local", "dask"]


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a stream run is: units done, input bytes read, rejects, seconds so far."""

    units: int
    bytes: int
    rejects: int
    elapsed: float


def default_rejects_path(output: Path | None) -> Path | None:
    """Where rejects go when no file is named: beside a plain output file
    (``out/corpus.jsonl`` → ``out/corpus.rejects.jsonl``), else nowhere."""
    if output is None or output.is_symlink() or (output.exists() and not output.is_file()):
        return None
    return rejects_path_for(output)


def learn_repeats(
    units: Callable[[], Iterable[Unit]], config: CleanerConfig, workers: int = 1
) -> SiteRepeats:
    """The learning pass: what each site repeats across the units (read once more for
    cleaning), counted in input order whatever the number of ``workers``."""
    with (
        LocalEngine(config, LocalSettings(workers=workers)) as local,
        RepeatCounter(config.learn) as counter,
    ):
        for found in local.learning(units()):
            if found is not None:
                counter.add(*found)
        return counter.finish()


def _learns(config: CleanerConfig, inputs: list[str]) -> bool:
    """Whether a run learns first: asked to, no table given, and inputs that can be
    read twice (standard input cannot)."""
    return config.learn.enabled and config.learned is None and STDIN not in inputs


def clean_to_stream(
    inputs: Iterable[str],
    config: CleanerConfig,
    output: Path | None,
    rejects: Path | None = None,
    *,
    workers: int = 1,
    on_reject: Callable[[Reject], None] | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    on_learned: Callable[[SiteRepeats, Path | None], None] | None = None,
    progress_every: int = 50,
) -> RunStats:
    """Clean ``inputs`` into ``output`` (``None``: standard output), in input order.

    Rejects go to ``rejects`` (default: :func:`default_rejects_path`), or, when there is
    no such file, to ``on_reject``. Files are written under temporary names and moved
    into place only when the run completes: an interrupted run (an exception, Ctrl-C)
    leaves no file that looks whole.

    Unless ``config.learn`` says not to, the inputs are first read once to learn what
    each site repeats (:func:`learn_repeats`); the table is kept beside ``output``
    (:func:`~cleaner.io.sinks.learned_path_for`), or for the run only without one.
    """
    inputs = list(inputs)
    with tempfile.TemporaryDirectory(prefix=".cleaner-") as scratch:
        if _learns(config, inputs):
            table = learn_repeats(lambda: read_units(inputs, config.read), config, workers)
            path = learned_path_for(output) if output is not None else None
            if len(table):
                kept = path or Path(scratch) / "learned.jsonl"
                kept.parent.mkdir(parents=True, exist_ok=True)
                table.to_file(kept)
                config = config.model_copy(update={"learned": kept})
            if on_learned is not None:
                on_learned(table, path if len(table) else None)
        return _clean_to_stream(
            inputs, config, output, rejects, workers, on_reject, on_progress, progress_every
        )


def _clean_to_stream(
    inputs: list[str],
    config: CleanerConfig,
    output: Path | None,
    rejects: Path | None,
    workers: int,
    on_reject: Callable[[Reject], None] | None,
    on_progress: Callable[[Progress], None] | None,
    progress_every: int,
) -> RunStats:
    if rejects is None:
        rejects = default_rejects_path(output)
    stats = RunStats()
    with LocalEngine(config, LocalSettings(workers=workers)) as local:
        articles = JsonlWriter(output)
        reject_writer = JsonlWriter(rejects) if rejects else None
        try:
            started, read = time.monotonic(), 0
            for n, outcome in enumerate(local.run(inputs), 1):
                add_outcome(stats, outcome)
                if outcome.kind == "article":
                    articles.write_line(outcome.line)
                elif outcome.kind == "reject":
                    if reject_writer is not None:
                        reject_writer.write_line(outcome.line)
                    elif on_reject is not None:
                        on_reject(reject_of(outcome.line))
                read += outcome.size
                if on_progress is not None and n % progress_every == 0:
                    on_progress(Progress(n, read, stats.rejected, time.monotonic() - started))
            articles.commit()
            if reject_writer is not None:
                reject_writer.commit()
        finally:  # after a commit there is nothing left to abort
            articles.abort()
            if reject_writer is not None:
                reject_writer.abort()
    return stats


LEARNED = "learned.jsonl"
"""The site repeats a sharded run learned, in its output directory (kept for --resume)."""


def _learn_for_shards(
    shards: list[Shard],
    config: CleanerConfig,
    out_dir: Path,
    resume: bool,
    engine: Engine,
    scheduler: str | None,
    workers: int,
    on_learned: Callable[[SiteRepeats, Path | None], None] | None,
) -> CleanerConfig:
    """The learning pass of a sharded run, unless a resumed run learned already; the
    config with the table to apply."""
    path = out_dir / LEARNED
    if not (resume and path.exists()):
        if engine == "dask":
            from cleaner.engines.dask import learn_on_dask

            table = learn_on_dask(shards, config, out_dir, scheduler=scheduler, workers=workers)
        else:

            def every() -> Iterator[Unit]:
                return (unit for shard in shards for unit in shard_units(shard, config))

            table = learn_repeats(every, config, workers)
        path.unlink(missing_ok=True)
        if len(table):
            table.to_file(path)
        if on_learned is not None:
            on_learned(table, path if len(table) else None)
    return config.model_copy(update={"learned": path}) if path.exists() else config


def clean_to_directory(
    inputs: Iterable[str],
    config: CleanerConfig,
    out_dir: Path,
    *,
    workers: int = 1,
    resume: bool = False,
    shard_bytes: int = 64 * 1024 * 1024,
    engine: Engine = "local",
    scheduler: str | None = None,
    on_plan: Callable[[int, int], None] | None = None,
    on_shard: Callable[[], None] | None = None,
    on_learned: Callable[[SiteRepeats, Path | None], None] | None = None,
) -> RunStats:
    """Clean ``inputs`` into part files in ``out_dir``, shard by shard, on this machine
    (``workers`` processes) or on Dask (the cluster at ``scheduler``, else a local one).

    With ``resume``, shards whose completion marker matches their inputs are kept and
    the others are redone; without it, a directory holding part files is refused.
    ``on_plan(done, total)`` is called once the shards are planned, ``on_shard()`` after
    each shard this run cleans.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    earlier = sorted(out_dir.glob("part-*"))
    if earlier and not resume:
        raise CleanerError(
            f"{out_dir} holds part files of an earlier run: --resume to finish it, "
            "or give an empty directory"
        )
    for stale in out_dir.glob(".part-*.tmp"):  # left by a run that was killed
        stale.unlink(missing_ok=True)
    try:
        shards, skipped = plan_shards(inputs, config, shard_bytes)
    except ValueError as exc:
        raise CleanerError(str(exc)) from None
    planned = {s.name for s in shards}
    for path in earlier:  # shards the plan no longer has (the inputs changed)
        if path.name.split(".")[0] not in planned:
            path.unlink()
    stats = RunStats()
    for skip in skipped:
        stats.add(skip)
    todo = []
    for shard in shards:
        done = is_done(out_dir, shard) if resume else None
        if done is not None:
            stats.merge(RunStats.from_dict(done))
        else:
            todo.append(shard)
    if on_plan is not None:
        on_plan(len(shards) - len(todo), len(shards))
    if config.learn.enabled and config.learned is None:
        config = _learn_for_shards(
            shards, config, out_dir, resume, engine, scheduler, workers, on_learned
        )

    def finished(shard_stats: dict[str, object]) -> None:
        stats.merge(RunStats.from_dict(shard_stats))
        if on_shard is not None:
            on_shard()

    if engine == "dask":
        from cleaner.engines.dask import run_dask

        run_dask(todo, config, out_dir, scheduler=scheduler, workers=workers, on_done=finished)
    else:
        with LocalEngine(config, LocalSettings(workers=workers)) as local:
            for shard in todo:
                outcomes = local.outcomes(shard_units(shard, config))
                finished(clean_shard(shard, config, out_dir, outcomes))
    return stats
