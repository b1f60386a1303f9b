"""Golden fixtures: a raw input beside the whole record it must become.

A case is ``<dir>/<outlet>/<name>.<input suffix>`` with ``<name>.expected.yaml`` beside
it holding the expected article (or reject) as YAML, text as a block so a diff reads
line by line. The test suite (and, later, ``cleaner rules test``) runs every case and
compares whole records; ``pytest --update-fixtures`` rewrites the expected files for a
person to review.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cleaner.config import ReadConfig
from cleaner.io.formats import format_for_name
from cleaner.io.sources import read_stream
from cleaner.models import RawDocument, Skip
from cleaner.pipeline import Cleaner

EXPECTED_SUFFIX = ".expected.yaml"


@dataclass(frozen=True)
class FixtureCase:
    input: Path
    expected: Path
    source: str
    """The ``source`` the record carries: the input's path relative to the fixtures
    directory's parent, as ``cleaner clean fixtures/`` run from there would print it."""

    @property
    def outlet_dir(self) -> str:
        return self.input.parent.name


def discover(root: Path) -> Iterator[FixtureCase]:
    """Every input file under ``root`` that some reader takes, in sorted order."""
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(".") and format_for_name(path.name):
            expected = path.with_name(path.name.split(".")[0] + EXPECTED_SUFFIX)
            source = path.relative_to(root.parent).as_posix()
            yield FixtureCase(path, expected, source)


def run_case(cleaner: Cleaner, case: FixtureCase) -> list[dict[str, Any]]:
    """The records the case's input becomes, as JSON-ready dicts."""
    records = []
    with case.input.open("rb") as stream:
        fmt = format_for_name(case.input.name)
        for unit in read_stream(stream, case.source, fmt, ReadConfig()):
            if isinstance(unit, Skip):
                continue
            result = cleaner.clean(unit) if isinstance(unit, RawDocument) else unit
            records.append(result.model_dump(mode="json"))
    return records


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_records(records: list[dict[str, Any]]) -> str:
    """YAML for the expected file: one record as a mapping, several as a list."""
    data: Any = records[0] if len(records) == 1 else records
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def load_records(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data if isinstance(data, list) else [data]


def diff(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> str:
    """A unified diff of the two records' YAML, for failure messages."""
    return "".join(
        difflib.unified_diff(
            dump_records(expected).splitlines(keepends=True),
            dump_records(actual).splitlines(keepends=True),
            "expected",
            "actual",
        )
    )


@dataclass(frozen=True)
class CaseResult:
    case: FixtureCase
    passed: bool
    diff: str = ""
    updated: bool = False


def run_fixtures(
    cleaner: Cleaner, fixtures: list[Path], outlet: str | None = None, update: bool = False
) -> list[CaseResult]:
    """Run the fixture cases (of one outlet, or all): each must give exactly its expected
    records. ``update`` writes the expected files from the current output instead."""
    results = []
    for root in fixtures:
        for case in discover(root):
            if outlet is not None and case.outlet_dir != outlet:
                continue
            actual = run_case(cleaner, case)
            if update:
                case.expected.write_text(dump_records(actual), encoding="utf-8")
                results.append(CaseResult(case, True, updated=True))
                continue
            if not case.expected.exists():
                missing = f"{case.expected.name} is missing (write it with --update, then read it)"
                results.append(CaseResult(case, False, missing))
                continue
            expected = load_records(case.expected)
            results.append(CaseResult(case, actual == expected, diff(expected, actual)))
    return results
