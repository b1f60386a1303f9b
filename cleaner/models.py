"""The shapes that cross the tool's boundary: what readers hand in, what is written out.

:class:`Article` and :class:`Reject` are the output contract. Field names are stable
within a ``schema_version``; downstream tools (jq, DuckDB, pandas, Hugging Face
datasets) rely on them. ``cleaner schema`` prints the JSON Schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)

SCHEMA_VERSION: Literal["1"] = "1"

MetadataField = Literal[
    "title",
    "subtitle",
    "published_at",
    "authors",
    "dateline",
    "category",
    "tags",
    "editor_initials",
    "image_caption",
    "image_credit",
]
"""The article fields a rule may capture (a pattern's named groups): the one list of them.
:mod:`cleaner.text.metadata` turns each captured string into the field's type."""
FIELD_NAMES: frozenset[str] = frozenset(get_args(MetadataField))
LIST_FIELDS: frozenset[str] = frozenset({"authors", "tags"})
"""Fields that hold a list of names."""

FieldSource = Literal["input", "outlet rules", "page markup", "generic rules"]
"""Where a field of the record came from, in order of precedence: the input record (a
JSONL record's fields, a WARC record's target URI), the outlet's rule file, the page's
own markup (HTML), the rule files for every document (the lexicon and the generic
rules). For each field the first that gives a readable value wins."""


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input unit as a reader found it: its content plus what the input said about it.

    ``data`` is bytes as stored, or text when the input already held text (a JSON
    string). ``meta`` may hold ``id``, ``outlet``, ``domain``, ``published_at``, ``title``
    and ``authors`` (strings, as given by a JSONL record: :func:`cleaner.io.readers.jsonl_record`),
    ``charset`` (an HTTP header's) and ``extra`` (fields to pass through).
    """

    source: str
    """Where it came from: a path, ``path:LINE`` for a JSONL line or WARC record, ``<stdin>``."""
    data: bytes | str
    url: str | None = None
    kind: Literal["auto", "text", "html"] = "auto"
    """``auto``: HTML when the data starts as a page does (:func:`~cleaner.io.formats.sniff`),
    else text; the readers always say which."""
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Skip:
    """Something a reader passed over that is not an input unit (a WARC request record,
    a file no reader takes), counted in the run's summary."""

    source: str
    what: str


DetectionMethod = Literal["forced", "input", "url", "domain", "markup", "fingerprint"]
"""How an outlet was chosen, strongest evidence first (:mod:`cleaner.rules.detect`):
``forced`` (``--outlet``), ``input`` (the input record's ``outlet`` field), ``url``,
``domain`` (the record's domain field), ``markup`` (an HTML page's links to its own
site), ``fingerprint`` (signs in the text)."""


class Cleaning(BaseModel):
    """How the record was made: enough to audit a corpus without re-running it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input_kind: Literal["text", "html"] = Field(
        "text",
        description="What the input held: plain text, or an HTML page (main text extracted).",
    )
    detected_by: DetectionMethod | None = Field(
        description="How the outlet was chosen (--outlet, the input record's `outlet`, the "
        "URL's domain, the record's domain field, the page's links to its own site (HTML), "
        "signs in the text: fingerprints, copyright lines, lead-ins); null when no outlet "
        "rules applied."
    )
    field_sources: dict[str, FieldSource] = Field(
        default_factory=dict,
        description="Where each field that has a value came from (`url`, `title`, "
        "`published_at`, `authors`, …): `input` (the input record's own field, which wins "
        "wherever it is not empty), `outlet rules`, `page markup` (HTML), `generic rules` "
        "(the lexicon and the generic rules), in that order of precedence.",
    )
    encoding: str = Field(description="The encoding the input bytes were decoded from.")
    rule_hits: dict[str, int] = Field(
        description="Lines removed (or shortened) per rule id, <outlet>/<rule>."
    )
    lines_in: int = Field(ge=0, description="Non-blank lines after normalization.")
    lines_out: int = Field(ge=0, description="Lines (paragraphs) in `text`.")
    chars_in: int = Field(ge=0, description="Characters of the normalized input text.")
    warnings: list[str] = Field(
        default_factory=list, description="Things noticed but not fatal, e.g. an unreadable date."
    )


class Signals(BaseModel):
    """Document-level quality signals of the article's text, measured as datatrove's
    Gopher and FineWeb filters measure them (``cleaner.text.signals``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stopword_ratio: float = Field(
        ge=0,
        le=1,
        description="Share of the words (punctuation stripped, lower-cased) on jusText's "
        "Indonesian stoplist.",
    )
    duplicate_line_fraction: float = Field(
        ge=0, le=1, description="Share of the lines (paragraphs) that repeat an earlier one."
    )
    top_ngram_share: dict[str, float] = Field(
        description="For n = 2, 3, 4: characters covered by the most frequent word n-gram "
        "(at each occurrence) over the text's characters."
    )
    punctuated_line_share: float = Field(
        ge=0, le=1, description="Share of the lines ending in . ! ? … or : (before quotes)."
    )
    mean_word_length: float = Field(ge=0, description="Characters per word.")
    alpha_word_share: float = Field(
        ge=0, le=1, description="Share of the words holding at least one letter."
    )
    newline_ratio: float = Field(ge=0, description="Line breaks per word.")


class Article(BaseModel):
    """One cleaned news article: one line of the output JSON Lines."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal["1"] = SCHEMA_VERSION
    id: str = Field(
        description="The input's own id, else a hash of the input unit's place (path, "
        "path:LINE, path:RECORD), URL and content: unique per unit, the same on every run."
    )
    source: str = Field(description="The input it came from (path, or path:LINE).")
    outlet: str | None = Field(description="Outlet id (the rule file's name), if known.")
    url: str | None = None
    title: str | None = None
    subtitle: str | None = None
    published_at: AwareDatetime | None = Field(
        None, description="ISO 8601 with UTC offset (WIB is +07:00)."
    )
    authors: list[str] = Field(default_factory=list)
    dateline: str | None = Field(None, description="Place the story was filed from.")
    category: str | None = None
    tags: list[str] = Field(default_factory=list)
    editor_initials: str | None = Field(None, description="Sign-off such as `mas` or `kpl/pur`.")
    image_caption: str | None = None
    image_credit: str | None = Field(None, description="Photo credit, e.g. `Foto/REUTERS`.")
    site_name: str | None = Field(None, description="The site's name, as its HTML page gives it.")
    text: str = Field(min_length=1, description="The article body: one paragraph a line.")
    word_count: int = Field(ge=1, description="Whitespace-separated words in `text`.")
    language: str | None = Field(
        description="ISO 639-1 code of the text's main language (CLD2): id, ms, jv, su, en, "
        "…; `und` when it cannot be told; null with --no-signals."
    )
    language_score: float | None = Field(
        ge=0, le=1, description="Share of the text CLD2 gives to `language`."
    )
    signals: Signals | None = Field(description="Quality signals; null with --no-signals.")
    duplicate_of: str | None = Field(
        None,
        description="Set by `cleaner dedup`: the id of the article this one duplicates "
        "(the one its cluster keeps); null for a kept or unique article.",
    )
    cluster_id: str | None = Field(
        None,
        description="Set by `cleaner dedup`: the id of the story's first article (the "
        "earliest published), which every article of the story, syndicated rewrites "
        "included, carries; null until dedup runs.",
    )
    extra: dict[str, Any] | None = Field(
        None,
        description="Fields of the input record the cleaner does not read (JSONL), and WARC "
        "record headers, passed through unchanged; null when there are none.",
    )
    cleaning: Cleaning

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Article:
        if not self.text.strip():
            raise ValueError("text is blank")
        if self.word_count != len(_words(self.text, info.context)):
            raise ValueError("word_count does not match text")
        if any(not a.strip() for a in self.authors) or any(not t.strip() for t in self.tags):
            raise ValueError("authors and tags must not hold blank names")
        return self


WORDS_CONTEXT = "words"
"""Validation context key: ``(text, text.split())`` when the caller has split the text
already (the pipeline has, to count and measure its words)."""


def _words(text: str, context: Any) -> list[str]:
    """``text.split()``: the caller's own, when the context holds it for this very string
    (the same object), else made here."""
    given = context.get(WORDS_CONTEXT) if isinstance(context, dict) else None
    return given[1] if given is not None and given[0] is text else text.split()


RejectReason = Literal[
    "empty_input",
    "undecodable",
    "unreadable",
    "too_large",
    "truncated_archive",
    "invalid_json",
    "missing_text",
    "not_html",
    "no_main_text",
    "empty_after_cleaning",
    "not_article",
    "invalid_record",
    "low_quality",
    "too_slow",
    "worker_crashed",
    "internal_error",
]


class Reject(BaseModel):
    """An input unit that did not become an article, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    reason: RejectReason = Field(description="A short stable code; count and filter on it.")
    detail: str = Field(description="What went wrong, for people.")
    id: str | None = None
    outlet: str | None = None
    rule_hits: dict[str, int] | None = Field(
        None, description="For `empty_after_cleaning`: the rules that removed the lines."
    )
    signal: str | None = Field(
        None, description="For `low_quality`: the signal that failed, e.g. `top_ngram_share.2`."
    )


assert set(Article.model_fields) >= FIELD_NAMES
assert {n for n in FIELD_NAMES if Article.model_fields[n].annotation == list[str]} == LIST_FIELDS
