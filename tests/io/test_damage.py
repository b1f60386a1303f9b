"""Damaged inputs from the audit of issue 16: each ends as units, none as an exception.

Malformed WARC records (no Content-Length, no target URI, no WARC-Type, a wrong length,
a cut right after the headers) and a huge run of blank JSONL lines.
"""

from __future__ import annotations

import io
import re
import time
import zlib
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.io.sources import read_units
from cleaner.models import RawDocument, Reject, Skip

Unit = RawDocument | Reject | Skip


def page(n: int) -> bytes:
    return f"<html><body><p>Berita nomor {n} tentang harga beras.</p></body></html>".encode()


def records() -> list[bytes]:
    """A request and three HTML responses, each record's bytes."""
    out: list[bytes] = []

    def written(record: object, writer: WARCWriter, buffer: io.BytesIO) -> bytes:
        writer.write_record(record)
        return buffer.getvalue()

    buffer = io.BytesIO()
    w = WARCWriter(buffer, gzip=False)
    request = w.create_warc_record(
        "https://www.contoh.id/1", "request", payload=io.BytesIO(b"GET /1 HTTP/1.1\r\n\r\n")
    )
    out.append(written(request, w, buffer))
    for n in range(1, 4):
        buffer = io.BytesIO()
        w = WARCWriter(buffer, gzip=False)
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        response = w.create_warc_record(
            f"https://www.contoh.id/{n}", "response", payload=io.BytesIO(page(n)), http_headers=http
        )
        out.append(written(response, w, buffer))
    return out


def without(record: bytes, name: bytes) -> bytes:
    start = record.index(b"\r\n" + name + b":") + 2
    return record[:start] + record[record.index(b"\r\n", start) + 2 :]


def read(path: Path, data: bytes) -> list[Unit]:
    path.write_bytes(data)
    return list(read_units([str(path)]))


def kinds(got: list[Unit]) -> list[str]:
    return [u.reason if isinstance(u, Reject) else type(u).__name__ for u in got]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "arsip.warc"


def test_a_response_without_content_length_is_one_reject_for_the_rest(path: Path) -> None:
    # was: AttributeError: 'BufferedReader' object has no attribute 'limit'
    rec = records()
    got = read(path, b"".join([rec[0], rec[1], without(rec[2], b"Content-Length"), rec[3]]))
    assert kinds(got) == ["Skip", "RawDocument", "truncated_archive"]
    assert got[-1].source == f"{path.as_posix()}:3"
    assert "no Content-Length" in got[-1].detail  # type: ignore[union-attr]


def test_a_request_without_content_length_does_not_swallow_the_archive_silently(
    path: Path,
) -> None:
    # was: the request record read to the end of the file, three pages lost without a trace
    rec = records()
    got = read(path, b"".join([without(rec[0], b"Content-Length"), *rec[1:]]))
    assert kinds(got) == ["truncated_archive"]


def with_length(record: bytes, value: bytes) -> bytes:
    return re.sub(rb"Content-Length: \d+", b"Content-Length: " + value, record, count=1)


@pytest.mark.parametrize("value", [b"abc", b"-5", b""])
def test_an_invalid_content_length_is_one_reject_for_the_rest(path: Path, value: bytes) -> None:
    rec = records()
    got = read(path, b"".join([rec[0], rec[1], with_length(rec[2], value), rec[3]]))
    assert kinds(got) == ["Skip", "RawDocument", "truncated_archive"]
    assert "invalid Content-Length" in got[-1].detail  # type: ignore[union-attr]


def test_a_record_without_target_uri_is_a_document_without_url(path: Path) -> None:
    # was: AttributeError: 'NoneType' object has no attribute 'startswith' (in warcio)
    rec = records()
    got = read(path, b"".join([rec[0], without(rec[1], b"WARC-Target-URI"), rec[2], rec[3]]))
    assert kinds(got) == ["Skip", "RawDocument", "RawDocument", "RawDocument"]
    first = got[1]
    assert isinstance(first, RawDocument)
    assert (first.url, first.data, first.meta["charset"]) == (None, page(1), "utf-8")
    assert [u.url for u in got[2:]] == ["https://www.contoh.id/2", "https://www.contoh.id/3"]  # type: ignore[union-attr]


def test_a_record_without_warc_type_is_a_reject_and_reading_goes_on(path: Path) -> None:
    rec = records()
    got = read(path, b"".join([rec[0], without(rec[1], b"WARC-Type"), rec[2], rec[3]]))
    assert kinds(got) == ["Skip", "truncated_archive", "RawDocument", "RawDocument"]
    assert got[1].source == f"{path.as_posix()}:2"


def test_an_archive_cut_after_a_records_headers_rejects_that_record(path: Path) -> None:
    # was: warcio took the missing HTTP headers for the end of the archive: no reject
    rec = records()
    cut = rec[2][: rec[2].index(b"\r\n\r\n") + 4]
    got = read(path, b"".join([rec[0], rec[1], cut]))
    assert kinds(got) == ["Skip", "RawDocument", "truncated_archive"]
    assert got[-1].source == f"{path.as_posix()}:3"


def test_a_too_short_content_length_rejects_the_record_quietly(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rec = records()
    declared = int(re.findall(rb"Content-Length: (\d+)", rec[2])[0])
    short = with_length(rec[2], str(declared - 9).encode())
    got = read(path, b"".join([rec[0], rec[1], short, rec[3]]))
    assert kinds(got)[:3] == ["Skip", "RawDocument", "truncated_archive"]
    assert "Content-Length is wrong" in got[2].detail  # type: ignore[union-attr]
    assert got[-1].source.startswith(f"{path.as_posix()}:")
    assert capsys.readouterr().err == ""  # warcio's warning is not printed


def test_blank_lines_before_the_first_record_are_passed_over(path: Path) -> None:
    got = read(path, b"\r\n\n" + b"".join(records()))
    assert kinds(got) == ["Skip", "RawDocument", "RawDocument", "RawDocument"]


# --- JSONL: runs of blank lines ---------------------------------------------------------


def test_a_run_of_blank_jsonl_lines_is_one_skip_at_its_first_line(tmp_path: Path) -> None:
    path = tmp_path / "data.jsonl"
    data = b'{"text": "Satu."}\n\n \t\r\n\n{"text": "Dua."}\n\n{"text": "Tiga."}\n  \n\n   '
    got = read(path, data)
    src = path.as_posix()
    assert [(type(u).__name__, u.source) for u in got] == [
        ("RawDocument", f"{src}:1"),
        ("Skip", f"{src}:2"),  # lines 2-4
        ("RawDocument", f"{src}:5"),
        ("Skip", f"{src}:6"),
        ("RawDocument", f"{src}:7"),
        ("Skip", f"{src}:8"),  # lines 8-10, the last without a line feed
    ]
    assert {u.what for u in got if isinstance(u, Skip)} == {"blank JSONL lines"}


def test_a_hundred_megabytes_of_newlines_gzipped_read_in_seconds(tmp_path: Path) -> None:
    # was: one Skip per line, 311 s of CPU for a 114 KB gzip
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [packer.compress(b'{"text": "Awal."}\n')]
    parts += [packer.compress(b"\n" * (1 << 20)) for _ in range(100)]
    parts += [packer.compress(b'{"text": "Sesudah seratus juta baris kosong."}\n'), packer.flush()]
    data = b"".join(parts)
    assert len(data) < 150_000
    started = time.perf_counter()
    got = read(tmp_path / "kosong.jsonl.gz", data)
    elapsed = time.perf_counter() - started
    assert kinds(got) == ["RawDocument", "Skip", "RawDocument"]
    assert got[2].source.endswith(f":{100 * (1 << 20) + 2}")  # line numbers still count
    assert elapsed < 5, f"{elapsed:.1f} s"
