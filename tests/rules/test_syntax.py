"""Rule patterns read as text (cleaner/rules/syntax.py): what RE2 would say of them,
without compiling them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.rules.load import load_rulebook
from cleaner.rules.patterns import compile_pattern
from cleaner.rules.syntax import group_names, relaxed, required_tail, screening, widened
from tests.rules.test_patterns import (
    BUNDLED,
    FIXTURE_LINES,
    ODD_LINES,
    PIECES,
    REPEAT_LINES,
    REPEAT_PIECES,
    _compiles,
)


@given(PIECES)
@settings(max_examples=3000, deadline=None)
def test_group_names_are_re2s_group_names(pattern: str) -> None:
    if _compiles(pattern) is None:
        assert group_names(pattern) == frozenset(compile_pattern(pattern).groupindex)


@pytest.mark.parametrize(
    "pattern",
    [
        r"[](?P<title>a)]",  # a "]" first in a class is a member: no group here
        r"[^](?P<title>a)](?P<dateline>b)",
        r"[[:alpha:](?P<title>]x",
        r"\Q(?P<title>a)\E(?<dateline>b)",
        r"\((?P<title>a)\)",
        r"[\](?P<title>]",
    ],
)
def test_group_names_read_classes_escapes_and_quotes_as_re2_does(pattern: str) -> None:
    assert group_names(pattern) == frozenset(compile_pattern(pattern).groupindex)


def test_group_names_of_every_bundled_pattern_are_re2s() -> None:
    rulebook = load_rulebook(())
    checked = 0
    for rules in rulebook.files:
        for rule in rules.compiled_rules():
            pattern = getattr(rule, "pattern", None)
            if pattern is not None:
                assert group_names(pattern.pattern) == frozenset(pattern.groupindex)
                checked += 1
    assert checked > 200


@given(PIECES, PIECES, st.lists(st.text(alphabet="ab-<>= \n1", max_size=16), max_size=8))
@settings(max_examples=3000, deadline=None)
def test_a_required_tail_matches_wherever_its_pattern_does(
    before: str, after: str, texts: list[str]
) -> None:
    pattern = f"{before}(?:ab){after}"
    tail = required_tail(pattern, len(before))
    if tail is None or _compiles(pattern) is not None:
        return
    for text in texts:
        if compile_pattern(pattern).search(text) is not None:
            assert compile_pattern(tail).search(text) is not None, (pattern, tail, text)


@pytest.mark.parametrize(
    ("pattern", "tail"),
    [
        (r"(?:^|[A-Z]+ )Antara - ", "Antara - "),
        (r"(?i)(?:baca|ikuti)\b.{0,60}Antara", "(?i)Antara"),  # the leading flags kept
        (r"x*|Antara", None),  # an alternative without it
        (r"(?:x*Antara)", None),  # inside a group
        (r"[x*Antara]", None),  # inside a class
        (r"x*(?i)Antara", None),  # a flag set on the way
        (r"\Qx*|\EAntara", "Antara"),  # quoted text is no alternation
    ],
)
def test_required_tail_is_refused_where_it_would_not_be_required(
    pattern: str, tail: str | None
) -> None:
    assert required_tail(pattern, pattern.index("Antara")) == tail


# Lines with letters outside ASCII, and characters a widened class takes that the
# property does not (quotation marks, a dash, a symbol).
WIDE_LINES = st.text(alphabet=st.sampled_from(list("aZ09 .,:-/&()'AÉéßŞ“”’—©½\u00a0")), max_size=30)


@settings(max_examples=2000, deadline=None)
@given(
    line=st.one_of(st.sampled_from(FIXTURE_LINES), ODD_LINES, WIDE_LINES),
    index=st.integers(0, 10**6),
)
def test_a_widened_pattern_matches_wherever_its_pattern_does(line: str, index: int) -> None:
    with_property = [p for p in BUNDLED if "\\p" in p]
    pattern = with_property[index % len(with_property)]
    wide = widened(pattern)
    assert wide != pattern
    if re2.search(pattern, line):
        assert re2.search(wide, line), (pattern, line)
    if line.isascii():
        assert bool(re2.search(pattern, line)) == bool(re2.search(wide, line)), (pattern, line)


@given(PIECES, WIDE_LINES)
@settings(max_examples=3000, deadline=None)
def test_a_widened_generated_pattern_matches_wherever_it_does(pattern: str, line: str) -> None:
    if _compiles(pattern) is not None:
        return
    if re2.search(pattern, line):
        assert re2.search(widened(pattern), line), (pattern, widened(pattern), line)


@pytest.mark.parametrize(
    ("pattern", "wide"),
    [
        (r"\pL", r"[\x{41}-\x{5A}\x{61}-\x{7A}\x{80}-\x{10FFFF}]"),
        (r"[\p{Lu}&]", r"[\x{41}-\x{5A}\x{80}-\x{10FFFF}&]"),
        (r"\p{Greek}", r"[\x{80}-\x{10FFFF}]"),
        (r"[^\pL]x\P{L}\p{^L}", r"[^\pL]x\P{L}\p{^L}"),  # widening these would narrow them
        (r"\Q\pL\E[[:alpha:]]", r"\Q\pL\E[[:alpha:]]"),  # quoted text, a POSIX class
    ],
)
def test_only_property_classes_that_take_characters_are_widened(pattern: str, wide: str) -> None:
    assert widened(pattern) == wide


@pytest.mark.parametrize(
    ("pattern", "form", "size", "smaller"),
    [
        # \pL is ~1,200 instructions of UTF-8 byte sequences, one copy for each repeat.
        (r"tirto\.id\s*-\s*(?P<category>\p{Lu}[\pL&/ ]{1,40})$", widened, 40_000, 40),
        # A bounded tail is one copy of its class for each repeat; the automata built
        # from the program hold a state for each length the tail may have reached.
        (r"\.\s*(?P<cut>(?:Editor|Pewarta)\s?:\s?[A-Z][^\n]{0,400})$", screening, 1_000, 20),
    ],
)
def test_the_screening_forms_compile_to_small_programs(
    pattern: str, form: Callable[[str], str], size: int, smaller: int
) -> None:
    program = re2.compile(pattern)._regexp.ProgramSize()
    assert program > size
    assert re2.compile(form(pattern))._regexp.ProgramSize() < program / smaller


@given(REPEAT_PIECES, REPEAT_LINES)
@settings(max_examples=3000, deadline=None)
def test_a_relaxed_pattern_matches_wherever_its_pattern_does(pattern: str, line: str) -> None:
    if _compiles(pattern) is not None:
        return
    for form in (relaxed(pattern), screening(pattern)):
        assert _compiles(form) is None, (pattern, form)
        if re2.search(pattern, line):
            assert re2.search(form, line), (pattern, form, line)


@pytest.mark.parametrize(
    ("pattern", "loose"),
    [
        (r"x[^\n]{0,400}$", r"x[^\n]{0,}$"),
        (r"(?:ab){1,5}c{2}d{3,}", r"(?:ab){1,}c{2}d{3,}"),  # exact and open counts stay
        (r"\b.{0,100}?News", r"\b.{0,}?News"),  # lazy stays lazy
        (r"[{1,2}]\{1,2}\Q{1,2}\E", r"[{1,2}]\{1,2}\Q{1,2}\E"),  # braces that are no repeat
    ],
)
def test_only_bounded_repeats_are_relaxed(pattern: str, loose: str) -> None:
    assert relaxed(pattern) == loose
