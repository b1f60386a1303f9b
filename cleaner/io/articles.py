"""Reading a cleaned corpus back: the articles (and rejects) ``cleaner clean`` wrote, for
the commands that work on a finished run (``dedup``, ``report``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from cleaner.errors import CleanerError
from cleaner.io.sinks import output_format
from cleaner.io.streams import decompressed


def read_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` of each line of a JSON Lines file the cleaner wrote
    (articles or rejects; compressed or not), or of each row of its Parquet output, for
    the commands that read a corpus back. A line that is not a JSON object is a
    :class:`~cleaner.errors.CleanerError`."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise CleanerError(f"cannot read {path}: {exc.strerror}") from None
    if output_format(path) == "parquet":
        raw.close()
        yield from _parquet_records(path)
        return
    with raw, decompressed(raw) as stream:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError:
                raise CleanerError(f"{path}:{number}: not a JSON line") from None
            if not isinstance(record, dict):
                raise CleanerError(f"{path}:{number}: not a JSON object")
            yield number, record


def _parquet_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """The rows of a Parquet file of articles as the JSON Lines output's objects (the
    timestamps in UTC, as Parquet keeps them), a row group at a time."""
    import pyarrow.parquet as pq

    from cleaner.io.arrow import records as arrow_records

    try:
        table = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise CleanerError(f"{path}: not a Parquet file of articles ({exc})") from None
    number = 0
    for batch in table.iter_batches():
        for record in arrow_records(batch):
            number += 1
            yield number, orjson.loads(orjson.dumps(record))


PARTS = (".parquet", ".jsonl", ".jsonl.gz", ".jsonl.zst")
"""The endings of the part files of articles a sharded run writes."""


def corpus_files(path: Path) -> list[Path]:
    """The files of articles at ``path``: the file itself, or the part files of a sharded
    run (``clean -o DIR/``) in shard order. Every shard must have left its completion
    marker: the articles of an unfinished one would be silently missing."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise CleanerError(f"no such file or directory: {path}")
    parts = sorted(
        p for p in path.glob("part-*") if ".rejects." not in p.name and p.name.endswith(PARTS)
    )
    if not parts:
        raise CleanerError(f"{path}: no part files (part-NNNNN.jsonl.gz) of a sharded run")
    for part in parts:
        shard = part.name.split(".")[0]
        if not (path / f"{shard}.done").exists():
            raise CleanerError(
                f"{path}: {shard} has no completion marker ({shard}.done): the run did not "
                "finish; run the same clean again with --resume"
            )
    return parts


def read_articles(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """:func:`read_records` of a file of articles: each must hold a ``text``."""
    for number, record in read_records(path):
        if not isinstance(record.get("text"), str):
            raise CleanerError(f"{path}:{number}: not an article record (no text)")
        yield number, record


def articles_of(files: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """Every article of ``files`` (:func:`corpus_files`), in order."""
    return (record for path in files for _, record in read_articles(path))
