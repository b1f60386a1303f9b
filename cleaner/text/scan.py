"""One pass over an article's words for its quality signals (:mod:`cleaner.text.signals`).

The signals count, over every word, stopwords, words without a letter, characters, and
how often the most frequent word 2-, 3- and 4-gram occurs. That scan is the costliest
part of measuring a document, so it has a compiled twin, ``cleaner.text._scan`` (Cython,
built when the project is installed: see ``hatch_build.py``), which maps each word to an
integer once and counts n-grams as integer keys. :func:`scan_python` here is the
reference: both give the same numbers for every input (``tests/text/test_scan.py``
holds them to it, on generated word lists and the real corpora), so a record never
depends on whether the compiled core was built.
"""

from __future__ import annotations

import itertools
import os
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

Scan = tuple[int, int, int, list[tuple[int, int]]]
"""Stopwords, words without a letter, characters of the words, and for n = 2, 3, …:
``(top, first)``, the count of the most frequent n-gram and where it first starts,
listed until an n stops repeating."""

STOPWORD = 1
"""A word's class bit: on the stoplist (punctuation stripped, lower-cased)."""
LETTERLESS = 2
"""A word's class bit: holds no letter (a number, a dash)."""

PURE_PYTHON_ENV = "CLEANER_PURE_PYTHON"
"""Set to 1 to run the pure-Python scan although the compiled one is built (to compare
them, or to rule the compiled core out when something looks wrong)."""


def scan_python(words: list[str], classes: Mapping[str, int], last_n: int) -> Scan:
    """The reference scan: ``classes`` gives a word's class bits (a memo that fills
    itself in, :class:`cleaner.text.signals.TokenMemo`), asked once per distinct word.

    An n-gram can repeat only where the (n-1)-gram it starts with repeats, so after the
    bigrams only those few places are looked at.
    """
    n_stop = n_letterless = 0
    for word, count in Counter(words).items():
        kind = classes[word]
        n_stop += count if kind & STOPWORD else 0
        n_letterless += count if kind & LETTERLESS else 0
    found: list[tuple[int, int]] = []
    starts: Sequence[int] = ()
    for n in range(2, last_n + 1):
        if n == 2:  # every place: zip and count in C
            starts = range(max(len(words) - 1, 0))
            grams: list[tuple[str, ...]] = list(itertools.pairwise(words))
        else:
            starts = [i for i in starts if i + n <= len(words)]
            grams = [tuple(words[i : i + n]) for i in starts]
        counts = Counter(grams)
        top = max(counts.values(), default=0)
        if top < 2:
            break
        found.append((top, starts[grams.index(next(g for g in grams if counts[g] == top))]))
        repeated = list(map((1).__lt__, map(counts.__getitem__, grams)))
        starts = list(itertools.compress(starts, repeated))
    return n_stop, n_letterless, sum(map(len, words)), found


ScanFunction = Callable[[list[str], Mapping[str, int], int], Scan]


def _compiled() -> ScanFunction | None:
    if os.environ.get(PURE_PYTHON_ENV, "") not in ("", "0"):
        return None
    try:
        from cleaner.text._scan import scan as compiled
    except ImportError:  # not built (no C compiler at install): the reference serves
        return None
    return compiled


COMPILED: ScanFunction | None = _compiled()
"""The compiled scan, or ``None`` when it was not built (or is switched off)."""

scan: ScanFunction = COMPILED or scan_python
"""The scan :func:`cleaner.text.signals.measure` uses."""
