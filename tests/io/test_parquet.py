"""``-o FILE.parquet``: typed columns, read back by pyarrow, DuckDB and Hugging Face
datasets with no hints (cleaner/io/sinks.py's ParquetSink, issue 17 §6)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import cleaner.io.sinks as sinks
from cleaner.cli.app import app
from cleaner.errors import OutputError
from cleaner.io.arrow import article_schema, records
from cleaner.io.sinks import ParquetSink
from cleaner.models import Article, Reject
from tests.conftest import FIXTURES
from tests.engines import test_run
from tests.engines.test_run import crawl, one_line_error
from tests.io.test_arrow import article, sparse

runner = CliRunner()

FILLED = [article(n) for n in range(3)]
EMPTY = [sparse(n) for n in range(10, 13)]
"""Articles whose optional columns are all filled, and all null."""


def write(path: Path, articles: Iterable[Article]) -> Path:
    with ParquetSink(path, Article) as sink:
        for one in articles:
            sink.write(one)
    return path


def read(path: Path | str) -> list[Article]:
    return [Article.model_validate(r) for r in records(pq.read_table(path))]


@pytest.fixture
def load_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """Hugging Face ``datasets.load_dataset``, offline, with its caches in ``tmp_path``."""
    cache = tmp_path / "hf"
    for name, value in {
        "HF_DATASETS_OFFLINE": "1",
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(cache),
        "HF_DATASETS_CACHE": str(cache / "datasets"),
    }.items():
        monkeypatch.setenv(name, value)
    import datasets

    for name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"):  # read when it was imported
        monkeypatch.setattr(datasets.config, name, True)
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", cache / "datasets")
    datasets.disable_progress_bars()

    def load(*args: Any, **kwargs: Any) -> Any:
        return datasets.load_dataset(*args, cache_dir=str(cache / "datasets"), **kwargs)

    return load


# --- read together, with no hints -------------------------------------------------------


def test_hugging_face_reads_files_where_a_column_is_all_null_in_one(
    tmp_path: Path, load_dataset: Callable[..., Any]
) -> None:
    a, b = write(tmp_path / "a.parquet", EMPTY), write(tmp_path / "b.parquet", FILLED)
    data = load_dataset("parquet", data_files=[str(a), str(b)], split="train")
    assert str(data.features["published_at"].dtype) == "timestamp[us, tz=UTC]"
    assert data["image_credit"] == [None] * 3 + ["Foto/REUTERS"] * 3
    assert data["authors"] == [[]] * 3 + [["Budi", "Sari"]] * 3
    moments = data["published_at"]
    assert moments == [None] * 3 + [one.published_at for one in FILLED]
    assert all(m.utcoffset() == dt.timedelta(0) for m in moments[3:])
    table = data.with_format("arrow")[:]
    assert [Article.model_validate(r) for r in records(table)] == EMPTY + FILLED


def test_duckdb_reads_files_where_a_column_is_all_null_in_one(tmp_path: Path) -> None:
    a, b = write(tmp_path / "a.parquet", EMPTY), write(tmp_path / "b.parquet", FILLED)
    query = duckdb.sql(f"SELECT * FROM read_parquet(['{a}', '{b}'])")
    types = dict(zip(query.columns, map(str, query.types), strict=True))
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["image_credit"] == "VARCHAR"
    assert types["authors"] == "VARCHAR[]"
    table = query.to_arrow_table()
    assert [Article.model_validate(r) for r in records(table)] == EMPTY + FILLED


def test_the_file_holds_the_schema_with_no_records(tmp_path: Path) -> None:
    path = write(tmp_path / "none.parquet", [])
    assert pq.read_schema(path).equals(article_schema(), check_metadata=True)
    assert pq.read_table(path).num_rows == 0


def test_zstd_and_row_groups_of_bounded_rows_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sinks, "BATCH_ROWS", 2)
    monkeypatch.setattr(sinks, "ROW_GROUP_ROWS", 5)
    many = [article(n) for n in range(13)]
    meta = pq.ParquetFile(write(tmp_path / "g.parquet", many)).metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert sizes == [6, 6, 1]
    assert meta.row_group(0).column(0).compression == "ZSTD"
    assert read(tmp_path / "g.parquet") == many
    monkeypatch.setattr(sinks, "ROW_GROUP_BYTES", 1)  # bytes bound the groups too
    meta = pq.ParquetFile(write(tmp_path / "b.parquet", many)).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [2] * 6 + [1]


# --- written as the other outputs are -----------------------------------------------------


def test_nothing_at_the_target_until_commit(tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    sink = ParquetSink(target, Article)
    sink.write(FILLED[0])
    (tmp,) = tmp_path.iterdir()
    assert tmp.name.startswith(".out.parquet.") and tmp.name.endswith(".tmp")
    sink.commit()
    assert list(tmp_path.iterdir()) == [target]
    assert read(target) == FILLED[:1]
    sink.abort()  # after a commit, nothing to undo
    assert list(tmp_path.iterdir()) == [target]


def test_an_exception_leaves_an_existing_target_untouched_and_no_temporary_file(
    tmp_path: Path,
) -> None:
    target = write(tmp_path / "out.parquet", FILLED)
    before = target.read_bytes()
    with pytest.raises(RuntimeError), ParquetSink(target, Article) as sink:
        sink.write(EMPTY[0])
        raise RuntimeError("berhenti")
    assert target.read_bytes() == before
    assert list(tmp_path.iterdir()) == [target]


def test_an_aborted_write_through_a_link_gets_no_footer(tmp_path: Path) -> None:
    real, link = tmp_path / "real.parquet", tmp_path / "link.parquet"
    link.symlink_to(real)
    write(link, FILLED)
    assert link.is_symlink() and read(real) == FILLED  # written through, not replaced
    sink = ParquetSink(link, Article)
    sink.write(EMPTY[0])
    sink.abort()
    with pytest.raises(Exception, match=r"magic bytes|footer|size"):
        pq.read_table(real)  # not a file that looks whole


def test_an_unwritable_place_is_one_output_error_and_no_temporary_file(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises(OutputError, match=f"^cannot write {blocker}/out.parquet: "):
        ParquetSink(blocker / "out.parquet", Article)
    assert list(tmp_path.iterdir()) == [blocker]


def test_a_full_disk_is_one_line_exit_2_and_no_temporary_file(tmp_path: Path) -> None:
    test_run.test_a_full_disk_is_one_line_exit_2_and_no_temporary_file(tmp_path, ".parquet")


# --- cleaner clean -o FILE.parquet ----------------------------------------------------------


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixtures cleaned into JSON Lines, and into Parquet by one and by three workers."""
    out = tmp_path_factory.mktemp("runs")
    for name, workers in (("one.jsonl", "1"), ("one.parquet", "1"), ("three.parquet", "3")):
        args = ["clean", str(FIXTURES), "-o", str(out / name), "-q", "--workers", workers]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stderr
    return out


def _instant(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with its time as an aware datetime, which compares as the instant."""
    moment = record["published_at"]
    if isinstance(moment, str):
        return record | {"published_at": dt.datetime.fromisoformat(moment)}
    return record


def test_a_parquet_run_holds_every_field_of_the_json_lines_run(runs: Path) -> None:
    lines = (runs / "one.jsonl").read_text(encoding="utf-8").splitlines()
    expected = [_instant(json.loads(line)) for line in lines]
    assert len(expected) >= 50
    assert sum(r["published_at"] is not None for r in expected) >= 10
    assert any(r["extra"] for r in expected) and any(r["image_credit"] for r in expected)
    found = [_instant(r) for r in records(pq.read_table(runs / "one.parquet"))]
    assert found == expected
    assert pq.read_schema(runs / "one.parquet").equals(article_schema(), check_metadata=True)


def test_the_parquet_output_is_the_same_for_any_number_of_workers(runs: Path) -> None:
    assert (runs / "one.parquet").read_bytes() == (runs / "three.parquet").read_bytes()


def test_dedup_and_report_read_parquet_as_they_read_json_lines(runs: Path, tmp_path: Path) -> None:
    for name in ("one.jsonl", "one.parquet"):
        out = tmp_path / name.replace("one", "deduped")
        result = runner.invoke(app, ["dedup", str(runs / name), "-o", str(out)])
        assert result.exit_code == 0, result.stderr
    from_lines = [
        _instant(json.loads(line))
        for line in (tmp_path / "deduped.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    from_parquet = [_instant(r) for r in records(pq.read_table(tmp_path / "deduped.parquet"))]
    assert from_parquet == from_lines
    assert any(r["cluster_id"] for r in from_parquet)
    reports = [
        runner.invoke(app, ["report", str(tmp_path / name)]).stdout
        for name in ("deduped.jsonl", "deduped.parquet")
    ]
    assert reports[0] == reports[1] and "articles" in reports[0]


def test_rejects_beside_a_parquet_output_are_json_lines(runs: Path) -> None:
    rejects = (runs / "one.rejects.jsonl").read_text(encoding="utf-8").splitlines()
    assert rejects and all(Reject.model_validate_json(line) for line in rejects)
    assert not list(runs.glob("*.rejects.parquet"))


def test_rejects_may_be_parquet_with_the_reject_schema(tmp_path: Path) -> None:
    root = crawl(tmp_path, files=1)
    (root / "broken.jsonl").write_text('{"id": "x", "text": ""}\nnot json\n', encoding="utf-8")
    out, rejects = tmp_path / "o" / "a.jsonl", tmp_path / "o" / "r.parquet"
    args = ["clean", str(root), "-o", str(out), "--rejects", str(rejects), "-q", "--no-learn"]
    assert runner.invoke(app, args).exit_code == 0
    found = [Reject.model_validate(r) for r in records(pq.read_table(rejects), Reject)]
    assert sorted(r.reason for r in found) == ["invalid_json", "missing_text"]


def test_a_directory_named_parquet_gets_parquet_parts(tmp_path: Path) -> None:
    root = crawl(tmp_path, files=3)
    outs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}" / "corpus.parquet"
        args = ["clean", str(root), "-o", f"{out}/", "--shard-mb", "0.001", "-q"]
        result = runner.invoke(app, [*args, "--workers", workers, "--no-learn"])
        assert result.exit_code == 0, result.stderr
        outs[workers] = {p.name: p.read_bytes() for p in sorted(out.glob("part-*"))}
    names = sorted(outs["1"])
    assert names == [f"part-0000{n}{suffix}" for n in range(3)
                     for suffix in (".done", ".parquet", ".rejects.jsonl.gz")]  # fmt: skip
    assert outs["1"] == outs["2"]
    (count,) = duckdb.sql(f"SELECT count(*) FROM '{out}/*.parquet'").fetchall()[0]
    assert count == 9  # three articles a file, rejects not among them


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("out.csv", "cleaner writes JSON Lines or Parquet, not .csv"),
        ("out.parquet.gz", "Parquet is compressed inside (zstd); drop the .gz"),
    ],
)
def test_a_name_for_no_format_written_is_one_line_and_nothing_written(
    tmp_path: Path, name: str, said: str
) -> None:
    root = crawl(tmp_path, files=1)
    out = tmp_path / "o" / name
    result = runner.invoke(app, ["clean", str(root), "-o", str(out), "-q"])
    assert said in one_line_error(result)
    assert not out.parent.exists()
