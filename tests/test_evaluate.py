"""The measurement on real pages, and the claim it supports: the cleaner keeps at least
as much of the article as plain trafilatura and leaves less boilerplate."""

from __future__ import annotations

import pytest

from cleaner.evaluate import evaluate, markers, score, summary, unglue, words
from tests.conftest import REALPAGES


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
