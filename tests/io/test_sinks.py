"""Stage 7: JSON Lines output, and the choice of format by name (cleaner/io/sinks.py)."""

from __future__ import annotations

import gzip
import io
import json
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import zstandard

from cleaner.errors import OutputError
from cleaner.io.sinks import (
    OUTPUT_FORMATS,
    JsonlWriter,
    ParquetSink,
    check_output_name,
    open_sink,
    rejects_path_for,
)
from cleaner.models import Reject


def _reject(n: int, detail: str = "“rusak” – tidak terbaca") -> Reject:
    return Reject(source=f"berita-{n}.txt", reason="unreadable", detail=detail)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_writes_one_json_object_per_line(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with JsonlWriter(target) as writer:
        writer.write(_reject(1))
        writer.write(_reject(2))
    lines = target.read_text(encoding="utf-8").split("\n")
    assert lines[-1] == ""  # the file ends with a newline
    records = [json.loads(line) for line in lines[:-1]]
    assert [r["source"] for r in records] == ["berita-1.txt", "berita-2.txt"]
    assert records[0] == _reject(1).model_dump(mode="json")
    assert writer.count == 2


def test_keeps_utf8_unescaped(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with JsonlWriter(target) as writer:
        writer.write(_reject(1, detail="“Halo” – café"))
    raw = target.read_bytes()
    assert "“Halo” – café".encode() in raw
    assert b"\\u201c" not in raw


def test_a_newline_in_a_value_does_not_break_the_line(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with JsonlWriter(target) as writer:
        writer.write(_reject(1, detail="baris satu\nbaris dua"))
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["detail"] == "baris satu\nbaris dua"


def test_nothing_at_the_target_until_commit(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    writer = JsonlWriter(target)
    writer.write(_reject(1))
    assert not target.exists()
    writer.commit()
    assert target.exists()
    assert json.loads(target.read_text(encoding="utf-8"))["source"] == "berita-1.txt"


def test_temporary_file_is_hidden_beside_the_target(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    writer = JsonlWriter(target)
    (tmp,) = list(tmp_path.iterdir())
    assert tmp.name.startswith(".")
    assert tmp.name != target.name
    writer.abort()


def test_abort_leaves_no_target_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    writer = JsonlWriter(target)
    writer.write(_reject(1))
    writer.abort()
    assert list(tmp_path.iterdir()) == []


def test_abort_leaves_an_existing_target_untouched(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("lama\n", encoding="utf-8")
    writer = JsonlWriter(target)
    writer.write(_reject(1))
    writer.abort()
    assert target.read_text(encoding="utf-8") == "lama\n"
    assert list(tmp_path.iterdir()) == [target]


def test_existing_file_is_replaced_only_on_commit(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("lama\n", encoding="utf-8")
    writer = JsonlWriter(target)
    writer.write(_reject(1))
    assert target.read_text(encoding="utf-8") == "lama\n"
    writer.commit()
    assert json.loads(target.read_text(encoding="utf-8"))["source"] == "berita-1.txt"
    assert list(tmp_path.iterdir()) == [target]


def test_an_exception_inside_the_with_block_aborts(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("lama\n", encoding="utf-8")
    with pytest.raises(RuntimeError), JsonlWriter(target) as writer:
        writer.write(_reject(1))
        raise RuntimeError("berhenti")
    assert target.read_text(encoding="utf-8") == "lama\n"
    assert list(tmp_path.iterdir()) == [target]


def test_commit_with_no_records_writes_an_empty_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    with JsonlWriter(target):
        pass
    assert target.read_bytes() == b""


def test_missing_parent_directories_are_created(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.jsonl"
    with JsonlWriter(target) as writer:
        writer.write(_reject(1))
    assert target.is_file()


def test_committed_file_gets_the_usual_permissions(tmp_path: Path, umask_022: None) -> None:
    # A file made by plain open() under umask 022 is rw-r--r--; the atomic writer's result
    # should not be more private than that (mkstemp creates its files rw-------).
    target = tmp_path / "out.jsonl"
    with JsonlWriter(target) as writer:
        writer.write(_reject(1))
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_path_none_writes_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    writer = JsonlWriter(None)
    writer.write(_reject(1))
    writer.write(_reject(2))
    writer.commit()
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert [json.loads(line)["source"] for line in lines] == ["berita-1.txt", "berita-2.txt"]
    assert "“rusak” – tidak terbaca" in out
    assert writer.count == 2


def test_path_none_abort_keeps_what_was_already_written(
    capsys: pytest.CaptureFixture[str],
) -> None:
    writer = JsonlWriter(None)
    writer.write(_reject(1))
    writer.abort()
    assert json.loads(capsys.readouterr().out)["source"] == "berita-1.txt"


# --- compressed output ----------------------------------------------------------------------


def test_gz_path_is_written_as_gzip(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl.gz"
    with JsonlWriter(target) as writer:
        writer.write(_reject(1))
        writer.write(_reject(2))
    raw = target.read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    assert [json.loads(line)["source"] for line in lines] == ["berita-1.txt", "berita-2.txt"]
    assert json.loads(lines[0])["detail"] == "“rusak” – tidak terbaca"


def test_gz_output_is_byte_identical_across_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = []
    for run, clock in (("satu", 1_700_000_000.0), ("dua", 1_800_000_000.0)):
        monkeypatch.setattr(time, "time", lambda clock=clock: clock)  # runs on different days
        target = tmp_path / run / "out.jsonl.gz"
        with JsonlWriter(target) as writer:
            for n in range(50):
                writer.write(_reject(n))
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    header = outputs[0][:10]
    assert header[4:8] == b"\x00\x00\x00\x00"  # MTIME field: no timestamp
    assert not header[3] & 0x08  # FLG.FNAME unset: no file name stored


def test_zst_path_is_written_as_zstd(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl.zst"
    with JsonlWriter(target) as writer:
        writer.write(_reject(1))
        writer.write(_reject(2))
    raw = target.read_bytes()
    assert raw[:4] == b"\x28\xb5\x2f\xfd"
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw))
    lines = reader.read().decode("utf-8").splitlines()
    assert [json.loads(line)["source"] for line in lines] == ["berita-1.txt", "berita-2.txt"]


def test_compressed_output_with_no_records_is_a_valid_empty_stream(tmp_path: Path) -> None:
    gz, zst = tmp_path / "kosong.jsonl.gz", tmp_path / "kosong.jsonl.zst"
    for target in (gz, zst):
        with JsonlWriter(target):
            pass
    assert gzip.decompress(gz.read_bytes()) == b""
    assert zstandard.ZstdDecompressor().stream_reader(io.BytesIO(zst.read_bytes())).read() == b""


def test_aborted_compressed_output_leaves_nothing(tmp_path: Path) -> None:
    writer = JsonlWriter(tmp_path / "out.jsonl.gz")
    writer.write(_reject(1))
    writer.abort()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("output", "rejects"),
    [
        ("out/c.jsonl.gz", "out/c.rejects.jsonl.gz"),
        ("out/c.jsonl.zst", "out/c.rejects.jsonl.zst"),
        ("out/c.jsonl", "out/c.rejects.jsonl"),
        ("c.ndjson.gz", "c.rejects.jsonl.gz"),
        ("out/c.parquet", "out/c.rejects.jsonl"),
    ],
)
def test_rejects_path_keeps_the_compression_suffix(output: str, rejects: str) -> None:
    assert rejects_path_for(Path(output)) == Path(rejects)


@pytest.mark.parametrize(
    "name", ["out.jsonl", "out.jsonl.gz", "o.ndjson.zst", "o.json", "out", "out.parquet"]
)
def test_names_of_a_format_written_are_fine(name: str) -> None:
    check_output_name(Path(name))


@pytest.mark.parametrize("name", ["out.csv.gz", "out.txt", "out.xml"])
def test_a_name_that_says_another_format_is_refused(name: str) -> None:
    with pytest.raises(
        OutputError, match=r"cleaner writes JSON Lines or Parquet, not \.\w+; name it \.jsonl"
    ):
        check_output_name(Path(name))


@pytest.mark.parametrize("name", ["out.parquet.gz", "out.parquet.zst"])
def test_a_compressed_parquet_name_is_refused(name: str) -> None:
    with pytest.raises(OutputError, match=r"Parquet is compressed inside \(zstd\); drop the"):
        check_output_name(Path(name))


def test_a_command_that_writes_json_lines_only_refuses_parquet() -> None:
    with pytest.raises(OutputError, match=r"^--out out.parquet: cleaner writes JSON Lines, not"):
        check_output_name(Path("out.parquet"), "--out", OUTPUT_FORMATS["jsonl"])
    check_output_name(Path("out.jsonl.gz"), "--out", OUTPUT_FORMATS["jsonl"])


def test_the_jsonl_writer_refuses_a_parquet_name(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"JSON Lines under a \.parquet name"):
        JsonlWriter(tmp_path / "out.parquet")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "writer"),
    [("o.parquet", ParquetSink), ("o.jsonl.zst", JsonlWriter), ("o", JsonlWriter)],
)
def test_open_sink_writes_the_format_the_name_says(
    tmp_path: Path, name: str, writer: type[object]
) -> None:
    sink = open_sink(tmp_path / name, Reject)
    assert type(sink) is writer
    sink.abort()
    assert type(open_sink(None, Reject)) is JsonlWriter  # standard output
