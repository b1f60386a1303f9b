"""The stories a deduplicated corpus tells most, for ``cleaner report``.

After ``cleaner dedup`` every article carries ``cluster_id``, the id of its story's first
article (:mod:`cleaner.corpus.dedup`). :class:`StoryTally` ranks the stories told by more
than one article, most articles first (then the one met first in the corpus), overall
and per outlet taking part, and says of each: the first article's title, the articles
per outlet, the first date.

**Memory: 12 bytes an article**, not the records: a 64-bit hash of its ``cluster_id``
and its outlet's number, in arrays (ten million articles: 120 MB; ranking them takes
about 20 bytes an article more for a moment, measured with a third of the articles in
shared stories). A story's size is only known once every article has been read, so
what the list shows of a story is read in a second pass over the files, which parses
only the lines of the listed stories' articles and skips the others. Two stories share
a hash with probability about n² / 2⁶⁵, which would list them as one.
"""

from __future__ import annotations

import hashlib
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from pydantic import BaseModel

from cleaner.errors import CleanerError
from cleaner.io.articles import read_records
from cleaner.io.streams import decompressed


class Story(BaseModel):
    """One story of the list."""

    cluster_id: str
    title: str | None
    """The title of the story's first article (the one ``cluster_id`` names), else of
    the first of its articles met; else the start of its text."""
    articles: int
    outlets: dict[str, int]
    """Articles per outlet, most first."""
    first_date: str | None
    """The earliest ``published_at`` of its articles, as a date (``YYYY-MM-DD``)."""


@dataclass
class _Found:
    """What the second pass gathers of one story."""

    cluster_id: str
    title: str | None = None
    led: bool = False
    outlets: Counter[str] = field(default_factory=Counter)
    first_date: str | None = None

    def add(self, record: dict[str, Any], outlet: str) -> None:
        self.outlets[outlet] += 1
        published = record.get("published_at")
        if isinstance(published, str) and (
            self.first_date is None or published[:10] < self.first_date
        ):
            self.first_date = published[:10]
        leads = record.get("id") == self.cluster_id
        if leads or (self.title is None and not self.led):
            self.title = _title(record)
            self.led = leads


def _title(record: dict[str, Any]) -> str | None:
    title = record.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    text = record.get("text")
    return text.split("\n", 1)[0][:120] if isinstance(text, str) and text else None


def _hash(cluster_id: str) -> int:
    """A stable 64-bit hash, never 0 (0 stands for no cluster_id)."""
    digest = hashlib.blake2b(cluster_id.encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "little") | 1


PARQUET_MAGIC = b"PAR1"


def _articles(files: Sequence[Path]) -> Iterator[bytes | dict[str, Any]]:
    """The articles of ``files`` in the order :func:`~cleaner.io.articles.articles_of`
    gives them: a JSON line unparsed (blank lines skipped, as there), for the second pass
    to parse only those it wants; a Parquet file's rows as the records read from it."""
    for path in files:
        try:
            raw = path.open("rb")
        except OSError as exc:
            raise CleanerError(f"cannot read {path}: {exc.strerror}") from None
        with raw:
            if raw.read(len(PARQUET_MAGIC)) == PARQUET_MAGIC:
                yield from (record for _, record in read_records(path))
                continue
            raw.seek(0)
            with decompressed(raw) as stream:
                yield from (line for line in stream if line.strip())


def _members(hashes: np.ndarray[Any, Any], repeated: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The places in ``hashes`` of those in ``repeated`` (sorted), in order: searched a
    million at a time, so that the search's own arrays stay small."""
    found = []
    for start in range(0, len(hashes), 1 << 20):
        part = hashes[start : start + (1 << 20)]
        places = np.minimum(np.searchsorted(repeated, part), len(repeated) - 1)
        found.append(start + np.flatnonzero(repeated[places] == part))
    return np.concatenate(found)


class StoryList(BaseModel):
    """The stories told by more than one article: how many, and the largest."""

    shared: int = 0
    """Stories told by more than one article."""
    overall: list[Story] = []
    by_outlet: dict[str, list[Story]] = {}
    """For each outlet taking part in such a story (by name), its largest."""


class StoryTally:
    """Counts articles per story as the corpus streams by; then lists the largest."""

    def __init__(self) -> None:
        self._hashes = array("Q")
        self._outlets = array("I")
        self._codes: dict[str, int] = {}
        self._before = 0
        """Articles before the first with a ``cluster_id`` (kept as a number only: a
        corpus that was not deduplicated costs nothing)."""

    def add(self, cluster_id: object, outlet: str) -> None:
        """Count the next article (its ``cluster_id`` may be missing: not deduplicated)."""
        if not isinstance(cluster_id, str):
            if not self._hashes:
                self._before += 1
                return
            self._hashes.append(0)
        else:
            self._hashes.append(_hash(cluster_id))
        self._outlets.append(self._codes.setdefault(outlet, len(self._codes)))

    def stories(self, files: Sequence[Path], top: int) -> StoryList:
        """The ``top`` stories told by the most articles, overall and per outlet, read
        back from ``files``: the files the articles were counted from, in that order."""
        hashes = np.frombuffer(self._hashes, dtype=np.uint64)
        ordered = np.sort(hashes)
        again = (ordered[1:] == ordered[:-1]) & (ordered[1:] != 0)
        repeated = np.unique(ordered[1:][again])  # the stories of more than one article
        del ordered, again
        if not len(repeated) or top < 1:
            return StoryList(shared=len(repeated))
        members = _members(hashes, repeated)
        _, first, inverse, sizes = np.unique(
            hashes[members], return_index=True, return_inverse=True, return_counts=True
        )
        ranked = np.lexsort((first, -sizes))  # most articles first, then met first
        rank = np.empty(len(ranked), dtype=np.int64)
        rank[ranked] = np.arange(len(ranked))
        member_rank = rank[inverse.reshape(-1)]
        codes = len(self._codes)
        pairs = np.unique(member_rank * codes + np.frombuffer(self._outlets, np.uint32)[members])
        pair_rank, pair_outlet = pairs // codes, pairs % codes  # sorted by rank
        names = {code: name for name, code in self._codes.items()}
        by_outlet = {
            names[code]: ranks.tolist()
            for code in range(codes)
            if len(ranks := pair_rank[pair_outlet == code][:top])
        }
        chosen = set(range(min(top, len(ranked)))).union(*by_outlet.values())
        listed = np.isin(member_rank, list(chosen))
        articles = (members[listed] + self._before).tolist()
        wanted = dict(zip(articles, member_rank[listed].tolist(), strict=True))
        found = self._read(files, wanted)
        stories = {
            r: Story(
                cluster_id=f.cluster_id,
                title=f.title,
                articles=int(sizes[ranked[r]]),
                outlets=dict(sorted(f.outlets.items(), key=lambda kv: (-kv[1], kv[0]))),
                first_date=f.first_date,
            )
            for r, f in found.items()
        }
        return StoryList(
            shared=len(repeated),
            overall=[stories[r] for r in range(min(top, len(ranked))) if r in stories],
            by_outlet={
                name: [stories[r] for r in by_outlet[name] if r in stories]
                for name in sorted(by_outlet)
            },
        )

    def _read(self, files: Sequence[Path], wanted: dict[int, int]) -> dict[int, _Found]:
        """The second pass: of the articles numbered in ``wanted`` (article → story's
        rank), what their story shows."""
        found: dict[int, _Found] = {}
        last = max(wanted)
        for n, article in enumerate(_articles(files)):
            story = wanted.get(n)
            if story is None:
                if n > last:
                    break
                continue
            record = article if isinstance(article, dict) else orjson.loads(article)
            outlet = record.get("outlet") or "(unknown)"
            found.setdefault(story, _Found(str(record["cluster_id"]))).add(record, outlet)
        return found
