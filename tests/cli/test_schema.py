"""``cleaner schema --duckdb / --arrow / --features``: JSON Lines read with every column
typed (cleaner/cli/schema.py)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pytest
from typer.testing import CliRunner

from cleaner.cli.app import app
from cleaner.io.arrow import article_features
from cleaner.models import Article, Reject
from tests.engines.test_run import one_line_error
from tests.io.test_arrow import article, sparse
from tests.io.test_parquet import load_dataset

__all__ = ["load_dataset"]  # a fixture of this module too

runner = CliRunner()

SAMPLE_ROWS = 20_480
"""How many rows DuckDB's read_json looks at to guess the columns' types."""


def printed(*args: str) -> str:
    result = runner.invoke(app, ["schema", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def write_jsonl(path: Path, articles: Iterable[Article]) -> Path:
    path.write_text("".join(f"{a.model_dump_json()}\n" for a in articles), encoding="utf-8")
    return path


def test_duckdb_columns_keep_a_column_whose_values_come_after_the_sample(tmp_path: Path) -> None:
    base = sparse(0).model_dump(mode="json")
    path = tmp_path / "late.jsonl"
    with path.open("wb") as out:
        for n in range(SAMPLE_ROWS + 50):
            credit = f"Foto/{n}" if n >= SAMPLE_ROWS else None
            out.write(orjson.dumps(base | {"id": f"a{n}", "image_credit": credit}) + b"\n")
    columns = printed("--duckdb").strip()
    query = f"SELECT count(image_credit) FROM read_json('{path}', format='newline_delimited'"
    assert duckdb.sql(f"{query})").fetchall() == [(0,)]  # guessed from the sample: lost
    assert duckdb.sql(f"{query}, columns={columns})").fetchall() == [(50,)]


def test_duckdb_columns_read_every_value_of_files_with_all_null_columns(tmp_path: Path) -> None:
    empty = write_jsonl(tmp_path / "a.jsonl", [sparse(1)])
    filled = write_jsonl(tmp_path / "b.jsonl", [article(2)])
    columns = printed("--duckdb").strip()
    query = duckdb.sql(f"SELECT * FROM read_json(['{empty}', '{filled}'], columns={columns})")
    types = dict(zip(query.columns, map(str, query.types), strict=True))
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["cleaning"].startswith("STRUCT(input_kind VARCHAR")
    rows = [dict(zip(query.columns, row, strict=True)) for row in query.fetchall()]
    assert [r["image_credit"] for r in rows] == [None, "Foto/REUTERS"]
    assert [r["published_at"] for r in rows] == [None, article(2).published_at]
    assert rows[1]["cleaning"]["rule_hits"] == article(2).cleaning.rule_hits
    assert json.loads(rows[1]["extra"]) == article(2).extra


def test_reject_columns_for_duckdb() -> None:
    columns = printed("reject", "--duckdb").strip()
    ((types,),) = duckdb.sql(f"SELECT {columns}").fetchall()
    assert list(types) == list(Reject.model_fields)
    assert types["rule_hits"] == "MAP(VARCHAR, BIGINT)"


def test_arrow_lists_every_column_with_its_type() -> None:
    lines = printed("--arrow").splitlines()
    assert [line.split(":")[0] for line in lines] == list(Article.model_fields)
    assert "published_at: timestamp[us, tz=UTC]" in lines


def test_features_read_json_lines_files_with_all_null_columns(
    tmp_path: Path, load_dataset: Callable[..., Any]
) -> None:
    import datasets

    features = datasets.Features.from_dict(json.loads(printed("--features")))
    assert features == article_features()
    empty = write_jsonl(tmp_path / "a.jsonl", [sparse(1), sparse(2)])
    filled = write_jsonl(tmp_path / "b.jsonl", [article(3)])
    data = load_dataset(
        "json", data_files=[str(empty), str(filled)], features=features, split="train"
    )
    rows = list(data)
    assert [Article.model_validate(row) for row in rows] == [sparse(1), sparse(2), article(3)]
    assert rows[2]["published_at"].utcoffset().total_seconds() == 0
    assert rows[2]["extra"] == article(3).extra


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--duckdb", "--arrow"], "--duckdb and --arrow: give one of them"),
        (["rules", "--duckdb"], "--duckdb prints the columns of records (article, reject)"),
    ],
)
def test_a_column_list_that_cannot_be_is_one_line(args: list[str], said: str) -> None:
    assert said in one_line_error(runner.invoke(app, ["schema", *args]))


def test_features_without_datasets_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "datasets", None)  # import fails
    said = one_line_error(runner.invoke(app, ["schema", "--features"]))
    assert "Features need Hugging Face datasets: pip install datasets" in said
