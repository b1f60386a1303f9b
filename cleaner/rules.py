"""Rule files: their schema, loading, and compilation.

A rule file is ``rules/<outlet>.yaml``; ``rules/generic.yaml`` holds the rules that run
on every document. The file's stem is the outlet's id. Files are read with YAML's safe
loader and validated by the pydantic models below, so an unknown key, a bad regular
expression or a misspelt field name stops the run with ``file:line: message`` instead
of being skipped.

Every pattern is compiled once, when the rules are loaded, on RE2 (see
:mod:`cleaner.patterns`): no pattern can make a run hang. Patterns that look at lines
match from the start of the line (as if written with ``^``); ``strip_suffixes`` patterns
match up to its end. All of a file's line patterns also go into one
:class:`~cleaner.patterns.PatternSet`, so each line is scanned once per file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PositiveInt,
    ValidationError,
    field_validator,
    model_validator,
)

from cleaner.errors import RuleFileError
from cleaner.heuristics import HEURISTICS, LINE_CLASSES
from cleaner.patterns import (
    Finder,
    LineMatcher,
    Pattern,
    PatternError,
    PatternSet,
    Prefilter,
    anchored_at_end,
    compile_pattern,
    document_pattern,
)

GENERIC = "generic"
"""The stem of the rule file that applies to every document."""

FIELD_NAMES = frozenset(
    {
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
    }
)
"""Names a pattern's named groups may carry: each becomes a field of the article."""


def _valid_regex(pattern: str) -> str:
    compile_pattern(pattern)  # raises PatternError (a ValueError) with the reason
    return pattern


def _field_groups(pattern: str, also: frozenset[str] = frozenset()) -> str:
    unknown = set(compile_pattern(pattern).groupindex) - FIELD_NAMES - also
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
assert set(LINE_CLASSES) == set(LineClass.__args__)  # type: ignore[attr-defined]


class LocatedValueError(ValueError):
    """A validation error that knows where in the file it belongs (for ``file:line``)."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

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
    rule is a ``fallback``. ``relative_to`` names
    a ``strip_prefixes`` rule or an earlier field rule of the same file: the rule then
    looks only at the kept line ``offset`` lines away from the line that rule matched
    (-1: the line just above).
    """

    pattern: FieldRegex
    repeat: bool = False
    fallback: bool = Field(
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


class HeuristicRef(BaseModel):
    """Switch on a heuristic implemented in :mod:`cleaner.heuristics`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    note: str | None = None
    pattern: Regex | None = Field(
        None, description="For heuristics that take one: the marker they look for."
    )

    @model_validator(mode="after")
    def _known(self) -> HeuristicRef:
        if self.id not in HEURISTICS:
            raise ValueError(f"unknown heuristic {self.id!r}; known: {sorted(HEURISTICS)}")
        return self


def _valid_xpath(xpath: str) -> str:
    from lxml.etree import XPath, XPathSyntaxError

    try:
        XPath(xpath)
    except XPathSyntaxError as exc:
        raise ValueError(f"invalid XPath {xpath!r}: {exc}") from None
    return xpath


class HtmlOptions(BaseModel):
    """trafilatura settings for an outlet's HTML pages (added to the generic file's)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prune_xpath: list[Annotated[str, AfterValidator(_valid_xpath)]] = Field(
        default_factory=list,
        description="Elements removed before extraction, e.g. a related-stories box.",
    )
    include_tables: bool = True
    favor_precision: bool = False
    favor_recall: bool = False
    fallback: bool = Field(
        True,
        description="Whether trafilatura also runs its fallback extractors (readability, "
        "jusText) and keeps the better text. They cost about a quarter of the extraction. "
        "An outlet whose pages trafilatura's own extractor reads right turns them off with "
        "`fallback: false`, once its fixtures and its real pages (`make eval`) come out the "
        "same without them; some Kompas pages need them.",
    )
    metadata: dict[
        Literal["title", "authors", "published_at", "category", "tags"],
        Annotated[str, AfterValidator(_valid_xpath)],
    ] = Field(
        default_factory=dict,
        description="Where the markup keeps a field that trafilatura misreads or misses: an "
        "XPath to the element (its text) or attribute, e.g. authors: "
        '\'//div[@class="reporter"]\'. Authors are split at commas, semicolons, "dan" '
        "and dashes, and a part naming the site itself is dropped; tags at commas.",
    )
    search: list[Literal["authors", "category", "tags"]] | None = Field(
        None,
        description="Fields trafilatura may look for across the whole page (a byline, "
        "category and tag links) when neither the page's declarations (meta tags, JSON-LD, "
        "`metadata` above) nor the rules give them. The search costs about a fifth of the "
        "extraction, so an outlet whose rules know where these are turns it off with "
        "`search: []`. Unset: as the generic file says, and there all three.",
    )

    @property
    def extraction(self) -> tuple[object, ...]:
        """The settings that change trafilatura's text (the rest only change metadata):
        two options with the same ``extraction`` give the same text. ``fallback`` is not
        among them: an outlet turns it off only where the text comes out the same."""
        return (
            tuple(self.prune_xpath),
            self.include_tables,
            self.favor_precision,
            self.favor_recall,
        )

    def redo(self, done: HtmlOptions) -> bool:
        """Whether a page extracted with ``done`` must be extracted again with these:
        they change the text, or they want the fallback that ``done`` skipped."""
        return self.extraction != done.extraction or (self.fallback and not done.fallback)

    def merged(self, outlet: HtmlOptions | None) -> HtmlOptions:
        """These (generic) settings with an outlet's on top: XPaths add up, flags override."""
        if outlet is None:
            return self
        return HtmlOptions(
            prune_xpath=[*self.prune_xpath, *outlet.prune_xpath],
            include_tables=outlet.include_tables,
            favor_precision=outlet.favor_precision,
            favor_recall=outlet.favor_recall,
            fallback=outlet.fallback,
            metadata={**self.metadata, **outlet.metadata},
            search=outlet.search if outlet.search is not None else self.search,
        )

    @property
    def searched(self) -> frozenset[str]:
        """The fields the page may be searched for (see ``search``)."""
        return frozenset(("authors", "category", "tags") if self.search is None else self.search)


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

    @field_validator(
        "drop_blocks",
        "drop_lines",
        "inline_spans",
        "strip_prefixes",
        "fields",
        "strip_suffixes",
        "heuristics",
        mode="before",
    )
    @classmethod
    def _empty_section(cls, value: Any) -> Any:
        return [] if value is None else value  # a section whose items are all commented out

    def located_rules(self) -> list[tuple[str, int, _Rule]]:
        """``(section, index, rule)`` for every rule, in the order they are applied."""
        sections: list[tuple[str, list[Any]]] = [
            ("drop_blocks", self.drop_blocks),
            ("drop_lines", self.drop_lines),
            ("inline_spans", self.inline_spans),
            ("strip_prefixes", self.strip_prefixes),
            ("fields", self.fields),
            ("strip_suffixes", self.strip_suffixes),
        ]
        return [(name, i, rule) for name, rules in sections for i, rule in enumerate(rules)]

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


class RuleFile(RuleSections):
    """The schema of one ``rules/*.yaml`` file."""

    name: str = Field(description="The outlet's name as people write it.")
    domains: list[str] = Field(
        default_factory=list,
        description="Hostnames (and their subdomains) whose pages use these rules.",
    )
    fingerprints: list[Regex] = Field(
        default_factory=list,
        description="Patterns searched in the text (multi-line mode) when a page has no URL.",
    )
    min_fingerprints: PositiveInt = Field(
        1, description="How many fingerprints must be found to claim a document."
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


# ---------------------------------------------------------------------------------------
# Compiled form: what the pipeline uses.


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a rule was written, for reports and ``cleaner explain``."""

    file: str
    line: int | None


@dataclass(frozen=True, slots=True)
class Window:
    first: int | None = None
    last: int | None = None
    after_leading: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CompiledLine:
    """A rule that is one pattern over a line: a drop_lines or a strip rule.

    ``slot`` is the pattern's index in the file's :class:`PatternSet`.
    """

    id: str
    origin: Origin
    window: Window
    pattern: Pattern
    slot: int
    locator: Finder | None = None
    """For an inline span: the pattern as searched over a whole document, to find the
    lines it occurs in (``None``: look at every line)."""


@dataclass(frozen=True, slots=True)
class CompiledBlock:
    id: str
    origin: Origin
    window: Window
    start_slot: int
    end_slot: int | None
    include_end: bool
    to_end: bool
    run_of: tuple[str, ...]
    min_run: int
    max_run: int | None


@dataclass(frozen=True, slots=True)
class CompiledField:
    id: str
    origin: Origin
    window: Window
    pattern: Pattern
    slot: int
    repeat: bool
    fallback: bool
    relative_to: str | None
    offset: int
    names: frozenset[str] = frozenset()
    """The fields the pattern captures (its named groups)."""


@dataclass(frozen=True, slots=True)
class CompiledHeuristic:
    id: str
    origin: Origin
    name: str
    pattern: Pattern | None = None
    document_filter: Prefilter | None = None
    """``pattern`` in multi-line mode: whether it may occur anywhere in a document."""
    locator: Finder | None = None
    """``pattern`` as searched over a whole document, to find the lines it occurs in."""


CompiledRule = CompiledBlock | CompiledLine | CompiledField | CompiledHeuristic


@dataclass(frozen=True)
class CompiledVersion:
    valid_from: date | None
    valid_until: date | None
    rules: OutletRules

    def covers(self, day: date | None) -> bool:
        """Whether an article of ``day`` uses this version; an unknown day uses them all."""
        if day is None:
            return True
        return (self.valid_from or date.min) <= day <= (self.valid_until or date.max)


@dataclass(frozen=True)
class OutletRules:
    """One rule file, compiled. ``outlet`` is the file's stem."""

    outlet: str
    name: str
    path: Path
    domains: tuple[str, ...]
    fingerprints: tuple[str, ...]
    min_fingerprints: int
    max_line_chars: int | None
    drop_blocks: tuple[CompiledBlock, ...]
    drop_lines: tuple[CompiledLine, ...]
    inline_spans: tuple[CompiledLine, ...]
    fields: tuple[CompiledField, ...]
    strip_prefixes: tuple[CompiledLine, ...]
    strip_suffixes: tuple[CompiledLine, ...]
    heuristics: tuple[CompiledHeuristic, ...]
    lines: LineMatcher
    """Every line pattern of the file (see the ``slot`` fields), matched together."""
    span_set: PatternSet
    """The inline span patterns, searched in one pass (``slot`` is the index here)."""
    span_document_set: Prefilter
    """The same, in multi-line mode: which spans may occur anywhere in a document."""
    html: HtmlOptions | None = None
    versions: tuple[CompiledVersion, ...] = ()
    bundled: bool = True

    def compiled_rules(self) -> Iterator[CompiledRule]:
        """Every rule of the file, its versions' included, in the order they run."""
        yield from self.drop_blocks
        yield from self.drop_lines
        yield from self.inline_spans
        yield from self.strip_prefixes
        yield from self.fields
        yield from self.strip_suffixes
        yield from self.heuristics
        for version in self.versions:
            yield from version.rules.compiled_rules()

    @cached_property
    def rule_count(self) -> int:
        return sum(1 for _ in self.compiled_rules())


def _line_of(lines: dict[tuple[Any, ...], int], loc: Sequence[Any]) -> int | None:
    for n in range(len(loc), -1, -1):
        if (found := lines.get(tuple(loc[:n]))) is not None:
            return found
    return None


def _node_lines(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    """Map each path in the document (``("drop_lines", 2, "pattern")``) to its line."""
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise _DuplicateKeyError(key, key_node.start_mark.line + 1)
            seen.add(key)
            _node_lines(value_node, (*path, key), out)
            out[(*path, key)] = key_node.start_mark.line + 1  # errors point at the key
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _node_lines(item, (*path, i), out)


class _DuplicateKeyError(Exception):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(key)
        self.key = key
        self.line = line


_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_rule_file(path: Path) -> tuple[RuleFile, dict[tuple[Any, ...], int]]:
    """Parse and validate one rule file; errors name the file and the line."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(shown, None, f"cannot read: {exc}") from None
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise RuleFileError(shown, line, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise RuleFileError(shown, None, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if node is None or not isinstance(data, dict):
        raise RuleFileError(shown, 1, "a rule file must be a YAML mapping (name:, domains:, …)")
    lines: dict[tuple[Any, ...], int] = {}
    try:
        _node_lines(node, (), lines)
    except _DuplicateKeyError as dup:
        raise RuleFileError(shown, dup.line, f"key {dup.key!r} appears twice") from None
    try:
        return RuleFile.model_validate(data), lines
    except ValidationError as exc:
        problems = [_problem(err, lines) for err in exc.errors()]
        problems.sort(key=lambda p: p[0] or 0)
        raise RuleFileError(shown, problems[0][0], problems[0][1], problems) from None


def _problem(err: Any, lines: dict[tuple[Any, ...], int]) -> tuple[int | None, str]:
    """One pydantic error as ``(line, "where: message")``."""
    cause = err.get("ctx", {}).get("error")
    loc = (*err["loc"], *cause.loc) if isinstance(cause, LocatedValueError) else err["loc"]
    where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc)
    where = where.replace(".[", "[")
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}"
    return _line_of(lines, loc), f"{where}: {message}" if where else message


def compile_rule_file(path: Path, *, bundled: bool) -> OutletRules:
    """Read, validate and compile one rule file."""
    spec, lines = read_rule_file(path)
    outlet = path.stem
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", outlet):
        raise RuleFileError(
            str(path), None, "file name must be a lower-case outlet id (a-z, 0-9, -, _)"
        )
    try:
        versions = tuple(
            CompiledVersion(
                version.valid_from,
                version.valid_until,
                _compile_sections(version, spec, path, lines, ("versions", i), bundled),
            )
            for i, version in enumerate(spec.versions)
        )
        return _compile_sections(spec, spec, path, lines, (), bundled, versions)
    except PatternError as exc:
        raise RuleFileError(str(path), None, str(exc)) from None


def _compile_sections(
    sections: RuleSections,
    spec: RuleFile,
    path: Path,
    lines: dict[tuple[Any, ...], int],
    where: tuple[Any, ...],
    bundled: bool,
    versions: tuple[CompiledVersion, ...] = (),
) -> OutletRules:
    """One set of sections (the file's own, or a version's) as the pipeline uses it."""
    outlet = path.stem
    slots: list[str] = []

    def slot(pattern: str) -> int:
        slots.append(pattern)
        return len(slots) - 1

    def origin(section: str, index: int) -> Origin:
        return Origin(str(path), lines.get((*where, section, index)))

    def window(rule: _Rule) -> Window:
        return Window(rule.within, rule.within_last, tuple(rule.after_leading))

    def rid(rule_id: str) -> str:
        return f"{outlet}/{rule_id}"

    def line_rule(
        section: str, i: int, rule: DropLine | StripRule, *, to_end: bool = False
    ) -> CompiledLine:
        pattern = anchored_at_end(rule.pattern) if to_end else rule.pattern
        return CompiledLine(
            rid(rule.id),
            origin(section, i),
            window(rule),
            compile_pattern(pattern),
            slot(f".*{pattern}" if to_end else pattern),
        )

    drop_blocks = tuple(
        CompiledBlock(
            id=rid(b.id),
            origin=origin("drop_blocks", i),
            window=window(b),
            start_slot=slot(b.start),
            end_slot=slot(b.end) if b.end is not None else None,
            include_end=b.include_end,
            to_end=b.to_end,
            run_of=tuple(b.run_of or ()),
            min_run=b.min_run,
            max_run=b.max_run,
        )
        for i, b in enumerate(sections.drop_blocks)
    )
    drop_lines = tuple(line_rule("drop_lines", i, r) for i, r in enumerate(sections.drop_lines))
    prefixes = tuple(
        line_rule("strip_prefixes", i, r) for i, r in enumerate(sections.strip_prefixes)
    )
    suffixes = tuple(
        line_rule("strip_suffixes", i, r, to_end=True)
        for i, r in enumerate(sections.strip_suffixes)
    )
    fields = tuple(
        CompiledField(
            id=rid(f.id),
            origin=origin("fields", i),
            window=window(f),
            pattern=compile_pattern(f.pattern),
            slot=slot(f.pattern),
            repeat=f.repeat,
            fallback=f.fallback,
            relative_to=rid(f.relative_to) if f.relative_to else None,
            offset=f.offset or 0,
            names=frozenset(compile_pattern(f.pattern).groupindex),
        )
        for i, f in enumerate(sections.fields)
    )
    spans = tuple(
        CompiledLine(
            rid(r.id),
            origin("inline_spans", i),
            window(r),
            compile_pattern(r.pattern),
            i,
            document_pattern(r.pattern),
        )
        for i, r in enumerate(sections.inline_spans)
    )
    return OutletRules(
        outlet=outlet,
        name=spec.name,
        path=path,
        domains=tuple(spec.domains) if not where else (),
        fingerprints=tuple(spec.fingerprints) if not where else (),
        min_fingerprints=spec.min_fingerprints,
        max_line_chars=spec.max_line_chars,
        drop_blocks=drop_blocks,
        drop_lines=drop_lines,
        inline_spans=spans,
        fields=fields,
        strip_prefixes=prefixes,
        strip_suffixes=suffixes,
        heuristics=tuple(
            CompiledHeuristic(
                rid(h.id),
                origin("heuristics", i),
                h.id,
                compile_pattern(h.pattern) if h.pattern else None,
                Prefilter([f"(?m){h.pattern}"]) if h.pattern else None,
                document_pattern(h.pattern) if h.pattern else None,
            )
            for i, h in enumerate(sections.heuristics)
        ),
        lines=LineMatcher(slots),
        span_set=PatternSet([r.pattern for r in sections.inline_spans], anchored=False),
        span_document_set=Prefilter([f"(?m){r.pattern}" for r in sections.inline_spans]),
        html=spec.html if not where else None,
        versions=versions,
        bundled=bundled,
    )


def bundled_rules_dir() -> Path:
    """The rules shipped with the package (inside a wheel) or beside it (a checkout)."""
    here = Path(__file__).resolve().parent
    installed = here / "_bundled_rules"
    return installed if installed.is_dir() else here.parent / "rules"


@dataclass(frozen=True)
class Rulebook:
    """Every outlet's rules plus the generic ones, as the pipeline uses them."""

    outlets: dict[str, OutletRules]
    generic: OutletRules
    domain_index: dict[str, str] = field(default_factory=dict)

    @cached_property
    def fingerprints(self) -> tuple[Prefilter, tuple[tuple[OutletRules, str], ...]]:
        """Every outlet's fingerprints in one set (searched in multi-line mode), and
        for each index the outlet and the pattern as written."""
        owners = tuple((rules, p) for rules in self.outlets.values() for p in rules.fingerprints)
        return Prefilter([f"(?m){p}" for _, p in owners]), owners

    @cached_property
    def origins(self) -> dict[str, Origin]:
        """Where every rule id is written (file and line)."""
        return {
            rule.id: rule.origin
            for rules in [*self.outlets.values(), self.generic]
            for rule in rules.compiled_rules()
        }

    def html_options(self, outlet: OutletRules | None) -> HtmlOptions:
        """The trafilatura settings for a page of ``outlet`` (or of no known outlet)."""
        return (self.generic.html or HtmlOptions()).merged(outlet.html if outlet else None)

    def for_domain(self, host: str) -> OutletRules | None:
        """The outlet whose domain is ``host`` or its closest parent domain."""
        host = host.lower().rstrip(".")
        host = host.removeprefix("www.")
        parts = host.split(".")
        for i in range(len(parts) - 1):
            outlet = self.domain_index.get(".".join(parts[i:]))
            if outlet is not None:
                return self.outlets[outlet]
        return None


def _rule_files(directory: Path) -> Iterable[Path]:
    return sorted(
        p
        for p in directory.iterdir()
        if p.suffix in {".yaml", ".yml"} and not p.name.startswith(("_", "."))
    )


def load_rulebook(extra_dirs: Sequence[Path] = ()) -> Rulebook:
    """Load the bundled rules, then each of ``extra_dirs`` (a file there replaces the
    bundled file of the same outlet id).

    The result is immutable and cached for as long as no rule file changes, so building
    many cleaners in one process (tests, notebooks) compiles the rules once.
    """
    files: dict[str, tuple[Path, bool]] = {}
    for directory, bundled in [(bundled_rules_dir(), True), *((d, False) for d in extra_dirs)]:
        if not directory.is_dir():
            raise RuleFileError(str(directory), None, "rules directory does not exist")
        for path in _rule_files(directory):
            files[path.stem] = (path, bundled)
    key = tuple(
        (name, str(path), bundled, path.stat().st_mtime_ns, path.stat().st_size)
        for name, (path, bundled) in sorted(files.items())
    )
    return _load(key)


@functools.lru_cache(maxsize=16)
def _load(key: tuple[tuple[str, str, bool, int, int], ...]) -> Rulebook:
    files = {name: (Path(path), bundled) for name, path, bundled, _, _ in key}
    compiled = {name: compile_rule_file(path, bundled=b) for name, (path, b) in files.items()}
    generic = compiled.pop(GENERIC, None)
    if generic is None:
        raise RuleFileError(str(bundled_rules_dir()), None, f"no {GENERIC}.yaml rule file")
    domain_index: dict[str, str] = {}
    for outlet in sorted(compiled):
        for domain in compiled[outlet].domains:
            other = domain_index.setdefault(domain, outlet)
            if other != outlet:
                raise RuleFileError(
                    str(compiled[outlet].path),
                    None,
                    f"domain {domain} is already claimed by {other}",
                )
    rulebook = Rulebook(
        outlets=dict(sorted(compiled.items())), generic=generic, domain_index=domain_index
    )
    try:
        rulebook.fingerprints  # noqa: B018 - compile the shared set now, not mid-run
    except PatternError as exc:
        raise RuleFileError(
            str(bundled_rules_dir()), None, f"the fingerprints of all rule files: {exc}"
        ) from None
    return rulebook
