"""A document as the rules see it: its lines, and what became of each.

The text is split into lines (one paragraph a line; blank lines carry nothing and are
set aside). A line is never deleted, only marked with the id of the rule that removed
it (or shortened, with the rule and the text cut), so a run can count rule hits and
``cleaner explain`` can show every decision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from cleaner.rules.patterns import Finder, lines_matching


@dataclass(slots=True)
class Line:
    """One non-blank line of the normalized text and what became of it."""

    no: int
    """1-based line number in the normalized text."""
    text: str
    """The text still kept (a strip rule may have cut a lead-in)."""
    original: str
    removed_by: str | None = None
    stripped: list[tuple[str, str]] = field(default_factory=list)
    """``(rule id, text cut)`` for each strip rule that shortened the line."""
    index: int = 0
    """Position in the document's list of lines."""


@dataclass(slots=True)
class FieldValue:
    value: str
    rule: str
    line: int


class View:
    """A document's lines as one UTF-8 text (``data``), for searches over all of it;
    ``lines_matching`` maps what a search finds back to the lines."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = list(lines)
        self.data = "\n".join(line.text for line in lines).encode("utf-8", "surrogatepass")
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        """The first byte of each line in ``data``."""
        if self._starts is None:
            starts, pos = [], 0
            for segment in self.data.split(b"\n"):
                starts.append(pos)
                pos += len(segment) + 1
            self._starts = starts
        return self._starts

    def lines_matching(self, finder: Finder) -> list[Line]:
        """The lines where ``finder`` (a :func:`~cleaner.rules.patterns.document_pattern`)
        matches, in order."""
        return [self.lines[i] for i in lines_matching(finder, self.data, self.starts)]


@dataclass(slots=True)
class Cleaned:
    """The outcome of applying the rules to one document."""

    lines: list[Line]
    fields: dict[str, FieldValue] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    anchors: dict[str, int] = field(default_factory=dict)
    """Index in ``lines`` of the line each field rule matched (for ``relative_to``)."""
    known: dict[str, str] = field(default_factory=dict)
    """Fields known before the rules ran (from the page's markup), for heuristics."""
    edits: int = 0
    """How many times a line's text was changed (a span or lead-in cut)."""
    edited: list[Line] = field(default_factory=list)
    """The line of each edit, in order."""
    captions: list[str] = field(default_factory=list)
    """Every photo caption a rule captured, in order."""
    learned: dict[int, list[str]] = field(default_factory=dict)
    """Per line number, what the learned site repeats removed from it, and how often the
    site printed it (``seen in 37 of 120 documents of example.com``)."""
    _kept: list[Line] | None = None
    _view: tuple[int, View] | None = None

    @property
    def kept(self) -> list[Line]:
        """The lines no rule removed (a shared list: read it, do not change it)."""
        if self._kept is None:
            self._kept = [line for line in self.lines if line.removed_by is None]
        return self._kept

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.kept)

    def view(self) -> View:
        """Every line's current text, removed ones included, as one UTF-8 text: what
        document-wide searches look at (they only ever need a superset of the kept
        lines)."""
        if self._view is None or self._view[0] != self.edits:
            self._view = (self.edits, View(self.lines))
        return self._view[1]

    def field_values(self) -> dict[str, str]:
        return {name: f.value for name, f in self.fields.items()}

    def remove(self, line: Line, rule: str) -> None:
        line.removed_by = rule
        self.hits[rule] += 1
        self._kept = None

    def edit(self, line: Line, rule: str, cut: str, rest: str) -> None:
        """Record that ``rule`` cut ``cut`` out of a line, leaving ``rest``; a line left
        empty is removed."""
        self.edits += 1
        self.edited.append(line)
        line.stripped.append((rule, cut))
        line.text = rest
        if rest:
            self.hits[rule] += 1
        else:
            self.remove(line, rule)

    def cut(self, line: Line, start: int, end: int, rule: str) -> None:
        """Cut ``line.text[start:end]`` out of a line, joining what is left by a space."""
        text = line.text
        left, right = text[:start].rstrip(), text[end:].lstrip()
        rest = f"{left} {right}" if left and right else left or right
        self.edit(line, rule, text[start:end], rest)

    def capture(self, groups: dict[str, str | None], rule: str, line: Line) -> None:
        """Keep what a rule captured: the first value of each field wins; every photo
        caption is also kept in order (a photo page's captions are its story)."""
        for name, value in groups.items():
            if not value or not value.strip():
                continue
            if name == "image_caption":
                self.captions.append(value.strip())
            if name not in self.fields:
                self.fields[name] = FieldValue(value.strip(), rule, line.no)


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text``, numbered from 1."""
    numbered = [(no, line) for no, line in enumerate(text.split("\n"), 1) if line]
    return [Line(no, line, line, index=i) for i, (no, line) in enumerate(numbered)]


def removed(doc: Cleaned) -> Iterator[Line]:
    """The lines a rule removed, in document order."""
    return (line for line in doc.lines if line.removed_by is not None)
