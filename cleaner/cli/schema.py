"""``cleaner schema``: the JSON Schema of the records and of rule files, and the typed
column lists that downstream tools read the records with (:mod:`cleaner.io.arrow`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

import typer
from pydantic import BaseModel

from cleaner.cli.app import app, expected_errors
from cleaner.config import CleanerConfig
from cleaner.errors import CleanerError
from cleaner.models import Article, Reject
from cleaner.rules.schema import RuleFile


class SchemaName(StrEnum):
    article = "article"
    reject = "reject"
    rules = "rules"
    config = "config"


_SCHEMAS: dict[SchemaName, type[BaseModel]] = {
    SchemaName.article: Article,
    SchemaName.reject: Reject,
    SchemaName.rules: RuleFile,
    SchemaName.config: CleanerConfig,
}


def _columns(flag: str, model: type[BaseModel]) -> str:
    """The typed column list ``cleaner schema`` prints for ``flag`` (pyarrow is loaded
    here, not when the command line starts)."""
    from cleaner.io.arrow import arrow_text, duckdb_columns, hf_features

    printers: dict[str, Callable[[type[BaseModel]], str]] = {
        "--duckdb": duckdb_columns,
        "--arrow": arrow_text,
        "--features": lambda model: json.dumps(hf_features(model).to_dict(), indent=2),
    }
    return printers[flag](model)


_COLUMNS = ("--duckdb", "--arrow", "--features")
"""The options that print typed column lists, in the order of their flags."""


@app.command()
@expected_errors
def schema(
    name: Annotated[
        SchemaName, typer.Argument(metavar="NAME", help="Which schema.")
    ] = SchemaName.article,
    duckdb: Annotated[
        bool,
        typer.Option(
            "--duckdb",
            help="Print the columns={…} of DuckDB's read_json instead: JSON Lines read "
            "with every column typed, nothing guessed from a sample.",
        ),
    ] = False,
    arrow: Annotated[
        bool,
        typer.Option("--arrow", help="Print the columns of the Parquet output instead."),
    ] = False,
    features: Annotated[
        bool,
        typer.Option(
            "--features",
            help="Print the Hugging Face datasets Features to read the JSON Lines with "
            "instead, as JSON for Features.from_dict (needs datasets).",
        ),
    ] = False,
) -> None:
    """Print the JSON Schema of the article record (or of rejects, rule files, or the
    --config file), or the typed columns downstream tools read the records with."""
    chosen = [flag for flag, on in zip(_COLUMNS, (duckdb, arrow, features), strict=True) if on]
    model = _SCHEMAS[name]
    if not chosen:
        typer.echo(json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False))
    elif len(chosen) > 1:
        raise CleanerError(f"{' and '.join(chosen)}: give one of them")
    elif model not in (Article, Reject):
        raise CleanerError(f"{chosen[0]} prints the columns of records (article, reject)")
    else:
        typer.echo(_columns(chosen[0], model))
