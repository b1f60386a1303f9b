"""Worker processes that die, and runs that are stopped: nothing hangs, nothing is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.engines.pool import WorkerPool
from tests.conftest import FIXTURES, ROOT, interruptible


def double(batch: list[int]) -> list[int]:
    return [2 * x for x in batch]


def dies_on_13(batch: list[int]) -> list[int]:
    if 13 in batch:
        os._exit(1)  # as the OOM killer leaves it: no exception, no result
    return double(batch)


def killed_once(batch: list[str]) -> list[str]:
    """Dies the first time it sees a unit whose flag file does not exist yet."""
    for item in batch:
        flag = Path(item)
        if not flag.exists():
            flag.write_text("seen", encoding="utf-8")
            os.kill(os.getpid(), signal.SIGKILL)
    return [Path(item).name for item in batch]


def test_results_come_back_in_input_order() -> None:
    with WorkerPool(2) as pool:
        batches = ([i, i + 1, i + 2] for i in range(0, 300, 3))
        assert list(pool.map(double, batches, 2, lambda x: -1)) == [2 * x for x in range(300)]


def test_a_unit_that_kills_its_worker_twice_is_given_up_and_the_rest_goes_on() -> None:
    with WorkerPool(2) as pool:
        batches = ([i, i + 1, i + 2, i + 3] for i in range(0, 40, 4))
        out = list(pool.map(dies_on_13, batches, 3, lambda x: -x))
    assert out == [-13 if x == 13 else 2 * x for x in range(40)]


def test_a_worker_killed_once_is_replaced_and_its_units_done_again(tmp_path: Path) -> None:
    items = [str(tmp_path / f"u{i}") for i in range(12)]
    (tmp_path / "u0").write_text("seen", encoding="utf-8")
    with WorkerPool(2) as pool:
        batches = [items[i : i + 3] for i in range(0, 12, 3)]
        out = list(pool.map(killed_once, batches, 2, lambda x: "crashed"))
    assert out == [f"u{i}" for i in range(12)]  # every unit done, none given up


def _corpus(tmp_path: Path, copies: int = 150) -> Path:
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.txt"))]
    lines = [json.dumps({"text": t.replace("“", f"“{c} ")}) for c in range(copies) for t in texts]
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(tmp_path: Path, out: Path) -> subprocess.Popen[bytes]:
    source = str(_corpus(tmp_path))
    return subprocess.Popen(
        [sys.executable, "-m", "cleaner", "clean", source, "-o", str(out), "--workers", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a process group of its own, as a terminal gives
        preexec_fn=interruptible,
    )


@pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")
@pytest.mark.parametrize("trial", range(4))
def test_ctrl_c_stops_every_process_at_once_without_a_traceback(tmp_path: Path, trial: int) -> None:
    out = tmp_path / "out.jsonl"
    proc = _run(tmp_path, out)
    time.sleep(1.5 + 0.3 * trial)
    os.killpg(proc.pid, signal.SIGINT)  # the terminal sends it to the whole group
    started = time.monotonic()
    _, stderr = proc.communicate(timeout=30)
    assert time.monotonic() - started < 2
    assert proc.returncode == 130
    assert stderr.decode().strip().splitlines() == [
        "cleaner: interrupted; no output file was written"
    ]
    assert not out.exists() and not list(tmp_path.glob(".out.jsonl.*"))


@pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")
def test_sigterm_exits_143_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    proc = _run(tmp_path, out)
    time.sleep(1.5)
    proc.terminate()  # to the parent only, as a job scheduler does
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 143
    assert stderr.decode().strip().splitlines() == [
        "cleaner: terminated; no output file was written"
    ]
    assert not out.exists() and not list(tmp_path.glob(".out.jsonl.*"))
