"""Golden fixtures: every input under fixtures/ must become exactly its expected record."""

from __future__ import annotations

import pytest

from cleaner import Cleaner
from cleaner.authoring.fixtures import (
    FixtureCase,
    diff,
    discover,
    dump_records,
    load_records,
    run_case,
)
from cleaner.rules.load import load_rulebook
from cleaner.rules.schema import EVERY_DOCUMENT
from tests.conftest import FIXTURES

CASES = list(discover(FIXTURES))


@pytest.mark.parametrize("case", CASES, ids=[c.source for c in CASES])
def test_fixture_matches_expected_record(
    case: FixtureCase, cleaner: Cleaner, request: pytest.FixtureRequest
) -> None:
    actual = run_case(cleaner, case)
    if request.config.getoption("--update-fixtures"):
        case.expected.write_text(dump_records(actual), encoding="utf-8")
        pytest.skip("expected record rewritten")
    assert case.expected.exists(), f"{case.expected} is missing (run pytest --update-fixtures)"
    expected = load_records(case.expected)
    assert actual == expected, diff(expected, actual)


def test_every_expected_file_has_an_input() -> None:
    inputs = {c.expected for c in CASES}
    orphans = [p for p in FIXTURES.rglob("*.expected.yaml") if p not in inputs]
    assert not orphans


def test_every_outlet_rule_file_has_fixtures() -> None:
    rulebook = load_rulebook()
    covered = {c.outlet_dir for c in CASES}
    missing = sorted(set(rulebook.outlets) - covered)
    assert not missing, f"rule files without fixtures/<outlet>/ cases: {missing}"


def test_fixtures_in_an_outlet_folder_are_detected_as_that_outlet() -> None:
    for case in CASES:
        for record in load_records(case.expected):
            if case.outlet_dir in EVERY_DOCUMENT:  # generic/, lexicon/: no outlet's pages
                continue
            assert record["outlet"] == case.outlet_dir, case.source
