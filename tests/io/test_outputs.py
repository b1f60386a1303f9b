"""The guard on a run's outputs: clashes with inputs and each other, the lock, stale
temporary files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.config import ReadConfig
from cleaner.errors import OutputError
from cleaner.io.outputs import (
    OutputLock,
    check_outputs,
    lock_path_for,
    remove_stale_temps,
)
from cleaner.io.sources import RUN_MANIFEST, read_units
from cleaner.models import RawDocument, Skip


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text("{}\n", encoding="utf-8")
    with pytest.raises(OutputError, match=r"-o .*in\.jsonl is also an input"):
        check_outputs([str(data)], [("-o", data)])
    link = tmp_path / "link.jsonl"
    link.symlink_to(data)
    with pytest.raises(OutputError, match="is also an input"):
        check_outputs([str(data)], [("--rejects", link)])


def test_two_outputs_on_one_path_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(OutputError, match=r"--stats .*out\.jsonl is also -o"):
        check_outputs([], [("-o", out), ("--stats", tmp_path / "." / "out.jsonl")])


def test_a_part_directory_holding_an_input_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "out" / "raw.jsonl"
    data.parent.mkdir()
    data.write_text("{}\n", encoding="utf-8")
    with pytest.raises(OutputError, match="holds the input"):
        check_outputs([str(data)], [], out_dir=tmp_path / "out")
    check_outputs([str(data)], [], out_dir=tmp_path / "elsewhere")  # fine


def test_outputs_beside_their_inputs_are_fine(tmp_path: Path) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text("{}\n", encoding="utf-8")
    check_outputs([str(tmp_path), str(data)], [("-o", tmp_path / "out.jsonl")])


def test_a_directory_input_never_reads_the_runs_outputs(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Teks pertama.\n", encoding="utf-8")
    (tmp_path / "out.jsonl").write_text('{"text": "keluaran"}\n', encoding="utf-8")
    earlier = tmp_path / "sub" / "parts"
    earlier.mkdir(parents=True)
    (earlier / RUN_MANIFEST).write_text("{}", encoding="utf-8")
    (earlier / "part-00000.jsonl").write_text('{"text": "bagian"}\n', encoding="utf-8")
    config = ReadConfig(exclude=(tmp_path / "out.jsonl",))
    units = list(read_units([str(tmp_path)], config))
    docs = [u.source for u in units if isinstance(u, RawDocument)]
    skips = {u.source: u.what for u in units if isinstance(u, Skip)}
    assert docs == [(tmp_path / "a.txt").as_posix()]
    assert skips == {
        (tmp_path / "out.jsonl").as_posix(): "this run's own output",
        earlier.as_posix(): "the output directory of a cleaner run",
    }


def test_the_walk_keeps_the_order_of_full_paths(tmp_path: Path) -> None:
    for name in ("a/b.txt", "a-c.txt", "a/a.txt", "b.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("Teks.\n", encoding="utf-8")
    units = list(read_units([str(tmp_path)]))
    names = [Path(u.source).relative_to(tmp_path).as_posix() for u in units]
    assert names == sorted(names) == ["a-c.txt", "a/a.txt", "a/b.txt", "b.txt"]


def test_a_second_lock_names_the_holder_and_the_first_releases_it(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    lock = lock_path_for(out)
    assert lock == tmp_path / ".out.jsonl.lock"
    with OutputLock(lock):
        holder = json.loads(lock.read_text(encoding="utf-8"))
        assert holder["pid"] == os.getpid()
        with pytest.raises(OutputError) as refused, OutputLock(lock):
            pass
        said = str(refused.value)
        assert f"{out} is being written by another cleaner run (pid {os.getpid()}" in said
        assert "\n" not in said
    assert not lock.exists()
    with OutputLock(lock):  # free again
        pass


def test_a_lock_left_by_a_dead_process_is_stale(tmp_path: Path) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    lock = lock_path_for(tmp_path, directory=True)
    lock.write_text(json.dumps({"pid": int(gone.stdout), "started": "then"}), encoding="utf-8")
    with OutputLock(lock):
        assert json.loads(lock.read_text(encoding="utf-8"))["pid"] == os.getpid()


def test_a_lock_held_by_another_process_is_refused_until_it_ends(tmp_path: Path) -> None:
    lock = lock_path_for(tmp_path, directory=True)
    code = (
        "import sys, time; from pathlib import Path; from cleaner.io.outputs import OutputLock\n"
        "with OutputLock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(lock)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(OutputError, match=rf"{tmp_path} is being written .*pid {holder.pid},"):
            OutputLock(lock).__enter__()
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 10
    while True:  # killed: the kernel dropped its lock
        try:
            with OutputLock(lock):
                break
        except OutputError:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_stale_temporary_files_beside_outputs_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl.gz"
    left = [tmp_path / ".out.jsonl.gz.k2j4.tmp", tmp_path / ".out.rejects.jsonl.gz.x1.tmp"]
    kept = [tmp_path / ".other.jsonl.a1.tmp", tmp_path / "out.jsonl.gz.tmp"]
    for path in [*left, *kept]:
        path.write_bytes(b"half")
    removed = remove_stale_temps([out, tmp_path / "out.rejects.jsonl.gz", tmp_path / "x" / "y"])
    assert removed == 2
    assert [p.exists() for p in left] == [False, False]
    assert [p.exists() for p in kept] == [True, True]
