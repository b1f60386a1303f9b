"""Opening inputs: damage-aware decompression and bounded reads (cleaner/streams.py)."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable

import pytest
import zstandard

from cleaner.io.streams import TooLargeError, bounded_lines, damage, decompressed, read_bounded

LINES = b"".join(
    b"Baris ke-%d: warga desa membersihkan saluran air bersama.\n" % i for i in range(4000)
)


def _stream(data: bytes) -> io.BufferedReader:
    return io.BufferedReader(io.BytesIO(data))


def _zstd(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


def _gzip_prefix(member: bytes) -> bytes:
    """What zlib itself can decompress from a (possibly cut) gzip member."""
    return zlib.decompressobj(wbits=31).decompress(member)


def _zstd_prefix(frame: bytes) -> bytes:
    """What zstandard itself can decompress from a (possibly cut) zstd frame."""
    return zstandard.ZstdDecompressor().decompressobj().decompress(frame)


def _read_to_end(stream: io.BufferedReader, read: Callable[[], bytes]) -> tuple[bytes, str | None]:
    """Everything ``read`` hands out until it returns nothing, and the damage reported."""
    got = bytearray()
    while chunk := read():
        got += chunk
    return bytes(got), damage(stream)


# --- decompressed: what passes through, what is decompressed --------------------------------


def test_plain_stream_is_passed_through_unchanged() -> None:
    source = _stream(LINES)
    result = decompressed(source)
    assert result is source
    assert result.read() == LINES


def test_plain_unbuffered_stream_gets_peek_and_the_same_bytes() -> None:
    result = decompressed(io.BytesIO(b"Berita biasa tanpa kompresi.\n"))  # type: ignore[arg-type]
    assert result.peek(6)[:6] == b"Berita"
    assert result.read() == b"Berita biasa tanpa kompresi.\n"


def test_a_stream_that_only_starts_like_gzip_is_not_decompressed() -> None:
    data = b"\x1f bukan gzip, hanya byte pertamanya sama\n"
    assert decompressed(_stream(data)).read() == data


def test_gzip_is_decompressed_by_magic_bytes() -> None:
    result = decompressed(_stream(gzip.compress(LINES)))
    assert result.peek(5)[:5] == b"Baris"
    assert result.read() == LINES


def test_multi_member_gzip_is_read_member_after_member() -> None:
    members = [b"anggota satu\n", b"anggota dua\n", b"", b"anggota empat\n"]
    data = b"".join(gzip.compress(m) for m in members)
    assert decompressed(_stream(data)).read() == b"".join(members)


def test_zstd_is_decompressed_by_magic_bytes() -> None:
    assert decompressed(_stream(_zstd(LINES))).read() == LINES


def test_multi_frame_zstd_is_read_frame_after_frame() -> None:
    frames = [b"bingkai satu\n", b"bingkai dua\n", LINES]
    data = b"".join(_zstd(f) for f in frames)
    assert decompressed(_stream(data)).read() == b"".join(frames)


def test_streaming_zstd_frame_without_content_size_is_decompressed() -> None:
    writer = zstandard.ZstdCompressor().compressobj()
    data = writer.compress(LINES) + writer.flush()
    assert decompressed(_stream(data)).read() == LINES


# --- damage: everything before it, then an error ---------------------------------------------


def _truncated_gzip() -> tuple[bytes, bytes]:
    """Two gzip members, the second cut in half; and what can be decompressed of it."""
    first = gzip.compress(b"anggota utuh\n" * 50)
    second = gzip.compress(LINES)
    cut = second[: len(second) // 2]
    return first + cut, b"anggota utuh\n" * 50 + _gzip_prefix(cut)


def _truncated_zstd() -> tuple[bytes, bytes]:
    """Three zstd frames, the last cut in half; and what can be decompressed of them."""
    complete = _zstd(b"bingkai utuh\n" * 50) + _zstd(LINES)
    last = _zstd(LINES * 20)
    cut = last[: len(last) // 2]
    return complete + cut, b"bingkai utuh\n" * 50 + LINES + _zstd_prefix(cut)


@pytest.mark.parametrize("make", [_truncated_gzip, _truncated_zstd], ids=["gzip", "zstd"])
def test_truncated_stream_yields_all_complete_data_then_reports_damage(
    make: Callable[[], tuple[bytes, bytes]],
) -> None:
    data, expected = make()
    stream = decompressed(_stream(data))
    got, error = _read_to_end(stream, lambda: stream.read1(1 << 16))
    assert error is not None, "a truncated stream must not end silently"
    assert got == expected
    assert len(got) > 10_000  # the complete members/frames did come out


@pytest.mark.parametrize("make", [_truncated_gzip, _truncated_zstd], ids=["gzip", "zstd"])
def test_truncated_stream_read_line_by_line_keeps_every_complete_line(
    make: Callable[[], tuple[bytes, bytes]],
) -> None:
    data, expected = make()
    stream = decompressed(_stream(data))
    got, error = _read_to_end(stream, stream.readline)
    assert error is not None and "ends in the middle" in error
    # every complete line, then the cut-off rest: the reader drops that one (see read_jsonl)
    assert got == expected
    assert not got.endswith(b"\n")


@pytest.mark.parametrize("make", [_truncated_gzip, _truncated_zstd], ids=["gzip", "zstd"])
def test_truncated_stream_read_in_fixed_blocks_keeps_all_complete_data(
    make: Callable[[], tuple[bytes, bytes]],
) -> None:
    # Readers such as warcio call read(n) with a fixed block size. The module promises
    # "every byte it could decompress and only then" the error, whatever the caller's
    # block size.
    data, expected = make()
    stream = decompressed(_stream(data))
    got, error = _read_to_end(stream, lambda: stream.read(16384))
    assert error is not None
    assert got == expected


def test_truncated_stream_read_all_at_once_reports_the_damage() -> None:
    data, expected = _truncated_gzip()
    stream = decompressed(_stream(data))
    assert stream.read() == expected
    assert damage(stream) == "gzip data ends in the middle of a stream"


def test_gzip_cut_inside_its_trailer_is_still_truncated() -> None:
    data = gzip.compress(LINES)[:-4]  # all of the deflate data, half the CRC/size trailer
    stream = decompressed(_stream(data))
    got, error = _read_to_end(stream, lambda: stream.read1(1 << 16))
    assert error is not None
    assert got == LINES


def test_corrupt_gzip_with_flipped_bytes_in_the_middle_raises() -> None:
    data = bytearray(gzip.compress(LINES))
    middle = len(data) // 2
    for i in range(middle, middle + 16):
        data[i] ^= 0xFF
    stream = decompressed(_stream(bytes(data)))
    stream.read()
    assert (damage(stream) or "").startswith("corrupt gzip data")


def test_corrupt_zstd_with_flipped_bytes_in_the_middle_raises() -> None:
    data = bytearray(_zstd(LINES))
    middle = len(data) // 2
    for i in range(middle, middle + 16):
        data[i] ^= 0xFF
    stream = decompressed(_stream(bytes(data)))
    stream.read()
    assert (damage(stream) or "").startswith("corrupt zstd data")


def test_an_empty_gzip_header_alone_is_truncated() -> None:
    stream = decompressed(_stream(gzip.compress(b"isi")[:10]))
    assert stream.read() == b""
    assert damage(stream) is not None


def test_an_intact_stream_reports_no_damage() -> None:
    for data in (gzip.compress(LINES), _zstd(LINES), LINES):
        stream = decompressed(_stream(data))
        assert stream.read() == LINES
        assert damage(stream) is None


# --- read_bounded ---------------------------------------------------------------------------


def test_read_bounded_returns_exactly_the_data_within_the_limit() -> None:
    data = b"0123456789"
    assert read_bounded(io.BytesIO(data), 10) == data  # type: ignore[arg-type]
    assert read_bounded(io.BytesIO(data), 1000) == data  # type: ignore[arg-type]
    assert read_bounded(io.BytesIO(b""), 5) == b""  # type: ignore[arg-type]


def test_read_bounded_raises_one_byte_beyond_the_limit() -> None:
    with pytest.raises(TooLargeError, match="9-byte limit"):
        read_bounded(io.BytesIO(b"0123456789"), 9)  # type: ignore[arg-type]


def test_read_bounded_reads_no_more_than_one_byte_past_the_limit() -> None:
    source = io.BytesIO(b"x" * 1_000_000)
    with pytest.raises(TooLargeError):
        read_bounded(source, 100)  # type: ignore[arg-type]
    assert source.tell() == 101


def test_read_bounded_over_a_decompressed_stream() -> None:
    stream = decompressed(_stream(gzip.compress(LINES)))
    with pytest.raises(TooLargeError):
        read_bounded(stream, len(LINES) - 1)
    assert read_bounded(decompressed(_stream(gzip.compress(LINES))), len(LINES)) == LINES


# --- bounded_lines --------------------------------------------------------------------------


def test_bounded_lines_yields_lines_as_they_are() -> None:
    data = b"satu\ndua\r\n\ntiga tanpa akhir baris"
    assert list(bounded_lines(_stream(data), 100)) == [
        b"satu\n",
        b"dua\r\n",
        b"\n",
        b"tiga tanpa akhir baris",
    ]


def test_bounded_lines_gives_none_for_an_overlong_line_and_continues() -> None:
    data = b"pendek\n" + b"x" * 50_000 + b"\nsesudahnya\n" + b"y" * 21 + b"\nakhir\n"
    assert list(bounded_lines(_stream(data), 20)) == [
        b"pendek\n",
        None,
        b"sesudahnya\n",
        None,
        b"akhir\n",
    ]


def test_bounded_lines_overlong_last_line_without_newline() -> None:
    data = b"awal\n" + b"z" * 5000
    assert list(bounded_lines(_stream(data), 100)) == [b"awal\n", None]


def test_bounded_lines_over_a_decompressed_stream_skips_a_huge_line() -> None:
    data = b"pertama\n" + b"0" * 3_000_000 + b"\nkedua\n"
    stream = decompressed(_stream(gzip.compress(data)))
    assert list(bounded_lines(stream, 1000)) == [b"pertama\n", None, b"kedua\n"]
