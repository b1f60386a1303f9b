"""Boilerplate learned from a corpus: the segments a site repeats across its documents.

Hand-written rules catch what a person has seen; a site's own repetition catches the
rest (a promo line, a footer, a share bar), the way CCNet and other web-corpus pipelines
remove lines that recur across many pages of one site. :mod:`cleaner.engines.learn`
counts them over a corpus; this module holds what it learns and how a line is matched:

* :func:`segments`: the units counted. A line of up to :data:`LINE_SEGMENT_CHARS`
  characters is one unit; a longer one (a page collapsed into one line, where the
  boilerplate sits inline) is cut into sentences.
* :func:`segment_key`: a 64-bit key of a unit's normalized form (case, digits and
  punctuation ignored, so ``© 2024`` and ``© 2025`` are one key), the same in every
  process and run.
* :func:`site_of`: which site a document belongs to.
* :class:`SiteRepeats`: the learned table; :func:`repeat_cuts`: what it cuts from a line.

Nothing here reads inputs; the table is read from and written to a file of its own.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import numpy as np
import orjson
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cleaner.errors import CleanerError
from cleaner.rules.document import Cleaned

LINE_SEGMENT_CHARS = 400
"""A line up to this long is one segment: a paragraph, or a line of a page's furniture.
A longer line is a page collapsed into one line (or a long paragraph), cut into
sentences so that boilerplate inside it can be counted on its own."""

_BOUNDARY = re.compile(r"([.!?…]+[\"'”’»)\]]*)\s+")
"""A sentence's end: its terminal punctuation (closing quotes or brackets included) and
the space after it. It is a boundary only when a capital or a quote follows."""
_OPENERS = frozenset("\"'“”‘’«»„")


def segment_spans(line: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets in ``line`` of each of its :func:`segments`."""
    start, end = 0, len(line)
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    if start == end:
        return []
    if end - start <= LINE_SEGMENT_CHARS:
        return [(start, end)]
    spans: list[tuple[int, int]] = []
    for m in _BOUNDARY.finditer(line, start, end):
        if m.end() < end and (line[m.end()].isupper() or line[m.end()] in _OPENERS):
            spans.append((start, m.end(1)))
            start = m.end()
    spans.append((start, end))
    return spans


def segments(line: str) -> list[str]:
    """The units counted in one line of a document's normalized text, exactly as they
    appear in it (stripped): the line itself when it is up to
    :data:`LINE_SEGMENT_CHARS` long, else its sentences, cut after ``.``, ``!``, ``?``
    or ``…`` (and any closing quote) where a space and then a capital or a quote follow.

    The splitter is deliberately simple (an abbreviation before a name, ``Dr. Budi``,
    is a cut too): it must only cut the same text the same way every time, so that a
    sentence repeated across pages is one unit wherever it sits.
    """
    return [line[a:b] for a, b in segment_spans(line)]


# The normalization of segment_key, done on many segments at once: the text is encoded
# and mapped byte for byte (ASCII letters lower-cased, ASCII digits to "0", every other
# ASCII character but the separator to a space), each run of non-ASCII characters is
# case-folded and judged character by character, and runs of spaces and of zeros are
# collapsed. tests/rules/test_repeats.py checks it against the definition written as
# regular expressions.
_ASCII_MAP = bytes(
    (10 if i == 10 else 48 if c.isdigit() else ord(c.lower()) if c.isalnum() or c == "_" else 32)
    if i < 128
    else i
    for i, c in ((i, chr(i)) for i in range(256))
)


@functools.lru_cache(maxsize=4096)
def _fold_run(run: bytes) -> bytes:
    """A run of non-ASCII characters normalized (the same few quotes and dashes recur)."""
    text = run.decode("utf-8", "surrogatepass").casefold()
    kept = ("0" if c.isdecimal() else c if c.isalnum() or c == "_" else " " for c in text)
    return "".join(kept).encode("utf-8", "surrogatepass")


def _mapped(texts: Sequence[str]) -> tuple[bytes, bool]:
    """``texts`` one a line, normalized but for the runs of spaces and zeros; and
    whether they were all ASCII."""
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:  # a newline inside a text is a space
        joined = "\n".join(text.replace("\n", " ") for text in texts)
    data = joined.encode("utf-8", "surrogatepass").translate(_ASCII_MAP)
    if joined.isascii():
        return data, True
    high = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) >= 0x80)
    ends = np.flatnonzero(np.diff(high) != 1)
    pieces, at = [], 0
    for start, end in zip(
        high[np.concatenate([[0], ends + 1])].tolist(),
        (high[np.concatenate([ends, [len(high) - 1]])] + 1).tolist(),
        strict=True,
    ):
        pieces += [data[at:start], _fold_run(data[start:end])]
        at = end
    pieces.append(data[at:])
    return b"".join(pieces), False


_SPACES = re.compile(rb"  +")
_ZEROS = re.compile(rb"00+")  # only digits became zeros: these are runs of digits


def _collapsed(data: bytes) -> bytes:
    """:func:`_mapped`'s output with its runs of spaces and of zeros collapsed: the
    normalized forms (before stripping), one a line. One pass each (a loop of
    ``replace`` halving the runs took three times as long on a collapsed page)."""
    return _ZEROS.sub(b"0", _SPACES.sub(b" ", data))


def _pieces(texts: Sequence[str]) -> tuple[list[bytes], bool]:
    """The normalized form of each text (stripped), and whether all were ASCII."""
    mapped, ascii = _mapped(texts)
    data = _collapsed(mapped).replace(b" \n", b"\n").replace(b"\n ", b"\n").strip(b" ")
    return data.split(b"\n"), ascii


def _long_enough(pieces: list[bytes], ascii: bool) -> NDArray[np.bool_]:
    """Which forms have 2 characters or more (only one under 8 bytes may not)."""
    size = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    ok = size >= 2
    if not ascii:
        for i in np.flatnonzero(ok & (size < 8)).tolist():
            ok[i] = len(pieces[i].decode("utf-8", "surrogatepass")) >= 2
    return ok


def _key_list(texts: Sequence[str]) -> list[int | None]:
    keys, ok = segment_keys(texts)
    return [key if good else None for key, good in zip(keys.tolist(), ok.tolist(), strict=True)]


def segment_keys(texts: Sequence[str]) -> tuple[NDArray[np.uint64], NDArray[np.bool_]]:
    """:func:`segment_key` of every text, at once, as arrays: the keys (0 where there is
    none) and whether each text has one. A batch of documents is normalized in a few
    passes over its bytes, so what is left per segment is the hash alone."""
    if not texts:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.bool_)
    pieces, ascii = _pieces(texts)
    blake2b = hashlib.blake2b
    digests = b"".join([blake2b(piece, digest_size=8).digest() for piece in pieces])
    ok = _long_enough(pieces, ascii)
    keys = np.frombuffer(digests, dtype="<u8").copy()
    keys[~ok] = 0
    return keys, ok


def segment_key(segment: str) -> int | None:
    """A stable 64-bit key of ``segment``: BLAKE2b (8 bytes, read little-endian) of its
    normalized form, which is the segment case-folded, every run of digits made ``0``,
    every run of other non-word characters made one space, and stripped.

    Two pages differing only in a date, a count or punctuation share the key; Python's
    ``hash()`` would differ between processes, so it is never used. A segment whose
    normalized form has fewer than 2 characters has no key (``None``): it says nothing.
    """
    return _key_list([segment])[0]


_SECOND_LEVEL = frozenset(
    {"co", "or", "ac", "go", "web", "my", "sch", "net", "com", "org", "gov", "mil", "biz", "desa"}
)
"""Labels under a country code that are not a site of their own (``tempo.co.id``)."""


def site_of(url: str | None, outlet: str | None, given: str | None) -> str | None:
    """The site a document belongs to, the unit whose pages are compared.

    ``given`` (the value of a ``--site-key`` field) wins when set. Otherwise it is the
    URL's host, lower-cased, without ``www.``, reduced to its registrable part where
    that is simple: the last two labels, or three under a country code's second level
    (``news.detik.com`` → ``detik.com``, ``x.tempo.co.id`` → ``tempo.co.id``), so the
    sections of one newsroom, which share its template, are one site. Without a URL, it
    is ``outlet:<outlet>`` when the outlet is known, and ``None`` (nothing to learn
    from) when nothing is.
    """
    if given:
        return given
    host = _host(url)
    if host:
        return _registrable(host)
    return f"outlet:{outlet}" if outlet else None


def _host(url: str | None) -> str | None:
    if not url or not url.strip():
        return None
    url = url.strip()
    if "://" not in url and not url.startswith("//"):
        url = "//" + url  # a bare host and path: urlsplit would read it as a path
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    host = host.rstrip(".") if host else None
    return host if host and not any(c.isspace() for c in host) else None


def _registrable(host: str) -> str:
    host = host.lower().removeprefix("www.")
    labels = host.split(".")
    if ":" in host or all(label.isdigit() for label in labels):  # an IP address
        return host
    if (
        len(labels) >= 3
        and labels[-2] in _SECOND_LEVEL
        and len(labels[-1]) == 2
        and labels[-1].isalpha()
    ):
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


@dataclass(frozen=True, slots=True)
class Seen:
    """A learned segment of one site: why it goes, in numbers people can check."""

    docs: int
    """Distinct documents of the site it was counted in (near-duplicates not counted)."""
    site_docs: int
    """Documents of the site in the corpus it was learned from."""
    sample: str
    """Its text as first seen, for people (``cleaner explain``, ``cleaner rules learn``)."""
    key: int
    """Its :func:`segment_key`."""


class _Header(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["cleaner-site-repeats"]
    version: Literal[1]
    sites: int
    keys: int


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    site: str
    site_docs: int = Field(ge=1)
    key: str = Field(pattern=r"^[0-9a-f]{16}$")
    docs: int = Field(ge=1)
    sample: str


class SiteRepeats:
    """The learned table: for each site, the segment keys to remove, each with its
    :class:`Seen`. It is immutable once built (nothing here changes it), so one table
    can be shared by every worker of a run."""

    __slots__ = ("_count", "_sites")

    def __init__(self, sites: Mapping[str, Iterable[Seen]]) -> None:
        by_site = {site: sorted(entries, key=lambda s: s.key) for site, entries in sites.items()}
        self._sites: dict[str, dict[int, Seen]] = {
            site: {seen.key: seen for seen in by_site[site]}
            for site in sorted(by_site)
            if by_site[site]
        }
        self._count = sum(map(len, self._sites.values()))

    @classmethod
    def empty(cls) -> SiteRepeats:
        """A table that removes nothing."""
        return cls({})

    def lookup(self, site: str, key: int) -> Seen | None:
        """What was learned of ``key`` on ``site``, or ``None`` if it is not removed."""
        keys = self._sites.get(site)
        return None if keys is None else keys.get(key)

    def sites(self) -> list[str]:
        """The sites that learned at least one segment, in order."""
        return list(self._sites)

    def for_site(self, site: str) -> list[Seen]:
        """A site's learned segments, the most widespread first."""
        return sorted(self._sites.get(site, {}).values(), key=lambda s: (-s.docs, s.sample, s.key))

    def __contains__(self, site: object) -> bool:
        return site in self._sites

    def __len__(self) -> int:
        return self._count

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SiteRepeats) and self._sites == other._sites

    __hash__ = None  # type: ignore[assignment]

    def to_bytes(self) -> bytes:
        """The table as JSON Lines: a header, then one line per learned segment, by site
        and key. The same table always gives the same bytes (a run can be compared,
        cached or checked in). Keys are written as 16 hex digits: JSON readers that
        hold numbers as doubles would round a 64-bit integer."""
        head = {"format": "cleaner-site-repeats", "version": 1, "sites": len(self._sites)}
        lines = [orjson.dumps({**head, "keys": self._count})]
        for site, keys in self._sites.items():
            for key, seen in keys.items():
                entry = {
                    "site": site,
                    "site_docs": seen.site_docs,
                    "key": f"{key:016x}",
                    "docs": seen.docs,
                    "sample": seen.sample,
                }
                lines.append(orjson.dumps(entry))
        return b"\n".join(lines) + b"\n"

    def to_file(self, path: str | Path) -> None:
        Path(path).write_bytes(self.to_bytes())

    @classmethod
    def from_bytes(cls, data: bytes, name: str = "<table>") -> SiteRepeats:
        """Read :meth:`to_bytes`'s output; a file that is not one is a
        :class:`~cleaner.errors.CleanerError` naming the line."""
        lines = data.splitlines()
        sites: dict[str, list[Seen]] = {}
        no = 1
        try:
            header = _Header.model_validate_json(lines[0] if lines else b"")
            for no, line in enumerate(lines[1:], 2):  # noqa: B007 (the error names the line)
                entry = _Entry.model_validate_json(line)
                seen = Seen(entry.docs, entry.site_docs, entry.sample, int(entry.key, 16))
                sites.setdefault(entry.site, []).append(seen)
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(map(str, problem["loc"]))
            raise CleanerError(
                f"{name}:{no}: {where + ': ' if where else ''}{problem['msg']}"
                " (not a table of learned repeats?)"
            ) from None
        table = cls(sites)
        if len(table) != header.keys or len(table.sites()) != header.sites:
            raise CleanerError(f"{name}: the header counts do not match the lines (truncated?)")
        return table

    @classmethod
    def from_file(cls, path: str | Path) -> SiteRepeats:
        return cls.from_bytes(Path(path).read_bytes(), str(path))


Cut = tuple[int, int, Seen]
"""``(start, end, seen)``: a span of a line that a learned segment covers."""


def repeat_cuts(line: str, site: str, table: SiteRepeats) -> list[Cut]:
    """The spans of ``line`` that ``table`` removes on ``site``, in order and not
    overlapping: the whole line when the line is one learned segment, else each learned
    sentence of a long line."""
    return document_cuts([line], site, table)[0]


def document_cuts(lines: Sequence[str], site: str, table: SiteRepeats) -> list[list[Cut]]:
    """:func:`repeat_cuts` of each of a document's lines, normalized in one batch (a few
    passes over the document's bytes instead of a few for each line)."""
    if site not in table:
        return [[] for _ in lines]
    spans = [segment_spans(line) for line in lines]
    texts = [line[a:b] for line, cut in zip(lines, spans, strict=True) for a, b in cut]
    found = iter(_key_list(texts))
    out: list[list[Cut]] = []
    for line, cut in zip(lines, spans, strict=True):
        cuts = [
            (start, end, seen)
            for (start, end), key in zip(cut, found, strict=False)
            if key is not None and (seen := table.lookup(site, key))
        ]
        out.append([(0, len(line), cuts[0][2])] if len(cut) == 1 and cuts else cuts)
    return out


LEARNED_RULE = "learned/site-repeat"
"""The rule id of a removal the learned table made (in rule hits and ``explain``)."""


def describe(seen: Seen, site: str) -> str:
    """``seen in 37 of 120 documents of example.com``."""
    return f"seen in {seen.docs} of {seen.site_docs} documents of {site}"


def apply_repeats(doc: Cleaned, site: str | None, table: SiteRepeats) -> None:
    """Remove from ``doc`` what its site repeats: a kept line that is a learned segment
    goes whole, a learned sentence of a long line is cut out of it. Each removal is
    recorded (:attr:`~cleaner.rules.document.Cleaned.learned`) with how often the site
    printed it.

    The table was learned from the documents as they came, before any rule ran, while
    it is applied after the rules. A line a rule has cut is therefore matched twice: as
    it is now, and as it was (its original text), where what a rule cut into a learned
    sentence (``Cek Berita ... di Google News Temukan Berita Terkini kami di WhatsApp
    Channel``, whose first half a lexicon rule takes) leaves a remnant that no longer
    has the sentence's key. The remnant goes too: it is part of what the site repeats,
    and left alone it would repeat across the cleaned pages, so that cleaning them
    again would learn and remove it. After a round of cuts the rules look again at the
    lines cut (:attr:`~cleaner.rules.document.Cleaned.settle`), then the table, until
    neither cuts anything.
    """
    if site is None or site not in table:
        return
    for _ in range(_MAX_ROUNDS):
        since, edits, removed = len(doc.edited), doc.edits, len(doc.kept)
        _remove_repeats(doc, site, table)
        if (doc.edits, len(doc.kept)) == (edits, removed):
            return
        if doc.settle is not None:
            # The rules look at what the cuts left (a copyright notice now at a line's
            # end), and the table at what the rules then cut.
            doc.settle(doc, since)


_MAX_ROUNDS = 3
"""Rounds of learned cuts and the rules' second look (:func:`apply_repeats`), at most."""


def _remove_repeats(doc: Cleaned, site: str, table: SiteRepeats) -> None:
    """One round of :func:`apply_repeats`."""
    kept = list(doc.kept)
    now = document_cuts([k.text for k in kept], site, table)
    edited = [i for i, line in enumerate(kept) if line.cuts]
    before = document_cuts([kept[i].original for i in edited], site, table)
    for i, cuts in zip(edited, before, strict=True):
        line = kept[i]
        for start, end, seen in cuts:
            left = line.in_text(start, end)
            if left is not None:
                now[i].append((*left, seen))
    for line, cuts in zip(kept, now, strict=True):
        if not cuts:
            continue
        spans = _merged(cuts)
        described = {seen.key: seen for *_, seen in sorted(cuts, key=lambda c: c[:2])}
        doc.learned.setdefault(line.no, []).extend(describe(s, site) for s in described.values())
        if spans[0][:2] == (0, len(line.text)):
            doc.remove(line, LEARNED_RULE)
            continue
        for start, end in reversed(spans):  # right to left: earlier offsets stay valid
            doc.cut(line, start, end, LEARNED_RULE)
            if line.removed_by is not None:
                break


def _merged(cuts: list[Cut]) -> list[tuple[int, int]]:
    """The spans ``cuts`` cover, in order, overlapping or touching ones made one."""
    spans: list[tuple[int, int]] = []
    for start, end, _ in sorted(cuts, key=lambda c: c[:2]):
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans
