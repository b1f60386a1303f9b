"""``cleaner explain``: one input, line by line, and why (:mod:`cleaner.authoring.explain`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cleaner.authoring.explain import explain as explain_trace
from cleaner.cli.app import app, expected_errors
from cleaner.config import CleanerConfig, InputFormat, ReadConfig, keys_given
from cleaner.errors import CleanerError
from cleaner.io.sources import check_inputs, read_units
from cleaner.models import RawDocument, Reject, Skip
from cleaner.pipeline import Cleaner


@app.command()
@expected_errors
def explain(
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="The input to explain (a file, or - for stdin).")
    ],
    outlet: Annotated[
        str | None,
        typer.Option(help="Use this outlet's rules instead of detecting one.", metavar="NAME"),
    ] = None,
    rules: Annotated[
        list[Path] | None,
        typer.Option("--rules", help="A directory of rule files (as for `clean`).", metavar="DIR"),
    ] = None,
    input_format: Annotated[
        InputFormat,
        typer.Option("--format", help="Read the input as this format.", metavar="FORMAT"),
    ] = "auto",
    unit: Annotated[
        int | None,
        typer.Option(
            min=1, help="Only the N-th unit (JSONL line, WARC record) of the input.", metavar="N"
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="JSON for tools, one object per unit.")
    ] = False,
    learned: Annotated[
        Path | None,
        typer.Option(
            "--learned",
            metavar="FILE",
            help="Apply the site repeats a run learned (its NAME.learned.jsonl).",
        ),
    ] = None,
    key_options: Annotated[
        list[str] | None,
        typer.Option(
            "--key",
            metavar="FIELD=PATH",
            help="Where JSONL records hold a field, as for `clean` (repeatable).",
        ),
    ] = None,
) -> None:
    """Show, line by line, what the rules keep and remove in FILE, and why."""
    check_inputs([file])
    if learned is not None and not learned.is_file():
        raise CleanerError(f"no such file: {learned}")
    try:
        keys = keys_given(key_options or [])
    except ValueError as exc:
        raise CleanerError(f"--key {exc}") from None
    config = CleanerConfig(
        rules_dirs=tuple(rules or ()),
        outlet=outlet,
        read=ReadConfig(format=input_format, keys=keys),
        learned=learned,
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
