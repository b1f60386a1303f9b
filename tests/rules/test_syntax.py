"""Rule patterns read as text (cleaner/rules/syntax.py): what RE2 would say of them,
without compiling them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.rules.load import load_rulebook
from cleaner.rules.patterns import compile_pattern
from cleaner.rules.syntax import group_names, required_tail
from tests.rules.test_patterns import PIECES, _compiles


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
