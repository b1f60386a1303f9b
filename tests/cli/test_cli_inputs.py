"""The ``cleaner clean`` command over every input format, compressed output and odd bytes."""

from __future__ import annotations

import gzip
import io
import json
import struct
import time
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.cli.app import app

runner = CliRunner()

ARTICLE = (
    "BANDUNG - Hujan deras sejak sore membuat beberapa ruas jalan di pusat kota tergenang.\n"
    "Baca juga: Banjir Kembali Rendam Jalan Protokol\n"
    "Petugas dinas pekerjaan umum dikerahkan untuk membersihkan saluran air yang tersumbat.\n"
)
PAGE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>Pasar Murah Digelar di Alun-alun - Kabar Contoh</title>
<meta property="og:site_name" content="Kabar Contoh">
</head><body>
<nav><a href="/">Beranda</a> <a href="/ekonomi">Ekonomi</a></nav>
<article><h1>Pasar Murah Digelar di Alun-alun</h1>
<p>GARUT - Pemerintah kabupaten menggelar pasar murah di alun-alun kota selama tiga hari
untuk menekan harga bahan pokok menjelang hari raya.</p>
<p>Baca juga: Harga Telur Ayam Naik Dua Ribu Rupiah</p>
<p>Warga dapat membeli beras, minyak goreng dan gula dengan harga di bawah pasaran dengan
menunjukkan kartu tanda penduduk setempat.</p>
</article></body></html>
"""
QUOTED = (
    "“Kami siap menyambut siswa,” kata Kepala Dinas Pendidikan di Bandung, Senin. "
    "Sekolah–sekolah di daerah itu mulai dibuka kembali pekan depan."
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def records(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def jsonl(*items: object) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in items)


def build_warc(path: Path) -> None:
    """warcinfo, request, an HTML response, an image response."""
    html_headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
    )
    png_headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        w = WARCWriter(out, gzip=True)
        for record in [
            w.create_warcinfo_record(path.name, {"software": "uji-perayap/1.0"}),
            w.create_warc_record(
                "https://www.tribunnews.com/ekonomi/pasar-murah",
                "request",
                payload=io.BytesIO(b"GET /ekonomi/pasar-murah HTTP/1.1\r\n\r\n"),
            ),
            w.create_warc_record(
                "https://www.tribunnews.com/ekonomi/pasar-murah",
                "response",
                payload=io.BytesIO(PAGE.encode()),
                http_headers=html_headers,
            ),
            w.create_warc_record(
                "https://www.tribunnews.com/logo.png",
                "response",
                payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(32)),
                http_headers=png_headers,
            ),
        ]:
            w.write_record(record)


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    """A folder with every input format; 9 units and 5 things that are not units."""
    root = tmp_path / "masukan"
    write(root / "a.txt", ARTICLE)
    write(root / "b.html", PAGE)
    write(
        root / "c.jsonl.gz",
        gzip.compress(
            jsonl(
                {"text": ARTICLE, "id": "c-1", "sumber": "uji"},
                {"html": PAGE, "url": "https://www.kabarcontoh.id/ekonomi/1"},
                {"text": QUOTED},
            )
            + b"\n"  # a blank line: skipped
            + b"{rusak\n"  # invalid_json
            + b'{"judul": "tanpa teks"}\n'  # missing_text
        ),
    )
    build_warc(root / "d" / "arsip.warc.gz")
    write(root / "e.csv", "kolom,lain\n")  # no reader: skipped
    write(root / "kosong.txt", "")  # empty_input
    return root


# --- every unit accounted for ---------------------------------------------------------------


def test_mixed_folder_every_unit_is_an_article_or_a_reject(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "keluar" / "korpus.jsonl"
    result = runner.invoke(app, ["clean", str(mixed), "-o", str(out), "--summary"])
    assert result.exit_code == 0, result.stderr
    articles = records(out.read_text(encoding="utf-8"))
    rejects = records((tmp_path / "keluar" / "korpus.rejects.jsonl").read_text(encoding="utf-8"))
    root = mixed.as_posix()
    assert sorted(str(r["source"]) for r in articles) == [
        f"{root}/a.txt",
        f"{root}/b.html",
        f"{root}/c.jsonl.gz:1",
        f"{root}/c.jsonl.gz:2",
        f"{root}/c.jsonl.gz:3",
        f"{root}/d/arsip.warc.gz:3",
    ]
    assert sorted((str(r["source"]), r["reason"]) for r in rejects) == [
        (f"{root}/c.jsonl.gz:5", "invalid_json"),
        (f"{root}/c.jsonl.gz:6", "missing_text"),
        (f"{root}/kosong.txt", "empty_input"),
    ]
    assert len(articles) + len(rejects) == 9
    err = result.stderr
    assert err.startswith("6 articles, 3 rejected")
    assert "; 5 skipped" in err.splitlines()[0]
    assert "skipped (not input units)" in err
    section = err.split("skipped (not input units)", 1)[1]
    for what in [
        "blank JSONL line",
        "WARC warcinfo record",
        "WARC request record",
        "WARC response, image/png",
        "file with no reader (.csv)",
    ]:
        assert what in section


def test_mixed_folder_articles_carry_their_input_kind_and_metadata(mixed: Path) -> None:
    result = runner.invoke(app, ["clean", str(mixed)])
    by_source = {Path(str(r["source"])).name: r for r in records(result.stdout)}
    assert by_source["a.txt"]["cleaning"]["input_kind"] == "text"  # type: ignore[index]
    assert by_source["b.html"]["cleaning"]["input_kind"] == "html"  # type: ignore[index]
    assert by_source["b.html"]["site_name"] == "Kabar Contoh"
    assert "Baca juga" not in str(by_source["b.html"]["text"])
    first = by_source["c.jsonl.gz:1"]
    assert first["id"] == "c-1"
    assert first["extra"] == {"sumber": "uji"}
    assert by_source["c.jsonl.gz:2"]["url"] == "https://www.kabarcontoh.id/ekonomi/1"
    assert by_source["c.jsonl.gz:3"]["text"] == QUOTED
    warc = by_source["arsip.warc.gz:3"]
    assert warc["url"] == "https://www.tribunnews.com/ekonomi/pasar-murah"
    assert warc["outlet"] == "tribunnews"
    assert warc["cleaning"]["input_kind"] == "html"  # type: ignore[index]
    assert set(warc["extra"]) == {"warc_record_id", "warc_date"}  # type: ignore[arg-type]


def test_format_jsonl_forces_a_txt_file_to_be_read_as_json_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "rekaman.txt", jsonl({"text": ARTICLE}, {"text": QUOTED}))
    plain = runner.invoke(app, ["clean", str(path)])
    (whole,) = records(plain.stdout)
    assert whole["source"] == path.as_posix()
    assert '"text"' in str(whole["text"])  # read as text, the JSON shows
    forced = runner.invoke(app, ["clean", str(path), "--format", "jsonl"])
    assert forced.exit_code == 0
    out = records(forced.stdout)
    assert [r["source"] for r in out] == [f"{path.as_posix()}:1", f"{path.as_posix()}:2"]
    assert out[1]["text"] == QUOTED


# --- exit codes, output files, size bound ---------------------------------------------------


def test_fail_on_reject_exit_code(tmp_path: Path) -> None:
    good = write(tmp_path / "baik" / "a.txt", ARTICLE)
    bad = write(tmp_path / "buruk" / "kosong.txt", "")
    with_reject = runner.invoke(app, ["clean", str(good), str(bad), "--fail-on-reject"])
    assert with_reject.exit_code == 1
    assert len(records(with_reject.stdout)) == 1  # the article is still written
    without = runner.invoke(app, ["clean", str(good), "--fail-on-reject"])
    assert without.exit_code == 0
    plain = runner.invoke(app, ["clean", str(good), str(bad)])
    assert plain.exit_code == 0


def test_gz_output_and_rejects_beside_it_are_gzip(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", ARTICLE)
    write(tmp_path / "in" / "kosong.txt", "")
    out = tmp_path / "out.jsonl.gz"
    result = runner.invoke(app, ["clean", str(tmp_path / "in"), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    raw = out.read_bytes()
    assert raw[:2] == b"\x1f\x8b"
    (article,) = records(gzip.decompress(raw).decode("utf-8"))
    assert article["dateline"] == "BANDUNG"
    rejects_path = tmp_path / "out.rejects.jsonl.gz"
    assert rejects_path.read_bytes()[:2] == b"\x1f\x8b"
    (reject,) = records(gzip.decompress(rejects_path.read_bytes()).decode("utf-8"))
    assert reject["reason"] == "empty_input"


def test_max_bytes_rejects_larger_units_as_too_large(tmp_path: Path) -> None:
    small = write(tmp_path / "in" / "a.txt", ARTICLE)
    big = write(tmp_path / "in" / "b.txt", ARTICLE * 10)
    lines = write(tmp_path / "in" / "c.jsonl", jsonl({"text": ARTICLE}, {"text": ARTICLE * 10}))
    limit = len(ARTICLE.encode()) + 100
    result = runner.invoke(
        app,
        [
            "clean",
            str(tmp_path / "in"),
            "--max-bytes",
            str(limit),
            "--rejects",
            str(tmp_path / "r.jsonl"),
        ],
    )
    assert result.exit_code == 0
    assert sorted(str(r["source"]) for r in records(result.stdout)) == [
        small.as_posix(),
        f"{lines.as_posix()}:1",
    ]
    rejects = records((tmp_path / "r.jsonl").read_text(encoding="utf-8"))
    assert sorted((str(r["source"]), r["reason"]) for r in rejects) == [
        (big.as_posix(), "too_large"),
        (f"{lines.as_posix()}:2", "too_large"),
    ]


def test_max_bytes_must_be_positive(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", ARTICLE)
    result = runner.invoke(app, ["clean", str(path), "--max-bytes", "0"])
    assert result.exit_code == 2


def test_five_megabyte_single_line_text_becomes_an_article(tmp_path: Path) -> None:
    sentence = "Warga kota mengeluhkan antrean panjang di stasiun pengisian bahan bakar. "
    line = (sentence * (5_000_000 // len(sentence) + 1)).strip()
    path = write(tmp_path / "panjang.txt", line + "\n")
    started = time.perf_counter()
    result = runner.invoke(app, ["clean", str(path)])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.stderr
    (article,) = records(result.stdout)
    assert article["text"] == line  # over 400 characters: no generic rule touches it
    assert article["word_count"] == len(line.split())
    assert elapsed < 15


# --- bytes that are not clean UTF-8 ---------------------------------------------------------


def test_binary_file_with_nul_bytes_is_undecodable(tmp_path: Path) -> None:
    path = write(tmp_path / "biner.txt", b"\x00\x01\x02\xff\xfe\x00\x89PNG" * 50)
    result = runner.invoke(app, ["clean", str(path)])
    assert result.stdout == ""
    assert f"rejected: {path.as_posix()}: undecodable:" in result.stderr


def test_binary_file_with_nul_bytes_that_is_valid_utf8_is_undecodable(tmp_path: Path) -> None:
    # A table of little-endian integers: NUL and control bytes everywhere, no byte over
    # 0x7F, so it happens to be valid UTF-8. It is still binary, not an article.
    data = b"".join(struct.pack("<I", n) for n in range(32, 127)) * 4
    path = write(tmp_path / "tabel.txt", data)
    result = runner.invoke(app, ["clean", str(path)])
    assert result.stdout == ""
    assert f"rejected: {path.as_posix()}: undecodable:" in result.stderr


@pytest.mark.parametrize(
    ("name", "data", "encoding"),
    [
        ("utf16.txt", QUOTED.encode("utf-16"), "utf-16-le"),
        ("utf16be.txt", b"\xfe\xff" + QUOTED.encode("utf-16-be"), "utf-16-be"),
        ("cp1252.txt", QUOTED.encode("cp1252"), "cp1252"),
        # UTF-8 read as Windows-1252 and saved as UTF-8 again: "â€œKami siap…"
        ("ganda.txt", QUOTED.encode().decode("sloppy-windows-1252").encode(), "utf-8"),
    ],
)
def test_text_in_other_encodings_comes_out_correct(
    tmp_path: Path, name: str, data: bytes, encoding: str
) -> None:
    assert QUOTED.encode() not in data
    path = write(tmp_path / name, data)
    result = runner.invoke(app, ["clean", str(path)])
    assert result.exit_code == 0, result.stderr
    (article,) = records(result.stdout)
    assert article["text"] == QUOTED
    assert article["cleaning"]["encoding"] == encoding  # type: ignore[index]


def test_standard_input_gzip_jsonl(tmp_path: Path) -> None:
    data = gzip.compress(jsonl({"text": ARTICLE, "id": "s-1"}, {"text": QUOTED}))
    result = runner.invoke(app, ["clean", "-"], input=data)
    assert result.exit_code == 0, result.stderr
    out = records(result.stdout)
    assert [r["source"] for r in out] == ["<stdin>:1", "<stdin>:2"]
    assert out[0]["id"] == "s-1"


# --- a JSONL record's own fields, and where they are ----------------------------------------


def test_a_jsonl_records_title_date_and_authors_reach_the_record(tmp_path: Path) -> None:
    path = write(
        tmp_path / "berita.jsonl",
        jsonl(
            {
                "text": ARTICLE,
                "title": "Hujan Deras Rendam Jalan",
                "date": "2020-10-31T19:02:00+09:00",
                "authors": ["Rina Kusuma"],
            },
            {"text": QUOTED, "id": "d-2", "metadata": {"url": "https://a.id/2", "dump": "x"}},
        ),
    )
    result = runner.invoke(app, ["clean", str(path), "--no-learn"])
    assert result.exit_code == 0, result.stderr
    first, second = records(result.stdout)
    assert first["title"] == "Hujan Deras Rendam Jalan"
    assert first["published_at"] == "2020-10-31T19:02:00+09:00"
    assert first["authors"] == ["Rina Kusuma"]
    assert first["extra"] is None
    assert first["cleaning"]["field_sources"] == {  # type: ignore[index]
        "authors": "input",
        "dateline": "generic rules",
        "published_at": "input",
        "title": "input",
    }
    assert second["url"] == "https://a.id/2"
    assert second["extra"] == {"metadata": {"dump": "x"}}


def test_key_options_map_a_records_own_names(tmp_path: Path) -> None:
    path = write(
        tmp_path / "lain.jsonl",
        jsonl({"isi": ARTICLE, "judul": "Judul Sendiri", "meta": {"terbit": "31/10/2020"}}),
    )
    options = ["--key", "text=isi", "--key", "title=judul", "--key", "published_at=meta.terbit"]
    result = runner.invoke(app, ["clean", str(path), "--no-learn", *options])
    assert result.exit_code == 0, result.stderr
    (article,) = records(result.stdout)
    assert article["title"] == "Judul Sendiri"
    assert article["published_at"] == "2020-10-31T00:00:00+07:00"
    assert article["extra"] is None


@pytest.mark.parametrize(
    ("option", "said"),
    [
        ("judul=headline", "--key judul=headline: give FIELD=PATH, FIELD one of text, html,"),
        ("title", "--key title: give FIELD=PATH"),
        ("title=a..b", "--key title: 'a..b' is not a key or a dotted path"),
    ],
)
def test_a_bad_key_option_is_a_one_line_usage_error(tmp_path: Path, option: str, said: str) -> None:
    path = write(tmp_path / "a.jsonl", jsonl({"text": ARTICLE}))
    result = runner.invoke(app, ["clean", str(path), "--key", option])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"cleaner: error: {said}")


# --- ids: one per input unit, the same on every run -----------------------------------------


def _ids(args: list[str], out: Path, sharded: bool = False) -> list[str]:
    """The ids of a run's articles, in output order (with ``sharded``: ``-o DIR/``)."""
    target = f"{out}/" if sharded else str(out)
    result = runner.invoke(app, ["clean", *args, "-q", "--no-learn", "-o", target])
    assert result.exit_code == 0, result.stderr
    if sharded:
        parts = sorted(out.glob("part-*[0-9].jsonl.gz"))
        assert len(parts) > 1
        text = b"".join(gzip.decompress(part.read_bytes()) for part in parts).decode()
    else:
        text = out.read_text(encoding="utf-8")
    return [str(r["id"]) for r in records(text)]


def test_ids_are_unique_per_unit_and_the_same_for_any_engine(tmp_path: Path) -> None:
    lines = jsonl({"text": ARTICLE}, {"text": ARTICLE}, {"text": QUOTED, "id": "q-1"})
    for place in ("satu", "dua"):  # two copies of every file, at two paths
        write(tmp_path / "masukan" / place / "berita.txt", ARTICLE)
        write(tmp_path / "masukan" / place / "baris.jsonl", lines)
    inputs = [str(tmp_path / "masukan")]
    one = _ids([*inputs, "--workers", "1"], tmp_path / "satu.jsonl")
    assert len(one) == 8
    made = [i for i in one if i != "q-1"]  # q-1 is the input's own, given twice
    assert len(set(made)) == len(made) == 6
    assert _ids([*inputs, "--workers", "1"], tmp_path / "lagi.jsonl") == one
    assert _ids([*inputs, "--workers", "2"], tmp_path / "dua.jsonl") == one
    shards = [*inputs, "--workers", "2", "--shard-mb", "0.001"]
    assert _ids(shards, tmp_path / "bagian", sharded=True) == one
