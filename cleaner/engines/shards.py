"""Sharded runs: directory output (``-o DIR/``), resume, and the Dask engine's unit of work.

The inputs are grouped, in order, into shards of about ``shard_bytes``
(:func:`plan_shards`); each shard of input files becomes ``part-NNNNN.jsonl.gz`` and
``part-NNNNN.rejects.jsonl.gz`` (``part-NNNNN.parquet`` for the articles in a directory
named ``*.parquet``: :func:`part_paths`), then a ``part-NNNNN.done`` marker
(:func:`clean_shard`), which is what ``--resume`` trusts. The shards are cleaned here,
on every core, or on a Dask cluster (:mod:`cleaner.engines.dask`); both write the same files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.config import CleanerConfig
from cleaner.engines.outcome import Outcome, add_outcome, outcome_of
from cleaner.engines.stats import RunStats
from cleaner.io.readers import Unit
from cleaner.io.sinks import open_sink, output_format, write_atomically
from cleaner.io.sources import InputFile, expand_inputs, read_input
from cleaner.models import Article, Reject, Skip
from cleaner.pipeline import Cleaner
from cleaner.rules.load import rules_digest


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


def run_settings(config: CleanerConfig) -> dict[str, Any]:
    """What decides a run's output besides its inputs: the cleaner's version, the
    configuration (less where the run writes, and the memory for texts the learning
    pass keeps, which changes no output) and a digest of the rule files (and of a
    ``--learned`` table). A resumed run must have the same, or its parts would mix
    outputs of two settings."""
    import cleaner

    settings: dict[str, Any] = {
        "cleaner": cleaner.__version__,
        "config": config.model_dump(
            mode="json", exclude={"read": {"exclude"}, "learn": {"carry_mb"}}
        ),
        "rules": rules_digest(config.rules_dirs),
    }
    if config.learned is not None and config.learned.is_file():
        digest = hashlib.blake2b(config.learned.read_bytes(), digest_size=16)
        settings["learned"] = digest.hexdigest()
    return settings


def settings_key(settings: dict[str, Any]) -> str:
    """A short fingerprint of :func:`run_settings`, kept in each shard's marker."""
    canonical = json.dumps(settings, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.blake2b(canonical, digest_size=16).hexdigest()


def part_paths(out_dir: Path, shard: Shard) -> tuple[Path, Path]:
    """A shard's part files, articles and rejects: ``part-NNNNN.jsonl.gz`` and
    ``part-NNNNN.rejects.jsonl.gz``. A directory named like a Parquet file
    (``-o corpus.parquet/``, as Spark and DuckDB name a dataset written in parts) gets
    its articles as ``part-NNNNN.parquet``; its rejects stay JSON Lines, so that
    ``corpus.parquet/*.parquet`` is the articles alone."""
    parquet = output_format(out_dir) == "parquet"
    articles = f"{shard.name}.parquet" if parquet else f"{shard.name}.jsonl.gz"
    return out_dir / articles, out_dir / f"{shard.name}.rejects.jsonl.gz"


def marker_path(out_dir: Path, shard: Shard) -> Path:
    return out_dir / f"{shard.name}.done"


def is_done(out_dir: Path, shard: Shard, settings: str) -> dict[str, Any] | None:
    """The stats a finished shard recorded, if it finished on these same inputs with the
    same ``settings`` (:func:`settings_key`)."""
    marker = marker_path(out_dir, shard)
    if not marker.exists():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("inputs") != shard.signature() or data.get("settings") != settings:
        return None
    stats: dict[str, Any] = data["stats"]
    return stats


def clean_shard(
    shard: Shard,
    config: CleanerConfig,
    out_dir: Path,
    settings: str,
    outcomes: Iterator[Outcome] | None = None,
) -> dict[str, Any]:
    """Clean one shard into its part files, then leave the completion marker.

    The part files are written under temporary names and renamed when complete; the
    marker comes last, so a shard without a marker is unfinished and redone whole.
    The marker records the shard's inputs and the run's ``settings``
    (:func:`settings_key`). Returns the shard's stats as a dict (what the marker holds).
    """
    stats = RunStats()
    if outcomes is None:
        cleaner = Cleaner(config)
        units = shard_units(shard, config)
        outcomes = (outcome_of(unit, cleaner, samples=True) for unit in units)
    articles_path, rejects_path = part_paths(out_dir, shard)
    articles = open_sink(articles_path, Article)
    rejects = open_sink(rejects_path, Reject)
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
    summary = stats.to_dict(id_hashes=True)  # repeated ids across shards
    record = {"inputs": shard.signature(), "settings": settings, "stats": summary}
    write_atomically(marker_path(out_dir, shard), json.dumps(record, ensure_ascii=False).encode())
    return summary
