"""``cleaner report``: what a cleaned corpus holds, as a terminal table or one HTML page.

The articles (and the rejects beside them) are read once, streaming, and only counts are
kept: articles per outlet, per month and per language, rejects by reason, rule hits,
characters removed, duplicates and stories (after ``cleaner dedup``). The HTML page is
self-contained (inline CSS and SVG charts, no script, nothing fetched), so it opens
offline and can be mailed around.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from cleaner.io.articles import articles_of, read_records


class Report(BaseModel):
    """The counts a report shows."""

    articles: int = 0
    rejects: int = 0
    outlets: dict[str, int] = Field(default_factory=dict)
    months: dict[str, int] = Field(default_factory=dict)
    """``YYYY-MM`` of ``published_at`` (``undated`` when there is none)."""
    languages: dict[str, int] = Field(default_factory=dict)
    reject_reasons: dict[str, int] = Field(default_factory=dict)
    rule_hits: dict[str, int] = Field(default_factory=dict)
    chars_in: int = 0
    chars_out: int = 0
    words: int = 0
    duplicates: int = 0
    stories: int = 0
    """Stories (``cluster_id``) told by more than one article."""
    deduplicated: bool = False
    """Whether the articles went through ``cleaner dedup``."""

    @property
    def chars_removed(self) -> int:
        return self.chars_in - self.chars_out


def _sorted(counts: Counter[str], *, by_key: bool = False) -> dict[str, int]:
    items = (
        sorted(counts.items()) if by_key else sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    )
    return dict(items)


def summarize(articles: Sequence[Path], rejects: Sequence[Path] = ()) -> Report:
    """Count what the files of ``articles`` (and of ``rejects``) hold."""
    report = Report()
    outlets: Counter[str] = Counter()
    months: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    stories: Counter[str] = Counter()
    for record in articles_of(articles):
        report.articles += 1
        outlets[record.get("outlet") or "(unknown)"] += 1
        published = record.get("published_at")
        months[published[:7] if isinstance(published, str) else "undated"] += 1
        languages[record.get("language") or "(not measured)"] += 1
        cleaning = record.get("cleaning") or {}
        hits.update(cleaning.get("rule_hits") or {})
        report.chars_in += int(cleaning.get("chars_in") or 0)
        report.chars_out += len(record["text"])
        report.words += int(record.get("word_count") or 0)
        if record.get("cluster_id") is not None:
            report.deduplicated = True
            stories[record["cluster_id"]] += 1
        if record.get("duplicate_of") is not None:
            report.duplicates += 1
    reasons: Counter[str] = Counter()
    for path in rejects:
        for _, record in read_records(path):
            report.rejects += 1
            reasons[str(record.get("reason"))] += 1
    report.outlets = _sorted(outlets)
    report.months = _sorted(months, by_key=True)
    report.languages = _sorted(languages)
    report.reject_reasons = _sorted(reasons)
    report.rule_hits = _sorted(hits)
    report.stories = sum(1 for count in stories.values() if count > 1)
    return report


def _sections(report: Report, top_rules: int) -> list[tuple[str, dict[str, int]]]:
    rules = dict(list(report.rule_hits.items())[:top_rules])
    return [
        ("Articles per outlet", report.outlets),
        ("Articles per month", report.months),
        ("Languages", report.languages),
        ("Rejects by reason", report.reject_reasons),
        (f"Rule hits (top {top_rules})", rules),
    ]


def _headline(report: Report) -> list[tuple[str, str]]:
    removed = report.chars_removed / report.chars_in if report.chars_in else 0.0
    rows = [
        ("articles", f"{report.articles:,}"),
        ("rejects", f"{report.rejects:,}"),
        ("words", f"{report.words:,}"),
        ("characters removed", f"{report.chars_removed:,} of {report.chars_in:,} ({removed:.1%})"),
    ]
    if report.deduplicated:
        rows += [
            ("duplicates", f"{report.duplicates:,}"),
            ("stories told by more than one article", f"{report.stories:,}"),
        ]
    else:
        rows.append(("duplicates", "not measured (run cleaner dedup)"))
    return rows


def render_text(report: Report, top_rules: int = 15) -> str:
    """The report as plain-text tables (for a terminal or a pipe)."""
    out: list[str] = []
    width = max(len(k) for k, _ in _headline(report))
    out += [f"{k.ljust(width)}  {v}" for k, v in _headline(report)]
    for title, counts in _sections(report, top_rules):
        out += ["", title]
        if not counts:
            out.append("  (none)")
            continue
        key_width = max(len(k) for k in counts)
        num_width = max(len(f"{v:,}") for v in counts.values())
        out += [f"  {k.ljust(key_width)}  {f'{v:,}'.rjust(num_width)}" for k, v in counts.items()]
    return "\n".join(out)


_BAR = 18  # px per row
_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}
h1{font-size:1.5em}h2{font-size:1.1em;margin-top:2em}
table.head td{padding:.1em 1em .1em 0}
svg text{font:12px system-ui,sans-serif;fill:#222}
svg rect{fill:#3b7dd8}
"""


def _chart(counts: dict[str, int]) -> str:
    """A horizontal bar chart in SVG."""
    if not counts:
        return "<p>(none)</p>"
    label = 220
    width = 420
    top = max(counts.values()) or 1
    rows = []
    for i, (key, value) in enumerate(counts.items()):
        y = i * _BAR
        bar = max(1, round(width * value / top))
        rows.append(
            f'<text x="{label - 6}" y="{y + 13}" text-anchor="end">{html.escape(key)}</text>'
            f'<rect x="{label}" y="{y + 3}" width="{bar}" height="{_BAR - 6}">'
            f"<title>{html.escape(key)}: {value:,}</title></rect>"
            f'<text x="{label + bar + 6}" y="{y + 13}">{value:,}</text>'
        )
    height = len(counts) * _BAR + 4
    return (
        f'<svg class="chart" width="{label + width + 80}" height="{height}" '
        f'role="img" xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>'
    )


def render_html(report: Report, title: str, top_rules: int = 30) -> str:
    """The report as one self-contained HTML page."""
    head = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in _headline(report)
    )
    body = "".join(
        f"<h2>{html.escape(name)}</h2>{_chart(counts)}"
        for name, counts in _sections(report, top_rules)
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<h1>{html.escape(title)}</h1><table class="head">{head}</table>{body}</body></html>\n'
    )
