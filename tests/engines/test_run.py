"""Whole runs that must not lose, mix or corrupt data (issue 16): resume that deletes
nothing it did not write, outputs that clash with inputs, outputs read back as inputs,
two runs into one output, full disks and killed runs' temporary files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli.app import app
from cleaner.io.outputs import OutputLock, lock_path_for
from tests.conftest import ROOT

runner = CliRunner()

TEXTS = [
    "Jakarta - Pemerintah kota membuka pasar murah di lima kecamatan mulai pekan depan, "
    "kata kepala dinas perdagangan kepada wartawan di balai kota.",
    "Semarang - Hujan deras sejak pagi membuat sungai meluap dan ratusan rumah warga "
    "terendam air setinggi lutut orang dewasa di tiga kelurahan.",
    "Medan - Para petani di pinggiran kota mulai memanen padi lebih awal karena harga gabah "
    "sedang naik dan cuaca diperkirakan memburuk bulan depan.",
]


def crawl(tmp_path: Path, files: int = 4) -> Path:
    """A directory of JSONL dumps, a few documents each, different in every file."""
    root = tmp_path / "crawl"
    root.mkdir()
    for f in range(files):
        lines = [
            json.dumps({"id": f"f{f}-{n}", "text": f"{text} Catatan nomor {f}{n}."})
            for n, text in enumerate(TEXTS)
        ]
        (root / f"dump-{f}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def parts(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("part-*"))}


def one_line_error(result: object, code: int = 2) -> str:
    """The run's stderr, checked to be one line and the exit code ``code``."""
    assert getattr(result, "exit_code", None) == code, getattr(result, "stderr", "")
    said: str = getattr(result, "stderr", "")
    assert len(said.strip().splitlines()) == 1, said
    assert "Traceback" not in said
    return said


def sharded(root: Path, out: Path, *more: str) -> list[str]:
    return ["clean", str(root), "-o", f"{out}/", "--shard-mb", "0.001", "-q", *more]


# --- resume deletes nothing it did not write -----------------------------------------


def test_resume_from_an_empty_input_directory_deletes_nothing(tmp_path: Path) -> None:
    root, out = crawl(tmp_path), tmp_path / "out"
    assert runner.invoke(app, sharded(root, out)).exit_code == 0
    before = parts(out)
    assert len(before) >= 12
    empty = tmp_path / "empty"
    empty.mkdir()
    said = one_line_error(runner.invoke(app, sharded(empty, out, "--resume")))
    assert "no input to clean" in said  # refused before the output is even looked at
    assert parts(out) == before
    (empty / "notes.txt").write_text("Catatan lain yang bukan bagian dari run.", encoding="utf-8")
    said = one_line_error(runner.invoke(app, sharded(empty, out, "--resume")))
    assert "holds a run with other inputs (1 new, 4 gone)" in said
    assert parts(out) == before


def test_resume_with_fewer_inputs_deletes_nothing(tmp_path: Path) -> None:
    root, out = crawl(tmp_path), tmp_path / "out"
    runner.invoke(app, sharded(root, out))
    before = parts(out)
    (root / "dump-3.jsonl").unlink()
    said = one_line_error(runner.invoke(app, sharded(root, out, "--resume")))
    assert "other inputs (1 gone)" in said
    assert parts(out) == before


def test_resume_with_other_options_is_refused_and_force_redoes_the_run(tmp_path: Path) -> None:
    root, out = crawl(tmp_path), tmp_path / "out"
    runner.invoke(app, sharded(root, out))
    before = parts(out)
    said = one_line_error(runner.invoke(app, sharded(root, out, "--resume", "--no-signals")))
    assert "other options (signals)" in said
    assert parts(out) == before
    forced = runner.invoke(app, sharded(root, out, "--resume", "--no-signals", "--force"))
    assert forced.exit_code == 0, forced.stderr
    redone = parts(out)
    assert redone.keys() == before.keys()
    first = json.loads(next(iter(_articles(out))))
    assert "signals" not in first or first["signals"] is None


def test_resume_with_other_rules_is_refused(tmp_path: Path) -> None:
    root, out, rules = crawl(tmp_path), tmp_path / "out", tmp_path / "rules"
    rules.mkdir()
    runner.invoke(app, sharded(root, out, "--rules", str(rules)))
    (rules / "contoh.yaml").write_text(
        "outlet: contoh\nname: Contoh\ndomains: [contoh.id]\n", encoding="utf-8"
    )
    result = runner.invoke(app, sharded(root, out, "--rules", str(rules), "--resume"))
    if result.exit_code == 2 and "rule" in result.stderr and "holds a run" not in result.stderr:
        pytest.skip(f"the sample rule file is not valid here: {result.stderr}")
    assert "holds a run with other rule files" in one_line_error(result)


def test_the_markers_record_the_inputs_and_the_settings(tmp_path: Path) -> None:
    root, out = crawl(tmp_path), tmp_path / "out"
    runner.invoke(app, sharded(root, out))
    marker = json.loads(next(out.glob("part-*.done")).read_text(encoding="utf-8"))
    assert set(marker) == {"inputs", "settings", "stats"}
    assert len(marker["settings"]) == 32


def _articles(out: Path) -> list[str]:
    import gzip

    return [
        line
        for p in sorted(out.glob("part-*.jsonl.gz"))
        if ".rejects." not in p.name
        for line in gzip.decompress(p.read_bytes()).decode().splitlines()
    ]


# --- outputs checked against inputs and each other ---------------------------------


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["-o", "{data}"], "-o {data} is also an input"),
        (["-o", "{out}", "--rejects", "{out}"], "--rejects {out} is also -o"),
        (["-o", "{out}", "--rejects", "{data}"], "--rejects {data} is also an input"),
        (["-o", "{out}", "--stats", "{out}"], "--stats {out} is also -o"),
        (["-o", "{out}", "--stats", "{data}"], "--stats {data} is also an input"),
    ],
)
def test_an_output_clashing_with_an_input_or_output_writes_nothing(
    tmp_path: Path, extra: list[str], expected: str
) -> None:
    root = crawl(tmp_path, files=1)
    data, out = root / "dump-0.jsonl", tmp_path / "out.jsonl"
    original = data.read_bytes()
    names = {"data": str(data), "out": str(out)}
    args = ["clean", str(data), "-q", *(a.format(**names) for a in extra)]
    said = one_line_error(runner.invoke(app, args))
    assert expected.format(**names) in said
    assert data.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crawl"]


def test_a_part_directory_inside_its_input_is_never_read_back(tmp_path: Path) -> None:
    root = crawl(tmp_path)
    out = root / "cleaned"
    first = runner.invoke(app, sharded(root, out))
    assert first.exit_code == 0, first.stderr
    articles = _articles(out)
    assert len(articles) == 12
    again = runner.invoke(app, sharded(root, out, "--resume"))
    assert again.exit_code == 0, again.stderr
    assert _articles(out) == articles
    elsewhere = tmp_path / "other"
    third = runner.invoke(app, sharded(root, elsewhere))  # an earlier run's parts: passed over
    assert third.exit_code == 0, third.stderr
    assert len(_articles(elsewhere)) == 12


def test_an_output_file_inside_its_input_is_never_read_back(tmp_path: Path) -> None:
    root = crawl(tmp_path)
    out = root / "out.jsonl"
    for _ in range(2):
        result = runner.invoke(app, ["clean", str(root), "-o", str(out), "-q"])
        assert result.exit_code == 0, result.stderr
        assert len(out.read_text(encoding="utf-8").splitlines()) == 12


# --- the lock ----------------------------------------------------------------------


def test_a_second_run_into_a_locked_output_says_which_run_holds_it(tmp_path: Path) -> None:
    root, out = crawl(tmp_path), tmp_path / "out"
    out.mkdir()
    with OutputLock(lock_path_for(out, directory=True)):
        said = one_line_error(runner.invoke(app, sharded(root, out)))
    assert f"{out} is being written by another cleaner run (pid {os.getpid()}" in said
    assert not list(out.glob("part-*"))
    file_out = tmp_path / "out.jsonl"
    with OutputLock(lock_path_for(file_out)):
        said = one_line_error(runner.invoke(app, ["clean", str(root), "-o", str(file_out)]))
    assert f"{file_out} is being written by another cleaner run" in said
    assert not file_out.exists()


def test_a_stale_lock_and_stale_temporary_files_are_cleared(tmp_path: Path) -> None:
    root, out = crawl(tmp_path), tmp_path / "out"
    out.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    lock = lock_path_for(out, directory=True)
    lock.write_text(json.dumps({"pid": int(dead.stdout), "started": "then"}), encoding="utf-8")
    left = [out / ".part-00001.jsonl.gz.a1b2.tmp", out / ".learned.jsonl.x9.tmp"]
    for path in left:
        path.write_bytes(b"half")
    result = runner.invoke(app, sharded(root, out))
    assert result.exit_code == 0, result.stderr
    assert not any(p.exists() for p in left)
    assert not lock.exists()  # released at the end
    file_out = tmp_path / "out.jsonl.zst"
    temps = [tmp_path / ".out.jsonl.zst.q1.tmp", tmp_path / ".out.rejects.jsonl.zst.q2.tmp"]
    for path in temps:
        path.write_bytes(b"half")
    result = runner.invoke(app, ["clean", str(root), "-o", str(file_out), "-q"])
    assert result.exit_code == 0, result.stderr
    assert not any(p.exists() for p in temps)


# --- full disks and unwritable places ------------------------------------------------

_FULL = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv.pop(1)), resource.RLIM_INFINITY))
from cleaner.cli.app import main
sys.argv[0] = "cleaner"
main()
"""


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_a_full_disk_is_one_line_exit_2_and_no_temporary_file(tmp_path: Path, suffix: str) -> None:
    root = crawl(tmp_path, files=2)
    outdir = tmp_path / "o"
    out = outdir / f"out{suffix}"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _FULL,
            "300",
            "clean",
            str(root),
            "-o",
            str(out),
            "-q",
            "--no-learn",
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"cleaner: error: cannot write {outdir}/"), lines[0]
    assert sorted(p.name for p in outdir.iterdir()) == []


def test_dev_full_is_one_line_exit_2(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    root = crawl(tmp_path, files=1)
    result = runner.invoke(app, ["clean", str(root), "-o", "/dev/full", "-q", "--no-learn"])
    assert "cannot write /dev/full: No space left on device" in one_line_error(result)


def test_an_unwritable_place_is_one_line_exit_2(tmp_path: Path) -> None:
    root = crawl(tmp_path, files=1)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    for args in (["-o", f"{blocker}/out.jsonl"], ["-o", f"{blocker}/out/"]):
        said = one_line_error(runner.invoke(app, ["clean", str(root), *args, "-q"]))
        assert f"cannot write {blocker}/out" in said
    stats = one_line_error(
        runner.invoke(
            app,
            ["clean", str(root), "-o", str(tmp_path / "o.jsonl"), "--stats", f"{blocker}/s.json"],
        )
    )
    assert "cannot write" in stats
