"""Stage 1: finding inputs and reading their units (cleaner/read.py)."""

from __future__ import annotations

import errno
import gzip
import io
import json
import sys
import time
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.config import ReadConfig
from cleaner.errors import CleanerError, InputError
from cleaner.io.formats import format_for_name, sniff
from cleaner.io.sources import InputFile, check_inputs, expand_inputs, read_units
from cleaner.models import RawDocument, Reject, Skip

ARTICLE = (
    "SEMARANG - Pemerintah kota menambah armada bus listrik untuk rute pinggiran.\n"
    "Wali kota mengatakan tarif tetap sama selama enam bulan pertama.\n"
)
PAGE = (
    "<!DOCTYPE html><html><head><title>Bus Listrik Baru</title></head>"
    "<body><p>Armada bus listrik mulai melayani rute pinggiran kota.</p></body></html>"
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def jsonl(*records: Any) -> bytes:
    return b"".join(json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in records)


def units(
    *inputs: Path | str, config: ReadConfig | None = None
) -> list[RawDocument | Reject | Skip]:
    return list(read_units([str(i) for i in inputs], config))


class FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BufferedReader(io.BytesIO(data))  # type: ignore[arg-type]


# --- format_for_name ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("berita.txt", "text"),
        ("berita.TEXT", "text"),
        ("halaman.html", "html"),
        ("halaman.htm", "html"),
        ("halaman.XHTML", "html"),
        ("data.jsonl", "jsonl"),
        ("data.ndjson", "jsonl"),
        ("data.json", "jsonl"),
        ("arsip.warc", "warc"),
        ("arsip.warc.gz", "warc"),
        ("data.jsonl.gz", "jsonl"),
        ("data.jsonl.zst", "jsonl"),
        ("berita.txt.gz", "text"),
        ("halaman.html.zst", "html"),
        ("a.b.c.jsonl", "jsonl"),
    ],
)
def test_format_for_name_by_suffix(name: str, fmt: str) -> None:
    assert format_for_name(name) == fmt


@pytest.mark.parametrize(
    "name", ["data.csv", "README", "arsip.gz", "arsip.zst", "foto.png.gz", "berita.txt.bz2"]
)
def test_format_for_name_unknown_is_none(name: str) -> None:
    assert format_for_name(name) is None


# --- sniff ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
        (b'{"text": "Halo"}\n', "jsonl"),
        (b'\n\n  {"text": "Halo"}\n', "jsonl"),
        (b'\xef\xbb\xbf{"text": "Halo"}\n', "jsonl"),
        (b"<!DOCTYPE html><html><body></body></html>", "html"),
        (b"<!doctype HTML>\n<html lang='id'>", "html"),
        (b"<html><head><title>x</title>", "html"),
        (b"\xef\xbb\xbf\r\n  \t<!DOCTYPE html><html>", "html"),
        (b"   \n<div class='isi'><p>Halo</p></div>", "html"),
        (b"<p>Paragraf pertama</p>", "html"),
        (b"JAKARTA - Berita dalam teks biasa.\n", "text"),
        (b"Teks yang menyebut <html> di tengah kalimat", "text"),
        (b"<note>bukan html</note>", "text"),
        (b"", "text"),
    ],
)
def test_sniff(head: bytes, fmt: str) -> None:
    assert sniff(head) == fmt


# --- expand_inputs --------------------------------------------------------------------------


def test_directory_is_walked_recursively_in_sorted_order_skipping_hidden(tmp_path: Path) -> None:
    for name in [
        "z.txt",
        "a/c/d.jsonl",
        "a/b.html",
        "m.txt.gz",
        "README",
        "catatan.csv",
        ".tersembunyi.txt",
        ".git/objek.txt",
        "a/.cache/x.html",
    ]:
        write(tmp_path / name, "isi")
    found = list(expand_inputs([str(tmp_path)], ReadConfig()))
    rel = [(Path(f.source).relative_to(tmp_path).as_posix(), type(f).__name__) for f in found]
    assert rel == [
        ("README", "Skip"),
        ("a/b.html", "InputFile"),
        ("a/c/d.jsonl", "InputFile"),
        ("catatan.csv", "Skip"),
        ("m.txt.gz", "InputFile"),
        ("z.txt", "InputFile"),
    ]
    formats = {Path(f.source).name: f.format for f in found if isinstance(f, InputFile)}
    assert formats == {"b.html": "html", "d.jsonl": "jsonl", "m.txt.gz": "text", "z.txt": "text"}


def test_files_with_no_reader_are_skips_naming_the_suffix(tmp_path: Path) -> None:
    write(tmp_path / "catatan.csv", "a,b")
    write(tmp_path / "LICENSE", "MIT")
    skips = [f for f in expand_inputs([str(tmp_path)], ReadConfig()) if isinstance(f, Skip)]
    by_name = {Path(s.source).name: s.what for s in skips}
    assert ".csv" in by_name["catatan.csv"]
    assert "no suffix" in by_name["LICENSE"]
    assert all("no reader" in what for what in by_name.values())


def test_a_file_named_directly_with_unknown_suffix_is_sniffed_later(tmp_path: Path) -> None:
    path = write(tmp_path / "unduhan.dat", "isi")
    assert list(expand_inputs([str(path)], ReadConfig())) == [
        InputFile(str(path), path.as_posix(), None)
    ]


def test_forced_format_applies_to_named_files_and_directory_contents(tmp_path: Path) -> None:
    write(tmp_path / "d" / "catatan.csv", "isi")
    write(tmp_path / "d" / "berita.txt", "isi")
    named = write(tmp_path / "rekaman.txt", "isi")
    found = list(expand_inputs([str(tmp_path / "d"), str(named)], ReadConfig(format="jsonl")))
    assert all(isinstance(f, InputFile) for f in found)
    assert [(Path(f.source).name, f.format) for f in found] == [  # type: ignore[union-attr]
        ("berita.txt", "jsonl"),
        ("catatan.csv", "jsonl"),
        ("rekaman.txt", "jsonl"),
    ]


def test_standard_input_is_an_input_file_with_the_forced_format() -> None:
    assert list(expand_inputs(["-"], ReadConfig())) == [InputFile("-", "<stdin>", None)]
    assert list(expand_inputs(["-"], ReadConfig(format="html"))) == [
        InputFile("-", "<stdin>", "html")
    ]


def test_missing_path_raises_input_error(tmp_path: Path) -> None:
    write(tmp_path / "ada.txt", "isi")
    inputs = [str(tmp_path / "ada.txt"), str(tmp_path / "tidak-ada.txt")]
    with pytest.raises(InputError, match=r"tidak-ada\.txt"):
        list(expand_inputs(inputs, ReadConfig()))
    with pytest.raises(InputError):
        check_inputs(inputs)
    assert issubclass(InputError, CleanerError)


# --- read_units: text and HTML files --------------------------------------------------------


def test_text_and_html_files_are_one_document_each(tmp_path: Path) -> None:
    text = write(tmp_path / "a.txt", ARTICLE)
    page = write(tmp_path / "b.html", PAGE)
    assert units(text, page) == [
        RawDocument(source=text.as_posix(), data=ARTICLE.encode(), kind="text"),
        RawDocument(source=page.as_posix(), data=PAGE.encode(), kind="html"),
    ]


def test_unknown_suffix_is_sniffed_by_content(tmp_path: Path) -> None:
    page = write(tmp_path / "halaman.dat", "\n  " + PAGE)
    lines = write(tmp_path / "rekaman.dat", jsonl({"text": "Satu"}, {"text": "Dua"}))
    text = write(tmp_path / "catatan.dat", ARTICLE)
    got = units(page, lines, text)
    assert [(u.source, u.kind) for u in got if isinstance(u, RawDocument)] == [
        (page.as_posix(), "html"),
        (f"{lines.as_posix()}:1", "text"),
        (f"{lines.as_posix()}:2", "text"),
        (text.as_posix(), "text"),
    ]


def test_compressed_file_is_decompressed_whatever_its_name(tmp_path: Path) -> None:
    path = write(tmp_path / "berita.txt", gzip.compress(ARTICLE.encode()))
    (doc,) = units(path)
    assert isinstance(doc, RawDocument)
    assert doc.data == ARTICLE.encode()


def test_whole_file_over_the_bound_is_too_large(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "x" * 101)
    ok = write(tmp_path / "b.txt", "y" * 100)
    got = units(path, ok, config=ReadConfig(max_unit_bytes=100))
    assert isinstance(got[0], Reject)
    assert (got[0].source, got[0].reason) == (path.as_posix(), "too_large")
    assert got[1] == RawDocument(source=ok.as_posix(), data=b"y" * 100, kind="text")


# --- read_units: JSON Lines -----------------------------------------------------------------


def test_jsonl_one_document_per_line_with_text_or_html(tmp_path: Path) -> None:
    path = write(
        tmp_path / "data.jsonl",
        jsonl(
            {"text": "Berita pertama."},
            {"html": PAGE},
            {"text": "Teks cadangan.", "html": PAGE},
            {"text": "Teks dipakai.", "html": "   "},
        ),
    )
    got = units(path)
    assert all(isinstance(u, RawDocument) for u in got)
    assert [(u.source, u.kind, u.data) for u in got] == [  # type: ignore[union-attr]
        (f"{path.as_posix()}:1", "text", "Berita pertama."),
        (f"{path.as_posix()}:2", "html", PAGE),
        (f"{path.as_posix()}:3", "html", PAGE),
        (f"{path.as_posix()}:4", "text", "Teks dipakai."),
    ]


def test_jsonl_known_fields_go_to_url_and_meta_and_the_rest_to_extra(tmp_path: Path) -> None:
    record = {
        "text": "Isi berita.",
        "url": " https://www.contoh.id/berita/1 ",
        "id": 42,
        "outlet": "rmol",
        "published_at": "2024-03-05T09:15:00+07:00",
        "crawler": {"name": "perayap", "versi": [1, 2], "kosong": None},
        "skor": 0.75,
        "label": ["ekonomi", "daerah"],
        "aktif": False,
    }
    path = write(tmp_path / "data.jsonl", jsonl(record))
    (doc,) = units(path)
    assert isinstance(doc, RawDocument)
    assert doc.url == "https://www.contoh.id/berita/1"
    assert doc.meta == {
        "id": "42",
        "outlet": "rmol",
        "published_at": "2024-03-05T09:15:00+07:00",
        "extra": {
            "crawler": {"name": "perayap", "versi": [1, 2], "kosong": None},
            "skor": 0.75,
            "label": ["ekonomi", "daerah"],
            "aktif": False,
        },
    }


def test_jsonl_record_without_extra_fields_has_no_extra(tmp_path: Path) -> None:
    (doc,) = units(write(tmp_path / "data.jsonl", jsonl({"text": "Isi.", "url": "https://a.id/"})))
    assert isinstance(doc, RawDocument)
    assert "extra" not in doc.meta


def test_jsonl_blank_bad_and_textless_lines(tmp_path: Path) -> None:
    lines = [
        b'{"text": "Pertama."}',
        b"",
        b"   \t",
        b'{"text": "tanpa penutup"',
        b'["text", "sebuah array"]',
        b'"hanya string"',
        b'{"judul": "tanpa teks"}',
        b'{"text": "   "}',
        b'{"text": 123}',
        b'{"text": ["a", "b"], "html": null}',
        b'{"text": "Terakhir."}\r',
    ]
    path = write(tmp_path / "data.jsonl", b"\n".join(lines) + b"\n")
    got = units(path)
    src = path.as_posix()

    def summary(u: RawDocument | Reject | Skip) -> tuple[str, str, str]:
        if isinstance(u, RawDocument):
            return ("doc", u.source, str(u.data))
        if isinstance(u, Reject):
            return ("reject", u.source, u.reason)
        return ("skip", u.source, u.what)

    assert [summary(u) for u in got] == [
        ("doc", f"{src}:1", "Pertama."),
        ("skip", f"{src}:2", "blank JSONL lines"),  # lines 2 and 3: one run, one skip
        ("reject", f"{src}:4", "invalid_json"),
        ("reject", f"{src}:5", "invalid_json"),
        ("reject", f"{src}:6", "invalid_json"),
        ("reject", f"{src}:7", "missing_text"),
        ("reject", f"{src}:8", "missing_text"),
        ("reject", f"{src}:9", "missing_text"),
        ("reject", f"{src}:10", "missing_text"),
        ("doc", f"{src}:11", "Terakhir."),
    ]
    array = got[3]
    assert isinstance(array, Reject)
    assert "list" in array.detail


def test_jsonl_with_a_utf8_byte_order_mark_reads_its_first_record(tmp_path: Path) -> None:
    # sniff() already looks past a BOM to call such content JSONL; the first record of a
    # file saved by a Windows tool must not be lost to it.
    path = write(
        tmp_path / "data.jsonl", b"\xef\xbb\xbf" + jsonl({"text": "Satu"}, {"text": "Dua"})
    )
    got = units(path)
    assert [u.data for u in got if isinstance(u, RawDocument)] == ["Satu", "Dua"]


def _comparable(got: list[RawDocument | Reject | Skip]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for u in got:
        line = u.source.rsplit(":", 1)[1]
        if isinstance(u, RawDocument):
            out.append((line, u.data, u.kind, u.url, u.meta))
        elif isinstance(u, Reject):
            out.append((line, u.reason))
        else:
            out.append((line, u.what))
    return out


JSONL_RECORDS = (
    jsonl(
        {"text": "Berita pertama.", "url": "https://a.id/1", "id": "a1"},
        {"html": PAGE, "sumber": {"perayap": "uji"}},
    )
    + b"\n{rusak\n"
)


@pytest.mark.parametrize(
    ("suffix", "compress"),
    [(".jsonl.gz", gzip.compress), (".jsonl.zst", zstandard.ZstdCompressor().compress)],
)
def test_compressed_jsonl_gives_the_same_units_as_plain(
    tmp_path: Path, suffix: str, compress: Any
) -> None:
    plain = write(tmp_path / "data.jsonl", JSONL_RECORDS)
    packed = write(tmp_path / f"packed{suffix}", compress(JSONL_RECORDS))
    expected = units(plain)
    assert len(expected) == 4
    got = units(packed)
    assert _comparable(got) == _comparable(expected)
    assert all(u.source.startswith(f"{packed.as_posix()}:") for u in got)


def test_truncated_jsonl_gz_keeps_every_complete_line_then_one_reject(tmp_path: Path) -> None:
    records = [{"text": f"Berita nomor {i} tentang harga beras di pasar."} for i in range(3000)]
    data = gzip.compress(jsonl(*records))
    cut = data[: len(data) * 2 // 3]
    readable = zlib.decompressobj(wbits=31).decompress(cut)
    complete = readable.count(b"\n")
    assert 100 < complete < 3000
    path = write(tmp_path / "data.jsonl.gz", cut)
    got = units(path)
    docs = [u for u in got if isinstance(u, RawDocument)]
    assert [d.data for d in docs] == [r["text"] for r in records[:complete]]
    assert len(got) == complete + 1
    last = got[-1]
    assert isinstance(last, Reject)
    assert last.reason == "truncated_archive"
    assert last.source.startswith(path.as_posix())


def test_jsonl_line_over_the_bound_is_too_large_and_the_next_line_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path / "data.jsonl",
        jsonl({"text": "pendek"}, {"text": "x" * 5000}, {"text": "sesudahnya"}),
    )
    got = units(path, config=ReadConfig(max_unit_bytes=1000))
    src = path.as_posix()
    assert got[0] == RawDocument(source=f"{src}:1", data="pendek", kind="text")
    assert isinstance(got[1], Reject)
    assert (got[1].source, got[1].reason) == (f"{src}:2", "too_large")
    assert got[2] == RawDocument(source=f"{src}:3", data="sesudahnya", kind="text")
    assert len(got) == 3


# --- read_units: decompression bombs --------------------------------------------------------


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """200 MB of zeros in one gzip member (about 200 KB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    return b"".join(packer.compress(zeros) for _ in range(200)) + packer.flush()


def test_gzip_bomb_is_too_large_quickly_and_without_holding_it_in_memory(
    tmp_path: Path, gzip_bomb: bytes
) -> None:
    path = write(tmp_path / "bom.txt.gz", gzip_bomb)
    limit = 1_000_000
    tracemalloc.start()
    try:
        started = time.perf_counter()
        got = units(path, config=ReadConfig(max_unit_bytes=limit))
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(got) == 1
    assert isinstance(got[0], Reject)
    assert got[0].reason == "too_large"
    assert elapsed < 5
    # "a compression bomb costs nothing": a bound of 1 MB should not cost 100+ MB.
    assert peak < 32 * limit, f"peak {peak:,} bytes for a {limit:,}-byte bound"


# --- read_units: WARC -----------------------------------------------------------------------


def _response(
    writer: WARCWriter,
    uri: str,
    body: bytes,
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    headers: dict[str, str] | None = None,
) -> Any:
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    return writer.create_warc_record(
        uri, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict=headers
    )


RECORD_ID = "<urn:uuid:6f1c2d3e-4a5b-4c6d-8e7f-001122334455>"
WARC_DATE = "2024-03-05T02:15:00Z"
PAGE_1252 = "<html><body><p>\u201cKami siap,\u201d kata kepala dinas.</p></body></html>".encode(
    "cp1252"
)


def build_warc(path: Path, *, gz: bool) -> list[int]:
    """A small crawl; returns the offset where each record ends."""
    ends: list[int] = []
    with path.open("wb") as out:
        w = WARCWriter(out, gzip=gz)
        records = [
            w.create_warcinfo_record(path.name, {"software": "uji-perayap/1.0"}),
            w.create_warc_record(
                "https://www.contoh.id/berita/1",
                "request",
                payload=io.BytesIO(b"GET /berita/1 HTTP/1.1\r\nHost: www.contoh.id\r\n\r\n"),
            ),
            _response(
                w,
                "https://www.contoh.id/berita/1",
                PAGE_1252,
                "text/html; charset=windows-1252",
                headers={"WARC-Record-ID": RECORD_ID, "WARC-Date": WARC_DATE},
            ),
            _response(
                w, "https://www.contoh.id/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"
            ),
            _response(
                w, "https://www.contoh.id/hilang", b"<html>tidak ada</html>", status="404 Not Found"
            ),
            w.create_warc_record(
                "https://www.contoh.id/berita/1",
                "metadata",
                payload=io.BytesIO(b"outlinks: https://www.contoh.id/\r\n"),
                warc_content_type="application/warc-fields",
            ),
            _response(w, "https://www.contoh.id/berita/2", PAGE.encode() * 200),
        ]
        for record in records:
            w.write_record(record)
            ends.append(out.tell())
    return ends


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_are_documents_and_other_records_skips(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    build_warc(path, gz=name.endswith(".gz"))
    got = units(path)
    src = path.as_posix()
    assert [u.source for u in got] == [f"{src}:{n}" for n in range(1, 8)]
    kinds = [type(u).__name__ for u in got]
    assert kinds == ["Skip", "Skip", "RawDocument", "Skip", "Skip", "Skip", "RawDocument"]
    assert [u.what for u in got if isinstance(u, Skip)] == [
        "WARC warcinfo record",
        "WARC request record",
        "WARC response, image/png",
        "WARC response, HTTP 404",
        "WARC metadata record",
    ]
    first, second = (u for u in got if isinstance(u, RawDocument))
    assert first.kind == "html"
    assert first.url == "https://www.contoh.id/berita/1"
    assert first.data == PAGE_1252
    assert first.meta == {
        "extra": {"warc_record_id": RECORD_ID, "warc_date": WARC_DATE},
        "charset": "windows-1252",
    }
    assert second.url == "https://www.contoh.id/berita/2"
    assert second.data == PAGE.encode() * 200
    assert second.meta["charset"] == "utf-8"


def test_warc_record_over_the_bound_is_too_large(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    build_warc(path, gz=True)
    got = units(path, config=ReadConfig(max_unit_bytes=5000))
    last = got[-1]
    assert isinstance(last, Reject)
    assert (last.source, last.reason) == (f"{path.as_posix()}:7", "too_large")
    assert isinstance(got[2], RawDocument)  # the small page still reads


def test_truncated_plain_warc_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc"
    ends = build_warc(whole, gz=False)
    data = whole.read_bytes()
    path = write(tmp_path / "cut.warc", data[: (ends[-2] + ends[-1]) // 2])
    got = units(path)
    assert [type(u).__name__ for u in got[:6]] == [
        "Skip", "Skip", "RawDocument", "Skip", "Skip", "Skip",
    ]  # fmt: skip
    assert isinstance(got[2], RawDocument)
    assert got[2].data == PAGE_1252
    assert len(got) == 7
    assert isinstance(got[-1], Reject)
    assert got[-1].reason == "truncated_archive"


def test_truncated_warc_gz_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    ends = build_warc(whole, gz=True)
    data = whole.read_bytes()
    # cut in the middle of the last record's gzip member: records 1-6 are whole
    path = write(tmp_path / "cut.warc.gz", data[: (ends[-2] + ends[-1]) // 2])
    got = units(path)
    assert [type(u).__name__ for u in got] == [
        "Skip", "Skip", "RawDocument", "Skip", "Skip", "Skip", "Reject",
    ]  # fmt: skip
    doc = got[2]
    assert isinstance(doc, RawDocument)
    assert doc.url == "https://www.contoh.id/berita/1"
    assert doc.data == PAGE_1252
    last = got[-1]
    assert isinstance(last, Reject)
    assert last.reason == "truncated_archive"


# --- standard input, unreadable files ------------------------------------------------------


def test_stdin_is_sniffed_as_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(jsonl({"text": "Satu"}, {"html": PAGE})))
    got = units("-")
    assert [(u.source, u.kind, u.data) for u in got] == [  # type: ignore[union-attr]
        ("<stdin>:1", "text", "Satu"),
        ("<stdin>:2", "html", PAGE),
    ]


def test_stdin_gzip_compressed_text_is_decompressed_and_sniffed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(gzip.compress(ARTICLE.encode())))
    assert units("-") == [RawDocument(source="<stdin>", data=ARTICLE.encode(), kind="text")]


def test_stdin_gzip_compressed_html_is_sniffed_as_html(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", FakeStdin(gzip.compress(PAGE.encode())))
    assert units("-") == [RawDocument(source="<stdin>", data=PAGE.encode(), kind="html")]


def test_unreadable_file_is_one_reject_and_reading_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = write(tmp_path / "a-terkunci.txt", ARTICLE)
    fine = write(tmp_path / "b-biasa.txt", ARTICLE)
    real_open = Path.open

    def fake_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == locked.name:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", fake_open)
    got = units(tmp_path)
    assert got[0] == Reject(
        source=locked.as_posix(), reason="unreadable", detail="Permission denied"
    )
    assert got[1] == RawDocument(source=fine.as_posix(), data=ARTICLE.encode(), kind="text")


def test_a_jsonl_records_domain_field_is_read_and_passed_on() -> None:
    from cleaner.io.readers import jsonl_record

    doc = jsonl_record(b'{"text": "Isi.", "outlet_domain": "kompas.com", "x": 1}', "f:1")
    assert isinstance(doc, RawDocument)
    assert doc.meta["domain"] == "kompas.com"
    assert doc.meta["extra"] == {"outlet_domain": "kompas.com", "x": 1}


def test_directories_with_no_file_to_read_are_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    empty, images = tmp_path / "empty", tmp_path / "images"
    empty.mkdir()
    (images / "sub").mkdir(parents=True)
    (images / "sub" / "a.png").write_bytes(b"\x89PNG")
    (images / ".hidden.txt").write_text("Teks.", encoding="utf-8")
    for inputs in ([str(empty)], [str(empty), str(images)]):
        with pytest.raises(InputError, match=r"no input to clean: .* holds no file with a reader"):
            check_inputs(inputs)
    check_inputs([str(images)], ReadConfig(format="text"))  # every file is read as text
    (images / "sub" / "b.txt.gz").write_bytes(b"")
    check_inputs([str(empty), str(images)])  # one file to read is enough
