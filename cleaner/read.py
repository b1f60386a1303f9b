"""Stage 1: find the input units and read them.

An input is a file, a directory (walked recursively in sorted order, hidden entries
skipped) or ``-`` for standard input. Each is opened, decompressed when it starts with
gzip or zstd magic, and given to the reader of its format:

========  ==========================================  ============================
format    suffixes (each also with .gz / .zst)         unit
========  ==========================================  ============================
text      .txt .text                                  the file
html      .html .htm .xhtml                           the file
jsonl     .jsonl .ndjson .json (JSON Lines)           one line: a record with
                                                      ``text`` or ``html``
warc      .warc (.warc.gz)                            one HTML response record
========  ==========================================  ============================

A file named on the command line with another suffix, and standard input, are sniffed
by content. In a directory, files no reader takes are passed over and counted.

Readers yield :class:`RawDocument` for each unit, :class:`Reject` for a unit they cannot
read (bad JSON, a truncated archive, a unit over the size bound) and :class:`Skip` for
what is not a unit (a WARC request record), so nothing disappears without a trace.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

import orjson

from cleaner.config import ReadConfig
from cleaner.errors import CleanerError, InputError
from cleaner.models import RawDocument, Reject, Skip
from cleaner.streams import TooLargeError, bounded_lines, damage, decompressed, read_bounded

STDIN = "-"
Format = Literal["text", "html", "jsonl", "warc"]
Unit = RawDocument | Reject | Skip

SUFFIXES: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".warc": "warc",
}
COMPRESSION_SUFFIXES = (".gz", ".zst")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<div", b"<p>")


def format_for_name(name: str) -> Format | None:
    """The format a file name's suffix names (``a.jsonl.gz`` → ``jsonl``), if any."""
    lowered = name.lower()
    for compression in COMPRESSION_SUFFIXES:
        lowered = lowered.removesuffix(compression)
    return SUFFIXES.get(Path(lowered).suffix)


def sniff(head: bytes) -> Format:
    """The format of content that starts with ``head`` (already decompressed)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"WARC/"):
        return "warc"
    if start.startswith(b"{"):
        return "jsonl"
    lowered = start[:2048].lower()
    if lowered.startswith(b"<") and any(marker in lowered for marker in _HTML_MARKERS):
        return "html"
    return "text"


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read: its path (or ``-``), the name shown as ``source``, its format
    (``None``: sniff the content)."""

    path: str
    source: str
    format: Format | None


def expand_inputs(inputs: Iterable[str], config: ReadConfig) -> Iterator[InputFile | Skip]:
    """The files named by ``inputs``, in order; a missing input raises :class:`InputError`.

    Files named directly are always read (by suffix, else by content); in a directory
    only files whose suffix names a format are read, the others are yielded as skips.
    """
    forced: Format | None = None if config.format == "auto" else config.format
    for item in inputs:
        if item == STDIN:
            yield InputFile(STDIN, "<stdin>", forced)
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(_walk(path), key=lambda p: p.as_posix()):
                fmt = forced or format_for_name(child.name)
                if fmt is None:
                    yield Skip(
                        child.as_posix(), f"file with no reader ({child.suffix or 'no suffix'})"
                    )
                else:
                    yield InputFile(str(child), child.as_posix(), fmt)
        elif path.exists():
            yield InputFile(str(path), path.as_posix(), forced or format_for_name(path.name))
        else:
            raise InputError(f"no such file or directory: {item}")


def _walk(directory: Path) -> Iterator[Path]:
    for child in directory.iterdir():
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _walk(child)
        elif child.is_file():
            yield child


def check_inputs(inputs: Iterable[str]) -> None:
    """Fail early, before any output is written, if an input does not exist."""
    for item in inputs:
        if item != STDIN and not Path(item).exists():
            raise InputError(f"no such file or directory: {item}")


def read_stream(
    stream: BinaryIO, source: str, fmt: Format | None, config: ReadConfig
) -> Iterator[Unit]:
    """The units of one opened input."""
    content = decompressed(stream)
    fmt = fmt or sniff(content.peek(4096))
    reported = False
    for unit in READERS[fmt](content, source, config.max_unit_bytes):
        reported = reported or (isinstance(unit, Reject) and unit.reason == "truncated_archive")
        yield unit
    if not reported and (problem := damage(content)):
        yield Reject(
            source=source,
            reason="truncated_archive",
            detail=f"{problem}; every unit before the damage was read",
        )


def read_input(item: InputFile, config: ReadConfig) -> Iterator[Unit]:
    """The units of one input file; an unreadable file is one reject."""
    if item.path == STDIN:
        yield from read_stream(sys.stdin.buffer, item.source, item.format, config)
        return
    try:
        with Path(item.path).open("rb") as stream:
            yield from read_stream(stream, item.source, item.format, config)
    except OSError as exc:
        yield Reject(source=item.source, reason="unreadable", detail=exc.strerror or str(exc))


def read_units(inputs: Iterable[str], config: ReadConfig | None = None) -> Iterator[Unit]:
    """Every unit of every input, in input order."""
    config = config or ReadConfig()
    for item in expand_inputs(inputs, config):
        if isinstance(item, Skip):
            yield item
        else:
            yield from read_input(item, config)


# ---------------------------------------------------------------------------------------
# Readers: one function per format, (stream, source, size bound) -> units.


def _too_large(source: str, exc: TooLargeError) -> Reject:
    return Reject(source=source, reason="too_large", detail=str(exc))


def read_whole(
    stream: BinaryIO, source: str, limit: int, kind: Literal["text", "html"]
) -> Iterator[Unit]:
    """A text or HTML file: the whole file is one document."""
    try:
        data = read_bounded(stream, limit)
    except TooLargeError as exc:
        yield _too_large(source, exc)
        return
    if problem := damage(stream):  # a document cut short is not the document
        yield Reject(source=source, reason="truncated_archive", detail=problem)
        return
    yield RawDocument(source=source, data=data, kind=kind)


JSONL_FIELDS = ("text", "html", "url", "id", "outlet", "published_at")
"""Fields of a JSONL record the cleaner reads; all others travel on under ``extra``."""


def read_jsonl(stream: BinaryIO, source: str, limit: int) -> Iterator[Unit]:
    """JSON Lines: each line one record with ``text`` or ``html``."""
    for number, line in enumerate(bounded_lines(stream, limit), 1):
        where = f"{source}:{number}"
        if number == 1 and line is not None:
            line = line.removeprefix(b"\xef\xbb\xbf")  # orjson refuses a byte-order mark
        if line is not None and not line.endswith(b"\n") and damage(stream):
            return  # the line the damage cut off: the archive's reject stands for it
        if line is None:
            yield _too_large(where, TooLargeError(f"line longer than the {limit:,}-byte limit"))
        elif not line.strip():
            yield Skip(where, "blank JSONL line")
        else:
            yield jsonl_record(line, where)


def jsonl_record(line: bytes, where: str) -> RawDocument | Reject:
    """One JSONL line as a document, or the reason it is not one."""
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return Reject(source=where, reason="invalid_json", detail=str(exc))
    if not isinstance(record, dict):
        found = type(record).__name__
        return Reject(source=where, reason="invalid_json", detail=f"a JSON {found}, not an object")
    html, text = record.get("html"), record.get("text")
    kind: Literal["text", "html"]
    if isinstance(html, str) and html.strip():
        kind, data = "html", html
    elif isinstance(text, str) and text.strip():
        kind, data = "text", text
    else:
        return Reject(
            source=where,
            reason="missing_text",
            detail="the record has no non-empty string `text` or `html` field",
        )
    url = record.get("url")
    meta: dict[str, Any] = {}
    for name in ("id", "outlet", "published_at"):
        value = record.get(name)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            meta[name] = str(value).strip()
    extra = {k: v for k, v in record.items() if k not in JSONL_FIELDS}
    if extra:
        meta["extra"] = extra
    return RawDocument(
        source=where,
        data=data,
        url=url.strip() or None if isinstance(url, str) else None,
        kind=kind,
        meta=meta,
    )


_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream: BinaryIO, source: str, limit: int) -> Iterator[Unit]:
    """WARC: each HTML response (or resource) record is a document, with its target URI
    as URL; other records are skipped and counted."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            number += 1
            yield _warc_unit(record, f"{source}:{number}", limit)
    except (ArchiveLoadFailed, EOFError, ValueError) as exc:
        yield Reject(
            source=f"{source}:{number + 1}",
            reason="truncated_archive",
            detail=f"the archive is damaged after record {number}: {exc}",
        )


def _warc_unit(record: Any, where: str, limit: int) -> Unit:
    rec_type = record.rec_type
    if rec_type not in ("response", "resource"):
        return Skip(where, f"WARC {rec_type} record")
    headers = record.http_headers if rec_type == "response" else record.rec_headers
    if rec_type == "response":
        if headers is None:
            return Skip(where, "WARC response without HTTP headers")
        status = headers.get_statuscode()
        if status != "200":
            return Skip(where, f"WARC response, HTTP {status}")
    content_type = (headers.get_header("Content-Type") or "").lower()
    if content_type and not content_type.startswith(_HTML_TYPES):
        return Skip(where, f"WARC {rec_type}, {content_type.split(';')[0].strip()}")
    stream = record.content_stream()
    try:
        data = read_bounded(stream, limit)
    except TooLargeError as exc:
        return _too_large(where, exc)
    if record.raw_stream.limit > 0 and len(data) < limit:
        return Reject(
            source=where,
            reason="truncated_archive",
            detail=f"the record ends {record.raw_stream.limit:,} bytes short of its length",
        )
    if not content_type and sniff(data[:4096]) != "html":
        return Skip(where, f"WARC {rec_type} without a content type, not HTML")
    charset = None
    if "charset=" in content_type:
        charset = content_type.split("charset=", 1)[1].split(";")[0].strip(" \"'")
    meta: dict[str, Any] = {
        "extra": {
            "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
            "warc_date": record.rec_headers.get_header("WARC-Date"),
        }
    }
    if charset:
        meta["charset"] = charset
    return RawDocument(
        source=where,
        data=data,
        url=record.rec_headers.get_header("WARC-Target-URI"),
        kind="html",
        meta=meta,
    )


READERS = {
    "text": lambda s, src, limit: read_whole(s, src, limit, "text"),
    "html": lambda s, src, limit: read_whole(s, src, limit, "html"),
    "jsonl": read_jsonl,
    "warc": read_warc,
}


def read_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` of each line of a JSON Lines file the cleaner wrote
    (articles or rejects; compressed or not), for the commands that read a corpus back.
    A line that is not a JSON object is a :class:`~cleaner.errors.CleanerError`."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise CleanerError(f"cannot read {path}: {exc.strerror}") from None
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


def corpus_files(path: Path) -> list[Path]:
    """The files of articles at ``path``: the file itself, or the part files of a sharded
    run (``clean -o DIR/``) in shard order. Every shard must have left its completion
    marker: the articles of an unfinished one would be silently missing."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise CleanerError(f"no such file or directory: {path}")
    parts = sorted(p for p in path.glob("part-*.jsonl*") if ".rejects." not in p.name)
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
