"""Examples of what the rules removed, a few per rule, the same however a run is split.

A record keeps only how many lines each rule removed (``cleaning.rule_hits``); a count
cannot tell a rule that takes a share button from one that takes the story's first
paragraph. So a run keeps a few of the removed lines themselves (:class:`RemovalSamples`,
in the ``--stats`` file and in each shard's marker), and ``cleaner report`` shows them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

SAMPLES_PER_RULE = 3
"""Lines kept per rule id as examples of what it removed."""
SAMPLE_CHARS = 160
"""A sample line is cut to this many characters: enough to recognize it."""


def sample_key(text: str) -> int:
    """A stable 64-bit hash (the same in every process, unlike :func:`hash`), which
    decides which samples are kept."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


class Removal(NamedTuple):
    """A line (or the piece of one) a rule removed, with the keys that rank it as a sample
    (computed where the document was cleaned, so the writing process only compares)."""

    rule: str
    text: str
    """Cut to :data:`SAMPLE_CHARS`."""
    source: str
    key: int
    """:func:`sample_key` of ``text``."""
    source_key: int
    """:func:`sample_key` of ``source``."""


def _cut(text: str) -> str:
    return text if len(text) <= SAMPLE_CHARS else text[: SAMPLE_CHARS - 1] + "…"


def pick_removals(removed: Iterable[tuple[str, str]], source: str) -> tuple[Removal, ...]:
    """What one document offers the run's samples: per rule, of the ``(rule, text)`` it
    removed, the text of smallest :func:`sample_key`. One line per rule keeps what a
    document sends to the writer small, and a rule's samples then come from different
    documents."""
    best: dict[str, tuple[int, str]] = {}
    for rule, text in removed:
        cut = _cut(text)
        key = (sample_key(cut), cut)
        held = best.get(rule)
        if held is None or key < held:
            best[rule] = key
    if not best:
        return ()
    where = sample_key(source)
    return tuple(Removal(rule, text, source, key, where) for rule, (key, text) in best.items())


@dataclass
class RemovalSamples:
    """Per rule id, up to :data:`SAMPLES_PER_RULE` different texts it removed, each with a
    source it was removed from: what ``cleaner report`` shows as examples.

    **Bounded, and the same however the run was split.** A rule keeps the texts of
    smallest :func:`sample_key` (ties by the text), and a text the source of smallest
    key (ties by the source): the k smallest of a union are the k smallest of the parts'
    k smallest, so merging is commutative and associative, and the samples of a run on
    any number of workers or shards are those of one process. Keyed on the text, not on
    the pair with its source, so that a rule removing one line on every page shows it
    once, not three times."""

    rules: dict[str, dict[str, tuple[int, int, str]]] = field(default_factory=dict)
    """Rule id → text → ``(key, source key, source)``."""

    def add(self, removal: Removal) -> None:
        kept = self.rules.setdefault(removal.rule, {})
        held = kept.get(removal.text)
        entry = (removal.key, removal.source_key, removal.source)
        if held is not None:
            if entry[1:] < held[1:]:
                kept[removal.text] = entry
            return
        if len(kept) >= SAMPLES_PER_RULE:
            worst = max(kept, key=lambda text: (kept[text][0], text))
            if (removal.key, removal.text) > (kept[worst][0], worst):
                return
            del kept[worst]
        kept[removal.text] = entry

    def merge(self, other: RemovalSamples) -> None:
        for rule, kept in other.rules.items():
            for text, (key, source_key, source) in kept.items():
                self.add(Removal(rule, text, source, key, source_key))

    def samples(self) -> dict[str, list[tuple[str, str]]]:
        """Per rule id (sorted), its ``(text, source)`` samples in key order."""
        return {
            rule: [(text, kept[text][2]) for text in sorted(kept, key=lambda t: (kept[t][0], t))]
            for rule, kept in sorted(self.rules.items())
        }

    def to_dict(self) -> dict[str, list[dict[str, str]]]:
        return {
            rule: [{"text": text, "source": source} for text, source in pairs]
            for rule, pairs in self.samples().items()
        }

    @classmethod
    def from_dict(cls, data: dict[str, list[dict[str, str]]]) -> RemovalSamples:
        """Samples back from :meth:`to_dict` (the keys are computed again)."""
        samples = cls()
        for rule, pairs in data.items():
            for pair in pairs:
                text, source = _cut(pair["text"]), pair["source"]
                samples.add(Removal(rule, text, source, sample_key(text), sample_key(source)))
        return samples
