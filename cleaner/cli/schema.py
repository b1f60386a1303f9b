"""``cleaner schema``: the JSON Schema of the records and of rule files."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from cleaner.cli.app import app
from cleaner.models import Article, Reject
from cleaner.rules.schema import RuleFile


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
    name: Annotated[
        SchemaName, typer.Argument(metavar="NAME", help="Which schema.")
    ] = SchemaName.article,
) -> None:
    """Print the JSON Schema of the article record (or of rejects, or of rule files)."""
    typer.echo(json.dumps(_SCHEMAS[name].model_json_schema(), indent=2, ensure_ascii=False))
