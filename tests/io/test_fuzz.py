"""Fuzzing the readers (issue 16): damaged inputs end as units, never as an exception.

A small valid WARC (plain, and gzipped record by record), a JSONL file and a compressed
text are mutated by a seeded, deterministic loop: cut at many offsets, bytes flipped,
header lines deleted or repeated, garbage inserted. Each mutant must read without an
exception into documents, rejects and skips only; the cuts of the plain WARC must also
keep every record before the cut and end with one reject for the record cut.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cleaner.io.sources import read_units
from cleaner.models import RawDocument, Reject, Skip

SEED = 16
HEADER_NAMES = (b"Content-Length", b"WARC-Target-URI", b"WARC-Type")
PAGES = [
    "<html><head><title>Harga beras</title></head><body><p>“Sri Mulyani” menyebut harga "
    "beras turun.</p></body></html>",
    "<html><body><p>Banjir melanda Semarang; warga mengungsi ke balai desa.</p></body></html>",
    "<html><body><p>Tim nasional menang 2-1 atas Vietnam di Hanoi.</p></body></html>",
    "<html><body><p>Bus listrik mulai melayani rute pinggiran kota.</p></body></html>",
]
Mutant = tuple[str, bytes]


def warc_records() -> list[bytes]:
    """Each record of a small crawl, uncompressed: a request and four HTML responses."""
    records: list[bytes] = []

    def add(make: Callable[[WARCWriter], object]) -> None:
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=False)
        writer.write_record(make(writer))
        records.append(out.getvalue())

    add(
        lambda w: w.create_warc_record(
            "https://www.contoh.id/berita/0",
            "request",
            payload=io.BytesIO(b"GET /berita/0 HTTP/1.1\r\nHost: www.contoh.id\r\n\r\n"),
        )
    )
    for n, page in enumerate(PAGES):
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        add(
            lambda w, n=n, page=page, http=http: w.create_warc_record(
                f"https://www.contoh.id/berita/{n}",
                "response",
                payload=io.BytesIO(page.encode()),
                http_headers=http,
            )
        )
    return records


def read(path: Path) -> list[RawDocument | Reject | Skip]:
    got = list(read_units([str(path)]))  # must not raise
    for unit in got:
        assert isinstance(unit, RawDocument | Reject | Skip), unit
        assert unit.source.startswith(path.as_posix())
    return got


def header_mutants(records: list[bytes], rng: random.Random) -> Iterator[tuple[int, bytes]]:
    """Every record with each of the header lines deleted, repeated or emptied."""
    for index, record in enumerate(records):
        for name in HEADER_NAMES:
            line = re.search(rb"(?m)^" + name + rb":[^\r\n]*\r\n", record)
            assert line is not None
            head, tail = record[: line.start()], record[line.end() :]
            for changed in (b"", line.group() * 2, name + b":\r\n", name + b": ?!\r\n"):
                yield index, head + changed + tail
        cut = rng.randrange(len(record))
        yield index, record[:cut] + b"\r\n" + record[cut:]  # a line broken in two


def byte_mutants(data: bytes, rng: random.Random, count: int) -> Iterator[bytes]:
    """``count`` mutants each of: bytes flipped, garbage inserted, a span deleted, a span
    repeated (in that order)."""
    garbage = [b"\r\n", b"\r\n\r\n", b"\x00" * 7, b"WARC/1.0\r\n", b"Content-Length: 9\r\n"]
    for _ in range(count):
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            flipped[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        yield bytes(flipped)
        at = rng.randrange(len(data))
        noise = rng.choice(garbage) if rng.random() < 0.5 else rng.randbytes(rng.randint(1, 40))
        yield data[:at] + noise + data[at:]
        start = rng.randrange(len(data))
        end = min(len(data), start + rng.randint(1, 200))
        yield data[:start] + data[end:]
        yield data[:end] + data[start:end] + data[end:]


def ends(records: list[bytes]) -> list[int]:
    out, total = [], 0
    for record in records:
        total += len(record)
        out.append(total)
    return out


@pytest.fixture(scope="module")
def records() -> list[bytes]:
    return warc_records()


def test_the_valid_warc_reads_whole(tmp_path: Path, records: list[bytes]) -> None:
    for name, data in [
        ("a.warc", b"".join(records)),
        ("a.warc.gz", b"".join(gzip.compress(r) for r in records)),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        got = read(path)
        assert [type(u).__name__ for u in got] == ["Skip"] + ["RawDocument"] * 4, path
        assert [u.url for u in got[1:]] == [  # type: ignore[union-attr]
            f"https://www.contoh.id/berita/{n}" for n in range(4)
        ]


def test_a_plain_warc_cut_anywhere_keeps_the_records_before_and_rejects_the_cut_one(
    tmp_path: Path, records: list[bytes]
) -> None:
    data = b"".join(records)
    path = tmp_path / "cut.warc"
    path.write_bytes(data)
    whole = read(path)
    bounds = ends(records)
    rng = random.Random(SEED)
    cuts = sorted({*rng.sample(range(1, len(data)), 120), *(b - 1 for b in bounds)})
    for cut in cuts:
        path.write_bytes(data[:cut])
        got = read(path)
        index = next(i for i, end in enumerate(bounds) if cut < end)
        if cut >= bounds[index] - 4:  # only the blank lines after the record are lost
            assert got == whole[: index + 1], cut
            continue
        assert got[:index] == whole[:index], cut
        assert len(got) == index + 1, (cut, got)
        last = got[-1]
        assert isinstance(last, Reject), (cut, last)
        assert (last.source, last.reason) == (f"{path.as_posix()}:{index + 1}", "truncated_archive")


def check_accounted(
    got: list[RawDocument | Reject | Skip], records: int, what: str, *, spans: int = 0
) -> None:
    """No record vanishes: one unit per record, or a truncated_archive reject standing
    for the rest (and, for gzip, at most one more for the damaged compression).

    ``spans``: -1 when the mutant lost a span of bytes, which can leave one valid record
    where there were two (one's headers, the other's length and content); 1 when it
    holds a span twice, which can make a valid record more.
    """
    damaged = any(isinstance(u, Reject) and u.reason == "truncated_archive" for u in got)
    if damaged:
        assert 1 <= len(got) <= records + 1, what
    else:
        expected = sorted({records, records + spans})
        assert expected[0] <= len(got) <= expected[-1], (what, got)


def test_warc_header_mutants_read_without_error_and_lose_no_record(
    tmp_path: Path, records: list[bytes]
) -> None:
    rng = random.Random(SEED)
    count = 0
    for gz in (False, True):
        path = tmp_path / ("mutant.warc.gz" if gz else "mutant.warc")
        for index, changed in header_mutants(records, rng):
            mutant = [*records[:index], changed, *records[index + 1 :]]
            pack: Callable[[bytes], bytes] = gzip.compress if gz else (lambda r: r)
            path.write_bytes(b"".join(pack(r) for r in mutant))
            got = read(path)
            check_accounted(got, len(records), f"record {index + 1}: {changed[:300]!r}")
            assert got[:index] == read_prefix(tmp_path, records[:index], gz), index
            count += 1
    assert count >= 100


def read_prefix(
    tmp_path: Path, records: list[bytes], gz: bool
) -> list[RawDocument | Reject | Skip]:
    """The units of the records before a mutant, read under the mutant's name."""
    path = tmp_path / ("mutant.warc.gz" if gz else "mutant.warc")
    keep = path.read_bytes()
    path.write_bytes(b"".join(gzip.compress(r) if gz else r for r in records))
    try:
        return read(path)
    finally:
        path.write_bytes(keep)


def test_warc_byte_mutants_read_without_error(tmp_path: Path, records: list[bytes]) -> None:
    rng = random.Random(SEED)
    plain = b"".join(records)
    packed = b"".join(gzip.compress(r) for r in records)
    count = 0
    started = time.perf_counter()
    for name, data in [("mutant.warc", plain), ("mutant.warc.gz", packed)]:
        path = tmp_path / name
        for n, mutant in enumerate(byte_mutants(data, rng, 25)):
            path.write_bytes(mutant)
            spans = {2: -1, 3: 1}.get(n % 4, 0)
            check_accounted(read(path), len(records), f"{name} #{n}", spans=spans)
            count += 1
        for cut in rng.sample(range(1, len(data)), 40):  # the cuts of the gzip too
            path.write_bytes(data[:cut])
            check_accounted(read(path), len(records), f"{name} cut at {cut}")
            count += 1
    assert count == 2 * (4 * 25 + 40)
    assert time.perf_counter() - started < 20


JSONL = b"".join(
    json.dumps(r, ensure_ascii=False).encode() + b"\n"
    for r in [
        {"text": "Harga beras turun di pasar induk.", "id": "a-1"},
        {"html": PAGES[1], "url": "https://www.contoh.id/berita/1"},
        {"text": "Tim nasional menang.", "outlet": "contoh", "published_at": "2024-03-05"},
    ]
)


def compressions() -> list[tuple[str, Callable[[bytes], bytes]]]:
    return [
        ("", lambda d: d),
        (".gz", gzip.compress),
        (".zst", zstandard.ZstdCompressor().compress),
    ]


@pytest.mark.parametrize(("suffix", "pack"), compressions())
def test_jsonl_mutants_read_without_error(
    tmp_path: Path, suffix: str, pack: Callable[[bytes], bytes]
) -> None:
    rng = random.Random(SEED)
    path = tmp_path / f"mutant.jsonl{suffix}"
    data = pack(JSONL + b"\n\n  \n" + JSONL)
    for mutant in [
        *byte_mutants(data, rng, 10),
        *(data[:c] for c in rng.sample(range(len(data)), 20)),
    ]:
        path.write_bytes(mutant)
        read(path)


@pytest.mark.parametrize(("suffix", "pack"), compressions()[1:])
def test_compressed_text_mutants_are_one_unit_each(
    tmp_path: Path, suffix: str, pack: Callable[[bytes], bytes]
) -> None:
    rng = random.Random(SEED)
    path = tmp_path / f"mutant.txt{suffix}"
    data = pack(("Harga beras turun di pasar induk.\n" * 40).encode())
    for mutant in [
        *byte_mutants(data, rng, 10),
        *(data[:c] for c in rng.sample(range(1, len(data)), 20)),
    ]:
        path.write_bytes(mutant)
        got = read(path)
        assert len(got) == 1, got  # the file, or the reject for it
