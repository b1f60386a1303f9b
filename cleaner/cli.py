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
from typing import Annotated, ParamSpec, TypeVar

import typer

from cleaner import __version__
from cleaner.config import CleanerConfig, ReadConfig
from cleaner.errors import CleanerError
from cleaner.models import Article, Reject, Skip
from cleaner.pipeline import Cleaner
from cleaner.read import STDIN, check_inputs
from cleaner.rules import RuleFile
from cleaner.stats import RunStats
from cleaner.write import JsonlWriter

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


class InputFormatChoice(StrEnum):
    auto = "auto"
    text = "text"
    html = "html"
    jsonl = "jsonl"
    warc = "warc"


def rejects_path_for(output: Path) -> Path:
    """``out/corpus.jsonl`` → ``out/corpus.rejects.jsonl`` (``.jsonl.gz`` stays gzipped)."""
    name = output.name
    compression = next((c for c in (".gz", ".zst") if name.endswith(c)), "")
    name = name.removesuffix(compression)
    stem = name.removesuffix(".jsonl") if name.endswith(".jsonl") else Path(name).stem
    return output.with_name(f"{stem}.rejects.jsonl{compression}")


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
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Write articles here (default: standard output)."),
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
) -> None:
    """Clean INPUTs into article records, one JSON object per line."""
    if not inputs:
        if sys.stdin.isatty():
            raise CleanerError("no input given (name files or directories, or - for stdin)")
        inputs = [STDIN]
    check_inputs(inputs)
    config = CleanerConfig(
        rules_dirs=tuple(rules or ()),
        outlet=outlet,
        read=ReadConfig(format=input_format.value, max_unit_bytes=max_bytes),
    )
    cleaner = Cleaner(config)
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
    articles = JsonlWriter(output)
    reject_writer = JsonlWriter(rejects) if rejects else None
    try:
        for result in cleaner.run(inputs):
            stats.add(result)
            if isinstance(result, Article):
                articles.write(result)
            elif isinstance(result, Skip):
                continue
            elif reject_writer is not None:
                reject_writer.write(result)
            else:
                _err(f"rejected: {result.source}: {result.reason}: {result.detail}")
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
    _err(stats.render() if summary else stats.one_line())
    if fail_on_reject and stats.rejected:
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
def schema(
    name: Annotated[SchemaName, typer.Argument(help="Which schema.")] = SchemaName.article,
) -> None:
    """Print the JSON Schema of the article record (or of rejects, or of rule files)."""
    typer.echo(json.dumps(_SCHEMAS[name].model_json_schema(), indent=2, ensure_ascii=False))


def main() -> None:
    """Console-script entry point."""
    app()
