"""Configuration defaults that depend on the machine (cleaner/config.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import config
from cleaner.cli import app
from cleaner.config import (
    MAX_UNIT_BYTES_RANGE,
    MEMORY_PER_BYTE,
    MEMORY_SHARE,
    CleanerConfig,
    ReadConfig,
    default_max_unit_bytes,
    machine_memory,
)

MiB = 1024 * 1024
GiB = 1024 * MiB


@pytest.mark.parametrize(
    ("workers", "memory", "expected"),
    [
        (1, 64 * GiB, 32 * MiB),  # plenty: the cap
        (16, 16 * GiB, 11 * MiB),  # 16 GiB / 2 / 16 / 43 = 11.9 MiB, whole MiB
        (64, 64 * GiB, 11 * MiB),
        (8, 4 * GiB, 5 * MiB),
        (64, 1 * GiB, 1 * MiB),  # too little: the floor
        (0, 8 * GiB, 32 * MiB),  # no workers is one
    ],
)
def test_the_max_bytes_default_scales_with_workers_and_memory(
    workers: int, memory: int, expected: int
) -> None:
    assert default_max_unit_bytes(workers, memory) == expected


def test_the_scaled_bound_fits_in_memory_and_shrinks_with_more_workers() -> None:
    low, high = MAX_UNIT_BYTES_RANGE
    for memory in (2 * GiB, 8 * GiB, 32 * GiB, 256 * GiB):
        bounds = [default_max_unit_bytes(w, memory) for w in (1, 2, 4, 8, 16, 32, 64, 128)]
        assert bounds == sorted(bounds, reverse=True)
        for workers, bound in zip((1, 2, 4, 8, 16, 32, 64, 128), bounds, strict=True):
            assert low <= bound <= high
            if bound > low:  # above the floor, every worker's unit fits at once
                assert workers * bound * MEMORY_PER_BYTE <= memory * MEMORY_SHARE


def test_the_machine_memory_is_known_here_and_read_when_not_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memory = machine_memory()
    assert memory is not None and memory > 256 * MiB
    monkeypatch.setattr(config, "machine_memory", lambda: 4 * GiB)
    assert default_max_unit_bytes(8) == 5 * MiB
    monkeypatch.setattr(config, "machine_memory", lambda: None)
    assert default_max_unit_bytes(8) == ReadConfig().max_unit_bytes  # unknown: the cap


def test_the_time_limit_default_and_bounds() -> None:
    assert CleanerConfig().time_limit == 20
    assert CleanerConfig(time_limit=0).time_limit == 0
    with pytest.raises(ValueError, match="time_limit"):
        CleanerConfig(time_limit=-1)


def test_the_command_line_scales_max_bytes_unless_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 344 MiB of memory: half of it over 43 bytes a byte is 4 MiB for one worker and
    # 2 MiB each for two; a 3 MiB unit passes the first and is too large for the second.
    monkeypatch.setattr(config, "machine_memory", lambda: 344 * MiB)
    big = tmp_path / "big.txt"
    big.write_text(("Kalimat berita yang panjang sekali. " * 30 + "\n") * 3000, encoding="utf-8")
    assert 2 * MiB < big.stat().st_size < 4 * MiB
    runner = CliRunner()

    def reason(*options: str) -> str:
        out = tmp_path / "out.jsonl"
        args = ["clean", str(big), "-o", str(out), "--no-learn", "-q", "--time-limit", "0.1"]
        result = runner.invoke(app, [*args, *options])
        assert result.exit_code == 0, result.output
        rejects = out.with_suffix(".rejects.jsonl").read_text(encoding="utf-8").splitlines()
        return str(json.loads(rejects[0])["reason"])

    # Read whole and cleaned (past the time limit, to keep the test short), or not read.
    assert reason("--workers", "1") == "too_slow"
    assert reason("--workers", "2") == "too_large"
    assert reason("--workers", "2", "--max-bytes", str(4 * MiB)) == "too_slow"
