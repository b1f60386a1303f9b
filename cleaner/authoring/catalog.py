"""Where an outlet's rules and fixtures are, for the authoring commands.

Fixtures for a rule directory live in a ``fixtures/`` directory beside it (``rules/``
and ``fixtures/`` side by side, as in this repository), one folder per outlet.
``cleaner rules list`` shows every outlet from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cleaner.authoring.fixtures import FixtureCase, discover
from cleaner.rules.compile import Rulebook
from cleaner.rules.load import bundled_rules_dir


def fixtures_dir_for(rules_dir: Path) -> Path:
    """Where the fixtures of a rules directory live: ``fixtures/`` beside it."""
    return rules_dir.resolve().parent / "fixtures"


def fixture_dirs(rulebook: Rulebook, extra: Path | None) -> list[Path]:
    dirs = [fixtures_dir_for(bundled_rules_dir())]
    dirs += [fixtures_dir_for(r.path.parent) for r in rulebook.outlets.values() if not r.bundled]
    if extra is not None:
        dirs.insert(0, extra)
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d not in seen:
            seen.append(d)
    return seen


def cases_of(outlet: str, fixtures: list[Path]) -> list[FixtureCase]:
    """The fixture cases of one outlet, from the first fixtures directory that has any."""
    for root in fixtures:
        found = [c for c in discover(root) if c.outlet_dir == outlet]
        if found:
            return found
    return []


# --- rules list --------------------------------------------------------------------------


@dataclass(frozen=True)
class OutletInfo:
    outlet: str
    name: str
    domains: tuple[str, ...]
    rules: int
    fixtures: int
    path: Path
    bundled: bool


def list_outlets(rulebook: Rulebook, fixtures: Path | None = None) -> list[OutletInfo]:
    """Every outlet (and the generic file) with its domains, rule and fixture counts."""
    dirs = fixture_dirs(rulebook, fixtures)
    return [
        OutletInfo(
            rules.outlet,
            rules.name,
            rules.domains,
            rules.rule_count,
            len(cases_of(rules.outlet, dirs)),
            rules.path,
            rules.bundled,
        )
        for rules in [*rulebook.outlets.values(), rulebook.generic]
    ]
