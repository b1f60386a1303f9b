"""``cleaner report`` (cleaner/corpus/report.py, histograms.py, stories.py): the counts,
the stories, the signals' histograms, the samples of removed lines, the table, the HTML
page."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cleaner.cli.app import app
from cleaner.corpus.histograms import SIGNAL_BINS, Histogram, SignalTally
from cleaner.corpus.report import (
    NO_STATS,
    NOT_DEDUPLICATED,
    Report,
    render_html,
    render_text,
    summarize,
)
from cleaner.text.signals import measure
from tests.conftest import FIXTURES

runner = CliRunner()


def _article(n: int, outlet: str | None, published: str | None, **more: Any) -> dict[str, Any]:
    text = f"Paragraf berita nomor {n}."
    return {
        "id": f"a{n}",
        "outlet": outlet,
        "published_at": published,
        "text": text,
        "word_count": len(text.split()),
        "language": more.pop("language", "id"),
        "cleaning": {"rule_hits": more.pop("hits", {}), "chars_in": len(text) + 10},
        **more,
    }


def _corpus(tmp_path: Path) -> Path:
    articles = [
        _article(
            1,
            "kompas",
            "2024-03-04T08:00:00+07:00",
            hits={"kompas/iklan": 2},
            cluster_id="a1",
            duplicate_of=None,
        ),
        _article(
            2,
            "kompas",
            "2024-03-05T08:00:00+07:00",
            hits={"kompas/iklan": 1, "generic/share": 3},
            cluster_id="a1",
            duplicate_of="a1",
        ),
        _article(3, "detik", None, language="en", cluster_id="a3", duplicate_of=None),
        _article(4, None, "2023-12-31T23:00:00+07:00", cluster_id="a4", duplicate_of=None),
    ]
    rejects = [
        {"source": "x", "reason": "invalid_json"},
        {"source": "y", "reason": "too_large"},
        {"source": "z", "reason": "invalid_json"},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    (tmp_path / "corpus.rejects.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rejects), encoding="utf-8"
    )
    return path


def test_the_counts_cover_outlets_months_languages_rejects_rules_and_duplicates(
    tmp_path: Path,
) -> None:
    path = _corpus(tmp_path)
    report = summarize([path], [tmp_path / "corpus.rejects.jsonl"])
    assert (report.articles, report.rejects) == (4, 3)
    assert report.outlets == {"kompas": 2, "(unknown)": 1, "detik": 1}
    assert report.months == {"2023-12": 1, "2024-03": 2, "undated": 1}
    assert report.languages == {"id": 3, "en": 1}
    assert report.reject_reasons == {"invalid_json": 2, "too_large": 1}
    assert report.rule_hits == {"kompas/iklan": 3, "generic/share": 3}
    assert report.chars_removed == 40
    assert (report.deduplicated, report.duplicates, report.stories) == (True, 1, 1)


def test_the_table_says_when_duplicates_were_not_measured(tmp_path: Path) -> None:
    path = tmp_path / "plain.jsonl"
    path.write_text(json.dumps(_article(1, "rmol", None)) + "\n", encoding="utf-8")
    text = render_text(summarize([path]))
    assert any(
        line.startswith("duplicates ") and line.endswith("  not measured (run cleaner dedup)")
        for line in text.splitlines()
    )
    assert "Articles per outlet\n  rmol  1" in text
    assert "Rejects by reason\n  (none)" in text


def test_the_page_is_self_contained(tmp_path: Path) -> None:
    page = render_html(summarize([_corpus(tmp_path)], [tmp_path / "corpus.rejects.jsonl"]), "r")
    assert "<script" not in page
    assert not re.search(r"""(?:src|href)\s*=""", page)
    charts = 5 + 1  # the counts' sections, and word_count's histogram (no other signal)
    assert re.findall(r"https?://[^\"']+", page) == ["http://www.w3.org/2000/svg"] * charts


def test_report_command_prints_the_table_and_writes_the_page(tmp_path: Path) -> None:
    path = _corpus(tmp_path)
    page = tmp_path / "out/report.html"
    result = runner.invoke(app, ["report", str(path), "--html", str(page)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("articles ")
    assert "rejects                                3" in result.stdout
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    missing = runner.invoke(app, ["report", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr
    no_rejects = runner.invoke(app, ["report", str(path), "--rejects", str(tmp_path / "r.jsonl")])
    assert no_rejects.exit_code == 2
    assert no_rejects.stderr.strip().endswith("no such file: " + str(tmp_path / "r.jsonl"))


def test_a_sharded_run_is_reported_whole_with_the_rejects_of_every_shard(tmp_path: Path) -> None:
    out = tmp_path / "out"
    inputs = [str(p) for p in sorted(FIXTURES.glob("*/00[0-4]_*.txt"))]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n{broken\n", encoding="utf-8")
    args = ["clean", *inputs, str(bad), "-o", f"{out}/", "--quiet", "--shard-mb", "0.001"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert len(list(out.glob("part-*.done"))) == 6
    report = runner.invoke(app, ["report", f"{out}/"])
    assert report.exit_code == 0, report.stderr
    lines = report.stdout.splitlines()
    assert re.fullmatch(r"articles +5", lines[0])
    assert any(re.fullmatch(r"rejects +2", line) for line in lines)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="no headless Chromium on this machine")
def test_the_page_renders_in_a_headless_browser(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    report = summarize([_corpus(tmp_path)], [tmp_path / "corpus.rejects.jsonl"])
    page.write_text(render_html(report, "r"), encoding="utf-8")
    assert CHROMIUM is not None
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    # Every count became a bar: 3 outlets, 3 months, 2 languages, 2 reasons, 2 rules; and
    # every bin of a histogram that holds an article a column.
    columns = sum(1 for h in report.histograms.values() for count in h.counts if count)
    assert columns == 1  # four articles of four words each
    assert dom.count("<rect") == 12 + columns
    assert "Articles per outlet" in dom
    assert "Stories told by the most articles" in dom and "kompas: 1 story" in dom
    shot = tmp_path / "shot.png"
    subprocess.run(
        [CHROMIUM, *flags, "--window-size=900,1200", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000  # a blank page compresses to far less


# Stories: the largest, overall and per outlet, after cleaner dedup.


def _story(n: str, outlet: str, published: str | None, cluster: str, title: str) -> dict[str, Any]:
    text = f"Isi berita {n}."
    return {
        "id": n,
        "outlet": outlet,
        "published_at": published,
        "title": title,
        "text": text,
        "word_count": len(text.split()),
        "cleaning": {"rule_hits": {}, "chars_in": len(text)},
        "cluster_id": cluster,
        "duplicate_of": None,
    }


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _stories_corpus(tmp_path: Path) -> Path:
    """Three stories and two articles alone. The story of s2 is met first (by a rewrite,
    before the article that leads it), the story of s3 after: of two stories of two
    articles, s2's is listed first."""
    day = "2024-03-0{}T08:00:00+07:00"
    records = [
        _story("s2b", "detik", day.format(6), "s2", "Gempa Palu, versi lain"),
        _story("s1", "kompas", day.format(2), "s1", "Banjir di Jakarta"),
        _story("u1", "kompas", day.format(1), "u1", "Sendiri"),
        _story("s1b", "detik", day.format(3), "s1", "Jakarta banjir lagi"),
        _story("s2", "detik", day.format(5), "s2", "Gempa di Palu"),
        _story("s3", "tempo", None, "s3", "Harga cabai"),
        _story("s1c", "tempo", day.format(4), "s1", "Banjir Jakarta"),
        _story("u2", "detik", None, "u2", "Sendiri juga"),
        _story("s3b", "kompas", day.format(7), "s3", "Cabai mahal"),
        _story("s1d", "kompas", None, "s1", "Banjir"),
    ]
    return _write(tmp_path / "stories.jsonl", records)


def _said(stories: list[Any]) -> list[tuple[str, str | None, int, dict[str, int], str | None]]:
    return [(s.cluster_id, s.title, s.articles, s.outlets, s.first_date) for s in stories]


def test_the_stories_told_by_the_most_articles_are_listed_overall_and_per_outlet(
    tmp_path: Path,
) -> None:
    report = summarize([_stories_corpus(tmp_path)])
    assert report.stories == 3
    s1 = ("s1", "Banjir di Jakarta", 4, {"kompas": 2, "detik": 1, "tempo": 1}, "2024-03-02")
    s2 = ("s2", "Gempa di Palu", 2, {"detik": 2}, "2024-03-05")  # the leader's title
    s3 = ("s3", "Harga cabai", 2, {"kompas": 1, "tempo": 1}, "2024-03-07")
    assert _said(report.top_stories) == [s1, s2, s3]
    assert {o: _said(s) for o, s in report.outlet_stories.items()} == {
        "detik": [s1, s2],
        "kompas": [s1, s3],
        "tempo": [s1, s3],
    }
    top = summarize([_stories_corpus(tmp_path)], top=1)
    assert _said(top.top_stories) == [s1]
    assert {o: _said(s) for o, s in top.outlet_stories.items()} == {o: [s1] for o in top.outlets}


def test_the_story_list_is_in_the_table_and_the_page(tmp_path: Path) -> None:
    report = summarize([_stories_corpus(tmp_path)])
    lines = render_text(report).splitlines()
    start = lines.index("Stories told by the most articles")
    assert lines[start + 2].split() == [
        "4", "2024-03-02", "kompas", "2,", "detik", "1,", "tempo", "1", "Banjir", "di", "Jakarta"
    ]  # fmt: skip
    assert lines[start + 3].split()[:4] == ["2", "2024-03-05", "detik", "2"]
    per_outlet = lines.index("Stories per outlet (told by the most articles)")
    assert lines[per_outlet + 1] == "  detik"  # most articles first (4, as kompas), then by name
    page = render_html(report, "r")
    assert page.count('<table class="stories">') == 1 + 3
    assert "<summary>kompas: 2 stories</summary>" in page
    one = runner.invoke(app, ["report", str(_stories_corpus(tmp_path)), "--stories", "1"])
    assert one.exit_code == 0, one.stderr
    listed = _section(one.stdout, "Stories told by the most articles")
    assert len(listed) == 3 and "Banjir di Jakarta" in listed[2]


def test_before_dedup_the_report_says_stories_need_it(tmp_path: Path) -> None:
    plain = _write(tmp_path / "plain.jsonl", [_article(1, "rmol", None)])
    report = summarize([plain])
    assert (report.deduplicated, report.top_stories, report.outlet_stories) == (False, [], {})
    text = render_text(report)
    assert f"Stories told by the most articles\n  {NOT_DEDUPLICATED}" in text
    assert "run cleaner dedup first" in NOT_DEDUPLICATED
    assert NOT_DEDUPLICATED in render_html(report, "r")


def test_stories_are_counted_when_only_later_articles_were_deduplicated(tmp_path: Path) -> None:
    records = [_article(1, "rmol", None), *json_lines(_stories_corpus(tmp_path))]
    report = summarize([_write(tmp_path / "mixed.jsonl", records)])
    assert [s.cluster_id for s in report.top_stories] == ["s1", "s2", "s3"]
    assert report.top_stories[0].title == "Banjir di Jakarta"


def json_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# Signals: fixed-bin histograms, quantiles read off them.


def test_histograms_count_every_article_once_per_signal(tmp_path: Path) -> None:
    texts = [
        "Kalimat pertama yang cukup panjang. Dan kalimat kedua di sini.",
        "Satu baris saja tanpa titik",
        "Baris pertama.\nBaris kedua.\nBaris pertama.",
    ]
    records = [
        {
            **_article(n, "kompas", None),
            "text": text,
            "word_count": len(text.split()),
            "language_score": 0.9,
            "signals": measure(text).model_dump(),
        }
        for n, text in enumerate(texts)
    ]
    records.append(_article(9, "kompas", None))  # --no-signals: its word count only
    report = summarize([_write(tmp_path / "signals.jsonl", records)])
    assert set(report.histograms) == set(SIGNAL_BINS)
    totals = {name: h.total for name, h in report.histograms.items()}
    assert totals == dict.fromkeys(SIGNAL_BINS, 3) | {"word_count": 4}
    duplicates = report.histograms["duplicate_line_fraction"]
    assert duplicates.counts[0] == 2 and sum(duplicates.counts[10:20]) == 1  # 1/3
    table = render_text(report)
    assert "Signals of 4 articles" in table
    row = next(line for line in table.splitlines() if line.startswith("  language_score "))
    assert all(0.9 <= float(q) <= 0.925 for q in row.split()[1:4])  # within the bin


def test_quantiles_are_read_off_the_bins_to_within_a_bin() -> None:
    shares = Histogram.for_signal("stopword_ratio")
    for i in range(1000):
        shares.add((i + 0.5) / 1000)
    width = 1 / len(shares.counts)
    for p in (0.05, 0.5, 0.95):
        quantile = shares.quantile(p)
        assert quantile is not None and abs(quantile - p) <= width
    words = Histogram.for_signal("word_count")
    for count in [100] * 90 + [3000] * 10:
        words.add(count)
    assert words.log and words.total == 100
    median, top = words.quantile(0.5), words.quantile(0.95)
    assert median is not None and 100 / 10**0.1 <= median <= 100 * 10**0.1
    assert top is not None and 3000 / 10**0.1 <= top <= 3000 * 10**0.1
    assert Histogram.for_signal("newline_ratio").quantile(0.5) is None


def test_the_tally_bins_as_a_histogram_does_across_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Values on bin edges, at the ends and beyond them, binned a few at a time."""
    monkeypatch.setattr(SignalTally, "BATCH", 7)
    rng = random.Random(4)

    def share() -> float:
        return rng.choice([0.0, 0.025, 0.1, 0.4, 0.5, 1.0, rng.random()])

    shares = ["stopword_ratio", "duplicate_line_fraction", "punctuated_line_share"]
    shares += ["alpha_word_share", "newline_ratio"]
    tally = SignalTally()
    reference = {name: Histogram.for_signal(name) for name in SIGNAL_BINS}
    for _ in range(50):
        values = {name: share() for name in shares} | {"mean_word_length": rng.uniform(0, 20)}
        ngrams = {n: share() for n in "234"}
        record = {
            "word_count": rng.choice([1, 10, 100, 10**7, rng.randrange(1, 5000)]),
            "language_score": share(),
            "signals": {**values, "top_ngram_share": ngrams},
        }
        tally.add(record)
        values |= {f"top_ngram_share.{n}": v for n, v in ngrams.items()}
        values |= {name: record[name] for name in ("word_count", "language_score")}
        for name, value in values.items():
            reference[name].add(value)
    assert tally.histograms() == reference
    assert all(h.total == 50 for h in reference.values())


def test_values_beyond_the_range_fall_in_the_end_bins() -> None:
    lengths = Histogram.for_signal("mean_word_length")  # 2 to 12
    for value in (0.5, 2.0, 30.0):
        lengths.add(value)
    assert (lengths.counts[0], lengths.counts[-1], lengths.total) == (2, 1, 3)
    words = Histogram.for_signal("word_count")
    words.add(10**9)
    assert words.counts[-1] == 1


# Samples of what the rules removed, from the run's stats.

STORY = (
    "Pemerintah kota mulai memperbaiki jalan yang rusak di sekitar pasar induk pada Senin "
    "pagi. Kepala dinas pekerjaan umum mengatakan perbaikan ditargetkan selesai sebelum "
    "musim hujan. Anggaran sebesar dua belas miliar rupiah sudah disetujui dewan."
)


def _boilerplate(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for f in range(3):
        lines = [
            json.dumps(
                {
                    "id": f"d{f}-{n}",
                    "text": f"{STORY}\nADVERTISEMENT\nBaca juga: Harga cabai nomor {f}{n}\n{STORY}",
                }
            )
            for n in range(5)
        ]
        (folder / f"in-{f}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _section(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


REMOVED = "Lines the rules removed"


def test_samples_of_removed_lines_are_the_same_for_one_and_two_workers_and_shards(
    tmp_path: Path,
) -> None:
    inputs = str(_boilerplate(tmp_path))
    shown = []
    for workers in ("1", "2"):
        out, stats = tmp_path / f"out-{workers}.jsonl", tmp_path / f"stats-{workers}.json"
        args = ["clean", inputs, "-o", str(out), "--stats", str(stats), "--workers", workers]
        assert runner.invoke(app, [*args, "--no-learn", "-q"]).exit_code == 0
        report = runner.invoke(app, ["report", str(out), "--stats", str(stats)])
        assert report.exit_code == 0, report.stderr
        shown.append(_section(report.stdout, REMOVED))
    sharded = tmp_path / "shards"
    args = ["clean", inputs, "-o", f"{sharded}/", "--shard-mb", "0.001", "--no-learn", "-q"]
    assert runner.invoke(app, args).exit_code == 0
    assert len(list(sharded.glob("part-*.done"))) == 3
    report = runner.invoke(app, ["report", f"{sharded}/"])  # the markers hold the samples
    assert report.exit_code == 0, report.stderr
    shown.append(_section(report.stdout, REMOVED))
    deduplicated = tmp_path / "dedup.jsonl"
    assert runner.invoke(app, ["dedup", f"{sharded}/", "-o", str(deduplicated)]).exit_code == 0
    report = runner.invoke(app, ["report", str(deduplicated), "--stats", f"{sharded}/"])
    assert report.exit_code == 0, report.stderr
    shown.append(_section(report.stdout, REMOVED))
    assert shown[0] == shown[1] == shown[2] == shown[3]
    section = shown[0]
    ads = section.index("  lexicon/advertisement")
    assert section[ads + 1].split() == ['"ADVERTISEMENT"', section[ads + 1].split()[-1]]
    assert section[ads + 1].split()[-1].startswith(f"{inputs}/in-")
    related = section.index("  lexicon/related-link")
    assert all('"Baca juga: Harga cabai nomor ' in line for line in section[related + 1 :])
    assert len(section[related + 1 :]) == 3


def test_without_stats_the_report_says_where_samples_come_from(tmp_path: Path) -> None:
    text = render_text(summarize([_corpus(tmp_path)]))
    assert _section(text, REMOVED)[1:] == [f"  {NO_STATS}"]
    assert "--stats FILE" in NO_STATS
    wrong = tmp_path / "wrong.json"
    wrong.write_text("[1, 2]", encoding="utf-8")
    result = runner.invoke(app, ["report", str(_corpus(tmp_path)), "--stats", str(wrong)])
    assert result.exit_code == 2
    assert "not a run's --stats file" in result.stderr
    missing = runner.invoke(app, ["report", str(_corpus(tmp_path)), "--stats", str(tmp_path / "n")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    no_markers = runner.invoke(app, ["report", str(_corpus(tmp_path)), "--stats", str(tmp_path)])
    assert no_markers.exit_code == 2 and "no shard markers" in no_markers.stderr


def test_samples_are_shown_for_the_rules_with_most_hits_first() -> None:
    report = Report(
        rule_hits={"b/many": 9, "a/few": 1},
        removal_samples={"a/few": [("x", "s:1")], "b/many": [("y", "s:2")], "c/reject": []},
    )
    section = _section(render_text(report), REMOVED)
    assert section[1:] == ["  b/many", '    "y"  s:2', "  a/few", '    "x"  s:1', "  c/reject"]
    assert _section(render_text(report, top_rules=1), REMOVED)[1:] == ["  b/many", '    "y"  s:2']
    page = render_html(report, "r")
    assert '<h3>b/many</h3><ul class="samples"><li><q>y</q> <small>s:2</small></li></ul>' in page


def test_one_of_anything_is_said_in_the_singular(tmp_path: Path) -> None:
    one = _write(tmp_path / "one.jsonl", [_story("a", "kompas", None, "a", "Judul")])
    one_more = [
        _story("a", "kompas", None, "a", "Judul"),
        _story("b", "kompas", None, "a", "Judul lain"),
    ]
    for report in (summarize([one]), summarize([_write(tmp_path / "two.jsonl", one_more)])):
        text, page = render_text(report), render_html(report, "r")
        for said in (text, page):
            assert not re.search(r"\b1 (article|stor(y|ie))s\b", said)
    assert "Signals of 1 article\n" in render_text(summarize([one]))
    assert "<summary>kompas: 1 story</summary>" in render_html(summarize([one, one]), "r")
