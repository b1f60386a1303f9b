"""Shared test helpers: the repository's paths, one Cleaner for the session."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from cleaner import Cleaner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
REALPAGES = ROOT.parent / "shared" / "realpages"
CORPORA = ROOT.parent / "shared" / "corpora"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-fixtures",
        action="store_true",
        help="Rewrite fixtures/**/*.expected.yaml from the current output (review the diff!).",
    )


def expected_counts() -> tuple[int, int]:
    """Articles and rejects the bundled fixtures must give, read from their expected files."""
    from cleaner.authoring.fixtures import discover, load_records

    records = [r for case in discover(FIXTURES) for r in load_records(case.expected)]
    rejects = sum(1 for r in records if "reason" in r)
    return len(records) - rejects, rejects


@pytest.fixture(scope="session")
def cleaner() -> Cleaner:
    return Cleaner()


def interruptible() -> None:
    """For ``subprocess.Popen(preexec_fn=...)``: the child takes Ctrl-C as a terminal's
    program does, even when the tests themselves run in the background, where a shell
    makes every command ignore SIGINT (and a ``cleaner`` that inherits that ignores it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
