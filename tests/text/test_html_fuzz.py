"""Fuzzing the HTML path (issue 16): a damaged page is an article or a reject with a
reason, never an exception and never an ``internal_error`` (which would mean a bug).

Real-template pages from fixtures/ are mutated by a seeded, deterministic loop: cut at
many offsets, bytes flipped, garbage and control bytes inserted, a wrong or unknown
charset declared, nesting thousands of elements deep, tags left open.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest

from cleaner import Cleaner
from cleaner.models import Article, RawDocument, Reject
from tests.conftest import FIXTURES

SEED = 16
PAGES = sorted(FIXTURES.rglob("*.html"))
Mutant = tuple[str, bytes]


def mutants(page: bytes, rng: random.Random) -> Iterator[Mutant]:
    """About twenty damaged versions of ``page``."""
    for _ in range(5):
        at = rng.randrange(len(page))
        yield f"cut at {at}", page[:at]
    for _ in range(4):
        data = bytearray(page)
        for _ in range(rng.randint(1, 40)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        yield "bytes flipped", bytes(data)
    for _ in range(3):
        at = rng.randrange(len(page))
        junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
        yield f"garbage at {at}", page[:at] + junk + page[at:]
    body = page.find(b"<body")
    yield "deep nesting", page[:body] + b"<body>" + b"<div>" * 5000 + b"teks" + b"</div>" * 5000
    yield "open tags", re.sub(rb"</(p|div|span|a)>", b"", page)
    yield "NUL bytes", page.replace(b"<p", b"\0<p", 20)
    yield (
        "unknown charset",
        re.sub(rb"(?i)charset=[\"']?[\w-]+", b"charset=x-bogus-9", page, count=1),
    )
    yield "utf-16 declared", re.sub(rb"(?i)charset=[\"']?[\w-]+", b"charset=utf-16", page, count=1)
    yield (
        "entity bomb",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        + (b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>')
        + page,
    )
    yield "only markup", b"<html><body><div><div></div></div></body></html>"
    yield "empty", b""


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_damaged_pages_end_as_articles_or_rejects_with_a_reason(page: object) -> None:
    cleaner = Cleaner()
    rng = random.Random(f"{SEED}:{page}")
    for what, data in mutants(page.read_bytes(), rng):  # type: ignore[attr-defined]
        result = cleaner.clean(RawDocument(source=what, data=data, kind="html"))
        assert isinstance(result, Article | Reject), what
        if isinstance(result, Reject):
            assert result.reason != "internal_error", f"{what}: {result.detail}"
