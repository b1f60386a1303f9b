"""Engines: many workers give the output of one; sharded output, resume, Dask."""

from __future__ import annotations

import gzip
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import CleanerConfig
from cleaner.cli.app import app
from cleaner.cli.clean import _progress
from cleaner.config import LearnConfig
from cleaner.engines.local import LocalEngine, LocalSettings
from cleaner.engines.run import Progress as RunProgress
from cleaner.engines.run import clean_to_stream
from cleaner.engines.shards import plan_shards
from tests.conftest import FIXTURES, ROOT

runner = CliRunner()


def corpus(tmp_path: Path, files: int = 6, copies: int = 20) -> Path:
    """Files of text dumps (JSONL) made from the fixtures, a few hundred units in all."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.txt"))]
    root = tmp_path / "corpus"
    root.mkdir()
    n = 0
    for f in range(files):
        lines = []
        for c in range(copies):
            for text in texts[f::files]:
                n += 1
                lines.append(json.dumps({"id": f"d{n}", "text": text.replace("“", f"“{c} ")}))
        lines.append("{not json")
        (root / f"dump-{f}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def parts(directory: Path, kind: str = "jsonl") -> list[str]:
    """Every line of the part files of one kind, in shard order."""
    out: list[str] = []
    for path in sorted(directory.glob(f"part-*[0-9].{kind}.gz")):
        out += gzip.decompress(path.read_bytes()).decode().splitlines()
    return out


def test_two_workers_write_the_same_bytes_as_one(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    a = runner.invoke(app, ["clean", str(root), "-o", str(one), "--workers", "1"])
    b = runner.invoke(app, ["clean", str(root), "-o", str(two), "--workers", "2"])
    assert a.exit_code == b.exit_code == 0, (a.stderr, b.stderr)
    assert one.read_bytes() == two.read_bytes()
    assert (tmp_path / "one.rejects.jsonl").read_bytes() == (
        tmp_path / "two.rejects.jsonl"
    ).read_bytes()
    assert a.stderr.replace("one.", "two.") == b.stderr  # the learned table's path aside
    assert (tmp_path / "one.learned.jsonl").read_bytes() == (
        tmp_path / "two.learned.jsonl"
    ).read_bytes()
    assert len(one.read_text(encoding="utf-8").splitlines()) > 300


def test_the_pool_keeps_input_order_with_tiny_batches(tmp_path: Path) -> None:
    root = corpus(tmp_path, files=2, copies=5)
    config = CleanerConfig()
    with LocalEngine(config, LocalSettings(workers=1)) as serial:
        expected = [o.line for o in serial.run([str(root)])]
    settings = LocalSettings(workers=2, batch_docs=3, in_flight_per_worker=1)
    with LocalEngine(config, settings) as pooled:
        assert [o.line for o in pooled.run([str(root)])] == expected


def test_sharded_output_holds_the_stream_output(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    stream = tmp_path / "all.jsonl"
    runner.invoke(app, ["clean", str(root), "-o", str(stream)])
    out = tmp_path / "out"
    result = runner.invoke(app, ["clean", str(root), "-o", f"{out}/", "--shard-mb", "0.05"])
    assert result.exit_code == 0, result.stderr
    shards = sorted(out.glob("part-*.done"))
    assert len(shards) >= 3
    assert parts(out) == stream.read_text(encoding="utf-8").splitlines()
    stream_rejects = (tmp_path / "all.rejects.jsonl").read_text(encoding="utf-8").splitlines()
    assert parts(out, "rejects.jsonl") == stream_rejects
    assert sum('"invalid_json"' in line for line in stream_rejects) == 6  # one per file
    again = runner.invoke(app, ["clean", str(root), "-o", f"{out}/"])
    assert again.exit_code == 2
    assert "holds part files of an earlier run" in again.stderr


def test_resume_skips_finished_shards_and_redoes_the_rest(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    out = tmp_path / "out"
    args = ["clean", str(root), "-o", f"{out}/", "--shard-mb", "0.05"]
    runner.invoke(app, args)
    full = parts(out)
    markers = sorted(out.glob("part-*.done"))
    kept = markers[0].stat().st_mtime_ns
    markers[1].unlink()  # as if the run had died while writing the second shard
    result = runner.invoke(app, [*args, "--resume"])
    assert result.exit_code == 0, result.stderr
    assert "resuming: " in result.stderr
    assert markers[0].stat().st_mtime_ns == kept  # finished and unchanged: not redone
    assert markers[1].exists()
    assert parts(out) == full


def test_resume_refuses_changed_inputs_and_force_starts_afresh(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    out = tmp_path / "out"
    args = ["clean", str(root), "-o", f"{out}/", "--shard-mb", "0.05"]
    runner.invoke(app, args)
    full = parts(out)
    before = {p.name: p.read_bytes() for p in out.glob("part-*")}
    (root / "dump-5.jsonl").write_text(  # the last input changed since
        (root / "dump-5.jsonl").read_text(encoding="utf-8") + '{"text": "Kalimat baru."}\n',
        encoding="utf-8",
    )
    refused = runner.invoke(app, [*args, "--resume"])
    assert refused.exit_code == 2
    assert "other inputs (1 changed)" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert {p.name: p.read_bytes() for p in out.glob("part-*")} == before  # nothing touched
    forced = runner.invoke(app, [*args, "--resume", "--force"])
    assert forced.exit_code == 0, forced.stderr
    redone = parts(out)
    assert redone[: len(full)] == full
    assert [json.loads(line)["text"] for line in redone[len(full) :]] == ["Kalimat baru."]


@pytest.mark.skipif(sys.platform == "win32", reason="needs POSIX signals")
def test_a_killed_run_resumes_without_losing_or_repeating_a_record(tmp_path: Path) -> None:
    root = corpus(tmp_path, files=8, copies=30)
    reference = tmp_path / "reference"
    base = [sys.executable, "-m", "cleaner", "clean", str(root), "--shard-mb", "0.05"]
    subprocess.run(
        [*base, "-o", f"{reference}/", "--workers", "1"], cwd=ROOT, check=True, capture_output=True
    )
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [*base, "-o", f"{out}/", "--workers", "1"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(list(out.glob("part-*.done"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)  # no chance to clean up
    proc.wait()
    finished = len(list(out.glob("part-*.done")))
    total = len(list(reference.glob("part-*.done")))
    assert 2 <= finished < total, "the run was not killed midway"
    resumed = subprocess.run(
        [*base, "-o", f"{out}/", "--resume"], cwd=ROOT, capture_output=True, check=False
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming: {finished} of {total} shards already done" in resumed.stderr.decode()
    assert parts(out) == parts(reference)
    assert parts(out, "rejects.jsonl") == parts(reference, "rejects.jsonl")
    assert not list(out.glob(".*.tmp"))


def test_dask_gives_the_same_files_as_the_local_engine(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    root = corpus(tmp_path, files=3, copies=4)
    local, dask = tmp_path / "local", tmp_path / "dask"
    common = ["clean", str(root), "--shard-mb", "0.02", "--workers", "2"]
    assert runner.invoke(app, [*common, "-o", f"{local}/"]).exit_code == 0
    result = runner.invoke(app, [*common, "-o", f"{dask}/", "--engine", "dask"])
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in local.glob("part-*[!e]"))
    assert names == sorted(p.name for p in dask.glob("part-*[!e]"))
    for name in names:
        if name.endswith(".gz"):
            assert (local / name).read_bytes() == (dask / name).read_bytes(), name


def test_dask_on_a_scheduler_address(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    root = corpus(tmp_path, files=2, copies=2)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = runner.invoke(
            app,
            [
                "clean",
                str(root),
                "-o",
                f"{tmp_path / 'out'}/",
                "--engine",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
            ],
        )
    assert result.exit_code == 0, result.stderr
    assert parts(tmp_path / "out")


def test_engine_usage_errors(tmp_path: Path) -> None:
    root = corpus(tmp_path, files=1, copies=1)
    cases = [
        (["--engine", "dask", "-o", str(tmp_path / "x.jsonl")], "give -o a directory"),
        (["--resume", "-o", str(tmp_path / "x.jsonl")], "--resume needs -o DIR/"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler goes with --engine dask"),
        (["--workers", "0"], "Invalid value"),
    ]
    for extra, message in cases:
        result = runner.invoke(app, ["clean", str(root), *extra])
        assert result.exit_code == 2, extra
        assert message in result.stderr, (extra, result.stderr)
    piped = runner.invoke(app, ["clean", "-", "-o", f"{tmp_path / 'o'}/"], input=b"teks")
    assert piped.exit_code == 2 and "standard input cannot be split" in piped.stderr


def test_progress_bar_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    with _progress(False, "docs") as bar:
        assert bar is None  # pytest's stderr is not a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with _progress(True, "docs") as bar:
        assert bar is None  # --quiet
    bar = _progress(False, "docs")
    assert type(bar).__name__ == "Progress"


def test_plan_shards_groups_files_in_order_and_keeps_big_files_alone(tmp_path: Path) -> None:
    for name, size in [("a.txt", 10), ("b.txt", 10), ("c.txt", 100), ("d.txt", 10)]:
        (tmp_path / name).write_text("x" * size, encoding="utf-8")
    shards, skipped = plan_shards([str(tmp_path)], CleanerConfig(), shard_bytes=25)
    assert [[Path(f[0]).name for f in s.files] for s in shards] == [
        ["a.txt", "b.txt"],
        ["c.txt"],
        ["d.txt"],
    ]
    assert [s.name for s in shards] == ["part-00000", "part-00001", "part-00002"]
    assert skipped == []


def _progress_of(inputs: list[str], config: CleanerConfig, out: Path) -> list[RunProgress]:
    seen: list[RunProgress] = []
    clean_to_stream(inputs, config, out, on_progress=seen.append, progress_every=1)
    return seen


def test_progress_knows_the_total_from_the_learning_pass(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    lines = [
        json.dumps({"text": f"Jakarta - Warga kota nomor {n} menanam pohon."}) for n in range(7)
    ]
    corpus.write_text("\n".join([*lines[:3], "", *lines[3:]]) + "\n", encoding="utf-8")
    seen = _progress_of([str(corpus)], CleanerConfig(), tmp_path / "o.jsonl")
    learning = [p for p in seen if p.stage == "learning"]
    cleaning = [p for p in seen if p.stage == "cleaning"]
    assert [p.units for p in learning] == list(range(1, 9))  # 7 records and 1 blank-line skip
    assert [p.units for p in cleaning] == list(range(1, 9))
    assert {p.total for p in cleaning} == {8}


def test_progress_total_without_learning(tmp_path: Path) -> None:
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(
            f"Bandung - Berita nomor {n} hari ini.", encoding="utf-8"
        )
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")  # passed over: a skip, one unit too
    no_learning = CleanerConfig(learn=LearnConfig(enabled=False))
    seen = _progress_of([str(tmp_path)], no_learning, tmp_path / "out" / "o.jsonl")
    assert [p.total for p in seen] == [4] * 4 and seen[-1].units == 4
    jsonl = tmp_path / "j.jsonl"
    jsonl.write_text(json.dumps({"text": "Teks berita pendek."}) + "\n", encoding="utf-8")
    unknown = _progress_of([str(jsonl)], no_learning, tmp_path / "j-out.jsonl")
    assert [p.total for p in unknown] == [None]
