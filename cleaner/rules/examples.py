"""A rule's examples and counter-examples, checked against the rule itself.

A rule may list ``examples`` (lines, or a few lines, as real pages carry them, that the
rule must remove or shorten) and ``counter_examples`` (article text it must leave
alone). Each is run through the rule on its own, exactly as the pipeline applies it
(:func:`cleaner.rules.apply.clean_lines` with a rule file holding only that rule), so an
example proves the rule, not a neighbour. ``cleaner rules check`` reports every one that
fails, at its line in the file; the test suite runs those of the bundled files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path
from typing import Any

from cleaner.rules.apply import clean_lines
from cleaner.rules.compile import compile_rules
from cleaner.rules.schema import SECTIONS, ExampleEdit, RuleFile, RuleSections


@dataclass(frozen=True, slots=True)
class ExampleCase:
    """One example or counter-example of one rule, and where it is written."""

    rule: str
    """``<file>/<id>``."""
    place: tuple[Any, ...]
    """Its path in the file, e.g. ``("drop_lines", 2, "examples", 0)``."""
    text: str
    expected: str | None
    """What must be left: the text itself for a counter-example, ``rest`` for an example
    that gives it, ``None`` for an example that must merely change."""

    @property
    def counter(self) -> bool:
        return bool(self.place[-2] == "counter_examples")


def example_cases(spec: RuleFile, stem: str) -> Iterator[ExampleCase]:
    """Every example and counter-example of a rule file, its versions' included."""
    located: list[tuple[tuple[Any, ...], RuleSections]] = [((), spec)]
    located += [(("versions", i), version) for i, version in enumerate(spec.versions)]
    for where, sections in located:
        for section in SECTIONS:
            for index, rule in enumerate(getattr(sections, section)):
                place = (*where, section, index)
                rule_id = f"{stem}/{rule.id}"
                for k, example in enumerate(rule.examples):
                    text, rest = (
                        (example.text, example.rest)
                        if isinstance(example, ExampleEdit)
                        else (example, None)
                    )
                    yield ExampleCase(rule_id, (*place, "examples", k), text, rest)
                for k, counter in enumerate(rule.counter_examples):
                    yield ExampleCase(rule_id, (*place, "counter_examples", k), counter, counter)


def outcome(spec: RuleFile, path: Path, case: ExampleCase, default_tz: timezone) -> str:
    """What is left of ``case.text`` once its rule alone has acted on it."""
    *where, section, index = case.place[:-2]
    sections: RuleSections = spec
    if where:
        sections = spec.versions[where[1]]
    rule = getattr(sections, section)[index]
    alone = spec.model_copy(
        update={**{key: [] for key in SECTIONS}, section: [rule], "versions": []}
    )
    compiled = compile_rules(alone, path, {}, bundled=False)
    doc = clean_lines(case.text, [compiled], default_tz)
    return "\n".join(line.text for line in doc.kept)


def failures(spec: RuleFile, path: Path, default_tz: timezone) -> Iterator[tuple[ExampleCase, str]]:
    """Each example its rule does not act on as it says, with what went wrong."""
    for case in example_cases(spec, path.stem):
        left = outcome(spec, path, case, default_tz)
        if case.counter and left != case.text:
            yield case, f"counter-example changed by {case.rule}: {case.text!r} -> {left!r}"
        elif not case.counter and case.expected is None and left == case.text:
            yield case, f"example not acted on by {case.rule}: {case.text!r}"
        elif not case.counter and case.expected is not None and left != case.expected:
            yield case, f"example left {left!r}, not {case.expected!r}"
