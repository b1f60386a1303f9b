"""The measurement on real pages, and the claim it supports: the cleaner keeps at least
as much of the article as plain trafilatura and leaves less boilerplate."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REALPAGES, ROOT
from tools.evaluate import (
    Baseline,
    Page,
    Row,
    Score,
    evaluate,
    fixture_scores,
    gate_fixtures,
    gate_realpages,
    load_baseline,
    markers,
    score,
    summary,
    unglue,
    words,
)


def test_bag_of_words_scores() -> None:
    assert words("Dia pergi, dia pulang.") == {"dia": 2, "pergi": 1, "pulang": 1}
    perfect = score("Hujan turun sejak pagi.", "hujan turun sejak pagi")
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    half = score("hujan turun iklan promo", "hujan turun")
    assert (half.precision, half.recall) == (0.5, 1.0)
    assert round(half.f1, 3) == 0.667
    assert score("", "hujan").f1 == 0.0


def test_unglue_splits_paragraphs_joined_without_a_space() -> None:
    assert unglue("hujan turun.Dia pulang") == "hujan turun. Dia pulang"
    assert words(unglue("selesai rapat“Kami siap”")) == {
        "selesai": 1,
        "rapat": 1,
        "kami": 1,
        "siap": 1,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Baca juga: Harga Emas Naik\nIsi berita.", 1),
        ("ADVERTISEMENT\nSCROLL TO CONTINUE WITH CONTENT", 2),
        ("Isi berita selesai. (kpl/pur)", 1),
        ("Copyright © 2024 Contoh", 2),
        ("Dia membaca buku dan juga menulis.", 0),
        ("Harga cabai naik tajam pekan ini.", 0),
    ],
)
def test_markers(text: str, expected: int) -> None:
    assert markers(text) == expected


@pytest.mark.realpages
@pytest.mark.skipif(not (REALPAGES / "MANIFEST.tsv").exists(), reason="no ../shared/realpages")
def test_on_real_pages_cleaner_is_at_least_trafilatura_and_leaves_less_boilerplate() -> None:
    rows = evaluate(REALPAGES)
    totals = summary(rows)
    assert totals["cleaner"]["pages"] >= 10
    assert totals["cleaner"]["f1"] >= totals["trafilatura"]["f1"]
    assert totals["cleaner"]["markers"] < totals["trafilatura"]["markers"]
    for row in rows:  # never worse than trafilatura on a page by more than a rounding
        if "trafilatura" in row.scores:
            assert row.scores["cleaner"].f1 >= row.scores["trafilatura"].f1 - 0.01, row.page.path
    assert all(not row.outcome.startswith("reject") for row in rows)


# --- the quality gate --------------------------------------------------------------------


def test_the_fixtures_hold_the_committed_floor() -> None:
    baseline = load_baseline(ROOT / "quality" / "baseline.yaml")
    scores = fixture_scores(FIXTURES)
    assert sum(total for _, total in scores.values()) >= 10
    assert gate_fixtures(scores, baseline) == []


def _row(name: str, outlet: str, f1s: dict[str, float], markers: dict[str, int]) -> Row:
    page = Page(Path(name), outlet, "raw_html", "ref", "gold_text")
    row = Row(page, markers=markers)
    row.scores = {k: Score(v, v, v) for k, v in f1s.items()}
    return row


def test_the_gate_names_every_floor_that_fails() -> None:
    baseline = Baseline.model_validate(
        {
            "fixtures_exact": 1.0,
            "realpages": {
                "f1": 0.95,
                "min_f1": 0.9,
                "max_markers_per_10_pages": 1.0,
                "outlets": {"a.com": 0.99},
            },
            "unsound_references": {"bad.html": "holds only the caption"},
        }
    )
    good = {"cleaner": 0.97, "trafilatura": 0.9, "justext": 0.8}
    quiet = {"cleaner": 0, "trafilatura": 2, "justext": 1}
    rows = [
        _row("p1.html", "a.com", good, quiet),
        _row("p2.html", "b.com", {**good, "cleaner": 0.85}, {**quiet, "cleaner": 1}),
        _row("bad.html", "b.com", {**good, "cleaner": 0.1}, quiet),  # unsound: not held
    ]
    failures = gate_realpages(rows, baseline)
    assert any("mean F1 0.910 < floor 0.950" in f for f in failures)
    assert any("lowest page F1 0.850" in f for f in failures)
    assert any("3.33 markers per 10 pages" in f for f in failures)
    assert any("a.com mean F1 0.970 < floor 0.990" in f for f in failures)
    assert "real pages: F1 not ahead of trafilatura" in failures
    assert gate_fixtures({"x": (3, 4)}, baseline) == [
        "fixtures: 3/4 exact, below the floor 100% (failing in x)"
    ]
