"""Rule-file patterns, on RE2.

Patterns come from rule files that users write, so they run on RE2, whose matching time
is linear in the text whatever the pattern: a rule such as ``(a+)+$`` cannot hang a run
the way it would with Python's backtracking ``re``. RE2 is Python's syntax without
look-arounds and back-references; ``\\w``, ``\\d``, ``\\s`` and ``\\b`` are ASCII
(``\\pL`` is any letter). The patterns of the code itself (dates, line classes) are
ours and use ``re``.

A :class:`PatternSet` matches many patterns in one pass over a line, which is how a
rule file's dozens of patterns stay cheap on every line of every document.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Protocol

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print parse errors to stderr; we raise instead
_SET_OPTIONS = re2.Options()
_SET_OPTIONS.log_errors = False
_SET_OPTIONS.max_mem = 64 << 20  # a set holds dozens of patterns: RE2's 8 MiB default is tight


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
    def search(self, text: str, pos: int = 0) -> Match | None: ...


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


class PatternSet:
    """Many patterns matched in one pass: which of them match a text.

    ``anchored`` sets match from the start of the text (as rule patterns over lines do);
    unanchored sets search anywhere (as fingerprints do).
    """

    def __init__(self, patterns: Sequence[str], *, anchored: bool) -> None:
        self.size = len(patterns)
        self._set: Any = None
        if not patterns:
            return
        make = re2.Set.MatchSet if anchored else re2.Set.SearchSet
        self._set = make(_SET_OPTIONS)
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

    def match(self, text: str) -> frozenset[int]:
        """Indices (in the order given) of the patterns that match ``text``."""
        if self._set is None:
            return _NONE
        found = self._set.Match(text.encode("utf-8"))
        return frozenset(found) if found else _NONE
