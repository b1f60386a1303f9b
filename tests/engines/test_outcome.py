"""The time limit on one document (engines/outcome.py): a document that takes too long is
a ``too_slow`` reject naming the limit, in this process and in worker processes, and the
timer never outlives the document."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner.cli import app
from cleaner.config import CleanerConfig
from cleaner.engines.local import learning_text
from cleaner.engines.outcome import REPEAT_SECONDS, TooSlow, outcome_of, within_time_limit
from cleaner.models import RawDocument
from cleaner.pipeline import Cleaner
from tests.conftest import FIXTURES

runner = CliRunner()

STORY = (
    "Ratusan warga Desa Sukamaju turun ke sungai pada Minggu pagi untuk membersihkan "
    "sampah plastik yang menumpuk sejak musim hujan dimulai."
)


def slow_page(paragraphs: int = 20_000) -> str:
    """A page trafilatura takes seconds over (its fallbacks grow with the square of the
    paragraphs), though it stays under the huge-page threshold."""
    body = "".join(
        f"<p>Paragraf {i} berisi kalimat yang cukup panjang.</p>" for i in range(paragraphs)
    )
    return f"<html><body><article>{body}</article></body></html>"


def busy(seconds: float) -> None:
    """Burn CPU time (the limit counts CPU time, not the clock)."""
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


@pytest.fixture(scope="module")
def warm() -> Cleaner:
    """A cleaner whose libraries are loaded, so a document's time is its own."""
    cleaner = Cleaner(CleanerConfig(time_limit=0.3))
    cleaner.warm_up()
    return cleaner


@pytest.fixture(autouse=True)
def no_timer_left() -> Iterator[None]:
    """Every test ends with no timer running and the default handler back."""
    yield
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGPROF) == signal.SIG_DFL


def html(page: str, source: str = "page.html") -> RawDocument:
    return RawDocument(source=source, data=page.encode(), kind="html")


def text(source: str = "story.txt") -> RawDocument:
    return RawDocument(source=source, data=f"Judul Berita\n{STORY}\n{STORY}".encode())


def test_a_slow_step_is_cut_off_and_rejected_too_slow_naming_the_limit(
    warm: Cleaner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Cleaner, "_clean", lambda self, doc: busy(60))
    started = time.process_time()
    outcome = outcome_of(text(), warm)
    assert time.process_time() - started < 5
    assert (outcome.kind, outcome.reason) == ("reject", "too_slow")
    reject = json.loads(outcome.line)
    assert reject["detail"] == "cleaning took longer than the 0.3 s limit (--time-limit, CPU time)"
    assert reject["source"] == "story.txt" and reject["id"]


def test_a_real_slow_page_is_interrupted_and_the_next_document_is_fine(warm: Cleaner) -> None:
    page = html(slow_page())
    unlimited = Cleaner(CleanerConfig(time_limit=0))
    started = time.process_time()
    assert outcome_of(html(slow_page(5_000)), unlimited).reason == "not_article"
    quarter = time.process_time() - started  # a quarter of the page, without a limit
    assert quarter > 0.3, "the slow page is not slow here: the test proves nothing"

    started = time.process_time()
    outcome = outcome_of(page, warm)
    assert (outcome.kind, outcome.reason) == ("reject", "too_slow")
    assert time.process_time() - started < 0.3 + 2
    assert outcome_of(text(), warm).kind == "article"  # the timer went with the slow page
    assert outcome_of(html(slow_page(20)), warm).reason == "not_article"  # in time


def test_the_timer_is_cleared_when_cleaning_raises(
    warm: Cleaner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(self: Cleaner, doc: RawDocument) -> None:
        raise KeyboardInterrupt  # Ctrl-C in a one-process run

    monkeypatch.setattr(Cleaner, "_clean", interrupted)
    with pytest.raises(KeyboardInterrupt):
        outcome_of(text(), warm)


def test_a_swallowed_timeout_is_raised_again(
    warm: Cleaner, monkeypatch: pytest.MonkeyPatch
) -> None:
    swallowed: list[str] = []

    def stubborn(self: Cleaner, doc: RawDocument) -> None:
        while True:  # a library that catches everything, and goes on
            try:
                busy(60)
            except BaseException as exc:  # catches everything: the point of the test
                swallowed.append(type(exc).__name__)
                if len(swallowed) >= 3:
                    raise

    monkeypatch.setattr(Cleaner, "_clean", stubborn)
    started = time.process_time()
    assert outcome_of(text(), warm).reason == "too_slow"
    assert swallowed == ["TooSlow"] * 3
    assert time.process_time() - started < 0.3 + 3 * REPEAT_SECONDS + 2


def test_within_time_limit_returns_the_work_or_the_timeout() -> None:
    assert within_time_limit(1.0, lambda: "done", lambda: "late") == "done"
    assert within_time_limit(0.05, lambda: busy(30), lambda: "late") == "late"
    assert within_time_limit(0, lambda: busy(0.2) or "done", lambda: "late") == "done"  # 0: none


def test_no_limit_outside_the_main_thread() -> None:
    got: list[str] = []
    worker = threading.Thread(
        target=lambda: got.append(within_time_limit(0.05, lambda: busy(0.3) or "done", str))
    )
    worker.start()
    worker.join()
    assert got == ["done"]


def test_a_timer_already_running_is_left_alone() -> None:
    fired: list[int] = []
    signal.signal(signal.SIGPROF, lambda signum, frame: fired.append(signum))
    signal.setitimer(signal.ITIMER_PROF, 100)
    try:
        assert within_time_limit(0.05, lambda: busy(0.2) or "done", lambda: "late") == "done"
        assert 0 < signal.getitimer(signal.ITIMER_PROF)[0] <= 100
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)
    assert not fired


def test_too_slow_is_not_an_exception_the_pipeline_catches() -> None:
    assert not issubclass(TooSlow, Exception)  # Cleaner.clean turns Exceptions into rejects


def test_the_learning_pass_skips_a_document_over_the_limit(
    warm: Cleaner, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = text()
    assert learning_text(doc, warm) is not None
    monkeypatch.setattr(Cleaner, "learning_text", lambda self, doc: busy(60))
    assert learning_text(doc, warm) is None


def test_workers_reject_a_slow_page_and_clean_the_rest(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a-slow.html").write_text(slow_page(), encoding="utf-8")
    for i, fixture in enumerate(sorted(FIXTURES.glob("*/*.txt"))[:6]):
        (inputs / f"b{i}.txt").write_bytes(fixture.read_bytes())
    out = tmp_path / "out.jsonl"
    common = ["clean", str(inputs), "--no-learn", "-q", "--workers", "2"]
    result = runner.invoke(app, [*common, "-o", str(out), "--time-limit", "0.5"])
    assert result.exit_code == 0, result.output
    rejects = [
        json.loads(line) for line in out.with_suffix(".rejects.jsonl").read_text().splitlines()
    ]
    slow = [r for r in rejects if r["source"].endswith("a-slow.html")]
    assert [r["reason"] for r in slow] == ["too_slow"]
    assert "0.5 s limit (--time-limit" in slow[0]["detail"]

    # The other documents come out as without a limit (but for the slow page).
    free = tmp_path / "free.jsonl"
    (inputs / "a-slow.html").unlink()
    assert runner.invoke(app, [*common, "-o", str(free), "--time-limit", "0"]).exit_code == 0
    assert out.read_bytes() == free.read_bytes()
    assert [r for r in rejects if r not in slow] == [
        json.loads(line) for line in free.with_suffix(".rejects.jsonl").read_text().splitlines()
    ]
