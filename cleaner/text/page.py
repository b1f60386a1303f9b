"""What an HTML page says about itself: canonical URL, title, date, authors, site name,
categories and tags, read from its markup for the record's fields.

trafilatura reads the page's declarations (meta tags, JSON-LD); its date comes from the
markup's own timestamps where they give a time of day, else from htmldate. A rule
file's ``html.metadata`` XPaths point at fields the markup keeps elsewhere.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from cleaner.text.accelerate import author_of, with_twins
from cleaner.text.html import HtmlOptions


@dataclass(frozen=True)
class PageMeta:
    """What the page's markup says about itself.

    ``authors``, ``categories`` and ``tags`` come from the page's declarations (meta
    tags, JSON-LD, a rule file's XPath). trafilatura's search of the whole page for a
    byline or category links costs more than the rest of the extraction, so it runs only
    when asked (:meth:`completed`), for a field no better source gave.
    """

    url: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    declared_at: str | None = None
    """The publication time the markup declares (or a rule file's XPath points at)."""
    site_name: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    tree: Any = field(default=None, repr=False, compare=False)
    brands: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    searchable: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    """The fields the rule files allow searching the page for (``html.search``)."""
    date_url: str | None = field(default=None, repr=False, compare=False)
    """The URL htmldate reads a date from (trafilatura's, as found in the markup)."""

    @functools.cached_property
    def published_at(self) -> str | None:
        """The publication date: the one the markup declares, else htmldate's reading
        of the page, made when first asked: a record whose date the input or the
        outlet's rules give never asks (htmldate costs about a millisecond a page)."""
        if self.declared_at or self.tree is None:
            return self.declared_at
        return _found_date(self.tree, self.date_url)

    def fields(self) -> Mapping[str, str]:
        """The record's fields as the page gives them (empty when it does not), each
        read when looked up."""
        return _PageFields(self)

    @with_twins
    def completed(self, wanted: set[str]) -> PageMeta:
        """This, with the ``wanted`` fields it lacks (``authors``, ``category``,
        ``tags``) searched for in the page, where the rule files allow."""
        wanted = wanted & self.searchable
        if self.tree is None or not wanted:
            return self
        from trafilatura.metadata import extract_catstags

        changes: dict[str, Any] = {}
        if "authors" in wanted and not self.authors:
            changes["authors"] = _authors(author_of(self.tree), self.brands)
        if "category" in wanted and not self.categories:
            changes["categories"] = _split(extract_catstags("category", self.tree))
        if "tags" in wanted and not self.tags:
            changes["tags"] = _split(extract_catstags("tag", self.tree))
        if not changes:
            return self
        done = replace(self, **changes)
        if "published_at" in self.__dict__:  # read already: not again
            done.__dict__["published_at"] = self.__dict__["published_at"]
        return done


class _PageFields(Mapping[str, str]):
    """:meth:`PageMeta.fields`: the date, the costly one, is read only if looked up
    (its place holds ``None`` until then)."""

    def __init__(self, page: PageMeta) -> None:
        self._page = page
        self._read: dict[str, str | None] = {
            "title": page.title or "",
            "authors": "; ".join(page.authors),
            "published_at": None,
            "site_name": page.site_name or "",
            "category": page.categories[0] if page.categories else "",
            "tags": ", ".join(page.tags),
        }

    def __getitem__(self, name: str) -> str:
        value = self._read[name]
        return (self._page.published_at or "") if value is None else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._read)

    def __len__(self) -> int:
        return len(self._read)


@with_twins
def declared_metadata(tree: Any, url: str | None) -> Any:
    """trafilatura's metadata of a page (``extract_metadata``) without its date (see
    :func:`published_time`) and its two costly searches of the whole page, for a byline
    and for category and tag links, which :meth:`PageMeta.completed` runs when they are
    needed."""
    from trafilatura.metadata import (  # type: ignore[attr-defined]
        META_URL,
        examine_meta,
        extract_domain,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    with contextlib.suppress(Exception):  # trafilatura guards its JSON-LD reader the same way
        metadata = extract_meta_json(tree, metadata)
    metadata.title = metadata.title or extract_title(tree)
    metadata.url = metadata.url or extract_url(tree, url)
    if metadata.url:
        metadata.hostname = extract_domain(metadata.url, fast=True)
    metadata.sitename = metadata.sitename or extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if "." not in metadata.sitename and not metadata.sitename[:1].isupper():
            metadata.sitename = metadata.sitename.title()
    elif metadata.url and (m := META_URL.match(metadata.url)):
        metadata.sitename = m[1]
    metadata.clean_and_trim()
    return metadata


def _split(values: Any) -> tuple[str, ...]:
    out: list[str] = []
    for value in values or ():
        for part in str(value).split(","):
            part = " ".join(part.split())
            if part and part not in out:
                out.append(part)
    return tuple(out)


_GENERIC_NAME_PARTS = frozenset(
    {"www", "m", "com", "co", "id", "net", "org", "or", "news", "online"}
)


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _brands(site_name: str | None, hostname: str | None) -> set[str]:
    """How a site names itself, squashed: ``regional.kompas.com`` and ``KOMPAS.com`` →
    ``kompas``; ``idntimes.com`` and ``IDN Times`` → ``idntimes``."""
    brands = set()
    if hostname:
        labels = [p for p in hostname.lower().split(".") if p and p not in _GENERIC_NAME_PARTS]
        if labels:
            brands.add(_squash(labels[-1]))
    if site_name:
        words = re.split(r"[\s.]+", site_name.casefold())
        squashed = _squash("".join(w for w in words if w not in _GENERIC_NAME_PARTS))
        if squashed:
            brands.add(squashed)
    return {b for b in brands if len(b) >= 3}


def _names_site(text: str, brands: set[str]) -> bool:
    squashed = _squash(text)
    return any(brand in squashed for brand in brands)


# Where pages declare their publication time, in order of trust: meta tags (by attribute
# and value), then <time itemprop="datePublished" datetime>, then JSON-LD.
_TIME_METAS = (
    ("property", frozenset({"article:published_time"})),
    ("property", frozenset({"og:article:published_time"})),
    ("itemprop", frozenset({"datePublished"})),
    ("name", frozenset({"publishdate", "pubdate", "content_PublishedDate"})),
)
_META_RANK = {
    (attr, value): rank for rank, (attr, values) in enumerate(_TIME_METAS) for value in values
}
_META_ATTRS = tuple(dict.fromkeys(attr for attr, _ in _TIME_METAS))
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{10,40})"')
_HAS_TIME = re.compile(r"\d{4}[-/]\d{2}[-/]\d{2}[T ]\d{2}:\d{2}")


def _found_date(tree: Any, url: str | None) -> str | None:
    """htmldate's reading of the page's date, for a page that declares no time."""
    from htmldate import find_date

    found = find_date(
        tree,
        url=url,
        original_date=True,
        extensive_search=False,
        outputformat="%Y-%m-%dT%H:%M:%S%z",
    )
    return str(found) if found else None


def published_time(tree: Any) -> str | None:
    """The publication timestamp the markup declares, when it gives a time of day.

    htmldate (through trafilatura) finds the right day but returns it at midnight for
    several common markups (``article:published_time``, JSON-LD); this reads those
    declarations directly so the time and zone survive.
    """
    ranked: list[list[str]] = [[] for _ in range(len(_TIME_METAS) + 2)]
    # One walk over the whole document in document order, as ``//meta | //time |
    # //script`` would give them (that XPath union costs three walks and a sort).
    for element in tree.getroottree().iter("meta", "time", "script"):
        if element.tag == "meta":
            if (content := element.get("content")) is None:
                continue
            ranks = (_META_RANK.get((attr, element.get(attr))) for attr in _META_ATTRS)
            if (rank := min((r for r in ranks if r is not None), default=None)) is not None:
                ranked[rank].append(content)
        elif element.tag == "time":
            datetime = element.get("datetime")
            if datetime is not None and element.get("itemprop") == "datePublished":
                ranked[-2].append(datetime)
        elif element.get("type") == "application/ld+json":
            ranked[-1] += _JSON_LD_PUBLISHED.findall(element.text or "")
    candidates = (c.strip() for group in ranked for c in group)
    return next((c for c in candidates if _HAS_TIME.match(c)), None)


_RIGHTS = re.compile(r"\s*[,.|-]?\s*(?:all rights reserved|hak cipta dilindungi).*$", re.I)


def _xpath_values(tree: Any, xpath: str) -> list[str]:
    """What an XPath (rule file ``html.metadata``) points at: attribute values, the
    elements' text, or the string an XPath function returns; white space collapsed."""
    found = tree.xpath(xpath)
    if not isinstance(found, list):
        found = [str(found)] if found not in (None, False) else []
    parts = [str(v) if isinstance(v, str) else " ".join(v.itertext()) for v in found]
    return [" ".join(p.split()) for p in parts if p.strip()]


def _xpath_text(tree: Any, xpath: str) -> str | None:
    return " ".join(_xpath_values(tree, xpath)) or None


_NAME_SEPARATORS = re.compile(r"[;,]|\s+dan\s+|\s+[-–—|]\s+")


def _authors(found: str | None, brands: frozenset[str]) -> tuple[str, ...]:
    """A byline's names, without the site's own name standing in for an author
    (``Andi Saputra - detikinet`` → ``Andi Saputra``)."""
    return tuple(
        a
        for a in (" ".join(part.split()) for part in _NAME_SEPARATORS.split(found or ""))
        if a and not _names_site(a, set(brands)) and any(c.isalpha() for c in a)
    )


def page_meta(document: Any, tree: Any, options: HtmlOptions) -> PageMeta:
    """What the page says about itself: ``document`` (:func:`declared_metadata`) read
    with an outlet's ``options`` (its XPaths for fields trafilatura misreads)."""
    site_name = _RIGHTS.sub("", " ".join((document.sitename or "").split())) or None
    title = " ".join((document.title or "").split()) or None
    if site_name and (len(site_name) > 60 or (title and title in site_name)):
        site_name = None  # some pages repeat the title as their site name
    brands = frozenset(_brands(site_name, document.hostname))
    if title and brands:
        # "Judul Berita - Kompas.com Regional" → "Judul Berita"
        title = _strip_site_suffix(title, set(brands))
    authors = _authors(document.author, brands)
    published = published_time(tree)
    # an outlet's rule file may say where its markup keeps a field trafilatura misreads
    categories, tags = _split(document.categories), _split(document.tags)
    if (xpath := options.metadata.get("authors")) and (found := _xpath_text(tree, xpath)):
        authors = _authors(found, brands)
    if (xpath := options.metadata.get("category")) and (found := _xpath_text(tree, xpath)):
        categories = (found,)
    if (xpath := options.metadata.get("tags")) and (values := _xpath_values(tree, xpath)):
        tags = _split(values)
    if (xpath := options.metadata.get("published_at")) and (found := _xpath_text(tree, xpath)):
        published = found
    if (xpath := options.metadata.get("title")) and (found := _xpath_text(tree, xpath)):
        title = found
    return PageMeta(
        url=document.url or None,
        title=title,
        authors=authors,
        declared_at=published,
        site_name=site_name,
        categories=categories,
        tags=tags,
        tree=tree,
        brands=brands,
        searchable=options.searched,
        date_url=document.url,
    )


_SUFFIX = re.compile(r"^(?P<title>.+?)\s+(?:[-|–—]|::)\s+(?P<site>[^-|–—:]{2,60})$")


def _strip_site_suffix(title: str, brands: set[str]) -> str:
    m = _SUFFIX.match(title)
    if m and _names_site(m.group("site"), brands):
        return m.group("title")
    return title
