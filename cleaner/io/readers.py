"""Readers: one function per input format, ``(stream, source, size bound) -> units``.

Each yields a :class:`~cleaner.models.RawDocument` for every unit, a
:class:`~cleaner.models.Reject` for a unit it cannot read (bad JSON, a truncated
archive, a unit over the size bound) and a :class:`~cleaner.models.Skip` for what is
not a unit (a WARC request record), so nothing disappears without a trace. A new input
format is a reader here, a row in :data:`cleaner.io.formats.FORMATS` and a line in
:data:`READERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, Literal

import orjson

from cleaner.io.formats import Format, sniff
from cleaner.io.streams import TooLargeError, bounded_lines, damage, read_bounded
from cleaner.models import RawDocument, Reject, Skip

Unit = RawDocument | Reject | Skip


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
DOMAIN_FIELDS = ("domain", "outlet_domain", "site", "hostname")
"""Fields that may name the site a record comes from; read (the first one given) to
choose the outlet's rules when there is no URL, and passed on under ``extra`` too."""


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
    domain = next((v for k in DOMAIN_FIELDS if isinstance(v := record.get(k), str) and v), None)
    if domain is not None:
        meta["domain"] = domain.strip()
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


Reader = Callable[[BinaryIO, str, int], Iterator[Unit]]

READERS: dict[Format, Reader] = {
    "text": lambda s, src, limit: read_whole(s, src, limit, "text"),
    "html": lambda s, src, limit: read_whole(s, src, limit, "html"),
    "jsonl": read_jsonl,
    "warc": read_warc,
}
