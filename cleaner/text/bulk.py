"""Huge pages: extraction whose cost grows with the page, not with its square.

trafilatura and jusText are built for pages of a few thousand elements; on larger ones
parts of them grow with the square of the page. trafilatura's fallbacks run one libxml2
XPath (``.//p//text()``) that takes 0.5 s on 20,000 paragraphs and 97 s on 160,000, in a
single C call no time limit can interrupt; jusText looks for each short paragraph's
nearest long neighbours one by one (10,000 short paragraphs: 10 s). So:

* a page of more than :data:`HUGE_PAGE_ELEMENTS` gets :func:`bulk_text`, one linear
  pass over the tree, instead of trafilatura and the safety net
  (:func:`cleaner.text.html.extract`);
* jusText's classification is made here (:func:`justext_paragraphs`), with its
  revision step in linear time and its paragraphs made without SAX (a third of the
  time), each with the same result.

News pages are far below the threshold, so they come out as before, byte for byte.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from lxml import etree

BULK = "bulk text (a huge page)"
"""The name of a huge page's one extraction (``cleaner explain`` shows it)."""

HUGE_PAGE_ELEMENTS = 25_000
"""A page with more nodes than this gets :func:`bulk_text` instead of trafilatura, and
no safety net. News pages have 1,000 to 3,000 (the largest of ../shared/realpages
2,139). Above it trafilatura's cost outgrows the page: even without its fallbacks it
took 9 s on 160,000 paragraphs, and the safety net's other candidates as much again
each. A page this large is a dump, a forum thread or an attack, not a story to rescue
from a template; its text goes through the rules as any text does."""


_NODES = etree.XPath("count(//*|//comment()|//processing-instruction())")


def element_count(tree: Any) -> int:
    """How many nodes the page has (what ``tree.iter()`` yields), counted inside libxml2:
    0.1 ms for a news page, against 0.6 ms for a loop over ``iter()``."""
    return int(_NODES(tree))


def huge_page_note(elements: int) -> str:
    """The record's warning for a page extracted by :func:`bulk_text`."""
    return (
        f"a huge page ({elements:,} elements, over {HUGE_PAGE_ELEMENTS:,}): its text is "
        "every block outside navigation and scripts, not trafilatura's extraction"
    )


# Left out of bulk_text with all they hold: code, page furniture, forms.
_FURNITURE = frozenset(
    {"head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object"}
    | {"nav", "header", "footer", "aside", "form", "button", "select", "textarea"}
)
# HTML elements that end a line in bulk_text (br too); everything else is inline.
_HTML_BLOCKS = frozenset(
    {"body", "article", "main", "section", "div", "p", "blockquote", "pre", "address", "hr"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"}
    | {"table", "caption", "tr", "figure", "figcaption", "details", "summary"}
)


def bulk_text(tree: Any, pruned: Sequence[str] = ()) -> str:
    """Every block of text on the page, one a line, but for navigation, scripts, forms
    and the elements a rule file prunes (``pruned``, XPaths): one pass over the tree,
    without recursion (a page nested thousands deep does not overflow the stack)."""
    from lxml import etree

    from cleaner.text.likeness import compiled_xpath

    gone = {el for xpath in pruned for el in compiled_xpath(xpath)(tree) if hasattr(el, "tag")}
    lines: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        if line := " ".join("".join(parts).split()):
            lines.append(line)
        parts.clear()

    walker = etree.iterwalk(tree, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else None  # None: a comment
        skipped = tag is None or tag in _FURNITURE or el in gone
        if event == "start":
            if skipped:
                walker.skip_subtree()
                continue
            if tag in _HTML_BLOCKS or tag == "br":
                flush()
            elif tag in ("td", "th") and "".join(parts).strip():
                parts.append(" | ")
            if el.text:
                parts.append(el.text)
        else:
            if not skipped and tag in _HTML_BLOCKS:
                flush()
            if el.tail:
                parts.append(el.tail)
    flush()
    return "\n".join(lines)


# -- jusText in linear time --------------------------------------------------------------


def justext_paragraphs(tree: Any, stoplist: frozenset[str]) -> list[Any]:
    """``justext.justext(markup, stoplist)`` on a page already parsed (``tree``, as
    :func:`cleaner.text.html.parse` gives it): the page's paragraphs, each classified
    good or boilerplate, with its paragraphs made by :func:`make_paragraphs` and its
    revision step by :func:`revise` instead, each with jusText's result.

    jusText would parse the markup again (a tenth of its work on a news page); its
    preprocessor works on a copy of the tree it is given, which stays as it was. The
    parsers differ only in what jusText's preprocessor drops anyway (comments,
    processing instructions) and in trafilatura's repair of characters XML forbids.
    """
    from justext.core import classify_paragraphs, preprocessor

    paragraphs = make_paragraphs(preprocessor(tree))
    classify_paragraphs(paragraphs, stoplist)
    revise(paragraphs)
    return paragraphs


_Entry = tuple[str, int, Any]
"""An open element as jusText's ``PathInfo`` counts it: its tag, its number among its
parent's children of that tag, and its parent's entry (``None`` at the root)."""


def make_paragraphs(root: Any) -> list[Any]:
    """``justext.core.ParagraphMaker.make_paragraphs(root)``: the same paragraphs, equal
    in every attribute, made in one walk of the tree instead of through SAX.

    lxml's SAX producer calls a Python handler for every event and builds an attribute
    map for every element, and jusText writes out each paragraph's DOM path and XPath as
    the paragraph starts, though most end without text and are dropped: together two
    thirds of jusText's time on a news page. Here the walk is lxml's ``iterwalk`` and a
    path is written out only for a paragraph that holds text. The paragraphs' ``text``
    is joined once (jusText's property joins the pieces again at each look).
    """
    from justext.core import PARAGRAPH_TAGS
    from justext.utils import normalize_whitespace

    paragraphs: list[Any] = []
    entries: list[_Entry] = []  # the open elements
    counts: list[dict[str, int]] = []  # for each, its children's numbers by tag
    start: _Entry | None = None  # where the current paragraph began
    pieces: list[str] = []
    in_links = tags = 0
    link = br = False

    def finish() -> None:
        # jusText keeps a paragraph that is true: one whose text (stripped) is not empty
        if pieces and (text := normalize_whitespace("".join(pieces).strip())):
            paragraphs.append(_paragraph(start, pieces, in_links, tags, text))

    def characters(content: str) -> None:  # text that is not only white space
        nonlocal in_links, br
        text = normalize_whitespace(content)
        pieces.append(text)
        if link:
            in_links += len(text)
        br = False

    before = []  # processing instructions beside the root, as SAX gives them
    sibling = root.getprevious()
    while getattr(sibling, "tag", None) is etree.ProcessingInstruction:
        before.append(sibling)
        sibling = sibling.getprevious()
    for sibling in reversed(before):
        if (text := sibling.tail) and not text.isspace():
            characters(text)
    for event, element in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event == "start":
            tag = element.tag
            name = tag[tag.index("}") + 1 :] if tag[:1] == "{" else tag
            siblings = counts[-1] if counts else {}
            number = siblings[name] = siblings.get(name, 0) + 1
            entries.append((name, number, entries[-1] if entries else None))
            counts.append({})
            if name in PARAGRAPH_TAGS or (name == "br" and br):
                if name == "br":  # <br><br> parts paragraphs and is no tag of either
                    tags -= 1
                finish()
                start, pieces, in_links, tags = entries[-1], [], 0, 0
            else:
                br = name == "br"
                if br:
                    pieces.append(" ")
                elif name == "a":
                    link = True
                tags += 1
            if (text := element.text) and not text.isspace():
                characters(text)
        elif event == "end":
            name = entries.pop()[0]
            counts.pop()
            if name in PARAGRAPH_TAGS:
                finish()
                start, pieces, in_links, tags = entries[-1] if entries else None, [], 0, 0
            if name == "a":
                link = False
            if (text := element.tail) and not text.isspace():
                characters(text)
        elif (text := element.tail) and not text.isspace():  # a comment's or a PI's
            characters(text)
    sibling = root.getnext()
    while getattr(sibling, "tag", None) is etree.ProcessingInstruction:
        if (text := sibling.tail) and not text.isspace():
            characters(text)
        sibling = sibling.getnext()
    finish()
    return paragraphs


def _paragraph(start: _Entry | None, pieces: list[str], in_links: int, tags: int, text: str) -> Any:
    """A finished paragraph, begun at ``start``: its path is written out now."""
    path: list[tuple[str, int]] = []
    while start is not None:
        path.append(start[:2])
        start = start[2]
    path.reverse()
    joined = _joined_paragraph()
    paragraph: Any = object.__new__(joined)  # its __init__ would write the path again
    paragraph.dom_path = ".".join(name for name, _ in path)
    paragraph.xpath = "/" + "/".join(f"{name}[{number}]" for name, number in path)
    paragraph.text_nodes = pieces
    paragraph.chars_count_in_links = in_links
    paragraph.tags_count = tags
    paragraph.class_type = ""
    paragraph.text = text
    return paragraph


@functools.cache
def _joined_paragraph() -> type[Any]:
    """jusText's ``Paragraph`` with its ``text`` joined once, when the paragraph is
    complete, instead of at every look (classification looks five times)."""
    from justext.paragraph import Paragraph

    class JoinedParagraph(Paragraph):  # type: ignore[misc]
        text = ""  # an instance's own value, not the joining property

    return JoinedParagraph


def revise(paragraphs: list[Any], max_heading_distance: int = 200) -> None:
    """jusText's ``revise_paragraph_classification`` (1.x; 200 is its default distance),
    with the same result: short paragraphs take the class of their nearest good or bad
    neighbours, near-good ones turn good unless both are bad, headings before good text
    are good. jusText walks to the neighbours from every paragraph; here they are
    found in one pass each way."""
    n = len(paragraphs)
    for i, paragraph in enumerate(paragraphs):  # good headings (jusText's loop as is)
        paragraph.class_type = paragraph.cf_class
        if not (paragraph.heading and paragraph.class_type == "short"):
            continue
        if _good_ahead(paragraphs, i, max_heading_distance):
            paragraph.class_type = "neargood"

    # Short ones: every class is read before any changes.
    classes = [p.class_type for p in paragraphs]
    prev_firm, prev_any = _nearest(classes, range(n))
    next_firm, next_any = _nearest(classes, range(n - 1, -1, -1))
    for i, c in enumerate(classes):
        if c != "short":
            continue
        prev, after = prev_firm[i], next_firm[i]
        if prev == after:  # both good, or both bad
            paragraphs[i].class_type = prev
        elif (prev == "bad" and prev_any[i] == "neargood") or (
            after == "bad" and next_any[i] == "neargood"
        ):
            paragraphs[i].class_type = "good"
        else:
            paragraphs[i].class_type = "bad"

    # Near-good ones, in order: one looks back at those already decided.
    after_firm, _ = _nearest([p.class_type for p in paragraphs], range(n - 1, -1, -1))
    prev = "bad"
    for i, paragraph in enumerate(paragraphs):
        if paragraph.class_type == "neargood":
            both_bad = prev == "bad" and after_firm[i] == "bad"
            paragraph.class_type = "bad" if both_bad else "good"
        if paragraph.class_type in _FIRM:
            prev = paragraph.class_type

    for i, paragraph in enumerate(paragraphs):  # more good headings (as is)
        if not (
            paragraph.heading and paragraph.class_type == "bad" and paragraph.cf_class != "bad"
        ):
            continue
        if _good_ahead(paragraphs, i, max_heading_distance):
            paragraph.class_type = "good"


def _good_ahead(paragraphs: Sequence[Any], i: int, max_distance: int) -> bool:
    """Whether a good paragraph follows paragraph ``i`` within ``max_distance``
    characters (jusText's walk from a heading, as is)."""
    j, distance = i + 1, 0
    while j < len(paragraphs) and distance <= max_distance:
        if paragraphs[j].class_type == "good":
            return True
        distance += len(paragraphs[j].text)
        j += 1
    return False


_FIRM = frozenset({"good", "bad"})


def _nearest(classes: list[str], order: Iterable[int]) -> tuple[list[str], list[str]]:
    """For each paragraph, walking in ``order``: the class of the nearest one before it
    that is good or bad, and of the nearest that is good, bad or near-good (``bad``
    past the end, as jusText has it)."""
    firm = [""] * len(classes)
    loose = [""] * len(classes)
    last_firm = last_loose = "bad"
    for i in order:
        firm[i], loose[i] = last_firm, last_loose
        c = classes[i]
        if c in _FIRM:
            last_firm = last_loose = c
        elif c == "neargood":
            last_loose = c
    return firm, loose
