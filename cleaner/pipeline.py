"""The per-document function and the loop around it.

:meth:`Cleaner.clean` takes one :class:`~cleaner.models.RawDocument` through every
stage (normalize, detect, apply rules, extract metadata, validate) and returns an
:class:`~cleaner.models.Article` or a :class:`~cleaner.models.Reject`. It never raises
for a bad document: an unexpected error becomes an ``internal_error`` reject naming the
exception, so one odd page cannot stop a run of millions. Engines (the command line's
loop today; process pools and Dask later) all call this same function.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from cleaner.apply import Cleaned, clean_lines
from cleaner.config import CleanerConfig
from cleaner.dates import parse_offset
from cleaner.detect import detect
from cleaner.errors import CleanerError
from cleaner.metadata import extract_metadata
from cleaner.models import Article, RawDocument, Reject
from cleaner.normalize import DecodeError, decode, normalize
from cleaner.read import Skipped, read_documents
from cleaner.rules import Rulebook, load_rulebook
from cleaner.validate import validate

Result = Article | Reject


def document_id(doc: RawDocument) -> str:
    """The input's own id when it has one, else a hash of its URL and bytes.

    The same input always gets the same id, wherever it is read from.
    """
    given = doc.meta.get("id")
    if given is not None and str(given).strip():
        return str(given).strip()
    digest = hashlib.sha256()
    digest.update((doc.url or "").encode("utf-8"))
    digest.update(b"\n")
    digest.update(doc.data)
    return digest.hexdigest()[:16]


class Cleaner:
    """Cleans documents with one configuration and one set of rules.

    Building a cleaner loads and compiles every rule file once; reuse it.
    """

    def __init__(self, config: CleanerConfig | None = None, rulebook: Rulebook | None = None):
        self.config = config or CleanerConfig()
        self.rulebook = rulebook or load_rulebook(self.config.rules_dirs)
        if self.config.outlet is not None and self.config.outlet not in self.rulebook.outlets:
            known = ", ".join(self.rulebook.outlets)
            raise CleanerError(f"unknown outlet {self.config.outlet!r}; known outlets: {known}")
        self._fixer = self.config.repair.to_ftfy()
        self._tz = parse_offset(self.config.default_timezone)

    def clean(self, doc: RawDocument) -> Result:
        """One document in, one article or reject out. Never raises for bad input."""
        try:
            return self._clean(doc)
        except Exception as exc:  # a bug must not end a corpus run
            return Reject(
                source=doc.source,
                reason="internal_error",
                detail=f"{type(exc).__name__}: {exc}",
                id=document_id(doc),
            )

    def clean_text(self, text: str, *, source: str = "<text>", url: str | None = None) -> Result:
        """Clean a text already in memory (a notebook, another pipeline)."""
        return self.clean(RawDocument(source=source, data=text.encode("utf-8"), url=url))

    def prepare(self, doc: RawDocument) -> tuple[str, str] | Reject:
        """Decode and normalize: the text the rules see, and the encoding it came in."""
        if not doc.data.strip():
            return Reject(
                source=doc.source,
                reason="empty_input",
                detail="the input is empty",
                id=document_id(doc),
            )
        try:
            text, encoding = decode(doc.data)
        except DecodeError as exc:
            return Reject(
                source=doc.source, reason="undecodable", detail=str(exc), id=document_id(doc)
            )
        return normalize(text, self.config.repair, self._fixer), encoding

    def apply(self, doc: RawDocument, text: str) -> tuple[Cleaned, str | None, str | None]:
        """Detect the outlet and apply its rules, then the generic ones."""
        detection = detect(text, doc.url, self.rulebook, self.config.outlet)
        chain = [self.rulebook.generic]
        if detection.rules is not None:
            chain.insert(0, detection.rules)
        return clean_lines(text, chain), detection.outlet, detection.method

    def _clean(self, doc: RawDocument) -> Result:
        prepared = self.prepare(doc)
        if isinstance(prepared, Reject):
            return prepared
        text, encoding = prepared
        cleaned, outlet, method = self.apply(doc, text)
        if not cleaned.lines:
            return Reject(
                source=doc.source,
                reason="empty_input",
                detail="the input holds only white space or invisible characters",
                id=document_id(doc),
            )
        fields, warnings = extract_metadata(cleaned.field_values(), self._tz)
        body = cleaned.text
        kept = len(cleaned.kept)
        record: dict[str, Any] = {
            "id": document_id(doc),
            "source": doc.source,
            "outlet": outlet,
            "url": doc.url,
            **fields,
            "text": body,
            "word_count": len(body.split()),
            "cleaning": {
                "detected_by": method,
                "encoding": encoding,
                "rule_hits": dict(sorted(cleaned.hits.items())),
                "lines_in": len(cleaned.lines),
                "lines_out": kept,
                "chars_in": len(text),
                "warnings": warnings,
            },
        }
        return validate(record)

    def run(self, inputs: Iterable[str], skipped: Skipped | None = None) -> Iterator[Result]:
        """Read every input and clean each document, in input order."""
        for item in read_documents(inputs, skipped):
            yield item if isinstance(item, Reject) else self.clean(item)


_default: Cleaner | None = None


def clean_text(text: str, *, source: str = "<text>", url: str | None = None) -> Result:
    """Clean one text with the bundled rules and default settings."""
    global _default
    if _default is None:
        _default = Cleaner()
    return _default.clean_text(text, source=source, url=url)
