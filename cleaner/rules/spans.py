"""Inline spans: boilerplate cut out of the middle of a line (a page collapsed into one
line), each rule's pattern naming what goes in a group ``cut`` (the rest of a match is
context, such as the sentence end before the span).

:func:`cut_spans` cuts a rule file's spans out of one line until none of them matches,
so that cleaning the text again finds nothing more to cut; :mod:`cleaner.rules.apply`
calls it on every line where a span may occur, and again on lines a later rule cut.
"""

from __future__ import annotations

from cleaner.rules.compile import CompiledLine, OutletRules
from cleaner.rules.document import Cleaned, Line

_MAX_SPAN_ROUNDS = 16
"""Rounds of a file's span rules over one line, at most. A round after the first only
runs when the one before cut something, and every cut shortens the line, so this bound
only guards the time a pathological line could take; real lines settle in two."""


def cut_spans(doc: Cleaned, rules: OutletRules, line: Line) -> None:
    """Cut a file's inline spans out of ``line`` until none of its patterns matches.

    One cut can make another match: cutting a pager (``Halaman 1 2 3``) puts a credit
    tail right after a sentence end, where an earlier rule of the file would have cut
    it; cutting a copyright tail brings an earlier ``©`` within reach of the line's end.
    Cleaning the output again would make those cuts, so the rules go round again while
    a round cuts anything: the first pass leaves nothing a second would find.
    """
    for _ in range(_MAX_SPAN_ROUNDS):
        matched = rules.span_set.match(line.text)
        if not matched:
            return
        before = line.text
        for rule in rules.inline_spans:
            if line.removed_by is not None:
                return
            if rule.slot in matched and _cut_all(doc, rule, line) and line.removed_by is None:
                matched = rules.span_set.match(line.text)  # a cut can make or break a match
        if line.text == before:
            return


def _cut_all(doc: Cleaned, rule: CompiledLine, line: Line) -> bool:
    """Cut every match of one span rule out of ``line``; whether any was cut.

    After a cut the search starts over from the line's start, not from the cut: a
    pattern's context (a sentence end before the span, the line's end after it) may now
    hold where it did not, also before the cut (a tail that ran past the length a rule
    allows is within it once the text after it is gone).
    """
    cut_group = rule.pattern.groupindex.get("cut", 0)
    pos = 0
    cut = False
    while line.removed_by is None and (m := rule.pattern.search(line.text, pos)):
        start, end = m.start(cut_group), m.end(cut_group)
        if not line.text[start:end].strip():  # nothing to cut here (a cut of white space
            # would only be joined by a space again); look further on
            pos = m.end() + 1 if m.end() == m.start() else m.end()
            if pos > len(line.text):
                break
            continue
        fields = {k: v for k, v in m.groupdict().items() if k != "cut"}
        doc.capture(fields, rule.id, line)
        doc.cut(line, start, end, rule.id)
        cut, pos = True, 0
    return cut
