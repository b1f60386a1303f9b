"""Counting a run (cleaner/engines/stats.py), and its samples of removed lines
(cleaner/engines/samples.py)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from cleaner import CleanerConfig
from cleaner.config import LearnConfig
from cleaner.engines.outcome import add_outcome, outcome_of
from cleaner.engines.run import clean_to_directory, clean_to_stream
from cleaner.engines.samples import (
    SAMPLE_CHARS,
    SAMPLES_PER_RULE,
    Removal,
    RemovalSamples,
    pick_removals,
    sample_key,
)
from cleaner.engines.stats import UNKNOWN_OUTLET, IdTally, RunStats, plural
from cleaner.models import Article, RawDocument, Reject, RejectReason, Skip
from cleaner.pipeline import Cleaner
from cleaner.text.signals import measure


def _article(outlet: str | None, rule_hits: dict[str, int], doc_id: str = "x") -> Article:
    return Article.model_validate(
        {
            "id": doc_id,
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
    stats.add(_article("kompas", {"kompas/iklan": 2, "generic/share": 1}, "k1"))
    stats.add(_article("kompas", {"kompas/iklan": 1}, "k2"))
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
    assert stats.one_line() == "1 article, 0 rejected"


def test_counts_in_words_are_singular_for_one_only() -> None:
    assert plural(1, "duplicate") == "1 duplicate"
    assert plural(0, "duplicate") == "0 duplicates"
    assert plural(2, "story", "stories") == "2 stories"
    assert plural(1, "story", "stories") == "1 story"
    assert plural(1, "article repeats", "articles repeat") == "1 article repeats"
    assert plural(12_345, "article") == "12,345 articles"


def test_one_article_repeating_an_id_is_said_in_the_singular() -> None:
    assert _with_ids("a", "a").one_line() == (
        "2 articles, 0 rejected; 1 article repeats an earlier id (e.g. a)"
    )


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


# Repeated ids: an input that gives one id to several articles must not pass silently.


def _with_ids(*ids: str) -> RunStats:
    stats = RunStats()
    for doc_id in ids:
        stats.add(_article("kompas", {}, doc_id))
    return stats


def test_articles_repeating_an_earlier_id_are_counted_and_named() -> None:
    stats = _with_ids("a", "b", "a", "c", "a", "b")
    assert stats.repeated_ids == 3
    assert stats.one_line() == (
        "6 articles, 0 rejected; 3 articles repeat an earlier id (e.g. a, b)"
    )
    assert stats.render().splitlines()[0] == stats.one_line()
    assert stats.to_dict()["repeated_ids"] == {
        "articles": 3,
        "examples": ["a", "b"],
        "whole_run": True,
    }
    assert "id_hashes" not in stats.to_dict()  # for shard markers only, not for people


def test_without_repeats_the_line_says_nothing_of_ids() -> None:
    stats = _with_ids("a", "b", "c")
    assert stats.one_line() == "3 articles, 0 rejected"
    assert stats.to_dict()["repeated_ids"]["articles"] == 0


def test_rejects_ids_are_not_tallied() -> None:
    stats = _with_ids("a")
    stats.add(Reject(source="b.txt", reason="not_article", detail="x", id="a"))
    assert stats.repeated_ids == 0


def test_examples_are_few_and_short_in_the_line() -> None:
    long_id = "https://www.example.co.id/berita/" + "sangat-panjang-" * 5
    ids = [long_id, "b", "c", "d", "e", "f", "g"]
    stats = _with_ids(*ids, *ids)
    assert stats.repeated_ids == 7
    assert stats.ids.examples == ids[:5]
    line = stats.one_line()
    assert line.endswith(
        "7 articles repeat an earlier id (e.g. https://www.example.co.id/berita/sangat…, b, c, …)"
    )


def test_the_tally_agrees_with_a_plain_count_across_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Small batches, so that repeats fall within a batch, across batches and across the
    runs the batches merge into."""
    monkeypatch.setattr(IdTally, "BATCH", 7)
    rng = random.Random(5)
    ids = [f"id-{rng.randrange(300)}" for _ in range(1000)]
    tally = IdTally()
    for doc_id in ids:
        tally.add(doc_id)
    tally.settle()
    assert tally.repeats == len(ids) - len(set(ids))
    assert len(tally) == len(set(ids))
    seen: set[str] = set()
    first_repeats: list[str] = []
    for doc_id in ids:
        if doc_id in seen and doc_id not in first_repeats:
            first_repeats.append(doc_id)
        seen.add(doc_id)
    assert tally.examples == first_repeats[:5]


def test_parts_merged_with_their_id_hashes_count_the_repeats_between_them() -> None:
    """What a sharded run does: each shard counts its own, the markers carry hashes."""
    first, second = _with_ids("a", "b", "a"), _with_ids("b", "c", "c", "d")
    merged = RunStats()
    for part in (first, second):
        merged.merge(RunStats.from_dict(json.loads(json.dumps(part.to_dict(id_hashes=True)))))
    whole = _with_ids("a", "b", "a", "b", "c", "c", "d")
    assert merged.repeated_ids == whole.repeated_ids == 3  # a, c within; b between
    assert merged.ids_whole_run
    assert len(merged.ids) == 4
    assert (
        merged.one_line() == "7 articles, 0 rejected; 3 articles repeat an earlier id (e.g. a, c)"
    )


def test_parts_merged_without_id_hashes_say_they_counted_within_each() -> None:
    merged = RunStats()
    for part in (_with_ids("a", "b", "a"), _with_ids("b", "c", "c")):
        merged.merge(RunStats.from_dict(part.to_dict()))
    assert merged.repeated_ids == 2  # b, between the parts, is not seen
    assert not merged.ids_whole_run
    assert merged.one_line().endswith(
        "2 articles repeat an earlier id (e.g. a, c; counted within each shard)"
    )
    assert merged.to_dict()["repeated_ids"]["whole_run"] is False


def test_a_marker_from_before_repeated_ids_still_reads() -> None:
    old = _with_ids("a", "b").to_dict()
    del old["repeated_ids"]
    stats = RunStats.from_dict(old)
    assert (stats.articles, stats.repeated_ids, stats.ids_whole_run) == (2, 0, False)


STORY = (
    "Pemerintah kota mulai memperbaiki jalan yang rusak di sekitar pasar induk pada Senin "
    "pagi. Kepala dinas pekerjaan umum mengatakan perbaikan ditargetkan selesai sebelum "
    "musim hujan. Anggaran sebesar dua belas miliar rupiah sudah disetujui dewan pada awal "
    "bulan ini. Selama pekerjaan berlangsung, kendaraan berat dialihkan ke jalur lingkar "
    "selatan kota. Para pedagang berharap perbaikan tidak mengganggu pembeli yang datang."
)


def _write_inputs(tmp_path: Path, files: list[list[tuple[str, str]]]) -> list[str]:
    """JSONL files of ``(id, text)`` records, one per list."""
    paths = []
    for f, records in enumerate(files):
        path = tmp_path / f"in-{f}.jsonl"
        lines = [json.dumps({"id": doc_id, "text": text}) for doc_id, text in records]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def _inputs(tmp_path: Path) -> list[str]:
    """Two JSONL files whose ids repeat within each file and between them."""
    ids = [[f"a{i % 7}" for i in range(12)], [f"a{i}" for i in range(5, 14)]]
    return _write_inputs(
        tmp_path,
        [
            [(doc_id, f"{STORY}\nBerita nomor {f}-{n} dari kota.") for n, doc_id in enumerate(file)]
            for f, file in enumerate(ids)
        ],
    )


def test_one_and_two_workers_and_shards_count_the_same_repeats(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path)
    config = CleanerConfig(learn=LearnConfig(enabled=False))
    counted = []
    for workers in (1, 2):
        out = tmp_path / f"out-{workers}.jsonl"
        stats = clean_to_stream(inputs, config, out, workers=workers)
        ids = [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()]
        assert stats.articles == len(ids) == 21
        assert stats.repeated_ids == len(ids) - len(set(ids)) == 7
        counted.append((stats.repeated_ids, stats.ids.examples, stats.one_line()))
    assert counted[0] == counted[1]
    assert counted[0][1] == ["a0", "a1", "a2", "a3", "a4"]
    sharded = clean_to_directory(inputs, config, tmp_path / "shards", workers=2, shard_bytes=1)
    assert len(list((tmp_path / "shards").glob("part-*.done"))) == 2
    assert (sharded.repeated_ids, sharded.ids_whole_run) == (7, True)


# Samples of the removed lines: a few per rule, the same however the run is split.


def _removal(rule: str, text: str, source: str) -> Removal:
    (removal,) = pick_removals([(rule, text)], source)
    return removal


def _removals(count: int, seed: int = 3) -> list[Removal]:
    rng = random.Random(seed)
    return [
        _removal(f"r/{rng.randrange(4)}", f"baris {rng.randrange(40)}", f"f.jsonl:{n}")
        for n in range(count)
    ]


def _first_by_key(values: set[str], most: int) -> list[str]:
    return sorted(values, key=lambda value: (sample_key(value), value))[:most]


def test_a_document_offers_one_line_per_rule_cut_short() -> None:
    picked = pick_removals([("r/a", "x"), ("r/a", "y"), ("r/b", "z"), ("r/a", "x")], "s:1")
    assert [(p.rule, p.source) for p in picked] == [("r/a", "s:1"), ("r/b", "s:1")]
    assert picked[0].text == _first_by_key({"x", "y"}, 1)[0]
    assert picked[0].key == sample_key(picked[0].text)
    (long,) = pick_removals([("r/a", "kata " * 100)], "s:2")
    assert len(long.text) == SAMPLE_CHARS and long.text.endswith("…")
    assert pick_removals([], "s:3") == ()


def test_samples_keep_the_smallest_keys_of_different_texts() -> None:
    removals = _removals(400)
    samples = RemovalSamples()
    for removal in removals:
        samples.add(removal)
    assert set(samples.rules) == {r.rule for r in removals}
    for rule, kept in samples.rules.items():
        texts = {r.text for r in removals if r.rule == rule}
        assert len(texts) > SAMPLES_PER_RULE  # so that the bound is what holds them back
        assert len(kept) == SAMPLES_PER_RULE
        assert sorted(kept) == sorted(_first_by_key(texts, SAMPLES_PER_RULE))
        for text, (_, _, source) in kept.items():
            sources = {r.source for r in removals if r.rule == rule and r.text == text}
            assert source == _first_by_key(sources, 1)[0]
    shown = samples.samples()
    assert list(shown) == sorted(shown)
    assert all(len(pairs) == SAMPLES_PER_RULE for pairs in shown.values())


def test_samples_merged_from_any_split_in_any_order_are_the_same() -> None:
    removals = _removals(400)
    whole = RemovalSamples()
    for removal in removals:
        whole.add(removal)
    for seed in range(6):
        rng = random.Random(seed)
        shuffled = removals[:]
        rng.shuffle(shuffled)
        cuts = sorted(rng.sample(range(1, len(shuffled)), 3))
        parts = []
        for start, end in zip([0, *cuts], [*cuts, len(shuffled)], strict=True):
            part = RemovalSamples()
            for removal in shuffled[start:end]:
                part.add(removal)
            parts.append(part)
        rng.shuffle(parts)
        merged = RemovalSamples()
        for part in parts:
            merged.merge(part)
        assert merged == whole


def test_samples_go_through_the_stats_file_and_shard_markers_unchanged() -> None:
    stats = RunStats()
    for removal in _removals(100):
        stats.removals.add(removal)
    said = json.loads(json.dumps(stats.to_dict(id_hashes=True)))
    assert said["removal_samples"]["r/0"][0] == {
        "text": stats.removals.samples()["r/0"][0][0],
        "source": stats.removals.samples()["r/0"][0][1],
    }
    assert RunStats.from_dict(said).removals == stats.removals
    merged = RunStats()
    merged.merge(RunStats.from_dict(said))
    assert merged.removals == stats.removals
    del said["removal_samples"]  # a marker of an earlier version
    assert RunStats.from_dict(said).removals == RemovalSamples()


BOILERPLATE = "ADVERTISEMENT\nBaca juga: Harga cabai naik lagi di pasar nomor {n}\n"


def test_an_outcome_offers_samples_only_when_asked(cleaner: Cleaner) -> None:
    text = f"Judul berita\n{STORY}\n{BOILERPLATE.format(n=1)}{STORY}"
    doc = RawDocument(source="a.jsonl:1", data=text, kind="text")
    assert outcome_of(doc, cleaner).removed == ()
    outcome = outcome_of(doc, cleaner, samples=True)
    assert outcome.kind == "article"
    assert {(r.rule, r.text, r.source) for r in outcome.removed} == {
        ("lexicon/advertisement", "ADVERTISEMENT", "a.jsonl:1"),
        ("lexicon/related-link", "Baca juga: Harga cabai naik lagi di pasar nomor 1", "a.jsonl:1"),
    }
    stats = RunStats()
    add_outcome(stats, outcome)
    assert stats.removals.samples()["lexicon/advertisement"] == [("ADVERTISEMENT", "a.jsonl:1")]


def _boilerplate_inputs(tmp_path: Path) -> list[str]:
    return _write_inputs(
        tmp_path,
        [
            [(f"d{f}-{n}", f"{STORY}\n{BOILERPLATE.format(n=f * 10 + n)}{STORY}") for n in range(6)]
            for f in range(3)
        ],
    )


def test_one_and_two_workers_and_shards_keep_the_same_samples(tmp_path: Path) -> None:
    inputs = _boilerplate_inputs(tmp_path)
    config = CleanerConfig(learn=LearnConfig(enabled=False))
    kept = [
        clean_to_stream(inputs, config, tmp_path / f"out-{workers}.jsonl", workers=workers)
        for workers in (1, 2)
    ]
    sharded = clean_to_directory(inputs, config, tmp_path / "shards", workers=2, shard_bytes=1)
    assert len(list((tmp_path / "shards").glob("part-*.done"))) == 3
    assert kept[0].removals == kept[1].removals == sharded.removals
    samples = kept[0].removals.samples()
    assert [text for text, _ in samples["lexicon/advertisement"]] == ["ADVERTISEMENT"]
    related = samples["lexicon/related-link"]
    assert len(related) == SAMPLES_PER_RULE
    assert all(text.startswith("Baca juga: Harga cabai") for text, _ in related)
    assert all(source.startswith(str(tmp_path)) for _, source in related)
