"""Duplicates and syndicated stories across a corpus (cleaner/dedup.py, cleaner dedup)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from cleaner.cli.app import app
from cleaner.corpus.dedup import DedupConfig, dedup, signature, similarity
from tests.conftest import FIXTURES

runner = CliRunner()

SEEDS = sorted(FIXTURES.glob("*/00[0-4]_*.txt"))

# Our own story, ten sentences, and its versions.
STORY = [
    "Pemerintah kota mulai memperbaiki jalan yang rusak di sekitar pasar induk pada Senin pagi.",
    "Kepala dinas pekerjaan umum mengatakan perbaikan ditargetkan selesai sebelum musim hujan.",
    "Anggaran sebesar dua belas miliar rupiah sudah disetujui dewan pada awal bulan ini.",
    "Selama pekerjaan berlangsung, kendaraan berat dialihkan ke jalur lingkar selatan kota.",
    "Para pedagang berharap perbaikan tidak mengganggu pembeli yang datang setiap pagi.",
    "Seorang pedagang sayur mengaku omzetnya turun sejak jalan berlubang dua tahun lalu.",
    "Dinas perhubungan menempatkan petugas di setiap simpang untuk mengatur arus lalu lintas.",
    "Warga diminta melapor lewat aplikasi pengaduan bila menemukan kerusakan baru.",
    "Wali kota berjanji memeriksa langsung mutu pekerjaan setelah proyek rampung nanti.",
    "Tahun depan, perbaikan akan dilanjutkan ke ruas jalan menuju terminal dan stasiun.",
]
REWRITE = [
    *STORY[:5],
    "Menurut mereka, jalan yang berlubang membuat pengunjung enggan datang ke pasar.",
    "Petugas perhubungan disiagakan di persimpangan untuk mengurai kemacetan.",
    "Pemerintah juga membuka saluran pengaduan bagi warga yang melihat kerusakan lain.",
    "Wali kota menegaskan akan mengawasi sendiri kualitas hasil pekerjaan.",
    "Ruas menuju terminal dan stasiun dijadwalkan diperbaiki tahun berikutnya.",
]
OTHER = [
    "Tim sepak bola daerah itu memenangi laga tandang dengan skor tipis dua lawan satu.",
    "Gol kemenangan dicetak pemain muda pada menit terakhir babak kedua pertandingan.",
    "Pelatih memuji semangat anak asuhnya yang bermain dengan sepuluh orang sejak babak pertama.",
    "Kemenangan ini membawa tim naik ke peringkat ketiga klasemen sementara liga.",
    "Pekan depan mereka akan menjamu pemimpin klasemen di stadion kebanggaan kota.",
    "Panitia pertandingan memperkirakan seluruh tiket akan terjual habis dalam dua hari.",
]

FLOOD = [
    "Banjir setinggi lutut orang dewasa merendam tiga desa di tepi sungai sejak Selasa malam.",
    "Petugas penanggulangan bencana mengevakuasi warga lanjut usia dengan perahu karet.",
    "Dapur umum didirikan di halaman balai desa untuk menyiapkan makanan bagi pengungsi.",
    "Sebagian warga memilih bertahan di lantai dua rumah mereka sambil menjaga harta benda.",
    "Hujan deras diperkirakan masih turun hingga akhir pekan menurut badan meteorologi.",
]
AFTERMATH = [
    "Sekolah di kecamatan itu diliburkan karena ruang kelas tergenang air berlumpur.",
    "Puskesmas keliling mulai memeriksa warga yang mengeluh gatal dan demam.",
    "Relawan mahasiswa mengumpulkan pakaian layak pakai dari kampus-kampus di kota.",
    "Jembatan gantung penghubung dua dusun dilaporkan putus tersapu arus deras.",
    "Bupati meminta warga tetap waspada karena tanggul di hulu belum selesai diperbaiki.",
]


def article(id: str, lines: list[str], published: str | None = None) -> dict[str, Any]:
    return {"id": id, "text": "\n".join(lines), "published_at": published, "outlet": "x"}


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(data.encode()))
    else:
        path.write_text(data, encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def corpus(tmp_path: Path, name: str = "in.jsonl") -> Path:
    near = [*STORY[:9], STORY[9].replace("dan stasiun", "serta stasiun")]
    return write_jsonl(
        tmp_path / name,
        [
            article("copy", near, "2024-03-04T10:00:00+07:00"),
            article("original", STORY, "2024-03-04T08:00:00+07:00"),
            article("undated-copy", STORY),
            article("rewrite", REWRITE, "2024-03-04T09:00:00+07:00"),
            article("other", OTHER, "2024-03-01T08:00:00+07:00"),
        ],
    )


def test_the_similarities_are_what_the_two_levels_are_built_for() -> None:
    config = DedupConfig()

    def sim(a: list[str], b: list[str]) -> float:
        return similarity(signature("\n".join(a), config)[1], signature("\n".join(b), config)[1])

    near = [*STORY[:9], STORY[9].replace("dan stasiun", "serta stasiun")]
    assert sim(STORY, near) >= 0.8
    assert 0.15 <= sim(STORY, REWRITE) < 0.8
    assert sim(STORY, OTHER) < 0.05


def test_duplicates_point_to_the_earliest_published_and_stories_share_a_cluster(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.jsonl"
    stats = dedup(corpus(tmp_path), out, DedupConfig())
    marks = {r["id"]: (r["duplicate_of"], r["cluster_id"]) for r in read_jsonl(out)}
    assert marks == {
        "copy": ("original", "original"),
        "original": (None, "original"),
        "undated-copy": ("original", "original"),
        "rewrite": (None, "original"),
        "other": (None, "other"),
    }
    assert (stats.records, stats.duplicates, stats.duplicate_clusters, stats.stories) == (
        5,
        2,
        1,
        1,
    )


def test_drop_duplicates_keeps_one_article_per_duplicate_cluster(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["dedup", str(corpus(tmp_path, "in.jsonl.gz")), "-o", str(out), "--drop-duplicates"]
    )
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in read_jsonl(out)] == ["original", "rewrite", "other"]
    assert result.stderr.strip() == (
        "5 articles: 2 duplicates in 1 cluster, 1 story told by more than one; 3 written"
    )


def test_a_story_does_not_chain_through_its_members(tmp_path: Path) -> None:
    """B shares half its text with A, and C half with B, but C nothing with A: C is not
    A's story, though B is (union-find over all similar pairs would join all three)."""
    config = DedupConfig()
    a, b, c = STORY, [*STORY[5:], *FLOOD], [*FLOOD, *AFTERMATH]

    def sim(x: list[str], y: list[str]) -> float:
        return similarity(signature("\n".join(x), config)[1], signature("\n".join(y), config)[1])

    assert sim(a, b) >= 0.15 and sim(b, c) >= 0.15 and sim(a, c) < 0.05
    records = [
        article("c", c, "2024-03-06T08:00:00+07:00"),
        article("a", a, "2024-03-04T08:00:00+07:00"),
        article("b", b, "2024-03-05T08:00:00+07:00"),
    ]
    out = tmp_path / "out.jsonl"
    stats = dedup(write_jsonl(tmp_path / "in.jsonl", records), out, config)
    assert {r["id"]: r["cluster_id"] for r in read_jsonl(out)} == {"a": "a", "b": "a", "c": "c"}
    assert stats.stories == 1


def test_a_story_joins_its_most_similar_leader(tmp_path: Path) -> None:
    """Two stories led by A and C; D is like both, and more like C."""
    config = DedupConfig()
    c, d = [*FLOOD, *AFTERMATH], [*STORY[5:], *FLOOD, *AFTERMATH[:4]]

    def sim(x: list[str], y: list[str]) -> float:
        return similarity(signature("\n".join(x), config)[1], signature("\n".join(y), config)[1])

    assert 0.15 <= sim(d, STORY) < sim(d, c) and sim(STORY, c) < 0.05
    records = [
        article("a", STORY, "2024-03-04T08:00:00+07:00"),
        article("c", c, "2024-03-05T08:00:00+07:00"),
        article("d", d, "2024-03-06T08:00:00+07:00"),
    ]
    out = tmp_path / "out.jsonl"
    dedup(write_jsonl(tmp_path / "in.jsonl", records), out, config)
    assert {r["id"]: r["cluster_id"] for r in read_jsonl(out)} == {"a": "a", "c": "c", "d": "c"}


def test_without_dates_the_first_in_the_input_is_kept(tmp_path: Path) -> None:
    records = [article("b", STORY), article("a", STORY)]
    out = tmp_path / "out.jsonl"
    dedup(write_jsonl(tmp_path / "in.jsonl", records), out, DedupConfig())
    assert [(r["id"], r["duplicate_of"]) for r in read_jsonl(out)] == [("b", None), ("a", "b")]


def test_the_tribunnews_and_sindonews_seeds_are_one_story_and_no_other_seed_joins_them(
    tmp_path: Path,
) -> None:
    assert len(SEEDS) == 5
    cleaned = tmp_path / "seeds.jsonl"
    result = runner.invoke(app, ["clean", *map(str, SEEDS), "-o", str(cleaned)])
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "out.jsonl"
    dedup(cleaned, out, DedupConfig())
    records = read_jsonl(out)
    clusters = {r["outlet"]: r["cluster_id"] for r in records}
    assert clusters["tribunnews"] == clusters["sindonews"]
    assert len(set(clusters.values())) == 4
    assert all(r["duplicate_of"] is None for r in records)


def test_an_input_that_is_not_articles_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\nnot json\n', encoding="utf-8")
    result = runner.invoke(app, ["dedup", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("bad.jsonl:2: not a JSON line")
    missing = runner.invoke(app, ["dedup", str(tmp_path / "nothing.jsonl")])
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr


def test_clean_with_dedup_marks_the_output_it_wrote(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in/a.txt").write_text("\n".join(STORY), encoding="utf-8")
    (tmp_path / "in/b.txt").write_text("\n".join(STORY), encoding="utf-8")
    (tmp_path / "in/c.txt").write_text("\n".join(OTHER), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["clean", str(tmp_path / "in"), "-o", str(out), "--dedup"])
    assert result.exit_code == 0, result.stderr
    records = read_jsonl(out)
    assert [r["duplicate_of"] for r in records] == [None, records[0]["id"], None]
    said = result.stderr.splitlines()
    assert said[-1].startswith("3 articles: 1 duplicate in 1 cluster")
    # a.txt and b.txt are the same bytes at two paths: two ids, nothing renamed (issue 17)
    assert not any("repeat an earlier id" in line for line in said)
    assert records[1]["id"] != records[0]["id"] and "#" not in records[1]["id"]
    to_stdout = runner.invoke(app, ["clean", str(tmp_path / "in"), "--dedup"])
    assert to_stdout.exit_code == 2
    assert "give -o a file" in to_stdout.stderr


def test_any_number_of_workers_writes_the_same_output(tmp_path: Path) -> None:
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [article(f"s{i}", STORY[i % 3 :] + OTHER[: i % 4]) for i in range(150)],
    )
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    dedup(source, one, DedupConfig(), workers=1)
    dedup(source, two, DedupConfig(), workers=2)
    assert one.read_bytes() == two.read_bytes()
    assert sum(r["duplicate_of"] is not None for r in read_jsonl(one)) > 100


def test_a_sharded_run_is_deduplicated_whole_into_one_file(tmp_path: Path) -> None:
    inputs = [str(p) for p in SEEDS]
    single, shards = tmp_path / "single.jsonl", tmp_path / "shards"
    for target in (str(single), f"{shards}/"):
        result = runner.invoke(
            app, ["clean", *inputs, "-o", target, "--quiet", "--shard-mb", "0.001"]
        )
        assert result.exit_code == 0, result.stderr
    assert len(list(shards.glob("part-*.done"))) == 5
    from_file, from_shards = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    dedup(single, from_file, DedupConfig())
    result = runner.invoke(app, ["dedup", f"{shards}/", "-o", str(from_shards)])
    assert result.exit_code == 0, result.stderr
    assert read_jsonl(from_shards) == read_jsonl(from_file)
    assert len({r["cluster_id"] for r in read_jsonl(from_shards)}) == 4


def test_an_unfinished_sharded_run_is_refused_rather_than_read_in_part(tmp_path: Path) -> None:
    shards = tmp_path / "shards"
    result = runner.invoke(
        app, ["clean", *map(str, SEEDS), "-o", f"{shards}/", "--quiet", "--shard-mb", "0.001"]
    )
    assert result.exit_code == 0, result.stderr
    (shards / "part-00002.done").unlink()
    refused = runner.invoke(app, ["dedup", f"{shards}/", "-o", str(tmp_path / "out.jsonl")])
    assert refused.exit_code == 2
    assert refused.stderr.strip().endswith(
        "part-00002 has no completion marker (part-00002.done): the run did not finish; "
        "run the same clean again with --resume"
    )
    assert not (tmp_path / "out.jsonl").exists()


def test_the_scheduler_goes_with_the_dask_engine(tmp_path: Path) -> None:
    result = runner.invoke(app, ["dedup", str(corpus(tmp_path)), "--scheduler", "tcp://x:8786"])
    assert result.exit_code == 2
    assert "--scheduler goes with --engine dask" in result.stderr


def test_the_dask_engine_computes_the_same_marks(tmp_path: Path) -> None:
    source = corpus(tmp_path)
    here, there = tmp_path / "here.jsonl", tmp_path / "there.jsonl"
    dedup(source, here, DedupConfig(), workers=1)
    result = runner.invoke(
        app, ["dedup", str(source), "-o", str(there), "--engine", "dask", "--workers", "2"]
    )
    assert result.exit_code == 0, result.stderr
    assert here.read_bytes() == there.read_bytes()


def test_two_different_texts_under_one_id_are_both_kept_and_the_id_is_reported(
    tmp_path: Path,
) -> None:
    """Articles are their place in the input: the second `x` is another story, named
    x#2 in the output so that cluster_id does not join the two."""
    records = [article("x", STORY), article("x", OTHER), article("y", FLOOD)]
    out = tmp_path / "out.jsonl"
    stats = dedup(write_jsonl(tmp_path / "in.jsonl", records), out, DedupConfig())
    marks = [(r["id"], r["duplicate_of"], r["cluster_id"]) for r in read_jsonl(out)]
    assert marks == [("x", None, "x"), ("x#2", None, "x#2"), ("y", None, "y")]
    assert [r["text"] for r in read_jsonl(out)] == [r["text"] for r in records]
    assert (stats.duplicates, stats.stories, stats.written) == (0, 0, 3)
    assert (stats.repeated_ids, stats.repeated_id_examples) == (1, ["x"])
    result = runner.invoke(app, ["dedup", str(tmp_path / "in.jsonl")])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == (
        "1 article repeats an earlier id (e.g. x): written as ID#N"
    )


def test_an_exact_copy_under_the_same_id_is_a_duplicate_of_the_other_not_of_itself(
    tmp_path: Path,
) -> None:
    records = [article("x", STORY), article("x", OTHER), article("x", STORY)]
    out = tmp_path / "out.jsonl"
    stats = dedup(write_jsonl(tmp_path / "in.jsonl", records), out, DedupConfig())
    written = read_jsonl(out)
    assert [(r["id"], r["duplicate_of"]) for r in written] == [
        ("x", None),
        ("x#2", None),
        ("x#3", "x"),
    ]
    assert all(r["duplicate_of"] != r["id"] for r in written)
    assert (stats.duplicates, stats.repeated_ids) == (1, 2)
    dropped = tmp_path / "dropped.jsonl"
    dedup(write_jsonl(tmp_path / "in.jsonl", records), dropped, DedupConfig(), drop=True)
    assert [r["id"] for r in read_jsonl(dropped)] == ["x", "x#2"]


def test_renamed_ids_never_collide_with_ids_the_input_holds(tmp_path: Path) -> None:
    records = [article("x", STORY), article("x#2", FLOOD), article("x", OTHER)]
    records.append({"text": "\n".join(AFTERMATH)})  # no id at all
    out = tmp_path / "out.jsonl"
    stats = dedup(write_jsonl(tmp_path / "in.jsonl", records), out, DedupConfig())
    written = read_jsonl(out)
    assert [r["id"] for r in written] == ["x", "x#2", "x#3", "#1"]
    assert [r["cluster_id"] for r in written] == ["x", "x#2", "x#3", "#1"]  # four stories
    assert (stats.repeated_ids, stats.missing_ids) == (1, 1)


def test_without_repeated_ids_nothing_is_renamed_or_said(tmp_path: Path) -> None:
    result = runner.invoke(app, ["dedup", str(corpus(tmp_path))])
    assert result.exit_code == 0, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
