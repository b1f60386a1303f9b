"""The faster twins of what trafilatura runs (cleaner/text/accelerate.py) select what the
originals select, and are in place only while the cleaner calls trafilatura."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import trafilatura
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html
from trafilatura import utils as trafilatura_utils

from cleaner.text import accelerate
from cleaner.text.accelerate import (
    accelerated,
    prefiltered,
    required_literals,
    selects_elements,
)
from tests.conftest import FIXTURES, REALPAGES


@pytest.mark.parametrize(
    ("regex", "literals"),
    [
        ("comment-?list", ("comment",)),  # an optional character ends the run before it
        ("[Aa]uthor", ("uthor",)),
        ("(^|\\s)bottom|bottom(\\s|$)", ("bottom",)),
        ("article(?:-|__)?body", ("article",)),
        ("ab+c", ("ab",)),  # "abbc": the run ends after a repeatable character
        ("x\\.y\\d", ("x.y",)),  # an escaped dot is a dot; \d is not one character
        ("comments|comment", ("comment",)),  # "comments" holds "comment"
        ("ab{0,2}cd|ab{1}cd", ("cd",)),  # "abcd" holds "cd"
        ("sidebar|quote|print", ("print", "quote", "sidebar")),
    ],
)
def test_the_literals_every_match_holds(regex: str, literals: tuple[str, ...]) -> None:
    assert required_literals(regex) == literals


@pytest.mark.parametrize(
    "regex",
    [
        "^(?:post-?info|meta)",  # every literal is inside a group of alternatives
        "(?i)author",  # the case of a literal does not matter then
        "author|",  # the empty alternative matches anywhere
        "\\d+",
        "a?b?",
        "x{0}",
    ],
)
def test_no_literal_when_a_match_may_hold_none(regex: str) -> None:
    assert required_literals(regex) is None


def _trafilatura_regexes() -> list[str]:
    """Every regular expression the twins of trafilatura's XPaths test literals before."""
    paths = [
        x.path
        for swap in accelerate._swaps()
        for x in (swap.original if isinstance(swap.original, list) else [swap.original])
        if isinstance(x, etree.XPath)
    ]
    return sorted({m["regex"] for p in paths for m in accelerate._RE_TEST.finditer(p)})


TRICKY = [
    "a(b|c)+d",
    "ab*c?d{2,}e",
    "[ab]]c|x\\]y",
    "(?:x|y)z{1,3}w",
    "^hide-| hidden|noprint",
    "a\\-b\\sc",
    "ab{,2}c",
]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_text_the_regex_matches_holds_one_of_its_literals(data: st.DataObject) -> None:
    testable = [r for r in _trafilatura_regexes() + TRICKY if required_literals(r)]
    regex = data.draw(st.sampled_from(testable))
    literals = required_literals(regex)
    assert literals is not None
    text = data.draw(st.from_regex(regex))
    assert re.search(regex, text)
    assert any(literal in text for literal in literals), (regex, text, literals)


def test_trafilatura_regexes_are_prefiltered() -> None:
    """Most of trafilatura's re:test calls get a literal test (a sign the rewrite still
    reads trafilatura's XPaths: were it to find none, there would be nothing gained)."""
    regexes = _trafilatura_regexes()
    assert len(regexes) >= 20
    assert sum(required_literals(r) is not None for r in regexes) >= 0.8 * len(regexes)


def test_prefiltered_puts_the_literal_test_first() -> None:
    path = "//*[re:test(@id|@class, 'comment-?list') or re:test(@class, '^x', 'i')]"
    assert prefiltered(path) == (
        "//*[((@id or @class) and (contains(@id|@class, 'comment')) and "
        "re:test(@id|@class, 'comment-?list')) or re:test(@class, '^x', 'i')]"
    )


@pytest.mark.parametrize(
    ("path", "elements"),
    [
        (".//*[re:test(@class, 'a|b')]", True),
        ("//div[@class='x']//a[@href] | //author", True),
        ("self::div[contains(., '|/@x')]", True),
        ("//a/@href", False),
        ("//p/text()", False),
        ("(//a | //b)[1]", False),  # not understood: taken as not elements only
        ("string(//title)", False),
    ],
)
def test_selects_elements(path: str, elements: bool) -> None:
    assert selects_elements(path) is elements


def _pages() -> list[Path]:
    return sorted(FIXTURES.rglob("*.html")) + sorted(REALPAGES.glob("*.html"))


def _xpath_twins() -> list[tuple[etree.XPath, etree.XPath]]:
    pairs = []
    for swap in accelerate._swaps():
        if isinstance(swap.original, list):
            pairs += [(o, f) for o, f in zip(swap.original, swap.faster, strict=True) if o is not f]
        elif isinstance(swap.original, etree.XPath):
            pairs.append((swap.original, swap.faster))
    return pairs


def test_every_twin_selects_what_its_original_selects_on_real_markup() -> None:
    pairs = _xpath_twins()
    assert len(pairs) >= 20
    for page in _pages():
        tree = trafilatura.utils.load_html(page.read_bytes())
        for original, faster in pairs:
            assert faster(tree) == original(tree), (page.name, original.path)


def _printable(value: str) -> str:
    return "".join(c for c in value if c.isprintable())


TAGS = st.sampled_from(["div", "span", "a", "p", "section", "aside", "ul", "h3", "figure"])


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_twin_selects_what_its_original_selects_on_made_up_attributes(
    data: st.DataObject,
) -> None:
    """Elements whose class and id are drawn from the regular expressions' own matches
    (near misses among them) and from any text."""
    regexes = _trafilatura_regexes()
    drawn = st.one_of(st.sampled_from(regexes).flatmap(st.from_regex), st.text(max_size=12))
    values = drawn.map(_printable)  # lxml refuses control characters in attributes
    elements = data.draw(st.lists(st.tuples(TAGS, values, values), min_size=1, max_size=12))
    body = lxml_html.fromstring("<html><body></body></html>").find("body")
    for tag, cls, ident in elements:
        child = etree.SubElement(body, tag)
        child.set("class", cls)
        child.set("id", ident)
    tree = body.getroottree().getroot()
    for original, faster in _xpath_twins():
        assert faster(tree) == original(tree), original.path


def _markup() -> str:
    tags = "".join(f"<{t}>x</{t}>" for t in ("form", "input", "select", "textarea", "label"))
    body = f"<!-- c --><?pi x?><div id=a>{tags}<p>y</p></div>"
    return f"<!DOCTYPE html><html><body>{body}</body></html>"


def _shape(tree: Any) -> list[tuple[type, str]]:
    return [(type(e), str(e.tag)) for e in tree.iter()]


def test_the_parser_gives_the_classes_and_tree_lxml_html_gives() -> None:
    stock = trafilatura.utils.load_html(_markup())
    with accelerated():
        faster = trafilatura.utils.load_html(_markup())
    assert faster is not None
    assert _shape(faster) == _shape(stock)
    assert etree.tostring(faster) == etree.tostring(stock)
    assert isinstance(faster.find(".//form"), lxml_html.FormElement)
    for page in _pages():
        markup = page.read_bytes()
        stock = trafilatura.utils.load_html(markup)
        with accelerated():
            faster = trafilatura.utils.load_html(markup)
        assert etree.tostring(faster) == etree.tostring(stock), page.name
        assert _shape(faster) == _shape(stock), page.name


def test_the_originals_are_back_after_the_outermost_call_however_it_ends() -> None:
    swaps = accelerate._swaps()
    stock_parser = trafilatura_utils.HTML_PARSER
    with pytest.raises(RuntimeError), accelerated():
        assert trafilatura_utils.HTML_PARSER is accelerate.parser()
        with accelerated():
            pass
        assert trafilatura_utils.HTML_PARSER is accelerate.parser()  # the inner call ended
        assert all(_held(s) is s.faster or _held(s) == s.faster for s in swaps)
        raise RuntimeError
    assert trafilatura_utils.HTML_PARSER is stock_parser
    assert all(_held(s) is s.original or _held(s) == s.original for s in swaps)
    for swap in swaps:
        if swap.name is None:
            assert all(a is b for a, b in zip(swap.holder, swap.original, strict=True))


def _held(swap: Any) -> Any:
    return swap.holder if swap.name is None else getattr(swap.holder, swap.name)


def test_trafilatura_extracts_the_same_with_the_twins() -> None:
    for page in _pages():
        markup = page.read_bytes()
        stock = trafilatura.extract(markup, favor_precision=True, with_metadata=True)
        with accelerated():
            faster = trafilatura.extract(markup, favor_precision=True, with_metadata=True)
        assert faster == stock, page.name


def test_without_lxml_html_s_table_of_classes_the_parser_is_left_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Should lxml.html move its table of form classes, the parser's twin cannot give
    the same classes: trafilatura keeps its own parser, and the XPath twins still run."""
    monkeypatch.delattr(lxml_html.HtmlElementClassLookup, "_default_element_classes")
    accelerate.parser.cache_clear()
    accelerate._swaps.cache_clear()
    try:
        stock_parser = trafilatura_utils.HTML_PARSER
        with accelerated():
            assert trafilatura_utils.HTML_PARSER is stock_parser
            tree = trafilatura.utils.load_html(_markup())
            assert tree is not None
            assert isinstance(tree.find(".//form"), lxml_html.FormElement)
        assert len(accelerate._swaps()) >= 10
    finally:
        monkeypatch.undo()
        accelerate.parser.cache_clear()
        accelerate._swaps.cache_clear()
    assert accelerate.parser() is not None


WORDS = st.sampled_from(["", " ", "Budi Santoso", "me", "x", "Reporter: Ani", "\n  ", "a" * 130])
CLASSES = st.sampled_from(
    [
        "",
        "author",
        "author-name",
        "byline",
        "writer",
        "comments",
        "sidebar",
        "quote",
        "date",
        "title",
        "print",
        "category",
        "meta-date",
        "is-hidden",
        "story",
        "x author",
    ]
)
NAMES = st.sampled_from(
    [
        "div",
        "span",
        "a",
        "p",
        "section",
        "address",
        "strong",
        "h3",
        "time",
        "figure",
        "author",
        "li",
        "rel",
    ]
)


@st.composite
def pages(draw: st.DrawFn, depth: int = 0) -> Any:
    """A page of nested elements carrying bylines, the classes pruning looks for, text
    and tails: what the byline search and its pruning meet."""
    root = lxml_html.fromstring("<html><body></body></html>")
    body = root.find("body")

    def grow(parent: Any, level: int) -> None:
        for _ in range(draw(st.integers(0, 3 if level < 3 else 0))):
            child = etree.SubElement(parent, draw(NAMES))
            if cls := draw(CLASSES):
                child.set("class", cls)
            if draw(st.booleans()):
                child.set("id", draw(st.sampled_from(["author", "comments", "ProductReviews"])))
            if draw(st.booleans()):
                child.set("itemprop", "author")
            child.text, child.tail = draw(WORDS) or None, draw(WORDS) or None
            grow(child, level + 1)

    grow(body, depth)
    return root


@settings(max_examples=400, deadline=None)
@given(page=pages())
def test_author_of_is_extract_author_on_made_up_pages(page: Any) -> None:
    expected = trafilatura.metadata.extract_author(page)
    with accelerated():
        assert accelerate.author_of(page) == expected
    assert accelerate.author_of(page) == expected


def test_author_of_is_extract_author_on_real_markup() -> None:
    for page in _pages():
        tree = trafilatura.utils.load_html(page.read_bytes())
        with accelerated():
            assert accelerate.author_of(tree) == trafilatura.metadata.extract_author(tree)


def test_author_of_passes_over_what_pruning_takes_and_asks_trafilatura_when_unsure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[Any] = []
    real = trafilatura.metadata.extract_author
    monkeypatch.setattr(
        trafilatura.metadata, "extract_author", lambda t: asked.append(t) or real(t)
    )

    def page(body: str) -> Any:
        return lxml_html.fromstring(f"<html><body>{body}</body></html>")

    # a byline inside the comments is pruned: the next one is the author
    inside = page(
        '<div class="comments"><span class="author">Tono</span></div>'
        '<span class="author">Budi Santoso</span>'
    )
    assert accelerate.author_of(inside) == "Budi Santoso"
    assert not asked
    # a byline holding a pruned time: its text in the pruned copy is not on the page
    holding = page('<div class="author">Budi <time>Senin</time> Santoso</div>')
    assert accelerate.author_of(holding) == real(holding)
    assert asked == [holding]
    # an author XPath reads a <rel> child's text ("me"), which pruning can make: there,
    # only the pruned copy has the candidate
    rel = page('<span>Ahmad <rel>m<time>x</time>e</rel></span><span class="author">Budi S</span>')
    assert accelerate.author_of(rel) == real(rel) != "Budi S"
    assert asked[-1] is rel
