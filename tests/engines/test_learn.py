"""Learning boilerplate from a corpus (cleaner/engines/learn.py): what is learned, what
is not (bodies, syndicated copies, small sites), that parts give the table of one
counter, and that counting stays within its memory bound."""

from __future__ import annotations

import itertools
import os
import pickle
import random
import string
import subprocess
import sys
import time
import tracemalloc
from array import array
from collections.abc import Iterator
from pathlib import Path

import pytest

from cleaner.config import LearnConfig
from cleaner.engines import learn as learn_module
from cleaner.engines.learn import CountPart, RepeatCounter, combine, learn
from cleaner.rules.repeats import SiteRepeats, repeat_cuts, segment_key, segments
from tests.conftest import ROOT

Doc = tuple[str | None, list[str]]


def word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 9)))


def sentence(rng: random.Random, words: int = 16) -> str:
    """A sentence of made-up words: unique, and (at 16 words) 80 characters or more."""
    return " ".join(word(rng) for _ in range(words)).capitalize() + "."


def learned(table: SiteRepeats, site: str) -> set[str]:
    return {seen.sample for seen in table.for_site(site)}


def is_learned(table: SiteRepeats, site: str, text: str) -> bool:
    key = segment_key(text)
    return key is not None and table.lookup(site, key) is not None


PROMO = "Ikuti berita terkini di saluran WhatsApp kami"


def test_a_promo_and_a_footer_on_every_page_are_learned_and_no_body_line_is() -> None:
    rng = random.Random(1)
    docs: list[Doc] = []
    for i in range(30):
        body = [sentence(rng, rng.randint(8, 30)) for _ in range(6)]
        promo = [PROMO, PROMO] if i % 4 == 0 else [PROMO]  # twice in a page: counted once
        footer = f"Copyright © {2000 + i} Kabar Contoh. Hak cipta dilindungi."
        docs.append(("kabar.id", [sentence(rng, 6), *body, *promo, footer]))
    table = learn(docs, LearnConfig())
    assert learned(table, "kabar.id") == {
        PROMO,
        "Copyright © 2000 Kabar Contoh. Hak cipta dilindungi.",
    }
    assert [(s.docs, s.site_docs) for s in table.for_site("kabar.id")] == [(30, 30), (30, 30)]
    for _, lines in docs:
        assert not any(is_learned(table, "kabar.id", line) for line in lines[:7])


def syndicated(rng: random.Random, copies: int = 25) -> tuple[list[Doc], list[list[str]]]:
    """``copies`` pages of 3 stories (each copy with one line edited) and boilerplate."""
    stories = [[sentence(rng, 6)] + [sentence(rng, rng.randint(14, 30)) for _ in range(5)]]
    stories += [[sentence(rng, 6)] + [sentence(rng, rng.randint(14, 30)) for _ in range(5)]]
    stories += [[sentence(rng, 6)] + [sentence(rng, rng.randint(14, 30)) for _ in range(5)]]
    docs: list[Doc] = []
    for i in range(copies):
        body = list(stories[i % 3])
        edited = 1 + i % 5
        body[edited] = body[edited].replace(" ", f" {word(rng)} ", 1)
        docs.append(("wire.id", [*body, "Baca berita lainnya di aplikasi Wire", "© 2024 Wire"]))
    return docs, stories


@pytest.mark.parametrize("block", [2048, 2])
def test_copies_of_a_story_are_one_piece_of_evidence(
    monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    # With blocks of 2 documents, copies are found through the Bloom filter, not exactly.
    monkeypatch.setattr(learn_module, "_DUP_BLOCK", block)
    docs, stories = syndicated(random.Random(2))
    table = learn(docs, LearnConfig(min_docs=3))
    assert learned(table, "wire.id") == {"Baca berita lainnya di aplikasi Wire", "© 2024 Wire"}
    assert {seen.docs for seen in table.for_site("wire.id")} == {3}  # one page per story
    for story in stories:
        for line in story:
            # On 3 pages or more: counting the copies would learn every one of them.
            assert sum(line in lines for _, lines in docs) >= 3
            assert not is_learned(table, "wire.id", line)


FIXED = "Baca berita terkini lainnya di Google News Kabar Satu."


def test_a_sentence_inside_collapsed_pages_is_learned_and_cut_out() -> None:
    rng = random.Random(3)
    docs: list[Doc] = []
    for i in range(30):
        sentences = [sentence(rng) for _ in range(8)]
        sentences.insert(i % 9, FIXED)
        docs.append(("satu.id", [" ".join(sentences)]))
    assert all(len(lines[0]) > 400 and FIXED in segments(lines[0]) for _, lines in docs)
    table = learn(docs, LearnConfig())
    assert [seen.sample for seen in table.for_site("satu.id")] == [FIXED]
    line = " ".join([sentence(rng), sentence(rng), FIXED.upper(), sentence(rng), sentence(rng)])
    cuts = repeat_cuts(line, "satu.id", table)
    assert [line[a:b] for a, b, _ in cuts] == [FIXED.upper()]
    assert cuts[0][2].docs == 30


def test_small_sites_learn_nothing_and_sites_do_not_mix() -> None:
    rng = random.Random(4)
    docs: list[Doc] = []
    for i in range(30):
        docs.append(("kecil.id", [sentence(rng), "Promo Kecil hari ini"]) if i < 10 else (None, []))
        docs.append(("b.id", [sentence(rng), sentence(rng), "Promo B setiap hari"]))
        docs.append(("c.id", [sentence(rng), sentence(rng), "Promo C setiap hari"]))
        if i < 3:  # 6 pages in all, but 3 a site: below min_docs on each
            docs[-1][1].append("Baris yang dibagi dua situs")
            docs[-2][1].append("Baris yang dibagi dua situs")
    table = learn(docs, LearnConfig())
    assert table.sites() == ["b.id", "c.id"]
    assert learned(table, "b.id") == {"Promo B setiap hari"}
    assert learned(table, "c.id") == {"Promo C setiap hari"}
    assert not is_learned(table, "b.id", "Promo C setiap hari")
    assert learn(docs, LearnConfig(min_site_docs=10)).sites() == ["b.id", "c.id", "kecil.id"]


def test_years_and_counts_do_not_split_a_footer() -> None:
    assert segment_key("Copyright © 2024 Kabar") == segment_key("Copyright © 2025 Kabar")
    rng = random.Random(5)
    docs: list[Doc] = [
        ("kabar.id", [sentence(rng), f"Copyright © {2024 + i % 2} Kabar"]) for i in range(30)
    ]
    table = learn(docs, LearnConfig())
    assert [(s.sample, s.docs) for s in table.for_site("kabar.id")] == [
        ("Copyright © 2024 Kabar", 30)
    ]


def mixed_stream(rng: random.Random) -> list[Doc]:
    """Pages of three sites with boilerplate, syndicated copies spread far apart (across
    any cut of the stream), collapsed pages, pages without a site and one huge page."""
    stories = [[sentence(rng, rng.randint(14, 24)) for _ in range(4)] for _ in range(12)]
    docs: list[Doc] = []
    for i in range(420):
        site = ("a.id", "b.co.id", "c.com")[i % 3]
        if i % 7 == 0:
            body = list(stories[(i // 7) % 12])  # each story five or six times
            body[i % 4] = body[i % 4].replace(" ", f" {word(rng)} ", 1)
        else:
            body = [sentence(rng, rng.randint(5, 25)) for _ in range(rng.randint(0, 5))]
        if i % 11 == 0:  # a page collapsed into one line
            more = [sentence(rng) for _ in range(5)]
            body = [" ".join([*body, *more, f"Simak {site} di Google News."])]
        extra = [f"Promo {site} nomor {i % 3}", f"Hak cipta {site} {2000 + i}"] if i % 5 else []
        docs.append((site, [*body, *extra, "", "  Bagikan  "]))
        if i % 50 == 0:
            docs.append((None, body))
    docs.insert(200, ("a.id", [f"Baris {word(rng)} {word(rng)}" for _ in range(700)]))
    return docs


CONFIG = LearnConfig(min_docs=3, min_site_docs=5, memory_mb=8)


def in_parts(docs: list[Doc], cuts: list[int], root: Path) -> bytes:
    parts: list[CountPart] = []
    for n, (start, stop) in enumerate(itertools.pairwise([0, *cuts, len(docs)])):
        counter = RepeatCounter(CONFIG, root / f"part-{n}")
        for site, lines in docs[start:stop]:
            counter.add(site, lines)
        parts.append(counter.partial())
    parts = pickle.loads(pickle.dumps(parts))  # as a worker process would hand them back
    try:
        return combine(parts).to_bytes()
    finally:
        for part in parts:
            part.discard()


SMALL = {"_SPILL_BYTES_PER_PAIR": 8388, "_BATCH_DOCS": 16, "_REDUCE_SHARE": 7000}
"""Internals made tiny: buffers of 500 entries (spilled often, a huge page straight
out), partitions over 50 records split."""


@pytest.mark.parametrize("small", [False, True])
def test_parts_give_exactly_the_table_of_one_counter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small: bool
) -> None:
    docs = mixed_stream(random.Random(6))
    if small:  # also: a Bloom filter of 2048 bits, whose generations turn over
        for name, value in {**SMALL, "_BLOOM_SHARE": 1 << 30, "_DUP_BLOCK": 7}.items():
            monkeypatch.setattr(learn_module, name, value)
    one = learn(docs, CONFIG).to_bytes()
    assert learn(docs, CONFIG).to_bytes() == one
    for n, cuts in enumerate([[len(docs)], [150], [44, 45, 301], [100, 200, 300, 400]]):
        assert in_parts(docs, cuts, tmp_path / str(n)) == one, cuts
    table = SiteRepeats.from_bytes(one)
    assert {"Promo a.id nomor 0", "Simak a.id di Google News."} <= learned(table, "a.id")
    bodies = [
        (site, line) for site, lines in docs if site for line in lines if len(line.split()) > 4
    ]
    assert len(bodies) > 1000
    # (With the tiny filter, copies 84 pages apart fall out of its window: learned then.)
    assert any(is_learned(table, site, line) for site, line in bodies) == small


def test_another_process_learns_the_same_bytes() -> None:
    code = (
        "import random, sys\n"
        "from tests.engines.test_learn import CONFIG, learn, mixed_stream\n"
        "sys.stdout.buffer.write(learn(mixed_stream(random.Random(6)), CONFIG).to_bytes())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True)
    assert run.returncode == 0, run.stderr.decode()
    assert run.stdout == learn(mixed_stream(random.Random(6)), CONFIG).to_bytes()


def test_spilling_and_splitting_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = mixed_stream(random.Random(7))
    before = learn(docs, CONFIG).to_bytes()
    for name, value in SMALL.items():
        monkeypatch.setattr(learn_module, name, value)
    assert learn(docs, CONFIG).to_bytes() == before


def test_a_counter_guards_its_counts(tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    with pytest.raises(ValueError, match="not empty"):
        RepeatCounter(CONFIG, tmp_path / "used")
    counter = RepeatCounter(CONFIG)
    directory = counter.directory
    counter.add(None, ["Tanpa situs"])
    counter.add("a.id", ["Satu"])
    part = counter.partial()
    assert (part.sites, part.site_docs, part.docs) == (("a.id",), (1,), 1)
    with pytest.raises(RuntimeError):
        counter.add("a.id", ["Dua"])
    part.discard()
    assert not directory.exists()
    with RepeatCounter(CONFIG) as counter:
        counter.add("a.id", ["Satu"])
        directory = counter.directory
    assert not directory.exists()
    assert combine([]) == SiteRepeats.empty()


def test_parts_counted_differently_are_not_combined(tmp_path: Path) -> None:
    a = RepeatCounter(CONFIG, tmp_path / "a").partial()
    b = RepeatCounter(CONFIG.model_copy(update={"max_chars": 100}), tmp_path / "b").partial()
    with pytest.raises(ValueError, match="different settings"):
        combine([a, b])


def test_learning_switched_off_reads_nothing() -> None:
    def docs() -> Iterator[Doc]:
        raise AssertionError("read")
        yield  # pragma: no cover

    assert learn(docs(), LearnConfig(enabled=False)) == SiteRepeats.empty()


# --- a corpus of 200,000 pages ----------------------------------------------------------

SITES = 300
LETTERS = random.Random(8)
WORDS = sorted({"".join(LETTERS.choices(string.ascii_lowercase, k=6)) for _ in range(1100)})[:1000]
NAMES = [f"{WORDS[2 * s]}{WORDS[2 * s + 1]}" for s in range(SITES)]
FILLS = [" ".join(LETTERS.choices(WORDS, k=k)) + "." for k in [2, 3, 5, 12, 4, 2, 13, 3, 11] * 2]
SITE_NAMES = [f"{name}.co.id" for name in NAMES]
PROMOS = [f"Ikuti {name} di saluran WhatsApp kami" for name in NAMES]
FOOTERS = [
    [f"Copyright © {y} {name}. Hak cipta dilindungi." for y in range(2000, 2025)] for name in NAMES
]
GENERIC = "Baca juga berita menarik lainnya"


def corpus(order: array[int]) -> Iterator[Doc]:
    """Pages of ~20 lines: a site's promo and footer, a line every site has, and 17 body
    lines unique in the corpus (three words of a product that never repeats, then a
    filler; four of them long enough to sign the page). One string made per line."""
    triples = itertools.product(WORDS, repeat=3)
    fills = FILLS[:17]
    for n, s in enumerate(order):
        body = [f"{a} {b} {c} {fill}" for (a, b, c), fill in zip(triples, fills, strict=False)]
        yield SITE_NAMES[s], [PROMOS[s], *body, FOOTERS[s][n % 25], GENERIC]


def test_two_hundred_thousand_pages_are_counted_within_the_memory_bound() -> None:
    rng = random.Random(9)
    order = array("H", (rng.randrange(SITES) for _ in range(200_000)))
    config = LearnConfig(memory_mb=16)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        started = time.perf_counter()
        table = learn(corpus(order), config)
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(f"\n200,000 pages: {elapsed:.1f} s, peak {peak / 2**20:.1f} MB traced")
    assert peak <= (config.memory_mb + 4) * 2**20  # 4 MB: the batch of pages being keyed
    assert len(table) == 3 * SITES
    site_docs = array("L", [0] * SITES)
    for s in order:
        site_docs[s] += 1
    for s in range(0, SITES, 7):
        site = SITE_NAMES[s]
        assert [seen.docs for seen in table.for_site(site)] == [site_docs[s]] * 3
        assert learned(table, site) == {
            PROMOS[s],
            GENERIC,
            FOOTERS[s][next(n % 25 for n, t in enumerate(order) if t == s)],
        }
    for site, lines in itertools.islice(corpus(order), 0, 2000, 97):
        assert not any(is_learned(table, site, line) for line in lines[1:-2])
