"""Stage 2: bytes to clean Unicode text.

``decode`` turns the bytes a crawler stored into text: a byte-order mark decides first
(UTF-8, UTF-16, UTF-32), then strict UTF-8, and only then charset-normalizer's guess.
``normalize`` repairs that text with ftfy under an explicit configuration, removes the
characters that are never content (NUL and other controls, zero-width spaces, soft
hyphens), unifies line endings and spaces, and puts it in Unicode NFC.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import ftfy
from charset_normalizer import from_bytes

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


_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in _TEXT_CONTROLS) + b"\x7f"
_MAX_NON_ASCII_FOR_CP1252 = 0.10
_HIGH_RUN = re.compile(rb"[\x80-\xff]{3,}")


def decode(data: bytes) -> tuple[str, str]:
    """Decode ``data``; returns the text and the name of the encoding used.

    The order is chosen for Indonesian news: a byte-order mark; strict UTF-8; then,
    for text that is mostly ASCII, Windows-1252 (the legacy encoding of Indonesian sites,
    and what browsers use for pages labelled ISO-8859-1), because charset-normalizer's
    guesses among single-byte Latin code pages are unreliable on short, mostly-ASCII
    text (so is its guess for "Café – Menu"); and only then charset-normalizer. Bytes
    with NULs or many control characters are binary, not text.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {encoding} byte-order mark but {exc}") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\0" in sample or controls > len(sample) * 0.01:
        raise DecodeError("binary data: holds NUL or other control bytes")
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
_DELETE = str.maketrans(dict.fromkeys(_INVISIBLE + _CONTROLS))
# Every kind of horizontal space becomes one ASCII space: NBSP, the typographic spaces,
# narrow NBSP, ideographic space, tab.
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# Line breaks ftfy leaves (or all of them, when fix_line_breaks is off). NEL (U+0085) is
# not among them: in scraped text it is nearly always a Windows-1252 "…" that ftfy's
# fix_c1_controls restores, or the last byte of mojibake that ftfy repairs.
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c]")


def normalize(text: str, repair: RepairConfig, fixer: ftfy.TextFixerConfig | None = None) -> str:
    """Repaired, normalized text: one paragraph a line, no trailing spaces.

    ``fixer`` is ``repair.to_ftfy()``, passed in by callers that normalize many texts so
    it is built once.
    """
    text = ftfy.fix_text(text, fixer or repair.to_ftfy())
    text = _LINE_BREAKS.sub("\n", text)
    text = text.translate(_DELETE)
    if repair.normalization and not unicodedata.is_normalized(repair.normalization, text):
        text = unicodedata.normalize(repair.normalization, text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines)
