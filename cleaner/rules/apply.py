"""Stage 4: apply the rules to a document's lines (:mod:`cleaner.rules.document`).

The outlet's rules run first, then the generic ones, each file in the order of
:data:`~cleaner.rules.schema.SECTIONS`: ``drop_blocks``, ``drop_lines``,
``inline_spans``, ``strip_prefixes``, ``fields``, ``strip_suffixes``, ``heuristics``;
an outlet's template versions run right after its own rules. Then each file's line
rules look again at the lines a later rule cut (:func:`settle`), so that cleaning the
cleaned text again changes nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timezone

from cleaner.rules.compile import (
    CompiledBlock,
    CompiledField,
    CompiledLine,
    OutletRules,
    Window,
)
from cleaner.rules.document import Cleaned, Line, split_lines
from cleaner.rules.heuristics import HEURISTICS, LINE_HEURISTICS
from cleaner.rules.lines import LINE_CLASSES
from cleaner.rules.schema import SECTIONS, Section
from cleaner.rules.spans import cut_spans
from cleaner.text.dates import parse_date


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
    """Which lines each of a rule file's patterns matches.

    One search over the whole document finds the patterns present at all (most rules
    match nothing in most documents); the lines of a present pattern are then found
    with one more search, when a rule first asks. A line a rule has changed since is
    matched on its own.
    """

    def __init__(self, rules: OutletRules, doc: Cleaned) -> None:
        self._matcher = rules.lines
        self._doc = doc
        self._view = doc.view()
        self._base = rules.lines.in_document(self._view.data)
        self._where: dict[int, set[int]] = {}
        self._asked: dict[int, int] = {}
        self._start = len(doc.edited)
        self._changed: set[int] = set()
        self._present: frozenset[int] = self._base
        self._seen = doc.edits  # doc.edits when `_changed` and `_present` were computed

    def _refresh(self) -> None:
        doc = self._doc
        if self._seen == doc.edits:
            return
        self._seen = doc.edits
        changed = doc.edited[self._start :]
        self._changed = {id(line) for line in changed}
        present = set(self._base)
        for line in changed:
            if line.removed_by is None:
                present |= self._matcher.all.match(line.text)
        self._present = frozenset(present)

    def present(self) -> frozenset[int]:
        """Slots that may match some line still kept (a superset)."""
        self._refresh()
        return self._present

    def matches(self, slot: int, line: Line) -> bool:
        """Whether pattern ``slot`` matches ``line`` (its text as it is now).

        The first few lines asked about are matched one by one (a rule with a window
        asks about one or two); after that, all the pattern's lines are located in one
        pass.
        """
        if slot not in self.present():
            return False
        where = self._where.get(slot)
        if where is not None and id(line) not in self._changed:
            return id(line) in where
        if id(line) in self._changed or not self._matcher.locatable(slot):
            return self._matcher.match_line(slot, line.text)
        asked = self._asked.get(slot, 0)
        if asked < _ASK_BEFORE_LOCATING:
            self._asked[slot] = asked + 1
            return self._matcher.match_line(slot, line.text)
        where = self._where[slot] = self._locate(slot)
        return id(line) in where

    def hits(self, slot: int) -> list[Line] | None:
        """Every line pattern ``slot`` matches, in document order (kept or not), or
        ``None`` when its lines can only be found by asking about each."""
        if slot not in self.present():
            return []
        if not self._matcher.locatable(slot):
            return None
        where = self._where.get(slot)
        if where is None:
            where = self._where[slot] = self._locate(slot)
        changed = self._changed
        if not changed:
            return [line for line in self._view.lines if id(line) in where]
        return [
            line
            for line in self._view.lines
            if (
                self._matcher.match_line(slot, line.text)
                if id(line) in changed
                else id(line) in where
            )
        ]

    def _locate(self, slot: int) -> set[int]:
        view = self._view
        return {id(view.lines[i]) for i in self._matcher.locate(slot, view.data, view.starts)}


_ASK_BEFORE_LOCATING = 3


def _apply_block(doc: Cleaned, rule: CompiledBlock, slots: _Slots, limit: int | None) -> None:
    kept = doc.kept
    starts = slots.hits(rule.start_slot)
    if starts is not None and not starts:
        return
    candidates = {id(line) for line in _short(_in_window(kept, rule.window), limit)}
    if starts is not None:
        candidates &= {id(line) for line in starts}
    i = 0
    while i < len(kept):
        line = kept[i]
        if id(line) not in candidates or not slots.matches(rule.start_slot, line):
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
            if slots.matches(rule.end_slot, kept[j]):
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
    """Each rule in turn removes the kept lines it matches, so a line goes to the first
    rule (in file order) that matches it."""
    kept = doc.kept
    for drop in rules.drop_lines:
        hits = slots.hits(drop.slot)
        if hits is not None and not hits:
            continue
        window = None
        if drop.window != Window():
            window = {id(line) for line in _in_window(kept, drop.window)}
        for line in kept if hits is None else hits:
            if (
                line.removed_by is not None
                or (limit is not None and len(line.text) > limit)
                or (window is not None and id(line) not in window)
                or (hits is None and not slots.matches(drop.slot, line))
            ):
                continue
            doc.remove(line, drop.id)


def _apply_field(doc: Cleaned, rule: CompiledField, slots: _Slots, limit: int | None) -> None:
    if rule.if_missing and all(name in doc.fields for name in rule.names):
        return
    if rule.relative_to is not None:
        anchor = doc.anchors.get(rule.relative_to)
        if anchor is None:
            return
        candidates = _relative(doc.lines, anchor, rule.offset)
    elif rule.window == Window() and (hits := slots.hits(rule.slot)) is not None:
        candidates = [line for line in hits if line.removed_by is None]
    else:
        candidates = _in_window(doc.kept, rule.window)
    for line in candidates:
        if (limit is not None and len(line.text) > limit) or not slots.matches(rule.slot, line):
            continue
        m = rule.pattern.match(line.text)
        if m is None:  # the set and the pattern agree; this guards against surprises
            continue
        doc.capture(m.groupdict(), rule.id, line)
        doc.anchors.setdefault(rule.id, line.index)
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
    """Cut every occurrence of each inline span pattern out of the kept lines.

    When the prefilter says some span may occur, every kept line is matched against the
    file's span set (:func:`~cleaner.rules.spans.cut_spans` stops at once on a line
    where none does): one pass over the text in all. Locating each candidate's lines
    with a search over the whole document took about four passes a document on the
    corpora, three of them for the generic file's spans that hold no literal string,
    which a prefilter always lets through."""
    if not rules.span_document_set.candidates(doc.view().data):
        return
    for line in list(doc.kept):
        cut_spans(doc, rules, line)


def _apply_strip(doc: Cleaned, rule: CompiledLine, slots: _Slots, *, prefix: bool) -> None:
    window = _in_window(doc.kept, rule.window)
    for line in window if prefix else reversed(window):
        if not slots.matches(rule.slot, line):
            continue
        m = rule.pattern.match(line.text) if prefix else rule.pattern.search(line.text)
        if m is None or m.end() == m.start():
            continue
        doc.capture(m.groupdict(), rule.id, line)
        doc.anchors.setdefault(rule.id, line.index)
        doc.cut(line, m.start(), m.end(), rule.id)  # nothing is before a lead-in, after a tail
        return


def apply_rules(doc: Cleaned, rules: OutletRules, default_tz: timezone) -> None:
    """Apply one rule file to ``doc`` in place, section by section (:data:`SECTIONS`),
    then the template versions that cover the article's date (read in ``default_tz``
    when it names no zone)."""
    limit = rules.max_line_chars
    slots = _Slots(rules, doc)
    for section in SECTIONS:
        if getattr(rules, section):
            _APPLY[section](doc, rules, slots, limit)
    if rules.versions:
        day = _article_day(doc, default_tz)
        for version in rules.versions:
            if version.covers(day):
                apply_rules(doc, version.rules, default_tz)


def _apply_blocks(doc: Cleaned, rules: OutletRules, slots: _Slots, limit: int | None) -> None:
    for block in rules.drop_blocks:
        if block.start_slot in slots.present():
            _apply_block(doc, block, slots, limit)


def _apply_prefixes(
    doc: Cleaned, rules: OutletRules, slots: _Slots, limit: int | None, *, again: bool = False
) -> None:
    for strip in rules.strip_prefixes:
        if strip.slot in slots.present() and not (again and strip.id in doc.anchors):
            _apply_strip(doc, strip, slots, prefix=True)


def _apply_fields(
    doc: Cleaned, rules: OutletRules, slots: _Slots, limit: int | None, *, again: bool = False
) -> None:
    for field_rule in rules.fields:
        if field_rule.slot in slots.present() and not (again and field_rule.id in doc.anchors):
            _apply_field(doc, field_rule, slots, limit)


def _apply_suffixes(
    doc: Cleaned, rules: OutletRules, slots: _Slots, limit: int | None, *, again: bool = False
) -> None:
    for strip in rules.strip_suffixes:
        if strip.slot in slots.present() and not (again and strip.id in doc.anchors):
            _apply_strip(doc, strip, slots, prefix=False)


def _apply_heuristics(doc: Cleaned, rules: OutletRules, slots: _Slots, limit: int | None) -> None:
    before = len(doc.kept)
    for heuristic in rules.heuristics:
        HEURISTICS[heuristic.name](doc, heuristic)
    if len(doc.kept) < before:
        # Lines a heuristic removed (a list above the first paragraph) can bring a line
        # into a rule's window: the rules that found nothing look again, so cleaning a
        # cleaned text changes nothing.
        _apply_prefixes(doc, rules, slots, limit, again=True)
        _apply_fields(doc, rules, slots, limit, again=True)
        _apply_suffixes(doc, rules, slots, limit, again=True)


_Applier = Callable[[Cleaned, OutletRules, _Slots, "int | None"], None]
_APPLY: dict[Section, _Applier] = {
    "drop_blocks": _apply_blocks,
    "drop_lines": _apply_drops,
    "inline_spans": lambda doc, rules, slots, limit: _apply_spans(doc, rules),
    "strip_prefixes": _apply_prefixes,
    "fields": _apply_fields,
    "strip_suffixes": _apply_suffixes,
    "heuristics": _apply_heuristics,
}
assert tuple(_APPLY) == SECTIONS


def _article_day(doc: Cleaned, default_tz: timezone) -> date | None:
    """The article's publication day as known so far (for choosing template versions)."""
    raw = doc.known.get("published_at") or doc.field_values().get("published_at")
    if not raw:
        return None
    parsed = parse_date(raw, default_tz)
    return parsed.date() if parsed else None


def clean_lines(
    text: str,
    chain: Iterable[OutletRules],
    default_tz: timezone,
    known: dict[str, str] | None = None,
) -> Cleaned:
    """Split ``text`` into lines and apply each rule file of ``chain`` in turn;
    ``default_tz`` is the zone of a date that names none (the configuration's). Then
    :func:`settle` the lines a later rule cut.

    ``known`` holds fields already known from elsewhere (an HTML page's title): they are
    not captured again, but heuristics see them (a line repeating that title goes).
    """
    doc = Cleaned(split_lines(text), known=dict(known or {}))
    files = tuple(chain)
    since = []
    for rules in files:
        since.append(len(doc.edited))
        apply_rules(doc, rules, default_tz)
    settle(doc, files, default_tz, since)
    doc.settle = functools.partial(_settle_since, files=files, default_tz=default_tz)
    return doc


_MAX_SETTLE_ROUNDS = 4
"""Rounds of :func:`settle`, at most; each after the first only runs when the one before
removed or cut something. Real documents settle in one."""


def settle(
    doc: Cleaned, files: Sequence[OutletRules], default_tz: timezone, since: Sequence[int]
) -> None:
    """Run each rule file's line rules again over the lines cut after it ran
    (``doc.edited[since[i]:]`` for ``files[i]``), until they cut nothing more.

    Rule files run in turn, and a file's sections in turn, so a cut can make a match
    for a rule that has already run: the generic rules cut a related headline from the
    end of a line, and the copyright notice before it, which the lexicon's tail rule
    left because it did not reach the line's end, now ends the line; a learned sentence
    cut from a line's end does the same. Cleaning the output again would find those
    matches. So the rules that judge a line by itself (``drop_lines``, ``inline_spans``,
    the one-line heuristics) look again at every line cut after they ran, and when that
    removes or cuts anything, the strip and field rules that found nothing look again
    (as after a heuristic), so that cleaning a cleaned text changes nothing.
    """
    marks = list(since)
    for _ in range(_MAX_SETTLE_ROUNDS):
        end, state = len(doc.edited), (doc.edits, len(doc.kept))
        for rules, mark in zip(files, marks, strict=True):
            lines = list({id(line): line for line in doc.edited[mark:end]}.values())
            if lines:
                _recheck(doc, rules, lines, default_tz)
        if (doc.edits, len(doc.kept)) == state:
            return
        for rules in files:
            slots, limit = _Slots(rules, doc), rules.max_line_chars
            _apply_prefixes(doc, rules, slots, limit, again=True)
            _apply_fields(doc, rules, slots, limit, again=True)
            _apply_suffixes(doc, rules, slots, limit, again=True)
        marks = [end] * len(files)


def _settle_since(
    doc: Cleaned, since: int, *, files: Sequence[OutletRules], default_tz: timezone
) -> None:
    """:func:`settle` for the lines a later stage cut from ``doc.edited[since]`` on."""
    settle(doc, files, default_tz, [since] * len(files))


def _recheck(doc: Cleaned, rules: OutletRules, lines: list[Line], default_tz: timezone) -> None:
    """One rule file's ``drop_lines``, ``inline_spans`` and one-line heuristics on
    ``lines`` (and its template versions' that cover the article's date)."""
    limit = rules.max_line_chars
    windows: dict[str, set[int]] = {}
    line_heuristics = [
        (LINE_HEURISTICS[h.name], h) for h in rules.heuristics if h.name in LINE_HEURISTICS
    ]
    for line in lines:
        if line.removed_by is None and rules.drop_lines:
            _recheck_drops(doc, rules, line, limit, windows)
        if line.removed_by is None and rules.inline_spans:
            cut_spans(doc, rules, line)
        for heuristic, rule in line_heuristics:
            if line.removed_by is None:
                heuristic(doc, rule, line)
    if rules.versions:
        day = _article_day(doc, default_tz)
        for version in rules.versions:
            if version.covers(day):
                _recheck(doc, version.rules, lines, default_tz)


def _recheck_drops(
    doc: Cleaned, rules: OutletRules, line: Line, limit: int | None, windows: dict[str, set[int]]
) -> None:
    """The first of a file's ``drop_lines`` that matches ``line`` as it is now removes it."""
    if limit is not None and len(line.text) > limit:
        return
    present = rules.lines.all.match(line.text)
    for drop in rules.drop_lines:
        if drop.slot not in present or not rules.lines.match_line(drop.slot, line.text):
            continue
        if drop.window != Window():
            if drop.id not in windows:
                windows[drop.id] = {id(k) for k in _in_window(doc.kept, drop.window)}
            if id(line) not in windows[drop.id]:
                continue
        doc.remove(line, drop.id)
        return
