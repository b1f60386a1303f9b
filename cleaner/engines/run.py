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

import json
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cleaner.config import CleanerConfig
from cleaner.engines.learn import RepeatCounter
from cleaner.engines.local import LocalEngine, LocalSettings, give_back_memory
from cleaner.engines.outcome import add_outcome, reject_of
from cleaner.engines.shards import (
    Shard,
    clean_shard,
    is_done,
    plan_shards,
    run_settings,
    settings_key,
    shard_units,
)
from cleaner.engines.stats import RunStats
from cleaner.errors import CleanerError, OutputError
from cleaner.io.formats import ONE_DOCUMENT_FORMATS, STDIN
from cleaner.io.outputs import OutputLock, check_outputs, lock_path_for, remove_stale_temps
from cleaner.io.readers import Unit
from cleaner.io.sinks import learned_path_for, open_sink, rejects_path_for, write_atomically
from cleaner.io.sources import RUN_MANIFEST, InputFile, expand_inputs, read_units
from cleaner.models import Article, Reject, Skip
from cleaner.rules.repeats import SiteRepeats
from cleaner.text.normalize import NormalizedTexts

Engine = Literal["local", "dask"]


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a stream run is: units done, input bytes read, rejects, seconds so far, and
    how many units there are in all when that is known (for a bar and an ETA)."""

    units: int
    bytes: int
    rejects: int
    elapsed: float
    total: int | None = None
    """The units the run will clean: counted by the learning pass, or the number of
    one-document files when every input is one; ``None`` when unknown (a JSONL or WARC
    input read without learning)."""
    stage: Literal["learning", "cleaning"] = "cleaning"


def units_known(inputs: Iterable[str], config: CleanerConfig) -> int | None:
    """How many units ``inputs`` hold, when that is known without reading them: each file
    of a one-document format (text, HTML) is one unit, each file passed over one skip.
    ``None`` as soon as a file holds many (JSONL, WARC) or must be sniffed."""
    if STDIN in inputs:
        return None
    count = 0
    for item in expand_inputs(inputs, config.read):
        if isinstance(item, InputFile) and item.format not in ONE_DOCUMENT_FORMATS:
            return None
        count += 1
    return count


def default_rejects_path(output: Path | None) -> Path | None:
    """Where rejects go when no file is named: beside a plain output file
    (``out/corpus.jsonl`` → ``out/corpus.rejects.jsonl``), else nowhere."""
    if output is None or output.is_symlink() or (output.exists() and not output.is_file()):
        return None
    return rejects_path_for(output)


def learn_repeats(
    units: Callable[[], Iterable[Unit]],
    config: CleanerConfig,
    workers: int = 1,
    on_unit: Callable[[int], None] | None = None,
    normalized: NormalizedTexts | None = None,
) -> SiteRepeats:
    """The learning pass: what each site repeats across the units (read once more for
    cleaning), counted in input order whatever the number of ``workers``. ``on_unit``
    hears the number of units read so far, after each one. The texts that normalizing
    changed go to ``normalized``, for the cleaning pass."""
    with (
        LocalEngine(config, LocalSettings(workers=workers)) as local,
        RepeatCounter(config.learn) as counter,
    ):
        for n, found in enumerate(local.learning(units()), 1):
            if found is not None:
                site, text, changed = found
                counter.add(site, text.split("\n"))
                if normalized is not None and changed is not None:
                    normalized.keep(*changed, text)
            if on_unit is not None:
                on_unit(n)
        table = counter.finish()
    give_back_memory()
    return table


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
    also_writes: Sequence[tuple[str, Path]] = (),
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

    Before anything is written, the outputs (and ``also_writes``, other files the caller
    will write, named as on its command line) are checked against the inputs and each
    other (:func:`~cleaner.io.outputs.check_outputs`), the output is locked against a
    second run (:class:`~cleaner.io.outputs.OutputLock`), and temporary files a killed
    run left beside it are removed. The outputs are never read as inputs.

    Unless ``config.learn`` says not to, the inputs are first read once to learn what
    each site repeats (:func:`learn_repeats`); the table is kept beside ``output``
    (:func:`~cleaner.io.sinks.learned_path_for`), or for the run only without one.
    ``on_learned`` hears of it when the run is complete and the table in its place (an
    interrupted run writes neither).
    """
    inputs = list(inputs)
    if rejects is None:
        rejects = default_rejects_path(output)
    learns = _learns(config, inputs)
    kept_table = learned_path_for(output) if output is not None and learns else None
    named = [
        (name, path)
        for name, path in [
            ("-o", output),
            ("--rejects", rejects),
            ("the learned table", kept_table),
        ]
        if path is not None
    ]
    named += also_writes
    check_outputs(inputs, [*named])
    config = _excluding(config, [path for _, path in named])
    lock: AbstractContextManager[object] = nullcontext()
    if output is not None and (output.is_file() or not output.exists()):
        lock = OutputLock(lock_path_for(output))
    with lock, tempfile.TemporaryDirectory(prefix=".cleaner-") as scratch:
        remove_stale_temps(path for _, path in named)
        table = None
        total = None if learns else units_known(inputs, config)
        normalized = NormalizedTexts(config.learn.carry_mb << 20) if learns else None
        if learns:
            started = time.monotonic()

            def counted(n: int) -> None:
                nonlocal total
                total = n
                if on_progress is not None and n % progress_every == 0:
                    on_progress(Progress(n, 0, 0, time.monotonic() - started, stage="learning"))

            table = learn_repeats(
                lambda: read_units(inputs, config.read), config, workers, counted, normalized
            )
            total = total or 0
            if len(table):
                learned = Path(scratch) / "learned.jsonl"
                learned.write_bytes(table.to_bytes())
                config = config.model_copy(update={"learned": learned})
        engine = LocalEngine(config, LocalSettings(workers=workers), normalized)
        stats = _clean_to_stream(
            engine, inputs, output, rejects, on_reject, on_progress, progress_every, total
        )
        if kept_table is not None and table is not None:  # with the output, not before it
            if len(table):
                write_atomically(kept_table, table.to_bytes())
            else:  # an earlier run's table would be taken for this run's
                kept_table.unlink(missing_ok=True)
        if on_learned is not None and table is not None:  # once it is where it is said to be
            on_learned(table, kept_table if len(table) else None)
        return stats


def _excluding(config: CleanerConfig, paths: Iterable[Path]) -> CleanerConfig:
    """``config`` whose readers pass over ``paths`` (the run's own outputs)."""
    read = config.read.model_copy(update={"exclude": (*config.read.exclude, *paths)})
    return config.model_copy(update={"read": read})


def _clean_to_stream(
    engine: LocalEngine,
    inputs: list[str],
    output: Path | None,
    rejects: Path | None,
    on_reject: Callable[[Reject], None] | None,
    on_progress: Callable[[Progress], None] | None,
    progress_every: int,
    total: int | None,
) -> RunStats:
    stats = RunStats()
    with engine as local:
        articles = open_sink(output, Article)
        reject_writer = open_sink(rejects, Reject) if rejects else None
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
                    elapsed = time.monotonic() - started
                    on_progress(Progress(n, read, stats.rejected, elapsed, total))
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
    normalized: NormalizedTexts,
) -> CleanerConfig:
    """The learning pass of a sharded run, unless a resumed run learned already; the
    config with the table to apply. The texts it normalized go to ``normalized`` (not
    on Dask, whose workers learn on their own)."""
    path = out_dir / LEARNED
    if not (resume and path.exists()):
        if engine == "dask":
            from cleaner.engines.dask import learn_on_dask

            table = learn_on_dask(shards, config, out_dir, scheduler=scheduler, workers=workers)
        else:

            def every() -> Iterator[Unit]:
                return (unit for shard in shards for unit in shard_units(shard, config))

            table = learn_repeats(every, config, workers, normalized=normalized)
        path.unlink(missing_ok=True)
        if len(table):
            write_atomically(path, table.to_bytes())
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
    force: bool = False,
    shard_bytes: int = 64 * 1024 * 1024,
    engine: Engine = "local",
    scheduler: str | None = None,
    also_writes: Sequence[tuple[str, Path]] = (),
    on_plan: Callable[[int, int], None] | None = None,
    on_shard: Callable[[], None] | None = None,
    on_learned: Callable[[SiteRepeats, Path | None], None] | None = None,
) -> RunStats:
    """Clean ``inputs`` into part files in ``out_dir``, shard by shard, on this machine
    (``workers`` processes) or on Dask (the cluster at ``scheduler``, else a local one).

    The directory is locked for the run, and the run's plan (its shards' input files,
    with their sizes and times) and settings (:func:`~cleaner.engines.shards.run_settings`)
    are kept in it (:data:`~cleaner.io.sources.RUN_MANIFEST`) before any part is written.
    A directory holding an earlier run's files is refused, unless:

    * ``resume``, and the plan and settings are the same: shards whose marker matches
      are kept, the others redone. Nothing else is ever deleted; a different plan or
      settings are refused, naming what differs;
    * ``force``: the earlier run's files are removed and the run starts afresh (with
      ``resume`` too, only when the plan or settings differ).

    ``on_plan(done, total)`` is called once the shards are planned, ``on_shard()`` after
    each shard this run cleans.
    """
    inputs = list(inputs)
    check_outputs(inputs, list(also_writes), out_dir=out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot write {out_dir}: {exc.strerror or exc}") from None
    with OutputLock(lock_path_for(out_dir, directory=True)):
        for stale in out_dir.glob(".*.tmp"):  # left by a run that was killed
            stale.unlink(missing_ok=True)
        settings = run_settings(config)
        key = settings_key(settings)
        config = _excluding(config, [out_dir, *(path for _, path in also_writes)])
        try:
            shards, skipped = plan_shards(inputs, config, shard_bytes)
        except ValueError as exc:
            raise CleanerError(str(exc)) from None
        plan = json.loads(json.dumps([[s.name, s.signature()] for s in shards]))
        resume = _may_resume(out_dir, settings, plan, resume=resume, force=force)
        manifest = {"settings": settings, "plan": plan}
        write_atomically(out_dir / RUN_MANIFEST, json.dumps(manifest, ensure_ascii=False).encode())
        return _clean_shards(
            shards,
            skipped,
            config,
            out_dir,
            key,
            resume=resume,
            workers=workers,
            engine=engine,
            scheduler=scheduler,
            on_plan=on_plan,
            on_shard=on_shard,
            on_learned=on_learned,
        )


def _own_files(out_dir: Path) -> list[Path]:
    """What a sharded run writes in its directory (part files, markers, learned table)."""
    return sorted([*out_dir.glob("part-*"), *out_dir.glob(LEARNED)])


def _may_resume(
    out_dir: Path, settings: dict[str, Any], plan: list[Any], *, resume: bool, force: bool
) -> bool:
    """Whether the run may keep the finished shards in ``out_dir``; refuses (a one-line
    error) what would mix two runs, and with ``force`` clears the earlier run."""
    earlier = _own_files(out_dir)
    previous = _read_manifest(out_dir / RUN_MANIFEST)
    if not earlier and previous is None:
        return False
    if not (resume or force):
        raise CleanerError(
            f"{out_dir} holds part files of an earlier run: --resume to finish it, "
            "--force to replace it, or give an empty directory"
        )
    differs = _what_differs(previous, settings, plan)
    if differs is not None and not force:
        raise CleanerError(
            f"{out_dir} holds a run with {differs}: --resume finishes only the same run; "
            "--force replaces it, or give another directory"
        )
    if force and (differs is not None or not resume):
        for path in earlier:
            path.unlink(missing_ok=True)
        return False
    return resume


def _read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _what_differs(
    previous: dict[str, Any] | None, settings: dict[str, Any], plan: list[Any]
) -> str | None:
    """What makes the earlier run in a directory another run than this one, in words."""
    if not previous:
        return "no readable record of its plan and settings (an older cleaner's, or damaged)"
    old = previous.get("settings", {})
    if old.get("cleaner") != settings["cleaner"]:
        return f"another cleaner version ({old.get('cleaner')}, this is {settings['cleaner']})"
    if old.get("config") != settings["config"]:
        keys = _differing_keys(old.get("config", {}), settings["config"])
        return f"other options ({', '.join(keys[:5]) or 'the configuration'})"
    if old.get("rules") != settings["rules"] or old.get("learned") != settings.get("learned"):
        return "other rule files"
    if previous.get("plan") != plan:
        before = {tuple(f) for _, files in previous.get("plan", []) for f in files}
        now = {tuple(f) for _, files in plan for f in files}
        paths_before, paths_now = {f[0] for f in before}, {f[0] for f in now}
        added, gone = len(paths_now - paths_before), len(paths_before - paths_now)
        changed = len({f[0] for f in now - before} & paths_before)
        counts = [
            f"{n} {what}" for n, what in ((added, "new"), (gone, "gone"), (changed, "changed"))
        ]
        said = ", ".join(c for c in counts if not c.startswith("0 ")) or "shards grouped otherwise"
        return f"other inputs ({said})"
    return None


def _differing_keys(old: Any, new: Any, prefix: str = "") -> list[str]:
    """The dotted keys whose values differ between two nested dicts."""
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return [prefix.rstrip(".")] if old != new else []
    keys = sorted(set(old) | set(new))
    return [
        k for key in keys for k in _differing_keys(old.get(key), new.get(key), f"{prefix}{key}.")
    ]


def _clean_shards(
    shards: list[Shard],
    skipped: list[Skip],
    config: CleanerConfig,
    out_dir: Path,
    key: str,
    *,
    resume: bool,
    workers: int,
    engine: Engine,
    scheduler: str | None,
    on_plan: Callable[[int, int], None] | None,
    on_shard: Callable[[], None] | None,
    on_learned: Callable[[SiteRepeats, Path | None], None] | None,
) -> RunStats:
    """Learn (unless done), then clean the shards not finished yet."""
    stats = RunStats()
    for skip in skipped:
        stats.add(skip)
    todo = []
    for shard in shards:
        done = is_done(out_dir, shard, key) if resume else None
        if done is not None:
            stats.merge(RunStats.from_dict(done))
        else:
            todo.append(shard)
    if on_plan is not None:
        on_plan(len(shards) - len(todo), len(shards))
    normalized = None
    if config.learn.enabled and config.learned is None:
        normalized = NormalizedTexts(config.learn.carry_mb << 20)
        config = _learn_for_shards(
            shards, config, out_dir, resume, engine, scheduler, workers, on_learned, normalized
        )

    def finished(shard_stats: dict[str, object]) -> None:
        stats.merge(RunStats.from_dict(shard_stats))
        if on_shard is not None:
            on_shard()

    if engine == "dask":
        from cleaner.engines.dask import run_dask

        run_dask(
            todo,
            config,
            out_dir,
            scheduler=scheduler,
            workers=workers,
            settings=key,
            on_done=finished,
        )
    else:
        with LocalEngine(config, LocalSettings(workers=workers), normalized) as local:
            for shard in todo:
                outcomes = local.outcomes(shard_units(shard, config))
                finished(clean_shard(shard, config, out_dir, key, outcomes))
    return stats
