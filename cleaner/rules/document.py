"""A document as the rules see it: its lines, and what became of each.

The text is split into lines (one paragraph a line; blank lines carry nothing and are
set aside). A line is never deleted, only marked with the id of the rule that removed
it (or shortened, with the rule and the text cut), so a run can count rule hits and
``cleaner explain`` can show every decision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
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
    cuts: list[tuple[int, int]] = field(default_factory=list)
    """``(start, end)`` of each cut made in the line, in its text as it was then."""
    _pieces: tuple[int, list[tuple[int, int]]] | None = None

    def pieces(self) -> list[tuple[int, int]]:
        """Where ``text`` comes from in ``original``: the ``(start, end)`` of each of its
        pieces, which ``text`` joins by one space each.

        What a corpus taught about the original text (a sentence the site repeats) can
        so be found in what the rules left of it
        (:func:`cleaner.rules.repeats.apply_repeats`). The cuts are replayed when this is
        first asked, not kept up to date at each cut: most lines are never asked, and a
        line cut a thousand times would pay for each piece at every cut.
        """
        if self._pieces is not None and self._pieces[0] == len(self.cuts):
            return self._pieces[1]
        text, pieces = self.original, [(0, len(self.original))]
        for start, end in self.cuts:
            kept = kept_around(text, start, end)
            pieces = _compose(pieces, kept)
            text = " ".join(text[a:b] for a, b in kept)
        self._pieces = (len(self.cuts), pieces)
        return pieces

    def in_text(self, start: int, end: int) -> tuple[int, int] | None:
        """The span of ``text`` holding what is left of ``original[start:end]`` (with
        the spaces that join its pieces), or ``None`` when nothing of it is left."""
        found: tuple[int, int] | None = None
        at = 0  # where the current piece starts in ``text``
        for a, b in self.pieces():
            if a >= end:
                break
            lo, hi = max(a, start), min(b, end)
            if lo < hi:
                span = (at + lo - a, at + hi - a)
                found = span if found is None else (found[0], span[1])
            at += b - a + 1
        return found


def kept_around(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of ``text`` left when ``text[start:end]`` is cut: what is before and
    after it, without the white space next to the cut (none empty). The text before
    keeps its offsets, so that several cuts can be made right to left."""
    kept = []
    if left := len(text[:start].rstrip()):
        kept.append((0, left))
    right = text[end:]
    if right.strip():
        kept.append((len(text) - len(right.lstrip()), len(text)))
    return kept


def _compose(pieces: list[tuple[int, int]], kept: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The pieces of the original that the spans ``kept`` of a text made of ``pieces``
    (joined by one space each) come from."""
    out = []
    for start, end in kept:
        at = 0  # where the piece starts in the text
        for a, b in pieces:
            if at >= end:
                break
            lo, hi = max(start, at), min(end, at + b - a)
            if lo < hi:
                out.append((a + lo - at, a + hi - at))
            at += b - a + 1
    return out


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
    settle: Callable[[Cleaned, int], None] | None = None
    """Runs the rules that cleaned this document again over the lines cut since
    ``edited[since]`` (set by :func:`cleaner.rules.apply.clean_lines`). A later stage
    that cuts lines (:func:`cleaner.rules.repeats.apply_repeats`) calls it, so the rules
    see what its cuts left, as cleaning the text again would."""
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

    def cut(self, line: Line, start: int, end: int, rule: str) -> None:
        """Record that ``rule`` cut ``line.text[start:end]`` out of a line: what is left
        on either side (:func:`kept_around`) is joined by one space (a lead-in or a tail
        cut leaves one side); a line left empty is removed."""
        text = line.text
        self.edits += 1
        self.edited.append(line)
        line.stripped.append((rule, text[start:end]))
        line.cuts.append((start, end))
        line.text = rest = " ".join(text[a:b] for a, b in kept_around(text, start, end))
        if rest:
            self.hits[rule] += 1
        else:
            self.remove(line, rule)

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
