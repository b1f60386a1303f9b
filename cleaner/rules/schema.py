"""The schema of rule files: what a ``rules/<outlet>.yaml`` file may say.

A rule file is ``rules/<outlet>.yaml``; ``rules/generic.yaml`` holds the rules that run
on every document. The file's stem is the outlet's id. The pydantic models below are
the schema (``cleaner schema rules`` prints it as JSON Schema for editors): an unknown
key, a bad regular expression or a misspelt field name stops the run with
``file:line: message`` (:mod:`cleaner.rules.load`) instead of being skipped.

Patterns run on RE2 (:mod:`cleaner.rules.patterns`): no pattern can make a run hang.
Patterns that look at lines match from the start of the line (as if written with
``^``); ``strip_suffixes`` patterns match up to its end.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PositiveInt,
    Tag,
    field_validator,
    model_validator,
)

from cleaner.models import FIELD_NAMES
from cleaner.rules.patterns import check_pattern, compile_pattern
from cleaner.rules.syntax import group_names
from cleaner.text.html import HtmlOptions

GENERIC = "generic"
"""The stem of the rule file of generic rules: structure (lists, datelines, credits) and
heuristics that hold for every outlet."""
LEXICON = "lexicon"
"""The stem of the boilerplate lexicon: phrases no article says, each with examples and
counter-examples."""
EVERY_DOCUMENT = (LEXICON, GENERIC)
"""The rule files that run on every document, in this order, after the outlet's own."""


def _valid_regex(pattern: str) -> str:
    check_pattern(pattern)  # raises PatternError (a ValueError) with the reason
    return pattern


def _field_groups(pattern: str, also: frozenset[str] = frozenset()) -> str:
    unknown = group_names(pattern) - FIELD_NAMES - also
    if unknown:
        raise ValueError(
            f"named group(s) {sorted(unknown)} are not article fields; "
            f"use one of {sorted(FIELD_NAMES | also)} (or an unnamed group)"
        )
    return pattern


Regex = Annotated[str, AfterValidator(_valid_regex)]
FieldRegex = Annotated[str, AfterValidator(_valid_regex), AfterValidator(_field_groups)]
RuleId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")]
LineClass = Literal["headline", "title_case", "timestamp", "number"]
"""The line classes a rule may name (:data:`cleaner.rules.lines.LINE_CLASSES`)."""
HeuristicName = Literal["title-echo", "link-lists", "inline-related-links"]
"""The heuristics a rule file may switch on (:data:`cleaner.rules.heuristics.HEURISTICS`)."""

RETIRED_KEYS: dict[tuple[str, str], str] = {
    ("fields", "fallback"): "renamed `if_missing` (cleaner 0.2): `fallback` now means only "
    "trafilatura's fallback extractors, under `html:`",
    ("html", "favor_precision"): "removed (cleaner 0.2): no rule file set it; delete the line",
    ("html", "favor_recall"): "removed (cleaner 0.2): no rule file set it; delete the line",
}
"""Keys older rule files may hold, ``(section or mapping, key)``, and what to do instead:
``cleaner rules check`` (and every run) says so instead of just "unknown key"."""

Section = Literal[
    "drop_blocks",
    "drop_lines",
    "inline_spans",
    "strip_prefixes",
    "fields",
    "strip_suffixes",
    "heuristics",
]
SECTIONS: tuple[Section, ...] = get_args(Section)
"""The rule sections, in the order they run: the one list of them."""


class ExampleEdit(BaseModel):
    """An example line and what must be left of it once the rule has acted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    rest: str = Field(description="The line after the cut (empty: the whole line goes).")


Example = str | ExampleEdit


class LocatedValueError(ValueError):
    """A validation error that knows where in the file it belongs (for ``file:line``)."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


class _Exemplified(BaseModel):
    """What a rule must do, and must not, on lines as pages print them: each is a test
    (:mod:`cleaner.rules.examples`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    examples: list[Example] = Field(
        default_factory=list,
        description="Lines the rule must act on, as found on real pages: removed (a drop or "
        "field rule) or shortened (a span or strip rule; give `{text: ..., rest: ...}` to "
        "say what must be left). `rules check` and the test suite check every one.",
    )
    counter_examples: list[str] = Field(
        default_factory=list,
        description="Lines of article text the rule must leave alone (`baca juga` inside a "
        "quote, `editor` as a noun): checked like `examples`.",
    )


class _Rule(_Exemplified):
    id: RuleId = Field(description="Names the rule in reports: <outlet>/<id>.")
    note: str | None = Field(None, description="Why the rule exists; for people only.")
    within: PositiveInt | None = Field(
        None, description="Only look at the first N lines still kept when the rule runs."
    )
    within_last: PositiveInt | None = Field(
        None, description="Only look at the last N lines still kept when the rule runs."
    )
    after_leading: list[LineClass] = Field(
        default_factory=list,
        description="With `within`: count the N lines from the first kept line that is not "
        "of these classes (`[headline]` skips a title and subtitle: the window starts at "
        "the first paragraph).",
    )

    @model_validator(mode="after")
    def _one_window(self) -> _Rule:
        if self.within is not None and self.within_last is not None:
            raise ValueError("give `within` or `within_last`, not both")
        if self.after_leading and self.within is None:
            raise ValueError("`after_leading` goes with `within`")
        return self


class DropLine(_Rule):
    """Remove every line that matches ``pattern``."""

    pattern: Regex


class DropBlock(_Rule):
    """Remove a run of lines that begins with a line matching ``start``.

    The block ends at the first later line matching ``end`` (kept when ``include_end`` is
    false; no ``end`` line means nothing is removed), at the end of the document
    (``to_end: true``), or after the last of the following lines that belong to one of
    the ``run_of`` line classes.
    """

    start: Regex
    end: Regex | None = None
    include_end: bool = True
    to_end: bool = False
    run_of: list[LineClass] | None = None
    min_run: int = Field(0, ge=0, description="With run_of: fewest lines the run needs.")
    max_run: PositiveInt | None = Field(
        None, description="With run_of: most lines the run may take (a box of three headlines)."
    )

    @model_validator(mode="after")
    def _one_end(self) -> DropBlock:
        given = sum([self.end is not None, self.to_end, self.run_of is not None])
        if given != 1:
            raise ValueError("a block needs exactly one of `end`, `to_end: true` or `run_of`")
        return self


class FieldRule(_Rule):
    """A line that holds metadata: its named groups become fields and the line leaves.

    By default the first matching line is used and the rule stops. ``repeat: true``
    also removes later matching lines. A field already given by an earlier rule keeps
    its first value, but the line still leaves (it is metadata either way) unless the
    rule is ``if_missing``. ``relative_to`` names a ``strip_prefixes`` rule or an earlier
    field rule of the same file: the rule then looks only at the kept line ``offset``
    lines away from the line that rule matched (-1: the line just above).
    """

    pattern: FieldRegex
    repeat: bool = False
    if_missing: bool = Field(
        False,
        description="Only run when earlier rules have not already given every field of "
        "this rule's pattern (a second guess at where the title is, say).",
    )
    relative_to: RuleId | None = None
    offset: int | None = None

    @model_validator(mode="after")
    def _relative(self) -> FieldRule:
        if (self.relative_to is None) != (self.offset is None):
            raise ValueError("`relative_to` and `offset` go together")
        if self.offset == 0:
            raise ValueError("`offset` must not be 0")
        return self


class StripRule(_Rule):
    """Cut a matching lead-in (or sign-off) from a line and keep the rest.

    Applies once per document, to the first line in the window that matches. Named
    groups become fields (a dateline, editor initials). A line left empty is removed.
    """

    pattern: FieldRegex


def _span_groups(pattern: str) -> str:
    return _field_groups(pattern, also=frozenset({"cut"}))


SpanRegex = Annotated[str, AfterValidator(_valid_regex), AfterValidator(_span_groups)]


class InlineSpan(_Rule):
    """Cut a span out of the middle (or the end) of a line and keep the rest.

    For pages collapsed into one line, where ``Baca juga: <headline>`` or ``Pewarta: …
    Editor: …`` sits inside a paragraph. The pattern is searched anywhere in the line,
    every occurrence; a group named ``cut`` says which part of the match goes (the rest
    of the match is context), else the whole match goes. Other named groups become
    fields. A line left empty is removed.
    """

    pattern: SpanRegex


class HeuristicRef(_Exemplified):
    """Switch on a heuristic implemented in :mod:`cleaner.rules.heuristics`."""

    id: HeuristicName
    note: str | None = None
    pattern: Regex | None = Field(
        None, description="For heuristics that take one: the marker they look for."
    )

    @field_validator("id", mode="before")
    @classmethod
    def _known(cls, value: Any) -> Any:
        known = get_args(HeuristicName)
        if value not in known:
            raise ValueError(f"unknown heuristic {value!r}; known: {sorted(known)}")
        return value


class RuleSections(BaseModel):
    """The rule sections, in the order they run. A rule file has them at its top level,
    and each template version has its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    drop_blocks: list[DropBlock] = Field(default_factory=list)
    drop_lines: list[DropLine] = Field(default_factory=list)
    inline_spans: list[InlineSpan] = Field(default_factory=list)
    strip_prefixes: list[StripRule] = Field(default_factory=list)
    fields: list[FieldRule] = Field(default_factory=list)
    strip_suffixes: list[StripRule] = Field(default_factory=list)
    heuristics: list[HeuristicRef] = Field(default_factory=list)

    @field_validator(*SECTIONS, mode="before")
    @classmethod
    def _empty_section(cls, value: Any) -> Any:
        return [] if value is None else value  # a section whose items are all commented out

    def located_rules(self) -> list[tuple[str, int, _Rule]]:
        """``(section, index, rule)`` for every rule, in the order they are applied."""
        return [
            (name, i, rule)
            for name in SECTIONS
            if name != "heuristics"
            for i, rule in enumerate(getattr(self, name))
        ]

    def _check_anchors(self, anchors: list[str], where: tuple[str | int, ...] = ()) -> None:
        anchors = [*anchors, *(s.id for s in self.strip_prefixes)]
        for i, field_rule in enumerate(self.fields):
            if field_rule.relative_to is not None and field_rule.relative_to not in anchors:
                raise LocatedValueError(
                    (*where, "fields", i, "relative_to"),
                    f"{field_rule.relative_to!r} must name a strip_prefixes rule or a field "
                    "rule listed before this one",
                )
            anchors.append(field_rule.id)


assert tuple(RuleSections.model_fields) == SECTIONS


class TemplateVersion(RuleSections):
    """Rules for one period of an outlet's template, added to the file's own rules for
    articles published within it (both dates inclusive; either may be left open)."""

    valid_from: date | None = None
    valid_until: date | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _period(self) -> TemplateVersion:
        if self.valid_from is None and self.valid_until is None:
            raise ValueError("a version needs `valid_from`, `valid_until` or both")
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValueError("`valid_from` is after `valid_until`")
        return self


BRAND = "{brand}"
"""Where an evidence pattern of the generic file names the outlet (any of its brands)."""


def _brand_pattern(pattern: str) -> str:
    if BRAND not in pattern:
        raise ValueError(f"an evidence pattern names the outlet with {BRAND}")
    compile_pattern(pattern.replace(BRAND, "(?:kabar contoh)"))
    return pattern


class Evidence(BaseModel):
    """A sign in a page's text that names the outlet that published it, for every outlet:
    ``{brand}`` stands for any of the outlet's brands (its ``brands``, its name and its
    domains). Only ``rules/generic.yaml`` has these; an outlet's own signs are its
    ``fingerprints``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: RuleId
    note: str | None = None
    pattern: Annotated[str, AfterValidator(_brand_pattern)] = Field(
        description="Searched anywhere in the text, line by line (multi-line mode)."
    )
    weight: float = Field(gt=0, le=1, description="What finding it counts towards 1.")


class Fingerprint(BaseModel):
    """A fingerprint with its own weight (a plain pattern weighs 1/min_fingerprints)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: Regex
    weight: float = Field(gt=0, le=1)


FingerprintItem = Annotated[
    Annotated[Regex, Tag("pattern")] | Annotated[Fingerprint, Tag("weighted")],
    Discriminator(lambda v: "pattern" if isinstance(v, str) else "weighted"),
]


class RuleFile(RuleSections):
    """The schema of one ``rules/*.yaml`` file."""

    name: str = Field(description="The outlet's name as people write it.")
    domains: list[str] = Field(
        default_factory=list,
        description="Hostnames (and their subdomains) whose pages use these rules.",
    )
    brands: list[str] = Field(
        default_factory=list,
        description="How the outlet names itself in its pages' text (copyright lines, lead-ins,"
        " promos), besides its name and domains, which count already: e.g. [ANTARA].",
    )
    fingerprints: list[FingerprintItem] = Field(
        default_factory=list,
        description="Patterns searched in the text (multi-line mode) when a page has no URL; "
        "each counts 1/min_fingerprints towards claiming it, or its own `weight`. A pattern "
        "anchored with ^ found further on in a line (a page collapsed into one) counts half.",
    )
    min_fingerprints: PositiveInt = Field(
        1, description="How many fingerprints must be found to claim a document."
    )
    evidence: list[Evidence] = Field(
        default_factory=list,
        description="Generic file only: signs naming any outlet by its brands (see Evidence).",
    )
    max_line_chars: PositiveInt | None = Field(
        400,
        description="drop_lines, fields and drop_blocks leave lines longer than this alone "
        "(a block neither starts at nor crosses one): such a line is a paragraph, or a whole "
        "page collapsed into one line, never a widget. null switches the bound off.",
    )
    html: HtmlOptions | None = Field(None, description="trafilatura settings for HTML pages.")
    versions: list[TemplateVersion] = Field(
        default_factory=list,
        description="Rules for periods of the outlet's template, chosen by the article's "
        "date (all of them when the date is unknown).",
    )

    @field_validator("domains", "brands", "fingerprints", "evidence", "versions", mode="before")
    @classmethod
    def _empty_list(cls, value: Any) -> Any:
        return [] if value is None else value  # a key whose items are all commented out

    @model_validator(mode="after")
    def _consistent(self) -> RuleFile:
        seen: set[str] = set()
        located = [((), rules) for rules in [self]] + [
            (("versions", i), version) for i, version in enumerate(self.versions)
        ]
        for where, sections in located:
            for section, index, rule in sections.located_rules():
                if rule.id in seen:
                    raise LocatedValueError(
                        (*where, section, index, "id"), f"duplicate rule id {rule.id!r}"
                    )
                seen.add(rule.id)
        self._check_anchors([])
        base_anchors = [s.id for s in self.strip_prefixes] + [f.id for f in self.fields]
        for i, version in enumerate(self.versions):
            version._check_anchors(base_anchors, ("versions", i))
        for i, domain in enumerate(self.domains):
            if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain):
                raise LocatedValueError(("domains", i), f"not a lower-case hostname: {domain!r}")
        return self
