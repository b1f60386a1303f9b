"""Learned repeats (cleaner/rules/repeats.py): the units counted, their keys, the site a
document belongs to, the table and what it cuts from a line."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.errors import CleanerError
from cleaner.rules.repeats import (
    LINE_SEGMENT_CHARS,
    Seen,
    SiteRepeats,
    document_cuts,
    repeat_cuts,
    segment_key,
    segment_keys,
    segment_spans,
    segments,
    site_of,
)
from tests.conftest import ROOT

# --- segments ---------------------------------------------------------------------------

BODY = "Pemerintah kota menambah armada bus untuk mudik tahun ini. " * 7
"""A 413-character run of sentences: what makes a line long."""


def test_a_line_up_to_the_limit_is_one_segment_stripped() -> None:
    line = "  Ikuti berita terkini di saluran WhatsApp kami.  Baca Juga: lainnya  "
    assert segments(line) == [line.strip()]
    exact = "x" * LINE_SEGMENT_CHARS
    assert segments(exact) == [exact]
    assert segments("   ") == []


def test_a_long_line_is_cut_into_sentences_at_a_capital_or_a_quote() -> None:
    line = (
        BODY
        + "Baca berita lainnya di Google News! “Kami siap,” kata dia. angka 3. Lalu? Ya… "
        + "Selesai."
    )
    assert len(line) > LINE_SEGMENT_CHARS
    found = segments(line)
    assert "Baca berita lainnya di Google News!" in found
    assert "“Kami siap,” kata dia. angka 3." in found  # no cut before a lower-case word
    assert found[-3:] == ["Lalu?", "Ya…", "Selesai."]
    assert "".join(found).replace(" ", "") == line.replace(" ", "")


def test_segment_spans_point_at_the_segments_in_the_line() -> None:
    line = "   " + BODY + "Ikuti kami di WhatsApp. " + BODY + "   "
    spans = segment_spans(line)
    assert [line[a:b] for a, b in spans] == segments(line)
    assert all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(spans))
    assert (line.index("Ikuti"), line.index("WhatsApp.") + 9) in spans


# --- keys -------------------------------------------------------------------------------


def reference_normal(text: str) -> str:
    """segment_key's normalization as the brief defines it, with regular expressions."""
    return re.sub(r"\W+", " ", re.sub(r"\d+", "0", text.casefold())).strip()


def test_digits_case_and_punctuation_do_not_change_the_key() -> None:
    assert segment_key("Copyright © 2024 Kabar") == segment_key("Copyright © 2025 Kabar")
    assert segment_key("Copyright © 2024 Kabar") == segment_key("copyright — 7 KABAR!")
    assert segment_key("Copyright © 2024 Kabar") != segment_key("Copyright © 2024 Kabar Baru")
    assert segment_key("Ikuti kami") != segment_key("Ikuti kamu")


def test_segments_under_two_characters_have_no_key() -> None:
    for text in ["", "!!", "a", "7", "2024", " é ", "— ·"]:
        assert segment_key(text) is None, text
    assert segment_key("ok") is not None
    assert segment_key("é!") is None and segment_key("éé") is not None


TEXT = st.text(
    alphabet=st.sampled_from(
        list("aAzZ09 _.,:-\t'\"") + list("“”‘’©…–—éÉßİſﬁ٣²\u00a0\u2028\x85") + ["\n"]
    ),
    max_size=30,
)


@settings(max_examples=400, deadline=None)
@given(TEXT, TEXT)
def test_two_texts_share_a_key_exactly_when_their_normal_forms_agree(a: str, b: str) -> None:
    same = reference_normal(a.replace("\n", " ")) == reference_normal(b.replace("\n", " "))
    key_a, key_b = segment_key(a), segment_key(b)
    assert (key_a is None) == (len(reference_normal(a.replace("\n", " "))) < 2)
    if key_a is not None and key_b is not None:
        assert (key_a == key_b) == same


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXT, max_size=120), st.integers(0, 3))
def test_a_batch_gives_each_text_its_own_key(texts: list[str], long: int) -> None:
    texts = texts + ["Kata " * 20_000 + "2024"] * long  # long texts, in a batch or alone
    keys, has = segment_keys(texts)
    assert [int(k) if h else None for k, h in zip(keys, has, strict=True)] == [
        segment_key(t) for t in texts
    ]


def test_a_key_is_the_same_in_every_process() -> None:
    code = "from cleaner.rules.repeats import segment_key; print(segment_key('Ikuti kami, 2024!'))"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert outs == {str(segment_key("Ikuti kami, 2024!"))}


# --- sites ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://news.detik.com/berita/d-1/x", "detik.com"),
        ("https://regional.kompas.com/read/2024", "kompas.com"),
        ("http://x.tempo.co.id/a", "tempo.co.id"),
        ("https://www.tempo.co/politik", "tempo.co"),
        ("https://WWW.Antaranews.com/berita", "antaranews.com"),
        ("https://jatim.sch.id/", "jatim.sch.id"),
        ("https://a.b.desa.id/", "b.desa.id"),
        ("https://bbc.co.uk/news", "bbc.co.uk"),
        ("kumparan.com/news/x", "kumparan.com"),
        ("http://127.0.0.1:8000/x", "127.0.0.1"),
        ("https://localhost/x", "localhost"),
    ],
)
def test_the_site_of_a_url_is_its_registrable_host(url: str, site: str) -> None:
    assert site_of(url, None, None) == site


def test_a_given_site_key_wins_then_the_url_then_the_outlet() -> None:
    assert site_of("https://news.detik.com/x", "detik", "feed-7") == "feed-7"
    assert site_of("https://news.detik.com/x", "detik", None) == "detik.com"
    assert site_of(None, "detik", None) == "outlet:detik"
    assert site_of("", "detik", "") == "outlet:detik"
    assert site_of("not a url at all", None, None) is None
    assert site_of("http://[::1", "x", None) == "outlet:x"
    assert site_of(None, None, None) is None


# --- the table --------------------------------------------------------------------------


def seen(key: str, docs: int, site_docs: int = 40) -> Seen:
    k = segment_key(key)
    assert k is not None
    return Seen(docs, site_docs, key, k)


def table() -> SiteRepeats:
    return SiteRepeats(
        {
            "kabar.id": [seen("Ikuti kami di WhatsApp", 30), seen("Copyright © 2024 Kabar", 40)],
            "berita.com": [seen("Baca juga", 25, 30)],
            "kosong.id": [],
        }
    )


def test_a_table_answers_lookups_by_site_and_key() -> None:
    t = table()
    key = segment_key("IKUTI kami di WhatsApp!")
    assert key is not None
    hit = t.lookup("kabar.id", key)
    assert hit is not None and (hit.docs, hit.site_docs) == (30, 40)
    assert hit.sample == "Ikuti kami di WhatsApp"
    assert t.lookup("berita.com", key) is None
    assert t.lookup("nowhere", key) is None
    assert t.sites() == ["berita.com", "kabar.id"]
    assert [s.sample for s in t.for_site("kabar.id")] == [
        "Copyright © 2024 Kabar",
        "Ikuti kami di WhatsApp",
    ]
    assert t.for_site("nowhere") == []
    assert len(t) == 3 and len(SiteRepeats.empty()) == 0
    assert SiteRepeats.empty().sites() == []


def test_a_table_file_reads_back_the_same_table_with_the_same_bytes(tmp_path: Path) -> None:
    t = table()
    reordered = SiteRepeats(
        {
            "berita.com": [seen("Baca juga", 25, 30)],
            "kabar.id": [seen("Copyright © 2024 Kabar", 40), seen("Ikuti kami di WhatsApp", 30)],
        }
    )
    assert t.to_bytes() == reordered.to_bytes()
    path = tmp_path / "repeats.jsonl"
    t.to_file(path)
    back = SiteRepeats.from_file(path)
    assert back == t and back.to_bytes() == path.read_bytes()
    SiteRepeats.empty().to_file(tmp_path / "empty.jsonl")
    assert SiteRepeats.from_file(tmp_path / "empty.jsonl") == SiteRepeats.empty()


def test_a_bad_table_file_names_its_line(tmp_path: Path) -> None:
    lines = table().to_bytes().splitlines()
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"\n".join([lines[0], lines[1], lines[2].replace(b'"key":"', b'"key":"z')]))
    with pytest.raises(CleanerError, match=r"bad\.jsonl:3: key"):
        SiteRepeats.from_file(path)
    path.write_bytes(b"not json\n")
    with pytest.raises(CleanerError, match=r"bad\.jsonl:1:"):
        SiteRepeats.from_file(path)
    path.write_bytes(b"\n".join(lines[:-1]) + b"\n")
    with pytest.raises(CleanerError, match="truncated"):
        SiteRepeats.from_file(path)


def test_repeat_cuts_take_a_whole_learned_line() -> None:
    line = " Ikuti kami di WhatsApp. "
    cuts = repeat_cuts(line, "kabar.id", table())
    assert [(a, b) for a, b, _ in cuts] == [(0, len(line))]
    assert cuts[0][2].docs == 30
    assert repeat_cuts(line, "berita.com", table()) == []
    assert repeat_cuts(line, "nowhere", table()) == []
    assert repeat_cuts("Ikuti kami di WhatsApp sekarang", "kabar.id", table()) == []


def test_repeat_cuts_take_learned_sentences_out_of_a_long_line() -> None:
    line = "Ikuti kami di WhatsApp. " + BODY + "Copyright © 2025 Kabar. " + BODY.strip()
    cuts = repeat_cuts(line, "kabar.id", table())
    assert [line[a:b] for a, b, _ in cuts] == [
        "Ikuti kami di WhatsApp.",
        "Copyright © 2025 Kabar.",
    ]
    assert [s.sample for _, _, s in cuts] == ["Ikuti kami di WhatsApp", "Copyright © 2024 Kabar"]
    assert cuts[0][1] <= cuts[1][0]


def test_a_document_is_cut_as_its_lines_are() -> None:
    long = "Ikuti kami di WhatsApp. " + BODY + "Copyright © 2025 Kabar. " + BODY
    lines = [
        "Ikuti kami di WhatsApp",
        "Biasa saja di sini",
        long,
        "",
        "  ",
        "ikuti KAMI di whatsapp",
    ]
    cuts = document_cuts(lines, "kabar.id", table())
    assert cuts == [repeat_cuts(line, "kabar.id", table()) for line in lines]
    assert [len(c) for c in cuts] == [1, 0, 2, 0, 0, 1]
    assert document_cuts(lines, "nowhere", table()) == [[]] * len(lines)
