"""The HTML safety net: how article-like an extraction is, and the extraction chosen."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Article, Cleaner, CleanerConfig, RawDocument
from cleaner.pipeline import Prepared
from cleaner.text import html
from cleaner.text.html import PRECISION, HtmlOptions, extract, parse
from cleaner.text.likeness import (
    MIN_ARTICLE_PROSE,
    MIN_ARTICLE_SHARE,
    MIN_LISTING_LINES,
    MIN_LISTING_WORDS,
    _fewer_words,
    _sentences,
    article_like,
    is_prose,
    likeness,
    page_links,
)

PARAGRAPHS = [
    "Pemerintah kota membuka taman baru di pusat kota pada Senin pagi, disaksikan ratusan "
    "warga yang datang bersama keluarga mereka.",
    "Taman itu dibangun di atas lahan bekas pasar yang sudah lama tidak digunakan oleh "
    "para pedagang di kawasan tersebut.",
    "Wali kota berharap taman itu menjadi ruang bermain anak-anak dan tempat warga "
    "berolahraga setiap akhir pekan.",
    "Petugas kebersihan akan berjaga setiap hari agar taman tetap bersih dan nyaman bagi "
    "semua pengunjung yang datang.",
]
HEADLINES = [
    f"Harga Cabai di Pasar Induk Kota Contoh Turun Jelang Akhir Pekan {i}" for i in range(8)
]


def page() -> str:
    story = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    related = "".join(f'<li><a href="/berita/{i}">{h}</a></li>' for i, h in enumerate(HEADLINES))
    return (
        "<html><head><title>Taman Baru Dibuka</title></head><body>"
        f'<div class="artikel"><h1>Taman Baru Dibuka</h1>{story}</div>'
        f'<div class="lainnya"><h3>BERITA LAINNYA</h3><ul>{related}</ul></div>'
        "</body></html>"
    )


def test_prose_links_and_the_rest_are_told_apart() -> None:
    tree = parse(page())
    links = page_links(tree)
    assert HEADLINES[0].casefold() in links
    assert is_prose(PARAGRAPHS[0]) and not is_prose(HEADLINES[0])
    story = likeness(PARAGRAPHS, links)
    assert story.score == 1.0 and story.linked == 0
    listing = likeness(HEADLINES, links)
    assert listing.score == 0.0 and listing.linked == sum(map(len, HEADLINES))
    assert listing.value < 0 < story.value


def test_an_article_like_extraction_is_kept_without_trying_others() -> None:
    markup = page()
    found = extract(parse(markup), None, HtmlOptions(), tuned=False)
    assert found.chosen == PRECISION and len(found.candidates) == 1 and found.trusted
    assert PARAGRAPHS[0] in found.text


def test_a_rule_file_that_picks_a_related_links_list_is_overruled(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "contoh.yaml").write_text(
        textwrap.dedent(
            """\
            name: Contoh
            domains: [contoh.id]
            html:
              prune_xpath: ['//div[@class="artikel"]']
              fallback: false
            """
        ),
        encoding="utf-8",
    )
    cleaner = Cleaner(CleanerConfig(rules_dirs=(rules,)))
    doc = RawDocument(source="p.html", data=page(), url="https://contoh.id/x", kind="html")
    prepared = cleaner.trace(doc).prepared
    assert isinstance(prepared, Prepared) and prepared.extraction is not None
    extraction = prepared.extraction
    names = [c.name for c in extraction.candidates]
    assert names[0] == "rules" and extraction.chosen != "rules"
    assert extraction.candidates[0].likeness.score < 0.5  # the list: links, no prose
    assert not extraction.trusted
    result = cleaner.clean(doc)
    assert isinstance(result, Article)
    assert result.outlet == "contoh"
    assert all(p in result.text for p in PARAGRAPHS)
    assert not any(h in result.text for h in HEADLINES)


def test_an_outlet_extracting_as_the_generic_settings_is_not_extracted_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the safety net runs, the "trafilatura" candidate (the generic settings) is
    the first extraction again if the outlet's settings differ only in what is not
    extraction (``search``): it is reused, not made again."""
    related = "".join(f'<li><a href="/b/{i}">{h}</a></li>' for i, h in enumerate(HEADLINES))
    markup = f"<html><body><ul>{related}</ul></body></html>"  # a listing: not trusted
    made: list[tuple[tuple[tuple[str, ...], bool, bool], bool]] = []
    real = html.main_text

    def counted(tree: object, url: str | None, options: HtmlOptions, **kw: bool) -> str:
        made.append((options.extraction, kw.get("precision", False)))
        return real(tree, url, options, **kw)

    monkeypatch.setattr(html, "main_text", counted)
    same = extract(parse(markup), None, HtmlOptions(search=[]), tuned=True)
    assert not same.trusted
    texts = {c.name: c.text for c in same.candidates}
    assert texts["trafilatura"] == texts["rules"]
    assert made == [(HtmlOptions().extraction, False), (HtmlOptions().extraction, True)]
    made.clear()
    pruned = HtmlOptions(prune_xpath=["//footer"])
    extract(parse(markup), None, pruned, tuned=True)
    assert len(made) == 3  # other settings: the generic extraction is made too


def test_coverage_is_measured_against_the_prose_left_after_pruning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The safety net's coverage test gives the answer of the pruned measure, and looks
    for the pruned elements only when the whole page's prose is too much to answer."""
    from cleaner.text import likeness as likeness_module
    from cleaner.text.html import MIN_COVERAGE, _covers
    from cleaner.text.likeness import page_prose

    story = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    box = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:3])  # prose, in a pruned box
    tree = parse(f'<html><body><div>{story}</div><div class="lain">{box}</div></body></html>')
    options = HtmlOptions(prune_xpath=['//div[@class="lain"]'])
    pruned, whole = page_prose(tree, options.prune_xpath), page_prose(tree)
    assert pruned < whole
    looked: list[str] = []
    real = likeness_module.compiled_xpath

    def counted(xpath: str) -> object:
        looked.append(xpath)
        return real(xpath)

    monkeypatch.setattr(likeness_module, "compiled_xpath", counted)
    for prose in range(0, whole + 50, 7):
        looked.clear()
        assert _covers(prose, tree, options) == (prose >= MIN_COVERAGE * pruned), prose
        assert bool(looked) == (prose < MIN_COVERAGE * whole), prose


def article_like_reference(lines: list[str]) -> bool:
    """article_like as first written: every sentence split and every word counted."""
    if len(lines) < MIN_LISTING_LINES:
        if sum(len(line.split()) for line in lines) < MIN_LISTING_WORDS:
            return True
        lines = [s for line in lines for s in re.split(r"(?<=[.!?…])\s+", line) if s.strip()]
    prose = sum(len(line) for line in lines if is_prose(line))
    chars = sum(len(line) for line in lines)
    return prose >= MIN_ARTICLE_PROSE or (chars > 0 and prose / chars >= MIN_ARTICLE_SHARE)


SENTENCE_PIECES = st.sampled_from(
    [
        "Warga desa membersihkan sungai bersama-sama pada hari Minggu pagi kemarin.",
        "Kepala desa mengatakan kegiatan ini akan digelar setiap bulan!",
        "BERITA TERKINI",
        "Baca juga: Banjir Kiriman",
        "Apa kata mereka?",
        "Tunggu…",
        "3.5",
        "a.b",
        "",
    ]
)
GLUE = st.sampled_from([" ", "  ", "\t", " \u00a0", "\u2028", ". ", "… ", ""])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.lists(st.tuples(SENTENCE_PIECES, GLUE), max_size=12).map(
            lambda parts: "".join(p + g for p, g in parts)
        ),
        min_size=1,
        max_size=4,
    )
)
def test_article_like_is_its_reference_definition(lines: list[str]) -> None:
    assert article_like(lines) == article_like_reference(lines)


@pytest.mark.parametrize("words", [MIN_LISTING_WORDS - 1, MIN_LISTING_WORDS])
def test_a_text_of_too_few_words_to_tell_is_an_article(words: int) -> None:
    headlines = ["BERITA " * (words // 2), "TERKINI " * (words - words // 2)]
    assert article_like(headlines) == (words < MIN_LISTING_WORDS)


SPACED = st.text(alphabet=".!?… \t\n\u00a0\u2028ab", max_size=40)


@settings(max_examples=500, deadline=None)
@given(SPACED)
def test_sentences_are_the_pieces_between_a_sentence_end_and_what_follows(line: str) -> None:
    assert list(_sentences(line)) == re.split(r"(?<=[.!?…])\s+", line)


@settings(max_examples=500, deadline=None)
@given(st.lists(SPACED, max_size=4), st.integers(min_value=1, max_value=8))
def test_fewer_words_counts_as_split_does(lines: list[str], limit: int) -> None:
    assert _fewer_words(lines, limit) == (sum(len(line.split()) for line in lines) < limit)
