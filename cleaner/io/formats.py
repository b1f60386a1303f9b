"""The input formats: one table, read by the readers, the configuration, the command line
and the docs.

A file's format comes from its suffix (after ``.gz``/``.zst``); a file named on the
command line with another suffix, and standard input, are sniffed by content.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from cleaner.models import RawDocument

Format = Literal["text", "html", "jsonl", "warc"]
"""An input format (the reader of a file)."""


@dataclass(frozen=True, slots=True)
class FormatInfo:
    suffixes: tuple[str, ...]
    """File suffixes read as this format (each also with ``.gz`` or ``.zst``)."""
    unit: str
    """What one input unit of the format is, for people."""


FORMATS: dict[Format, FormatInfo] = {
    "text": FormatInfo((".txt", ".text"), "the file: a text dump, one paragraph a line"),
    "html": FormatInfo(
        (".html", ".htm", ".xhtml"), "the file: a saved page; trafilatura extracts the main text"
    ),
    "jsonl": FormatInfo(
        (".jsonl", ".ndjson", ".json"), "one line: an object with `text` or `html`"
    ),
    "warc": FormatInfo((".warc",), "one HTML response (or resource) record"),
}
assert tuple(FORMATS) == get_args(Format)

ONE_DOCUMENT_FORMATS: frozenset[Format] = frozenset({"text", "html"})
"""Formats whose file is one input unit (the others hold many)."""
SUFFIXES: dict[str, Format] = {s: name for name, info in FORMATS.items() for s in info.suffixes}
COMPRESSION_SUFFIXES = (".gz", ".zst")
STDIN = "-"
"""The input name that stands for standard input."""

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


def resolved(doc: RawDocument) -> RawDocument:
    """``doc`` with its kind told: an ``auto`` document is HTML when it starts as a page
    does (the test the readers use on content with no suffix), else text."""
    if doc.kind != "auto":
        return doc
    head = doc.data[:4096] if isinstance(doc.data, bytes) else doc.data[:4096].encode()
    return replace(doc, kind="html" if sniff(head) == "html" else "text")
