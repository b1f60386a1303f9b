"""Cleaning is idempotent on real corpora: cleaning the output again changes no text.

The README promises it, and a corpus builder relies on it (a cleaned corpus cleaned
again with newer rules must change only where the rules did). Each corpus of
``../shared/corpora`` (beside the checkout; skipped when it is not there) is cleaned as
``cleaner clean`` cleans it, learning what each site repeats, and its articles are then
cleaned again: every input record with its text replaced by the cleaned one, so the
second pass sees the same id, URL and other fields (``outlet_domain``, the title) and
finds the same outlet and site. No text may change and no article may be rejected.

tests/rules/test_settle.py shows each cause on made-up text.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from cleaner import CleanerConfig, clean_to_stream
from tests.conftest import CORPORA

WORKERS = max(1, min(4, os.cpu_count() or 1))


def _records(path: Path) -> list[dict[str, Any]]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def _again(articles: list[dict[str, Any]], path: Path) -> None:
    """The articles as input records: what the input carried (under ``extra``), its id
    and URL, and the cleaned text."""
    lines = [
        orjson.dumps({"id": a["id"], "url": a["url"], **(a["extra"] or {}), "text": a["text"]})
        for a in articles
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")


def _first_change(before: str, after: str) -> str:
    """Where two texts first differ, in a few words either side."""
    ops = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    _, i1, i2, j1, j2 = next(op for op in ops if op[0] != "equal")
    return f"{before[max(0, i1 - 40) : i1]!r}: {before[i1:i2][:80]!r} -> {after[j1:j2][:80]!r}"


@pytest.mark.parametrize("name", ["longtail-891.jsonl", "detik-998.jsonl"])
def test_cleaning_the_cleaned_corpus_again_changes_nothing(name: str, tmp_path: Path) -> None:
    corpus = CORPORA / name
    if not corpus.is_file():
        pytest.skip(f"no {corpus}")
    config = CleanerConfig()
    first, inputs, second = (
        tmp_path / "first.jsonl",
        tmp_path / "again.jsonl",
        tmp_path / "second.jsonl",
    )
    clean_to_stream([str(corpus)], config, first, workers=WORKERS)
    cleaned = _records(first)
    assert cleaned, f"{name}: no article"
    _again(cleaned, inputs)
    clean_to_stream([str(inputs)], config, second, workers=WORKERS)
    again = {a["id"]: a for a in _records(second)}
    rejected = [a["id"] for a in cleaned if a["id"] not in again]
    changed = {
        a["id"]: _first_change(a["text"], again[a["id"]]["text"])
        for a in cleaned
        if a["id"] in again and again[a["id"]]["text"] != a["text"]
    }
    rules = {i: again[i]["cleaning"]["rule_hits"] for i in changed}
    report = "\n".join(f"  {i}: {rules[i]} {where}" for i, where in list(changed.items())[:20])
    assert not rejected, f"{name}: {len(rejected)} articles rejected when cleaned again: {rejected}"
    assert not changed, (
        f"{name}: {len(changed)} of {len(cleaned)} texts change when cleaned again: "
        f"{sorted(changed)}\n{report}"
    )
