"""``cleaner dedup`` and ``cleaner report``: commands on a finished run's articles
(:mod:`cleaner.corpus`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cleaner.cli.app import app, dedup_line, err, expected_errors
from cleaner.engines.local import default_workers
from cleaner.engines.run import Engine
from cleaner.errors import CleanerError
from cleaner.io.articles import corpus_files
from cleaner.io.sinks import check_output_name, rejects_path_for


@app.command()
@expected_errors
def dedup(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="SOURCE",
            help="Articles as `cleaner clean` wrote them: a JSONL file, or -o DIR/'s directory "
            "(its part files, in shard order).",
        ),
    ],
    output_arg: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Output file (default: stdout).", metavar="FILE"),
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
            metavar="N",
        ),
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(help="Where the signatures are computed: here, or on Dask.", metavar="ENGINE"),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="With --engine dask: the scheduler's address (default: a local cluster).",
            metavar="ADDRESS",
        ),
    ] = None,
) -> None:
    """Mark duplicates (duplicate_of) and syndicated stories (cluster_id) in SOURCE, into
    one file. An id that repeats an earlier article's is written as ID#N."""
    from cleaner.corpus.dedup import DedupConfig, renamed_line
    from cleaner.corpus.dedup import dedup as run_dedup

    if scheduler and engine != "dask":
        raise CleanerError("--scheduler goes with --engine dask")
    output = Path(output_arg) if output_arg not in (None, "-") else None
    if output is not None and (output.is_file() or not output.exists()):
        check_output_name(output)
    stats = run_dedup(
        source,
        output,
        DedupConfig(),
        drop=drop_duplicates,
        workers=workers or default_workers(),
        dask=engine == "dask",
        scheduler=scheduler,
    )
    err(dedup_line(stats))
    renamed = renamed_line(stats)
    if renamed is not None:  # ids are what a corpus is joined on: say so when they repeat
        err(renamed)


@app.command()
@expected_errors
def report(
    articles: Annotated[
        Path,
        typer.Argument(
            metavar="ARTICLES",
            help="Articles as `cleaner clean` wrote them: a file, or -o DIR/'s directory.",
        ),
    ],
    rejects: Annotated[
        Path | None,
        typer.Option(
            help="Its rejects (default: the files beside it, as `clean -o` names them).",
            metavar="FILE",
        ),
    ] = None,
    html_out: Annotated[
        Path | None,
        typer.Option(
            "--html", help="Also write the report as one self-contained HTML page.", metavar="FILE"
        ),
    ] = None,
    stats: Annotated[
        Path | None,
        typer.Option(
            "--stats",
            help="The clean run's --stats file (or a sharded run's directory), for examples of "
            "the lines each rule removed (default: ARTICLES' shard markers, if a directory).",
            metavar="FILE",
        ),
    ] = None,
    stories: Annotated[
        int,
        typer.Option(
            "--stories",
            min=1,
            help="Stories listed overall and per outlet (after cleaner dedup).",
            metavar="N",
        ),
    ] = 10,
) -> None:
    """Summarize a cleaned corpus (a file, or the directory of a sharded run): outlets,
    months, languages, rejects, rules, duplicates, the stories told most, each signal's
    distribution, and examples of what the rules removed."""
    from cleaner.corpus.report import render_html, render_text, stats_files, summarize

    files = corpus_files(articles)
    if rejects is not None:
        if not rejects.is_file():
            raise CleanerError(f"no such file: {rejects}")
        rejects_files = [rejects]
    else:
        rejects_files = [r for r in map(rejects_path_for, files) if r.exists()]
    summary = summarize(files, rejects_files, stats_files(articles, stats), stories)
    typer.echo(render_text(summary))
    if html_out is not None:
        html_out.parent.mkdir(parents=True, exist_ok=True)
        page = render_html(summary, f"cleaner report: {articles.name}")
        html_out.write_text(page, encoding="utf-8")
