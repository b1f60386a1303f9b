"""Counting a run: articles, rejects by reason, rule hits per outlet.

Stats are plain counters, so runs on several processes or machines merge by adding them
up (:meth:`RunStats.merge`). Given the rulebook, they also tell which rules of the
outlets seen never fired: dead rules show, as over-eager ones do in the hit counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from cleaner.models import Article, Reject, Skip
from cleaner.rules.compile import Rulebook
from cleaner.rules.schema import EVERY_DOCUMENT

UNKNOWN_OUTLET = "(no outlet rules)"


@dataclass
class OutletStats:
    documents: int = 0
    articles: int = 0
    rejects: int = 0
    rule_hits: Counter[str] = field(default_factory=Counter)


@dataclass
class RunStats:
    """Totals of one run, fed one result at a time."""

    articles: int = 0
    rejects: Counter[str] = field(default_factory=Counter)
    outlets: defaultdict[str, OutletStats] = field(default_factory=lambda: defaultdict(OutletStats))
    skipped: Counter[str] = field(default_factory=Counter)
    """What readers passed over (not input units), by kind."""

    @property
    def rejected(self) -> int:
        return sum(self.rejects.values())

    def add(self, result: Article | Reject | Skip) -> None:
        if isinstance(result, Skip):
            self.count("skip", None, result.what, None)
        elif isinstance(result, Article):
            self.count("article", result.outlet, None, result.cleaning.rule_hits)
        else:
            self.count("reject", result.outlet, result.reason, result.rule_hits)

    def count(
        self, kind: str, outlet: str | None, reason: str | None, rule_hits: dict[str, int] | None
    ) -> None:
        """Count one unit: an article, a reject (and its reason) or a skip (and what)."""
        if kind == "skip":
            self.skipped[reason or "?"] += 1
            return
        stats = self.outlets[outlet or UNKNOWN_OUTLET]
        stats.documents += 1
        if kind == "article":
            self.articles += 1
            stats.articles += 1
        else:
            self.rejects[reason or "?"] += 1
            stats.rejects += 1
        if rule_hits:
            stats.rule_hits.update(rule_hits)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunStats:
        """Stats back from :meth:`to_dict` (a finished shard's marker)."""
        stats = cls(articles=data["articles"])
        stats.rejects.update(data["rejects"])
        stats.skipped.update(data["skipped"])
        for name, o in data["outlets"].items():
            outlet = stats.outlets[name]
            outlet.documents, outlet.articles, outlet.rejects = (
                o["documents"],
                o["articles"],
                o["rejects"],
            )
            outlet.rule_hits.update(o["rule_hits"])
        return stats

    def merge(self, other: RunStats) -> None:
        """Add another run's counts to these."""
        self.articles += other.articles
        self.rejects.update(other.rejects)
        self.skipped.update(other.skipped)
        for name, theirs in other.outlets.items():
            mine = self.outlets[name]
            mine.documents += theirs.documents
            mine.articles += theirs.articles
            mine.rejects += theirs.rejects
            mine.rule_hits.update(theirs.rule_hits)

    def never_fired(self, rulebook: Rulebook) -> dict[str, list[str]]:
        """Per outlet seen (and for the generic file), the rules that never fired."""
        out: dict[str, list[str]] = {}
        all_hits: Counter[str] = Counter()
        for name, o in self.outlets.items():
            all_hits.update(o.rule_hits)
            rules = rulebook.outlets.get(name)
            if rules is not None:
                dead = [r.id for r in rules.compiled_rules() if not o.rule_hits[r.id]]
                if dead:
                    out[name] = dead
        if self.outlets:
            for shared in rulebook.everywhere:
                dead = [r.id for r in shared.compiled_rules() if not all_hits[r.id]]
                if dead:
                    out[shared.outlet] = dead
        return out

    def to_dict(self, rulebook: Rulebook | None = None) -> dict[str, Any]:
        """Everything counted, for ``--stats FILE``."""
        never = self.never_fired(rulebook) if rulebook is not None else {}
        return {
            "articles": self.articles,
            "rejected": self.rejected,
            "rejects": dict(self.rejects.most_common()),
            "skipped": dict(self.skipped.most_common()),
            "outlets": {
                name: {
                    "documents": o.documents,
                    "articles": o.articles,
                    "rejects": o.rejects,
                    "rule_hits": dict(sorted(o.rule_hits.items(), key=lambda kv: (-kv[1], kv[0]))),
                    "never_fired": never.get(name, []),
                }
                for name, o in sorted(self.outlets.items())
            },
            **{f"{name}_never_fired": never.get(name, []) for name in EVERY_DOCUMENT},
        }

    def one_line(self) -> str:
        """``N articles, M rejected`` (the line every run prints on standard error)."""
        line = f"{self.articles} articles, {self.rejected} rejected"
        if self.rejects:
            line += " (" + ", ".join(f"{n} {r}" for r, n in sorted(self.rejects.items())) + ")"
        if self.skipped:
            line += f"; {sum(self.skipped.values())} skipped"
        return line

    def render(self, rulebook: Rulebook | None = None) -> str:
        """A one-screen summary: totals, rejects by reason, per outlet the rule hits (and,
        given the rulebook, the rules that never fired)."""
        never = self.never_fired(rulebook) if rulebook is not None else {}
        out = [self.one_line(), ""]
        if self.rejects:
            out.append("rejects by reason")
            out += [f"  {reason:<24} {n:>7}" for reason, n in self.rejects.most_common()]
            out.append("")
        if self.skipped:
            out.append("skipped (not input units)")
            out += [f"  {what:<40} {n:>7}" for what, n in self.skipped.most_common()]
            out.append("")
        out.append(f"{'outlet':<24} {'docs':>7} {'articles':>9} {'rejects':>8} {'rule hits':>10}")
        for name in sorted(self.outlets):
            o = self.outlets[name]
            removed = sum(o.rule_hits.values())
            out.append(f"{name:<24} {o.documents:>7} {o.articles:>9} {o.rejects:>8} {removed:>10}")
            for rule, n in sorted(o.rule_hits.items(), key=lambda kv: (-kv[1], kv[0])):
                out.append(f"    {rule:<47} {n:>10}")
            if name in never:
                out.append(f"    never fired: {_brief(never[name])}")
        for name in EVERY_DOCUMENT:
            if name in never:
                out.append(f"{name} rules never fired: {_brief(never[name])}")
        return "\n".join(out)


def _brief(ids: list[str], most: int = 6) -> str:
    names = ", ".join(i.split("/", 1)[1] for i in ids[:most])
    return names + (f" and {len(ids) - most} more" if len(ids) > most else "")
