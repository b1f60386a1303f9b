"""Counting a run (cleaner/stats.py)."""

from __future__ import annotations

from cleaner.engines.stats import UNKNOWN_OUTLET, RunStats
from cleaner.models import Article, Reject, RejectReason, Skip
from cleaner.text.signals import measure


def _article(outlet: str | None, rule_hits: dict[str, int]) -> Article:
    return Article.model_validate(
        {
            "id": "x",
            "source": "a.txt",
            "outlet": outlet,
            "text": "isi berita",
            "word_count": 2,
            "language": "id",
            "language_score": 0.99,
            "signals": measure("isi berita"),
            "cleaning": {
                "detected_by": "url" if outlet else None,
                "encoding": "utf-8",
                "rule_hits": rule_hits,
                "lines_in": 5,
                "lines_out": 1,
                "chars_in": 50,
            },
        }
    )


def _reject(
    reason: RejectReason, outlet: str | None = None, rule_hits: dict[str, int] | None = None
) -> Reject:
    return Reject(source="b.txt", reason=reason, detail="x", outlet=outlet, rule_hits=rule_hits)


def _stats() -> RunStats:
    stats = RunStats()
    stats.add(_article("kompas", {"kompas/iklan": 2, "generic/share": 1}))
    stats.add(_article("kompas", {"kompas/iklan": 1}))
    stats.add(_reject("empty_after_cleaning", "detik", {"detik/baca-juga": 4}))
    stats.add(_reject("undecodable"))
    stats.add(_reject("undecodable"))
    return stats


def test_one_line_of_an_empty_run() -> None:
    assert RunStats().one_line() == "0 articles, 0 rejected"


def test_one_line_counts_articles_and_rejects_with_reasons_sorted_by_name() -> None:
    assert _stats().one_line() == "2 articles, 3 rejected (1 empty_after_cleaning, 2 undecodable)"


def test_one_line_without_rejects_has_no_reason_list() -> None:
    stats = RunStats()
    stats.add(_article("kompas", {}))
    assert stats.one_line() == "1 articles, 0 rejected"


def test_rejected_is_the_sum_over_reasons() -> None:
    stats = _stats()
    assert stats.rejected == 3
    assert stats.rejects == {"undecodable": 2, "empty_after_cleaning": 1}


def test_skips_are_counted_by_kind_not_as_units() -> None:
    stats = RunStats()
    for source, what in [("a", "WARC request record"), ("b", "blank JSONL line")] * 2:
        stats.add(Skip(source, what))
    assert stats.one_line() == "0 articles, 0 rejected; 4 skipped"
    rendered = stats.render().splitlines()
    start = rendered.index("skipped (not input units)")
    assert sorted(line.split()[-1] for line in rendered[start + 1 : start + 3]) == ["2", "2"]
    assert stats.rejected == 0


def test_render_lists_rejects_by_reason_most_common_first() -> None:
    lines = _stats().render().splitlines()
    start = lines.index("rejects by reason")
    assert lines[start + 1].split() == ["undecodable", "2"]
    assert lines[start + 2].split() == ["empty_after_cleaning", "1"]
    assert lines[start + 3] == ""


def test_render_without_rejects_has_no_reject_section() -> None:
    stats = RunStats()
    stats.add(_article("kompas", {}))
    assert "rejects by reason" not in stats.render()


def test_render_starts_with_the_one_line_summary() -> None:
    stats = _stats()
    assert stats.render().splitlines()[0] == stats.one_line()


def test_render_shows_per_outlet_totals_and_rule_hits() -> None:
    lines = _stats().render().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("outlet"))
    table = [line.split() for line in lines[header + 1 :]]
    assert table == [
        ["(no", "outlet", "rules)", "2", "0", "2", "0"],
        ["detik", "1", "0", "1", "4"],
        ["detik/baca-juga", "4"],
        ["kompas", "2", "2", "0", "4"],
        ["kompas/iklan", "3"],
        ["generic/share", "1"],
    ]


def test_rule_hits_under_an_outlet_are_indented() -> None:
    lines = _stats().render().splitlines()
    assert any(line.startswith("    kompas/iklan") for line in lines)
    assert any(line.startswith("kompas ") for line in lines)


def test_results_without_outlet_count_under_unknown_outlet() -> None:
    stats = RunStats()
    stats.add(_article(None, {"generic/share": 2}))
    assert set(stats.outlets) == {UNKNOWN_OUTLET}
    assert stats.outlets[UNKNOWN_OUTLET].documents == 1
    assert stats.outlets[UNKNOWN_OUTLET].rule_hits == {"generic/share": 2}
