"""Stage 2: bytes to clean Unicode text.

``decode`` turns the bytes a crawler stored into text: a byte-order mark decides first
(UTF-8, UTF-16, UTF-32), then strict UTF-8, and only then charset-normalizer's guess.
``normalize`` repairs that text with ftfy under an explicit configuration, removes the
characters that are never content (NUL and other controls, zero-width spaces, soft
hyphens), unifies line endings and spaces, and puts it in Unicode NFC.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import ftfy
import re2
from charset_normalizer import from_bytes
from ftfy.badness import BADNESS_RE, MOJIBAKE_CATEGORIES, is_bad
from ftfy.chardata import (
    CONTROL_CHARS,
    DOUBLE_QUOTE_RE,
    HTML_ENTITY_RE,
    LIGATURES,
    SINGLE_QUOTE_RE,
    WIDTH_MAP,
)
from ftfy.fixes import unescape_html

from cleaner.config import RepairConfig

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can tell."""


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when most odd (or even) bytes are zero, as in Latin text."""
    pairs = len(sample) // 2
    if pairs < 4:
        return None
    if sample[1::2].count(0) > pairs * 0.6 and sample[0::2].count(0) < pairs * 0.1:
        return "utf-16-le"
    if sample[0::2].count(0) > pairs * 0.6 and sample[1::2].count(0) < pairs * 0.1:
        return "utf-16-be"
    return None


_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c")
_CONTROL_BYTES = bytes(b for b in range(1, 32) if b not in _TEXT_CONTROLS) + b"\x7f"
_MAX_CONTROLS = 0.01
"""Control bytes other than NUL (and tab, line feed, carriage return, form feed) above
this share of the sample make bytes binary: images and archives are full of them."""
_MAX_NULS = 0.10
"""NUL bytes above this share make bytes binary (UTF-16 is told apart before); below it
they are stray NULs in text, which normalization removes."""
_MAX_NON_ASCII_FOR_CP1252 = 0.10
_HIGH_RUN = re.compile(rb"[\x80-\xff]{3,}")
_ESCAPED = re.compile("[\udc80-\udcff]")
_MAX_REPLACED = 8
_MAX_REPLACED_SHARE = 0.01


def decode_mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """``data`` as UTF-8 with its few invalid bytes replaced by U+FFFD, when it is UTF-8
    but for them; ``None`` otherwise (strict UTF-8 is tried first, elsewhere).

    Mostly UTF-8 means: it holds valid multi-byte sequences, at least as many as invalid
    bytes, and the invalid bytes are few (at most 8, or under 1 % of the non-ASCII
    bytes). A stray ``\xff`` or a Windows-1252 ``\xe9`` in a UTF-8 page then costs one
    character, not the whole page (another codec would turn every “ into mojibake);
    Windows-1252 text, which has no valid multi-byte sequences, is never taken for it.
    The encoding's name says how many bytes were replaced: ``utf-8 (2 bytes replaced)``.
    """
    escaped = data.decode("utf-8", "surrogateescape")  # an invalid byte → one surrogate
    bad = len(escaped) - len(_ESCAPED.sub("", escaped))
    multibyte = len(escaped) - len(escaped.encode("ascii", "ignore")) - bad
    non_ascii_bytes = len(data.translate(None, _ASCII_BYTES))
    few = bad <= _MAX_REPLACED or bad < _MAX_REPLACED_SHARE * non_ascii_bytes
    if not (0 < bad <= multibyte and few):
        return None
    text = _ESCAPED.sub("\ufffd", escaped)
    return text, f"utf-8 ({bad} byte{'s' if bad > 1 else ''} replaced)"


def decode(data: bytes) -> tuple[str, str]:
    """Decode ``data``; returns the text and the name of the encoding used.

    The order is chosen for Indonesian news: a byte-order mark; strict UTF-8; UTF-8 but
    for a few invalid bytes, which are replaced (:func:`decode_mostly_utf8`; the name
    then says how many, ``utf-8 (3 bytes replaced)``); then, for text that is mostly
    ASCII, Windows-1252 (the legacy encoding of Indonesian sites, and what browsers use
    for pages labelled ISO-8859-1), because charset-normalizer's guesses among
    single-byte Latin code pages are unreliable on short, mostly-ASCII text (so is its
    guess for "Café – Menu"); and only then charset-normalizer.

    UTF-16 without a byte-order mark is recognised by its zero bytes. Other bytes with
    more than 1% control bytes (NUL aside) or more than 10% NUL bytes are binary, not
    text; stray NULs in text are fine (normalization removes them).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {encoding} byte-order mark but {exc}") from exc
    sample = data[:65536]
    nuls = sample.count(0)
    if nuls and (utf16 := _utf16_without_bom(sample)):
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > len(sample) * _MAX_CONTROLS or nuls > len(sample) * _MAX_NULS:
        raise DecodeError("binary data: holds NUL or other control bytes")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if mostly := decode_mostly_utf8(data):
        return mostly
    non_ascii = len(sample) - len(sample.translate(None, bytes(range(128, 256))))
    # Latin text has its few non-ASCII bytes one at a time (an é, a “); multi-byte
    # encodings (GBK, Shift-JIS) come in runs, which Windows-1252 would turn to mush.
    if non_ascii <= len(sample) * _MAX_NON_ASCII_FOR_CP1252 or not _HIGH_RUN.search(sample):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError("not UTF-8, and charset-normalizer found no encoding that fits")
    return str(best), best.encoding


# Characters removed outright. Zero-width space, zero-width non-joiner, word joiner,
# a BOM inside the text, soft hyphen and the Mongolian vowel separator are invisible and
# only ever split words in scraped Indonesian text. The zero-width joiner (U+200D) stays:
# it builds emoji sequences.
_INVISIBLE = "\u200b\u200c\u2060\ufeff\u00ad\u180e"
# Control characters other than tab and newline (ftfy keeps some of them).
_CONTROLS = "".join(chr(c) for c in [*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)])
_DELETE_RE = re.compile(f"[{re.escape(_INVISIBLE + _CONTROLS)}]")
_ODD_SPACES = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\r\u2028\u2029"
_EDGE_SPACES = re.compile(r" ?\n ?")
# Every kind of horizontal space becomes one ASCII space: NBSP, the typographic spaces,
# narrow NBSP, ideographic space, tab.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# Line breaks ftfy leaves (or all of them, when fix_line_breaks is off). NEL (U+0085) is
# not among them: in scraped text it is nearly always a Windows-1252 "…" that ftfy's
# fix_c1_controls restores, or the last byte of mojibake that ftfy repairs.
_MAX_REPAIR_ROUNDS = 3
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c]")


def _char_class(codepoints: Iterable[int]) -> str:
    return "".join(re.escape(chr(c)) for c in sorted(set(codepoints)))


# Characters that one of ftfy's fixers (other than the mojibake repair) would change:
# C1 controls, ftfy's control characters, ligatures, full- and half-width forms,
# surrogates, the line breaks it unifies and terminal escapes.
_FTFY_TOUCHES = re.compile(
    "["
    + _char_class(
        [
            *range(0x80, 0xA0),
            *CONTROL_CHARS,
            *LIGATURES,
            *WIDTH_MAP,
            *range(0xD800, 0xE000),
            *map(ord, "\r\u2028\u2029\x1b"),
        ]
    )
    + "]"
)


# Every alternative of ftfy's mojibake detector (``badness.BADNESS_RE``) needs at least
# one character of these categories (or one of the few it names literally); the quotes,
# dashes and bullets Indonesian news is full of (its "start_punctuation",
# "end_punctuation" and "common" categories) never make a match on their own. Without
# one of these characters ``is_bad`` is false, and calling it costs more than the rest
# of cleaning a document.
_MOJIBAKE_CHARS = re.compile(
    "["
    + "".join(
        chars
        for name, chars in MOJIBAKE_CATEGORIES.items()
        if name not in {"start_punctuation", "end_punctuation", "common"}
    )
    + "ŒœÂÃÎÐ×ØÙà√≈‚Ä"
    + "]"
)


BAD_REACH = 8
"""How far from one of :data:`_MOJIBAKE_CHARS` a match of ftfy's detector can end: its
longest alternative is 7 characters (``ГўВЂВ.[A-Za-z ]``)."""
_BAD_SPOTS = 64
"""Past this many such characters one search over the whole text is cheaper."""


def looks_bad(text: str) -> bool:
    """ftfy's ``is_bad(text)``, with its detector run only around the characters every
    match needs (within :data:`BAD_REACH` of each), not along the whole text.

    A collapsed one-line page of 5,000 characters with one accented name costs ftfy's
    detector about half a millisecond; a few windows cost microseconds. ``search`` with
    bounds reads the text itself, so ``^`` still means its real start (a test holds the
    two to the same answers).
    """
    for spots, hit in enumerate(_MOJIBAKE_CHARS.finditer(text)):
        if spots == _BAD_SPOTS:
            return is_bad(text)
        at = hit.start()
        if BADNESS_RE.search(text, max(at - BAD_REACH, 0), at + BAD_REACH) is not None:
            return True
    return False


@dataclass(frozen=True, slots=True)
class _Scan:
    """What the screens look at, found in two byte-level passes: the characters that
    are not plain printable ASCII. Most of a news text is; the screens then read a
    few dozen characters instead of thousands."""

    data: bytes
    """The text in UTF-8 (lone surrogates kept), for byte-level searches."""
    non_ascii: str
    """The text's non-ASCII characters, in order."""
    controls: str
    """Its ASCII control characters other than the line feed."""

    @classmethod
    def of(cls, text: str) -> _Scan:
        data = text.encode("utf-8", "surrogatepass")
        # UTF-8 keeps every byte of a non-ASCII character above 0x7F, so deleting the
        # ASCII bytes leaves the other characters whole.
        non_ascii = data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
        controls = data.translate(None, _NOT_CONTROL_BYTES).decode("ascii")
        return cls(data, non_ascii, controls)


_ASCII_BYTES = bytes(range(128))
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if not (b < 32 or b == 127) or b == 10)


def needs_repair(text: str, repair: RepairConfig, scan: _Scan | None = None) -> bool:
    """Whether ftfy (under ``repair``) could change ``text``: a cheap screen.

    The costly part of ftfy, the mojibake repair, only acts on text its own ``is_bad``
    flags, and that needs characters that clean Indonesian text rarely has; every other
    fixer acts on characters listed in ftfy's tables. Text that trips none of those is
    returned unchanged by ftfy, so it skips the call (most text does).
    """
    scan = scan or _Scan.of(text)
    if _FTFY_TOUCHES.search(scan.non_ascii) or _FTFY_TOUCHES.search(scan.controls):
        return True
    if (
        repair.unescape_html is not False
        and "&" in text
        and ("<" not in text or repair.unescape_html is True)
        and HTML_ENTITY_RE.search(text)
    ):
        return True
    if not scan.non_ascii:
        return False
    if repair.normalization and not _is_normalized(repair.normalization, text, scan):
        return True  # ftfy normalizes first, which can make mojibake ("e\u0301™©" → "é™©")
    if repair.uncurl_quotes and (
        SINGLE_QUOTE_RE.search(scan.non_ascii) or DOUBLE_QUOTE_RE.search(scan.non_ascii)
    ):
        return True
    return _MOJIBAKE_CHARS.search(scan.non_ascii) is not None and looks_bad(text)


def _repair(text: str, repair: RepairConfig, fixer: ftfy.TextFixerConfig) -> str:
    """``ftfy.fix_text(text, fixer)``, run only on the lines that need it.

    ftfy fixes a text line by line, each line on its own, except that with
    ``unescape_html="auto"`` a line holding ``<`` turns unescaping off for the rest of
    the text; that is kept here. A document with one bad line pays for that line.
    """
    lines = text.split("\n")
    first_tag = text.find("<") if fixer.unescape_html == "auto" else -1
    offset = 0
    out: list[str] = []
    for i, line in enumerate(lines):
        end = offset + len(line) + 1
        # ftfy sees each line with its line break, which its detector reads too ("ÂŒ\n"
        # is mojibake to it, "ÂŒ" alone is not): the screen must see the same. Its
        # answer is taken whole: a repair may take the line break with it ("Ã©¿\n"
        # is one character to ftfy), and then the next line joins this one.
        segment = line if i == len(lines) - 1 else f"{line}\n"
        if needs_repair(segment, repair):
            config = fixer._replace(unescape_html=False) if 0 <= first_tag < end else fixer
            segment = _entities_only(segment, repair, config) or ftfy.fix_text(segment, config)
        out.append(segment)
        offset = end
    return "".join(out)


def _entities_only(segment: str, repair: RepairConfig, config: ftfy.TextFixerConfig) -> str | None:
    """``segment`` with its HTML entities unescaped, when that is all ``ftfy.fix_text``
    would do to it (``None`` otherwise): the commonest defect of scraped text, and the
    whole of ftfy costs a long line about a millisecond.

    ftfy unescapes first and repeats its fixers until nothing changes; so when the
    unescaped text holds no entity and the screen finds nothing else ftfy could change
    in it, ftfy's answer is that text (a test compares the two on generated lines).
    """
    if (
        config.unescape_html is False
        or (config.unescape_html == "auto" and "<" in segment)
        or len(segment) > config.max_decode_length
    ):
        return None
    unescaped = unescape_html(segment)
    if unescaped == segment or HTML_ENTITY_RE.search(unescaped):
        return None
    return None if needs_repair(unescaped, repair) else unescaped


# Anything `_tidy` would change: a character it removes or replaces, or a space it
# squeezes; matched on the text's UTF-8 bytes, in one linear pass.
_NEEDS_TIDY = re2.compile(r"  | \n|\n |\A | \z")
_TIDY_CHARS = re.compile(f"[{re.escape(_INVISIBLE + _CONTROLS)}{_ODD_SPACES}]")


def _tidy(text: str, scan: _Scan | None = None) -> str:
    """Remove invisible and control characters, unify line breaks and spaces.

    This runs on every document, so it first asks (on the scan, and with one pass over
    the bytes for runs of spaces) whether there is anything to do; most texts need
    nothing.
    """
    scan = scan or _Scan.of(text)
    if not (scan.controls or _TIDY_CHARS.search(scan.non_ascii) or _NEEDS_TIDY.search(scan.data)):
        return text
    text = _LINE_BREAKS.sub("\n", _DELETE_RE.sub("", text))
    text = _EDGE_SPACES.sub("\n", _SPACES.sub(" ", text))
    return text.strip(" ")


def may_interact(chars: str) -> bool:
    """Whether a normal form could merge or reorder one of ``chars`` with the character
    before it: only combining marks (category M) and Hangul jamo do (a test checks this
    against Unicode's whole composition table)."""
    return any(unicodedata.category(c)[0] == "M" or "\u1100" <= c <= "\u11ff" for c in chars)


def _is_normalized(form: Literal["NFC", "NFKC", "NFD", "NFKD"], text: str, scan: _Scan) -> bool:
    """``unicodedata.is_normalized``, answered from the non-ASCII characters alone when
    they cannot interact with their neighbours (ASCII is in every normal form)."""
    if not scan.non_ascii:
        return True
    if len(scan.non_ascii) <= 256 and not may_interact(scan.non_ascii):
        return unicodedata.is_normalized(form, scan.non_ascii)
    return unicodedata.is_normalized(form, text)


def normalize(text: str, repair: RepairConfig, fixer: ftfy.TextFixerConfig | None = None) -> str:
    """Repaired, normalized text: one paragraph a line, no trailing spaces.

    ``fixer`` is ``repair.to_ftfy()``, passed in by callers that normalize many texts so
    it is built once. ftfy runs only on the lines :func:`needs_repair` says it could
    change; since removing a stray control character or space can bring mojibake
    together ("\x81ƒÜ" → "ƒÜ" → "Ć"), the screen and repair repeat (at most three
    times) until the text is stable, so cleaning a cleaned text changes nothing.
    """
    fixer = fixer or repair.to_ftfy()
    scan = _Scan.of(text)
    if needs_repair(text, repair, scan):
        text = _repair(text, repair, fixer)
        scan = _Scan.of(text)
    tidied = _tidy(text, scan)
    if tidied is not text:
        text, scan = tidied, _Scan.of(tidied)
    for _ in range(_MAX_REPAIR_ROUNDS - 1):
        if not needs_repair(text, repair, scan):
            break
        fixed = _tidy(_repair(text, repair, fixer))
        if fixed == text:
            break
        text, scan = fixed, _Scan.of(fixed)
    if repair.normalization and not _is_normalized(repair.normalization, text, scan):
        text = unicodedata.normalize(repair.normalization, text)
    return text


class NormalizedTexts:
    """Texts normalized once, kept so that a second pass over the same inputs takes them
    instead of normalizing again.

    A run that learns reads every input twice (:func:`cleaner.engines.run.learn_repeats`,
    then the cleaning), and both passes normalize each text. For most texts that is a
    few screens that find nothing to change; the few that need repair (mojibake, HTML
    entities) pay for ftfy, on the corpora here a tenth of the documents and most of
    the time normalizing takes. The learning pass keeps those (:meth:`keep`: only texts
    normalizing changed), up to ``budget`` bytes; the cleaning pass looks each text up
    (:meth:`get`) before normalizing it. Normalizing depends on the text and the run's
    configuration alone, so what comes back is what normalizing would give.

    The texts are kept as UTF-8 in one buffer, found by a BLAKE2b digest of the text as
    it was before normalizing; a text whose length no kept text had is ruled out
    without hashing. Pool workers forked after the learning pass read the one buffer
    without copying its pages (a dict of strings would be copied page by page, as each
    look-up writes a string's reference count).
    """

    ENTRY_BYTES = 200
    """What an entry holds besides its text (its key, its place, its slot in a dict),
    counted against the budget too: many short texts must not outgrow it."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._held = 0
        self._buffer = bytearray()
        self._where: dict[bytes, tuple[int, int]] = {}
        self._lengths: set[int] = set()

    def __len__(self) -> int:
        return len(self._where)

    @staticmethod
    def key(text: str) -> bytes:
        """The digest by which ``text`` (before normalizing) is kept."""
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()

    def keep(self, length: int, key: bytes, normalized: str) -> None:
        """Keep ``normalized``, the text of ``length`` characters and :meth:`key` ``key``
        normalized, unless that would go over the budget."""
        data = normalized.encode("utf-8", "surrogatepass")
        if key in self._where or self._held + len(data) + self.ENTRY_BYTES > self.budget:
            return
        self._held += len(data) + self.ENTRY_BYTES
        self._where[key] = (len(self._buffer), len(data))
        self._buffer += data
        self._lengths.add(length)

    def get(self, text: str) -> str | None:
        """``text`` normalized, if it was kept."""
        if len(text) not in self._lengths:
            return None
        found = self._where.get(self.key(text))
        if found is None:
            return None
        start, size = found
        return self._buffer[start : start + size].decode("utf-8", "surrogatepass")
