"""Pass 1 of learning boilerplate: count the segments each site repeats across documents.

A segment (:func:`~cleaner.rules.repeats.segments`) seen in at least ``min_docs``
distinct documents of a site (and ``min_share`` of them) is that site's boilerplate; the
result is a :class:`~cleaner.rules.repeats.SiteRepeats` table for the cleaning pass.

**Near-duplicates are not evidence.** A syndicated story or a repost shares its body with
the original: counted, the body would look like boilerplate. A document's signature is
the keys of its 5 longest segments of 80 characters or more (its body: furniture is
short); when more than half of them were in earlier signatures of its site, it is a
near-duplicate, counted in the site's total but not in its segments' counts. (Copies
that each edit a line still share 3 of 5; 3 keys, of which 2 shared, would miss them.)
Earlier documents are remembered in a Bloom filter of ``(site, key)``, in two
generations of an eighth of ``memory_mb`` each (the older dropped when the newer is
full: a window of 2.6 million documents or more at 64 MB), and exactly within blocks of
:data:`_DUP_BLOCK` documents. A short document whose longest lines are boilerplate may
be taken for a copy: evidence is lost that way, never added.

**Memory is bounded whatever the corpus size.** No Python object is kept per (document,
segment): documents are keyed in batches of a few hundred, and their distinct keys go
to a fixed buffer (half of ``memory_mb``), written out when full to 64 partition files
by the key's top 6 bits as ``(key, ref, site, docs)`` records (``ref``: the document's
number and the segment's place in it). Signatures go to ``docs.bin``, every segment's
text to ``samples.txt`` (disk: about the text, plus 24 bytes a segment). :func:`combine`
replays the signatures in order to mark near-duplicates (a byte a document, mapped from
disk), then reduces one partition at a time (sort by ``(key, site)``, count, keep the
earliest ``ref``, whose text is the sample); a partition over an eighth of ``memory_mb``
is first split on the key's next 6 bits, and so on. What grows is a name and a count a
site.

**N workers give the table of one.** Counters over consecutive parts of a stream (in
processes, or on a cluster sharing a directory) hand over :class:`CountPart` objects;
:func:`combine` of them in order gives exactly the table of one counter over the whole
stream, since every decision that depends on order (near-duplicates, a key's first text)
is taken there, over the global order.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import shutil
import tempfile
import weakref
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from cleaner.config import LearnConfig
from cleaner.rules.repeats import LINE_SEGMENT_CHARS, Seen, SiteRepeats, segment_keys
from cleaner.rules.repeats import segments as segments_of
from cleaner.text.likeness import is_prose

_PARTITION_BITS = 6
_REF_BITS = 16
_MAX_SEGMENTS = (1 << _REF_BITS) - 1  # segments counted per document (a place is 16 bits)
_MAX_LEVEL = 9  # a partition split 9 times has used 60 bits of the key
_SIG_MIN_CHARS = 80
_SIG_SIZE = 5
_BLOOM_HASHES, _BLOOM_SHARE = 6, 8  # each generation takes memory_mb / 8
_DUP_BLOCK = 2048  # documents whose signatures are checked at once (exactly among them)
_REDUCE_SHARE = 8  # a partition's records held at once: memory_mb / 8 (sorting: 3x more)
_SPILL_BYTES_PER_PAIR = 36  # a buffered record, plus its partition and order when written
_BATCH_DOCS, _BATCH_CHARS = 256, 1 << 16  # documents keyed at once, at most

_PAIR = np.dtype([("key", "<u8"), ("ref", "<u8"), ("site", "<u4"), ("docs", "<u4")])
_DOC = np.dtype([("block", "<u8"), ("site", "<u4"), ("sig", "<u8", (_SIG_SIZE,)), ("nsig", "u1")])
_U64 = np.uint64


@dataclass(frozen=True)
class CountPart:
    """What one :class:`RepeatCounter` counted, in its directory, for :func:`combine`.

    It is small and picklable (a worker process or a cluster task returns it); the
    directory must be readable where :func:`combine` runs. It is the caller's to remove
    (:meth:`discard`) once combined.
    """

    directory: Path
    config: LearnConfig
    sites: tuple[str, ...]
    """The sites seen, by their number in the part's files."""
    site_docs: tuple[int, ...]
    docs: int

    def discard(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


class RepeatCounter:
    """Counts a stream of documents, one :meth:`add` each, in order.

    ``directory`` receives the spilled counts (it must be empty or new); without one, a
    temporary directory is made and removed by :meth:`finish` (or on leaving ``with``).
    Documents are counted in batches of a few hundred: a batch is normalized in a few
    passes over its bytes, then deduplicated and signed with array operations.
    """

    def __init__(self, config: LearnConfig | None = None, directory: Path | None = None) -> None:
        self.config = config or LearnConfig()
        self._owned = directory is None
        directory = directory or Path(tempfile.mkdtemp(prefix="cleaner-learn-"))
        directory.mkdir(parents=True, exist_ok=True)
        if any(directory.iterdir()):
            raise ValueError(f"{directory} is not empty: counts would mix")
        self.directory = directory
        self._cleanup = weakref.finalize(self, shutil.rmtree, directory, True)
        if not self._owned:
            self._cleanup.detach()
        cap = max(64, (self.config.memory_mb << 20) // 2 // _SPILL_BYTES_PER_PAIR)
        self._pairs, self._docs = np.empty(cap, dtype=_PAIR), np.empty(cap // 8, dtype=_DOC)
        self._npairs = self._ndocs = self._spilled = 0
        self._sites: dict[str, int] = {}
        self._site_docs: Counter[int] = Counter()
        self._texts: list[str] = []
        self._sizes: list[int] = []  # of each batched document: its segments, its site
        self._doc_sites: list[int] = []
        self._chars = 0
        self._samples: BinaryIO | None = (directory / "samples.txt").open("wb")
        self._samples_at = 0

    def __enter__(self) -> RepeatCounter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._samples is not None:
            self._samples.close()
            self._samples = None
        self._cleanup()  # a no-op once the counts were handed out

    def add(self, site: str | None, lines: Sequence[str]) -> None:
        """Count one document: its ``site`` (:func:`~cleaner.rules.repeats.site_of`;
        a document without one teaches nothing and is skipped) and the lines of its
        normalized text. A segment repeated within the document counts once."""
        if self._samples is None:
            raise RuntimeError("this counter's counts were already handed out")
        if site is None:
            return
        sid = self._sites.setdefault(site, len(self._sites))
        self._site_docs[sid] += 1
        texts = list(filter(None, map(str.strip, lines)))
        if texts and max(map(len, texts)) > LINE_SEGMENT_CHARS:
            texts = [s for text in texts for s in segments_of(text)]
        self._texts += texts
        self._sizes.append(len(texts))
        self._doc_sites.append(sid)
        self._chars += sum(map(len, texts))
        if len(self._sizes) >= _BATCH_DOCS or self._chars >= _BATCH_CHARS:
            self._count_batch()

    def _count_batch(self) -> None:
        """Key, deduplicate and sign the batched documents, and buffer the results."""
        texts, sizes, sites = self._texts, np.array(self._sizes, dtype=np.int64), self._doc_sites
        self._texts, self._sizes, self._doc_sites, self._chars = [], [], [], 0
        if not len(sizes):
            return
        keys, has_key = segment_keys(texts)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        doc = np.repeat(np.arange(len(sizes)), sizes)
        first = np.cumsum(sizes) - sizes
        place = np.arange(len(texts)) - first[doc]
        docs = np.zeros(len(sizes), dtype=_DOC)
        docs["site"] = sites
        if texts:  # every segment's text, one a line, for the samples of learned keys
            joined = "\n".join(texts)
            if joined.count("\n") != len(texts) - 1:  # one line a segment, always
                joined = "\n".join(t.replace("\n", " ") for t in texts)
            data = joined.encode("utf-8", "surrogatepass")
            lines = np.concatenate([[0], np.flatnonzero(np.frombuffer(data, np.uint8) == 10) + 1])
            docs["block"] = self._samples_at + lines[np.minimum(first, len(texts) - 1)]
            assert self._samples is not None
            self._samples.write(data + b"\n")
            self._samples_at += len(data) + 1
        learnable = has_key & (lengths <= self.config.max_chars) & (place < _MAX_SEGMENTS)
        kept = np.flatnonzero(learnable)
        kept = kept[_firsts(doc[kept], keys[kept])]
        pairs = np.empty(len(kept), dtype=_PAIR)
        base = self._spilled + self._ndocs
        number = (np.arange(len(sizes), dtype=_U64) + _U64(base)) << _U64(_REF_BITS)
        pairs["key"], pairs["ref"] = keys[kept], number[doc[kept]] | place[kept].astype(_U64)
        pairs["site"], pairs["docs"] = docs["site"][doc[kept]], 1
        long = np.flatnonzero(has_key & (lengths >= _SIG_MIN_CHARS))
        long = long[np.lexsort((long, -lengths[long], doc[long]))]  # longest first
        long = long[_firsts(doc[long], keys[long])]
        owner = doc[long]
        rank = np.arange(len(long)) - np.searchsorted(owner, owner)  # place among the long
        top = rank < _SIG_SIZE
        docs["sig"][owner[top], rank[top]] = keys[long[top]]
        docs["nsig"] = np.bincount(owner[top], minlength=len(sizes))
        self._buffer(pairs, docs)

    def _buffer(self, pairs: np.ndarray, docs: np.ndarray) -> None:
        pairs_full = self._npairs + len(pairs) > len(self._pairs)
        if pairs_full or self._ndocs + len(docs) > len(self._docs):
            self._spill()
        if len(pairs) > len(self._pairs) or len(docs) > len(self._docs):  # straight out
            self._spill(pairs, docs)
            return
        self._pairs[self._npairs : self._npairs + len(pairs)] = pairs
        self._docs[self._ndocs : self._ndocs + len(docs)] = docs
        self._npairs += len(pairs)
        self._ndocs += len(docs)

    def _spill(self, pairs: np.ndarray | None = None, docs: np.ndarray | None = None) -> None:
        """Write the buffered documents and entries out (or the ones given).

        Written with ``file.write(array.tobytes())``, not ``array.tofile(file)``: numpy's
        ``tofile`` turns a Ctrl-C that lands inside it into a ``TypeError`` (it then
        takes the file for a path), which would end the run with a traceback."""
        if pairs is None or docs is None:
            pairs, docs = self._pairs[: self._npairs], self._docs[: self._ndocs]
            self._spilled += self._ndocs
            self._npairs = self._ndocs = 0
        else:
            self._spilled += len(docs)
        with (self.directory / "docs.bin").open("ab") as out:
            out.write(docs.tobytes())
        part = (pairs["key"] >> _U64(64 - _PARTITION_BITS)).astype(np.uint8)
        order = np.argsort(part, kind="stable")
        bounds = np.concatenate([[0], np.cumsum(np.bincount(part, minlength=64))])
        for p in np.flatnonzero(bounds[1:] > bounds[:-1]).tolist():
            with (self.directory / f"pairs-{p:02d}.bin").open("ab") as out:
                out.write(pairs[order[bounds[p] : bounds[p + 1]]].tobytes())

    def partial(self) -> CountPart:
        """Write everything out and hand the counts over, for :func:`combine`: the
        counter takes no more documents, and its directory is now the caller's."""
        if self._samples is not None:
            self._count_batch()
            self._spill()
            self._samples.close()
            self._samples = None
            self._pairs, self._docs = self._pairs[:0].copy(), self._docs[:0].copy()
        self._cleanup.detach()
        counts = tuple(self._site_docs[i] for i in range(len(self._sites)))
        return CountPart(self.directory, self.config, tuple(self._sites), counts, self._spilled)

    def finish(self) -> SiteRepeats:
        """The table learned from everything added (:func:`combine` of this one part)."""
        owned = self._owned and self._cleanup.alive
        part = self.partial()
        try:
            return combine([part])
        finally:
            if owned:
                part.discard()


def _firsts(group: np.ndarray, key: np.ndarray) -> np.ndarray:
    """The positions of the first of each ``(group, key)``, in order."""
    order = np.lexsort((np.arange(len(key)), key, group))
    group, key = group[order], key[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (group[1:] != group[:-1]) | (key[1:] != key[:-1])
    return np.sort(order[new])


def learn(docs: Iterable[tuple[str | None, Sequence[str]]], config: LearnConfig) -> SiteRepeats:
    """The table learned from ``(site, lines)`` documents, in one process; an empty
    table when learning is not ``enabled`` (``docs`` is then not read)."""
    if not config.enabled:
        return SiteRepeats.empty()
    with RepeatCounter(config) as counter:
        for site, lines in docs:
            counter.add(site, lines)
        return counter.finish()


def combine(parts: Sequence[CountPart]) -> SiteRepeats:
    """The table learned from counts made over consecutive parts of one stream, given in
    stream order: the same as one counter over the whole stream would give."""
    if not parts:
        return SiteRepeats.empty()
    config = parts[0].config
    if any(part.config != config for part in parts):
        raise ValueError("parts counted with different settings cannot be combined")
    names = sorted({site for part in parts for site in part.sites})
    number = {site: i for i, site in enumerate(names)}
    maps = [np.array([number[s] for s in part.sites], dtype=np.uint32) for part in parts]
    site_docs = np.zeros(len(names), dtype=np.int64)
    for part, local in zip(parts, maps, strict=True):
        np.add.at(site_docs, local, np.array(part.site_docs, dtype=np.int64))
    eligible = site_docs >= config.min_site_docs
    if not eligible.any():
        return SiteRepeats.empty()
    bases = [0, *itertools.accumulate(part.docs for part in parts)]
    with tempfile.TemporaryDirectory(prefix="cleaner-combine-") as tmp:
        work = Path(tmp)
        flags = _near_duplicates(parts, maps, names, eligible, config, work)
        limit = (config.memory_mb << 20) // _REDUCE_SHARE // _PAIR.itemsize
        found: list[np.ndarray] = []
        keep = [
            functools.partial(_globalize, site=local, base=base, eligible=eligible, flags=flags)
            for local, base in zip(maps, bases, strict=False)
        ]
        for p in range(1 << _PARTITION_BITS):
            paths = [part.directory / f"pairs-{p:02d}.bin" for part in parts]
            sources: list[_Source] = [s for s in zip(paths, keep, strict=True) if s[0].exists()]
            for counted in _reduce(sources, f"p{p:02d}", 0, limit, work):
                share = config.min_share * site_docs[counted["site"]]
                learned = (counted["docs"] >= config.min_docs) & (counted["docs"] >= share)
                found.append(counted[learned])
        del flags, sources, keep
    learned = np.concatenate(found) if found else np.empty(0, dtype=_PAIR)
    samples = _samples(parts, bases, learned["ref"])
    table: dict[str, list[Seen]] = {}
    for (key, _, site, docs), sample in zip(learned.tolist(), samples, strict=True):
        if is_prose(sample) and docs < config.prose_share * site_docs[site]:
            continue  # a paragraph a running story repeats, not the template's
        table.setdefault(names[site], []).append(Seen(docs, int(site_docs[site]), sample, key))
    return SiteRepeats(table)


_Source = tuple[Path, Callable[[np.ndarray], np.ndarray] | None]


def _globalize(
    records: np.ndarray, site: np.ndarray, base: int, eligible: np.ndarray, flags: Any
) -> np.ndarray:
    """A part's records in the global numbering, without the sites that learn nothing
    and the near-duplicate documents."""
    sites = site[records["site"]]
    refs = records["ref"] + _U64(base << _REF_BITS)
    keep = eligible[sites]
    if flags is not None:
        keep &= flags[(refs >> _U64(_REF_BITS)).astype(np.intp)] == 0
    out: np.ndarray = records[keep]
    out["site"], out["ref"] = sites[keep], refs[keep]
    return out


def _chunks(sources: list[_Source], size: int) -> Iterator[np.ndarray]:
    for path, transform in sources:
        with path.open("rb") as f:
            while len(records := np.fromfile(f, dtype=_PAIR, count=size)):
                yield records if transform is None else transform(records)


def _aggregate(records: np.ndarray) -> np.ndarray:
    """One record per ``(key, site)``: documents summed, the earliest ``ref`` kept."""
    if len(records) <= 1:
        return records
    records = records[np.lexsort((records["site"], records["key"]))]
    key, site = records["key"], records["site"]
    start = np.ones(len(records), dtype=bool)
    start[1:] = (key[1:] != key[:-1]) | (site[1:] != site[:-1])
    first = np.flatnonzero(start)
    out = np.empty(len(first), dtype=_PAIR)
    out["key"], out["site"] = key[first], site[first]
    out["docs"] = np.add.reduceat(records["docs"], first)
    out["ref"] = np.minimum.reduceat(records["ref"], first)
    return out


def _reduce(
    sources: list[_Source], name: str, level: int, limit: int, work: Path
) -> Iterator[np.ndarray]:
    """The aggregated records of ``sources`` (which hold every record of their keys), a
    part at a time, none much over ``limit`` records when it can be helped."""
    size = sum(path.stat().st_size for path, _ in sources) // _PAIR.itemsize
    if size <= limit or level >= _MAX_LEVEL:
        done = np.empty(0, dtype=_PAIR)
        for chunk in _chunks(sources, limit):  # one chunk, or one a part
            done = _aggregate(np.concatenate([done, chunk]))
        yield done
        return
    shift = _U64(64 - _PARTITION_BITS * (level + 2))
    children = [work / f"{name}.{c:02d}.bin" for c in range(1 << _PARTITION_BITS)]
    for chunk in _chunks(sources, limit):
        counted = _aggregate(chunk)
        child = ((counted["key"] >> shift) & _U64(63)).astype(np.uint8)
        for c in np.unique(child).tolist():
            with children[c].open("ab") as out:
                out.write(counted[child == c].tobytes())
    for c, path in enumerate(children):
        if path.exists():
            yield from _reduce([(path, None)], f"{name}.{c:02d}", level + 1, limit, work)
            path.unlink()


def _doc_blocks(
    parts: Sequence[CountPart], maps: list[np.ndarray], size: int
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``(site, signature, signature size)`` of every document in stream order, in blocks
    of ``size`` across the parts' boundaries (the same however the stream was cut)."""
    pending: list[np.ndarray] = []
    held = 0
    for part, local in zip(parts, maps, strict=True):
        with (part.directory / "docs.bin").open("rb") as f:  # partial() always writes it
            while len(docs := np.fromfile(f, dtype=_DOC, count=size)):
                docs["site"] = local[docs["site"]]
                pending.append(docs)
                held += len(docs)
                while held >= size:
                    joined = np.concatenate(pending)
                    block = joined[:size]
                    yield block["site"], block["sig"], block["nsig"].astype(np.int64)
                    pending, held = [joined[size:]], held - size
    if held:
        joined = np.concatenate(pending)
        yield joined["site"], joined["sig"], joined["nsig"].astype(np.int64)


def _near_duplicates(
    parts: Sequence[CountPart],
    maps: list[np.ndarray],
    names: list[str],
    eligible: np.ndarray,
    config: LearnConfig,
    work: Path,
) -> Any:
    """A byte per document of the stream, 1 for a near-duplicate (module docstring), as a
    read-only memory map; ``None`` when there are no documents."""
    total = sum(part.docs for part in parts)
    if not total:
        return None
    # The sites' names are hashed (their numbers differ between parts, names do not).
    blake = (hashlib.blake2b(n.encode("utf-8", "surrogatepass"), digest_size=8) for n in names)
    site_hash = np.frombuffer(b"".join(h.digest() for h in blake), dtype="<u8")
    nbytes = 1 << max(8, ((config.memory_mb << 20) // _BLOOM_SHARE).bit_length() - 1)
    newer, older = np.zeros(nbytes, dtype=np.uint8), np.zeros(nbytes, dtype=np.uint8)
    mask = _U64(nbytes * 8 - 1)
    capacity = int(nbytes * 8 * math.log(2) / _BLOOM_HASHES)
    inserted = 0
    probes = np.arange(_BLOOM_HASHES, dtype=_U64)
    path = work / "near-duplicates.bin"
    with path.open("wb") as out:
        for sites, sig, nsig in _doc_blocks(parts, maps, _DUP_BLOCK):
            flags = np.zeros(len(sites), dtype=np.uint8)
            valid = (np.arange(_SIG_SIZE) < nsig[:, None]) & eligible[sites][:, None]
            doc, slot = np.nonzero(valid)
            if doc.size:
                h = sig[doc, slot] ^ site_hash[sites[doc]]  # hashes both: random bits already
                step = (h >> _U64(32)) | _U64(1)  # double hashing: h + i * step
                pos = ((h & _U64(0xFFFFFFFF))[:, None] + step[:, None] * probes) & mask
                byte, bit = (pos >> _U64(3)).astype(np.intp), _U64(1) << (pos & _U64(7))
                bit = bit.astype(np.uint8)
                known = (((newer[byte] | older[byte]) & bit) != 0).all(axis=1)
                _, first, inverse = np.unique(h, return_index=True, return_inverse=True)
                known |= doc[first][inverse] < doc  # an earlier document of this block
                shared = np.bincount(doc, weights=known.astype(np.float64), minlength=len(sites))
                flags[(nsig > 0) & (shared > nsig // 2)] = 1
                np.bitwise_or.at(newer, byte.ravel(), bit.ravel())
                inserted += int(doc.size)
                if inserted >= capacity:
                    newer, older, inserted = np.zeros(nbytes, dtype=np.uint8), newer, 0
            out.write(flags.tobytes())
    return np.memmap(path, dtype=np.uint8, mode="r", shape=(total,))


def _samples(parts: Sequence[CountPart], bases: list[int], refs: np.ndarray) -> list[str]:
    """The text of each ``ref`` (a document's number in the stream and a segment's place
    in it), read back from the parts' ``samples.txt``, a part at a time."""
    out, current = [""] * len(refs), -1
    with ExitStack() as stack:
        for i in np.argsort(refs, kind="stable").tolist():
            number, place = int(refs[i]) >> _REF_BITS, int(refs[i]) & _MAX_SEGMENTS
            part = bisect_right(bases, number) - 1
            if part != current:
                current, directory = part, parts[part].directory
                docs = np.memmap(directory / "docs.bin", dtype=_DOC, mode="r")
                samples = stack.enter_context((directory / "samples.txt").open("rb"))
            samples.seek(int(docs[number - bases[part]]["block"]))
            lines = [samples.readline() for _ in range(place + 1)]
            out[i] = lines[-1].rstrip(b"\n").decode("utf-8", "surrogatepass")
    return out
