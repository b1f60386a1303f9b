"""Measure the cleaner on real pages against other projects' references.

``../shared/realpages`` (beside a checkout; never copied into it) holds real Indonesian
news pages with the text their upstream scrapers' tests expect. For every page this
module scores, in one run and on the same input, the cleaner, plain
``trafilatura.extract`` and jusText with its Indonesian stoplist:

* bag-of-words precision, recall and F1 against the reference (lower-cased words,
  counted with multiplicity);
* boilerplate markers left in the output (``Baca juga``, ``ADVERTISEMENT``,
  ``Copyright``, sign-offs such as ``(kpl/pur)``, …), counted by occurrence.

Text dumps have no reference; for them only the markers are counted, against the raw
dump. ``python -m tools.evaluate`` prints the table (``--write FILE`` also writes it
as Markdown).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from cleaner.models import Article, RawDocument
from cleaner.pipeline import Cleaner

DEFAULT_REALPAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "realpages"

BOILERPLATE_MARKERS = re.compile(
    r"(?im)"
    r"\b(?:baca|simak|lihat|tonton)\s+(?:juga|pula)\b"
    r"|\bADVERTISEMENT\b|\bSCROLL TO (?:CONTINUE|RESUME)\b"
    r"|\bsimak video\b"
    r"|^\s*(?:pewarta|editor|penulis|reporter|fotografer|sumber)\s*:"
    r"|\bcopyright\b|©|\ball rights reserved\b|\bhak cipta dilindungi\b"
    r"|\bterpopuler\b|^\s*populer\s*$|\bberita terkait\b|\bberita terkini lainnya\b"
    r"|\bartikel terkait\b|\bberita lainnya\b"
    r"|\b(?:follow|ikuti)\b[^\n]{0,80}"
    r"\b(?:whatsapp|google news|instagram|twitter|facebook|tiktok)\b"
    r"|^\s*(?:tags?|topik|kata kunci)\s*:"
    r"|\bbaca selengkapnya\b|\bselengkapnya\s*$"
    r"|\bloading\.\.\."
    r"|\((?:[a-z]{2,5}/)*[a-z]{2,5}\)\s*$"
    r"|\bklik (?:di ?sini|disini)\b|\bshare\s*:|\bbagikan\b"
)
"""What a reader would call boilerplate when it is left in an article's text."""

_WORD = re.compile(r"\w+")
_GLUED = re.compile(r"(?<=[a-z0-9.,!?\"”)])(?=[A-Z“\"])")


def words(text: str) -> Counter[str]:
    """The bag of words: lower-cased ``\\w+`` tokens, with their counts."""
    return Counter(_WORD.findall(text.casefold()))


def unglue(text: str) -> str:
    """Put a space where a reference joined paragraphs with none ("selesai.Dia")."""
    return _GLUED.sub(" ", text)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float


def score(system: str, reference: str) -> Score:
    """Bag-of-words precision, recall and F1 of ``system`` against ``reference``."""
    got, want = words(system), words(reference)
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1)


def markers(text: str) -> int:
    """Boilerplate markers left in ``text``."""
    return sum(1 for _ in BOILERPLATE_MARKERS.finditer(text))


@dataclass(frozen=True)
class Page:
    """One real page: its input file, its outlet, its reference (if any)."""

    path: Path
    outlet: str
    kind: str
    reference: str | None
    reference_kind: str | None


def load_pages(root: Path) -> list[Page]:
    """The pages listed in ``root/MANIFEST.tsv`` with the reference of each input."""
    rows = [
        line.split("\t")
        for line in (root / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
        if line.strip()
    ]
    by_name = {row[0]: row for row in rows}
    pages = []
    for name, outlet, _repo, _path, _commit, kind, *_ in rows:
        if kind not in ("raw_html", "raw_text", "raw_text_collapsed"):
            continue
        stem = name.rsplit(".", 1)[0]
        reference = reference_kind = None
        for suffix in (".gold.txt", ".gold.json"):
            if stem + suffix in by_name:
                reference_kind = by_name[stem + suffix][5]
                reference = _reference_text(root / (stem + suffix), reference_kind)
        pages.append(Page(root / name, outlet, kind, reference, reference_kind))
    return pages


def _reference_text(path: Path, kind: str) -> str:
    text = path.read_text(encoding="utf-8")
    if kind == "gold_paragraphs_json":
        return "\n".join(json.loads(text)["paragraphs"])
    if kind == "gold_text_joined":
        return unglue(text)
    return text


System = Callable[[Page, bytes], str]


def _cleaner_system(outcomes: dict[Path, str]) -> System:
    cleaner = Cleaner()
    lead_ins = {
        rule.id
        for rules in [*cleaner.rulebook.outlets.values(), cleaner.rulebook.generic]
        for sections in [rules, *(v.rules for v in rules.versions)]
        for rule in sections.strip_prefixes
    }

    def run(page: Page, data: bytes) -> str:
        doc = RawDocument(
            source=page.path.name, data=data, kind="html" if page.kind == "raw_html" else "text"
        )
        trace = cleaner.trace(doc)
        result = trace.result
        if not isinstance(result, Article) or trace.cleaned is None:
            outcomes[page.path] = f"reject: {getattr(result, 'reason', 'no text')}"
            return ""
        outcomes[page.path] = f"article, {result.word_count} words"
        # The references keep a paragraph's lead-in ("REPUBLIKA.CO.ID, JAKARTA -- ");
        # the cleaner moves it into `dateline`. Scored as text, it goes back in front.
        return "\n".join(
            "".join(cut for rule, cut in line.stripped if rule in lead_ins) + line.text
            for line in trace.cleaned.kept
        )

    return run


def _trafilatura(page: Page, data: bytes) -> str:
    import trafilatura

    return trafilatura.extract(data) or ""


def _justext(page: Page, data: bytes) -> str:
    import justext

    paragraphs = justext.justext(data, justext.get_stoplist("Indonesian"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _raw(page: Page, data: bytes) -> str:
    return data.decode("utf-8", "replace")


@dataclass
class Row:
    page: Page
    scores: dict[str, Score] = field(default_factory=dict)
    markers: dict[str, int] = field(default_factory=dict)
    outcome: str = ""
    """What the cleaner made of the page: an article (and its size) or a reject."""


HTML_SYSTEMS = ("cleaner", "trafilatura", "justext")
TEXT_SYSTEMS = ("cleaner", "raw input")


def evaluate(root: Path) -> list[Row]:
    """Score every system on every page of ``root``."""
    outcomes: dict[Path, str] = {}
    systems: dict[str, System] = {
        "cleaner": _cleaner_system(outcomes),
        "trafilatura": _trafilatura,
        "justext": _justext,
        "raw input": _raw,
    }
    rows = []
    for page in load_pages(root):
        data = page.path.read_bytes()
        row = Row(page)
        names = HTML_SYSTEMS if page.kind == "raw_html" else TEXT_SYSTEMS
        for name in names:
            output = systems[name](page, data)
            if page.reference_kind == "gold_text_joined":
                output = unglue(output)
            row.markers[name] = markers(output)
            if page.reference is not None:
                row.scores[name] = score(output, page.reference)
        row.outcome = outcomes[page.path]
        rows.append(row)
    return rows


def _mean(values: Iterable[float]) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def summary(rows: list[Row], exclude: set[str] | None = None) -> dict[str, dict[str, float]]:
    """Per HTML system: mean precision, recall and F1 over pages with a (sound) reference,
    the lowest page F1, and markers left over all HTML pages."""
    out: dict[str, dict[str, float]] = {}
    html_rows = [r for r in rows if r.page.kind == "raw_html"]
    scored = [r for r in html_rows if r.scores and r.page.path.name not in (exclude or set())]
    for name in HTML_SYSTEMS:
        out[name] = {
            "precision": _mean(r.scores[name].precision for r in scored),
            "recall": _mean(r.scores[name].recall for r in scored),
            "f1": _mean(r.scores[name].f1 for r in scored),
            "min_f1": min((r.scores[name].f1 for r in scored), default=0.0),
            "markers": sum(r.markers[name] for r in html_rows),
            "pages": len(html_rows),
        }
    return out


_MARKERS = "markers: cleaner / trafilatura / jusText"


def render(rows: list[Row], excluded: set[str] | None = None) -> str:
    """The Markdown tables: per page, per outlet and overall. Pages in ``excluded`` (an
    unsound reference) are marked † and left out of the means."""
    excluded = excluded or set()
    lines = [
        "### HTML pages: bag-of-words F1 against the upstream reference (P / R in brackets), "
        "boilerplate markers left",
        "",
        f"| page | outlet | cleaner F1 | trafilatura F1 | jusText F1 | {_MARKERS} |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    html_rows = [r for r in rows if r.page.kind == "raw_html"]
    for row in html_rows:
        cells = []
        for name in HTML_SYSTEMS:
            s = row.scores.get(name)
            cells.append(f"{s.f1:.3f} ({s.precision:.2f} / {s.recall:.2f})" if s else "n/a")
        mk = " / ".join(str(row.markers[name]) for name in HTML_SYSTEMS)
        mark = " †" if row.page.path.name in excluded else ""
        lines.append(
            f"| {row.page.path.name}{mark} | {row.page.outlet} | {' | '.join(cells)} | {mk} |"
        )
    lines += [
        "",
        f"| outlet | pages | cleaner F1 | trafilatura F1 | jusText F1 | {_MARKERS} |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    outlets = sorted({r.page.outlet for r in html_rows})
    for outlet in [*outlets, "overall"]:
        group = [r for r in html_rows if outlet in ("overall", r.page.outlet)]
        scored = [r for r in group if r.scores and r.page.path.name not in excluded]
        f1s = [
            f"{_mean(r.scores[n].f1 for r in scored):.3f}" if scored else "n/a"
            for n in HTML_SYSTEMS
        ]
        mk = " / ".join(str(sum(r.markers[n] for r in group)) for n in HTML_SYSTEMS)
        name = f"**{outlet}**" if outlet == "overall" else outlet
        lines.append(f"| {name} | {len(group)} | {' | '.join(f1s)} | {mk} |")
    totals = summary(rows, excluded)
    lines += ["", "| overall | cleaner | trafilatura | jusText |", "| --- | --- | --- | --- |"]
    for label, key in [("mean F1", "f1"), ("lowest page F1", "min_f1")]:
        lines.append(
            f"| {label} | " + " | ".join(f"{totals[n][key]:.3f}" for n in HTML_SYSTEMS) + " |"
        )
    per10 = [10 * totals[n]["markers"] / max(totals[n]["pages"], 1) for n in HTML_SYSTEMS]
    lines.append("| markers per 10 pages | " + " | ".join(f"{v:.1f}" for v in per10) + " |")
    if excluded:
        lines += [
            "",
            "† reference judged unsound, left out of the means (see quality/baseline.yaml).",
        ]
    text_rows = [r for r in rows if r.page.kind != "raw_html"]
    if text_rows:
        lines += [
            "",
            "### Text dumps (no reference): boilerplate markers left",
            "",
            "| dump | outlet | kind | markers: raw input | markers: cleaner | cleaner made |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for row in text_rows:
            lines.append(
                f"| {row.page.path.name} | {row.page.outlet} | {row.page.kind} | "
                f"{row.markers['raw input']} | {row.markers['cleaner']} | {row.outcome} |"
            )
    return "\n".join(lines) + "\n"


# --- fixtures --------------------------------------------------------------------------


def fixture_scores(root: Path, cleaner: Cleaner | None = None) -> dict[str, tuple[int, int]]:
    """Per outlet folder of ``root``: how many fixture cases give exactly their expected
    records, out of how many."""
    from cleaner.authoring.fixtures import discover, load_records, run_case

    cleaner = cleaner or Cleaner()
    scores: dict[str, tuple[int, int]] = {}
    for case in discover(root):
        exact = case.expected.exists() and run_case(cleaner, case) == load_records(case.expected)
        good, total = scores.get(case.outlet_dir, (0, 0))
        scores[case.outlet_dir] = (good + int(exact), total + 1)
    return dict(sorted(scores.items()))


def render_fixtures(scores: dict[str, tuple[int, int]]) -> str:
    lines = ["### Fixtures: cases whose whole record matches exactly", ""]
    lines += ["| outlet | exact | cases |", "| --- | --- | --- |"]
    lines += [f"| {outlet} | {good} | {total} |" for outlet, (good, total) in scores.items()]
    good = sum(g for g, _ in scores.values())
    total = sum(t for _, t in scores.values())
    lines.append(f"| **overall** | {good} | {total} |")
    return "\n".join(lines) + "\n"


# --- the gate ---------------------------------------------------------------------------


class RealpageFloors(BaseModel):
    model_config = ConfigDict(extra="forbid")

    f1: float = Field(description="Mean bag-of-words F1 over HTML pages with a sound reference.")
    min_f1: float = Field(description="Lowest page F1 among those pages.")
    max_markers_per_10_pages: float = Field(description="Boilerplate markers left, per 10 pages.")
    outlets: dict[str, float] = Field(default_factory=dict, description="Mean F1 per outlet.")
    ahead_of_baselines: bool = Field(
        True, description="F1, lowest F1 and markers must all beat trafilatura's and jusText's."
    )


class Baseline(BaseModel):
    """``quality/baseline.yaml``: the floors ``make test`` and ``make eval`` hold the cleaner to."""

    model_config = ConfigDict(extra="forbid")

    fixtures_exact: float = Field(description="Share of fixture cases matching exactly.")
    realpages: RealpageFloors
    unsound_references: dict[str, str] = Field(
        default_factory=dict,
        description="Real pages whose reference is not a fair target, and why; their F1 "
        "is reported but not held to the floors.",
    )


def load_baseline(path: Path) -> Baseline:
    import yaml

    return Baseline.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def gate_fixtures(scores: dict[str, tuple[int, int]], baseline: Baseline) -> list[str]:
    good = sum(g for g, _ in scores.values())
    total = sum(t for _, t in scores.values()) or 1
    if good / total < baseline.fixtures_exact:
        failing = [o for o, (g, t) in scores.items() if g < t]
        return [
            f"fixtures: {good}/{total} exact, below the floor {baseline.fixtures_exact:.0%} "
            f"(failing in {', '.join(failing)})"
        ]
    return []


def gate_realpages(rows: list[Row], baseline: Baseline) -> list[str]:
    """Each floor the real-page figures fall below, as a sentence; none when all hold."""
    floors = baseline.realpages
    totals = summary(rows, exclude=set(baseline.unsound_references))
    me = totals["cleaner"]
    failures = []
    if me["f1"] < floors.f1:
        failures.append(f"real pages: mean F1 {me['f1']:.3f} < floor {floors.f1:.3f}")
    if me["min_f1"] < floors.min_f1:
        failures.append(
            f"real pages: lowest page F1 {me['min_f1']:.3f} < floor {floors.min_f1:.3f}"
        )
    per10 = 10 * me["markers"] / max(me["pages"], 1)
    if per10 > floors.max_markers_per_10_pages:
        failures.append(
            f"real pages: {per10:.2f} markers per 10 pages > {floors.max_markers_per_10_pages}"
        )
    for outlet, floor in floors.outlets.items():
        scored = [
            r.scores["cleaner"].f1
            for r in rows
            if r.page.outlet == outlet
            and r.scores
            and r.page.path.name not in baseline.unsound_references
        ]
        if scored and _mean(scored) < floor:
            failures.append(f"real pages: {outlet} mean F1 {_mean(scored):.3f} < floor {floor:.3f}")
    if floors.ahead_of_baselines:
        for other in ("trafilatura", "justext"):
            them = totals[other]
            if me["f1"] <= them["f1"] or me["min_f1"] < them["min_f1"]:
                failures.append(f"real pages: F1 not ahead of {other}")
            if me["markers"] > them["markers"]:
                failures.append(f"real pages: more markers left than {other}")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--realpages", type=Path, default=DEFAULT_REALPAGES)
    parser.add_argument("--fixtures", type=Path, default=Path("fixtures"))
    parser.add_argument("--baseline", type=Path, help="fail (exit 1) below these floors")
    parser.add_argument("--write", type=Path, help="also write the tables to this Markdown file")
    args = parser.parse_args(argv)
    baseline = load_baseline(args.baseline) if args.baseline else None
    scores = fixture_scores(args.fixtures)
    report = render_fixtures(scores)
    failures = gate_fixtures(scores, baseline) if baseline else []
    if (args.realpages / "MANIFEST.tsv").exists():
        rows = evaluate(args.realpages)
        report += "\n" + render(rows, set(baseline.unsound_references) if baseline else set())
        if baseline:
            failures += gate_realpages(rows, baseline)
    else:
        print(f"evaluate: no real pages at {args.realpages}; fixtures only", file=sys.stderr)
    print(report)
    if args.write:
        args.write.write_text(DOC_HEADER + report, encoding="utf-8")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    if baseline and not failures:
        print(f"evaluate: every floor in {args.baseline} holds", file=sys.stderr)
    return 1 if failures else 0


DOC_HEADER = """# Quality on real pages

Generated by `make eval` (`python -m tools.evaluate --write docs/quality.md`); do not
edit by hand.

`../shared/realpages/` holds real Indonesian news pages from public repositories with
the text their upstream scrapers' tests expect (the text belongs to its publishers and
is not copied into this repository). In one run, on the same input, each page goes
through the cleaner, plain `trafilatura.extract` (default settings) and jusText (its
Indonesian stoplist). Scores are bag-of-words precision, recall and F1 (lower-cased
`\\w+` words with their counts) against the reference (a lead-in the cleaner cut into the
`dateline` field, such as `REPUBLIKA.CO.ID, JAKARTA --`, is put back in front of its
paragraph for scoring, since the references keep it); "markers" counts boilerplate left
in the output (`Baca juga`, `ADVERTISEMENT`, `Copyright`, `Pewarta:`, sign-offs such as
`(kpl/pur)`, share and follow prompts; the pattern is `BOILERPLATE_MARKERS` in
`tools/evaluate.py`).

The references are other projects' test expectations, not hand-checked gold: some drop
inline link text, some keep the dateline or the sign-off (which the cleaner moves into
fields), one holds only the first part of a page. Read the scores as a comparison
between systems on the same pages, not as absolute truth.

"""


if __name__ == "__main__":
    raise SystemExit(main())
