"""Duplicates and syndicated copies across a cleaned corpus (``cleaner dedup``).

Two levels, from one MinHash signature per article (datasketch; word 5-grams of the
lower-cased text with punctuation stripped, 128 permutations):

* **Duplicates**: the same text published again, identical after normalization (a hash)
  or nearly so: Jaccard similarity of the 5-gram sets about 0.8 or more, found by LSH
  with 9 bands of 13 rows (datasketch's optimum for 0.8 with 128 permutations, as
  FineWeb and text-dedup choose theirs) and confirmed on the signatures. A duplicate's
  ``duplicate_of`` is the id of the article its cluster keeps.
* **Stories**: one wire story rewritten by several outlets shares far fewer 5-grams
  (the Tribunnews and SINDOnews seeds, the same story, measure 0.25, where unrelated
  articles measure under 0.01), so a second LSH, of 64 bands of 2 rows, finds a pair at
  0.25 with probability 0.98 (0.93 at 0.2). Articles are taken earliest first; each
  joins the story whose leader (its first article) it is most like, when the signatures
  estimate 0.15 or more, and otherwise leads a new one, so a story cannot grow by
  chaining through its members. ``cluster_id`` is the id of the story's leader, for
  every article (its own when it stands alone); duplicates are always in their
  original's story.

The article a cluster keeps is the earliest published (articles without a date after
those with one), then the first in the input. ``--drop-duplicates`` writes only the
kept article of each duplicate cluster; stories are marked, never dropped.

**Articles are their place in the input, not their id.** Everything above works on
article numbers; an id is only how the output names an article. An input may repeat an
id (a JSONL that gives one id to several records, or two runs' outputs read together:
see :func:`cleaner.pipeline.document_id`), so names are made unique first: an article whose
id an earlier one had is written as ``ID#N`` (N: its occurrence of that id, raised past
any id the input holds), and one without an id as ``#N`` (its number among those).
Otherwise two different stories led by two articles of one id would share a
``cluster_id`` (and count as one), and a copy under its original's id would read as a
duplicate of itself. Such articles are counted (:class:`DedupStats`).

Memory stays bounded: signatures and LSH buckets go to an SQLite file beside the output
(sorted on disk by SQLite, not held in memory); what stays in memory is a few integers
per article for the clusters.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import operator
import sqlite3
import tempfile
import zlib
from array import array
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import orjson
from pydantic import BaseModel, ConfigDict, Field

from cleaner.engines.local import ordered_map
from cleaner.engines.pool import WorkerPool
from cleaner.engines.stats import plural
from cleaner.errors import CleanerError
from cleaner.io.articles import articles_of, corpus_files
from cleaner.io.sinks import open_sink
from cleaner.models import Article
from cleaner.text.signals import PUNCTUATION


class DedupConfig(BaseModel):
    """The parameters of ``cleaner dedup`` (see the module's docstring)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    shingle_words: int = 5
    num_perm: int = 128
    seed: int = 1
    duplicate_threshold: float = 0.8
    duplicate_bands: tuple[int, int] = (9, 13)
    story_threshold: float = 0.15
    story_bands: tuple[int, int] = (64, 2)


def normalized_words(text: str) -> list[str]:
    """The words compared: lower-cased, punctuation around them stripped."""
    return list(
        filter(None, map(operator.methodcaller("strip", PUNCTUATION), text.lower().split()))
    )


@functools.cache
def _template(num_perm: int, seed: int) -> Any:
    from datasketch import MinHash  # here: with SciPy, it takes half a second to import

    return MinHash(num_perm=num_perm, seed=seed, hashfunc=_given)


def _given(value: int) -> int:
    """The shingles come hashed already (CRC-32, in C): datasketch's default hashes each
    with SHA-1 in Python, most of the time of a signature."""
    return value


def _minhash(num_perm: int, seed: int) -> Any:
    """An empty MinHash, its permutations drawn once per process rather than each time."""
    template = _template(num_perm, seed)
    return type(template)(
        num_perm=num_perm,
        seed=seed,
        hashfunc=_given,
        permutations=template.permutations,
        scheme=template.scheme,
    )


def signature(text: str, config: DedupConfig) -> tuple[bytes, np.ndarray[Any, Any]]:
    """``(exact hash, MinHash values)`` of one article's text."""
    words = normalized_words(text)
    n = config.shingle_words
    grams = (
        map(" ".join, zip(*(words[i:] for i in range(n)), strict=False))
        if len(words) >= n
        else [" ".join(words)]
    )
    shingles = set(map(zlib.crc32, map(str.encode, grams)))
    minhash = _minhash(config.num_perm, config.seed)
    minhash.update_batch(list(shingles))
    exact = hashlib.blake2b(" ".join(words).encode(), digest_size=16).digest()
    return exact, np.asarray(minhash.hashvalues, dtype=np.uint64)


def similarity(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> float:
    """Jaccard similarity estimated from two MinHash signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


class _Clusters:
    """Union-find over article numbers, one integer each."""

    def __init__(self, size: int) -> None:
        self.parent = array("q", range(size))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


REPEAT_EXAMPLES = 5
"""Repeated ids named in :class:`DedupStats`: enough to look them up."""


class DedupStats(BaseModel):
    records: int = 0
    duplicates: int = 0
    duplicate_clusters: int = 0
    stories: int = 0
    """Story clusters of two articles or more."""
    written: int = 0
    repeated_ids: int = 0
    """Articles whose id an earlier article had, written as ``ID#N``."""
    repeated_id_examples: list[str] = Field(default_factory=list)
    """The first few ids repeated, in input order."""
    missing_ids: int = 0
    """Articles without an id, written as ``#N``."""


def renamed_line(stats: DedupStats) -> str | None:
    """What ``cleaner dedup`` says of the ids it had to rename, if any."""
    parts = []
    if stats.repeated_ids:
        examples = ", ".join(stats.repeated_id_examples[:3])
        more = ", …" if len(stats.repeated_id_examples) > 3 else ""
        parts.append(
            f"{plural(stats.repeated_ids, 'article repeats', 'articles repeat')} an earlier "
            f"id (e.g. {examples}{more}): "
            "written as ID#N"
        )
    if stats.missing_ids:
        parts.append(
            f"{plural(stats.missing_ids, 'article has', 'articles have')} no id: written as #N"
        )
    return "; ".join(parts) or None


def _published(record: dict[str, Any]) -> float:
    value = record.get("published_at")
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).timestamp()
        except ValueError:
            pass
    return float("inf")


def _bands(values: np.ndarray[Any, Any], bands: tuple[int, int]) -> list[bytes]:
    """One key per band: the band's number and a hash of its rows."""
    count, rows = bands
    return [
        b"%d:" % b
        + hashlib.blake2b(values[b * rows : (b + 1) * rows].tobytes(), digest_size=8).digest()
        for b in range(count)
    ]


class _Signed(NamedTuple):
    id: str | None
    published: float
    exact: bytes
    values: bytes


def _sign(records: list[dict[str, Any]], config: DedupConfig) -> list[_Signed]:
    """Signatures of a batch of articles (in a worker process)."""
    out = []
    for record in records:
        exact, values = signature(record["text"], config)
        out.append(_Signed(_id_of(record), _published(record), exact, values.tobytes()))
    return out


def _id_of(record: dict[str, Any]) -> str | None:
    """A record's id as text; ``None`` when it has none (or an empty one)."""
    value = record.get("id")
    return None if value is None or value == "" else str(value)


def _signed(
    files: list[Path], config: DedupConfig, workers: int, scheduler: str | None, dask: bool
) -> Iterator[_Signed]:
    """Every article's signature, in input order, on ``workers`` processes or on Dask."""
    records = articles_of(files)
    batches = iter(lambda: list(itertools.islice(records, 64)), [])
    sign = functools.partial(_sign, config=config)
    if dask:
        from cleaner.engines.dask import dask_client, on_client

        with dask_client(scheduler, workers) as client:
            yield from ordered_map(on_client(client, sign), batches, workers * 8)
    elif workers <= 1:
        for batch in batches:
            yield from sign(batch)
    else:
        with WorkerPool(workers) as pool:
            yield from pool.map(sign, batches, workers * 4, _unsignable)


def _unsignable(record: dict[str, Any]) -> _Signed:
    raise CleanerError(f"the process signing article {record.get('id')!r} died twice")


def _keepers(clusters: _Clusters, ranked: np.ndarray[Any, Any]) -> tuple[array[int], int]:
    """For each cluster's root, the article it keeps: the first of its members in
    ``ranked`` (earliest published, then first in the input); and how many clusters have
    more than one article. Arrays, not dicts: a few bytes per article."""
    size = len(ranked)
    best = array("q", [-1]) * size
    members = array("q", [0]) * size
    for n in map(int, ranked):
        root = clusters.find(n)
        members[root] += 1
        if best[root] < 0:
            best[root] = n
    return best, sum(1 for count in members if count > 1)


def _stories(
    db: sqlite3.Connection,
    ranked: np.ndarray[Any, Any],
    duplicates: _Clusters,
    keeper: array[int],
    signature_of: Callable[[int], np.ndarray[Any, Any]],
    config: DedupConfig,
) -> array[int]:
    """The story of each article a duplicate cluster keeps: the article that leads it.

    Articles are taken earliest first. Each joins the most similar story leader it
    shares a story band with (ties: the earliest leader), when the signatures estimate
    ``story_threshold`` or more, and otherwise leads a new story. Measured against the
    leader, not against any member, a story cannot drift by chaining: rewrites of
    rewrites, or a daily series whose every issue resembles the one before, do not pull
    unrelated articles together. Leaders' band keys go to their own indexed table, so
    each article looks up only leaders."""
    story = array("q", [-1]) * len(ranked)
    position = array("q", [0]) * len(ranked)
    db.execute("CREATE TABLE leader_band (key BLOB, n INTEGER)")
    db.execute("CREATE INDEX leader_key ON leader_band (key)")
    for place, n in enumerate(map(int, ranked)):
        if keeper[duplicates.find(n)] != n:
            continue  # a duplicate is in the story of the article its cluster keeps
        values = signature_of(n)
        keys = _bands(values, config.story_bands)
        found = db.execute(
            f"SELECT DISTINCT n FROM leader_band WHERE key IN ({','.join('?' * len(keys))})",
            keys,
        )
        leaders = sorted((row[0] for row in found), key=position.__getitem__)
        best, best_score = n, config.story_threshold
        for leader in leaders:
            score = similarity(values, signature_of(leader))
            if score > best_score or (score == best_score and best == n):
                best, best_score = leader, score
        story[n] = best
        position[n] = place
        if best == n:
            db.executemany("INSERT INTO leader_band VALUES (?, ?)", [(k, n) for k in keys])
    return story


def _rename_repeats(db: sqlite3.Connection, stats: DedupStats) -> None:
    """Give a unique name (table ``renamed``) to every article whose id an earlier one
    had, or that has none (see the module's docstring); count them in ``stats``.

    SQLite does the grouping (sorted on disk), so memory holds nothing per article."""
    db.execute("CREATE INDEX doc_id ON doc (id)")
    db.execute("CREATE TABLE renamed (n INTEGER PRIMARY KEY, ref TEXT UNIQUE)")
    db.execute(
        "CREATE TABLE repeat AS SELECT n, id, occurrence FROM ("
        " SELECT n, id, ROW_NUMBER() OVER (PARTITION BY id ORDER BY n) AS occurrence"
        " FROM doc WHERE id IS NULL OR id IN (SELECT id FROM doc GROUP BY id HAVING COUNT(*) > 1)"
        ") WHERE id IS NULL OR occurrence > 1 ORDER BY n"
    )

    def taken(ref: str) -> bool:
        found = db.execute(
            "SELECT 1 FROM doc WHERE id = ? UNION ALL SELECT 1 FROM renamed WHERE ref = ? LIMIT 1",
            (ref, ref),
        )
        return found.fetchone() is not None

    for n, doc_id, occurrence in db.execute("SELECT n, id, occurrence FROM repeat ORDER BY n"):
        if doc_id is None:
            stats.missing_ids += 1
        else:
            stats.repeated_ids += 1
            examples = stats.repeated_id_examples
            if len(examples) < REPEAT_EXAMPLES and doc_id not in examples:
                examples.append(doc_id)
        while taken(ref := f"{doc_id or ''}#{occurrence}"):
            occurrence += 1
        db.execute("INSERT INTO renamed VALUES (?, ?)", (n, ref))


def dedup(
    source: Path,
    output: Path | None,
    config: DedupConfig,
    *,
    drop: bool = False,
    workers: int = 1,
    dask: bool = False,
    scheduler: str | None = None,
) -> DedupStats:
    """Mark (or drop) the duplicates and stories of the articles in ``source`` (a file,
    or the directory of a sharded run, read in shard order). The signatures, nearly all
    the work, are computed on ``workers`` processes, or with ``dask`` on a Dask cluster
    (the one at ``scheduler``, else a local one); the clustering then runs here, on the
    SQLite index."""
    stats = DedupStats()
    files = corpus_files(source)
    threshold = config.duplicate_threshold
    directory = output.parent if output is not None else None
    with tempfile.TemporaryDirectory(prefix=".dedup-", dir=directory) as tmp:
        db = sqlite3.connect(Path(tmp) / "index.sqlite")
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("CREATE TABLE doc (n INTEGER PRIMARY KEY, id TEXT, exact BLOB, sig BLOB)")
        db.execute("CREATE TABLE band (level INTEGER, key BLOB, n INTEGER)")
        order: array[float] = array("d")
        for n, signed in enumerate(_signed(files, config, workers, scheduler, dask)):
            db.execute(
                "INSERT INTO doc VALUES (?, ?, ?, ?)", (n, signed.id, signed.exact, signed.values)
            )
            values = np.frombuffer(signed.values, dtype=np.uint64)
            rows = [(0, signed.exact, n)]
            rows += [(1, key, n) for key in _bands(values, config.duplicate_bands)]
            db.executemany("INSERT INTO band VALUES (?, ?, ?)", rows)
            order.append(signed.published)
            stats.records += 1
        db.execute("CREATE INDEX band_key ON band (level, key, n)")
        _rename_repeats(db, stats)
        duplicates = _Clusters(stats.records)

        def signature_of(n: int) -> np.ndarray[Any, Any]:
            (blob,) = db.execute("SELECT sig FROM doc WHERE n = ?", (n,)).fetchone()
            return np.frombuffer(blob, dtype=np.uint64)

        rows_by_bucket = itertools.groupby(
            db.execute("SELECT level, key, n FROM band ORDER BY level, key, n"),
            key=lambda row: (row[0], row[1]),
        )
        for (level, _), members in rows_by_bucket:
            first, *others = (row[2] for row in members)
            if not others:
                continue
            head = signature_of(first) if level else None
            for other in others:
                if head is None or similarity(head, signature_of(other)) >= threshold:
                    duplicates.union(first, other)

        ranked = np.argsort(np.frombuffer(order, dtype=np.float64), kind="stable")
        duplicate_keeper, stats.duplicate_clusters = _keepers(duplicates, ranked)
        story = _stories(db, ranked, duplicates, duplicate_keeper, signature_of, config)
        sizes = array("q", [0]) * stats.records
        for n in range(stats.records):
            sizes[story[duplicate_keeper[duplicates.find(n)]]] += 1
        stats.stories = sum(1 for size in sizes if size > 1)

        def id_of(n: int) -> str:
            """The name of article ``n`` in the output: its id, unless renamed."""
            (value,) = db.execute(
                "SELECT COALESCE(renamed.ref, doc.id) FROM doc LEFT JOIN renamed USING (n) "
                "WHERE doc.n = ?",
                (n,),
            ).fetchone()
            return str(value)

        def renamed(n: int) -> str | None:
            found = db.execute("SELECT ref FROM renamed WHERE n = ?", (n,)).fetchone()
            return None if found is None else str(found[0])

        with open_sink(output, Article) as writer:
            for n, record in enumerate(articles_of(files)):
                if (name := renamed(n)) is not None:
                    record["id"] = name
                keeper = duplicate_keeper[duplicates.find(n)]
                record["duplicate_of"] = id_of(keeper) if keeper != n else None
                record["cluster_id"] = id_of(story[keeper])
                if keeper != n:
                    stats.duplicates += 1
                    if drop:
                        continue
                writer.write_line(orjson.dumps(record).decode())
                stats.written += 1
        db.close()
    return stats
