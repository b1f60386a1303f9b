"""Opening inputs: decompression that notices damage, and reads with a size bound.

gzip (including the multi-member ``.warc.gz`` kind) and zstd are recognised by their
magic bytes, whatever the file is called. The decompressing stream hands out every byte
it could decompress, then ends and records the damage (see :func:`damage`), so a reader
keeps every record that came before it and the damage is reported once, as a reject.
(Python's ``GzipFile`` loses what it had read when it meets a truncated end; warcio and
zstandard's stream reader end silently.) Decompression is bounded: gzip never inflates
more than a read asks for, zstd gets small slices of input, so a bomb costs little
memory before the unit's size bound rejects it.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO, cast

import zstandard

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_CHUNK = 1 << 16


class TooLargeError(Exception):
    """A unit is larger than the configured bound."""


_ZSTD_SLICE = 1024
"""Compressed bytes handed to zstd at a time. zstd cannot bound one call's output, and a
byte of a crafted frame can expand to some 32 KiB, so small slices keep a bomb's
memory in check (1 KiB: at most ~32 MiB per call); ordinary text costs little more."""


class _Decompressing(io.RawIOBase):
    """A raw stream of the decompressed bytes of ``source``, member after member.

    It never raises for damaged input: it hands out everything it could decompress,
    then reports end of stream and sets :attr:`damage` to what went wrong.
    """

    def __init__(self, source: BinaryIO, kind: str) -> None:
        self._source = source
        self._kind = kind
        self._obj = self._new()
        self._input = b""  # zstd: compressed bytes not yet handed to the decompressor
        self._pending = b""
        self._started = False  # the current member or frame has received input
        self.damage: str | None = None

    def _new(self) -> Any:
        if self._kind == "gzip":
            return zlib.decompressobj(wbits=31)
        return zstandard.ZstdDecompressor().decompressobj()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            try:
                out = self._step(len(buffer))
            except (zlib.error, zstandard.ZstdError) as exc:
                self.damage = f"corrupt {self._kind} data: {exc}"
                return 0
            if out is None:
                return 0
            self._pending = out
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _step(self, size: int) -> bytes | None:
        """Some decompressed bytes (maybe none yet), or ``None`` at the end."""
        obj = self._obj
        if obj.eof:
            rest = obj.unused_data + self._input
            self._obj, self._input, self._started = self._new(), b"", False
            if rest.strip(b"\0"):  # zero padding after the last member is harmless
                return self._feed(rest, size)
        if self._kind == "gzip" and obj.unconsumed_tail:
            return bytes(obj.decompress(obj.unconsumed_tail, size))
        if self._input:
            return self._feed(b"", size)
        chunk = self._source.read(_CHUNK)
        if not chunk:
            if self._started and not self._obj.eof:
                self.damage = f"{self._kind} data ends in the middle of a stream"
            return None
        return self._feed(chunk, size)

    def _feed(self, data: bytes, size: int) -> bytes:
        self._started = True
        if self._kind == "gzip":
            return bytes(self._obj.decompress(data, size))  # at most ``size`` bytes out
        self._input += data
        piece, self._input = self._input[:_ZSTD_SLICE], self._input[_ZSTD_SLICE:]
        return bytes(self._obj.decompress(piece))


def decompressed(stream: BinaryIO) -> io.BufferedReader:
    """``stream`` itself, or its decompressed content if it starts with gzip or zstd magic.

    The result supports ``peek`` and ``readline``; :func:`damage` tells afterwards
    whether the compressed data was cut short or corrupt.
    """
    buffered: Any = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)
    head = buffered.peek(4)[:4]
    if head.startswith(GZIP_MAGIC):
        return io.BufferedReader(_Decompressing(buffered, "gzip"), _CHUNK)
    if head.startswith(ZSTD_MAGIC):
        return io.BufferedReader(_Decompressing(buffered, "zstd"), _CHUNK)
    return cast(io.BufferedReader, buffered)


def damage(stream: BinaryIO) -> str | None:
    """What was wrong with the compressed data behind ``stream``, once it has been read to
    its end; ``None`` when nothing (or when it is not compressed)."""
    raw = getattr(stream, "raw", None)
    return raw.damage if isinstance(raw, _Decompressing) else None


def read_bounded(stream: BinaryIO, limit: int) -> bytes:
    """All of ``stream``, or :class:`TooLargeError` when it holds more than ``limit`` bytes.

    Reads at most ``limit + 1`` bytes, so a decompression bomb costs nothing.
    """
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLargeError(f"larger than the {limit:,}-byte limit")
    return data


def bounded_lines(stream: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """The lines of ``stream``; ``None`` for a line longer than ``limit`` (its bytes are
    read past and dropped, never held in memory)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (more := stream.readline(_CHUNK)) and not more.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


_BLANK_LINES = re.compile(rb"[ \t\r\n\x0b\x0c]*\n")
"""Whole blank lines (white space to a line feed, as ``bytes.strip`` sees white space)."""


def skip_blank_lines(stream: BinaryIO) -> int:
    """Read past the whole blank lines at ``stream``'s position, in bulk; how many.

    Reading them one ``readline`` at a time costs a microsecond or two each, so a file
    of a hundred million blank lines (a 100 KB gzip) would cost minutes; this looks at
    what the buffer holds and reads every blank line in it at once. A stream without
    ``peek`` is left as it is (0). A blank line that does not end in a line feed (the
    last of a file, or one longer than the buffer) is left for ``readline``.
    """
    peek = getattr(stream, "peek", None)
    if peek is None:
        return 0
    count = 0
    while (blank := _BLANK_LINES.match(peek(_CHUNK))) is not None:
        count += blank.group().count(b"\n")
        stream.read(blank.end())
    return count
