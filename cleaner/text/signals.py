"""Document-level quality signals, and the optional filter on them (``--quality``).

Every article carries the numbers that corpus builders filter on, measured on its
cleaned text the way datatrove's Gopher and FineWeb filters measure them, so a user can
choose thresholds after the fact with jq or DuckDB. ``--quality`` applies FineWeb-2's
published settings for Indonesian (``configs/ind_Latn.yml`` of huggingface/fineweb-2)
and sends a document that fails one to the rejects, naming the signal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pydantic import BaseModel

from cleaner.config import QualityConfig
from cleaner.models import Signals
from cleaner.text import scan
from cleaner.text.language import Language
from cleaner.text.language import stopwords as indonesian_stopwords
from cleaner.text.scan import LETTERLESS, STOPWORD

TOP_NGRAMS = (2, 3, 4)
"""The n of the top n-gram shares: consecutive from 2, as the scan counts them."""
_CLOSERS = "\"”’')]»"
_SENTENCE_ENDS = (".", "!", "?", "…", ":")
PUNCTUATION = "\"”“’‘'()[]«»,.;:!?…-–—/*•"
_LETTER = re.compile(r"[^\W\d_]")


class TokenMemo(dict[str, int]):
    """One question about a token, answered once per distinct token.

    News vocabulary repeats from article to article, so nearly every look-up is a hit.
    The memo is emptied when it reaches ``limit`` entries, which bounds its memory on a
    corpus of any size.
    """

    def __init__(self, question: Callable[[str], int], limit: int = 200_000) -> None:
        super().__init__()
        self.question = question
        self.limit = limit

    def __missing__(self, token: str) -> int:
        if len(self) >= self.limit:
            self.clear()
        answer = self[token] = self.question(token)
        return answer


def word_class(token: str) -> int:
    """A word's class bits for the scan: on the stoplist, without a letter."""
    stopword = token.lower().strip(PUNCTUATION) in indonesian_stopwords()
    letterless = not token.isalpha() and _LETTER.search(token) is None
    return (STOPWORD if stopword else 0) | (LETTERLESS if letterless else 0)


_CLASSES = TokenMemo(word_class)


def _top_ngram_shares(
    words: list[str], chars: int, found: Sequence[tuple[int, int]]
) -> dict[str, float]:
    """For each n of :data:`TOP_NGRAMS`: the characters covered by the most frequent
    word n-gram, counted at each occurrence, over the characters of the text, as
    datatrove's ``find_top_duplicate`` measures it, except that an n-gram seen once is
    no repetition and counts nothing (which matters only for texts too short for the
    word limit to keep). Ties go to the n-gram that occurs first. ``found``: the scan's
    ``(top, first)`` for each n that repeats."""
    shares = dict.fromkeys(map(str, TOP_NGRAMS), 0.0)
    for n, (top, first) in zip(TOP_NGRAMS, found, strict=False):
        shares[str(n)] = round((sum(map(len, words[first : first + n])) + n - 1) * top / chars, 4)
    return shares


def measure(text: str, words: list[str] | None = None) -> Signals:
    """The signals of one article's text (one paragraph a line); ``words`` is
    ``text.split()`` when the caller has it already."""
    words = text.split() if words is None else words
    lines = [line for line in text.split("\n") if line.strip()]
    chars = max(len(text), 1)
    n_words = max(len(words), 1)
    stop, letterless, word_chars, found = scan.scan(words, _CLASSES, TOP_NGRAMS[-1])
    punctuated = sum(1 for line in lines if line.rstrip(_CLOSERS + " ").endswith(_SENTENCE_ENDS))
    return Signals(
        stopword_ratio=round(stop / n_words, 4),
        duplicate_line_fraction=round(1 - len(set(lines)) / len(lines), 4) if lines else 0.0,
        top_ngram_share=_top_ngram_shares(words, chars, found),
        punctuated_line_share=round(punctuated / len(lines), 4) if lines else 0.0,
        mean_word_length=round(word_chars / n_words, 2),
        alpha_word_share=round(1 - letterless / n_words, 4),
        newline_ratio=round(text.count("\n") / n_words, 4),
    )


class Verdict(BaseModel):
    """Why the filter drops a document: the signal, and what it measured."""

    signal: str
    detail: str


def judge(
    text: str, word_count: int, language: Language, signals: Signals, config: QualityConfig
) -> Verdict | None:
    """The first threshold the document fails, or ``None`` to keep it."""

    def fails(signal: str, value: float, limit: float, *, low: bool) -> Verdict | None:
        if (value < limit) if low else (value > limit):
            side = "below" if low else "above"
            return Verdict(signal=signal, detail=f"{signal} {value:g} is {side} {limit:g}")
        return None

    if language.code not in config.languages:
        wanted = ", ".join(config.languages)
        return Verdict(signal="language", detail=f"language {language.code} is not {wanted}")
    stopwords = set(config.stopwords)
    checks = [
        fails("language_score", language.score, config.min_language_score, low=True),
        fails("word_count", word_count, config.min_words, low=True),
        fails("word_count", word_count, config.max_words, low=False),
        fails("mean_word_length", signals.mean_word_length, config.min_mean_word_length, low=True),
        fails("mean_word_length", signals.mean_word_length, config.max_mean_word_length, low=False),
        fails("alpha_word_share", signals.alpha_word_share, config.min_alpha_word_share, low=True),
        fails(
            "stopwords",
            sum(1 for word in text.lower().split() if word in stopwords),
            config.min_stopwords,
            low=True,
        ),
        fails(
            "duplicate_line_fraction",
            signals.duplicate_line_fraction,
            config.max_duplicate_line_fraction,
            low=False,
        ),
        *(
            fails(
                f"top_ngram_share.{n}", signals.top_ngram_share.get(str(n), 0.0), limit, low=False
            )
            for n, limit in config.max_top_ngram_share
        ),
        fails(
            "punctuated_line_share",
            signals.punctuated_line_share,
            config.min_punctuated_line_share,
            low=True,
        )
        if sum(1 for line in text.split("\n") if line.strip()) >= config.punctuation_min_lines
        else None,
        fails("newline_ratio", signals.newline_ratio, config.max_newline_ratio, low=False),
    ]
    return next((verdict for verdict in checks if verdict is not None), None)
