"""The ``cleaner`` command's application object and what its commands share.

The command line is a thin shell over the public API: each command parses its options,
calls the API, and prints. Expected errors (:class:`~cleaner.errors.CleanerError`) print
one line and exit with code 2; the run itself exits 0 even when some documents are
rejected.
"""

from __future__ import annotations

import functools
import signal
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from cleaner import __version__
from cleaner.errors import CleanerError

if TYPE_CHECKING:
    from cleaner.corpus.dedup import DedupStats  # imported when used: datasketch is slow to load

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


def err(message: str) -> None:
    typer.echo(message, err=True)


def expected_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn an expected error into one line on standard error and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except CleanerError as exc:
            err(f"cleaner: error: {exc}")
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


def dedup_line(stats: DedupStats) -> str:
    """The line `cleaner dedup` (and `clean --dedup`) prints."""
    return (
        f"{stats.records} articles: {stats.duplicates} duplicates in "
        f"{stats.duplicate_clusters} clusters, {stats.stories} stories told by more than one; "
        f"{stats.written} written"
    )


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that what it was writing is cleaned away
    as after Ctrl-C (files written under temporary names are removed) and it exits 143."""


def _terminate(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends it at once
    raise Terminated


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _terminate)
    app()
