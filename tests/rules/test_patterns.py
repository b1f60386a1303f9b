"""Rule patterns on RE2 (cleaner/patterns.py): the document-wide shortcuts must find
exactly the lines that matching line by line finds."""

from __future__ import annotations

import pytest
import re2
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cleaner.rules.load import load_rulebook
from cleaner.rules.patterns import (
    Finder,
    LazyPattern,
    LineMatcher,
    PatternError,
    PatternSet,
    Prefilter,
    check_pattern,
    compile_pattern,
    lines_matching,
)
from cleaner.rules.syntax import for_document, widened
from tests.conftest import FIXTURES


def _bundled_line_patterns() -> list[str]:
    rulebook = load_rulebook(())
    patterns: list[str] = []
    for rules in [rulebook.generic, *rulebook.outlets.values()]:
        for each in [rules, *(version.rules for version in rules.versions)]:
            patterns += each.lines.patterns
    return patterns


BUNDLED = _bundled_line_patterns()
FIXTURE_LINES = sorted(
    {
        line
        for path in FIXTURES.rglob("*.txt")
        for line in path.read_text(encoding="utf-8").split("\n")
        if line
    }
)
# Lines that put every construct of the rewrite to work: spaces and tabs at the edges,
# brackets, dashes, upper case, the characters classes are written around.
ODD_LINES = st.text(
    alphabet=st.sampled_from(list("aZ09 \t\r.,:;-–—()[]/|©*+AÉé“’\u00a0\\^$")),
    max_size=40,
)


def test_every_bundled_pattern_can_be_searched_document_wide() -> None:
    assert BUNDLED
    assert all(for_document(pattern) is not None for pattern in BUNDLED)


@settings(max_examples=300, deadline=None)
@given(line=st.one_of(st.sampled_from(FIXTURE_LINES), ODD_LINES), index=st.integers(0, 10**6))
def test_the_rewrite_matches_a_line_exactly_where_the_pattern_does(line: str, index: int) -> None:
    pattern = BUNDLED[index % len(BUNDLED)]
    form = for_document(pattern)
    assert form is not None
    assert (re2.match(pattern, line) is not None) == (re2.match(form, line) is not None)


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(st.one_of(st.sampled_from(FIXTURE_LINES), ODD_LINES), min_size=1, max_size=12)
)
def test_a_rule_files_lines_are_found_as_line_by_line_matching_finds_them(
    lines: list[str],
) -> None:
    lines = [line for line in lines if line and "\n" not in line] or ["x"]
    data = "\n".join(lines).encode()
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line.encode()) + 1
    rulebook = load_rulebook(())
    outlets = ("tribunnews", "kompas", "tirto", "jawapos")  # the last two: letter classes
    for rules in [rulebook.generic, *(rulebook.outlets[name] for name in outlets)]:
        matcher = rules.lines
        present = matcher.in_document(data)
        for slot, pattern in enumerate(matcher.patterns):
            expected = [i for i, line in enumerate(lines) if re2.match(pattern, line)]
            if expected:
                assert slot in present, pattern
            if matcher.locatable(slot) and slot in present:
                assert matcher.locate(slot, data, starts) == expected, pattern
            for i, line in enumerate(lines):
                assert matcher.match_line(slot, line) == (i in expected)


def test_a_rewritten_class_never_takes_a_line_break() -> None:
    assert for_document(r"[^ ]+\s+x") == r"[^ \n]+[\t\f\r ]+x"
    assert for_document(r"[\s,]+") == r"[\t\f\r ,]+"
    assert for_document(r"(?P<title>.+)(\d)") == r"(?:.+)(?:\d)"
    assert for_document(r"[^]a]\(x\)") == r"[^]a\n]\(x\)"


def test_constructs_the_rewrite_does_not_take_are_matched_line_by_line() -> None:
    for pattern in (r"\W+", r"\D", r"[\x00-\x7f]", r"(?s)a.b", r"\PL", r"[[:space:]]", r"\n"):
        assert for_document(pattern) is None, pattern
    matcher = LineMatcher([r"\W+x", r"Baca juga\b"])
    assert not matcher.locatable(0)
    assert matcher.locatable(1)
    data = b"ab\n--x\nBaca juga"
    assert matcher.in_document(data) >= {0, 1}  # candidates stand in when not searchable


def test_whole_text_anchors_count_as_present_everywhere() -> None:
    matcher = LineMatcher([r"\Afoo", r"bar\z"])
    assert matcher.in_document(b"x\ny") == {0, 1}
    assert matcher.match_line(0, "foo") and matcher.match_line(1, "bar")


def test_the_prefilter_finds_candidates_whatever_their_case() -> None:
    prefilter = Prefilter(["(?i)baca juga", "Copyright", "(?m)^ÉDITION"])
    assert prefilter.candidates(b"x BACA JUGA y") >= {0}
    assert prefilter.candidates("a\nÉDITION b".encode()) >= {2}
    assert 1 not in prefilter.candidates(b"nothing here")  # its atom is missing
    assert Prefilter([]).candidates(b"x") == frozenset()


def test_lines_matching_reports_each_line_once() -> None:
    text = b"aa aa\nbb\naa"
    assert lines_matching(Finder("(?m)aa"), text, [0, 6, 9]) == [0, 2]


@pytest.mark.parametrize(
    ("pattern", "lines"),
    [
        ("(?m)x*$", [0, 1, 2]),  # an empty match at each line's end: the line it ends
        ("(?m)c", [2]),  # a match ending at the text's end
        ("(?m)^$", [1]),  # an empty line
        ("(?m)b+", [0]),
    ],
)
def test_a_match_is_placed_on_its_line_by_where_it_ends(pattern: str, lines: list[int]) -> None:
    text = b"abb\n\nxc"
    assert lines_matching(Finder(pattern), text, [0, 4, 5]) == lines
    finder = Finder(pattern)
    assert [finder.find_end(text, pos) for pos in (0, 4, 5)] == [
        m.end() if (m := re2.compile(pattern).search(text, pos)) else -1 for pos in (0, 4, 5)
    ]


def test_a_pattern_set_can_answer_with_given_ids() -> None:
    patterns = PatternSet(["a", "b"], anchored=True, ids=[7, 9])
    assert patterns.match("b") == {9}
    assert patterns.match(b"a") == {7}


# --- checked at load, compiled when first used --------------------------------------------

PIECES = st.lists(
    st.sampled_from(
        [
            *("(?P<title>", "(?<dateline>", "(?:", "(", ")", "[", "]", "[^", "\\]", "\\[", "\\("),
            *("\\Q(?P<x>", "\\E", "[:alpha:]", "[[:digit:]]", "a", "b", "\\pL", "+", "*"),
            *("?", "{2}", "|", "^", "$", "-", "\\", "<", ">", "=", "\\d", "\\s"),
        ]
    ),
    max_size=12,
).map("".join)


# Pattern pieces with bounded repeats, greedy and lazy, and the braces that are none.
REPEAT_PIECES = st.lists(
    st.sampled_from(
        [
            *("a", "b", " ", "\\s", "[^\\n]", "[ab]", "(?:", "(?P<cut>", ")", "|", "$", "^"),
            *("{1,3}", "{0,2}", "{0,2}?", "{2}", "{2,}", "*", "+", "?", "\\{", "[{1,2}]"),
        ]
    ),
    max_size=10,
).map("".join)
REPEAT_LINES = st.text(alphabet="ab {},12\né“", max_size=20)


def _compiles(pattern: str) -> str | None:
    """RE2's verdict: ``None`` when it compiles, else PatternError's message."""
    try:
        compile_pattern(pattern)
    except PatternError as exc:
        return str(exc)
    return None


@given(PIECES)
@settings(max_examples=3000, deadline=None)
def test_the_load_time_check_refuses_what_re2_refuses_with_its_reason(pattern: str) -> None:
    verdict = _compiles(pattern)
    if verdict is None:
        check_pattern(pattern)
    else:
        with pytest.raises(PatternError) as info:
            check_pattern(pattern)
        assert str(info.value) == verdict


def test_a_lazy_pattern_is_checked_at_once_and_answers_as_the_compiled_one() -> None:
    with pytest.raises(PatternError, match="missing \\)"):
        LazyPattern("(Iklan")
    lazy = LazyPattern(r"(?P<dateline>[A-Z]+) - ")
    assert "compiled" not in vars(lazy)
    match = lazy.match("JAKARTA - Hujan")
    assert match is not None and match.groupdict() == {"dateline": "JAKARTA"}
    assert lazy.search("x JAKARTA - ") is not None and lazy.groupindex == {"dateline": 1}


def test_lines_a_widened_search_finds_are_confirmed_with_the_pattern_itself() -> None:
    # “ is no letter, but the widened class (letters of ASCII, any other character)
    # takes it: the document-wide search finds line 0, the pattern itself does not.
    pattern = r"Foto\s*:\s*\p{Lu}\pL+$"
    lines = ["Foto: “Kutipan”", "Foto: Budi", "Foto: budi"]
    data = "\n".join(lines).encode()
    starts = [0, len(lines[0].encode()) + 1, len(lines[0].encode()) + len(lines[1]) + 2]
    matcher = LineMatcher([pattern])
    assert matcher.in_document(data) == {0}
    wide = Finder(widened(f"(?m)^(?:{for_document(pattern)})"))
    assert lines_matching(wide, data, starts) == [0, 1]
    assert matcher.locate(0, data, starts) == [1]


@given(REPEAT_PIECES, REPEAT_LINES, st.integers(0, 20))
@example("a{1,3}$", "aaaa", 0)  # the screen's first start is one too early
@example("(?P<cut>ab{0,2})$", "abab abbb abb", 1)
@settings(max_examples=3000, deadline=None)
def test_a_lazy_pattern_finds_the_match_re2s_search_finds(
    pattern: str, line: str, pos: int
) -> None:
    # Patterns with a bounded repeat are searched through their screen (its start,
    # then the pattern matched from there): the same match, groups and all.
    if _compiles(pattern) is not None:
        return
    found = LazyPattern(pattern).search(line, pos)
    expected = re2.compile(pattern).search(line, pos)
    if expected is None:
        assert found is None, (pattern, line, pos)
        return
    assert found is not None, (pattern, line, pos)
    spans = range(len(expected.groups()) + 1)
    assert [found.span(i) for i in spans] == [expected.span(i) for i in spans], (pattern, line)


def test_a_lazy_pattern_searches_itself_past_starts_its_screen_proposes_in_vain() -> None:
    # Every "Editor:" opens a match of the screen (no bound on the tail), but only
    # the last is near enough the line's end; before it, more than the screen is
    # asked about (_SCREENED_STARTS).
    pattern = r"\.\s*(?P<cut>Editor\s?:\s?[A-Z][^\n]{0,40})$"
    far = " ".join(f"Kalimat {i}. Editor: Nama {i} menulis panjang sekali." for i in range(6))
    line = f"{far} Penutup. Editor: Budi"
    lazy = LazyPattern(pattern)
    assert lazy.screen is not None and lazy.screen.search(line).start() < len(far)
    found = lazy.search(line)
    assert found is not None and found.group("cut") == "Editor: Budi"
    assert LazyPattern(r"(?P<dateline>[A-Z]+) - ").screen is None  # nothing to relax
