"""The word scan behind the signals (cleaner/text/scan.py) and its compiled twin
(cleaner/text/_scan.pyx): the same numbers for every input, so a record never depends on
whether the compiled core was built."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, CleanerConfig
from cleaner.text import scan
from cleaner.text.scan import LETTERLESS, PURE_PYTHON_ENV, STOPWORD, Scan, scan_python
from cleaner.text.signals import TokenMemo, word_class
from tests.conftest import CORPORA, FIXTURES


def _compiled() -> scan.ScanFunction:
    """The compiled scan: ``make install`` builds it, so its absence on a machine with a
    C compiler is a failure, not a skip."""
    if scan.COMPILED is None:
        if os.environ.get(PURE_PYTHON_ENV) or shutil.which("cc") is None:
            pytest.skip("the compiled core is switched off or cannot be built here")
        pytest.fail("cleaner.text._scan is not built: run `make install` (hatch_build.py)")
    return scan.COMPILED


def _plain(words: list[str], last_n: int = 4) -> Scan:
    """The plain statement: every n-gram of every n counted, ties to the first seen."""
    kinds = [word_class(word) for word in words]
    found: list[tuple[int, int]] = []
    for n in range(2, last_n + 1):
        grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
        counts = Counter(grams)
        top = max(counts.values(), default=0)
        if top < 2:
            break
        found.append((top, next(i for i, g in enumerate(grams) if counts[g] == top)))
    return (
        sum(1 for kind in kinds if kind & STOPWORD),
        sum(1 for kind in kinds if kind & LETTERLESS),
        sum(map(len, words)),
        found,
    )


WORDS = st.lists(
    st.sampled_from(["yang", "Dan,", "bb", "ccc", "a.", "12.500", "—", "é", "kata"]),
    max_size=60,
)


@given(WORDS)
@settings(max_examples=600, deadline=None)
def test_the_reference_scan_agrees_with_the_plain_statement(words: list[str]) -> None:
    assert scan_python(words, TokenMemo(word_class), 4) == _plain(words)


@given(WORDS, st.integers(min_value=1, max_value=6))
@settings(max_examples=600, deadline=None)
def test_the_compiled_scan_gives_the_reference_numbers(words: list[str], last_n: int) -> None:
    compiled = _compiled()
    assert compiled(words, TokenMemo(word_class), last_n) == scan_python(
        words, TokenMemo(word_class), last_n
    )


def test_both_scans_ask_the_memo_and_fill_it() -> None:
    compiled = _compiled()
    words = ["Yang", "harga", "naik", "10", "%", "yang"]
    for function in (compiled, scan_python):
        memo = TokenMemo(word_class)
        assert function(words, memo, 4) == (2, 2, 20, [])
        assert set(memo) == set(words)


def test_a_memo_that_answers_with_booleans_serves_too() -> None:
    """Class bits from any mapping of ints (a bool is one)."""
    compiled = _compiled()
    memo = {"a": True, "b": False}
    assert compiled(["a", "b", "a", "b"], memo, 2) == scan_python(["a", "b", "a", "b"], memo, 2)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="no ../shared/corpora")
def test_both_scans_agree_on_every_text_of_the_real_corpora() -> None:
    compiled = _compiled()
    memo = TokenMemo(word_class)
    checked = 0
    for path in sorted(CORPORA.glob("*.jsonl")):
        for line in path.read_bytes().splitlines():
            words = str(orjson.loads(line).get("text") or "").split()
            assert compiled(words, memo, 4) == scan_python(words, memo, 4), path
            checked += 1
    assert checked > 1000


def test_the_records_are_the_same_with_either_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    _compiled()
    cleaner = Cleaner(CleanerConfig())
    files = sorted(FIXTURES.rglob("*.txt"))
    assert files
    texts = [path.read_text(encoding="utf-8") for path in files]
    with_compiled = [cleaner.clean_text(text) for text in texts]
    monkeypatch.setattr(scan, "scan", scan_python)
    assert [cleaner.clean_text(text) for text in texts] == with_compiled


def test_the_environment_switches_the_compiled_scan_off() -> None:
    probe = "from cleaner.text import scan; print(scan.COMPILED is None, scan.scan.__name__)"
    env = {**os.environ, PURE_PYTHON_ENV: "1"}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "scan_python"]
