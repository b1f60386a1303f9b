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
from collections.abc import Sequence
from typing import Any, Protocol

import re2

from cleaner.rules.syntax import TEXT_ANCHORS, for_document, parses, screening

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print parse errors to stderr; we raise instead
# A set of a whole rule file's patterns needs more than RE2's 8 MiB default to compile,
# and a set searched anywhere in a document more than that for its automaton's states:
# the generic file's 11 span patterns took 47 µs a document at 8 MiB, their states
# thrown away and rebuilt, and 8 µs at 16 MiB. The small sets matched at a line's start
# (one pattern, a few candidates) keep the default, which also bounds the memory their
# automata may take in each worker.
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
    def match(self, text: str, pos: int = 0) -> Match | None: ...
    def search(self, text: Any, pos: int = 0) -> Match | None: ...


class PatternError(ValueError):
    """A pattern RE2 cannot compile."""


def _error(pattern: str, exc: Exception) -> PatternError:
    reason = exc.args[0] if exc.args else exc
    if isinstance(reason, bytes):
        reason = reason.decode("utf-8", "replace")
    return PatternError(f"invalid regular expression {pattern!r}: {reason}")


@functools.lru_cache(maxsize=4096)
def check_pattern(pattern: str) -> None:
    """Raise :class:`PatternError` when RE2 cannot parse ``pattern``, without compiling it.

    A rule file's hundreds of patterns are checked at load (:func:`parses`) for a small
    part of what compiling them costs, and each is compiled (:class:`LazyPattern`) only
    when a document needs it; a run over a whole corpus uses about one in six.
    """
    if not parses(pattern):
        compile_pattern(pattern)  # raises PatternError with RE2's reason
        raise PatternError(f"invalid regular expression {pattern!r}")  # pragma: no cover


class LazyPattern:
    """A rule pattern compiled on first use (:func:`compile_pattern`), checked at once
    (:func:`check_pattern`)."""

    def __init__(self, pattern: str) -> None:
        check_pattern(pattern)
        self.pattern = pattern

    @functools.cached_property
    def compiled(self) -> Pattern:
        return compile_pattern(self.pattern)

    @property
    def groupindex(self) -> Any:
        return self.compiled.groupindex

    @functools.cached_property
    def screen(self) -> Pattern | None:
        """The pattern's :func:`~cleaner.rules.syntax.screening` form, compiled, when it
        differs from the pattern (``None`` when it does not)."""
        form = screening(self.pattern)
        return compile_pattern(form) if form != self.pattern else None

    def match(self, text: str, pos: int = 0) -> Match | None:
        return self.compiled.match(text, pos)

    def search(self, text: Any, pos: int = 0) -> Match | None:
        """The pattern's first match in ``text`` from ``pos``, as RE2's search finds it.

        A pattern with a bounded repeat (``[^\\n]{0,400}$``) is searched with its
        screening form first, which finds where its first match may start (none of the
        pattern's own can start before); the pattern is then matched from that start
        only, where its automaton follows one path and does not count for every place a
        match may have started. If it does not match there, the screen looks further
        on. On text seen for the first time this is several times cheaper than the
        pattern's own search (the lexicon's credit tail: 0.83 ms a new line, against
        0.14 ms); the match found is the one the search would find.
        """
        screen = self.screen
        if screen is None:
            return self.compiled.search(text, pos)
        for _ in range(_SCREENED_STARTS):
            found = screen.search(text, pos)
            if found is None:
                return None  # the screen matches wherever the pattern does
            start = found.start()
            exact = self.compiled.match(text, start)
            if exact is not None:
                return exact  # no match of the pattern starts before the screen's
            pos = start + 1
            if pos > len(text):
                return None
        return self.compiled.search(text, pos)


_SCREENED_STARTS = 4
"""Starts the screen proposes before :meth:`LazyPattern.search` searches with the
pattern itself: a line may hold many places where the screen but not the pattern
matches (a word that opens a span, too far from the line's end)."""


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


_NONE: frozenset[int] = frozenset()


def _found(found: list[int] | None, ids: tuple[int, ...] | None) -> frozenset[int]:
    """What RE2 reports (indices in the order added) as the caller's ids."""
    if not found:
        return _NONE
    return frozenset(found) if ids is None else frozenset(ids[i] for i in found)


class PatternSet:
    """Many patterns matched in one pass: which of them may match a text.

    ``anchored`` sets match from the start of the text (as rule patterns over lines do);
    unanchored sets search anywhere (as fingerprints do). A set screens: it matches the
    :func:`~cleaner.rules.syntax.screening` forms, a superset that costs RE2 a fraction
    of the memory, and the caller confirms with the pattern itself.
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
        big = len(patterns) >= _BIG_SET or not anchored
        self._set = make(_BIG_SET_OPTIONS if big else _OPTIONS)
        for pattern in patterns:
            try:
                self._set.Add(screening(pattern))
            except re2.error as exc:
                raise _error(pattern, exc) from None
        try:
            self._set.Compile()
        except re2.error:
            raise PatternError(
                f"{len(patterns)} patterns are too big to match together in RE2's memory "
                "budget; make them simpler (fewer or shorter alternatives help)"
            ) from None

    def match(self, text: str | bytes) -> frozenset[int]:
        """Indices (in the order given, or their ``ids``) of the patterns that may match
        ``text`` (or its UTF-8 bytes): every one that does, and perhaps one whose
        screening form does (on text that is not ASCII, or with a repeat past its bound)."""
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
                self._filter.Add(screening(pattern), _OPTIONS)
            except re2.error as exc:
                raise _error(pattern, exc) from None
        self._filter.Compile()

    def candidates(self, data: bytes) -> frozenset[int]:
        """Patterns that may match somewhere in ``data`` (UTF-8)."""
        if self._filter is None:
            return _NONE
        return _found(self._filter.Match(data, potential=True), self._ids)


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
        forms = [None if TEXT_ANCHORS.search(p) else for_document(p) for p in self.patterns]
        self._searched = [f"(?m)^(?:{form})" if form else None for form in forms]
        self._always = frozenset(i for i, p in enumerate(patterns) if TEXT_ANCHORS.search(p))
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
        holds each line's first byte. Only for a :meth:`locatable` pattern.

        The search over the whole document is made with the pattern's screening form
        (:func:`~cleaner.rules.syntax.screening`); when that differs, each line it finds
        is confirmed with the pattern itself, anchored at the line's start.
        """
        finder = self._locators.get(slot)
        if finder is None:
            searched = self._searched[slot]
            assert searched is not None
            finder = self._locators[slot] = Finder(screening(searched))
        found = lines_matching(finder, data, starts)
        if not found or finder.pattern == self._searched[slot]:
            return found
        checker = self._checker(slot)
        last = len(starts) - 1
        return [
            i
            for i in found
            if checker.at_start(data[starts[i] : starts[i + 1] - 1 if i < last else len(data)])
        ]

    def _checker(self, slot: int) -> Finder:
        checker = self._checkers.get(slot)
        if checker is None:
            checker = self._checkers[slot] = Finder(self._searched[slot] or self.patterns[slot])
        return checker

    def match_line(self, slot: int, line: str) -> bool:
        """Whether pattern ``slot`` matches ``line`` from its start."""
        return self._checker(slot).at_start(line)


class Finder:
    """A pattern asked only where it matches, not what it captured: RE2's own search,
    without the Python wrapper's match objects and offset bookkeeping, which cost
    several times the search itself on a text of a few KB."""

    __slots__ = ("_anchored", "_pattern", "_scanner")

    def __init__(self, pattern: str) -> None:
        check_pattern(pattern)
        self._pattern = pattern
        self._anchored: Any = None
        self._scanner: Any = None

    @property
    def pattern(self) -> str:
        return self._pattern

    def compile(self) -> Any:
        """Compile now what :meth:`find_end` searches with (:class:`PatternError` if RE2
        cannot)."""
        self._scanner = compile_pattern(f"(?s:.*?)(?:{self._pattern})")._regexp  # type: ignore[attr-defined]
        return self._scanner

    def find_end(self, data: bytes, pos: int = 0) -> int:
        """Where the first match at or after byte ``pos`` of ``data`` ends, or -1.

        The pattern is matched from ``pos`` behind a lazy ``.*?``: the first match
        found so ends where the first match of the pattern does, and RE2 runs its
        forward automaton only. Where a match starts would take a second, reverse
        one: its own program, work queues and states in every worker.
        """
        scanner = self._scanner if self._scanner is not None else self.compile()
        end: int = scanner.Match(_AT_START, data, pos, len(data))[0][1]
        return end

    def at_start(self, text: str | bytes) -> bool:
        """Whether the pattern matches at the start of ``text`` (or of its UTF-8 bytes)."""
        data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
        regexp = self._anchored
        if regexp is None:
            regexp = self._anchored = compile_pattern(self._pattern)._regexp  # type: ignore[attr-defined]
        return bool(regexp.Match(_AT_START, data, 0, len(data))[0][0] == 0)


_AT_START = re2._Anchor.ANCHOR_START


def document_pattern(pattern: str) -> Finder | None:
    """``pattern`` as searched anywhere in a line of a whole document (see
    :func:`for_document`), or ``None`` when it cannot be. The form is
    :func:`~cleaner.rules.syntax.screening`: it finds the lines to look at (every line
    the pattern matches in, perhaps more), which the pattern itself then searches."""
    form = None if TEXT_ANCHORS.search(pattern) else for_document(pattern)
    return Finder(screening(f"(?m)(?:{form})")) if form is not None else None


def lines_matching(finder: Finder, data: bytes, starts: Sequence[int]) -> list[int]:
    """Indices of the lines of ``data`` (UTF-8; ``starts`` holds each line's first byte)
    where ``finder``, a :func:`for_document` form, matches: each line once."""
    found: list[int] = []
    pos = 0
    while (end := finder.find_end(data, pos)) >= 0:
        line = bisect.bisect_right(starts, end) - 1  # a match never takes a line feed
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
