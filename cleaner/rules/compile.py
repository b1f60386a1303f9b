"""Rule files compiled: what the pipeline applies.

Every pattern is compiled once, when the rules are loaded. All of a file's line
patterns also go into one :class:`~cleaner.rules.patterns.LineMatcher`, so each
document is scanned about once per file, not once per pattern and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from cleaner.errors import RuleFileError
from cleaner.rules.patterns import (
    Finder,
    LazyPattern,
    LineMatcher,
    Pattern,
    PatternError,
    PatternSet,
    Prefilter,
    document_pattern,
)
from cleaner.rules.schema import (
    BRAND,
    GENERIC,
    SECTIONS,
    DropLine,
    HeuristicName,
    LineClass,
    RuleFile,
    RuleSections,
    StripRule,
    _Rule,
)
from cleaner.rules.syntax import anchored_at_end, group_names, required_tail
from cleaner.text.html import HtmlOptions


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a rule was written, for reports and ``cleaner explain``."""

    file: str
    line: int | None
    note: str | None = None
    """The rule's ``note``: why it exists, in its author's words."""


@dataclass(frozen=True, slots=True)
class Window:
    first: int | None = None
    last: int | None = None
    after_leading: tuple[LineClass, ...] = ()


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


@dataclass(frozen=True, slots=True)
class CompiledBlock:
    id: str
    origin: Origin
    window: Window
    start_slot: int
    end_slot: int | None
    include_end: bool
    to_end: bool
    run_of: tuple[LineClass, ...]
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
    if_missing: bool
    relative_to: str | None
    offset: int
    names: frozenset[str] = frozenset()
    """The fields the pattern captures (its named groups)."""


@dataclass(frozen=True, slots=True)
class CompiledHeuristic:
    id: str
    origin: Origin
    name: HeuristicName
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
    fingerprints: tuple[tuple[str, float], ...]
    """``(pattern, weight)``: a plain fingerprint weighs 1/min_fingerprints."""
    brands: tuple[str, ...]
    """How the outlet names itself: its ``brands``, its name and its domains."""
    evidence: tuple[tuple[str, str, float], ...]
    """The generic file's ``(id, pattern with {brand}, weight)``."""
    max_line_chars: int | None
    drop_blocks: tuple[CompiledBlock, ...]
    drop_lines: tuple[CompiledLine, ...]
    inline_spans: tuple[CompiledLine, ...]
    fields: tuple[CompiledField, ...]
    strip_prefixes: tuple[CompiledLine, ...]
    strip_suffixes: tuple[CompiledLine, ...]
    heuristics: tuple[CompiledHeuristic, ...]
    slot_patterns: tuple[str, ...]
    """Every line pattern of the file, by ``slot`` (see :attr:`lines`)."""
    html: HtmlOptions | None = None
    versions: tuple[CompiledVersion, ...] = ()
    bundled: bool = True

    # The matchers are built when a document of the outlet first needs them: a run over
    # a corpus meets a few of the bundled outlets, and building every file's automata at
    # start-up took about a tenth of a second. A user's own rule files are built at once
    # (compile_rules), so that a pattern RE2 cannot fit in memory is an error at load.

    @cached_property
    def lines(self) -> LineMatcher:
        """Every line pattern of the file (see the ``slot`` fields), matched together."""
        return LineMatcher(self.slot_patterns)

    @cached_property
    def span_set(self) -> PatternSet:
        """The inline span patterns, searched in one pass (``slot`` is the index here)."""
        return PatternSet([r.pattern.pattern for r in self.inline_spans], anchored=False)

    @cached_property
    def span_document_set(self) -> Prefilter:
        """The same, in multi-line mode: which spans may occur anywhere in a document."""
        return Prefilter([f"(?m){r.pattern.pattern}" for r in self.inline_spans])

    def build(self) -> OutletRules:
        """Compile every pattern and build every matcher now (the versions' too);
        :class:`~cleaner.errors.RuleFileError` names the rule RE2 cannot compile (a
        pattern it parses may still be too big for its memory budget)."""
        for rules in (self, *(version.rules for version in self.versions)):
            for rule in rules.compiled_rules():
                try:
                    if (pattern := getattr(rule, "pattern", None)) is not None:
                        _ = pattern.groupindex  # compiles it
                    if (locator := getattr(rule, "locator", None)) is not None:
                        locator.compile()
                except PatternError as exc:
                    raise RuleFileError(str(self.path), rule.origin.line, str(exc)) from None
            try:
                _ = rules.lines, rules.span_set, rules.span_document_set
            except PatternError as exc:
                raise RuleFileError(str(self.path), None, str(exc)) from None
        return self

    def compiled_rules(self) -> Iterator[CompiledRule]:
        """Every rule of the file, its versions' included, in the order they run."""
        for section in SECTIONS:
            yield from getattr(self, section)
        for version in self.versions:
            yield from version.rules.compiled_rules()

    @cached_property
    def rule_count(self) -> int:
        return sum(1 for _ in self.compiled_rules())


def compile_rules(
    spec: RuleFile, path: Path, lines: dict[tuple[Any, ...], int], *, bundled: bool
) -> OutletRules:
    """Compile one validated rule file; ``lines`` maps places in the file to their line
    numbers (for reports and ``cleaner explain``)."""
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
        compiled = _compile_sections(spec, spec, path, lines, (), bundled, versions)
    except PatternError as exc:
        raise RuleFileError(str(path), None, str(exc)) from None
    return compiled if bundled else compiled.build()


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
        note = getattr(sections, section)[index].note
        return Origin(str(path), lines.get((*where, section, index)), note)

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
            LazyPattern(pattern),
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
            pattern=LazyPattern(f.pattern),
            slot=slot(f.pattern),
            repeat=f.repeat,
            if_missing=f.if_missing,
            relative_to=rid(f.relative_to) if f.relative_to else None,
            offset=f.offset or 0,
            names=group_names(f.pattern),
        )
        for i, f in enumerate(sections.fields)
    )
    spans = tuple(
        CompiledLine(
            rid(r.id),
            origin("inline_spans", i),
            window(r),
            LazyPattern(r.pattern),
            i,
        )
        for i, r in enumerate(sections.inline_spans)
    )
    return OutletRules(
        outlet=outlet,
        name=spec.name,
        path=path,
        domains=tuple(spec.domains) if not where else (),
        fingerprints=tuple(
            (f, 1 / spec.min_fingerprints) if isinstance(f, str) else (f.pattern, f.weight)
            for f in (spec.fingerprints if not where else ())
        ),
        brands=tuple(dict.fromkeys([*spec.brands, spec.name, *spec.domains])) if not where else (),
        evidence=tuple((e.id, e.pattern, e.weight) for e in spec.evidence) if not where else (),
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
                LazyPattern(h.pattern) if h.pattern else None,
                Prefilter([f"(?m){h.pattern}"]) if h.pattern else None,
                document_pattern(h.pattern) if h.pattern else None,
            )
            for i, h in enumerate(sections.heuristics)
        ),
        slot_patterns=tuple(slots),
        html=spec.html if not where else None,
        versions=versions,
        bundled=bundled,
    )


@dataclass(frozen=True, slots=True)
class Sign:
    """Something in a page's text that says which outlet published it, and how much."""

    rules: OutletRules
    kind: str
    """``fingerprint``, ``fingerprint inside a line`` or ``generic/<evidence id>``."""
    pattern: str
    """As written in the rule file."""
    weight: float
    searched: str
    """What is searched for."""
    required: str | None = None
    """A part of :attr:`searched` that every match of it holds (the outlet's brand and
    what follows it): searched first, since it is rare and cheap where the whole, which
    begins with a costly prefix, is neither (``antara`` is also a word; the lead-in's
    search cost 0.14 ms a document, its brand and dash 2 µs)."""


_AFTER_TITLE = r"[A-Z0-9][^\s]*[ \t]+|[.!?”\")][ \t]*"
"""What comes before a lead-in further on in a line: the last word of a title (capital
or digit) or a sentence's end, not prose ("dilaporkan TRIBUNNEWS.COM --")."""


def _brand_onwards(template: str, searched: str) -> str | None:
    """:attr:`Sign.required` of an evidence pattern: ``searched`` from the brand on,
    when the brand is required (not optional, not in an alternative) and what precedes
    it may be of many lengths (a quantifier), which is what makes a search costly; and
    when more than the brand follows it (the brand alone is what the prefilter saw)."""
    at = template.find(BRAND)
    after = template[at + len(BRAND) :]
    if template.count(BRAND) != 1 or after.startswith(("?", "*", "+", "{")):
        return None
    if not after.replace("\\b", ""):
        return None
    if not re.search(r"[*+?{]", template[:at]):
        return None
    return required_tail(searched, at)


def _literal(text: str) -> str:
    """``text`` as an RE2 pattern matching it literally."""
    return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", text)


@dataclass(frozen=True)
class Rulebook:
    """Every outlet's rules plus those for every document, as the pipeline uses them."""

    outlets: dict[str, OutletRules]
    generic: OutletRules
    domain_index: dict[str, str] = field(default_factory=dict)
    lexicon: OutletRules | None = None
    """The boilerplate lexicon (``rules/lexicon.yaml``), when there is one."""

    @property
    def everywhere(self) -> tuple[OutletRules, ...]:
        """The rule files that run on every document, in order (:data:`EVERY_DOCUMENT`):
        after an outlet's own rules, the lexicon, then the generic rules."""
        return (self.generic,) if self.lexicon is None else (self.lexicon, self.generic)

    @property
    def files(self) -> tuple[OutletRules, ...]:
        """Every rule file: the outlets', then those that run on every document."""
        return (*self.outlets.values(), *self.everywhere)

    def chain(self, outlet: OutletRules | None) -> list[OutletRules]:
        """The rule files a document of ``outlet`` (or of none) goes through, in order."""
        return [*([outlet] if outlet is not None else []), *self.everywhere]

    @cached_property
    def signs(self) -> tuple[Prefilter, tuple[Sign, ...]]:
        """Every sign of every outlet in one set, searched in multi-line mode: its
        fingerprints (and, for one anchored at a line's start, the same found further
        on in a line, at half weight), and the generic file's evidence patterns with
        the outlet's brands in place of ``{brand}``."""
        signs: list[Sign] = []
        for rules in self.outlets.values():
            for pattern, weight in rules.fingerprints:
                signs.append(Sign(rules, "fingerprint", pattern, weight, pattern))
                if pattern.startswith("^"):
                    inline = rf"(?:{_AFTER_TITLE})(?:{pattern[1:]})"
                    required = required_tail(inline, len(f"(?:{_AFTER_TITLE})"))
                    kind = "fingerprint inside a line"
                    signs.append(Sign(rules, kind, pattern, weight / 2, inline, required))
            brands = "(?i:" + "|".join(_literal(b) for b in rules.brands) + ")"
            for rule_id, template, weight in self.generic.evidence:
                searched = template.replace(BRAND, brands)
                required = _brand_onwards(template, searched)
                kind = f"{GENERIC}/{rule_id}"
                signs.append(Sign(rules, kind, template, weight, searched, required))
        return Prefilter([f"(?m){s.searched}" for s in signs]), tuple(signs)

    @cached_property
    def origins(self) -> dict[str, Origin]:
        """Where every rule id is written (file and line)."""
        return {rule.id: rule.origin for rules in self.files for rule in rules.compiled_rules()}

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
