"""A run learns what each site repeats, then removes it: the same on one worker, on two,
in shards and on Dask; syndicated copies keep their bodies."""

from __future__ import annotations

import gzip
import json
import random
from collections import Counter
from functools import partial
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaner import CleanerConfig, clean_to_directory, clean_to_stream
from cleaner.cli.app import app
from cleaner.config import LearnConfig
from cleaner.rules.repeats import LEARNED_RULE, SiteRepeats

runner = CliRunner()

WORDS = [
    "warga",
    "pemerintah",
    "kota",
    "desa",
    "jalan",
    "pasar",
    "harga",
    "beras",
    "sungai",
    "banjir",
    "sekolah",
    "guru",
    "murid",
    "petani",
    "panen",
    "hujan",
    "kantor",
    "rapat",
    "anggaran",
    "jembatan",
    "rumah",
    "sakit",
    "dokter",
    "pasien",
    "kereta",
    "stasiun",
    "pelabuhan",
    "kapal",
    "nelayan",
    "ikan",
    "laut",
    "hutan",
    "kebun",
    "kopi",
    "teh",
    "gula",
    "garam",
    "minyak",
]
PROMO = "Kunjungi toko kami di Jalan Melati untuk promo akhir pekan"
SYNDICATED = [
    "Gubernur meresmikan jembatan baru yang menghubungkan dua kecamatan di tepi sungai itu.",
    "Jembatan sepanjang seratus meter itu dibangun selama dua tahun dengan dana provinsi.",
    "Warga berharap perjalanan ke pasar kini lebih singkat dan murah bagi para petani.",
]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(14)]
    return " ".join(words).capitalize() + "."


def corpus(tmp_path: Path) -> Path:
    """30 pages of one site ending in the same promo, and 5 copies of one story."""
    rng = random.Random(3)
    lines = []
    for i in range(30):
        body = "\n".join(sentence(rng) for _ in range(4))
        text = f"{body}\n{PROMO}"
        lines.append({"url": f"https://kabar-contoh.id/berita/{i}", "text": text})
    for i in range(5):
        text = "\n".join(SYNDICATED) + f"\n{sentence(rng)}\n{PROMO}"
        lines.append({"url": f"https://kabar-contoh.id/salinan/{i}", "text": text})
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    return path


def articles(path: Path) -> list[dict[str, object]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_a_line_the_site_repeats_is_learned_and_removed(tmp_path: Path) -> None:
    out = tmp_path / "out" / "corpus.jsonl"
    stats = clean_to_stream([str(corpus(tmp_path))], CleanerConfig(), out, workers=1)
    assert stats.articles == 35
    records = articles(out)
    assert all(PROMO not in str(r["text"]) for r in records)
    assert all(r["cleaning"]["rule_hits"].get(LEARNED_RULE) == 1 for r in records)  # type: ignore[index,union-attr]
    for record in records[30:]:  # the copies keep the story they share
        assert all(line in str(record["text"]) for line in SYNDICATED)
    table = SiteRepeats.from_file(tmp_path / "out" / "corpus.learned.jsonl")
    assert [s.sample for s in table.for_site("kabar-contoh.id")] == [PROMO]


def test_one_worker_or_two_give_the_same_bytes(tmp_path: Path) -> None:
    source = str(corpus(tmp_path))
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    clean_to_stream([source], CleanerConfig(), one, workers=1)
    clean_to_stream([source], CleanerConfig(), two, workers=2)
    assert one.read_bytes() == two.read_bytes()
    assert (tmp_path / "one.learned.jsonl").read_bytes() == (
        tmp_path / "two.learned.jsonl"
    ).read_bytes()


def test_learning_can_be_turned_off_or_given(tmp_path: Path) -> None:
    source = str(corpus(tmp_path))
    plain = tmp_path / "plain.jsonl"
    off = CleanerConfig(learn=LearnConfig(enabled=False))
    clean_to_stream([source], off, plain)
    assert all(PROMO in str(r["text"]) for r in articles(plain))
    assert not (tmp_path / "plain.learned.jsonl").exists()
    learned = tmp_path / "first.jsonl"
    clean_to_stream([source], CleanerConfig(), learned)
    again = tmp_path / "again.jsonl"
    given = CleanerConfig(learned=tmp_path / "first.learned.jsonl")
    clean_to_stream([source], given, again)
    assert again.read_bytes() == learned.read_bytes()


def test_too_few_documents_of_a_site_teach_nothing(tmp_path: Path) -> None:
    source = str(corpus(tmp_path))
    out = tmp_path / "few.jsonl"
    config = CleanerConfig(learn=LearnConfig(min_site_docs=100))
    clean_to_stream([source], config, out)
    assert all(PROMO in str(r["text"]) for r in articles(out))


def test_sharded_and_dask_runs_learn_the_same_and_give_the_same_parts(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    source = corpus(tmp_path)
    for name in ("a", "b"):  # two files, two shards: the table spans both
        (tmp_path / "in").mkdir(exist_ok=True)
        lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
        half = lines[:18] if name == "a" else lines[18:]
        (tmp_path / "in" / f"{name}.jsonl").write_text("".join(half), encoding="utf-8")
    inputs = [str(tmp_path / "in")]
    local, dask = tmp_path / "local", tmp_path / "dask"
    clean_to_directory(inputs, CleanerConfig(), local, workers=2, shard_bytes=1)
    clean_to_directory(inputs, CleanerConfig(), dask, workers=2, shard_bytes=1, engine="dask")
    assert (local / "learned.jsonl").read_bytes() == (dask / "learned.jsonl").read_bytes()
    parts = sorted(p.name for p in local.glob("part-*.jsonl.gz"))
    assert len(parts) == 4  # articles and rejects of two shards
    for name in parts:
        assert (local / name).read_bytes() == (dask / name).read_bytes(), name
    texts = [r["text"] for p in sorted(local.glob("part-*[0-9].jsonl.gz")) for r in articles(p)]
    assert len(texts) == 35 and all(PROMO not in str(t) for t in texts)
    assert not list(dask.glob(".learn-*"))  # the workers' counts are cleared away


def test_the_command_line_says_what_it_learned(tmp_path: Path) -> None:
    source = str(corpus(tmp_path))
    result = runner.invoke(app, ["clean", source, "-o", str(tmp_path / "o.jsonl")])
    assert result.exit_code == 0, result.stderr
    assert "learned: 1 repeated line on 1 site, kept in" in result.stderr
    off = runner.invoke(app, ["clean", source, "-o", str(tmp_path / "n.jsonl"), "--no-learn"])
    assert "learned:" not in off.stderr
    missing = runner.invoke(app, ["clean", source, "--learned", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_rules_learn_proposes_a_file_that_passes_rules_check(tmp_path: Path) -> None:
    source = str(corpus(tmp_path))
    proposed = tmp_path / "proposed"
    made = runner.invoke(
        app, ["rules", "learn", source, "--site", "kabar-contoh.id", "--dir", str(proposed)]
    )
    assert made.exit_code == 0, made.stderr
    text = (proposed / "kabar-contoh-id.yaml").read_text(encoding="utf-8")
    # the four later copies of the syndicated story are no new evidence
    assert "REVIEW: seen in 31 of 35 documents of kabar-contoh.id" in text
    checked = runner.invoke(app, ["rules", "check", str(proposed)])
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    cleaned = runner.invoke(app, ["clean", source, "--rules", str(proposed), "--no-learn"])
    assert cleaned.exit_code == 0 and PROMO not in cleaned.stdout
    nothing = runner.invoke(
        app, ["rules", "learn", source, "--site", "x.id", "--dir", str(proposed)]
    )
    assert nothing.exit_code == 2 and "nothing learned for 'x.id'" in nothing.stderr


def test_the_learning_pass_gives_its_memory_back_before_cleaning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After learning, the freed heap goes back to the system (glibc's malloc_trim)
    before the cleaning pass forks its workers from this process."""
    import cleaner.engines.local as local
    import cleaner.engines.run as run

    calls: list[str] = []

    class Libc:
        def malloc_trim(self, pad: int) -> int:
            calls.append(f"trim {pad}")
            return 1

    monkeypatch.setattr(local.ctypes, "CDLL", lambda name: Libc())
    real = run._clean_to_stream

    def cleaning(*args: object, **kwargs: object) -> object:
        calls.append("clean")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run, "_clean_to_stream", cleaning)
    out = tmp_path / "out" / "corpus.jsonl"
    clean_to_stream([str(corpus(tmp_path))], CleanerConfig(), out, workers=1)
    assert calls == ["trim 0", "clean"]


def test_a_text_the_learning_pass_repaired_is_not_repaired_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The learning pass keeps the texts normalizing changed (repairing them is what
    costs); the cleaning pass takes them instead of normalizing again, and writes the
    same records as a run that keeps none."""
    from cleaner import pipeline

    source = corpus(tmp_path)
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    for record in records[:10]:  # mojibake, as a page read in the wrong code page leaves it
        record["text"] = "Di CafÃ© â€“ " + record["text"]
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    calls: Counter[str] = Counter()
    real = pipeline.normalize
    monkeypatch.setattr(
        pipeline, "normalize", lambda text, *a: calls.update([text]) or real(text, *a)
    )
    out, parts = {}, {}
    for carry_mb in (32, 0):
        config = CleanerConfig(learn=LearnConfig(carry_mb=carry_mb))
        out[carry_mb], parts[carry_mb] = tmp_path / f"{carry_mb}.jsonl", tmp_path / f"{carry_mb}"
        for run in (
            partial(clean_to_stream, [str(source)], config, out[carry_mb], workers=1),
            partial(clean_to_directory, [str(source)], config, parts[carry_mb], workers=1),
        ):
            calls.clear()
            run()
            repaired = [n for text, n in calls.items() if "CafÃ©" in text]
            plain = [n for text, n in calls.items() if "CafÃ©" not in text]
            assert len(repaired) == 10 and len(plain) == 25
            assert set(repaired) == ({1} if carry_mb else {2}) and set(plain) == {2}
    assert out[32].read_bytes() == out[0].read_bytes()
    for part in parts[0].glob("part-*"):  # the parts, and markers naming the same settings
        assert (parts[32] / part.name).read_bytes() == part.read_bytes()
    two = tmp_path / "two.jsonl"  # forked workers take the kept texts too
    clean_to_stream([str(source)], CleanerConfig(), two, workers=2)
    assert two.read_bytes() == out[0].read_bytes()
    assert sum("Di Café – " in str(r["text"]) for r in articles(out[32])) == 10
