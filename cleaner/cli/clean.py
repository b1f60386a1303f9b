"""``cleaner clean``: inputs in, articles and rejects out (:mod:`cleaner.engines.run`)."""

from __future__ import annotations

import json
import os
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer

from cleaner.cli.app import app, dedup_line, err, expected_errors
from cleaner.cli.settings import config_of
from cleaner.config import (
    INPUT_FIELDS,
    CleanerConfig,
    InputFormat,
    ReadConfig,
)
from cleaner.engines.local import default_workers
from cleaner.engines.run import Engine, clean_to_directory, clean_to_stream
from cleaner.engines.run import Progress as RunProgress
from cleaner.engines.stats import RunStats
from cleaner.errors import CleanerError, Terminated
from cleaner.io.formats import STDIN
from cleaner.io.sinks import check_output_name, write_atomically
from cleaner.io.sources import check_inputs
from cleaner.models import Reject
from cleaner.rules.load import load_rulebook
from cleaner.rules.repeats import SiteRepeats


@app.command()
@expected_errors
def clean(
    ctx: typer.Context,
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="INPUT",
            help="Files, directories (walked recursively, sorted) or - for standard input.",
            show_default=False,
        ),
    ] = None,
    output_arg: Annotated[
        str | None,
        typer.Option(
            "-o",
            "--output",
            help="Write articles here (default: standard output); .gz or .zst compresses. "
            "A directory (out/) gets part files, one pair per shard of inputs.",
            metavar="FILE",
        ),
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option(
            help="Write rejects here as JSONL (default: beside -o as NAME.rejects.jsonl; "
            "without -o, one line each on standard error).",
            metavar="FILE",
        ),
    ] = None,
    input_format: Annotated[
        InputFormat,
        typer.Option(
            "--format",
            help="Read every input as this format (default: by suffix, else by content).",
            metavar="FORMAT",
        ),
    ] = "auto",
    key_options: Annotated[
        list[str] | None,
        typer.Option(
            "--key",
            metavar="FIELD=PATH",
            help=f"Read FIELD ({', '.join(INPUT_FIELDS)}) of JSONL records from PATH: a key, "
            "a dotted path (metadata.date), several comma-separated, or nothing to not read "
            "it (repeatable; docs/usage.md lists the usual keys).",
        ),
    ] = None,
    max_bytes: Annotated[
        int | None,
        typer.Option(
            "--max-bytes",
            min=1,
            help="Largest unit (file, JSON line, WARC record) after decompression; larger "
            "ones are rejected as too_large. Default: what the workers can clean at once "
            "in half the machine's memory, at 43 bytes of memory per byte of unit "
            "(memory / 2 / workers / 43), in whole MiB from 1 to 32 MiB.",
            show_default=False,
            metavar="N",
        ),
    ] = None,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            min=0,
            metavar="SECONDS",
            help="CPU seconds one document may take to clean; one that takes longer is "
            "rejected as too_slow (0: no limit; not enforced on Dask).",
        ),
    ] = CleanerConfig().time_limit,
    fail_on_reject: Annotated[
        bool, typer.Option("--fail-on-reject", help="Exit with code 1 if any unit is rejected.")
    ] = False,
    stats_file: Annotated[
        Path | None,
        typer.Option(
            "--stats",
            help="Write the run's counts as JSON: rejects by reason, per outlet the hits of "
            "each rule and the rules that never fired.",
            metavar="FILE",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes (default: every core). The output is the same for any number.",
            metavar="N",
        ),
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(
            help="local: this machine; dask: a Dask cluster (needs -o DIR/ and "
            "`pip install '.[dask]'`).",
            metavar="ENGINE",
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="With --engine dask: the address of a running scheduler "
            "(tcp://host:8786); default: a local cluster of --workers processes.",
            metavar="ADDRESS",
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="With -o DIR/: finish an interrupted run: keep the shards it finished "
            "and redo the others. Refused if the inputs, options or rules differ.",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="With -o DIR/: replace what an earlier run left in DIR (with --resume: "
            "only if it was another run, with other inputs, options or rules).",
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar, only the final line.")
    ] = False,
    shard_mb: Annotated[
        float,
        typer.Option(
            "--shard-mb",
            min=0.001,
            help="With -o DIR/: input megabytes per shard (one pair of part files each; "
            "a larger file is a shard of its own).",
            metavar="MB",
        ),
    ] = 64.0,
    rules: Annotated[
        list[Path] | None,
        typer.Option(
            "--rules",
            help="A directory of rule files; a file there replaces the bundled file of the "
            "same outlet. May be given more than once.",
            metavar="DIR",
        ),
    ] = None,
    outlet: Annotated[
        str | None, typer.Option(help="Use this outlet's rules for every document.", metavar="NAME")
    ] = None,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary",
            help="Print a full summary (rejects by reason, rule hits per outlet) instead of "
            "one line.",
        ),
    ] = False,
    signals: Annotated[
        bool,
        typer.Option(
            "--signals/--no-signals",
            help="Measure each article's language and quality signals (--no-signals: "
            "leave them null, for speed).",
        ),
    ] = True,
    page_search: Annotated[
        bool,
        typer.Option(
            "--page-search/--no-page-search",
            help="Search an HTML page for a byline and category and tag links when its "
            "declarations and the rules give none (--no-page-search: leave those fields "
            "empty then, for speed).",
        ),
    ] = True,
    dedup_after: Annotated[
        bool,
        typer.Option(
            "--dedup",
            help="Then mark duplicates and stories in the output, as `cleaner dedup` does "
            "(needs -o FILE).",
        ),
    ] = False,
    quality: Annotated[
        bool,
        typer.Option(
            "--quality",
            help="Send articles that fail FineWeb-2's Indonesian quality thresholds (or are "
            "not Indonesian) to the rejects as low_quality, naming the signal.",
        ),
    ] = False,
    thresholds: Annotated[
        list[str] | None,
        typer.Option(
            "--threshold",
            metavar="NAME=VALUE",
            help="Change one --quality threshold, e.g. --threshold min_words=30 or "
            "--threshold languages=id,ms (repeatable; the names are QualityConfig's fields, "
            "docs/usage.md lists them).",
        ),
    ] = None,
    learn: Annotated[
        bool,
        typer.Option(
            "--learn/--no-learn",
            help="First read the inputs once to learn what each site repeats across its "
            "documents (lines and sentences in 5 or more documents of a site with 20 or "
            "more), and remove it too. Kept beside -o as NAME.learned.jsonl.",
        ),
    ] = True,
    site_key: Annotated[
        str | None,
        typer.Option(
            "--site-key",
            metavar="FIELD",
            help="A JSONL field naming each document's site, for learning (default: the "
            "URL's domain, else the outlet).",
        ),
    ] = None,
    learned: Annotated[
        Path | None,
        typer.Option(
            "--learned",
            metavar="FILE",
            help="Apply site repeats learned by an earlier run (its NAME.learned.jsonl) "
            "instead of learning.",
        ),
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="Settings from a TOML file: CleanerConfig's fields, with [quality], "
            "[learn], [read] and [repair] tables (docs/usage.md); options given here "
            "win over the file.",
        ),
    ] = None,
) -> None:
    """Clean INPUTs into article records, one JSON object per line."""
    if not inputs:
        if sys.stdin.isatty():
            raise CleanerError("no input given (name files or directories, or - for stdin)")
        inputs = [STDIN]
    given = {  # the options on the command line (typer may vendor click: by name)
        name
        for name in ctx.params
        if getattr(ctx.get_parameter_source(name), "name", "DEFAULT") != "DEFAULT"
    }
    workers = workers or default_workers()
    config = config_of(ctx.params, given, config_file, workers)
    check_inputs(inputs, ReadConfig(format=config.read.format))
    learned = config.learned
    if learned is not None and not learned.is_file():
        raise CleanerError(f"no such file: {learned}")
    output = Path(output_arg) if output_arg not in (None, "-") else None
    sharded = output is not None and (output_arg.endswith("/") or output.is_dir())  # type: ignore[union-attr]
    if output is not None and not sharded and (output.is_file() or not output.exists()):
        check_output_name(output)
    if rejects is not None and (rejects.is_file() or not rejects.exists()):
        check_output_name(rejects, "--rejects")
    if engine == "dask" and not sharded:
        raise CleanerError("--engine dask writes part files: give -o a directory (-o out/)")
    if resume and not sharded:
        raise CleanerError("--resume needs -o DIR/: only sharded output can be resumed")
    if force and not sharded:
        raise CleanerError("--force goes with -o DIR/ (a file output is always replaced whole)")
    also_writes = [("--stats", stats_file)] if stats_file is not None else []
    if scheduler and engine != "dask":
        raise CleanerError("--scheduler goes with --engine dask")
    if dedup_after and (output is None or sharded):
        raise CleanerError(
            "--dedup reads the output twice: give -o a file (-o out.jsonl), or run "
            "`cleaner dedup DIR/ -o FILE` after a sharded run"
        )
    try:
        if sharded:
            assert output is not None
            stats = _clean_sharded(
                inputs,
                config,
                output,
                engine,
                workers,
                scheduler,
                resume,
                quiet,
                shard_mb,
                force=force,
                also_writes=also_writes,
            )
        else:
            stats = _clean_stream(inputs, config, output, rejects, workers, quiet, also_writes)
    except BrokenPipeError:
        # The reader of our output went away (`cleaner clean … | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None
    except KeyboardInterrupt as stop:  # Ctrl-C, or SIGTERM (Terminated)
        what = (
            "finished shards are kept, --resume redoes the rest"
            if sharded
            else "no output file was written"
        )
        terminated = isinstance(stop, Terminated)
        err(f"cleaner: {'terminated' if terminated else 'interrupted'}; {what}")
        raise typer.Exit(143 if terminated else 130) from None
    rulebook = load_rulebook(config.rules_dirs)
    err(stats.render(rulebook) if summary else stats.one_line())
    if dedup_after:
        from cleaner.corpus.dedup import DedupConfig, dedup, renamed_line

        assert output is not None
        deduped = dedup(output, output, DedupConfig(), workers=workers)
        err(dedup_line(deduped))
        if (renamed := renamed_line(deduped)) is not None:
            err(renamed)
    if stats_file is not None:
        said = json.dumps(stats.to_dict(rulebook), ensure_ascii=False, indent=2) + "\n"
        write_atomically(stats_file, said.encode())
    if fail_on_reject and stats.rejected:
        raise typer.Exit(1)


def _progress(quiet: bool, unit: str) -> Any:
    """A progress bar on standard error when it is a terminal, else nothing."""
    if quiet or not sys.stderr.isatty():
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    if unit == "docs":
        columns += [
            TextColumn("docs"),
            TextColumn("{task.fields[rate]:,.0f}/s"),
            TextColumn("{task.fields[rejects]:,} rejects"),
        ]
    # The remaining time is an estimate from the rate so far; unknown without a total.
    columns += [TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn()]
    return Progress(*columns, console=Console(stderr=True), transient=True)


def _clean_stream(
    inputs: list[str],
    config: CleanerConfig,
    output: Path | None,
    rejects: Path | None,
    workers: int,
    quiet: bool,
    also_writes: list[tuple[str, Path]],
) -> RunStats:
    """Clean into one output stream (a file or standard output), with a progress line."""

    def show(reject: Reject) -> None:
        err(f"rejected: {reject.source}: {reject.reason}: {reject.detail}")

    with _progress(quiet, "docs") as bar:
        on_progress = None
        if bar is not None:
            task = bar.add_task("cleaning", total=None, rate=0.0, rejects=0)

            def on_progress(p: RunProgress) -> None:
                rate = p.units / max(p.elapsed, 1e-9)
                if p.stage == "learning":  # the first reading: counts the units too
                    bar.update(task, description="learning", completed=p.units, rate=rate)
                    return
                if bar.tasks[0].description == "learning":  # the second reading starts
                    bar.reset(task, description="cleaning", total=p.total)
                bar.update(task, total=p.total, completed=p.units, rate=rate, rejects=p.rejects)

        return clean_to_stream(
            inputs,
            config,
            output,
            rejects,
            workers=workers,
            also_writes=also_writes,
            on_reject=show,
            on_progress=on_progress,
            on_learned=None if quiet else _say_learned,
        )


def _say_learned(table: SiteRepeats, path: Path | None) -> None:
    if not len(table):
        return
    sites = table.sites()
    where = f", kept in {path}" if path is not None else ""
    segments = sum(len(table.for_site(site)) for site in sites)
    lines = f"{segments} repeated line{'s' if segments != 1 else ''}"
    err(f"learned: {lines} on {len(sites)} site{'s' if len(sites) != 1 else ''}{where}")


def _clean_sharded(
    inputs: list[str],
    config: CleanerConfig,
    out_dir: Path,
    engine: Engine,
    workers: int,
    scheduler: str | None,
    resume: bool,
    quiet: bool,
    shard_mb: float,
    *,
    force: bool,
    also_writes: list[tuple[str, Path]],
) -> RunStats:
    """Clean into part files in ``out_dir``, shard by shard, with a progress bar."""
    with _progress(quiet, "shards") as bar:
        task = bar.add_task("shards", total=None) if bar else None

        def planned(done: int, total: int) -> None:
            if resume:
                err(f"resuming: {done} of {total} shards already done")
            if bar is not None:
                bar.update(task, total=total - done)

        return clean_to_directory(
            inputs,
            config,
            out_dir,
            workers=workers,
            resume=resume,
            force=force,
            also_writes=also_writes,
            shard_bytes=int(shard_mb * 1024 * 1024),
            engine=engine,
            scheduler=scheduler,
            on_plan=planned,
            on_shard=(lambda: bar.advance(task)) if bar is not None else None,
            on_learned=None if quiet else _say_learned,
        )
