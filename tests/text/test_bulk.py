"""Huge pages (cleaner/text/bulk.py): extraction in linear time, news pages unchanged."""

from __future__ import annotations

import copy
import random
import time
from pathlib import Path
from typing import Any

import justext
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from justext.core import ParagraphMaker, preprocessor, revise_paragraph_classification
from justext.paragraph import Paragraph
from lxml import etree

from cleaner import Article, Cleaner
from cleaner.text import bulk
from cleaner.text.bulk import BULK, HUGE_PAGE_ELEMENTS, bulk_text, element_count, revise
from cleaner.text.html import HtmlOptions, extract, parse
from cleaner.text.language import stopwords
from tests.conftest import FIXTURES, REALPAGES

SENTENCE = "Paragraf {i} berisi kalimat yang cukup panjang untuk dibaca."


def issue_page(paragraphs: int) -> str:
    """The page of issue 16: paragraph after paragraph, nothing else."""
    body = "".join(f"<p>{SENTENCE.format(i=i)}</p>" for i in range(paragraphs))
    return f"<html><body>{body}</body></html>"


def news_pages() -> list[Path]:
    pages = sorted(FIXTURES.glob("**/*.html"))
    return pages + (sorted(REALPAGES.glob("*.html")) if REALPAGES.is_dir() else [])


def test_the_160000_paragraph_page_gives_its_text_well_under_30_seconds() -> None:
    cleaner = Cleaner()
    cleaner.warm_up()
    page = issue_page(160_000)
    started = time.process_time()
    result = cleaner.clean_html(page, source="huge.html")
    took = time.process_time() - started
    assert isinstance(result, Article)
    lines = result.text.split("\n")
    assert len(lines) == 160_000
    assert lines[0] == SENTENCE.format(i=0) and lines[-1] == SENTENCE.format(i=159_999)
    assert any("a huge page (160,002 elements" in w for w in result.cleaning.warnings)
    assert took < 30  # 84 s before; about 8 s here


def test_bulk_text_is_every_block_outside_the_furniture() -> None:
    page = (
        "<html><head><title>Judul</title><style>p {}</style></head><body>"
        "<nav><a href='/'>Beranda</a></nav><header>Logo</header>"
        "<div>Pembuka <b>tebal</b> lalu<br>baris dua <!-- komentar -->tetap</div>"
        "<p>Satu</p><script>var x = 1;</script><p>Dua <span>dan</span> tiga</p>"
        "<table><tr><td>A</td><td>B</td></tr></table>"
        "<ul><li>butir</li></ul><div class='related'><p>Berita lain</p></div>"
        "<form><p>Cari</p></form><footer>Hak cipta</footer></body></html>"
    )
    tree = parse(page)
    assert bulk_text(tree).split("\n") == [
        "Pembuka tebal lalu",
        "baris dua tetap",
        "Satu",
        "Dua dan tiga",
        "A | B",
        "butir",
        "Berita lain",
    ]
    assert "Berita lain" not in bulk_text(tree, ['//div[@class="related"]'])


def test_bulk_text_takes_deep_nesting_without_recursion() -> None:
    tree = parse("<html><body>" + "<div>" * 250 + "dalam" + "</div>" * 250 + "</body></html>")
    assert bulk_text(tree) == "dalam"


def test_a_page_over_the_threshold_gets_the_bulk_text_and_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = issue_page(50)
    assert extract(parse(page), None, HtmlOptions(), tuned=False).chosen != BULK
    monkeypatch.setattr(bulk, "HUGE_PAGE_ELEMENTS", 40)
    found = extract(parse(page), None, HtmlOptions(), tuned=False)
    assert found.chosen == BULK and len(found.candidates) == 1
    assert found.text.split("\n") == [SENTENCE.format(i=i) for i in range(50)]
    assert found.note is not None and "a huge page (52 elements, over 40)" in found.note


@pytest.mark.parametrize("path", news_pages(), ids=lambda p: p.name)
def test_news_pages_are_far_below_the_threshold(path: Path) -> None:
    tree = parse(path.read_bytes().decode("utf-8", "replace"))
    assert element_count(tree) == sum(1 for _ in tree.iter())  # every node, as lxml walks them
    assert element_count(tree) < HUGE_PAGE_ELEMENTS / 5


class _Paragraph:
    def __init__(self, cf_class: str, heading: bool, text: str) -> None:
        self.cf_class = cf_class
        self.heading = heading
        self.text = text
        self.class_type = ""


def test_the_linear_revision_classifies_as_justext_does() -> None:
    rnd = random.Random(16)
    for _ in range(5000):
        paragraphs = [
            _Paragraph(
                rnd.choice(["short", "good", "bad", "neargood"]),
                rnd.random() < 0.3,
                "x" * rnd.choice([0, 5, 50, 150, 250]),
            )
            for _ in range(rnd.randint(0, 30))
        ]
        theirs, ours = copy.deepcopy(paragraphs), copy.deepcopy(paragraphs)
        revise_paragraph_classification(theirs)
        revise(ours)
        assert [p.class_type for p in ours] == [p.class_type for p in theirs]


@pytest.mark.parametrize("path", news_pages()[:12], ids=lambda p: p.name)
def test_justext_paragraphs_are_justexts(path: Path) -> None:
    markup = path.read_bytes().decode("utf-8", "replace")
    theirs = justext.justext(markup, stopwords())
    tree = parse(markup)
    before = etree.tostring(tree)
    ours = bulk.justext_paragraphs(tree, stopwords())
    assert etree.tostring(tree) == before  # jusText works on a copy of the page
    assert [(p.text, p.class_type) for p in ours] == [(p.text, p.class_type) for p in theirs]


def test_justext_on_many_short_paragraphs_takes_linear_time() -> None:
    body = "".join(f"<p>Paragraf {i} berisi kalimat pendek.</p>" for i in range(20_000))
    markup = f"<html><body><article>{body}</article></body></html>"
    tree = parse(markup)
    started = time.process_time()
    bulk.justext_paragraphs(tree, stopwords())
    assert time.process_time() - started < 10  # jusText's own: 40 s


_ATTRIBUTES = ("dom_path", "xpath", "text_nodes", "chars_count_in_links", "tags_count", "text")


def _paragraphs(paragraphs: list[Any]) -> list[tuple[object, ...]]:
    return [tuple(getattr(p, name) for name in _ATTRIBUTES) for p in paragraphs]


@pytest.mark.parametrize("path", news_pages(), ids=lambda p: p.name)
def test_paragraphs_are_those_justexts_sax_handler_makes(path: Path) -> None:
    root = preprocessor(parse(path.read_bytes().decode("utf-8", "replace")))
    theirs = ParagraphMaker.make_paragraphs(root)
    assert _paragraphs(bulk.make_paragraphs(root)) == _paragraphs(theirs)


# Markup with what the paragraph maker reacts to: paragraph tags, <br> runs, links,
# inline tags, repeated siblings (the XPath's numbers), comments, processing
# instructions, white space and text that is white space only.
_TEXT = st.sampled_from(["", " ", "\n  ", "kata", " dua  kata ", "baris\nbaru", "\xa0x"])
_TAGS = st.sampled_from(["p", "div", "li", "h2", "td", "a", "span", "b", "br", "select"])
_NODE = st.recursive(
    _TEXT,
    lambda inner: st.one_of(
        st.tuples(_TAGS, st.lists(inner, max_size=4)).map(lambda t: _element(*t)),
        st.sampled_from(["<!-- catatan -->", "<?proses x?>"]),
    ),
    max_leaves=25,
)


def _element(tag: str, children: list[str]) -> str:
    return "<br>" if tag == "br" else f"<{tag}>{''.join(children)}</{tag}>"


@settings(max_examples=400, deadline=None)
@given(st.lists(_NODE, max_size=6), _TEXT)
def test_paragraphs_are_justexts_on_generated_markup(nodes: list[str], tail: str) -> None:
    tree = parse(f"<html><head><title>t</title></head><body>{''.join(nodes)}</body></html>{tail}")
    assume(tree is not None)
    root = preprocessor(tree)
    theirs = ParagraphMaker.make_paragraphs(root)
    ours = bulk.make_paragraphs(root)
    assert _paragraphs(ours) == _paragraphs(theirs)
    assert [p.text for p in ours] == [Paragraph.text.fget(p) for p in ours]  # joined once


def test_paragraphs_take_the_tails_of_comments_and_instructions_as_justext_does() -> None:
    # An HTML parse makes comments of processing instructions and jusText's
    # preprocessor drops comments: a tree made otherwise keeps both, and their tails.
    root = etree.fromstring(
        "<?atas a?><html><body><p>satu<!-- c -->dua<?pi x?>tiga</p>"
        "<div><a href='#'>tautan</a><?pi y?> ekor</div></body></html><?bawah b?>"
    )
    root.getprevious().tail = "sebelum"
    root.getnext().tail = "sesudah"
    theirs = ParagraphMaker.make_paragraphs(root)
    assert _paragraphs(bulk.make_paragraphs(root)) == _paragraphs(theirs)
    assert [p.text for p in theirs] == ["sebelum", "satuduatiga", "tautan ekor", "sesudah"]
