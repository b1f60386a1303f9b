"""Rule patterns read as text (cleaner/rules/syntax.py): what RE2 would say of them,
without compiling them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from cleaner.rules.load import load_rulebook
from cleaner.rules.patterns import compile_pattern
from cleaner.rules.syntax import group_names
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
