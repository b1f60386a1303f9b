"""Counting a run: articles, rejects by reason, rule hits per outlet, repeated ids.

Stats are plain counters, so runs on several processes or machines merge by adding them
up (:meth:`RunStats.merge`). Given the rulebook, they also tell which rules of the
outlets seen never fired: dead rules show, as over-eager ones do in the hit counts.

Articles whose id an earlier article of the run already had are counted too
(:class:`IdTally`): an input that repeats its ids, or two copies of one file, would
otherwise pass silently, and every later join on ``id`` would go wrong.

The records keep only how many lines each rule removed, so the run also keeps a few of
the lines themselves (:class:`~cleaner.engines.samples.RemovalSamples`): ``cleaner
report`` shows them, since a count alone cannot tell a rule that takes boilerplate from
one that takes prose.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cleaner.engines.samples import RemovalSamples
from cleaner.models import Article, Reject, Skip
from cleaner.rules.compile import Rulebook
from cleaner.rules.schema import EVERY_DOCUMENT

UNKNOWN_OUTLET = "(no outlet rules)"

REPEAT_EXAMPLES = 5
"""Ids kept as examples of repeats: enough to look them up, few enough for one line."""

Hashes = np.ndarray[Any, np.dtype[np.uint64]]


def plural(count: int, one: str, many: str | None = None) -> str:
    """``count`` and the words for it: ``one`` for 1, else ``many`` (by default ``one``
    and an s): ``1 duplicate``, ``2 duplicates``, ``1 story``, ``3 stories``, ``1
    article repeats``, ``2 articles repeat``. Every count said in words goes through
    here, so that no line says "1 clusters"."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def id_hashes(ids: list[str]) -> Hashes:
    """Each id's 8-byte BLAKE2b hash, as unsigned integers (the same in every process,
    unlike :func:`hash`)."""
    blake2b = hashlib.blake2b
    digests = b"".join(
        blake2b(doc_id.encode("utf-8", "surrogatepass"), digest_size=8).digest() for doc_id in ids
    )
    return np.frombuffer(digests, dtype="<u8").astype(np.uint64)


class IdTally:
    """Which ids a run has seen, to count the articles that repeat an earlier one.

    **Memory: 8 bytes per distinct id**, not the ids themselves: a hash (:func:`id_hashes`)
    each, in sorted NumPy arrays ("runs"), plus the last :attr:`BATCH` ids as strings.
    Ten million articles take about 80 MB (briefly twice that while two runs merge),
    where a Python set of those hashes would take about 700 MB and of the ids more. Two
    different ids share a hash with probability about n² / 2⁶⁵ (3 in a million for ten
    million ids); that would count one repeat too many, never one too few.

    Ids are checked a batch at a time, in order, with vectorized searches: the answer is
    not needed per article, only in the totals, and a search per id would cost the single
    writing process about 20 µs an article. Runs hold disjoint hashes and merge like a
    binary counter (a new run swallows the older ones no larger than it), so there are
    at most log₂(ids / BATCH) + 1 of them to search and each hash is copied log times.

    Tallies of consecutive parts of a run (shards) merge (:meth:`merge`): an id seen in
    two parts is a repeat, though only its hash is known there, so such repeats are
    counted without an example.
    """

    BATCH = 4096

    def __init__(self) -> None:
        self.repeats = 0
        """Ids seen that an earlier one equalled (the second and later of each)."""
        self.examples: list[str] = []
        """The first :data:`REPEAT_EXAMPLES` distinct ids repeated, in the order found."""
        self._runs: list[Hashes] = []
        self._pending: list[str] = []

    def add(self, doc_id: str) -> None:
        self._pending.append(doc_id)
        if len(self._pending) >= self.BATCH:
            self.settle()

    def settle(self) -> None:
        """Check the pending ids against those seen before, and among themselves."""
        if not self._pending:
            return
        ids, self._pending = self._pending, []
        batch = id_hashes(ids)
        earlier = self._known(batch)
        unique, first = np.unique(batch, return_index=True)
        repeated = earlier.copy()
        within = np.ones(len(batch), dtype=bool)
        within[first] = False  # each hash's first place in the batch is not a repeat in it
        repeated |= within
        self.repeats += int(np.count_nonzero(repeated))
        for place in np.flatnonzero(repeated):
            if len(self.examples) >= REPEAT_EXAMPLES:
                break
            if ids[place] not in self.examples:
                self.examples.append(ids[place])
        self._push(unique[~earlier[first]])

    def _known(self, hashes: Hashes) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """For each of ``hashes``, whether a run holds it."""
        found = np.zeros(len(hashes), dtype=bool)
        for run in self._runs:
            places = np.minimum(np.searchsorted(run, hashes), len(run) - 1)
            found |= run[places] == hashes
        return found

    def _push(self, new: Hashes) -> None:
        """Add sorted hashes no run holds, merging the runs no larger than them (runs are
        disjoint, so a merge is a sort of two sorted runs: linear, with timsort)."""
        if not len(new):
            return
        while self._runs and len(self._runs[-1]) <= len(new):
            new = np.sort(np.concatenate([self._runs.pop(), new]), kind="stable")
        self._runs.append(new)

    def __len__(self) -> int:
        """Distinct ids seen."""
        self.settle()
        return sum(len(run) for run in self._runs)

    def hashes(self) -> Hashes:
        """Every distinct hash seen, sorted."""
        self.settle()
        if not self._runs:
            return np.zeros(0, dtype=np.uint64)
        return np.sort(np.concatenate(self._runs))

    def merge(self, other: IdTally) -> None:
        """Add the tally of a later part of the run (its ids come after these)."""
        self.settle()
        theirs = other.hashes()
        shared = self._known(theirs)
        self.repeats += other.repeats + int(np.count_nonzero(shared))
        for example in other.examples:
            if len(self.examples) < REPEAT_EXAMPLES and example not in self.examples:
                self.examples.append(example)
        self._push(theirs[~shared])

    def encoded(self) -> str:
        """:meth:`hashes` as text for a JSON file (base64 of little-endian 8-byte
        integers: about 11 characters an id)."""
        return base64.b64encode(self.hashes().astype("<u8").tobytes()).decode("ascii")

    @classmethod
    def decoded(cls, repeats: int, examples: list[str], hashes: str | None) -> IdTally:
        """A tally back from :meth:`encoded` (no hashes: the repeats only)."""
        tally = cls()
        tally.repeats, tally.examples = repeats, list(examples)[:REPEAT_EXAMPLES]
        if hashes:
            raw = np.sort(np.frombuffer(base64.b64decode(hashes), dtype="<u8").astype(np.uint64))
            tally._push(raw[np.concatenate(([True], raw[1:] != raw[:-1]))])  # sorted, distinct
        return tally


@dataclass
class OutletStats:
    documents: int = 0
    articles: int = 0
    rejects: int = 0
    rule_hits: Counter[str] = field(default_factory=Counter)


@dataclass
class RunStats:
    """Totals of one run, fed one result at a time."""

    articles: int = 0
    rejects: Counter[str] = field(default_factory=Counter)
    outlets: defaultdict[str, OutletStats] = field(default_factory=lambda: defaultdict(OutletStats))
    skipped: Counter[str] = field(default_factory=Counter)
    """What readers passed over (not input units), by kind."""
    ids: IdTally = field(default_factory=IdTally, compare=False, repr=False)
    """The articles' ids, to count those that repeat an earlier one."""
    ids_whole_run: bool = True
    """Whether repeated ids were counted across the whole run. False once stats merged in
    came without their id hashes (a shard marker written without them, or by a version
    before them): repeats within each part are counted, not those between parts."""
    removals: RemovalSamples = field(default_factory=RemovalSamples)
    """A few of the lines each rule removed, as examples."""

    @property
    def rejected(self) -> int:
        return sum(self.rejects.values())

    @property
    def repeated_ids(self) -> int:
        """Articles whose id an earlier article of the run had."""
        self.ids.settle()
        return self.ids.repeats

    def add(self, result: Article | Reject | Skip) -> None:
        if isinstance(result, Skip):
            self.count("skip", None, result.what, None)
        elif isinstance(result, Article):
            self.count("article", result.outlet, None, result.cleaning.rule_hits, doc_id=result.id)
        else:
            self.count("reject", result.outlet, result.reason, result.rule_hits)

    def count(
        self,
        kind: str,
        outlet: str | None,
        reason: str | None,
        rule_hits: dict[str, int] | None,
        doc_id: str | None = None,
    ) -> None:
        """Count one unit: an article (and its id), a reject (and its reason) or a skip
        (and what). Only articles' ids are tallied: they are what a corpus is keyed on."""
        if kind == "skip":
            self.skipped[reason or "?"] += 1
            return
        stats = self.outlets[outlet or UNKNOWN_OUTLET]
        stats.documents += 1
        if kind == "article":
            self.articles += 1
            stats.articles += 1
            if doc_id is not None:
                self.ids.add(doc_id)
        else:
            self.rejects[reason or "?"] += 1
            stats.rejects += 1
        if rule_hits:
            stats.rule_hits.update(rule_hits)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunStats:
        """Stats back from :meth:`to_dict` (a finished shard's marker). Without
        ``id_hashes`` (a marker of an older version, or written without them), the
        repeats between these articles and others cannot be told: see
        :attr:`ids_whole_run`."""
        stats = cls(articles=data["articles"])
        stats.rejects.update(data["rejects"])
        stats.skipped.update(data["skipped"])
        repeated = data.get("repeated_ids", {})
        hashes = data.get("id_hashes")
        stats.ids = IdTally.decoded(
            repeated.get("articles", 0), repeated.get("examples", []), hashes
        )
        stats.ids_whole_run = bool(repeated.get("whole_run", True)) and (
            hashes is not None or not stats.articles
        )
        stats.removals = RemovalSamples.from_dict(data.get("removal_samples", {}))
        for name, o in data["outlets"].items():
            outlet = stats.outlets[name]
            outlet.documents, outlet.articles, outlet.rejects = (
                o["documents"],
                o["articles"],
                o["rejects"],
            )
            outlet.rule_hits.update(o["rule_hits"])
        return stats

    def merge(self, other: RunStats) -> None:
        """Add the counts of another run, or of a later part of this one (an id of
        ``other`` that these stats saw too counts as a repeat)."""
        self.articles += other.articles
        self.ids.merge(other.ids)
        self.ids_whole_run = self.ids_whole_run and other.ids_whole_run
        self.rejects.update(other.rejects)
        self.skipped.update(other.skipped)
        self.removals.merge(other.removals)
        for name, theirs in other.outlets.items():
            mine = self.outlets[name]
            mine.documents += theirs.documents
            mine.articles += theirs.articles
            mine.rejects += theirs.rejects
            mine.rule_hits.update(theirs.rule_hits)

    def never_fired(self, rulebook: Rulebook) -> dict[str, list[str]]:
        """Per outlet seen (and for the generic file), the rules that never fired."""
        out: dict[str, list[str]] = {}
        all_hits: Counter[str] = Counter()
        for name, o in self.outlets.items():
            all_hits.update(o.rule_hits)
            rules = rulebook.outlets.get(name)
            if rules is not None:
                dead = [r.id for r in rules.compiled_rules() if not o.rule_hits[r.id]]
                if dead:
                    out[name] = dead
        if self.outlets:
            for shared in rulebook.everywhere:
                dead = [r.id for r in shared.compiled_rules() if not all_hits[r.id]]
                if dead:
                    out[shared.outlet] = dead
        return out

    def to_dict(
        self, rulebook: Rulebook | None = None, *, id_hashes: bool = False
    ) -> dict[str, Any]:
        """Everything counted, for ``--stats FILE``.

        With ``id_hashes``, also every distinct id's hash (about 11 characters an
        article), so that stats merged from it count the repeats between parts: for a
        shard's completion marker, not for people."""
        never = self.never_fired(rulebook) if rulebook is not None else {}
        hashes = {"id_hashes": self.ids.encoded()} if id_hashes else {}
        return {
            "articles": self.articles,
            "rejected": self.rejected,
            "rejects": dict(self.rejects.most_common()),
            "skipped": dict(self.skipped.most_common()),
            "repeated_ids": {
                "articles": self.repeated_ids,
                "examples": list(self.ids.examples),
                "whole_run": self.ids_whole_run,
            },
            **hashes,
            "outlets": {
                name: {
                    "documents": o.documents,
                    "articles": o.articles,
                    "rejects": o.rejects,
                    "rule_hits": dict(sorted(o.rule_hits.items(), key=lambda kv: (-kv[1], kv[0]))),
                    "never_fired": never.get(name, []),
                }
                for name, o in sorted(self.outlets.items())
            },
            **{f"{name}_never_fired": never.get(name, []) for name in EVERY_DOCUMENT},
            "removal_samples": self.removals.to_dict(),
        }

    def one_line(self) -> str:
        """``N articles, M rejected`` (the line every run prints on standard error)."""
        line = f"{plural(self.articles, 'article')}, {self.rejected:,} rejected"
        if self.rejects:
            line += " (" + ", ".join(f"{n} {r}" for r, n in sorted(self.rejects.items())) + ")"
        if self.skipped:
            line += f"; {sum(self.skipped.values()):,} skipped"
        if self.repeated_ids:
            line += f"; {plural(self.repeated_ids, 'article repeats', 'articles repeat')}"
            line += " an earlier id"
            notes = []
            if self.ids.examples:
                shown = self.ids.examples[:3]
                more = ", …" if len(self.ids.examples) > len(shown) else ""
                notes.append("e.g. " + ", ".join(map(_short, shown)) + more)
            if not self.ids_whole_run:
                notes.append("counted within each shard")
            if notes:
                line += " (" + "; ".join(notes) + ")"
        return line

    def render(self, rulebook: Rulebook | None = None) -> str:
        """A one-screen summary: totals, rejects by reason, per outlet the rule hits (and,
        given the rulebook, the rules that never fired)."""
        never = self.never_fired(rulebook) if rulebook is not None else {}
        out = [self.one_line(), ""]
        if self.rejects:
            out.append("rejects by reason")
            out += [f"  {reason:<24} {n:>7}" for reason, n in self.rejects.most_common()]
            out.append("")
        if self.skipped:
            out.append("skipped (not input units)")
            out += [f"  {what:<40} {n:>7}" for what, n in self.skipped.most_common()]
            out.append("")
        out.append(f"{'outlet':<24} {'docs':>7} {'articles':>9} {'rejects':>8} {'rule hits':>10}")
        for name in sorted(self.outlets):
            o = self.outlets[name]
            removed = sum(o.rule_hits.values())
            out.append(f"{name:<24} {o.documents:>7} {o.articles:>9} {o.rejects:>8} {removed:>10}")
            for rule, n in sorted(o.rule_hits.items(), key=lambda kv: (-kv[1], kv[0])):
                out.append(f"    {rule:<47} {n:>10}")
            if name in never:
                out.append(f"    never fired: {_brief(never[name])}")
        for name in EVERY_DOCUMENT:
            if name in never:
                out.append(f"{name} rules never fired: {_brief(never[name])}")
        return "\n".join(out)


def _short(doc_id: str, most: int = 40) -> str:
    """An id for the one-line summary (an id may be a long URL)."""
    return doc_id if len(doc_id) <= most else doc_id[: most - 1] + "…"


def _brief(ids: list[str], most: int = 6) -> str:
    names = ", ".join(i.split("/", 1)[1] for i in ids[:most])
    return names + (f" and {len(ids) - most} more" if len(ids) > most else "")
