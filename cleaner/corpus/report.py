"""``cleaner report``: what a cleaned corpus holds, as a terminal table or one HTML page.

The articles (and the rejects beside them) are read once, streaming, and only counts are
kept, never the records: articles per outlet, per month and per language, rejects by
reason, rule hits, characters removed, duplicates, a fixed-bin histogram of each signal
(:mod:`cleaner.corpus.histograms`) and, after ``cleaner dedup``, the stories told by the
most articles, overall and per outlet (:mod:`cleaner.corpus.stories`, which reads the
listed stories' articles a second time). The records hold only how many lines each
rule removed, so examples of the lines come from the run's stats (``clean --stats
FILE``, or a sharded run's shard markers: :mod:`cleaner.engines.samples`).

The HTML page is self-contained (inline CSS and SVG charts, no script, nothing fetched),
so it opens offline and can be mailed around.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import orjson
from pydantic import BaseModel, Field

from cleaner.corpus.histograms import QUANTILES, Histogram, SignalTally, show, sparkbar, svg_chart
from cleaner.corpus.stories import Story, StoryTally
from cleaner.engines.samples import RemovalSamples
from cleaner.engines.stats import plural
from cleaner.errors import CleanerError
from cleaner.io.articles import articles_of, read_records

TOP_STORIES = 10
"""Stories listed overall and per outlet."""


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
    top_stories: list[Story] = Field(default_factory=list)
    """The stories told by the most articles."""
    outlet_stories: dict[str, list[Story]] = Field(default_factory=dict)
    """Per outlet, the stories it took part in told by the most articles."""
    histograms: dict[str, Histogram] = Field(default_factory=dict)
    """Per signal (:data:`~cleaner.corpus.histograms.SIGNAL_BINS`), its distribution."""
    removal_samples: dict[str, list[tuple[str, str]]] | None = None
    """Per rule id, ``(text, source)`` of a few lines it removed (``None``: no stats read)."""

    @property
    def chars_removed(self) -> int:
        return self.chars_in - self.chars_out


def _sorted(counts: Counter[str], *, by_key: bool = False) -> dict[str, int]:
    items = (
        sorted(counts.items()) if by_key else sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    )
    return dict(items)


def summarize(
    articles: Sequence[Path],
    rejects: Sequence[Path] = (),
    stats: Sequence[Path] = (),
    top: int = TOP_STORIES,
) -> Report:
    """Count what the files of ``articles`` (and of ``rejects``) hold; list the ``top``
    stories; take examples of removed lines from the ``stats`` files (a run's
    ``--stats`` file, or a sharded run's ``part-NNNNN.done`` markers)."""
    report = Report()
    outlets: Counter[str] = Counter()
    months: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    hits: Counter[str] = Counter()
    signals, stories = SignalTally(), StoryTally()
    deduplicated = False
    for record in articles_of(articles):
        report.articles += 1
        outlet = record.get("outlet") or "(unknown)"
        outlets[outlet] += 1
        signals.add(record)
        published = record.get("published_at")
        months[published[:7] if isinstance(published, str) else "undated"] += 1
        languages[record.get("language") or "(not measured)"] += 1
        cleaning = record.get("cleaning") or {}
        hits.update(cleaning.get("rule_hits") or {})
        report.chars_in += int(cleaning.get("chars_in") or 0)
        report.chars_out += len(record["text"])
        report.words += int(record.get("word_count") or 0)
        cluster = record.get("cluster_id")
        deduplicated = deduplicated or cluster is not None
        stories.add(cluster, outlet)
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
    report.histograms = signals.histograms()
    report.deduplicated = deduplicated
    if deduplicated:
        listed = stories.stories(articles, top)
        report.stories, report.top_stories = listed.shared, listed.overall
        report.outlet_stories = listed.by_outlet
    report.removal_samples = removal_samples(stats) if stats else None
    return report


def stats_files(articles: Path, stats: Path | None = None) -> list[Path]:
    """Where a run's stats are: ``stats`` (its ``--stats`` file, or a sharded run's
    directory), else, when ``articles`` is a sharded run's directory, its shard markers
    (each holds its shard's stats); none for a file of articles without ``stats``."""
    run = stats if stats is not None else articles
    if run.is_dir():
        markers = sorted(run.glob("part-*.done"))
        if stats is not None and not markers:
            raise CleanerError(f"{stats}: no shard markers (part-NNNNN.done) of a sharded run")
        return markers
    if stats is not None and not stats.is_file():
        raise CleanerError(f"no such file: {stats}")
    return [] if stats is None else [stats]


def removal_samples(paths: Sequence[Path]) -> dict[str, list[tuple[str, str]]]:
    """The samples of removed lines that the stats of a run hold, merged: its ``--stats``
    file, or its shards' markers (whose ``stats`` are the same)."""
    merged = RemovalSamples()
    for path in paths:
        try:
            data = orjson.loads(path.read_bytes())
        except OSError as exc:
            raise CleanerError(f"cannot read {path}: {exc.strerror}") from None
        except orjson.JSONDecodeError:
            raise CleanerError(f"{path}: not a run's --stats file (not JSON)") from None
        if isinstance(data, dict) and "inputs" in data:  # a shard's marker
            data = data.get("stats")
        if not isinstance(data, dict) or "articles" not in data:
            raise CleanerError(f"{path}: not a run's --stats file")
        merged.merge(RemovalSamples.from_dict(data.get("removal_samples") or {}))
    return merged.samples()


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


NOT_DEDUPLICATED = "not marked: run cleaner dedup first"
NO_STATS = (
    "not recorded here: give the clean run's --stats FILE (a sharded run's directory "
    "has them in its markers)"
)


def _outlets_said(story: Story, most: int = 3) -> str:
    shown = [f"{name} {n}" for name, n in list(story.outlets.items())[:most]]
    more = len(story.outlets) - most
    return ", ".join(shown) + (f" +{more} more" if more > 0 else "")


def _cut(text: str | None, most: int) -> str:
    text = text or "(no title)"
    return text if len(text) <= most else text[: most - 1] + "…"


def _story_rows(stories: list[Story], indent: str) -> list[str]:
    said = [_outlets_said(s) for s in stories]
    width = max(len(o) for o in said)
    return [
        f"{indent}{s.articles:>8,}  {s.first_date or 'undated':<10}  {o:<{width}}  "
        + _cut(s.title, 70)
        for s, o in zip(stories, said, strict=True)
    ]


def _stories_text(report: Report) -> list[str]:
    if not report.deduplicated:
        return ["Stories told by the most articles", f"  {NOT_DEDUPLICATED}"]
    if not report.top_stories:
        return ["Stories told by the most articles", "  (none told by more than one article)"]
    head = f"{'articles':>8}  {'first date':<10}  outlets"
    out = ["Stories told by the most articles", f"  {head}"]
    out += _story_rows(report.top_stories, "  ")
    out += ["", "Stories per outlet (told by the most articles)"]
    for outlet in _by_outlet(report):
        out += [f"  {outlet}", *_story_rows(report.outlet_stories[outlet], "    ")]
    return out


def _by_outlet(report: Report) -> list[str]:
    """The outlets with stories, most articles first (as in "Articles per outlet")."""
    order = {name: i for i, name in enumerate(report.outlets)}
    return sorted(report.outlet_stories, key=lambda name: (order.get(name, len(order)), name))


def _quantiles(name: str, histogram: Histogram) -> list[str]:
    values = [histogram.quantile(p) for p in QUANTILES]
    return [show(name, v) if v is not None else "-" for v in values]


def _signals_text(report: Report) -> list[str]:
    measured = report.histograms.get("word_count")
    total = measured.total if measured is not None else 0
    width = max((len(name) for name in report.histograms), default=0)
    out = [
        f"Signals of {plural(total, 'article')}",
        f"  {'':<{width}}  {'p5':>7}  {'p50':>7}  {'p95':>7}  distribution",
    ]
    for name, histogram in report.histograms.items():
        if not histogram.total:
            out.append(f"  {name:<{width}}  not measured")
            continue
        p5, p50, p95 = _quantiles(name, histogram)
        bars, low, high = sparkbar(histogram)
        scale = " (log)" if histogram.log else ""
        span = f"{show(name, low)} to {show(name, high)}{scale}"
        out.append(f"  {name:<{width}}  {p5:>7}  {p50:>7}  {p95:>7}  {bars}  {span}")
    return out


def _sampled_rules(report: Report, top_rules: int) -> list[str]:
    """The rules to show samples of: most hits first, then the others sampled (a reject's
    rules), at most ``top_rules``."""
    samples = report.removal_samples or {}
    ranked = [rule for rule in report.rule_hits if rule in samples]
    ranked += sorted(set(samples) - set(ranked))
    return ranked[:top_rules]


def _quoted(text: str) -> str:
    """A line in quotes, its own quotes escaped (as JSON writes it): where it starts and
    ends, spaces included, is then plain."""
    return orjson.dumps(text).decode()


def _samples_text(report: Report, top_rules: int) -> list[str]:
    out = [f"Lines the rules removed (a few for each of the top {top_rules} rules)"]
    if report.removal_samples is None:
        return [*out, f"  {NO_STATS}"]
    rules = _sampled_rules(report, top_rules)
    if not rules:
        return [*out, "  (none)"]
    for rule in rules:
        out.append(f"  {rule}")
        out += [f"    {_quoted(text)}  {source}" for text, source in report.removal_samples[rule]]
    return out


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
    for part in (_stories_text(report), _signals_text(report), _samples_text(report, top_rules)):
        out += ["", *part]
    return "\n".join(out)


_BAR = 18  # px per row
_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}
h1{font-size:1.5em}h2{font-size:1.1em;margin-top:2em}h3{font-size:1em;margin:1em 0 .3em}
table.head td{padding:.1em 1em .1em 0}
table.stories{border-collapse:collapse}
table.stories td,table.stories th{padding:.15em .8em .15em 0;text-align:left;vertical-align:top}
table.stories td.n{text-align:right}table.stories td.d{white-space:nowrap}
svg text{font:12px system-ui,sans-serif;fill:#222}
svg rect{fill:#3b7dd8}svg line{stroke:#d8553b;stroke-width:1.5}
figure{display:inline-block;margin:0 1.5em 1.2em 0}figcaption{font-size:.9em}
ul.samples{margin:.2em 0;padding-left:1.5em}ul.samples small{color:#666}
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


def _story_table(stories: list[Story]) -> str:
    rows = "".join(
        f'<tr><td class="n">{s.articles:,}</td>'
        f'<td class="d">{html.escape(s.first_date or "undated")}</td>'
        f"<td>{html.escape(', '.join(f'{o} {n}' for o, n in s.outlets.items()))}</td>"
        f"<td>{html.escape(s.title or '(no title)')}</td></tr>"
        for s in stories
    )
    head = "<tr><th>articles</th><th>first date</th><th>outlets</th><th>title</th></tr>"
    return f'<table class="stories">{head}{rows}</table>'


def _stories_html(report: Report) -> str:
    out = "<h2>Stories told by the most articles</h2>"
    if not report.deduplicated:
        return out + f"<p>{html.escape(NOT_DEDUPLICATED)}</p>"
    if not report.top_stories:
        return out + "<p>(none told by more than one article)</p>"
    out += _story_table(report.top_stories) + "<h2>Stories per outlet</h2>"
    for outlet in _by_outlet(report):
        stories = report.outlet_stories[outlet]
        said = html.escape(f"{outlet}: {plural(len(stories), 'story', 'stories')}")
        out += f"<details><summary>{said}</summary>{_story_table(stories)}</details>"
    return out


def _signals_html(report: Report) -> str:
    measured = report.histograms.get("word_count")
    total = measured.total if measured is not None else 0
    figures = []
    for name, histogram in report.histograms.items():
        if not histogram.total:
            caption = f"{name}: not measured"
        else:
            p5, p50, p95 = _quantiles(name, histogram)
            scale = ", log scale" if histogram.log else ""
            caption = f"{name}: p5 {p5}, p50 {p50}, p95 {p95}{scale}"
        chart = svg_chart(name, histogram) if histogram.total else ""
        figures.append(f"<figure><figcaption>{html.escape(caption)}</figcaption>{chart}</figure>")
    head = f"Signals of {plural(total, 'article')}"
    return f"<h2>{html.escape(head)}</h2>{''.join(figures)}"


def _samples_html(report: Report, top_rules: int) -> str:
    out = f"<h2>Lines the rules removed (a few for each of the top {top_rules} rules)</h2>"
    if report.removal_samples is None:
        return out + f"<p>{html.escape(NO_STATS)}</p>"
    rules = _sampled_rules(report, top_rules)
    if not rules:
        return out + "<p>(none)</p>"
    for rule in rules:
        items = "".join(
            f"<li><q>{html.escape(text)}</q> <small>{html.escape(source)}</small></li>"
            for text, source in report.removal_samples[rule]
        )
        out += f'<h3>{html.escape(rule)}</h3><ul class="samples">{items}</ul>'
    return out


def render_html(report: Report, title: str, top_rules: int = 30) -> str:
    """The report as one self-contained HTML page."""
    head = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in _headline(report)
    )
    body = "".join(
        f"<h2>{html.escape(name)}</h2>{_chart(counts)}"
        for name, counts in _sections(report, top_rules)
    )
    body += _stories_html(report) + _signals_html(report) + _samples_html(report, top_rules)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        f'<h1>{html.escape(title)}</h1><table class="head">{head}</table>{body}</body></html>\n'
    )
