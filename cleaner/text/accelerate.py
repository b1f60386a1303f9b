"""Faster twins of things trafilatura does on every page, with the same results.

Much of trafilatura's time on a page goes to how lxml hands elements to Python, not to
trafilatura's own work:

* **Element classes.** lxml.html's parser picks each element's Python class with a
  Python method (``HtmlElementClassLookup.lookup``), called whenever lxml gives Python
  an element it does not hold already: tens of thousands of times a page, in every
  XPath result and every walk of the tree. :func:`parser` makes a parser with
  trafilatura's settings that gives every element the class lxml.html's gives it (a
  form class by its tag, ``HtmlElement`` else), chosen in C. A tree keeps its parser,
  so a page parsed with it, and every copy trafilatura makes of it, stays faster.
* **Regular expressions in XPath.** trafilatura finds boilerplate by class and id with
  EXSLT's ``re:test``, which lxml runs by calling back into Python for every element
  the walk reaches, handing each call the attribute as a "smart" string that holds its
  element. The twin of such an XPath first tests, in C, a literal string that every
  match must contain (``contains(@class, 'comment') and re:test(@class,
  'comment-?list')``: :func:`required_literals`), and hands over plain strings when it
  selects elements only.

:func:`accelerated` puts the twins in trafilatura's place for the length of a call, so
trafilatura called by anyone else (the benchmark's reference among them) is untouched.
Together they take about a seventh off trafilatura's time on ../shared/realpages, and
a sixth off the cleaner's for a page of an outlet without rules (whose byline search
runs the costliest of those XPaths). ``tests/text/test_accelerate.py`` holds every twin
to selecting what its original selects. Should trafilatura reorganise what is swapped
here, the swap finds nothing to replace and everything runs as before, only slower.

The byline search has a twin of its own, :func:`author_of`: trafilatura's
``extract_author`` (a sixth of a page's time for a site without rules) without the
deep copy of the page it prunes, which was more than half of it.
"""

from __future__ import annotations

import functools
import itertools
import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from lxml import etree

REGEXP_NS = "http://exslt.org/regular-expressions"
"""EXSLT's regular expressions: the namespace trafilatura binds to the prefix ``re``."""

# --- the literals every match of a regular expression holds ---------------------------

_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]")
_BOUNDS = re.compile(r"\{(\d*)(?:,(\d*))?\}")


def required_literals(regex: str) -> tuple[str, ...] | None:
    """Literal strings one of which is in every string where ``regex`` (Python's ``re``,
    no flags) finds a match: for each top-level alternative, the longest run of literal
    characters that every match of it contains. ``None`` when an alternative has no such
    run (``^(?:a|b)``, ``\\d+``) or the regex sets flags inline: no literal can be
    tested before it then. A literal containing another is left out (the shorter one is
    found wherever it is)."""
    if _INLINE_FLAGS.search(regex):
        return None
    found: list[str] = []
    for alternative in _alternatives(regex):
        run = max(_literal_runs(alternative), key=len, default="")
        if not run:
            return None
        found.append(run)
    kept: list[str] = []
    for literal in sorted(set(found), key=lambda s: (len(s), s)):
        if not any(shorter in literal for shorter in kept):
            kept.append(literal)
    return tuple(kept)


def _structure(regex: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """Where each character of ``regex`` from ``start`` on that is neither escaped nor in
    a character class is, the character, and how many groups are open before it."""
    depth, i = 0, start
    while i < len(regex):
        c = regex[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(regex, i)
            continue
        yield i, c, depth
        depth += (c == "(") - (c == ")")
        i += 1


def _alternatives(regex: str) -> list[str]:
    """``regex`` cut at each ``|`` outside groups, classes and escapes."""
    bars = [i for i, c, depth in _structure(regex) if c == "|" and depth == 0]
    return [regex[a + 1 : b] for a, b in itertools.pairwise([-1, *bars, len(regex)])]


def _class_end(regex: str, i: int) -> int:
    """Where the character class opening at ``regex[i]`` ends (just past its ``]``)."""
    j = i + 1
    if regex[j : j + 1] == "^":
        j += 1
    if regex[j : j + 1] == "]":  # a "]" first in a class is the character itself
        j += 1
    while j < len(regex) and regex[j] != "]":
        j += 2 if regex[j] == "\\" else 1
    return j + 1


def _group_end(regex: str, i: int) -> int:
    """Where the group opening at ``regex[i]`` ends (just past its ``)``)."""
    ends = (j for j, c, depth in _structure(regex, i) if c == ")" and depth == 1)
    return next(ends, len(regex) - 1) + 1


def _literal_runs(alternative: str) -> Iterator[str]:
    """The runs of characters that every match of ``alternative`` holds in a row.

    Anything but a plain character (a class, a group, an anchor, ``.``, an escape
    standing for more than one character) ends a run; a character that may be absent
    (``?``, ``*``, ``{0,n}``) ends it before itself, one that may repeat (``+``,
    ``{2,}``) after itself.
    """
    run, i = "", 0
    while i < len(alternative):
        c = alternative[i]
        char: str | None = None  # the literal character here, if it is one
        if c == "\\":
            escaped = alternative[i + 1 : i + 2]
            # an escaped character that is not an ASCII letter or digit is itself
            char = escaped if escaped and not (escaped.isascii() and escaped.isalnum()) else None
            i += 2
        elif c == "[":
            i = _class_end(alternative, i)
        elif c == "(":
            i = _group_end(alternative, i)
        elif c in "^$.{*+?":  # an anchor, any character, or a quantifier with nothing before
            i += 1
        else:
            char = c
            i += 1
        least, i = _repeats(alternative, i)
        if char is None or least == 0:
            yield run
            run = ""
            continue
        run += char
        if least != 1:  # repeated: what follows need not come right after one of it
            yield run
            run = ""
    yield run


def _repeats(regex: str, i: int) -> tuple[int | None, int]:
    """The least number of times the quantifier at ``regex[i]`` (if any) allows the atom
    before it (1 without one; ``None`` for "at least one, maybe more"), and where what
    follows begins."""
    c = regex[i : i + 1]
    if c in ("*", "?"):
        least: int | None = 0
        i += 1
    elif c == "+":
        least = None
        i += 1
    elif c == "{" and (bounds := _BOUNDS.match(regex, i)):
        low = int(bounds[1] or 0)
        high = bounds[2] if bounds.group(2) is not None else bounds[1]
        least = 0 if low == 0 else (1 if high == "1" and low == 1 else None)
        i = bounds.end()
    else:
        return 1, i
    if regex[i : i + 1] in ("?", "+"):  # lazy or possessive: the same least
        i += 1
    return least, i


# --- XPath twins ---------------------------------------------------------------------

_RE_TEST = re.compile(  # not one a literal test stands before already (``) and re:test``)
    r"(?<!\) and )"
    r"re:test\(\s*(?P<attrs>@[\w.-]+(?:\s*\|\s*@[\w.-]+)*)\s*,\s*'(?P<regex>[^']*)'\s*\)"
)
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_PREDICATE = re.compile(r"\[[^\[\]]*\]")
_ELEMENT_STEP = re.compile(
    r"(?:(?:self|child|descendant|descendant-or-self|ancestor|ancestor-or-self|parent"
    r"|following|following-sibling|preceding|preceding-sibling)::)?(?:\*|[A-Za-z_][\w.-]*)"
)


def prefiltered(path: str) -> str:
    """``path`` with each ``re:test(@attr, 'regex')`` (no flags) preceded by a test in C
    of the literals every match holds; as it is where there are none to test."""

    def with_literals(call: re.Match[str]) -> str:
        literals = required_literals(call["regex"])
        if not literals:
            return call[0]
        attrs = call["attrs"]
        present = " or ".join(a.strip() for a in attrs.split("|"))
        holds = " or ".join(f"contains({attrs}, '{literal}')" for literal in literals)
        return f"(({present}) and ({holds}) and {call[0]})"

    return _RE_TEST.sub(with_literals, path)


def _branches(path: str) -> list[str]:
    """``path`` cut at each ``|`` outside predicates and strings."""
    parts, start, depth, quote = [], 0, 0, ""
    for i, c in enumerate(path):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "[]":
            depth += 1 if c == "[" else -1
        elif c == "|" and depth == 0:
            parts.append(path[start:i].strip())
            start = i + 1
    return [*parts, path[start:].strip()]


def _bare(path: str) -> str:
    """``path`` with its strings emptied and its predicates taken out."""
    bare = _QUOTED.sub("''", path)
    while (fewer := _PREDICATE.sub("", bare)) != bare:
        bare = fewer
    return bare


def selects_elements(path: str) -> bool:
    """Whether every branch of ``path`` ends in a step that selects elements (so its
    results are elements whatever the page, and never strings)."""
    return all(
        _ELEMENT_STEP.fullmatch(_bare(branch).rsplit("/", 1)[-1].strip())
        for branch in _branches(path)
    )


def twin(xpath: etree.XPath) -> etree.XPath | None:
    """A faster XPath selecting what ``xpath`` selects, or ``None`` when there is none."""
    path = xpath.path
    if "re:test" not in path:
        return None
    faster = prefiltered(path)
    plain = selects_elements(path)
    if faster == path and not plain:
        return None
    try:
        return etree.XPath(faster, namespaces={"re": REGEXP_NS}, smart_strings=not plain)
    except etree.XPathError:  # a prefix other than re: keep the original
        return None


# --- the byline search --------------------------------------------------------------

_HAS_REL = etree.XPath("boolean(//rel)")
_NAME_TEST = re.compile(r"\*|[A-Za-z_][\w.-]*")


@functools.cache
def _pruning_tests() -> tuple[tuple[etree.XPath, ...], tuple[etree.XPath, ...]] | None:
    """trafilatura's byline search first prunes a copy of the page with
    ``AUTHOR_DISCARD_XPATHS`` (comments, sidebars, quotes, times, figures…). Each branch
    of those, one step down from the page (``.//*[…]``, ``//time``), as two tests of one
    element: whether it or an ancestor is pruned, whether something inside it is.
    ``None`` when a branch is not of that shape."""
    from trafilatura import xpaths

    above: list[etree.XPath] = []
    below: list[etree.XPath] = []
    for xpath in xpaths.AUTHOR_DISCARD_XPATHS:
        for branch in _branches(xpath.path):
            step = branch.removeprefix(".")[2:]
            if not branch.startswith(("//", ".//")) or not _NAME_TEST.fullmatch(_bare(step)):
                return None
            for tests, axis in ((above, "ancestor-or-self::"), (below, ".//")):
                tests.append(
                    etree.XPath(
                        axis + prefiltered(step),
                        namespaces={"re": REGEXP_NS},
                        smart_strings=False,  # they select elements
                    )
                )
    return tuple(above), tuple(below)


def author_of(tree: Any) -> str | None:
    """trafilatura's ``extract_author(tree)``, without its deep copy of the page.

    extract_author prunes a copy of the page (:func:`_pruning_tests`) and takes the
    first candidate of ``AUTHOR_XPATHS`` (in order) whose text is 3 to 119 characters
    long. Pruning only takes elements out, and moves a pruned element's tail to its
    neighbour's tail or its parent's text, never into the text of an element beside it.
    So on the page itself a candidate is passed over when it or an ancestor would be
    pruned, and its text is what it would be in the copy unless something inside it
    would be pruned: for that candidate, and for a page this cannot be said of (a
    ``<rel>`` element, which an author XPath reads the text of), extract_author runs.
    """
    from trafilatura import xpaths
    from trafilatura.metadata import (  # type: ignore[attr-defined]
        extract_author,
        normalize_authors,  # the one extract_author calls
    )
    from trafilatura.utils import trim

    tests = _pruning_tests()
    if tests is None or tree.getroottree().getroot() is not tree or _HAS_REL(tree):
        return extract_author(tree)
    above, below = tests
    for expression in xpaths.AUTHOR_XPATHS:
        for element in expression(tree):
            if any(a is not tree for test in above for a in test(element)):
                continue  # pruned with an ancestor (the page itself never is)
            if any(test(element) for test in below):
                return extract_author(tree)
            content = trim(" ".join(element.itertext()))
            if content and 2 < len(content) < 120:
                return normalize_authors(None, content)
    return None


# --- the parser ----------------------------------------------------------------------


def class_lookup() -> etree.ElementNamespaceClassLookup | None:
    """lxml.html's choice of element classes, made in C: the form classes by tag name
    (lxml.html's parser gives tag names in lower case), ``HtmlElement`` for any other
    element, and lxml.html's classes for comments, processing instructions and entities.
    ``None`` should lxml.html no longer keep its table of form classes where it does."""
    from lxml import html as lxml_html

    forms = getattr(lxml_html.HtmlElementClassLookup, "_default_element_classes", None)
    if not isinstance(forms, dict):
        return None

    fallback = etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement,
        comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction,
        entity=lxml_html.HtmlEntity,
    )
    lookup = etree.ElementNamespaceClassLookup(fallback)
    tags = lookup.get_namespace(None)
    for tag, cls in forms.items():
        tags[tag] = cls
    return lookup


@functools.cache
def parser() -> Any:
    """A copy of trafilatura's HTML parser (its settings) with :func:`class_lookup`;
    ``None`` when either is not where it is looked for."""
    from trafilatura import utils

    stock, lookup = getattr(utils, "HTML_PARSER", None), class_lookup()
    if stock is None or lookup is None:
        return None
    faster = stock.copy()
    faster.set_element_class_lookup(lookup)
    return faster


# --- the swap ------------------------------------------------------------------------


@dataclass(slots=True)
class _Swap:
    """One place in trafilatura that holds something with a twin: a module's global
    (``name``) or the items of a list the module's functions read when they run."""

    holder: Any
    name: str | None
    original: Any
    faster: Any

    def put(self, value: Any) -> None:
        if self.name is None:
            self.holder[:] = value
        else:
            setattr(self.holder, self.name, value)


_MODULES = ("trafilatura.core", "trafilatura.metadata", "trafilatura.baseline")


@functools.cache
def _swaps() -> tuple[_Swap, ...]:
    """Every place in trafilatura's modules holding an XPath, or a list of them, with a
    twin, and trafilatura's parser: found once."""
    import importlib

    from trafilatura import utils

    for used in _MODULES:  # what a page's extraction uses, all loaded
        importlib.import_module(used)
    swaps: list[_Swap] = []
    if (faster_parser := parser()) is not None:
        swaps.append(_Swap(utils, "HTML_PARSER", utils.HTML_PARSER, faster_parser))
    lists: set[int] = set()
    twins: dict[int, etree.XPath | None] = {}  # one twin for an XPath several modules import

    def twin_of(xpath: etree.XPath) -> etree.XPath | None:
        if id(xpath) not in twins:
            twins[id(xpath)] = twin(xpath)
        return twins[id(xpath)]

    for module_name, module in sorted(sys.modules.items()):
        if module is None or not module_name.startswith("trafilatura."):
            continue
        for name, value in sorted(vars(module).items()):
            if isinstance(value, etree.XPath) and (faster := twin_of(value)) is not None:
                swaps.append(_Swap(module, name, value, faster))
            elif isinstance(value, list) and id(value) not in lists:
                items = [twin_of(x) if isinstance(x, etree.XPath) else None for x in value]
                if any(item is not None for item in items):
                    lists.add(id(value))
                    faster_items = [
                        f if f is not None else x for x, f in zip(value, items, strict=True)
                    ]
                    swaps.append(_Swap(value, None, list(value), faster_items))
    return tuple(swaps)


_lock = threading.Lock()
_depth = [0]


@contextmanager
def accelerated() -> Iterator[None]:
    """Within: trafilatura parses with :func:`parser` and runs the twins of its XPaths.
    Calls nest; the originals are back when the outermost ends, however it ends."""
    with _lock:
        if _depth[0] == 0:
            for swap in _swaps():
                swap.put(swap.faster)
        _depth[0] += 1
    try:
        yield
    finally:
        with _lock:
            _depth[0] -= 1
            if _depth[0] == 0:
                for swap in _swaps():
                    swap.put(swap.original)


P = ParamSpec("P")
R = TypeVar("R")


def with_twins(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run :func:`accelerated`."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with accelerated():
            return function(*args, **kwargs)

    return run
