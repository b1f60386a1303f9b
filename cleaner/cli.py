"""The ``cleaner`` command: a thin typer shell over :mod:`cleaner.pipeline`.

Expected errors (:class:`~cleaner.errors.CleanerError`) print one line and exit with
code 2; the run itself exits 0 even when some documents are rejected.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from cleaner import __version__
from cleaner.config import CleanerConfig, QualityConfig, ReadConfig
from cleaner.engine import LocalEngine, LocalSettings, add_outcome, default_workers, reject_of
from cleaner.errors import CleanerError
from cleaner.models import Article, RawDocument, Reject, Skip
from cleaner.pipeline import Cleaner
from cleaner.read import STDIN, check_inputs, corpus_files
from cleaner.rules import GENERIC, RuleFile, bundled_rules_dir, load_rulebook
from cleaner.stats import RunStats
from cleaner.write import JsonlWriter, rejects_path_for

if TYPE_CHECKING:
    from cleaner.dedup import DedupStats  # imported when used: datasketch takes half a second

app = typer.Typer(
    name="cleaner",
    help="Turn scraped Indonesian news pages into clean, validated article records (JSONL).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

P = ParamSpec("P")
R = TypeVar("R")


def _err(message: str) -> None:
    typer.echo(message, err=True)


def expected_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn an expected error into one line on standard error and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except CleanerError as exc:
            _err(f"cleaner: error: {exc}")
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cleaner {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Turn scraped Indonesian news pages into clean, validated article records (JSONL)."""


class EngineChoice(StrEnum):
    local = "local"
    dask = "dask"


class InputFormatChoice(StrEnum):
    auto = "auto"
    text = "text"
    html = "html"
    jsonl = "jsonl"
    warc = "warc"


@app.command()
@expected_errors
def clean(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[INPUT]...",
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
        ),
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option(
            help="Write rejects here as JSONL (default: beside -o as NAME.rejects.jsonl; "
            "without -o, one line each on standard error)."
        ),
    ] = None,
    input_format: Annotated[
        InputFormatChoice,
        typer.Option(
            "--format",
            help="Read every input as this format (default: by suffix, else by content).",
        ),
    ] = InputFormatChoice.auto,
    max_bytes: Annotated[
        int,
        typer.Option(
            "--max-bytes",
            min=1,
            help="Largest unit (file, JSON line, WARC record) after decompression; larger "
            "ones are rejected as too_large.",
        ),
    ] = ReadConfig().max_unit_bytes,
    fail_on_reject: Annotated[
        bool, typer.Option("--fail-on-reject", help="Exit with code 1 if any unit is rejected.")
    ] = False,
    stats_file: Annotated[
        Path | None,
        typer.Option(
            "--stats",
            help="Write the run's counts as JSON: rejects by reason, per outlet the hits of "
            "each rule and the rules that never fired.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes (default: every core). The output is the same for any number.",
        ),
    ] = None,
    engine: Annotated[
        EngineChoice,
        typer.Option(
            help="local: this machine; dask: a Dask cluster (needs -o DIR/ and "
            "`pip install 'cleaner[dask]'`).",
        ),
    ] = EngineChoice.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="With --engine dask: the address of a running scheduler "
            "(tcp://host:8786); default: a local cluster of --workers processes."
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="With -o DIR/: skip the shards a previous run finished (their .done "
            "marker matches the inputs) and redo the others.",
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
        ),
    ] = 64.0,
    rules: Annotated[
        list[Path] | None,
        typer.Option(
            "--rules",
            help="A directory of rule files; a file there replaces the bundled file of the "
            "same outlet. May be given more than once.",
        ),
    ] = None,
    outlet: Annotated[
        str | None, typer.Option(help="Use this outlet's rules for every document.")
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
) -> None:
    """Clean INPUTs into article records, one JSON object per line."""
    if not inputs:
        if sys.stdin.isatty():
            raise CleanerError("no input given (name files or directories, or - for stdin)")
        inputs = [STDIN]
    check_inputs(inputs)
    if quality and not signals:
        raise CleanerError("--quality filters on the signals: it cannot go with --no-signals")
    config = CleanerConfig(
        rules_dirs=tuple(rules or ()),
        outlet=outlet,
        read=ReadConfig(format=input_format.value, max_unit_bytes=max_bytes),
        signals=signals,
        quality=QualityConfig(enabled=quality),
    )
    workers = workers or default_workers()
    output = Path(output_arg) if output_arg not in (None, "-") else None
    sharded = output is not None and (output_arg.endswith("/") or output.is_dir())  # type: ignore[union-attr]
    if engine is EngineChoice.dask and not sharded:
        raise CleanerError("--engine dask writes part files: give -o a directory (-o out/)")
    if resume and not sharded:
        raise CleanerError("--resume needs -o DIR/: only sharded output can be resumed")
    if scheduler and engine is not EngineChoice.dask:
        raise CleanerError("--scheduler goes with --engine dask")
    if dedup_after and (output is None or sharded):
        raise CleanerError(
            "--dedup reads the output twice: give -o a file (-o out.jsonl), or run "
            "`cleaner dedup DIR/ -o FILE` after a sharded run"
        )
    if sharded:
        assert output is not None
        stats, rulebook = _clean_sharded(
            inputs, config, output, engine, workers, scheduler, resume, quiet, shard_mb
        )
    else:
        stats, rulebook = _clean_stream(inputs, config, output, rejects, workers, quiet)
    _err(stats.render(rulebook) if summary else stats.one_line())
    if dedup_after:
        from cleaner.dedup import DedupConfig, dedup

        assert output is not None
        _err(_dedup_line(dedup(output, output, DedupConfig(), workers=workers)))
    if stats_file is not None:
        stats_file.parent.mkdir(parents=True, exist_ok=True)
        stats_file.write_text(
            json.dumps(stats.to_dict(rulebook), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
    if fail_on_reject and stats.rejected:
        raise typer.Exit(1)


def _progress(quiet: bool, unit: str) -> Any:
    """A progress bar on standard error when it is a terminal, else nothing."""
    from contextlib import nullcontext

    if quiet or not sys.stderr.isatty():
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    if unit == "docs":
        columns = [
            TextColumn("{task.completed:,.0f} docs"),
            TextColumn("{task.fields[mb]:,.1f} MB"),
            TextColumn("{task.fields[rate]:,.0f} docs/s"),
            TextColumn("{task.fields[rejects]:,} rejects"),
        ]
    return Progress(*columns, TimeElapsedColumn(), console=Console(stderr=True), transient=True)


def _clean_stream(
    inputs: list[str],
    config: CleanerConfig,
    output: Path | None,
    rejects: Path | None,
    workers: int,
    quiet: bool,
) -> tuple[RunStats, Any]:
    """Clean into one output stream (a file or standard output), in input order."""
    import time

    if output is not None and str(output) == "-":
        output = None
    if (
        rejects is None
        and output is not None
        and not output.is_symlink()
        and (output.is_file() or not output.exists())
    ):
        rejects = rejects_path_for(output)
    stats = RunStats()
    with LocalEngine(config, LocalSettings(workers=workers)) as local:
        articles = JsonlWriter(output)
        reject_writer = JsonlWriter(rejects) if rejects else None
        try:
            with _progress(quiet, "docs") as bar:
                task = bar.add_task("", total=None, mb=0.0, rate=0.0, rejects=0) if bar else None
                started, read = time.monotonic(), 0
                for n, outcome in enumerate(local.run(inputs), 1):
                    add_outcome(stats, outcome)
                    if outcome.kind == "article":
                        articles.write_line(outcome.line)
                    elif outcome.kind == "reject":
                        if reject_writer is not None:
                            reject_writer.write_line(outcome.line)
                        else:
                            r = reject_of(outcome.line)
                            _err(f"rejected: {r.source}: {r.reason}: {r.detail}")
                    read += outcome.size
                    if bar is not None and n % 50 == 0:
                        elapsed = max(time.monotonic() - started, 1e-9)
                        bar.update(
                            task,
                            completed=n,
                            mb=read / 1e6,
                            rate=n / elapsed,
                            rejects=stats.rejected,
                        )
            articles.commit()
            if reject_writer is not None:
                reject_writer.commit()
        except BrokenPipeError:
            # The reader of our output went away (`cleaner clean … | head`): stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except KeyboardInterrupt:
            _err("cleaner: interrupted; no output file was written")
            raise typer.Exit(130) from None
        finally:  # after a commit there is nothing left to abort
            articles.abort()
            if reject_writer is not None:
                reject_writer.abort()
        return stats, local.cleaner.rulebook


def _clean_sharded(
    inputs: list[str],
    config: CleanerConfig,
    out_dir: Path,
    engine: EngineChoice,
    workers: int,
    scheduler: str | None,
    resume: bool,
    quiet: bool,
    shard_mb: float,
) -> tuple[RunStats, Any]:
    """Clean into part files in ``out_dir``, shard by shard (locally or on Dask)."""
    from cleaner.engine import clean_shard, is_done, plan_shards, shard_units

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
        shards, skipped = plan_shards(inputs, config, int(shard_mb * 1024 * 1024))
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
    if resume:
        _err(f"resuming: {len(shards) - len(todo)} of {len(shards)} shards already done")
    try:
        with _progress(quiet, "shards") as bar:
            task = bar.add_task("shards", total=len(todo)) if bar else None

            def finished(shard_stats: dict[str, Any]) -> None:
                stats.merge(RunStats.from_dict(shard_stats))
                if bar is not None:
                    bar.advance(task)

            if engine is EngineChoice.dask:
                from cleaner.dask_engine import run_dask

                run_dask(
                    todo, config, out_dir, scheduler=scheduler, workers=workers, on_done=finished
                )
                rulebook = Cleaner(config).rulebook
            else:
                with LocalEngine(config, LocalSettings(workers=workers)) as local:
                    for shard in todo:
                        outcomes = local.outcomes(shard_units(shard, config))
                        finished(clean_shard(shard, config, out_dir, outcomes))
                    rulebook = local.cleaner.rulebook
    except KeyboardInterrupt:
        _err("cleaner: interrupted; finished shards are kept, --resume redoes the rest")
        raise typer.Exit(130) from None
    return stats, rulebook


@app.command()
@expected_errors
def explain(
    file: Annotated[str, typer.Argument(help="The input to explain (a file, or - for stdin).")],
    outlet: Annotated[
        str | None, typer.Option(help="Use this outlet's rules instead of detecting one.")
    ] = None,
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", help="A directory of rule files (as for `clean`)."),
    ] = None,
    input_format: Annotated[
        InputFormatChoice, typer.Option("--format", help="Read the input as this format.")
    ] = InputFormatChoice.auto,
    unit: Annotated[
        int | None,
        typer.Option(min=1, help="Only the N-th unit (JSONL line, WARC record) of the input."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON for tools, one object per unit.")
    ] = False,
) -> None:
    """Show, line by line, what the rules keep and remove in FILE, and why."""
    from rich.console import Console

    from cleaner.explain import explain as explain_trace
    from cleaner.read import read_units

    check_inputs([file])
    config = CleanerConfig(
        rules_dirs=tuple(rules or ()), outlet=outlet, read=ReadConfig(format=input_format.value)
    )
    cleaner = Cleaner(config)
    console = Console(highlight=False)
    count = 0
    for number, item in enumerate(read_units([file], config.read), 1):
        if unit is not None and number != unit:
            continue
        count += 1
        if isinstance(item, RawDocument):
            explanation = explain_trace(cleaner.trace(item), cleaner.rulebook)
            if as_json:
                typer.echo(json.dumps(explanation.to_json(), ensure_ascii=False))
            else:
                if count > 1:
                    console.print()
                explanation.render(console)
        elif as_json:
            typer.echo(json.dumps({"source": item.source, **_unit_json(item)}, ensure_ascii=False))
        else:
            console.print(f"{item.source}: {_unit_text(item)}")
    if count == 0:
        raise CleanerError(
            f"{file} holds no unit {unit}" if unit else f"{file} holds no input units"
        )


def _unit_json(item: Reject | Skip) -> dict[str, object]:
    if isinstance(item, Reject):
        return {"result": item.model_dump(mode="json")}
    return {"skipped": item.what}


def _unit_text(item: Reject | Skip) -> str:
    if isinstance(item, Reject):
        return f"reject: {item.reason}: {item.detail}"
    return f"skipped: {item.what}"


rules_app = typer.Typer(
    help="Write and check rule files: list, check, new, test.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(rules_app, name="rules")

RulesDirs = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="A directory of your rule files (beside the bundled ones)."),
]
FixturesDir = Annotated[
    Path | None,
    typer.Option(
        "--fixtures", help="The fixtures directory (default: fixtures/ beside the rules)."
    ),
]


@rules_app.command("list")
@expected_errors
def rules_list(
    rules: RulesDirs = None,
    fixtures: FixturesDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for tools.")] = False,
) -> None:
    """Every outlet with its domains, rule count, fixture count and rule file."""
    from cleaner.authoring import list_outlets
    from cleaner.explain import shown_path

    rows = list_outlets(load_rulebook(rules or ()), fixtures)
    if as_json:
        typer.echo(
            json.dumps(
                [
                    {
                        "outlet": r.outlet,
                        "name": r.name,
                        "domains": list(r.domains),
                        "rules": r.rules,
                        "fixtures": r.fixtures,
                        "file": shown_path(r.path),
                        "bundled": r.bundled,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    typer.echo(f"{'outlet':<16} {'rules':>5} {'fixtures':>8}  {'file':<28} domains")
    for r in rows:
        where = shown_path(r.path) + ("" if r.bundled else " (yours)")
        domains = ", ".join(r.domains) or "(every document)"
        typer.echo(f"{r.outlet:<16} {r.rules:>5} {r.fixtures:>8}  {where:<28} {domains}")


@rules_app.command("check")
@expected_errors
def rules_check(
    directory: Annotated[
        Path | None,
        typer.Argument(help="The rule files to check (default: the bundled rules)."),
    ] = None,
    fixtures: FixturesDir = None,
) -> None:
    """Validate rule files: schema, patterns, duplicate ids, domains claimed twice, and
    rules that no fixture ever triggers. Prints each problem as file:line: message."""
    from cleaner.authoring import check_rules
    from cleaner.explain import shown_path

    directory = directory or bundled_rules_dir()
    if not directory.is_dir():
        raise CleanerError(f"not a directory: {directory}")
    problems = check_rules(directory, fixtures)
    for problem in problems:
        where = shown_path(problem.file) + (f":{problem.line}" if problem.line else "")
        typer.echo(f"{where}: {problem.message}")
    if problems:
        _err(f"{len(problems)} problem{'s' if len(problems) != 1 else ''}")
        raise typer.Exit(1)
    _err(f"{shown_path(directory)}: no problems")


@rules_app.command("new")
@expected_errors
def rules_new(
    name: Annotated[str, typer.Argument(help="The outlet's id: lower case, e.g. kabarcontoh.")],
    domain: Annotated[
        list[str], typer.Option("--domain", help="A domain of the outlet (repeatable).")
    ],
    sample: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="A saved page of the outlet: proposes rules from what the generic rules "
            "remove in it, marked REVIEW, and becomes the first fixture.",
        ),
    ] = None,
    rules_dir: Annotated[Path, typer.Option("--dir", help="Where to write the rule file.")] = Path(
        "rules"
    ),
    fixtures: FixturesDir = None,
) -> None:
    """Write a commented rule file for a new outlet, and a fixture to test it with."""
    from cleaner.authoring import fixtures_dir_for, scaffold
    from cleaner.explain import shown_path

    if sample is not None and not sample.is_file():
        raise CleanerError(f"no such file: {sample}")
    written = scaffold(name, domain, rules_dir, fixtures or fixtures_dir_for(rules_dir), sample)
    for path in written:
        typer.echo(f"wrote {shown_path(path)}")
    flag = "" if rules_dir.resolve() == bundled_rules_dir().resolve() else f" --rules {rules_dir}"
    typer.echo(
        "next: read the REVIEW lines, then\n"
        f"  cleaner explain {shown_path(written[-1])}{flag} --outlet {name}\n"
        f"  cleaner rules test {name}{flag} --update   # writes the expected record: read it\n"
        f"  cleaner rules test {name}{flag}"
    )


@rules_app.command("test")
@expected_errors
def rules_test(
    name: Annotated[str | None, typer.Argument(help="One outlet (default: every outlet).")] = None,
    rules: RulesDirs = None,
    fixtures: FixturesDir = None,
    update: Annotated[
        bool,
        typer.Option(
            "--update", help="Write the expected records from the current output (then read them)."
        ),
    ] = False,
) -> None:
    """Run the fixtures: each input must become exactly its expected record."""
    from cleaner.authoring import fixture_dirs, run_fixtures
    from cleaner.explain import shown_path

    cleaner = Cleaner(CleanerConfig(rules_dirs=tuple(rules or ())))
    if name is not None and name not in cleaner.rulebook.outlets and name != GENERIC:
        raise CleanerError(f"unknown outlet {name!r}; see `cleaner rules list`")
    results = run_fixtures(cleaner, fixture_dirs(cleaner.rulebook, fixtures), name, update)
    if not results:
        raise CleanerError(f"no fixtures for {name or 'any outlet'}")
    failed = [r for r in results if not r.passed]
    for result in results:
        status = "updated" if result.updated else "ok" if result.passed else "FAIL"
        typer.echo(f"{status:<8} {shown_path(result.case.input)}")
        if not result.passed:
            typer.echo(result.diff)
    _err(f"{len(results) - len(failed)} of {len(results)} fixtures pass")
    if failed:
        raise typer.Exit(1)


class SchemaName(StrEnum):
    article = "article"
    reject = "reject"
    rules = "rules"


_SCHEMAS: dict[SchemaName, type[Article] | type[Reject] | type[RuleFile]] = {
    SchemaName.article: Article,
    SchemaName.reject: Reject,
    SchemaName.rules: RuleFile,
}


@app.command()
@expected_errors
def dedup(
    source: Annotated[
        Path,
        typer.Argument(
            help="Articles as `cleaner clean` wrote them: a JSONL file, or -o DIR/'s directory "
            "(its part files, in shard order)."
        ),
    ],
    output_arg: Annotated[
        str | None, typer.Option("--output", "-o", help="Output file (default: stdout).")
    ] = None,
    drop_duplicates: Annotated[
        bool,
        typer.Option(
            "--drop-duplicates",
            help="Write only the article each duplicate cluster keeps (the earliest "
            "published, then the first in the input).",
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes for the signatures (default: every core); the output is the same "
            "for any number.",
        ),
    ] = None,
    engine: Annotated[
        EngineChoice,
        typer.Option(help="Where the signatures are computed: here, or on Dask."),
    ] = EngineChoice.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="With --engine dask: the scheduler's address (default: a local cluster)."
        ),
    ] = None,
) -> None:
    """Mark duplicates (duplicate_of) and syndicated stories (cluster_id) in SOURCE, into
    one file."""
    from cleaner.dedup import DedupConfig
    from cleaner.dedup import dedup as run_dedup

    if scheduler and engine is not EngineChoice.dask:
        raise CleanerError("--scheduler goes with --engine dask")
    output = Path(output_arg) if output_arg not in (None, "-") else None
    stats = run_dedup(
        source,
        output,
        DedupConfig(),
        drop=drop_duplicates,
        workers=workers or default_workers(),
        dask=engine is EngineChoice.dask,
        scheduler=scheduler,
    )
    _err(_dedup_line(stats))


def _dedup_line(stats: DedupStats) -> str:
    return (
        f"{stats.records} articles: {stats.duplicates} duplicates in "
        f"{stats.duplicate_clusters} clusters, {stats.stories} stories told by more than one; "
        f"{stats.written} written"
    )


@app.command()
@expected_errors
def report(
    articles: Annotated[
        Path,
        typer.Argument(
            help="Articles as `cleaner clean` wrote them: a file, or -o DIR/'s directory."
        ),
    ],
    rejects: Annotated[
        Path | None,
        typer.Option(help="Its rejects (default: the files beside it, as `clean -o` names them)."),
    ] = None,
    html_out: Annotated[
        Path | None,
        typer.Option("--html", help="Also write the report as one self-contained HTML page."),
    ] = None,
) -> None:
    """Summarize a cleaned corpus (a file, or the directory of a sharded run): outlets,
    months, languages, rejects, rules, duplicates."""
    from cleaner.report import render_html, render_text, summarize

    files = corpus_files(articles)
    if rejects is not None:
        if not rejects.is_file():
            raise CleanerError(f"no such file: {rejects}")
        rejects_files = [rejects]
    else:
        rejects_files = [r for r in map(rejects_path_for, files) if r.exists()]
    summary = summarize(files, rejects_files)
    typer.echo(render_text(summary))
    if html_out is not None:
        html_out.parent.mkdir(parents=True, exist_ok=True)
        page = render_html(summary, f"cleaner report: {articles.name}")
        html_out.write_text(page, encoding="utf-8")


@app.command()
def schema(
    name: Annotated[SchemaName, typer.Argument(help="Which schema.")] = SchemaName.article,
) -> None:
    """Print the JSON Schema of the article record (or of rejects, or of rule files)."""
    typer.echo(json.dumps(_SCHEMAS[name].model_json_schema(), indent=2, ensure_ascii=False))


def main() -> None:
    """Console-script entry point."""
    app()
