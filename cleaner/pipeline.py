"""The per-document function and the loop around it.

:meth:`Cleaner.clean` takes one :class:`~cleaner.models.RawDocument` through every stage
and returns an :class:`~cleaner.models.Article` or a :class:`~cleaner.models.Reject`:

1. decode the bytes (:mod:`cleaner.text.normalize`; for HTML the declared charset
   first, :mod:`cleaner.text.html`);
2. normalize the text (:mod:`cleaner.text.normalize`);
3. detect the outlet (:mod:`cleaner.rules.detect`);
4. for HTML, extract the main text (:mod:`cleaner.text.html`) and what the page says
   about itself (:mod:`cleaner.text.page`);
5. apply the outlet's rules, then the generic ones (:mod:`cleaner.rules.apply`);
6. merge the metadata (:mod:`cleaner.text.metadata`), measure language and signals
   (:mod:`cleaner.text.language`, :mod:`cleaner.text.signals`);
7. validate (:mod:`cleaner.validate`).

It never raises for a bad document: an unexpected error becomes an ``internal_error``
reject naming the exception, so one odd page cannot stop a run of millions. Every
engine (:mod:`cleaner.engines`: one process, a pool, shards, Dask) calls this function.

Where sources disagree about a field, the first of these that gives it wins: the input
record (a JSONL record's ``title``, ``published_at``, ``authors``: what the publisher's
own data says), the outlet's rules, the page's own markup (HTML only), the generic
rules. Rules written for an outlet are the most specific knowledge; page markup is
structured and usually right; the generic rules are a guess. The record names the
winner of each field (``cleaning.field_sources``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from cleaner.config import CleanerConfig
from cleaner.errors import CleanerError
from cleaner.io.formats import resolved
from cleaner.io.sources import read_units
from cleaner.models import Article, FieldSource, RawDocument, Reject, Skip
from cleaner.rules.apply import clean_lines
from cleaner.rules.compile import Rulebook
from cleaner.rules.detect import Detection, detect
from cleaner.rules.document import Cleaned
from cleaner.rules.load import load_rulebook
from cleaner.rules.repeats import SiteRepeats, apply_repeats, site_of
from cleaner.rules.schema import EVERY_DOCUMENT
from cleaner.text import html
from cleaner.text.dates import parse_date, parse_offset
from cleaner.text.language import identify, stopword_density
from cleaner.text.likeness import article_like, not_article_detail
from cleaner.text.metadata import merge_metadata
from cleaner.text.normalize import DecodeError, NormalizedTexts, decode, normalize
from cleaner.text.page import PageMeta, declared_metadata, page_meta
from cleaner.text.signals import judge, measure
from cleaner.validate import validate

Result = Article | Reject


GIVEN_FIELDS = ("title", "published_at", "authors")
"""The record's fields an input record may give (:func:`cleaner.io.readers.jsonl_record`),
which win over what the rules and the page say."""


def document_id(doc: RawDocument) -> str:
    """The input's own id when it has one, else a hash of the unit's place, URL and content.

    The place (``doc.source``: the path as the inputs name it, ``path:LINE`` for a JSON
    line, ``path:RECORD`` for a WARC record) makes the id unique per input unit: two
    copies of a file, or one line repeated, are two articles with two ids, which
    ``cleaner dedup`` can then tell apart. Every engine (one process, any number of
    workers, shards, Dask) reads the same places, so a command run again on the same
    inputs gives the same ids. An id the input gives is kept as it is, even when the
    input repeats it (the run counts such repeats).
    """
    given = doc.meta.get("id")
    if given is not None and str(given).strip():
        return str(given).strip()
    digest = hashlib.sha256()
    for part in (doc.source, doc.url or ""):
        digest.update(part.encode("utf-8"))
        digest.update(b"\n")
    digest.update(doc.data.encode("utf-8") if isinstance(doc.data, str) else doc.data)
    return digest.hexdigest()[:16]


def blank(data: str | bytes) -> bool:
    """``not data.strip()``, without the copy of the whole input that ``strip`` makes."""
    return not data or data.isspace()


def given_fields(doc: RawDocument) -> dict[str, str]:
    """What the input record says of the article's fields (:data:`GIVEN_FIELDS`)."""
    return {name: str(doc.meta[name]) for name in GIVEN_FIELDS if doc.meta.get(name)}


@dataclass
class Prepared:
    """A document after stages 1 to 3: the text the rules will see, and what is known."""

    text: str
    encoding: str
    url: str | None
    detection: Detection
    page: PageMeta | None = None
    warnings: list[str] = field(default_factory=list)
    given: dict[str, str] = field(default_factory=dict)
    """The input record's own fields (:func:`given_fields`)."""
    extraction: html.Extraction | None = None
    """For HTML: the extractions the safety net weighs (:meth:`Cleaner.trace` chooses)."""
    site: str | None = None
    """The site whose learned repeats apply."""


@dataclass
class Trace:
    """One document's way through the pipeline: what it became at each stage."""

    doc: RawDocument
    prepared: Prepared | None
    """Stages 1-3 (``None`` when the document was rejected before the rules)."""
    cleaned: Cleaned | None
    """Stage 4: every line and the rule that removed it."""
    result: Result


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
        learned = self.config.learned
        self.repeats = SiteRepeats.from_file(learned) if learned is not None else None
        """What each site repeats, learned over a corpus (applied after every rule file)."""
        self.normalized: NormalizedTexts | None = None
        """Texts a learning pass normalized, taken instead of normalizing them again."""

    # -- the per-document function ---------------------------------------------------

    def clean(self, doc: RawDocument) -> Result:
        """One document in, one article or reject out. Never raises for bad input."""
        try:
            return self._clean(doc)
        except Exception as exc:  # a bug must not end a corpus run
            return self._reject(doc, "internal_error", f"{type(exc).__name__}: {exc}")

    def clean_with_removals(self, doc: RawDocument) -> tuple[Result, list[tuple[str, str]]]:
        """:meth:`clean`, and the ``(rule id, text)`` of every line a rule removed and
        every piece one cut, in order: a record keeps only the counts, and a run keeps
        a few of these as examples (:mod:`cleaner.engines.samples`)."""
        try:
            trace = self.trace(doc)
        except Exception as exc:  # as in clean: a bug must not end a corpus run
            return self._reject(doc, "internal_error", f"{type(exc).__name__}: {exc}"), []
        removed: list[tuple[str, str]] = []
        for line in trace.cleaned.lines if trace.cleaned is not None else ():
            removed += line.stripped
            if line.removed_by is not None and line.text:  # else a cut emptied it
                removed.append((line.removed_by, line.text))
        return trace.result, removed

    def clean_text(self, text: str, *, source: str = "<text>", url: str | None = None) -> Result:
        """Clean a text already in memory (a notebook, another pipeline). A text that is
        an HTML page is extracted as one, as ``cleaner clean`` does with a page."""
        return self.clean(RawDocument(source=source, data=text, url=url))

    def clean_html(
        self, page: str | bytes, *, source: str = "<html>", url: str | None = None
    ) -> Result:
        """Clean an HTML page already in memory."""
        return self.clean(RawDocument(source=source, data=page, url=url, kind="html"))

    def _reject(
        self, doc: RawDocument, reason: Any, detail: str, outlet: str | None = None
    ) -> Reject:
        return Reject(
            source=doc.source, reason=reason, detail=detail, id=document_id(doc), outlet=outlet
        )

    def _detect(
        self,
        text: str,
        url: str | None,
        doc: RawDocument,
        warnings: list[str],
        markup: Iterable[str] = (),
    ) -> Detection:
        """Detection, with the outlet named by ``--outlet`` or else by the input record;
        ``markup``: an HTML page's links to its own site."""
        if self.config.outlet is not None:
            return detect(text, url, self.rulebook, self.config.outlet)
        named = doc.meta.get("outlet")
        if named in self.rulebook.outlets:
            return detect(text, url, self.rulebook, str(named), "input")
        if named is not None and named not in EVERY_DOCUMENT and not warnings:
            warnings.append(f"outlet: no rule file for {named!r}; detected instead")
        return detect(text, url, self.rulebook, domain=doc.meta.get("domain"), markup=markup)

    def prepare(self, doc: RawDocument) -> Prepared | Reject:
        """Stages 1 to 3: decode, extract (HTML), normalize, detect."""
        doc = resolved(doc)
        if blank(doc.data):
            return self._reject(doc, "empty_input", "the input is empty")
        warnings: list[str] = []
        if doc.kind == "html":
            return self._prepare_html(doc, warnings)
        decoded = self._decoded(doc)
        if isinstance(decoded, Reject):
            return decoded
        text, encoding, _ = decoded
        detection = self._detect(text, doc.url, doc, warnings)
        return Prepared(
            text,
            encoding,
            doc.url,
            detection,
            warnings=warnings,
            given=given_fields(doc),
            site=self._site(doc, doc.url, detection),
        )

    def _decoded(self, doc: RawDocument) -> tuple[str, str, str] | Reject:
        """A text document's normalized text, the encoding it was read in, and its text
        before normalizing."""
        data = doc.data
        try:
            text, encoding = (data, "unicode") if isinstance(data, str) else decode(data)
        except DecodeError as exc:
            return self._reject(doc, "undecodable", str(exc))
        kept = self.normalized.get(text) if self.normalized is not None else None
        return kept or normalize(text, self.config.repair, self._fixer), encoding, text

    def _site(self, doc: RawDocument, url: str | None, found: Detection | None) -> str | None:
        """The site whose learned repeats apply (:func:`cleaner.rules.repeats.site_of`);
        without a detection (``found``), only one a key or the URL names."""
        key = self.config.learn.site_key
        given = ((doc.meta.get("extra") or {}).get(key) or doc.meta.get(key)) if key else None
        outlet = found.outlet if found is not None else None
        return site_of(url, outlet, str(given) if given else None)

    def learning_text(self, doc: RawDocument) -> tuple[str | None, str, str | None] | None:
        """What the learning pass counts of a document: its site and its text as the
        rules will see it (``None``: a reject, or an HTML page when those are not
        learned from); and for a text that normalizing changed, the text before. A
        text's outlet is detected only when no key or URL names its site: detection is
        the costly part of preparing a text."""
        doc = resolved(doc)
        if blank(doc.data):
            return None
        if doc.kind == "html":
            if not self.config.learn.html or isinstance(p := self.prepare(doc), Reject):
                return None
            return p.site, p.text, None
        if isinstance(decoded := self._decoded(doc), Reject):
            return None
        text, _, before = decoded
        site = self._site(doc, doc.url, None) or self._site(
            doc, doc.url, self._detect(text, doc.url, doc, [])
        )
        return site, text, None if before == text else before

    def _prepare_html(self, doc: RawDocument, warnings: list[str]) -> Prepared | Reject:
        try:
            markup, encoding = html.decode_html(doc.data, doc.meta.get("charset"))
        except DecodeError as exc:
            return self._reject(doc, "undecodable", str(exc))
        tree = html.parse(markup)
        if tree is None:
            return self._reject(doc, "not_html", "no HTML document could be parsed from the input")
        url = doc.url or html.page_url(tree)
        # By name, URL or the page's links to its own site, if at all; else by its text.
        detection = self._detect("", url, doc, warnings, html.self_links(tree))
        options = self.rulebook.html_options(detection.rules)
        tuned = detection.rules is not None
        extraction = html.extract(tree, url, options, tuned=tuned)
        text = normalize(extraction.text, self.config.repair, self._fixer)
        if detection.rules is None:
            detection = self._detect(text, None, doc, warnings)
            detected = self.rulebook.html_options(detection.rules)
            if detection.rules is not None:
                extraction = html.extract(tree, url, detected, tuned=True)
                text = normalize(extraction.text, self.config.repair, self._fixer)
            options = detected
        if extraction.note is not None:  # a huge page: nor is it searched for a byline
            warnings.append(extraction.note)
        if extraction.note is not None or not self.config.page_search:
            options = options.model_copy(update={"search": []})
        if not text.strip():
            return self._reject(
                doc, "no_main_text", "trafilatura found no main text in the page", detection.outlet
            )
        page = page_meta(declared_metadata(tree, url), tree, options)
        url = doc.url or page.url or url
        given = given_fields(doc)
        site = self._site(doc, url, detection)
        return Prepared(text, encoding, url, detection, page, warnings, given, extraction, site)

    def apply(self, prepared: Prepared) -> Cleaned:
        """Stage 5: the outlet's rules, then the lexicon and the generic rules, then what
        the document's site repeats (when a learned table is given)."""
        chain = self.rulebook.chain(prepared.detection.rules)
        dated = any(rules.versions for rules in chain)
        cleaned = clean_lines(prepared.text, chain, self._tz, self._known(prepared, dated))
        if self.repeats is not None:
            apply_repeats(cleaned, prepared.site, self.repeats)
        return cleaned

    @staticmethod
    def _known(prepared: Prepared, dated: bool) -> dict[str, str]:
        """Fields known before the rules run: the input's title and date, else the page's
        (a line repeating the title goes; the date chooses template versions, so it is
        read only for rule files that have them: ``dated``)."""
        known = {k: v for k, v in prepared.given.items() if k in ("title", "published_at")}
        if prepared.page is not None:
            if prepared.page.title:
                known.setdefault("title", prepared.page.title)
            if dated and "published_at" not in known and prepared.page.published_at:
                known["published_at"] = prepared.page.published_at
        return known

    def _clean(self, doc: RawDocument) -> Result:
        return self.trace(doc).result

    def trace(self, doc: RawDocument) -> Trace:
        """Every stage's outcome for one document (``cleaner explain`` shows it), ending
        in the same result as :meth:`clean`."""
        doc = resolved(doc)
        prepared = self.prepare(doc)
        if isinstance(prepared, Reject):
            return Trace(doc, None, None, prepared)
        cleaned = self.apply(prepared)
        extraction = prepared.extraction
        if extraction is not None and len(extraction.candidates) > 1:
            prepared, cleaned = self._choose(prepared, cleaned, extraction)
        return Trace(doc, prepared, cleaned, self.finish(doc, prepared, cleaned))

    def _choose(
        self, prepared: Prepared, cleaned: Cleaned, extraction: html.Extraction
    ) -> tuple[Prepared, Cleaned]:
        """The safety net's choice (:func:`cleaner.text.html.choose`): every candidate
        extraction goes through the rules, and the most article-like result is kept."""
        tried = [(prepared, cleaned)]
        done = {extraction.candidates[0].text: tried[0]}  # a text two extractors agree on
        for candidate in extraction.candidates[1:]:
            if candidate.text not in done:
                text = normalize(candidate.text, self.config.repair, self._fixer)
                other = replace(prepared, text=text)
                done[candidate.text] = (other, self.apply(other))
            tried.append(done[candidate.text])
        chosen = html.choose(extraction, [[line.text for line in c.kept] for _, c in tried])
        names = [c.name for c in chosen.candidates]
        prepared, cleaned = tried[names.index(chosen.chosen)]
        return replace(prepared, extraction=chosen), cleaned

    def finish(self, doc: RawDocument, prepared: Prepared, cleaned: Cleaned) -> Result:
        """Stages 5 and 6: the record's fields merged from every source, validated."""
        outlet = prepared.detection.outlet
        if not cleaned.lines:
            return self._reject(
                doc,
                "empty_input",
                "the input holds only white space or invisible characters",
                outlet,
            )
        layers = self._layers(prepared.given, cleaned, prepared.page)
        fields, warnings, sources = merge_metadata(layers, self._tz)
        if prepared.url:  # the input's (JSONL url, WARC target URI), else the page's
            sources["url"] = "input" if doc.url else "page markup"
        body = cleaned.text
        if not body and cleaned.captions:
            # A photo page: its captions, each taken out as a field, are the story.
            body = "\n".join(dict.fromkeys(cleaned.captions))
            warnings.append("a photo page: the captions are the text")
        if body and not article_like(body.split("\n")):
            return self._reject(doc, "not_article", not_article_detail(body), outlet)
        split = body.split()
        words = len(split)
        language, signals = (
            (identify(body), measure(body, split)) if self.config.signals else (None, None)
        )
        record: dict[str, Any] = {
            "id": document_id(doc),
            "source": doc.source,
            "outlet": outlet,
            "url": prepared.url,
            **fields,
            "text": body,
            "word_count": words,
            "language": language.code if language else None,
            "language_score": language.score if language else None,
            "signals": signals,
            "extra": doc.meta.get("extra"),
            "cleaning": {
                "input_kind": doc.kind,
                "detected_by": prepared.detection.method,
                "field_sources": dict(sorted(sources.items())),
                "encoding": prepared.encoding,
                "rule_hits": dict(sorted(cleaned.hits.items())),
                "lines_in": len(cleaned.lines),
                "lines_out": body.count("\n") + 1 if body else 0,
                "chars_in": len(prepared.text),
                "warnings": prepared.warnings + warnings,
            },
        }
        result = validate(record, split)
        if isinstance(result, Article) and language and signals and self.config.quality.enabled:
            verdict = judge(body, words, language, signals, self.config.quality)
            if verdict is not None:
                return Reject(
                    source=doc.source,
                    reason="low_quality",
                    detail=verdict.detail,
                    id=result.id,
                    outlet=outlet,
                    signal=verdict.signal,
                )
        return result

    @staticmethod
    def _layers(
        given: dict[str, str], cleaned: Cleaned, page: PageMeta | None
    ) -> list[tuple[FieldSource, Mapping[str, str]]]:
        """Field sources in order of precedence (see the module's docstring)."""
        outlet = {k: f.value for k, f in cleaned.fields.items() if not _shared(f.rule)}
        generic = {k: f.value for k, f in cleaned.fields.items() if _shared(f.rule)}
        from_page: Mapping[str, str] = {}
        if page is not None:
            page = page.completed({"authors", "category", "tags"} - given.keys() - outlet.keys())
            from_page = page.fields()
        return [
            ("input", given),
            ("outlet rules", outlet),
            ("page markup", from_page),
            ("generic rules", generic),
        ]

    def warm_up(self) -> None:
        """Load now what cleaning loads on first use (trafilatura, dateparser's
        languages, jusText's stoplist, every rule file's matchers), so that worker
        processes forked from this one share it instead of each loading its own copy."""
        for rules in self.rulebook.files:
            rules.build()
        page = "<html><head><title>Judul</title></head><body><article>"
        page += "<p>Kalimat pertama berita ini cukup panjang untuk diambil.</p>" * 5
        self.clean_html(page + "</article></body></html>", source="<warm-up>")
        self.clean_text("Judul\nSenin, 5 Januari 2015 10:15 WIB\nIsi berita.", source="<warm-up>")
        parse_date("January 5th, 2015", self._tz)  # dateparser
        stopword_density("yang dan di")

    # -- the loop ----------------------------------------------------------------------

    def run(self, inputs: Iterable[str]) -> Iterator[Result | Skip]:
        """Read every input and clean each unit, in input order.

        Yields an article or a reject for every unit, and a :class:`Skip` for what the
        readers passed over (a WARC request record, a file no reader takes).
        """
        for unit in read_units(inputs, self.config.read):
            yield unit if isinstance(unit, Reject | Skip) else self.clean(unit)


def _shared(rule: str) -> bool:
    """Whether ``rule`` (``<file>/<id>``) is one of the rules for every document."""
    return rule.split("/", 1)[0] in EVERY_DOCUMENT


_default: Cleaner | None = None


def _default_cleaner() -> Cleaner:
    global _default
    if _default is None:
        _default = Cleaner()
    return _default


def clean_text(text: str, *, source: str = "<text>", url: str | None = None) -> Result:
    """Clean one text with the bundled rules and default settings (an HTML page in it is
    extracted as one)."""
    return _default_cleaner().clean_text(text, source=source, url=url)


def clean_html(page: str | bytes, *, source: str = "<html>", url: str | None = None) -> Result:
    """Clean one HTML page with the bundled rules and default settings."""
    return _default_cleaner().clean_html(page, source=source, url=url)
