"""Line classes: what a single line looks like (a headline, a timestamp, a list item's
number, a sentence of prose), judged from its text alone.

A block rule's ``run_of`` names them (:data:`LINE_CLASSES`) to say how far a
most-read or latest-news list runs; the heuristics build on them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import get_args

from cleaner.rules.schema import LineClass
from cleaner.text.language import stopword_density

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
    core = text.rstrip("”\"’')] ")
    if len(text) > 200 or (core.endswith(_SENTENCE_END) and not core.endswith("...")):
        return False
    return 1 <= len(text.split()) <= 30


def _title_case(text: str) -> bool:
    return is_title_cased(text)


LINE_CLASSES: dict[LineClass, Callable[[str], bool]] = {
    "headline": is_headline,
    "title_case": _title_case,
    "timestamp": is_timestamp,
    "number": is_number,
}
assert tuple(LINE_CLASSES) == get_args(LineClass)


_MONTHS = "jan|feb|peb|mar|apr|mei|may|jun|jul|agu|agt|ags|aug|sep|okt|oct|nov|nop|des|dec"
# A date or time inside a line: 5/11/2015, 5 November 2015, 09:32 WIB, 3 jam lalu. Every
# form starts with a digit, written first so that ``re`` skips ahead to the next digit
# (seven times faster on prose); ``(?<!\w\d)`` after it is ``\b`` before it.
_DATE_INSIDE = re.compile(
    r"\d(?:\d?[/.-]\d{1,2}[/.-]\d{2,4}"
    rf"|(?<!\w\d)\d?\s+(?:{_MONTHS})[a-z]*\.?\s+\d{{4}}"
    r"|(?<!\w\d)\d?[:.]\d{2}\s*(?:WIB|WITA|WIT)\b"
    r"|(?<!\w\d)\d*\s+(?:detik|menit|jam|hari)\s+(?:yang\s+)?lalu\b)",
    re.IGNORECASE,
)
# Words Indonesian headlines leave in lower case ("Pasar di Tengah Kota").
SMALL_WORDS = frozenset(
    [
        *("di", "ke", "dari", "dan", "atau", "yang", "untuk", "pada", "dengan", "dalam"),
        *("oleh", "bagi", "tentang", "hingga", "sampai", "serta", "pun", "per"),
        *("vs", "&", "-", "–", "—", "soal", "jadi", "usai", "jelang"),
    ]
)
_WORD_CORE = re.compile(r"^[\W_]*(.*?)[\W_]*$")


def word_core(word: str) -> str:
    m = _WORD_CORE.match(word)
    return m.group(1) if m else word


def is_dated_item(text: str) -> bool:
    """A short line that carries a date or time: a list item's timestamp, alone or glued
    to its headline ("02Kamis, 05/11/2015 09:32 WIB"), or a bare item number."""
    return is_dated_words(text, text.split())


def is_dated_words(text: str, words: list[str]) -> bool:
    if len(words) <= 3 and _NUMBER.fullmatch(text):
        return True
    return len(words) <= 16 and _DATE_INSIDE.search(text) is not None


def is_title_cased(text: str) -> bool:
    """Most words capitalised, as headlines are written, and no closing full stop."""
    core = text.rstrip("”\"’')] ")
    if core.endswith((".", ":", ";", ",")) and not core.endswith("..."):
        return False
    words = [w for w in (word_core(w) for w in text.split()) if w and w.lower() not in SMALL_WORDS]
    if not 1 <= len(words) <= 25:
        return False
    capitalised = sum(1 for w in words if w[0].isupper() or w[0].isdigit())
    return capitalised >= 0.6 * len(words)


def is_sentence(text: str) -> bool:
    """A line of running prose, as jusText would class it good: eight words or more,
    closed by sentence punctuation, a fair share of stopwords."""
    return (
        text.rstrip("”\"’')").endswith((".", "!", "?"))
        and len(text.split()) >= 8
        and stopword_density(text) >= 0.25
    )
