"""How much an extracted text looks like an article: the HTML safety net's measure.

An extraction can go wrong in two ways no rule file foresees. It can take the wrong
block (an old template's "BERITA LAINNYA" list instead of the story: short linked
headlines, no sentences), or lose much of the body on an unfamiliar layout. Both show
in the text itself, measured against the page:

* **prose**: characters in lines of running prose (eight words or more, a sentence's
  punctuation, mostly lower-case words), much as jusText classes paragraphs;
* **linked**: characters in lines that are the text of a link of the page (a list of
  related stories is a list of links);
* **other**: the rest (headings, captions, short lines).

:attr:`Likeness.score` is the prose share; :attr:`Likeness.value` is what the safety net
maximises over its candidates: prose, less what is linked or neither.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

_SENTENCE_PUNCTUATION = re.compile(r"[.!?…]")
_SPACES = re.compile(r"\s+")
MIN_LINK_CHARS = 15
"""Link texts shorter than this ("Home", "Next") are not compared with lines."""


def is_prose(line: str) -> bool:
    """A line of running prose: eight words or more, a sentence's punctuation, and
    mostly words in lower case, as prose has them in any language written in Latin
    letters (headlines, menus and tags capitalise most of theirs)."""
    if len(line) < 30 or _SENTENCE_PUNCTUATION.search(line) is None:
        return False  # the cheap tests first: most short lines stop here
    words = line.split()
    if len(words) < 8:
        return False
    lettered = lower = 0  # words with a letter; those whose first letter is lower case
    for word in words:
        first = word[0]
        if not first.isalpha():  # the common case, a word that starts with its letter, is quick
            first = next((c for c in word if c.isalpha()), "")
            if not first:
                continue
        lettered += 1
        lower += first.islower()
    return lower >= 0.4 * lettered


def _key(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


def page_links(tree: Any) -> frozenset[str]:
    """The texts of the page's links, white space collapsed, case folded."""
    return frozenset(str(_STRING(a)).casefold() for a in _LONG_LINKS(tree))


_LONG_LINKS = etree.XPath(f"//a[string-length(normalize-space(.)) >= {MIN_LINK_CHARS}]")
_PARAGRAPHS = etree.XPath("//p")
_STRING = etree.XPath("normalize-space(.)")


@functools.cache
def compiled_xpath(xpath: str) -> Any:
    """A rule file's XPath, compiled once."""
    return etree.XPath(xpath)


def page_prose(tree: Any, pruned: Iterable[str] = ()) -> int:
    """Characters of prose in the page's paragraphs, but for those inside elements a
    rule file prunes (``pruned``, XPaths): about what its article holds."""
    # The elements themselves, not their ids: lxml keeps one proxy per element only
    # while something holds it.
    gone = {el for xpath in pruned for el in compiled_xpath(xpath)(tree) if hasattr(el, "tag")}
    return sum(
        len(text)
        for p in _PARAGRAPHS(tree)
        if not (gone and (p in gone or any(a in gone for a in p.iterancestors())))
        and is_prose(text := str(_STRING(p)))
    )


@dataclass(frozen=True, slots=True)
class Likeness:
    """What an extracted text is made of, in characters."""

    prose: int
    linked: int
    other: int

    @property
    def chars(self) -> int:
        return self.prose + self.linked + self.other

    @property
    def score(self) -> float:
        """The share of the text that is prose (0 to 1)."""
        return self.prose / self.chars if self.chars else 0.0

    @property
    def value(self) -> float:
        """Prose, less half the linked text and a quarter of the rest."""
        return self.prose - 0.5 * self.linked - 0.25 * self.other


def likeness(lines: Iterable[str], links: frozenset[str]) -> Likeness:
    """Measure the lines of an extracted text against the page's links."""
    prose = linked = other = 0
    for line in lines:
        size = len(line)
        if links and _key(line) in links:
            linked += size
        elif is_prose(line):
            prose += size
        else:
            other += size
    return Likeness(prose, linked, other)


MIN_ARTICLE_PROSE = 150
"""Characters of prose below which a text that is mostly not prose is no article."""
MIN_ARTICLE_SHARE = 0.2
MIN_LISTING_LINES = 3
MIN_LISTING_WORDS = 30
"""A text of fewer lines and words is too short to tell (the quality filter judges
length); a page collapsed into a line or two is judged sentence by sentence."""
_SENTENCE_END = re.compile(r"[.!?…](\s+)")
"""White space after a sentence's end (group 1): where a collapsed page is cut."""


def _sentences(line: str) -> Iterator[str]:
    r"""The pieces of ``line`` between the white space that follows ``.``, ``!``, ``?``
    or ``…`` (``re.split(r"(?<=[.!?…])\s+", line)``), one at a time: the caller stops
    at enough prose, most often in the first few sentences of a long page."""
    start = 0
    for match in _SENTENCE_END.finditer(line):
        yield line[start : match.start(1)]
        start = match.end()
    yield line[start:]


def _fewer_words(lines: Iterable[str], limit: int) -> bool:
    """Whether ``lines`` hold fewer than ``limit`` words, counted no further than that."""
    left = limit - 1  # words still allowed
    for line in lines:
        words = len(line.split(None, left))  # at most left + 1: enough to know
        if words > left:
            return False
        left -= words
    return True


def article_like(lines: Sequence[str]) -> bool:
    """Whether a cleaned text is an article: some prose, or mostly prose. A page of
    headlines, section names or tags (an index, a tag page, a navigation bar) has
    neither; a short brief of one sentence is all prose; a table or a list with an
    introduction has its introduction."""
    measured: Iterable[str] = lines
    if len(lines) < MIN_LISTING_LINES:
        if _fewer_words(lines, MIN_LISTING_WORDS):
            return True
        measured = (s for line in lines for s in _sentences(line) if s.strip())
    prose = chars = 0  # likeness(lines) without links, stopped at enough prose
    for line in measured:
        chars += len(line)
        if is_prose(line):
            prose += len(line)
            if prose >= MIN_ARTICLE_PROSE:
                return True  # most articles: within their first lines
    return chars > 0 and prose / chars >= MIN_ARTICLE_SHARE  # the loop returned at enough prose


def not_article_detail(body: str) -> str:
    """Why a text :func:`article_like` turns down is rejected, in a reject's words."""
    lines = body.split("\n")
    return (
        f"no prose: {len(lines)} line{'s' if len(lines) != 1 else ''}, "
        f"{len(body.split())} words, too few sentences for an article "
        "(an index, tag or navigation page)"
    )
