"""Counting a run: articles, rejects by reason, rule hits per outlet."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from cleaner.models import Article, Reject, Skip

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
            self.skipped[result.what] += 1
            return
        outlet = self.outlets[result.outlet or UNKNOWN_OUTLET]
        outlet.documents += 1
        if isinstance(result, Article):
            self.articles += 1
            outlet.articles += 1
            outlet.rule_hits.update(result.cleaning.rule_hits)
        else:
            self.rejects[result.reason] += 1
            outlet.rejects += 1
            outlet.rule_hits.update(result.rule_hits or {})

    def one_line(self) -> str:
        """``N articles, M rejected`` (the line every run prints on standard error)."""
        line = f"{self.articles} articles, {self.rejected} rejected"
        if self.rejects:
            line += " (" + ", ".join(f"{n} {r}" for r, n in sorted(self.rejects.items())) + ")"
        if self.skipped:
            line += f"; {sum(self.skipped.values())} skipped"
        return line

    def render(self) -> str:
        """A one-screen summary: totals, rejects by reason, per outlet the rule hits."""
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
        return "\n".join(out)
