"""A rule proposed from a page of a new outlet, and all a page's proposals.

:mod:`cleaner.authoring.leadin` and :mod:`cleaner.authoring.furniture` find the lines and
write them as classes; :mod:`cleaner.authoring.propose` keeps those that act on their own
sample; :mod:`cleaner.authoring.new` writes them into the rule file.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cleaner.authoring.learn import literal_pattern

Example = str | tuple[str, str]
"""An example line, or ``(text, rest)``: a line and what the rule must leave of it."""

MAX_LINE = 200
"""Longer lines are paragraphs (or a whole page collapsed into one line), not furniture."""
HEAD_LINES = 8
"""A lead-in, a date line or a byline is looked for in this many first lines of the page."""


@dataclass(frozen=True)
class Proposal:
    """One proposed rule: where it goes, its keys, and the sample line it generalises."""

    section: str
    """``drop_lines``, ``strip_prefixes``, ``fields`` or ``strip_suffixes``."""
    id: str
    kind: str
    """The class of line, as the REVIEW comment names it."""
    note: str
    pattern: str
    sample: str
    """The page's line the pattern was made from: the pattern must act on it."""
    keys: tuple[tuple[str, int | str | bool], ...] = ()
    """``within``, ``within_last``, ``relative_to``, ``offset``, ``repeat``."""
    examples: tuple[Example, ...] = ()
    counter_examples: tuple[str, ...] = ()

    def as_rule(self) -> dict[str, Any]:
        """The rule as its rule file holds it."""
        rule: dict[str, Any] = {"id": self.id, "note": self.note, **dict(self.keys)}
        rule["pattern"] = self.pattern
        if self.examples:
            rule["examples"] = [
                {"text": e[0], "rest": e[1]} if isinstance(e, tuple) else e for e in self.examples
            ]
        if self.counter_examples:
            rule["counter_examples"] = list(self.counter_examples)
        return rule


@dataclass
class Proposals:
    """What ``cleaner rules new --from`` proposes for one page."""

    rules: list[Proposal] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)
    covered: Counter[str] = field(default_factory=Counter)
    """Rules for every document that remove lines of the page: nothing to add for those."""
    dropped: list[tuple[str, str]] = field(default_factory=list)
    """``(section, why)`` of each proposal that did not act on its own sample."""
    recognised: bool = True
    """Whether the proposed rule file claims the page (its URL's domain, a fingerprint)."""

    def section(self, name: str) -> list[Proposal]:
        return [p for p in self.rules if p.section == name]

    def rule_file(self, name: str, domains: Sequence[str]) -> dict[str, Any]:
        """The proposals as the data of a rule file (what the written YAML holds)."""
        data: dict[str, Any] = {"name": name.title(), "domains": list(domains)}
        if self.brands:
            data["brands"] = list(self.brands)
        if self.fingerprints:
            data["fingerprints"] = list(self.fingerprints)
        for section in ("drop_lines", "strip_prefixes", "fields", "strip_suffixes"):
            if rules := self.section(section):
                data[section] = [p.as_rule() for p in rules]
        return data


def escape(text: str) -> str:
    """``text`` as a literal RE2 pattern, its digits kept (``Liputan6\\.com``)."""
    return re.sub(r"\D+", lambda m: literal_pattern(m.group()).removesuffix("$"), text)
