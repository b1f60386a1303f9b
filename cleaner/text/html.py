"""Stage 1b, for HTML: the page decoded, parsed, and its main text, one paragraph a line.

trafilatura finds the main content. Its text output keeps the source's raw whitespace
inside elements (a list item spread over three lines of HTML comes out as three lines),
so the extracted XML body is walked here instead: every block (paragraph, heading, list
item, quote, table row) and every ``<br>`` ends a line, and white space inside a line is
collapsed. The lines then go through the same rules as a text dump. What the page says
about itself (title, date, authors) is read by :mod:`cleaner.text.page`.

:class:`HtmlOptions` are the extraction's settings; a rule file's ``html:`` section is
one of them (an outlet's on top of the generic file's).
"""

from __future__ import annotations

import codecs
import copy
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from lxml import etree
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from cleaner.text import bulk
from cleaner.text.accelerate import with_twins
from cleaner.text.language import stopwords as stopwords_indonesian
from cleaner.text.likeness import Likeness, likeness, page_links, page_prose
from cleaner.text.normalize import decode

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# WHATWG: pages labelled Latin-1 or ASCII are decoded as Windows-1252.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii"}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes | str, charset: str | None = None) -> tuple[str, str]:
    """The page as text, and the encoding used: a byte-order mark, then the charset the
    HTTP header or a ``<meta>`` tag declares, then the same guesses as for text.

    A page declared UTF-8 with a few invalid bytes among valid UTF-8 is UTF-8 with those
    bytes replaced (:func:`~cleaner.text.normalize.decode_mostly_utf8`), not another
    codec's guess; one declared UTF-8 that is not (no valid multi-byte sequences: a
    Windows-1252 page) is guessed as undeclared bytes are."""
    from cleaner.text.normalize import decode_mostly_utf8

    if isinstance(data, str):
        return data, "unicode"
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data)
    declared = _codec(charset)
    if declared is None and (m := _META_CHARSET.search(data[:4096])):
        declared = _codec(m.group(1).decode("ascii"))
    if declared is not None:
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong declaration is common; fall back to looking at the bytes
        if declared == "utf-8" and (mostly := decode_mostly_utf8(data)):
            return mostly
    return decode(data)


def _valid_xpath(xpath: str) -> str:
    from lxml.etree import XPath, XPathSyntaxError

    try:
        XPath(xpath)
    except XPathSyntaxError as exc:
        raise ValueError(f"invalid XPath {xpath!r}: {exc}") from None
    return xpath


class HtmlOptions(BaseModel):
    """trafilatura settings for an outlet's HTML pages (added to the generic file's)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prune_xpath: list[Annotated[str, AfterValidator(_valid_xpath)]] = Field(
        default_factory=list,
        description="Elements removed before extraction, e.g. a related-stories box.",
    )
    include_tables: bool = Field(
        True, description="Whether tables (their rows, one line each) are part of the text."
    )
    fallback: bool = Field(
        True,
        description="Whether trafilatura also runs its fallback extractors (readability, "
        "jusText) and keeps the better text. They cost about a quarter of the extraction. "
        "An outlet whose pages trafilatura's own extractor reads right turns them off with "
        "`fallback: false`, once its fixtures and its real pages (`make eval`) come out the "
        "same without them; some Kompas pages need them.",
    )
    metadata: dict[
        Literal["title", "authors", "published_at", "category", "tags"],
        Annotated[str, AfterValidator(_valid_xpath)],
    ] = Field(
        default_factory=dict,
        description="Where the markup keeps a field that trafilatura misreads or misses: an "
        "XPath to the element (its text) or attribute, e.g. authors: "
        '\'//div[@class="reporter"]\'. Authors are split at commas, semicolons, "dan" '
        "and dashes, and a part naming the site itself is dropped; tags at commas.",
    )
    search: list[Literal["authors", "category", "tags"]] | None = Field(
        None,
        description="Fields trafilatura may look for across the whole page (a byline, "
        "category and tag links) when neither the page's declarations (meta tags, JSON-LD, "
        "`metadata` above) nor the rules give them. The search costs about a fifth of the "
        "extraction, so an outlet whose rules know where these are turns it off with "
        "`search: []`. Unset: as the generic file says, and there all three.",
    )

    def merged(self, outlet: HtmlOptions | None) -> HtmlOptions:
        """These (generic) settings with an outlet's on top: XPaths add up, flags override."""
        if outlet is None:
            return self
        return HtmlOptions(
            prune_xpath=[*self.prune_xpath, *outlet.prune_xpath],
            include_tables=outlet.include_tables,
            fallback=outlet.fallback,
            metadata={**self.metadata, **outlet.metadata},
            search=outlet.search if outlet.search is not None else self.search,
        )

    @property
    def extraction(self) -> tuple[tuple[str, ...], bool, bool]:
        """The settings the main text depends on (not the metadata's): two options with
        the same give the same extraction of a page."""
        return tuple(self.prune_xpath), self.include_tables, self.fallback

    @property
    def searched(self) -> frozenset[str]:
        """The fields the page may be searched for (see ``search``)."""
        return frozenset(("authors", "category", "tags") if self.search is None else self.search)


@with_twins
def parse(html: str) -> Any | None:
    """The page's element tree, or ``None`` when it holds no HTML."""
    from trafilatura import load_html

    try:
        return load_html(html)
    except (ValueError, TypeError):
        return None


def page_url(tree: Any) -> str | None:
    """The page's canonical URL, if it says: its first ``<link rel=canonical href>``,
    else its first ``<meta property=og:url content>``, when absolute. One walk over the
    page's links and metas, stopped once the answer is known (the two ``//`` XPaths
    that say the same walk the whole page twice)."""
    canonical = og_url = None
    for element in tree.getroottree().iter("link", "meta"):
        if element.tag == "link":
            if canonical is None and element.get("rel") == "canonical":
                canonical = element.get("href")
        elif og_url is None and element.get("property") == "og:url":
            og_url = element.get("content")
        if canonical is not None and (og_url is not None or _absolute(canonical)):
            break
    return next((url.strip() for url in (canonical, og_url) if url and _absolute(url)), None)


def _absolute(url: str) -> bool:
    return url.strip().startswith(("http://", "https://"))


SELF_RELS = frozenset(
    {
        "canonical",
        "alternate",
        "amphtml",
        "shortlink",
        "icon",
        "apple-touch-icon",
        "apple-touch-icon-precomposed",
        "mask-icon",
        "manifest",
        "search",
    }
)
"""``<link rel>`` values by which a page points at its own site: its canonical, feed,
language, AMP and short URLs, its icons, web-app manifest and search description. Not
stylesheets, scripts, preloads or prefetches (CDNs and partners serve those), nor images
(a picture may be another outlet's)."""


def self_links(tree: Any) -> Iterator[str]:
    """The absolute URLs of the page's ``<head>`` links in :data:`SELF_RELS` (a ``rel``
    is a list of words: ``shortcut icon``): a page saved without its URL still names its
    site there, before a word of its text is extracted. A generator: the head is read
    only if detection gets as far as asking (a page's URL names its outlet first)."""
    for link in _HEAD_LINKS(tree):
        href = str(link.get("href")).strip()
        if href.startswith(("http://", "https://", "//")) and not SELF_RELS.isdisjoint(
            str(link.get("rel")).lower().split()
        ):
            yield href


_HEAD_LINKS = etree.XPath("//head//link[@rel][@href]")


# Elements of trafilatura's output that end a line; everything else is inline.
_BLOCKS = frozenset(
    {"body", "p", "head", "quote", "list", "item", "table", "row", "code", "div", "graphic"}
)


def body_lines(body: Any) -> Iterator[str]:
    """One line per block of trafilatura's XML body, white space collapsed."""
    parts: list[str] = []

    def flush() -> Iterator[str]:
        line = " ".join("".join(parts).split())
        parts.clear()
        if line:
            yield line

    def walk(el: Any) -> Iterator[str]:
        block = el.tag in _BLOCKS
        if block or el.tag == "lb":
            yield from flush()
        if el.tag == "cell" and "".join(parts).strip():
            parts.append(" | ")
        if el.text:
            parts.append(el.text)
        for child in el:
            yield from walk(child)
        if block:
            yield from flush()
        if el.tail:
            parts.append(el.tail)

    yield from walk(body)
    yield from flush()


@with_twins
def main_text(tree: Any, url: str | None, options: HtmlOptions, *, precision: bool = False) -> str:
    """The main text of a parsed page, one block a line (trafilatura works on a copy);
    ``precision``: trafilatura's favor_precision."""
    from trafilatura import bare_extraction

    document: Any = bare_extraction(
        tree,
        prune_xpath=list(options.prune_xpath) or None,
        options=_extractor(options, url, precision),
    )
    body = getattr(document, "body", None)
    return "" if body is None else "\n".join(body_lines(body))


def _extractor(options: HtmlOptions, url: str | None, precision: bool = False) -> Any:
    """trafilatura's settings object for ``options`` and a page's URL: a copy of one made
    once per set of options, since making one reads trafilatura's configuration file
    again (about 0.1 ms, a page's worth of our metadata reading)."""
    extractor = copy.copy(
        _extractor_template(not options.fallback, options.include_tables, precision, False)
    )
    extractor.url = url
    extractor.source = url and url.encode("utf-8", "replace").decode("utf-8")
    return extractor


@functools.cache
def _extractor_template(fast: bool, tables: bool, precision: bool, recall: bool) -> Any:
    from trafilatura.settings import Extractor

    # Not "python": its bare_extraction also writes the body out as text (xmltotxt, about
    # a hundredth of an extraction), and the body is read here (body_lines) instead.
    return Extractor(
        output_format="txt",
        fast=fast,
        precision=precision,
        recall=recall,
        comments=False,
        tables=tables,
        with_metadata=False,
    )


# --- the safety net ----------------------------------------------------------------------

MIN_SCORE = 0.5
"""An extraction whose text is less than half prose (:mod:`cleaner.text.likeness`) is
not trusted: the other candidates are tried."""
MIN_COVERAGE = 0.6
"""Nor is one holding less than this share of the prose of the page's paragraphs."""
SWITCH_MARGIN = 1.3
"""A trusted-looking first extraction gives way only to a candidate whose value is this
many times its own (more of the story, not the comments under it)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """One extraction of a page and how much it looks like an article (measured on the
    raw extraction, then on what the rules leave of it)."""

    name: str
    text: str
    likeness: Likeness


@dataclass(frozen=True, slots=True)
class Extraction:
    """The extractions of a page weighed by the safety net, the chosen one first until
    :func:`choose` has run (then ``chosen`` names it)."""

    candidates: tuple[Candidate, ...]
    links: frozenset[str]
    """The page's link texts, to measure the candidates with."""
    chosen: str
    note: str | None = None
    """Why the page was extracted the cheap way (a huge page), for the record's warnings."""

    @property
    def text(self) -> str:
        return next(c.text for c in self.candidates if c.name == self.chosen)

    @property
    def trusted(self) -> bool:
        """Whether the first extraction looked like an article as it came out."""
        return self.candidates[0].likeness.score >= MIN_SCORE


def extract(tree: Any, url: str | None, options: HtmlOptions, *, tuned: bool) -> Extraction:
    """The page's main text, with a safety net no rule file can switch off.

    The first extraction is the outlet's (``tuned``: trafilatura with the rule files'
    ``options``) or, for a page no rule file claims, trafilatura's favor_precision: on
    templates nobody wrote rules for, what it leaves out is mostly furniture. When that
    text is not mostly prose, or holds much less prose than the page's paragraphs (but
    for what a rule prunes), the others are made too: trafilatura with its fallback
    extractors and nothing pruned, favor_precision, and jusText's paragraph classifier
    with the Indonesian stoplist. The pipeline then cleans each and keeps the most
    article-like (:func:`choose`). So an outlet's rules tuned for one template cannot
    hand over a related-stories list, or half a story, on the next one, and a precise
    extraction that lost half the story gives way to a fuller one.

    A huge page (over :data:`cleaner.text.bulk.HUGE_PAGE_ELEMENTS` elements) gets
    :func:`cleaner.text.bulk.bulk_text` alone, and a ``note`` saying so: trafilatura's
    cost grows with the square of such a page.
    """
    generic = HtmlOptions()
    first_name = "rules" if tuned else PRECISION
    if (elements := bulk.element_count(tree)) > bulk.HUGE_PAGE_ELEMENTS:
        text = bulk.bulk_text(tree, options.prune_xpath)
        only = Candidate(bulk.BULK, text, likeness(text.split("\n"), frozenset()))
        return Extraction((only,), frozenset(), bulk.BULK, bulk.huge_page_note(elements))
    first_text = main_text(tree, url, options, precision=not tuned)
    # Whether a line is a link's text changes the value, not the prose share: the
    # page's links are only read when the other candidates are needed.
    first = Candidate(first_name, first_text, likeness(first_text.split("\n"), frozenset()))
    if first.likeness.score >= MIN_SCORE and _covers(first.likeness.prose, tree, options):
        return Extraction((first,), frozenset(), first_name)
    links = page_links(tree)
    first = replace(first, likeness=likeness(first_text.split("\n"), links))
    # An outlet whose settings extract as the generic ones do has its first text again
    # as the "trafilatura" candidate: it is not extracted twice.
    same = tuned and options.extraction == generic.extraction
    texts = [("trafilatura", first_text if same else main_text(tree, url, generic))]
    if tuned:
        texts.append((PRECISION, main_text(tree, url, generic, precision=True)))
    texts.append(("jusText", _justext(tree)))
    others = (Candidate(n, t, likeness(t.split("\n"), links)) for n, t in texts if t.strip())
    return Extraction((first, *others), links, first_name)


def _covers(prose: int, tree: Any, options: HtmlOptions) -> bool:
    """Whether ``prose`` is :data:`MIN_COVERAGE` of the prose of the page's paragraphs
    but for those inside what ``options`` prune. All the paragraphs are measured first:
    what is left after pruning holds no more, and finding the pruned elements is the
    costly part (a millisecond a page), needed only when the whole is too much."""
    if prose >= MIN_COVERAGE * page_prose(tree):
        return True
    return bool(options.prune_xpath) and prose >= MIN_COVERAGE * page_prose(
        tree, options.prune_xpath
    )


PRECISION = "trafilatura favor_precision"


def choose(extraction: Extraction, cleaned: Sequence[Sequence[str]]) -> Extraction:
    """The candidate whose cleaned lines (``cleaned[i]`` for candidate ``i``) look most
    like an article; the first keeps its place unless another is clearly better (by
    :data:`SWITCH_MARGIN` when the first looked like an article as it came out)."""
    measured = [
        replace(c, likeness=likeness(lines, extraction.links))
        for c, lines in zip(extraction.candidates, cleaned, strict=True)
    ]
    best = max(measured, key=lambda c: c.likeness.value)  # the first wins a tie
    first = measured[0]
    if extraction.trusted and best.likeness.value < SWITCH_MARGIN * first.likeness.value:
        best = first
    return Extraction(tuple(measured), extraction.links, best.name, extraction.note)


def _justext(tree: Any) -> str:
    """jusText's good paragraphs, one a line (its Indonesian stoplist), classified in
    linear time (:func:`cleaner.text.bulk.justext_paragraphs`)."""
    try:
        paragraphs = bulk.justext_paragraphs(tree, stopwords_indonesian())
    except Exception:  # jusText gives up on some markup; the other candidates remain
        return ""
    return "\n".join(" ".join(p.text.split()) for p in paragraphs if not p.is_boilerplate)
