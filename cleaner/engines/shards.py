"""Sharded runs: directory output (``-o DIR/``), resume, and the Dask engine's unit of work.

The inputs are grouped, in order, into shards of about ``shard_bytes``
(:func:`plan_shards`); each shard of input files becomes ``part-NNNNN.jsonl.gz`` and
``part-NNNNN.rejects.jsonl.gz``, then a ``part-NNNNN.done`` marker (:func:`clean_shard`),
which is what ``--resume`` trusts. The shards are cleaned here, on every core, or on a
Dask cluster (:mod:`cleaner.engines.dask`); both write the same files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.config import CleanerConfig
from cleaner.engines.outcome import Outcome, add_outcome, outcome_of
from cleaner.engines.stats import RunStats
from cleaner.io.readers import Unit
from cleaner.io.sinks import JsonlWriter
from cleaner.io.sources import InputFile, expand_inputs, read_input
from cleaner.models import Skip
from cleaner.pipeline import Cleaner


@dataclass(frozen=True)
class Shard:
    """Consecutive input files cleaned into one pair of part files."""

    index: int
    files: tuple[tuple[str, str, str | None], ...]
    """``(path, source, format)`` of each file."""

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"

    def signature(self) -> list[list[Any]]:
        """What the inputs were when the shard ran: path, size and mtime of each file."""
        out = []
        for path, _, _ in self.files:
            st = Path(path).stat()
            out.append([path, st.st_size, st.st_mtime_ns])
        return out


def plan_shards(
    inputs: Iterable[str], config: CleanerConfig, shard_bytes: int = 64 * 1024 * 1024
) -> tuple[list[Shard], list[Skip]]:
    """Group the input files, in order, into shards of about ``shard_bytes`` (a larger
    file is a shard of its own). Standard input cannot be sharded."""
    shards: list[Shard] = []
    skipped: list[Skip] = []
    current: list[tuple[str, str, str | None]] = []
    held = 0
    for item in expand_inputs(inputs, config.read):
        if isinstance(item, Skip):
            skipped.append(item)
            continue
        if item.path == "-":
            raise ValueError("standard input cannot be split into shards; name files")
        size = Path(item.path).stat().st_size
        if current and held + size > shard_bytes:
            shards.append(Shard(len(shards), tuple(current)))
            current, held = [], 0
        current.append((item.path, item.source, item.format))
        held += size
    if current:
        shards.append(Shard(len(shards), tuple(current)))
    return shards, skipped


def shard_units(shard: Shard, config: CleanerConfig) -> Iterator[Unit]:
    for path, source, fmt in shard.files:
        yield from read_input(InputFile(path, source, fmt), config.read)  # type: ignore[arg-type]


def marker_path(out_dir: Path, shard: Shard) -> Path:
    return out_dir / f"{shard.name}.done"


def is_done(out_dir: Path, shard: Shard) -> dict[str, Any] | None:
    """The stats a finished shard recorded, if it finished on these same inputs."""
    marker = marker_path(out_dir, shard)
    if not marker.exists():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("inputs") != shard.signature():
        return None
    stats: dict[str, Any] = data["stats"]
    return stats


def clean_shard(
    shard: Shard,
    config: CleanerConfig,
    out_dir: Path,
    outcomes: Iterator[Outcome] | None = None,
) -> dict[str, Any]:
    """Clean one shard into its part files, then leave the completion marker.

    The part files are written under temporary names and renamed when complete; the
    marker comes last, so a shard without a marker is unfinished and redone whole.
    Returns the shard's stats as a dict (what the marker holds).
    """
    stats = RunStats()
    if outcomes is None:
        cleaner = Cleaner(config)
        outcomes = (outcome_of(unit, cleaner) for unit in shard_units(shard, config))
    articles = JsonlWriter(out_dir / f"{shard.name}.jsonl.gz")
    rejects = JsonlWriter(out_dir / f"{shard.name}.rejects.jsonl.gz")
    try:
        for outcome in outcomes:
            add_outcome(stats, outcome)
            if outcome.kind == "article":
                articles.write_line(outcome.line)
            elif outcome.kind == "reject":
                rejects.write_line(outcome.line)
        articles.commit()
        rejects.commit()
    finally:
        articles.abort()
        rejects.abort()
    summary = stats.to_dict()
    record = {"inputs": shard.signature(), "stats": summary}
    marker = marker_path(out_dir, shard)
    tmp = marker.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    tmp.replace(marker)
    return summary
