"""Heuristics: mechanisms the rule files can name but not express as one regular
expression.

They are listed under ``heuristics:`` in a rule file, by name, so that rule files stay
the place where behaviour is switched on and tuned. Each drops lines by what the
document says about itself (a line that repeats the title), by the shape of the lines
around them (a list of related headlines with their dates, in the spirit of jusText's
context-sensitive classification), or cuts boilerplate out of a line whose extent no
regular expression can find (a related headline inside a collapsed page).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import get_args

from cleaner.rules.compile import CompiledHeuristic
from cleaner.rules.document import Cleaned, Line
from cleaner.rules.lines import SMALL_WORDS, is_dated_words, is_sentence, is_title_cased, word_core
from cleaner.rules.schema import HeuristicName

_FOLD = re.compile(r"\W+")


def _fold(text: str) -> str:
    return _FOLD.sub(" ", text).strip().casefold()


def title_echo(doc: Cleaned, rule: CompiledHeuristic) -> None:
    """Remove lines that repeat the title, whole or cut short with an ellipsis.

    Pages often print the title twice (in a breadcrumb, or truncated above the photo:
    ``Meski Sekutu Rusia,...``). Once the title is a field, those copies are noise.
    """
    title = doc.fields["title"].value if "title" in doc.fields else doc.known.get("title")
    if not title:
        return
    folded_title = _fold(title)
    head = folded_title.split(" ", 1)[0]
    for line in doc.kept:
        text = line.text
        if len(text) > 2 * len(title) + 10:
            continue  # a paragraph, not a copy of the title
        if text.endswith(("...", "…")):
            stem = _fold(text.rstrip(".… "))
            if (len(stem) >= 8 and folded_title.startswith(stem)) or stem == folded_title:
                doc.remove(line, rule.id)
        elif head in text.casefold() and _fold(text) == folded_title:
            doc.remove(line, rule.id)


def _shape(text: str) -> tuple[bool, bool]:
    """``(list-like, dated)`` for one line: a list item's shape (dated, Title Cased, or
    a word or two) and not a sentence; and whether it carries a date.

    The cheap tests go first: most lines of an article are longer than any list item,
    or end in a full stop, which rules out Title Case at once; the stopword count only
    runs on what is left.
    """
    if len(text) > 250:  # longer than any headline, dated item or one-word line
        return False, False
    words = text.split()
    dated = is_dated_words(text, words)
    if len(words) <= 2:
        return True, dated  # too short to be a sentence
    if not (dated or is_title_cased(text)):
        return False, False
    return not is_sentence(text), dated


def link_lists(doc: Cleaned, rule: CompiledHeuristic) -> None:
    """Remove lists of related or latest stories: runs of three or more headline-shaped
    or dated lines holding at least two dates, wherever they sit.

    A line alone is never judged by its shape: a short quote (“Tidak.”) or a subheading
    between paragraphs stays. A run qualifies only by the dates in it, which a list of
    stories has and an article's own subheadings do not. Once the lists are gone, a
    lone paragraph or two stranded between two removed lists, much smaller than the
    body, is the teaser of another story and goes too.
    """
    kept = doc.kept
    shapes = [_shape(line.text) for line in kept]
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(kept):
        if not shapes[i][0]:
            i += 1
            continue
        j = i
        while j + 1 < len(kept) and shapes[j + 1][0]:
            j += 1
        dated = sum(1 for k in range(i, j + 1) if shapes[k][1])
        if j - i + 1 >= 3 and dated >= 2:
            runs.append((i, j))
        i = j + 1
    if not runs:
        return
    for start, end in runs:
        for line in kept[start : end + 1]:
            doc.remove(line, rule.id)
    segments = [(a[1] + 1, b[0] - 1) for a, b in itertools.pairwise(runs)]
    body = max(
        (
            _chars(kept, a, b)
            for a, b in [(0, runs[0][0] - 1), *segments, (runs[-1][1] + 1, len(kept) - 1)]
        ),
        default=0,
    )
    for a, b in segments:
        if 0 < b - a + 1 <= 2 and _chars(kept, a, b) * 3 < body:
            for line in kept[a : b + 1]:
                doc.remove(line, rule.id)


def _chars(lines: list[Line], first: int, last: int) -> int:
    return sum(len(line.text) for line in lines[first : last + 1])


# --- related headlines inside a line -----------------------------------------------------


def inline_related_links(doc: Cleaned, rule: CompiledHeuristic) -> None:
    """Cut ``<marker> <Headline In Title Case>`` out of the middle of a line.

    A page collapsed into one line leaves ``... di Google Play. Baca Juga : Nggak Cuma
    Sibuk Bermedsos, Warganet Doyan Jajan Aplikasi di Google Play Fintech (teknologi
    finansial) memiliki ...``. The marker is the rule's ``pattern``; the headline runs
    over capitalised words (and the small words headlines keep in lower case) and ends
    at ``?`` or ``!``, or where a capitalised word is followed by an ordinary lower-case
    word, which starts the next sentence (see :func:`_headline_end`).
    """
    if rule.pattern is None:
        return
    view = doc.view()
    if rule.document_filter is not None and not rule.document_filter.candidates(view.data):
        return
    lines = view.lines_matching(rule.locator) if rule.locator is not None else doc.kept
    for line in lines:
        cut_related_links(doc, rule, line)


def cut_related_links(doc: Cleaned, rule: CompiledHeuristic, line: Line) -> None:
    """:func:`inline_related_links` on one line, until no marker it can cut is left.

    A marker passed over because its headline showed no end may show one once a cut
    after it has changed the words it looked at (the line now ends there), and cleaning
    the text again would cut it. So after a cut the search goes back to the markers
    passed over that close before it: those within :data:`_REACH` words, as far as a
    headline is ever read.
    """
    if rule.pattern is None:
        return
    pos = 0
    passed: list[int] = []  # where markers passed over start, before ``pos``
    while line.removed_by is None and (m := rule.pattern.search(line.text, pos)):
        text = line.text
        end = _headline_end(text, m.end())
        if text[m.start() : m.end()].rstrip().endswith(":") and (
            end is None or text[end:].lstrip()[:1].islower()
        ):
            # No Title-Case run, or one a lower-case word broke: a sentence-case
            # headline ("Baca juga: Tim Garuda taklukkan Macan Putih ...").
            end = _sentence_case_end(text, m.end()) or end
        if end is None:
            passed.append(m.start())
            pos = m.end()
            continue
        start = pos = m.start()
        doc.cut(line, start, end, rule.id)
        while passed and len(line.text[passed[-1] : start].split()) <= _REACH:
            pos = passed.pop()  # the text before the cut kept its offsets


_MAX_HEADLINE_WORDS = 60
"""Words a run of related headlines may hold after its last marker. Prose has no runs of
as many capitalised words; a list of three or four headlines has."""
_MARKER_WORDS = frozenset({"baca", "simak", "lihat"})
_ALSO = frozenset({"juga", "pula"})
_LIST_NUMBER = re.compile(r"\d{1,2}[.)]")


_WORD = re.compile(r"\S+")


class _Spans:
    """The words of ``text`` from ``start`` on, as ``(start, end)``, found as they are
    asked for: a headline ends within a few dozen words, and a page collapsed into one
    line holds thousands after it."""

    def __init__(self, text: str, start: int) -> None:
        self._found = _WORD.finditer(text, start)
        self._spans: list[tuple[int, int]] = []

    def at(self, i: int) -> tuple[int, int] | None:
        """The ``i``-th word's span, or ``None`` past the last word."""
        while len(self._spans) <= i:
            match = next(self._found, None)
            if match is None:
                return None
            self._spans.append(match.span())
        return self._spans[i]

    def end_of(self, i: int) -> int:
        """Where the ``i``-th word (one already read) ends."""
        return self._spans[i][1]


def _headline_end(text: str, start: int) -> int | None:
    """Where a run of Title-Case headlines beginning at ``start`` ends, or ``None``.

    The run goes on across further markers (``... UMKM Baca Juga KPPU Ingatkan ...``)
    and ends at ``?`` or ``!``, before an ordinary lower-case word, where a capitalised
    word is followed by one (the next sentence starts), or at the end of the line (a
    list closing a collapsed page). More than :data:`_MAX_HEADLINE_WORDS` capitalised
    words since the last marker is not a headline: nothing is cut.
    """
    spans = _Spans(text, start)  # read as far as the run goes, not to the end of the line
    words = 0  # of the current headline, since the last marker
    skip = False
    for i in itertools.count():
        if (span := spans.at(i)) is None:
            break
        a, b = span
        if skip:
            skip = False
            continue
        word = text[a:b]
        core = word_core(word)
        if not core:
            continue
        lower = core.lower()
        if lower in _MARKER_WORDS and (after := spans.at(i + 1)) is not None:
            following = word_core(text[after[0] : after[1]]).lower()
            if following in _ALSO:  # another "Baca juga": the run goes on
                words, skip = 0, True
                continue
        if not (core[0].isupper() or core[0].isdigit() or lower in SMALL_WORDS):
            return spans.end_of(i - 1) if words >= 2 else None  # a lower-case word: prose
        if words >= 2 and _LIST_NUMBER.fullmatch(word):
            return a  # "1." opens a numbered item of the article
        if words >= 2 and core[0].isupper() and (after := spans.at(i + 1)) is not None:
            following = word_core(text[after[0] : after[1]])
            if following and following[0].islower() and following.lower() not in SMALL_WORDS:
                return a  # "Fintech (teknologi": the next sentence starts here
        if word.endswith(("?", "!")) and words >= 1:
            return b
        words += 1
        if words > _MAX_HEADLINE_WORDS:
            return None
    return len(text) if words >= 2 else None


_MAX_SENTENCE_CASE_WORDS = 20

_REACH = _MAX_HEADLINE_WORDS + 5
"""Words after a marker's start that deciding on its headline may read: the marker (up
to three words), the headline's words and the one after them."""


def _sentence_case_end(text: str, start: int) -> int | None:
    """Where a headline in sentence case (``Baca juga: Rans taklukkan Pelita Jaya di
    kandang``), after a marker with a colon, ends: before the next marker, at ``?`` or
    ``!``, or where a capitalised word between two lower-case ones starts the next
    sentence (``... perpanjang kemenangan Klub yang bermarkas``); at the end of the line
    when it comes first. A proper name after a lower-case word (``taklukkan Pelita
    Jaya``) is followed by another capital, so it does not end the headline. ``None``
    when no end shows within :data:`_MAX_SENTENCE_CASE_WORDS` words.
    """
    # the words that can decide, and one more to tell a longer run: not the whole line
    found = itertools.islice(_WORD.finditer(text, start), _MAX_SENTENCE_CASE_WORDS + 2)
    spans = [m.span() for m in found]
    cores = [word_core(text[a:b]) for a, b in spans]
    for i, (a, b) in enumerate(spans[: _MAX_SENTENCE_CASE_WORDS + 1]):
        core = cores[i]
        if not core:
            continue
        following = cores[i + 1] if i + 1 < len(spans) else ""
        if i >= 1 and core.lower() in _MARKER_WORDS and following.lower() in _ALSO:
            return a  # the next related link: it is cut on its own
        if (
            i >= 2
            and core[0].isupper()
            and cores[i - 1][:1].islower()
            and not text[spans[i - 1][0] : spans[i - 1][1]].endswith((",", ";", ":"))
            and following[:1].islower()
        ):
            return a
        if i >= 2 and text[a:b].endswith(("?", "!")):
            return b
        if text[a:b].endswith(".") and not core[-1:].isdigit():
            return None  # a sentence ("Baca juga: semua dokumen ... rapat."), not a headline
    return len(text) if 2 <= len(spans) <= _MAX_SENTENCE_CASE_WORDS else None


Heuristic = Callable[[Cleaned, CompiledHeuristic], None]

HEURISTICS: dict[HeuristicName, Heuristic] = {
    "title-echo": title_echo,
    "link-lists": link_lists,
    "inline-related-links": inline_related_links,
}
assert tuple(HEURISTICS) == get_args(HeuristicName)

LineHeuristic = Callable[[Cleaned, CompiledHeuristic, Line], None]

LINE_HEURISTICS: dict[HeuristicName, LineHeuristic] = {
    "inline-related-links": cut_related_links,
}
"""The heuristics that judge a line by itself alone, as a function of one line: when a
later rule cuts a line, :func:`cleaner.rules.apply.settle` runs them on it again.
(The others weigh a line against its neighbours or the title, and run once.)"""
