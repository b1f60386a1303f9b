"""Stage 4: apply the rules to a document's lines.

The text is split into lines (one paragraph a line; blank lines carry nothing and are
set aside). The outlet's rules run first, then the generic ones, each file in a fixed
order: ``drop_blocks``, ``drop_lines``, ``inline_spans``, ``strip_prefixes``,
``fields``, ``strip_suffixes``, ``heuristics``; an outlet's template versions run
right after its own rules. A line is never deleted, only marked with the id of
the rule that removed it, so a run can count rule hits and ``cleaner explain`` can show
every decision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta, timezone

from cleaner.dates import parse_date
from cleaner.heuristics import HEURISTICS, LINE_CLASSES
from cleaner.rules import (
    CompiledBlock,
    CompiledField,
    CompiledLine,
    OutletRules,
    Window,
)


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


@dataclass(slots=True)
class FieldValue:
    value: str
    rule: str
    line: int


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

    @property
    def kept(self) -> list[Line]:
        return [line for line in self.lines if line.removed_by is None]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines if line.removed_by is None)

    def field_values(self) -> dict[str, str]:
        return {name: f.value for name, f in self.fields.items()}

    def remove(self, line: Line, rule: str) -> None:
        line.removed_by = rule
        self.hits[rule] += 1

    def cut(self, line: Line, start: int, end: int, rule: str) -> None:
        """Cut ``line.text[start:end]`` out of a line; a line left empty is removed."""
        text = line.text
        self.edits += 1
        line.stripped.append((rule, text[start:end]))
        left, right = text[:start].rstrip(), text[end:].lstrip()
        line.text = f"{left} {right}" if left and right else left or right
        if line.text:
            self.hits[rule] += 1
        else:
            self.remove(line, rule)

    def capture(self, groups: dict[str, str | None], rule: str, line: Line) -> None:
        for name, value in groups.items():
            if value and value.strip() and name not in self.fields:
                self.fields[name] = FieldValue(value.strip(), rule, line.no)


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text``, numbered from 1."""
    return [Line(no, line, line) for no, line in enumerate(text.split("\n"), 1) if line]


def _short(lines: list[Line], limit: int | None) -> list[Line]:
    """The lines a drop or field rule may remove: none longer than ``limit``."""
    return lines if limit is None else [line for line in lines if len(line.text) <= limit]


def _in_window(kept: list[Line], window: Window) -> list[Line]:
    if window.after_leading:
        classes = [LINE_CLASSES[name] for name in window.after_leading]
        start = next(
            (i for i, line in enumerate(kept) if not any(c(line.text) for c in classes)),
            len(kept),
        )
        kept = kept[start:]
    if window.first is not None:
        return kept[: window.first]
    if window.last is not None:
        return kept[-window.last :]
    return kept


class _Slots:
    """Which of a rule file's patterns match each line: one set pass per line, redone
    only for a line whose text a strip rule has changed.

    :meth:`present` is the union over the document: a rule whose pattern matches no
    line is skipped without looking at any line, which is what most rules are on most
    documents.
    """

    def __init__(self, rules: OutletRules, doc: Cleaned) -> None:
        self._set = rules.line_set
        self._cache: dict[int, tuple[str, frozenset[int]]] = {}
        self._doc = doc
        self._present: set[int] = set()
        self._present_at = -1  # doc.edits when `_present` was computed

    def __call__(self, line: Line) -> frozenset[int]:
        cached = self._cache.get(id(line))
        if cached is None or cached[0] is not line.text:
            cached = (line.text, self._set.match(line.text))
            self._cache[id(line)] = cached
        return cached[1]

    def present(self) -> set[int]:
        """Slots that match some line still kept (a superset after removals)."""
        if self._present_at != self._doc.edits:
            present: set[int] = set()
            for line in self._doc.lines:
                if line.removed_by is None:
                    present |= self(line)
            self._present, self._present_at = present, self._doc.edits
        return self._present


def _apply_block(doc: Cleaned, rule: CompiledBlock, slots: _Slots, limit: int | None) -> None:
    kept = doc.kept
    candidates = {id(line) for line in _short(_in_window(kept, rule.window), limit)}
    i = 0
    while i < len(kept):
        line = kept[i]
        if id(line) not in candidates or rule.start_slot not in slots(line):
            i += 1
            continue
        end = _block_end(kept, i, rule, slots, limit)
        if end is None:
            i += 1
            continue
        for member in kept[i : end + 1]:
            doc.remove(member, rule.id)
        i = end + 1


def _block_end(
    kept: list[Line], start: int, rule: CompiledBlock, slots: _Slots, limit: int | None
) -> int | None:
    """Index of the block's last line, or ``None`` when the block does not close.

    A block never swallows a line longer than ``limit``: ``to_end`` and ``run_of``
    blocks stop before it, and an ``end`` block that would cross it is not applied.
    """
    stop = len(kept)
    if limit is not None:
        stop = next((j for j in range(start + 1, len(kept)) if len(kept[j].text) > limit), stop)
    if rule.to_end:
        return stop - 1
    if rule.end_slot is not None:
        for j in range(start + 1, stop):
            if rule.end_slot in slots(kept[j]):
                return j if rule.include_end else j - 1
        return None
    classes = [LINE_CLASSES[name] for name in rule.run_of]
    if rule.max_run is not None:
        stop = min(stop, start + 1 + rule.max_run)
    j = start
    while j + 1 < stop and any(is_class(kept[j + 1].text) for is_class in classes):
        j += 1
    return j if j - start >= rule.min_run else None


def _apply_drops(doc: Cleaned, rules: OutletRules, slots: _Slots, limit: int | None) -> None:
    kept = doc.kept
    windows = {
        drop.id: {id(line) for line in _in_window(kept, drop.window)}
        for drop in rules.drop_lines
        if drop.window != Window()
    }
    for line in _short(kept, limit):
        matched = slots(line)
        if not matched:
            continue
        for drop in rules.drop_lines:
            window = windows.get(drop.id)
            if drop.slot in matched and (window is None or id(line) in window):
                doc.remove(line, drop.id)
                break


def _apply_field(doc: Cleaned, rule: CompiledField, slots: _Slots, limit: int | None) -> None:
    names = rule.pattern.groupindex
    if rule.fallback and all(name in doc.fields for name in names):
        return
    if rule.relative_to is not None:
        anchor = doc.anchors.get(rule.relative_to)
        if anchor is None:
            return
        candidates = _relative(doc.lines, anchor, rule.offset)
    else:
        candidates = _in_window(doc.kept, rule.window)
    for line in _short(candidates, limit):
        if rule.slot not in slots(line):
            continue
        m = rule.pattern.match(line.text)
        if m is None:  # the set and the pattern agree; this guards against surprises
            continue
        doc.capture(m.groupdict(), rule.id, line)
        doc.anchors.setdefault(rule.id, doc.lines.index(line))
        doc.remove(line, rule.id)
        if not rule.repeat:
            return


def _relative(lines: list[Line], anchor: int, offset: int) -> list[Line]:
    """The kept line ``offset`` kept lines away from ``lines[anchor]``."""
    step = 1 if offset > 0 else -1
    seen = 0
    i = anchor + step
    while 0 <= i < len(lines):
        if lines[i].removed_by is None:
            seen += 1
            if seen == abs(offset):
                return [lines[i]]
        i += step
    return []


def _apply_spans(doc: Cleaned, rules: OutletRules) -> None:
    """Cut every occurrence of each inline span pattern out of the kept lines."""
    for line in doc.kept:
        matched = rules.span_set.match(line.text)
        for rule in rules.inline_spans:
            if line.removed_by is not None:
                break
            if rule.slot not in matched:
                continue
            before = line.text
            cut_group = rule.pattern.groupindex.get("cut", 0)
            pos = 0
            while line.removed_by is None and (m := rule.pattern.search(line.text, pos)):
                start, end = m.start(cut_group), m.end(cut_group)
                if end <= start:  # nothing to cut here; look further on
                    pos = m.end() + 1 if m.end() == m.start() else m.end()
                    if pos > len(line.text):
                        break
                    continue
                fields = {k: v for k, v in m.groupdict().items() if k != "cut"}
                doc.capture(fields, rule.id, line)
                doc.cut(line, start, end, rule.id)
                pos = start
            if line.text != before and line.removed_by is None:
                matched = rules.span_set.match(line.text)  # a cut can make or break a match


def _apply_strip(doc: Cleaned, rule: CompiledLine, slots: _Slots, *, prefix: bool) -> None:
    window = _in_window(doc.kept, rule.window)
    for line in window if prefix else reversed(window):
        if rule.slot not in slots(line):
            continue
        m = rule.pattern.match(line.text) if prefix else rule.pattern.search(line.text)
        if m is None or m.end() == m.start():
            continue
        doc.capture(m.groupdict(), rule.id, line)
        doc.anchors.setdefault(rule.id, doc.lines.index(line))
        cut = line.text[m.start() : m.end()]
        rest = line.text[m.end() :] if prefix else line.text[: m.start()]
        line.stripped.append((rule.id, cut))
        line.text = rest.strip()
        doc.edits += 1
        if line.text:
            doc.hits[rule.id] += 1
        else:
            doc.remove(line, rule.id)
        return


def apply_rules(doc: Cleaned, rules: OutletRules) -> None:
    """Apply one rule file to ``doc`` in place."""
    limit = rules.max_line_chars
    slots = _Slots(rules, doc)
    for block in rules.drop_blocks:
        if block.start_slot in slots.present():
            _apply_block(doc, block, slots, limit)
    if rules.drop_lines and any(drop.slot in slots.present() for drop in rules.drop_lines):
        _apply_drops(doc, rules, slots, limit)
    if rules.inline_spans:
        _apply_spans(doc, rules)
    for strip in rules.strip_prefixes:
        if strip.slot in slots.present():
            _apply_strip(doc, strip, slots, prefix=True)
    for field_rule in rules.fields:
        if field_rule.slot in slots.present():
            _apply_field(doc, field_rule, slots, limit)
    for strip in rules.strip_suffixes:
        if strip.slot in slots.present():
            _apply_strip(doc, strip, slots, prefix=False)
    for heuristic in rules.heuristics:
        HEURISTICS[heuristic.name](doc, heuristic)
    if rules.versions:
        day = _article_day(doc)
        for version in rules.versions:
            if version.covers(day):
                apply_rules(doc, version.rules)


def _article_day(doc: Cleaned) -> date | None:
    """The article's publication day as known so far (for choosing template versions)."""
    raw = doc.known.get("published_at") or doc.field_values().get("published_at")
    if not raw:
        return None
    parsed = parse_date(raw, timezone(timedelta(hours=7)))
    return parsed.date() if parsed else None


def clean_lines(
    text: str, chain: Iterable[OutletRules], known: dict[str, str] | None = None
) -> Cleaned:
    """Split ``text`` into lines and apply each rule file of ``chain`` in turn.

    ``known`` holds fields already known from elsewhere (an HTML page's title): they are
    not captured again, but heuristics see them (a line repeating that title goes).
    """
    doc = Cleaned(split_lines(text), known=dict(known or {}))
    for rules in chain:
        apply_rules(doc, rules)
    return doc


def removed(doc: Cleaned) -> Iterator[Line]:
    """The lines a rule removed, in document order."""
    return (line for line in doc.lines if line.removed_by is not None)
