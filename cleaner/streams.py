"""Opening inputs: decompression that notices damage, and reads with a size bound.

gzip (including the multi-member ``.warc.gz`` kind) and zstd are recognised by their
magic bytes, whatever the file is called. The decompressing stream hands out every byte
it could decompress and only then raises :class:`TruncatedInputError`, so a reader keeps
every record that came before the damage. (Python's ``GzipFile`` and warcio both lose
or silently drop data at a truncated end.)
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, cast

import zstandard

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_CHUNK = 1 << 16


class TruncatedInputError(Exception):
    """The compressed stream ended in the middle of a member or frame, or is corrupt."""


class TooLargeError(Exception):
    """A unit is larger than the configured bound."""


class _Decompressing(io.RawIOBase):
    """A raw stream of the decompressed bytes of ``source``, member after member."""

    def __init__(self, source: BinaryIO, new: Callable[[], Any], name: str) -> None:
        self._source = source
        self._new = new
        self._name = name
        self._obj = new()
        self._pending = b""
        self._started = False  # the current member has received input

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            if self._obj.eof:
                rest = self._obj.unused_data
                self._obj = self._new()
                self._started = False
                if rest:
                    self._feed(rest)
                    continue
            chunk = self._source.read(_CHUNK)
            if not chunk:
                if self._started and not self._obj.eof:
                    raise TruncatedInputError(f"{self._name} data ends in the middle of a stream")
                return 0
            self._feed(chunk)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _feed(self, chunk: bytes) -> None:
        self._started = True
        try:
            self._pending += self._obj.decompress(chunk)
        except (zlib.error, zstandard.ZstdError) as exc:
            raise TruncatedInputError(f"corrupt {self._name} data: {exc}") from None


def _gzip() -> Any:
    return zlib.decompressobj(wbits=31)


def _zstd() -> Any:
    return zstandard.ZstdDecompressor().decompressobj()


def decompressed(stream: BinaryIO) -> io.BufferedReader:
    """``stream`` itself, or its decompressed content if it starts with gzip or zstd magic.

    The result supports ``peek`` and ``readline``.
    """
    buffered: Any = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)
    head = buffered.peek(4)[:4]
    if head.startswith(GZIP_MAGIC):
        return io.BufferedReader(_Decompressing(buffered, _gzip, "gzip"), _CHUNK)
    if head.startswith(ZSTD_MAGIC):
        return io.BufferedReader(_Decompressing(buffered, _zstd, "zstd"), _CHUNK)
    return cast(io.BufferedReader, buffered)


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
