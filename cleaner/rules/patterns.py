"""Rule-file patterns, on RE2.

Patterns come from rule files that users write, so they run on RE2, whose matching time
is linear in the text whatever the pattern: a rule such as ``(a+)+$`` cannot hang a run
the way it would with Python's backtracking ``re``. RE2 is Python's syntax without
look-arounds and back-references; ``\\w``, ``\\d``, ``\\s`` and ``\\b`` are ASCII
(``\\pL`` is any letter). The patterns of the code itself (dates, line classes) are
ours and use ``re``.

A :class:`PatternSet` matches many patterns in one pass; a :class:`LineMatcher` uses
two of them so that a rule file's dozens of patterns cost about one pass over a document,
not one per line.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from typing import Any, Protocol

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print parse errors to stderr; we raise instead
# A set of a whole rule file's patterns needs more than RE2's 8 MiB default to compile;
# the small sets (one pattern, a few candidates) keep the default, which also bounds the
# memory their automata may take in each worker.
_BIG_SET_OPTIONS = re2.Options()
_BIG_SET_OPTIONS.log_errors = False
_BIG_SET_OPTIONS.max_mem = 64 << 20
_BIG_SET = 12  # patterns


class Match(Protocol):
    def groupdict(self) -> dict[str, str | None]: ...
    def start(self, group: int = 0) -> int: ...
    def end(self, group: int = 0) -> int: ...


class Pattern(Protocol):
    """What the pipeline uses of a compiled pattern (RE2's, or ``re``'s in tests)."""

    @property
    def pattern(self) -> str: ...
    @property
    def groupindex(self) -> Any: ...
    def match(self, text: str) -> Match | None: ...
    def search(self, text: Any, pos: int = 0) -> Match | None: ...


class PatternError(ValueError):
    """A pattern RE2 cannot compile."""


def _error(pattern: str, exc: Exception) -> PatternError:
    reason = exc.args[0] if exc.args else exc
    if isinstance(reason, bytes):
        reason = reason.decode("utf-8", "replace")
    return PatternError(f"invalid regular expression {pattern!r}: {reason}")


@functools.lru_cache(maxsize=4096)
def compile_pattern(pattern: str) -> Pattern:
    """Compile one rule pattern; :class:`PatternError` says why it cannot be.

    Compiled patterns are immutable and cached: validating a rule file and compiling it
    compile each pattern once.
    """
    try:
        compiled: Pattern = re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        raise _error(pattern, exc) from None
    return compiled


def anchored_at_end(pattern: str) -> str:
    """``pattern`` made to match only where a line ends."""
    return f"(?:{pattern})$"


_NONE: frozenset[int] = frozenset()


def _found(found: list[int] | None, ids: tuple[int, ...] | None) -> frozenset[int]:
    """What RE2 reports (indices in the order added) as the caller's ids."""
    if not found:
        return _NONE
    return frozenset(found) if ids is None else frozenset(ids[i] for i in found)


class PatternSet:
    """Many patterns matched in one pass: which of them match a text.

    ``anchored`` sets match from the start of the text (as rule patterns over lines do);
    unanchored sets search anywhere (as fingerprints do).
    """

    def __init__(
        self, patterns: Sequence[str], *, anchored: bool, ids: Sequence[int] | None = None
    ) -> None:
        self.size = len(patterns)
        self._ids = tuple(ids) if ids is not None else None
        self._set: Any = None
        if not patterns:
            return
        make = re2.Set.MatchSet if anchored else re2.Set.SearchSet
        self._set = make(_BIG_SET_OPTIONS if len(patterns) >= _BIG_SET else _OPTIONS)
        for pattern in patterns:
            try:
                self._set.Add(pattern)
            except re2.error as exc:
                raise _error(pattern, exc) from None
        try:
            self._set.Compile()
        except re2.error:
            raise PatternError(
                f"{len(patterns)} patterns are too big to match together in RE2's memory "
                "budget; make them simpler (shorter counted repeats such as {3,80} help)"
            ) from None

    def match(self, text: str | bytes) -> frozenset[int]:
        """Indices (in the order given, or their ``ids``) of the patterns that match
        ``text`` (or its UTF-8 bytes)."""
        if self._set is None:
            return _NONE
        found = self._set.Match(text.encode("utf-8") if isinstance(text, str) else text)
        return _found(found, self._ids)


class Prefilter:
    """Which of many patterns may occur in a text, from the literal strings each needs.

    RE2's FilteredRE2 reduces every pattern to the "atoms" any match must contain
    (``Baca juga:`` needs ``baca juga``) and finds all atoms in one pass of a small
    automaton: several times cheaper over a whole document than a set of the patterns
    themselves, whose automaton grows with every pattern and, beside other large ones,
    no longer fits the processor's caches. :meth:`candidates` is a superset (a pattern
    with no atom is always a candidate); the caller confirms the candidates it needs
    (outlet detection searches each one once, for where it is too).
    """

    def __init__(self, patterns: Sequence[str], *, ids: Sequence[int] | None = None) -> None:
        self.size = len(patterns)
        self._ids = tuple(ids) if ids is not None else None
        self._filter: Any = None
        if not patterns:
            return
        self._filter = re2.Filter()
        for pattern in patterns:
            try:
                self._filter.Add(pattern, _OPTIONS)
            except re2.error as exc:
                raise _error(pattern, exc) from None
        self._filter.Compile()

    def candidates(self, data: bytes) -> frozenset[int]:
        """Patterns that may match somewhere in ``data`` (UTF-8)."""
        if self._filter is None:
            return _NONE
        return _found(self._filter.Match(data, potential=True), self._ids)


# Patterns whose meaning changes when the text is a whole document rather than one line.
_TEXT_ANCHORS = re.compile(r"\\[Az]|\(\?[a-zA-Z]*-[a-zA-Z]*m")


def for_document(pattern: str) -> str | None:
    """``pattern`` rewritten to search a whole document line by line: it never matches
    across a line break, and its capturing groups are plain groups.

    On one line the rewrite matches exactly what the pattern does: only the line feed
    is taken out of what its classes match (``\\s`` becomes ``[\\t\\f\\r ]``,
    ``[^,]`` becomes ``[^,\\n]``). Without groups RE2 matches with its automata
    alone, several times faster. ``None`` when the pattern holds a construct this does
    not rewrite (``\\W``, ``\\D``, ``(?s)``, a range across the line feed, …): such a
    pattern is matched line by line instead.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            escape = _escape_at(pattern, i)
            i += len(escape)
            if escape == "\\s":
                out.append("[\\t\\f\\r ]")
            elif _may_be_newline(escape):
                return None
            else:
                out.append(escape)
        elif c == "[":
            parsed = _class_at(pattern, i)
            if parsed is None:
                return None
            text, i = parsed
            out.append(text)
        elif c == "(" and pattern.startswith("(?P<", i):
            end = pattern.find(">", i)
            if end < 0:
                return None
            out.append("(?:")
            i = end + 1
        elif c == "(" and pattern.startswith("(?", i):
            flags = re.match(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?[:)]", pattern[i:])
            if flags is None or "s" in flags.group(1) or "m" in (flags.group(2) or ""):
                return None  # (?s): . takes newlines; (?-m): ^ and $ mean the text's ends
            out.append(flags.group(0))
            i += len(flags.group(0))
        elif c == "(":
            out.append("(?:")
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


_ESCAPE = re.compile(
    r"\\(?:x\{[0-9A-Fa-f]+\}|x[0-9A-Fa-f]{2}|[pP]\{\^?\w+\}|[pP]\w|Q.*?(?:\\E|$)|[0-7]{1,3}|.)",
    re.S,
)


def _escape_at(pattern: str, i: int) -> str:
    m = _ESCAPE.match(pattern, i)
    return m.group(0) if m else pattern[i:]


def _code_of(escape: str) -> int | None:
    """The character an escape stands for, when it stands for one."""
    if escape.startswith("\\x{"):
        return int(escape[3:-1], 16)
    if escape.startswith("\\x"):
        return int(escape[2:], 16)
    if len(escape) == 2 and not escape[1].isalnum():
        return ord(escape[1])
    return {"\\t": 9, "\\n": 10, "\\v": 11, "\\f": 12, "\\r": 13, "\\a": 7}.get(escape)


def _may_be_newline(escape: str) -> bool:
    """Whether an escape outside a class may match a line feed (``\\s`` aside)."""
    if escape[1] in "WDCQ0123456789" or escape.startswith("\\P"):
        return True
    if escape.startswith("\\p"):
        name = escape[2:].strip("{}").lstrip("^")
        return name in {"C", "Cc", "Any"} or escape.startswith("\\p{^")
    return _code_of(escape) == 10


_SAFE_POSIX = {
    "alnum",
    "alpha",
    "ascii",
    "digit",
    "graph",
    "lower",
    "print",
    "punct",
    "upper",
    "word",
    "xdigit",
    "blank",
}


def _class_at(pattern: str, i: int) -> tuple[str, int] | None:
    """The class starting at ``pattern[i]`` made to exclude the line feed, and where it
    ends; ``None`` when that cannot be done by simple editing."""
    j = i + 1
    negated = pattern.startswith("^", j)
    j += negated
    items: list[str] = []
    first = True
    while j < len(pattern) and (first or pattern[j] != "]"):
        first = False
        if pattern.startswith("[:", j):
            end = pattern.find(":]", j + 2)
            if end < 0:
                return None
            name = pattern[j + 2 : end]
            if not negated and name not in _SAFE_POSIX:
                return None
            items.append(pattern[j : end + 2])
            j = end + 2
            continue
        item = _escape_at(pattern, j) if pattern[j] == "\\" else pattern[j]
        j += len(item)
        if pattern.startswith("-", j) and j + 1 < len(pattern) and pattern[j + 1] != "]":
            high = _escape_at(pattern, j + 1) if pattern[j + 1] == "\\" else pattern[j + 1]
            j += 1 + len(high)
            low_code = _code_of(item) if item.startswith("\\") else ord(item)
            high_code = _code_of(high) if high.startswith("\\") else ord(high)
            if low_code is None or high_code is None:
                return None
            if not negated and low_code <= 10 <= high_code:
                return None
            items.append(f"{item}-{high}")
            continue
        if not negated:
            if item == "\\s":
                item = "\\t\\f\\r "
            elif item.startswith("\\") and _may_be_newline(item):
                return None
        items.append(item)
    if j >= len(pattern):
        return None  # no closing bracket
    body = "".join(items)
    return (f"[^{body}\\n]" if negated else f"[{body}]"), j + 1


class LineMatcher:
    """Patterns matched from the start of a line: which lines each of them matches.

    Matching every line against a rule file's patterns would cost a pass per line.
    Instead, :meth:`in_document` looks over the whole document once with a set of the
    file's patterns, each rewritten by :func:`for_document` to match at the start of
    any line and stay within it: the patterns present at all (usually a few, or none).
    The lines of a present pattern are found by :meth:`locate`, one more pass.

    Two kinds of pattern are handled line by line instead (:meth:`match_line`): those
    the rewrite does not take, and those anchored to the whole text (``\\A``,
    ``\\z``). A pattern that may start with anything (``.*``, ``[^ ]+``) is located,
    but kept out of the set, whose automaton it would blow up: a :class:`Prefilter` of
    the literal strings it needs says whether it may be present.
    """

    def __init__(self, patterns: Sequence[str]) -> None:
        self.patterns = tuple(patterns)
        forms = [None if _TEXT_ANCHORS.search(p) else for_document(p) for p in self.patterns]
        self._searched = [f"(?m)^(?:{form})" if form else None for form in forms]
        self._always = frozenset(i for i, p in enumerate(patterns) if _TEXT_ANCHORS.search(p))
        broad = [
            i
            for i, p in enumerate(patterns)
            if i not in self._always and (forms[i] is None or _starts_anywhere(p))
        ]
        self._broad = Prefilter([f"(?m)^(?:{forms[i] or patterns[i]})" for i in broad], ids=broad)
        kept = [i for i, s in enumerate(self._searched) if s and i not in broad]
        self._set = PatternSet([self._searched[i] or "" for i in kept], anchored=False, ids=kept)
        # Compiled when first needed: most are never needed, and each costs memory in
        # every worker process.
        self._locators: dict[int, Finder] = {}
        self._checkers: dict[int, Finder] = {}

    @functools.cached_property
    def all(self) -> PatternSet:
        """Every pattern in one set (for a line whose text a rule has changed)."""
        return PatternSet(self.patterns, anchored=True)

    def in_document(self, data: bytes) -> frozenset[int]:
        """The patterns that may match some line of ``data`` (UTF-8; a superset)."""
        return self._set.match(data) | self._broad.candidates(data) | self._always

    def locatable(self, slot: int) -> bool:
        """Whether :meth:`locate` can find the lines of pattern ``slot``."""
        return self._searched[slot] is not None

    def locate(self, slot: int, data: bytes, starts: Sequence[int]) -> list[int]:
        """Indices of the lines of ``data`` that pattern ``slot`` matches; ``starts``
        holds each line's first byte. Only for a :meth:`locatable` pattern."""
        finder = self._locators.get(slot)
        if finder is None:
            searched = self._searched[slot]
            assert searched is not None
            finder = self._locators[slot] = Finder(searched)
        return lines_matching(finder, data, starts)

    def match_line(self, slot: int, line: str) -> bool:
        """Whether pattern ``slot`` matches ``line`` from its start."""
        checker = self._checkers.get(slot)
        if checker is None:
            checker = self._checkers[slot] = Finder(self._searched[slot] or self.patterns[slot])
        return checker.at_start(line)


class Finder:
    """A pattern asked only where it matches, not what it captured: RE2's own search,
    without the Python wrapper's match objects and offset bookkeeping, which cost
    several times the search itself on a text of a few KB."""

    __slots__ = ("_regexp",)

    def __init__(self, pattern: str) -> None:
        self._regexp: Any = compile_pattern(pattern)._regexp  # type: ignore[attr-defined]

    def find(self, data: bytes, pos: int = 0) -> int:
        """Where the first match at or after byte ``pos`` of ``data`` starts, or -1."""
        start: int = self._regexp.Match(_UNANCHORED, data, pos, len(data))[0][0]
        return start

    def at_start(self, text: str) -> bool:
        """Whether the pattern matches at the start of ``text``."""
        data = text.encode("utf-8", "surrogatepass")
        return bool(self._regexp.Match(_AT_START, data, 0, len(data))[0][0] == 0)


_UNANCHORED = re2._Anchor.UNANCHORED
_AT_START = re2._Anchor.ANCHOR_START


def document_pattern(pattern: str) -> Finder | None:
    """``pattern`` as searched anywhere in a line of a whole document (see
    :func:`for_document`), or ``None`` when it cannot be."""
    form = None if _TEXT_ANCHORS.search(pattern) else for_document(pattern)
    return Finder(f"(?m)(?:{form})") if form is not None else None


def lines_matching(finder: Finder, data: bytes, starts: Sequence[int]) -> list[int]:
    """Indices of the lines of ``data`` (UTF-8; ``starts`` holds each line's first byte)
    where ``finder``, a :func:`for_document` form, matches: each line once."""
    found: list[int] = []
    pos = 0
    while (start := finder.find(data, pos)) >= 0:
        line = bisect.bisect_right(starts, start) - 1
        found.append(line)
        if line + 1 >= len(starts):
            break
        pos = starts[line + 1]
    return found


def _starts_anywhere(pattern: str) -> bool:
    """Whether a match of ``pattern`` may begin with any character at all."""
    regexp = compile_pattern(pattern)._regexp  # type: ignore[attr-defined]
    ok, low, _ = regexp.PossibleMatchRange(4)
    return not ok or low[:1] in (b"", b"\x00")
