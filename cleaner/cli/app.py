"""The ``cleaner`` command's application object and what its commands share.

The command line is a thin shell over the public API: each command parses its options,
calls the API, and prints. Expected errors (:class:`~cleaner.errors.CleanerError`) print
one line and exit with code 2; the run itself exits 0 even when some documents are
rejected.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from cleaner import __version__
from cleaner.errors import CleanerError, Terminated, handle_signals

if TYPE_CHECKING:
    from cleaner.corpus.dedup import DedupStats  # imported when used: datasketch is slow to load

HELP = {"help_option_names": ["-h", "--help"]}
"""``-h`` as well as ``--help``, on every command (sub-apps and commands inherit it)."""

app = typer.Typer(
    name="cleaner",
    help="Turn scraped Indonesian news pages into clean, validated article records (JSONL).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=HELP,
)


def _plain_argument(display: Callable[[Any, Any], str | None]) -> Callable[[Any, Any], str | None]:
    """An argument's help shows its metavar alone (``FILE``), as an option's does: typer
    appends the Python type to arguments (``FILE <str>``, ``INPUT <list[str]>``) even
    when a metavar is given. Choices stay listed (``NAME <article|reject|…>``)."""

    def shown(self: Any, ctx: Any) -> str | None:
        if self.metavar is not None and not self.type_descriptor.is_choice:
            return None
        return display(self, ctx)

    return shown


typer.core.TyperArgument.display_type_rich = _plain_argument(  # type: ignore[method-assign,assignment]
    typer.core.TyperArgument.display_type_rich
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
    typer.Option(
        "--rules", metavar="DIR", help="A directory of your rule files (beside the bundled ones)."
    ),
]
FixturesDir = Annotated[
    Path | None,
    typer.Option(
        "--fixtures",
        metavar="DIR",
        help="The fixtures directory (default: fixtures/ beside the rules).",
    ),
]


def dedup_line(stats: DedupStats) -> str:
    """The line `cleaner dedup` (and `clean --dedup`) prints."""
    from cleaner.engines.stats import plural  # with dedup's modules, not at start-up

    return (
        f"{plural(stats.records, 'article')}: {plural(stats.duplicates, 'duplicate')} in "
        f"{plural(stats.duplicate_clusters, 'cluster')}, "
        f"{plural(stats.stories, 'story', 'stories')} told by more than one; "
        f"{stats.written:,} written"
    )


_CLICK_EXCEPTION: type[Any] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"
)
"""Click's usage errors' base class (typer may vendor click: found from typer's own)."""


def main() -> None:
    """Run the command line: usage errors as click shows them (exit 2), and Ctrl-C or
    SIGTERM wherever a command does not handle them itself as one line, exit 130 or 143
    (click alone would say "Aborted!" and exit 1)."""
    handle_signals()
    try:
        code = app(standalone_mode=False)
    except (typer.Abort, KeyboardInterrupt) as stop:
        cause = stop.__cause__ if isinstance(stop, typer.Abort) else stop
        terminated = isinstance(cause, Terminated)
        sys.stderr.write(f"cleaner: {'terminated' if terminated else 'interrupted'}\n")
        raise SystemExit(143 if terminated else 130) from None
    except _CLICK_EXCEPTION as exc:
        context = getattr(exc, "ctx", None)
        if context is None or type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # no command to point at, or the help asked for by no arguments
        else:  # a usage error in one line, as every other error
            said = " ".join(exc.format_message().split())
            sys.stderr.write(f"cleaner: error: {said} (see {context.command_path} -h)\n")
        raise SystemExit(exc.exit_code) from None
    except BrokenPipeError:  # the reader of our output went away (`cleaner report | head`)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    raise SystemExit(code if isinstance(code, int) else 0)
