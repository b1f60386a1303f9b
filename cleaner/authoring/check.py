"""``cleaner rules check``: every problem of a directory of rule files.

Schema, patterns, duplicate ids (all reported, not just the first), domains claimed
twice, outlets without fixtures, fixtures recognised as another outlet, and rules no
fixture ever triggers, each as ``file:line: message``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from cleaner.authoring.catalog import cases_of, fixture_dirs, fixtures_dir_for
from cleaner.authoring.fixtures import FixtureCase, discover
from cleaner.config import CleanerConfig
from cleaner.errors import RuleFileError
from cleaner.io.sources import read_units
from cleaner.models import RawDocument
from cleaner.pipeline import Cleaner
from cleaner.rules.compile import OutletRules
from cleaner.rules.examples import example_cases, failures
from cleaner.rules.load import bundled_rules_dir, read_rule_file
from cleaner.rules.load import line_of as _line_of
from cleaner.rules.schema import EVERY_DOCUMENT
from cleaner.text.dates import ZONES


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.message}"
            if self.line
            else f"{self.file}: {self.message}"
        )


def check_rules(directory: Path, fixtures: Path | None = None) -> list[Problem]:
    """Every problem of the rule files in ``directory``: schema, patterns, duplicate ids
    (all reported, not just the first), domains claimed twice, outlets without fixtures,
    fixtures recognised as another outlet, and rules no fixture ever triggers."""
    problems: list[Problem] = []
    files = sorted(p for p in directory.glob("*.y*ml") if not p.name.startswith(("_", ".")))
    readable: list[Path] = []
    exemplified: set[str] = set()
    for path in files:
        try:
            spec, lines = read_rule_file(path)
        except RuleFileError as exc:
            problems += [Problem(str(path), line, msg) for line, msg in exc.problems]
        else:
            readable.append(path)
            exemplified |= {case.rule for case in example_cases(spec, path.stem)}
            problems += [
                Problem(str(path), _line_of(lines, case.place), message)
                for case, message in failures(spec, path, ZONES["WIB"])
            ]
    if problems:
        return problems
    bundled = directory.resolve() == bundled_rules_dir().resolve()
    try:
        cleaner = Cleaner(CleanerConfig(rules_dirs=() if bundled else (directory,)))
    except RuleFileError as exc:  # e.g. a domain claimed by two files
        return [Problem(exc.path, line, msg) for line, msg in exc.problems]
    rulebook = cleaner.rulebook
    mine = [r for r in rulebook.files if r.path in readable]
    for rules in mine:  # a run builds a file's matchers when it first meets the outlet
        try:
            rules.build()
        except RuleFileError as exc:
            problems += [Problem(exc.path, line, msg) for line, msg in exc.problems]
    if problems:
        return problems
    dirs = fixture_dirs(rulebook, fixtures if fixtures else fixtures_dir_for(directory))
    if not dirs:  # an installed package ships no fixtures: nothing to run them against
        return problems
    hits: Counter[str] = Counter()
    for rules in mine:
        if rules.outlet in EVERY_DOCUMENT:
            continue
        cases = cases_of(rules.outlet, dirs)
        ids = [rule.id for rule in rules.compiled_rules()]
        tested = bool(ids) and all(rule_id in exemplified for rule_id in ids)
        if not cases and not tested:  # a file whose every rule has examples is tested
            problems.append(Problem(str(rules.path), None, f"no fixtures for {rules.outlet!r}"))
        for case in cases:
            hits.update(_hits(cleaner, case, rules, problems))
    if any(rules.outlet in EVERY_DOCUMENT for rules in mine):
        for root in dirs:
            for case in discover(root):
                hits.update(_hits(cleaner, case, None, []))
    for rules in mine:
        for rule in rules.compiled_rules():
            if hits[rule.id] == 0 and rule.id not in exemplified:
                problems.append(
                    Problem(
                        str(rules.path),
                        rule.origin.line,
                        f"rule {rule.id!r} never matches any fixture",
                    )
                )
    return problems


def _hits(
    cleaner: Cleaner, case: FixtureCase, rules: OutletRules | None, problems: list[Problem]
) -> Counter[str]:
    hits: Counter[str] = Counter()
    for unit in read_units([str(case.input)], cleaner.config.read):
        if not isinstance(unit, RawDocument):
            continue
        trace = cleaner.trace(unit)
        if trace.cleaned is not None:
            hits.update(trace.cleaned.hits)
        if rules is not None and trace.prepared is not None:
            found = trace.prepared.detection.outlet
            if found != rules.outlet:
                problems.append(
                    Problem(
                        str(case.input),
                        None,
                        f"a fixture of {rules.outlet!r} is recognised as {found!r}",
                    )
                )
    return hits
