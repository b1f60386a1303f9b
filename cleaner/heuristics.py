"""Mechanisms the rule files can name but not express as one regular expression.

Two kinds live here, both referred to by name from YAML so that rule files stay the
place where behaviour is switched on and tuned:

* **line classes** (``headline``, ``timestamp``, ``number``) used by a block rule's
  ``run_of`` to say how far a most-read or latest-news list runs;
* **heuristics**, document-level checks listed under ``heuristics:`` that drop lines by
  what the document says about itself (for example a line that repeats the title).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleaner.apply import Cleaned
    from cleaner.rules import CompiledHeuristic

_DAY = r"(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad)"
_MONTH_WORD = r"[^\W\d_]{3,9}\.?"
_CLOCK = r"\d{1,2}[:.]\d{2}(?:\s*(?:WIB|WITA|WIT))?"
_TIMESTAMP = re.compile(
    rf"(?:{_DAY}\s*,?\s*)?(?:\d{{1,2}}\s+{_MONTH_WORD}\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})"
    rf"(?:\s*[|,-]?\s*{_CLOCK})?"
    rf"|{_CLOCK}"
    r"|\d+\s+(?:detik|menit|jam|hari|minggu|bulan|tahun)\s+(?:yang\s+)?lalu",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"#?\d{1,3}[.)]?")
_SENTENCE_END = (".", ":", ";", ",")


def is_timestamp(text: str) -> bool:
    """A line that is only a date, a time, or ``5 menit lalu``."""
    return _TIMESTAMP.fullmatch(text) is not None


def is_number(text: str) -> bool:
    """A list's item number standing alone: ``1``, ``2.``, ``#3``."""
    return _NUMBER.fullmatch(text) is not None


def is_headline(text: str) -> bool:
    """A line shaped like a linked headline: short and not ending like a sentence.

    Headlines of related or popular stories run 1 to 30 words and do not end with a full
    stop (an ellipsis is fine); a paragraph of the article almost always does.
    """
    if len(text) > 200 or (text.endswith(_SENTENCE_END) and not text.endswith("...")):
        return False
    return 1 <= len(text.split()) <= 30


LINE_CLASSES: dict[str, Callable[[str], bool]] = {
    "headline": is_headline,
    "timestamp": is_timestamp,
    "number": is_number,
}

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
    for line in doc.kept:
        text = line.text
        if _fold(text) == folded_title:
            doc.remove(line, rule.id)
        elif text.endswith(("...", "…")):
            stem = _fold(text.rstrip(".… "))
            if len(stem) >= 8 and folded_title.startswith(stem):
                doc.remove(line, rule.id)


Heuristic = Callable[["Cleaned", "CompiledHeuristic"], None]

HEURISTICS: dict[str, Heuristic] = {
    "title-echo": title_echo,
}
