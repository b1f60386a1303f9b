"""Readers: one function per input format, ``(stream, source, size bound) -> units``.

Each yields a :class:`~cleaner.models.RawDocument` for every unit, a
:class:`~cleaner.models.Reject` for a unit it cannot read (bad JSON, a truncated
archive, a unit over the size bound) and a :class:`~cleaner.models.Skip` for what is
not a unit (a WARC request record), so nothing disappears without a trace. A new input
format is a reader here, a row in :data:`cleaner.io.formats.FORMATS` and a line in
:data:`READERS`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, Literal

import orjson

from cleaner.config import InputField, InputKeys, ReadConfig
from cleaner.io.formats import Format, sniff
from cleaner.io.streams import (
    TooLargeError,
    bounded_lines,
    damage,
    read_bounded,
    skip_blank_lines,
)
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


USUAL_KEYS = InputKeys()
"""Where JSONL records hold each field unless a run says otherwise."""

SCALAR_FIELDS: tuple[InputField, ...] = ("id", "outlet", "published_at")
"""Fields read from a string or a whole number (an id of 42 is ``"42"``)."""
STRING_FIELDS: tuple[InputField, ...] = ("url", "title", "domain")
"""Fields read from a string only."""
PASSED_ON: tuple[InputField, ...] = ("domain",)
"""Fields read and also passed on under ``extra``: the record has no field for the site a
document comes from, and a domain field only serves to choose the outlet's rules."""


def read_jsonl(
    stream: BinaryIO, source: str, limit: int, keys: InputKeys = USUAL_KEYS
) -> Iterator[Unit]:
    """JSON Lines: each line one record with a text or an HTML page (:func:`jsonl_record`;
    ``keys``: where each field is, :class:`cleaner.config.InputKeys`).

    A run of blank lines (white space only) is one :class:`Skip`, ``blank JSONL lines``,
    at the run's first line (a single blank line too), so the run's summary counts
    runs of blank lines, not lines. The run is read in bulk: a file of a hundred
    million newlines (a 100 KB gzip) costs a second or two, not minutes.
    """
    number = 0  # the line just read
    blank_from = 0  # the first line of the current run of blank lines, if in one

    def end_of_run() -> Iterator[Skip]:
        nonlocal blank_from
        if blank_from:
            yield Skip(f"{source}:{blank_from}", "blank JSONL lines")
            blank_from = 0

    for line in bounded_lines(stream, limit):
        number += 1
        where = f"{source}:{number}"
        if number == 1 and line is not None:
            line = line.removeprefix(b"\xef\xbb\xbf")  # orjson refuses a byte-order mark
        if line is not None and not line.endswith(b"\n") and damage(stream):
            yield from end_of_run()
            return  # the line the damage cut off: the archive's reject stands for it
        if line is not None and not line.strip():
            blank_from = blank_from or number
            number += skip_blank_lines(stream)
            continue
        yield from end_of_run()
        if line is None:
            yield _too_large(where, TooLargeError(f"line longer than the {limit:,}-byte limit"))
        else:
            yield jsonl_record(line, where, keys)
    yield from end_of_run()


def jsonl_record(line: bytes, where: str, keys: InputKeys = USUAL_KEYS) -> RawDocument | Reject:
    """One JSONL line as a document, or the reason it is not one.

    Each field is read from the first of its ``keys`` that gives a value: the content
    (``html`` wins over ``text``), ``url``, and in ``meta`` ``id``, ``outlet``,
    ``published_at``, ``title``, ``authors`` (a string, or a list of strings joined by
    ``; ``) and ``domain``. What the record holds under a field's keys leaves ``extra``
    when it was read or was empty; a value of the wrong type (a number for a title) is
    ignored and stays there, so that nothing is lost. Every other key travels on under
    ``extra`` unchanged.
    """
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        return Reject(source=where, reason="invalid_json", detail=str(exc))
    if not isinstance(record, dict):
        found = type(record).__name__
        return Reject(source=where, reason="invalid_json", detail=f"a JSON {found}, not an object")
    read: list[tuple[str, ...]] = []  # where the values read (or found empty) were
    content: dict[str, str] = {}
    for form in ("html", "text"):  # the content's keys are always read, whatever they hold
        for place, value in _found(record, keys.of(form)):
            read.append(place)
            if isinstance(value, str) and value.strip():
                content.setdefault(form, value)
    if not content:
        return Reject(
            source=where,
            reason="missing_text",
            detail="the record has no non-empty string "
            f"{_named(keys.text)} or {_named(keys.html)} field",
        )
    meta: dict[str, Any] = {}
    for name in (*SCALAR_FIELDS, *STRING_FIELDS, "authors"):
        for place, value in _found(record, keys.of(name)):
            said = _value(name, value)
            if said is None:
                continue  # the wrong type: left under ``extra``
            if name not in PASSED_ON:
                read.append(place)
            if said and name not in meta:
                meta[name] = said
    url = meta.pop("url", None)
    extra = _without(record, read)
    if extra:
        meta["extra"] = extra
    kind: Literal["text", "html"] = "html" if "html" in content else "text"
    return RawDocument(source=where, data=content[kind], url=url, kind=kind, meta=meta)


def _found(record: dict[str, Any], paths: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    """``(place, value)`` for each of ``paths`` the record holds, in order; a place is
    the path's keys (a key holding a dot is taken whole before it is split)."""
    for path in paths:
        if path in record:
            yield (path,), record[path]
            continue
        node: Any = record
        parts = _parts(path)
        for part in parts:
            if not isinstance(node, dict) or part not in node:
                break
            node = node[part]
        else:
            if len(parts) > 1:
                yield parts, node


@functools.cache
def _parts(path: str) -> tuple[str, ...]:
    """A dotted path's keys, split once per path (not once per record)."""
    return tuple(path.split("."))


def _value(name: InputField, value: Any) -> str | None:
    """What the record says of a field, stripped: ``""`` when it holds nothing (null, blank,
    an empty list), ``None`` when the value is of a type the field cannot take."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if name in SCALAR_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if name == "authors" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(v.strip() for v in value if v.strip())
    return None


def _without(record: dict[str, Any], places: list[tuple[str, ...]]) -> dict[str, Any]:
    """``record`` less the values at ``places``; an object left empty by that goes too."""
    out = dict(record)
    for place in places:
        _drop(out, place)
    return out


def _drop(node: dict[str, Any], place: tuple[str, ...]) -> None:
    head, rest = place[0], place[1:]
    if not rest:
        node.pop(head, None)
        return
    child = node.get(head)
    if isinstance(child, dict):
        node[head] = child = dict(child)  # a copy: the record itself is left as it was
        _drop(child, rest)
        if not child:
            del node[head]


def _named(paths: tuple[str, ...]) -> str:
    return " or ".join(f"`{path}`" for path in paths) or "(none)"


_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(stream: BinaryIO, source: str, limit: int) -> Iterator[Unit]:
    """WARC: each HTML response (or resource) record is a document, with its target URI
    as URL (none when the record has none); other records are skipped and counted.

    A damaged record is a ``truncated_archive`` reject and reading goes on with the
    next: one cut short, one with no ``WARC-Type``, one whose content cannot be read,
    one not followed by the blank lines that end a record (its ``Content-Length`` is
    wrong). When where a record ends cannot be told (no valid ``Content-Length``) or
    warcio cannot parse what follows, one ``truncated_archive`` reject stands for the
    rest of the archive. Nothing warcio raises escapes.
    """
    records = _archive(stream)
    number = 0
    pending: Unit | None = None  # the last record's unit, yielded once warcio has read past it
    while True:
        errors = records.err_count
        failure: Exception | None = None
        try:
            record = next(records)
        except StopIteration:
            record = None
        except Exception as exc:  # warcio parses untrusted bytes; whatever it raises is damage
            record, failure = None, exc
        if pending is not None:
            if records.err_count > errors and not isinstance(pending, Reject):
                # warcio found no blank line after the record: it was not where it ended
                pending = Reject(
                    source=pending.source,
                    reason="truncated_archive",
                    detail="the record is not followed by the blank lines that end a record: "
                    "its Content-Length is wrong, or the archive is damaged after it",
                )
            yield pending
            pending = None
        if record is None:
            if failure is not None:
                yield Reject(
                    source=f"{source}:{number + 1}",
                    reason="truncated_archive",
                    detail=f"the archive is damaged after record {number}: {_said(failure)}",
                )
            return
        number += 1
        where = f"{source}:{number}"
        if problem := _length_problem(record):
            yield Reject(
                source=where,
                reason="truncated_archive",
                detail=f"the record {problem}: where it ends, and what follows, cannot be told",
            )
            return
        try:
            pending = _warc_unit(record, where, limit)
        except Exception as exc:  # a record's content warcio cannot read (a bad chunk, gzip)
            pending = Reject(
                source=where,
                reason="truncated_archive",
                detail=f"the record cannot be read: {_said(exc)}",
            )


def _said(exc: Exception) -> str:
    """An exception in one line of at most 200 characters, for a reject's detail."""
    said = " ".join(f"{type(exc).__name__}: {exc}".split())
    return said if len(said) <= 200 else f"{said[:199]}…"


@functools.cache
def _archive_class() -> Any:
    """warcio's ArchiveIterator, made to tell damage rather than hide or crash on it.

    A record without ``WARC-Target-URI`` has its HTTP headers read as any other's (warcio
    would fail on the missing URI); a record that ends before its HTTP headers is damage
    (warcio takes it for the end of the archive, and the record would vanish); and
    warcio's warning about a record not followed by blank lines is counted, not printed
    (:func:`read_warc` turns it into a reject).
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.recordloader import ArcWarcRecordLoader

    class Loader(ArcWarcRecordLoader):  # type: ignore[misc]
        def load_http_headers(self, rec_type: Any, uri: Any, stream: Any, length: Any) -> Any:
            try:
                return super().load_http_headers(rec_type, uri or "http:", stream, length)
            except EOFError:
                ends = "the archive ends before the record's HTTP headers"
                raise ArchiveLoadFailed(ends) from None

    class Archive(ArchiveIterator):  # type: ignore[misc]
        INC_RECORD = ""  # printed to stderr by warcio; counted in ``err_count`` all the same

        def __init__(self, stream: BinaryIO, warc: bool) -> None:
            super().__init__(stream, arc2warc=True)
            self.loader = Loader(verify_http=False, arc2warc=True)
            if warc:  # a line that is not a WARC header is damage, not an ARC record
                self.known_format = "warc"

    return Archive


def _archive(stream: BinaryIO) -> Any:
    """The records of ``stream``, past any blank lines or byte-order mark it starts with
    (warcio would take a blank first line for a record without headers)."""
    warc = False
    if (peek := getattr(stream, "peek", None)) is not None:
        skip_blank_lines(stream)
        if peek(3)[:3] == b"\xef\xbb\xbf":
            stream.read(3)
            skip_blank_lines(stream)
        warc = peek(5)[:5] == b"WARC/"
    return _archive_class()(stream, warc)


def _length_problem(record: Any) -> str | None:
    """What is wrong with a record's ``Content-Length``, if anything."""
    value = record.rec_headers.get_header("Content-Length")
    if value is None:
        return "has no Content-Length"
    try:
        length = int(value)
    except ValueError:
        length = -1
    return None if length >= 0 else f"has an invalid Content-Length ({value[:40]!r})"


_DRAIN = 1 << 16


def _cut_short(record: Any, where: str) -> Reject | None:
    """Read the rest of the record; a reject if the archive ends before its length."""
    raw = record.raw_stream
    while raw.read(_DRAIN):
        pass
    if (short := getattr(raw, "limit", 0)) > 0:
        return Reject(
            source=where,
            reason="truncated_archive",
            detail=f"the record ends {short:,} bytes short of its length",
        )
    return None


def _warc_unit(record: Any, where: str, limit: int) -> Unit:
    rec_type = record.rec_type
    if not rec_type:
        return Reject(
            source=where, reason="truncated_archive", detail="the record has no WARC-Type"
        )
    headers = record.http_headers if rec_type == "response" else record.rec_headers
    skip: str | None = None
    if rec_type not in ("response", "resource"):
        skip = f"WARC {rec_type} record"
    elif headers is None:
        skip = "WARC response without HTTP headers"
    elif rec_type == "response" and (status := headers.get_statuscode()) != "200":
        skip = f"WARC response, HTTP {status}"
    content_type = "" if headers is None else (headers.get_header("Content-Type") or "").lower()
    if skip is None and content_type and not content_type.startswith(_HTML_TYPES):
        skip = f"WARC {rec_type}, {content_type.split(';')[0].strip()}"
    if skip is not None:
        return _cut_short(record, where) or Skip(where, skip)
    try:
        data = read_bounded(record.content_stream(), limit)
    except TooLargeError as exc:
        return _too_large(where, exc)
    if cut := _cut_short(record, where):
        return cut
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
        url=record.rec_headers.get_header("WARC-Target-URI") or None,
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


def reader_of(fmt: Format, config: ReadConfig) -> Reader:
    """The reader of ``fmt`` with what ``config`` says of that format (where a JSONL
    record holds each field)."""
    if fmt == "jsonl":
        return functools.partial(read_jsonl, keys=config.keys)
    return READERS[fmt]
